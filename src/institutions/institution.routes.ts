import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { AppContext } from '../platform/http/app.ts';
import { actorOf } from '../platform/http/request-context.ts';
import { countryCode, errorResponses, idParams, municipalityCode, stateCode } from '../platform/http/schemas.ts';
import { can, requireCapability } from '../platform/auth/policy.ts';
import { createInstitution, creatableInstitutionTypes, listInstitutions, setInstitutionMfa, unitTypes } from './institution.service.ts';

const institutionView = z.object({
  id: z.uuid(),
  code: z.string(),
  name: z.string(),
  type: z.string(),
  unit_type: z.string().nullable(),
  country: z.string(),
  state_code: z.string().nullable(),
  municipality_code: z.string().nullable(),
  parent_id: z.uuid().nullable(),
  require_mfa: z.boolean(),
});

export function institutionRoutes(scope: FastifyInstance, { db }: AppContext): void {
  const app = scope.withTypeProvider<ZodTypeProvider>();
  const tags = ['institutions'];

  app.get('/api/v1/institutions', { schema: { tags, summary: 'Participating institutions (for referrals and administration)', response: { 200: z.object({ items: z.array(institutionView) }), ...errorResponses } } }, async () => ({
    items: await listInstitutions(db),
  }));

  app.post(
    '/api/v1/institutions',
    {
      schema: {
        tags,
        summary: 'Register an institution (platform administrators)',
        body: z.strictObject({
          code: z.string().regex(/^[A-Z0-9]{2,12}$/, '2-12 capital letters or digits'),
          name: z.string().trim().min(2).max(200),
          type: z.enum(creatableInstitutionTypes),
          unit_type: z.enum(unitTypes).nullable().optional(),
          country: countryCode.optional(),
          state_code: stateCode.nullable().optional(),
          municipality_code: municipalityCode.nullable().optional(),
          parent_id: z.uuid().nullable().optional(),
          require_mfa: z.boolean().optional(),
        }),
        response: { 201: institutionView, ...errorResponses },
      },
    },
    async (request, reply) => {
      const actor = actorOf(request);
      requireCapability(actor, 'institutions.create');
      const row = await createInstitution(db, actor, request.body);
      return reply.status(201).send(row);
    },
  );

  app.patch(
    '/api/v1/institutions/:id',
    { schema: { tags, summary: 'Require a second factor for the institution’s users', params: idParams, body: z.strictObject({ require_mfa: z.boolean() }), response: { 204: z.null(), ...errorResponses } } },
    async (request, reply) => {
      const actor = actorOf(request);
      const ownAdmin = can(actor, 'institutions.manage') && actor.institutionId === request.params.id;
      if (!ownAdmin) requireCapability(actor, 'institutions.manage_any');
      await setInstitutionMfa(db, actor, request.params.id, request.body.require_mfa);
      return reply.status(204).send(null);
    },
  );
}
