import type { InformationPage } from './information.service.ts';
import type { PublicLanguage } from './i18n.ts';

/**
 * The guide's rules: from a few answers (nationality, age, situations) to the information pages
 * that apply and a link to the directory with matching filters. Pure functions over the answers in
 * the address: nothing is stored, nothing is logged.
 */
export const SITUATIONS = ['stay', 'fear', 'detained', 'relative', 'abuse', 'school', 'health', 'work'] as const;
export type Situation = (typeof SITUATIONS)[number];
export type GuideAnswers = { nationality: string | null; age: 'child' | 'adult' | null; situations: Situation[] };
export type GuideResult = { pages: InformationPage[]; child: boolean; servicesHref: string };

/** Nationals (and residents) of these countries may ask for the Tarjeta de Visitante Regional. */
const REGIONAL_VISITOR_COUNTRIES = new Set(['GTM', 'BLZ']);

const PAGES_FOR: Record<Situation, string[]> = {
  stay: ['tarjeta-visitante-razones-humanitarias', 'refugio-comar', 'curp-temporal'],
  fear: ['refugio-comar', 'tarjeta-visitante-razones-humanitarias', 'curp-temporal'],
  detained: ['si-le-detienen', 'refugio-comar', 'como-presentar-una-queja'],
  relative: ['como-buscar-a-un-familiar'],
  abuse: ['como-presentar-una-queja', 'tarjeta-visitante-razones-humanitarias'],
  school: ['derecho-a-la-educacion', 'revalidacion-de-estudios', 'curp-temporal'],
  health: ['derecho-a-la-salud', 'curp-temporal'],
  work: ['tarjeta-visitante-razones-humanitarias', 'curp-temporal'],
};

/**
 * Directory categories for each situation (codes of the directory's taxonomy, migration 0036), as the
 * services page's `categoria` filter: the directory's search takes these names (docs/public.md).
 */
const CATEGORIES_FOR: Record<Situation, string[]> = {
  stay: ['documents', 'legal_aid'],
  fear: ['legal_aid', 'shelter'],
  detained: ['legal_aid'],
  relative: ['family_tracing'],
  abuse: ['legal_aid'],
  school: ['education'],
  health: ['health', 'mental_health'],
  work: ['employment', 'documents'],
};

/** The page's language as the directory's `idioma` filter (ISO 639-3). */
const LANGUAGE_CODES: Record<PublicLanguage, string> = { es: 'spa', en: 'eng', fr: 'fra', ht: 'hat', pt: 'por' };

/** Reads the guide's form from the query (`nacionalidad`, `edad`, `situacion` repeated); unknown values are ignored. */
export function readAnswers(query: URLSearchParams): { answers: GuideAnswers; asked: boolean } {
  const nationality = query.get('nacionalidad');
  const age = query.get('edad');
  const situations = [...new Set(query.getAll('situacion'))].filter((s): s is Situation => (SITUATIONS as readonly string[]).includes(s));
  const asked = query.has('nacionalidad') || query.has('edad') || query.has('situacion');
  return {
    answers: { nationality: nationality && /^[A-Z]{3}$/.test(nationality) ? nationality : null, age: age === 'menor' ? 'child' : age === 'adulta' ? 'adult' : null, situations },
    asked,
  };
}

export function applyGuide(answers: GuideAnswers, pages: InformationPage[], lang: PublicLanguage): GuideResult {
  const slugs: string[] = [];
  const add = (slug: string) => {
    if (!slugs.includes(slug)) slugs.push(slug);
  };
  for (const situation of answers.situations) {
    if ((situation === 'stay' || situation === 'work') && answers.nationality && REGIONAL_VISITOR_COUNTRIES.has(answers.nationality)) add('tarjeta-visitante-regional');
    PAGES_FOR[situation].forEach(add);
  }
  const child = answers.age === 'child';
  if (child && answers.situations.length) add('si-le-detienen');
  const bySlug = new Map(pages.map((p) => [p.slug, p]));
  const categories = [...new Set([...(child ? ['child_protection'] : []), ...answers.situations.flatMap((s) => CATEGORIES_FOR[s])])];
  const filters = new URLSearchParams();
  categories.forEach((c) => filters.append('categoria', c));
  if (answers.age) filters.set('edad', child ? 'menor' : 'adulta');
  filters.set('idioma', LANGUAGE_CODES[lang]);
  filters.set('lang', lang);
  return { pages: slugs.map((s) => bySlug.get(s)).filter((p): p is InformationPage => !!p), child, servicesHref: `/servicios?${filters.toString()}` };
}
