import { z } from 'zod';
import { creatableInstitutionTypes } from '../institutions/institution.service.ts';

/**
 * A screening instrument's definition: the data file an administrator uploads (docs/screenings.md).
 * Questions, answer types, skip logic (`show_if`), scores, the flags the answers raise and the
 * referrals those flags suggest, with every text in Spanish and English (and in French, Haitian
 * Creole or Portuguese where the instrument has them). Checked here twice: the shape by zod, the
 * references between parts (a flag naming a question that does not exist) by `definitionProblems`.
 */

const phrase = z.string().trim().min(1).max(2000);
/** Spanish and English always; the languages migrants speak where a translation exists. */
export const localized = z.strictObject({ es: phrase, en: phrase, fr: phrase.optional(), ht: phrase.optional(), pt: phrase.optional() });
export type Localized = z.infer<typeof localized>;
export const instrumentLanguages = ['es', 'en', 'fr', 'ht', 'pt'] as const;
export type InstrumentLanguage = (typeof instrumentLanguages)[number];

const id = z.string().regex(/^[a-z][a-z0-9_]{0,59}$/, 'lower-case letters, digits and _');

export const answerTypes = ['yes_no', 'single_choice', 'multi_choice', 'number', 'date', 'text'] as const;
export type AnswerType = (typeof answerTypes)[number];
/** The values of a yes/no question: the person may always decline to answer. */
export const yesNoValues = ['yes', 'no', 'declined'] as const;

export type Condition =
  | { question: string; equals: string }
  | { question: string; in: string[] }
  | { question: string; includes: string }
  | { question: string; at_least: number }
  | { question: string; at_most: number }
  | { question: string; answered: true }
  | { score: string; at_least: number }
  | { all: Condition[] }
  | { any: Condition[] };

// Registered under an id: the OpenAPI document names it once in its components and refers to it
// from itself (a condition holds conditions), which a document inlined schema by schema cannot do.
export const condition: z.ZodType<Condition> = z.lazy(() =>
  z.union([
    z.strictObject({ question: id, equals: z.string().max(60) }),
    z.strictObject({ question: id, in: z.array(z.string().max(60)).min(1).max(50) }),
    z.strictObject({ question: id, includes: z.string().max(60) }),
    z.strictObject({ question: id, at_least: z.number() }),
    z.strictObject({ question: id, at_most: z.number() }),
    z.strictObject({ question: id, answered: z.literal(true) }),
    z.strictObject({ score: id, at_least: z.number() }),
    z.strictObject({ all: z.array(condition).min(1).max(50) }),
    z.strictObject({ any: z.array(condition).min(1).max(50) }),
  ]),
).meta({ id: 'ScreeningCondition' });

const question = z.strictObject({
  id,
  type: z.enum(answerTypes),
  text: localized,
  help: localized.optional(),
  options: z.array(z.strictObject({ value: id, label: localized })).min(2).max(30).optional(),
  min: z.number().int().optional(),
  max: z.number().int().optional(),
  required: z.boolean().default(false),
  /** Skip logic: the question is asked only when this holds (it may name earlier questions only). */
  show_if: condition.optional(),
});
export type Question = z.infer<typeof question>;

export const instrumentDefinition = z.strictObject({
  code: id,
  version: z.number().int().min(1).max(10_000),
  title: localized,
  description: localized,
  /** What the instrument rests on: the protocol, guide or law its questions follow. */
  basis: localized,
  /** Whom it is for: it is offered for any participant, the screen says it. */
  intended_for: z.enum(['anyone', 'women', 'children']),
  questions: z.array(question).min(1).max(200),
  scores: z.array(z.strictObject({ id, label: localized, items: z.array(z.strictObject({ when: condition, points: z.number().int().min(-100).max(100) })).min(1).max(200) })).max(20).default([]),
  flags: z.array(z.strictObject({ id, severity: z.enum(['high', 'medium']), label: localized, explanation: localized, when: condition })).min(1).max(50),
  referrals: z
    .array(
      z.strictObject({
        id,
        label: localized,
        reason: localized,
        /** Suggested when any of these flags is raised. */
        flags: z.array(id).min(1).max(50),
        /** Institutions on the platform of these types are offered as destinations. */
        institution_types: z.array(z.enum(creatableInstitutionTypes)).min(1),
        /** The kinds of service sought, for the services directory when it offers them (src/screenings/destinations.ts). */
        services: z.array(id).max(20).default([]),
      }),
    )
    .max(30)
    .default([]),
});
export type InstrumentDefinition = z.infer<typeof instrumentDefinition>;

