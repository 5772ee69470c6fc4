import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import type { AppContext } from '../platform/http/app.ts';
import { actorOf } from '../platform/http/request-context.ts';
import { errorResponses } from '../platform/http/schemas.ts';
import { findQuery, findResult } from './find.schema.ts';
import { findAnything } from './find.service.ts';

export function findRoutes(scope: FastifyInstance, { db }: AppContext): void {
  const app = scope.withTypeProvider<ZodTypeProvider>();
  app.get(
    '/api/v1/find',
    { schema: { tags: ['find'], summary: 'The search box: people by name, case files, complaints and missing-person records by folio, grouped by kind, only what the user may see', querystring: findQuery, response: { 200: findResult, ...errorResponses } } },
    async (request) => findAnything(db, actorOf(request), request.query.q, request.query.limit),
  );
}
