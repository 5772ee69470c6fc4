import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { AppContext } from '../../platform/http/app.ts';
import { mxStateList } from '../../platform/mx-states.ts';
import { placeOf } from '../places.ts';
import { languages } from '../vocabularies.ts';
import { categoryNames, publicSearch, publicService, type PublicFilters } from '../search.service.ts';
import { publicLanguage } from '../../public/i18n.ts';
import { BASE, directoryStrings, messagePage, searchPage, servicePage, type SearchValues, type Strings } from './pages.ts';

/**
 * The public directory pages: GET only, server-rendered, no JavaScript, nothing about the visitor
 * stored or logged. The language is every public page's (`?lang=`, else Accept-Language, else
 * Spanish). A filter that is not one of the lists' values is ignored (the form comes back with it
 * cleared); an age that is not a number (nor `menor`/`adulta`, the guide's groups) is named as such
 * and not used.
 */
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

function queryOf(request: FastifyRequest): URLSearchParams {
  const at = request.url.indexOf('?');
  return new URLSearchParams(at < 0 ? '' : request.url.slice(at + 1));
}

const stringsOf = (request: FastifyRequest): Strings => directoryStrings(publicLanguage(request));
const AGE_GROUPS = { menor: 'child', adulta: 'adult' } as const;

export async function directoryPublicRoutes(scope: FastifyInstance, { db }: AppContext): Promise<void> {
  const sendHtml = (reply: FastifyReply, status: number, body: string) => reply.status(status).type('text/html; charset=utf-8').header('cache-control', 'no-store').send(body);
  scope.setErrorHandler(async (error: { statusCode?: number; code?: string; name?: string }, request, reply) => {
    const t = stringsOf(request);
    request.log.error({ type: error.name, code: error.code }, 'directory page failed');
    return sendHtml(reply, 500, messagePage(t, t.errorTitle, t.errorText));
  });
  // Pages for people, not API operations: kept out of the OpenAPI document.
  const hidden = { schema: { hide: true } };

  scope.get(BASE, hidden, async (request, reply) => {
    const t = stringsOf(request);
    const p = queryOf(request);
    const categories = await categoryNames(db);
    const pick = (name: string, allowed: (v: string) => boolean) => {
      const v = (p.get(name) ?? '').trim();
      return allowed(v) ? v : '';
    };
    // `edad` comes as years (the form's box) and/or as a group (the guide's link, the form's check box): years win.
    const ages = p.getAll('edad').map((v) => v.trim());
    const ageGroup = ages.find((v): v is keyof typeof AGE_GROUPS => v in AGE_GROUPS) ?? '';
    const ageText = (ages.find((v) => v && !(v in AGE_GROUPS)) ?? '').slice(0, 3);
    const ageOk = /^\d{1,3}$/.test(ageText) && Number(ageText) <= 120;
    const values: SearchValues = {
      words: (p.get('palabras') ?? '').slice(0, 200),
      categories: [...new Set(p.getAll('categoria'))].filter((v) => categories.some((c) => c.code === v)),
      state: pick('estado', (v) => mxStateList.some((s) => s.code === v)),
      municipality: pick('municipio', (v) => !!placeOf(v)),
      language: pick('idioma', (v) => v in languages),
      age: ageOk ? ageText : ageText.replace(/[^0-9]/g, ''),
      ageGroup: ageText ? '' : ageGroup,
      near: pick('cerca', (v) => !!placeOf(v)),
      beds: p.get('camas') === '1',
    };
    const filters: PublicFilters = {
      words: values.words || undefined,
      categories: values.categories,
      state: values.state || undefined,
      municipality: values.municipality || undefined,
      language: values.language || undefined,
      age: ageOk ? Number(ageText) : undefined,
      ageGroup: values.ageGroup ? AGE_GROUPS[values.ageGroup] : undefined,
      near: values.near || undefined,
      beds: values.beds,
    };
    const page = Math.min(Math.max(1, Number.parseInt(p.get('pagina') ?? '1', 10) || 1), 10_000);
    const result = await publicSearch(db, filters, page);
    return sendHtml(reply, 200, searchPage(t, values, categories, result, ageText && !ageOk ? [t.ageInvalid] : []));
  });

  scope.get(`${BASE}/:id`, hidden, async (request, reply) => {
    const t = stringsOf(request);
    const { id } = request.params as { id: string };
    const service = UUID.test(id) ? await publicService(db, id) : null;
    if (!service) return sendHtml(reply, 404, messagePage(t, t.notFoundTitle, t.notFoundText));
    return sendHtml(reply, 200, servicePage(t, service, await categoryNames(db)));
  });
}
