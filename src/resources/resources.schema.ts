import { z } from 'zod';
import { correctionView, isoDate, municipalityCode, partialUpdateShape, stateCode, text, userRefView } from '../platform/http/schemas.ts';
import { mexicanStates } from '../platform/mx-states.ts';
import { latestDateOnEarth } from '../platform/dates.ts';

export const pointKinds = ['contact_point', 'deployment_point', 'service_point', 'other'] as const;
export const staffRoles = ['brigade_leader', 'officer', 'staff', 'volunteer'] as const;
export const operationKinds = ['rescue', 'transfer'] as const;
export const transferModes = ['road', 'air'] as const;

const pastOrToday = isoDate.refine((value) => value <= latestDateOnEarth(), { message: 'date_in_future' });
/** An INEGI municipality code whose first two digits are a state. */
const municipality = municipalityCode.refine((code) => code.slice(0, 2) in mexicanStates, { message: 'unknown_state' });

const pointFields = {
  name: text(200),
  kind: z.enum(pointKinds),
  municipalities: z
    .array(municipality)
    .min(1)
    .max(200)
    .refine((codes) => new Set(codes).size === codes.length, { message: 'repeated_municipality' })
    .describe('INEGI municipality codes the point covers; the first is where it is'),
  staff: z.number().int().min(0).max(100_000).describe('people posted at the point (brigade leaders, officers...)'),
  staff_role: z.enum(staffRoles),
  active_from: pastOrToday,
  active_to: isoDate.nullable().optional(),
};

const datesInOrder = (v: { active_from?: string | undefined; active_to?: string | null | undefined }, ctx: z.RefinementCtx) => {
  if (v.active_from && v.active_to && v.active_to < v.active_from) ctx.addIssue({ code: 'custom', path: ['active_to'], message: 'range_inverted' });
};

const reason = text(500).describe('why the record is corrected (kept in its history)');

export const newPointBody = z.strictObject(pointFields).superRefine(datesInOrder);
export type NewPoint = z.infer<typeof newPointBody>;
/** A routine change (closing the point, new staff) may go without a reason; it is kept in the history all the same. */
export const pointPatchBody = z.strictObject({ ...partialUpdateShape(pointFields), reason: reason.optional() }).superRefine(datesInOrder);
export type PointPatch = z.infer<typeof pointPatchBody>;

export const pointView = z.object({
  id: z.uuid(),
  institution_id: z.uuid(),
  name: z.string(),
  kind: z.enum(pointKinds),
  municipalities: z.array(z.string()),
  states: z.array(z.string()).describe('the states of the municipalities covered'),
  staff: z.number().int(),
  staff_role: z.enum(staffRoles),
  active_from: z.string(),
  active_to: z.string().nullable(),
  updated_at: z.date(),
});
export type PointView = z.infer<typeof pointView>;

export const pointHistory = z.object({
  point: pointView,
  recorded: z.object({ at: z.date(), by: userRefView }),
  corrections: z.array(correctionView).describe('oldest first'),
});

export const pointList = z.object({
  items: z.array(pointView),
  totals: z.object({ points: z.number().int(), staff: z.number().int(), municipalities: z.number().int(), states: z.number().int() }).describe('of the points in operation today'),
});

const operationFields = {
  kind: z.enum(operationKinds),
  mode: z.enum(transferModes).nullable().optional().describe('how the people were moved (transfers only)'),
  point_id: z.uuid().nullable().optional(),
  state: stateCode.nullable().optional().describe('where it happened (INEGI state code); by default the state of the point'),
  occurred_on: pastOrToday,
  people: z.number().int().min(1).max(10_000).describe('how many people were rescued or moved'),
};

/** A transfer says how people were moved; a rescue has no mode (checked again on the corrected whole). */
const modeFitsKind = (v: { kind?: string | undefined; mode?: string | null | undefined }, ctx: z.RefinementCtx) => {
  if (v.kind === 'transfer' && v.mode === null) ctx.addIssue({ code: 'custom', path: ['mode'], message: 'a transfer says how people were moved' });
  if (v.kind === 'rescue' && v.mode) ctx.addIssue({ code: 'custom', path: ['mode'], message: 'a rescue has no mode' });
};

export const newOperationBody = z.strictObject(operationFields).superRefine((v, ctx) => {
  if (v.kind === 'transfer' && v.mode === undefined) ctx.addIssue({ code: 'custom', path: ['mode'], message: 'a transfer says how people were moved' });
  modeFitsKind(v, ctx);
});
export type NewOperation = z.infer<typeof newOperationBody>;

/** A correction of an operation recorded wrongly: the fields to change and, always, why. */
export const operationPatchBody = z.strictObject({ ...partialUpdateShape(operationFields), reason }).superRefine(modeFitsKind);
export type OperationPatch = z.infer<typeof operationPatchBody>;

export const operationView = z.object({
  id: z.uuid(),
  kind: z.enum(operationKinds),
  mode: z.enum(transferModes).nullable(),
  point_id: z.uuid().nullable(),
  state: z.string().nullable(),
  occurred_on: z.string(),
  people: z.number().int(),
  corrections: z.number().int().describe('how many times it was corrected'),
});
export type OperationView = z.infer<typeof operationView>;

export const operationHistory = z.object({
  operation: operationView,
  recorded: z.object({ at: z.date(), by: userRefView }),
  corrections: z.array(correctionView).describe('oldest first'),
});

export const operationFilters = ['rescue', 'road', 'air'] as const;
export const operationListQuery = z.strictObject({
  from: isoDate.optional(),
  to: isoDate.optional(),
  kind: z.enum(operationFilters).optional().describe('rescues, transfers by road or transfers by air'),
  limit: z.coerce.number().int().min(1).max(200).default(50),
});
export const operationList = z.object({
  items: z.array(operationView),
  totals: z.object({ rescues: z.number().int(), rescued: z.number().int(), transfers_by_road: z.number().int(), moved_by_road: z.number().int(), transfers_by_air: z.number().int(), moved_by_air: z.number().int() }).describe('over the whole range and kind asked for, not only the items listed'),
});
