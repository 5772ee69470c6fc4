import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { AppContext } from '../platform/http/app.ts';
import { SESSION_COOKIE } from '../platform/http/app.ts';
import { publicLanguage } from './i18n.ts';
import { guidePage, homePage, informationIndexPage, informationNotFoundPage, informationPage, privacyPage } from './pages.ts';
import { privacyNoticeText, readLogo, readSiteSettings } from './site.service.ts';
import { getPage, listPages } from './information.service.ts';
import { applyGuide, readAnswers } from './guide.ts';

/**
 * The public front door's pages: `/` (who runs the service, the four doors, the privacy notice, the
 * languages), `/aviso-de-privacidad`, `/informacion` with its pages and the guide. Server-rendered,
 * no script, nothing about the visitor stored or logged. Staff sign in at `/personal` (the web app).
 */
export async function sitePages(scope: FastifyInstance, { db }: AppContext): Promise<void> {
  const hidden = { schema: { hide: true } };
  const sendHtml = (reply: FastifyReply, status: number, body: string) => reply.status(status).type('text/html; charset=utf-8').header('cache-control', 'no-cache').send(body);
  const queryOf = (request: FastifyRequest) => new URLSearchParams(request.url.includes('?') ? request.url.slice(request.url.indexOf('?') + 1) : '');

  scope.get('/', hidden, async (request, reply) => {
    // Someone signed in who opens the bare address (an old bookmark of the staff app) goes on to it;
    // with `?lang=` (the switch, the public links) the public home is shown to everyone.
    if (request.cookies[SESSION_COOKIE] && !request.url.includes('?')) return reply.redirect('/personal', 303);
    return sendHtml(reply, 200, homePage(publicLanguage(request), await readSiteSettings(db)));
  });

  scope.get('/aviso-de-privacidad', hidden, async (request, reply) => {
    const settings = await readSiteSettings(db);
    return sendHtml(reply, 200, privacyPage(publicLanguage(request), settings, privacyNoticeText(settings)));
  });

  scope.get('/portada/logo', hidden, async (_request, reply) => {
    const logo = await readLogo(db);
    if (!logo) return reply.status(404).type('text/plain').send('');
    return reply.type(logo.mediaType).header('cache-control', 'public, max-age=300').send(logo.bytes);
  });

  scope.get('/informacion', hidden, async (request, reply) =>
    sendHtml(reply, 200, informationIndexPage(publicLanguage(request), await readSiteSettings(db), await listPages(db))),
  );

  scope.get('/informacion/guia', hidden, async (request, reply) => {
    const lang = publicLanguage(request);
    const query = queryOf(request);
    const { answers, asked } = readAnswers(query);
    const result = asked ? applyGuide(answers, await listPages(db), lang) : null;
    query.delete('lang');
    return sendHtml(reply, 200, guidePage(lang, await readSiteSettings(db), answers, result, query.toString()));
  });

  scope.get<{ Params: { slug: string } }>('/informacion/:slug', hidden, async (request, reply) => {
    const lang = publicLanguage(request);
    const settings = await readSiteSettings(db);
    const slug = request.params.slug;
    const page = /^[a-z0-9-]{1,80}$/.test(slug) ? await getPage(db, slug) : null;
    if (!page) return sendHtml(reply, 404, informationNotFoundPage(lang, settings));
    return sendHtml(reply, 200, informationPage(lang, settings, page));
  });
}
