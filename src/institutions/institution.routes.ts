import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { AppContext } from '../platform/http/app.ts';
import { actorOf } from '../platform/http/request-context.ts';
import { countryCode, errorResponses, idParams, municipalityCode, partialUpdateShape, stateCode } from '../platform/http/schemas.ts';
import { requireCapability } from '../platform/auth/policy.ts';
import { createInstitution, creatableInstitutionTypes, listInstitutions, unitTypes, updateInstitution } from './institution.service.ts';
import { requireInstitutionEdit, type InstitutionField } from './institution.policy.ts';

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
  complaint_handlers_mfa: z.boolean(),
});

const institutionFields = {
  name: z.string().trim().min(2).max(200),
  type: z.enum(creatableInstitutionTypes),
  unit_type: z.enum(unitTypes).nullable(),
  country: countryCode,
  state_code: stateCode.nullable(),
  municipality_code: municipalityCode.nullable(),
  parent_id: z.uuid().nullable(),
  require_mfa: z.boolean(),
  complaint_handlers_mfa: z.boolean(),
};
const { country: _country, ...changeableFields } = institutionFields;

export function institutionRoutes(scope: FastifyInstance, { db }: AppContext): void {
  const app = scope.withTypeProvider<ZodTypeProvider>();
  const tags = ['institutions'];

  app.get('/api/v1/institutions', { schema: { tags, summary: 'Participating institutions (for referrals and administration); `parent_id` gives the hierarchy', response: { 200: z.object({ items: z.array(institutionView) }), ...errorResponses } } }, async () => ({
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
          name: institutionFields.name,
          type: institutionFields.type,
          unit_type: institutionFields.unit_type.optional(),
          country: institutionFields.country.optional(),
          state_code: institutionFields.state_code.optional(),
          municipality_code: institutionFields.municipality_code.optional(),
          parent_id: institutionFields.parent_id.optional(),
          require_mfa: institutionFields.require_mfa.optional(),
          complaint_handlers_mfa: institutionFields.complaint_handlers_mfa.optional(),
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
    {
      schema: {
        tags,
        summary: 'Change an institution: its administrator, the second-factor requirement; platform administrators, also name, type, parent, jurisdiction and whether complaint handlers need a second factor (on by default)',
        params: idParams,
        body: z.strictObject(partialUpdateShape(changeableFields)),
        response: { 204: z.null(), ...errorResponses },
      },
    },
    async (request, reply) => {
      const actor = actorOf(request);
      const fields = Object.keys(request.body).filter((key) => request.body[key as InstitutionField] !== undefined) as InstitutionField[];
      requireInstitutionEdit(actor, request.params.id, fields);
      await updateInstitution(db, actor, request.params.id, request.body);
      return reply.status(204).send(null);
    },
  );
}
