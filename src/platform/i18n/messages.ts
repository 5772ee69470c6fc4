import { fill } from './catalogue.ts';
import es from './locales/es.json' with { type: 'json' };
import en from './locales/en.json' with { type: 'json' };

/**
 * Messages the server itself writes (errors, generated text), in `locales/<lang>.json` under
 * `messages`, one key per error code or phrase. The web UI and the public pages have their own
 * catalogues; `catalogue.ts` says how the files are organised.
 */
export const languages = ['es', 'en'] as const;
export type Language = (typeof languages)[number];

export type MessageKey = keyof typeof es.messages;

const catalogues: Record<Language, Record<MessageKey, string>> = { es: es.messages, en: en.messages };

export function translate(language: Language, key: MessageKey, params: Record<string, string | number> = {}): string {
  return fill(catalogues[language][key], params);
}

/**
 * `?lang=` if it names a supported language, else the first supported language of Accept-Language (by
 * its q weights, primary subtag only), else Spanish. The API and the staff app speak Spanish and
 * English; the public pages pass their five languages (src/public/i18n.ts).
 */
export function negotiateLanguage<L extends string = Language>(queryLang: unknown, acceptLanguage: string | undefined, supported: readonly L[] = languages as unknown as readonly L[]): L {
  const known = (tag: unknown): tag is L => typeof tag === 'string' && (supported as readonly string[]).includes(tag);
  if (known(queryLang)) return queryLang;
  if (acceptLanguage) {
    const ranked = acceptLanguage
      .split(',')
      .map((part) => {
        const [tag = '', ...rest] = part.trim().split(';');
        const q = rest.find((p) => p.trim().startsWith('q='));
        return { tag: tag.toLowerCase().split('-')[0]!, q: q ? Number(q.trim().slice(2)) : 1 };
      })
      .filter(({ q }) => q > 0)
      .sort((a, b) => b.q - a.q);
    for (const { tag } of ranked) if (known(tag)) return tag;
  }
  return supported[0] ?? ('es' as L);
}
