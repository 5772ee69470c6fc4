import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { AppContext } from '../platform/http/app.ts';
import { actorOf } from '../platform/http/request-context.ts';
import { errorResponses, idParams, page } from '../platform/http/schemas.ts';
import * as s from './directory.schema.ts';
import { createService, directoryVocabularies, getService, listServices, publishService, returnService, submitService, updateService, verifyService } from './directory.service.ts';
import { hsdsRoutes } from './hsds.routes.ts';
import { directoryPublicRoutes } from './public/routes.ts';

const noContent = { 204: z.null(), ...errorResponses };

/** The directory module: the editors' and reviewers' API, the HSDS API (`/hsds`) and the public pages (`/servicios`). */
export async function directoryRoutes(scope: FastifyInstance, context: AppContext): Promise<void> {
  const { db } = context;
  const app = scope.withTypeProvider<ZodTypeProvider>();
  const tags = ['directory'];
  const base = '/api/v1/directory';

  app.get(`${base}/vocabularies`, { schema: { tags, summary: "The editor's lists: categories, languages, places", response: { 200: s.vocabulariesView, ...errorResponses } } }, async (request) => directoryVocabularies(db, actorOf(request)));

  app.get(`${base}/services`, { schema: { tags, summary: "The institution's directory entries, those awaiting review first", querystring: s.listQuery, response: { 200: page(s.serviceListItem), ...errorResponses } } }, async (request) =>
    listServices(db, actorOf(request), request.query),
  );

  app.post(`${base}/services`, { schema: { tags, summary: 'Add a service to the directory (a draft of the institution)', body: s.serviceInput, response: { 201: z.object({ id: z.uuid() }), ...errorResponses } } }, async (request, reply) =>
    reply.status(201).send(await createService(db, actorOf(request), request.body)),
  );

  app.get(`${base}/services/:id`, { schema: { tags, summary: 'A directory entry of the institution, in any state', params: idParams, response: { 200: s.serviceView, ...errorResponses } } }, async (request) => getService(db, actorOf(request), request.params.id));

  app.patch(`${base}/services/:id`, { schema: { tags, summary: 'Change an entry (a published one goes back to draft until a second person publishes it again)', params: idParams, body: s.servicePatch, response: noContent } }, async (request, reply) => {
    await updateService(db, actorOf(request), request.params.id, request.body);
    return reply.status(204).send(null);
  });

  app.post(`${base}/services/:id/submit`, { schema: { tags, summary: 'Send a draft for review', params: idParams, response: noContent } }, async (request, reply) => {
    await submitService(db, actorOf(request), request.params.id);
    return reply.status(204).send(null);
  });

  app.post(`${base}/services/:id/publish`, { schema: { tags, summary: 'Publish an entry awaiting review (not by the person who changed it last)', params: idParams, response: noContent } }, async (request, reply) => {
    await publishService(db, actorOf(request), request.params.id);
    return reply.status(204).send(null);
  });

  app.post(`${base}/services/:id/return`, { schema: { tags, summary: 'Send an entry awaiting review back to its editors, with a note', params: idParams, body: s.returnInput, response: noContent } }, async (request, reply) => {
    await returnService(db, actorOf(request), request.params.id, request.body.note);
    return reply.status(204).send(null);
  });

  app.post(`${base}/services/:id/verify`, { schema: { tags, summary: 'Confirm that the entry is still true today, and give the free places of a shelter', params: idParams, body: s.verifyInput, response: noContent } }, async (request, reply) => {
    await verifyService(db, actorOf(request), request.params.id, request.body);
    return reply.status(204).send(null);
  });

  await scope.register(async (open) => hsdsRoutes(open, context));
  await scope.register(async (pages) => directoryPublicRoutes(pages, context));
}