function conditionParts(c: Condition): Condition[] {
  if ('all' in c) return c.all.flatMap(conditionParts);
  if ('any' in c) return c.any.flatMap(conditionParts);
  return [c];
}

/** Problems a schema cannot see: references to parts that do not exist or do not fit. Empty when sound. */
export function definitionProblems(d: InstrumentDefinition): string[] {
  const problems: string[] = [];
  const questions = new Map<string, { q: Question; index: number }>();
  d.questions.forEach((q, index) => {
    if (questions.has(q.id)) problems.push(`questions.${q.id}: the id is used twice`);
    questions.set(q.id, { q, index });
    const choice = q.type === 'single_choice' || q.type === 'multi_choice';
    if (choice && !q.options) problems.push(`questions.${q.id}: a choice question needs options`);
    if (!choice && q.options) problems.push(`questions.${q.id}: only choice questions have options`);
    if (q.options && new Set(q.options.map((o) => o.value)).size !== q.options.length) problems.push(`questions.${q.id}: an option value is used twice`);
    if ((q.min !== undefined || q.max !== undefined) && q.type !== 'number') problems.push(`questions.${q.id}: min and max are for number questions`);
  });
  const scores = new Set(d.scores.map((s) => s.id));
  if (scores.size !== d.scores.length) problems.push('scores: an id is used twice');

  const check = (where: string, c: Condition, before?: number) => {
    for (const part of conditionParts(c)) {
      if ('score' in part) {
        if (!scores.has(part.score)) problems.push(`${where}: no score "${part.score}"`);
        if (before !== undefined) problems.push(`${where}: skip logic may not depend on a score`);
        continue;
      }
      if (!('question' in part)) continue;
      const found = questions.get(part.question);
      if (!found) {
        problems.push(`${where}: no question "${part.question}"`);
        continue;
      }
      if (before !== undefined && found.index >= before) problems.push(`${where}: skip logic may name earlier questions only ("${part.question}")`);
      const { q } = found;
      const values = q.type === 'yes_no' ? [...yesNoValues] : (q.options?.map((o) => o.value) ?? []);
      if ('equals' in part || 'in' in part) {
        if (q.type !== 'yes_no' && q.type !== 'single_choice') problems.push(`${where}: "equals"/"in" need a yes/no or single-choice question ("${q.id}")`);
        for (const v of 'equals' in part ? [part.equals] : part.in) if (!values.includes(v)) problems.push(`${where}: "${q.id}" has no value "${v}"`);
      }
      if ('includes' in part) {
        if (q.type !== 'multi_choice') problems.push(`${where}: "includes" needs a multiple-choice question ("${q.id}")`);
        else if (!values.includes(part.includes)) problems.push(`${where}: "${q.id}" has no value "${part.includes}"`);
      }
      if (('at_least' in part || 'at_most' in part) && q.type !== 'number') problems.push(`${where}: "at_least"/"at_most" need a number question ("${q.id}")`);
    }
  };
  d.questions.forEach((q, index) => q.show_if && check(`questions.${q.id}.show_if`, q.show_if, index));
  d.scores.forEach((s) => s.items.forEach((item, i) => check(`scores.${s.id}.items.${i}`, item.when)));
  const flags = new Set<string>();
  for (const f of d.flags) {
    if (flags.has(f.id)) problems.push(`flags.${f.id}: the id is used twice`);
    flags.add(f.id);
    check(`flags.${f.id}.when`, f.when);
  }
  const referrals = new Set<string>();
  for (const r of d.referrals) {
    if (referrals.has(r.id)) problems.push(`referrals.${r.id}: the id is used twice`);
    referrals.add(r.id);
    for (const f of r.flags) if (!flags.has(f)) problems.push(`referrals.${r.id}: no flag "${f}"`);
  }
  return problems;
}

/** The languages in which every text of the definition is written (always Spanish and English). */
export function definitionLanguages(d: InstrumentDefinition): InstrumentLanguage[] {
  const texts: Localized[] = [d.title, d.description, d.basis];
  for (const q of d.questions) {
    texts.push(q.text, ...(q.help ? [q.help] : []), ...(q.options ?? []).map((o) => o.label));
  }
  for (const f of d.flags) texts.push(f.label, f.explanation);
  for (const r of d.referrals) texts.push(r.label, r.reason);
  return instrumentLanguages.filter((lang) => texts.every((t) => t[lang] !== undefined));
}
