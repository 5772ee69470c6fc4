import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { AppContext } from '../platform/http/app.ts';
import { actorOf } from '../platform/http/request-context.ts';
import { errorResponses } from '../platform/http/schemas.ts';
import { requireCapability } from '../platform/auth/policy.ts';
import { notFound } from '../platform/errors.ts';
import { pageEditBody, pageVersionView, pageView, siteSettingsBody, siteSettingsView, logoBody, slugParams } from './public.schema.ts';
import { privacyNoticeText, readSiteSettings, setLogo, updateSiteSettings } from './site.service.ts';
import { editPage, getPage, listPages, listVersions } from './information.service.ts';
import { sitePages } from './site.routes.ts';

const tags = ['public site'];

/**
 * The public front door (docs/public.md): the server-rendered home, privacy notice, information
 * pages and guide (site.routes.ts), and the staff API that edits them: the settings of who runs the
 * service (`public_site.configure`) and the information pages' versions (`information.edit`).
 */
export async function publicSiteRoutes(scope: FastifyInstance, context: AppContext): Promise<void> {
  const { db } = context;
  await scope.register(async (pages) => sitePages(pages, context));
  const app = scope.withTypeProvider<ZodTypeProvider>();

  const settingsView = async () => {
    const settings = await readSiteSettings(db);
    return { ...settings, default_privacy_notice: privacyNoticeText({ ...settings, privacy_notice: null }) };
  };

  app.get('/api/v1/public-site', { schema: { tags, summary: 'Who runs the public service: operator, contacts, privacy notice (platform administrators)', response: { 200: siteSettingsView, ...errorResponses } } }, async (request) => {
    requireCapability(actorOf(request), 'public_site.configure');
    return settingsView();
  });

  app.put('/api/v1/public-site', { schema: { tags, summary: 'Change who runs the public service and its privacy notice (platform administrators)', body: siteSettingsBody, response: { 200: siteSettingsView, ...errorResponses } } }, async (request) => {
    await updateSiteSettings(db, actorOf(request), request.body);
    return settingsView();
  });

  app.put('/api/v1/public-site/logo', { schema: { tags, summary: 'The operator’s logo on the public pages (PNG or JPEG, at most 200 KB)', body: logoBody, response: { 204: z.null(), ...errorResponses, 413: errorResponses[400], 415: errorResponses[400] } } }, async (request, reply) => {
    await setLogo(db, actorOf(request), { bytes: Buffer.from(request.body.data_base64, 'base64'), declaredType: undefined });
    return reply.code(204).send(null);
  });

  app.delete('/api/v1/public-site/logo', { schema: { tags, summary: 'Remove the operator’s logo', response: { 204: z.null(), ...errorResponses } } }, async (request, reply) => {
    await setLogo(db, actorOf(request), null);
    return reply.code(204).send(null);
  });

  app.get('/api/v1/information/pages', { schema: { tags, summary: 'The information pages, each at its newest version (editors)', response: { 200: z.object({ items: z.array(pageView) }), ...errorResponses } } }, async (request) => {
    requireCapability(actorOf(request), 'information.edit');
    return { items: await listPages(db) };
  });

  app.get('/api/v1/information/pages/:slug', { schema: { tags, summary: 'One information page at its newest version (editors)', params: slugParams, response: { 200: pageView, ...errorResponses } } }, async (request) => {
    requireCapability(actorOf(request), 'information.edit');
    const page = await getPage(db, request.params.slug);
    if (!page) throw notFound();
    return page;
  });

  app.get('/api/v1/information/pages/:slug/versions', { schema: { tags, summary: 'Every version of an information page, newest first (editors)', params: slugParams, response: { 200: z.object({ items: z.array(pageVersionView) }), ...errorResponses } } }, async (request) => ({
    items: await listVersions(db, actorOf(request), request.params.slug),
  }));

  app.post('/api/v1/information/pages/:slug/versions', { schema: { tags, summary: 'Save a new version of an information page; the earlier ones are kept', params: slugParams, body: pageEditBody, response: { 201: pageView, ...errorResponses } } }, async (request, reply) =>
    reply.code(201).send(await editPage(db, actorOf(request), request.params.slug, request.body)),
  );
}
