import type { Condition, InstrumentDefinition, Question } from './definition.ts';
import { yesNoValues } from './definition.ts';
import { AppError } from '../platform/errors.ts';
import { isoDate } from '../platform/http/schemas.ts';

/** An answer as stored and shown: a value of a choice or yes/no, several values, a number, a date or text. */
export type AnswerValue = string | number | string[];
export type Answers = ReadonlyMap<string, AnswerValue>;

type Outcome = { holds: boolean; because: Set<string> };

function scoreOf(d: InstrumentDefinition, scoreId: string, answers: Answers, visible: ReadonlySet<string>): Outcome & { points: number } {
  const score = d.scores.find((s) => s.id === scoreId);
  const because = new Set<string>();
  let points = 0;
  for (const item of score?.items ?? []) {
    const part = test(d, item.when, answers, visible);
    if (!part.holds) continue;
    points += item.points;
    for (const q of part.because) because.add(q);
  }
  return { holds: false, because, points };
}

/** Whether a condition holds, and the questions whose answers made it hold (a flag's reasons). */
function test(d: InstrumentDefinition, c: Condition, answers: Answers, visible: ReadonlySet<string>): Outcome {
  if ('all' in c) {
    const parts = c.all.map((p) => test(d, p, answers, visible));
    return { holds: parts.every((p) => p.holds), because: new Set(parts.flatMap((p) => [...p.because])) };
  }
  if ('any' in c) {
    const held = c.any.map((p) => test(d, p, answers, visible)).filter((p) => p.holds);
    return { holds: held.length > 0, because: new Set(held.flatMap((p) => [...p.because])) };
  }
  if ('score' in c) {
    const score = scoreOf(d, c.score, answers, visible);
    return { holds: score.points >= c.at_least, because: score.because };
  }
  // An answer to a question that the skip logic now hides counts for nothing.
  const value = visible.has(c.question) ? answers.get(c.question) : undefined;
  const holds =
    value === undefined
      ? false
      : 'equals' in c
        ? value === c.equals
        : 'in' in c
          ? typeof value === 'string' && c.in.includes(value)
          : 'includes' in c
            ? Array.isArray(value) && value.includes(c.includes)
            : 'at_least' in c
              ? typeof value === 'number' && value >= c.at_least
              : 'at_most' in c
                ? typeof value === 'number' && value <= c.at_most
                : Array.isArray(value) ? value.length > 0 : String(value).length > 0;
  return { holds, because: holds ? new Set([c.question]) : new Set() };
}

/** The questions asked given the answers so far, in order (skip logic names earlier questions only). */
export function visibleQuestions(d: InstrumentDefinition, answers: Answers): Question[] {
  const visible = new Set<string>();
  const shown: Question[] = [];
  for (const q of d.questions) {
    if (q.show_if && !test(d, q.show_if, answers, visible).holds) continue;
    visible.add(q.id);
    shown.push(q);
  }
  return shown;
}

export type Evaluation = {
  visible: string[];
  missing: string[];
  scores: { id: string; points: number }[];
  flags: { id: string; because: string[] }[];
  referrals: string[];
};

/** The result of a screening: each flag raised with the questions that raised it, and the referrals suggested. */
export function evaluate(d: InstrumentDefinition, answers: Answers): Evaluation {
  const shown = visibleQuestions(d, answers);
  const visible = new Set(shown.map((q) => q.id));
  const order = new Map(d.questions.map((q, i) => [q.id, i]));
  const flags = d.flags.flatMap((f) => {
    const outcome = test(d, f.when, answers, visible);
    return outcome.holds ? [{ id: f.id, because: [...outcome.because].sort((a, b) => order.get(a)! - order.get(b)!) }] : [];
  });
  const raised = new Set(flags.map((f) => f.id));
  return {
    visible: shown.map((q) => q.id),
    missing: shown.filter((q) => q.required && !answers.has(q.id)).map((q) => q.id),
    scores: d.scores.map((s) => ({ id: s.id, points: scoreOf(d, s.id, answers, visible).points })),
    flags,
    referrals: d.referrals.filter((r) => r.flags.some((f) => raised.has(f))).map((r) => r.id),
  };
}

/** Checks an answer against its question; throws `screening_answer_invalid` naming the question. */
export function checkAnswer(d: InstrumentDefinition, questionId: string, value: unknown): AnswerValue {
  const q = d.questions.find((x) => x.id === questionId);
  const invalid = () => new AppError('screening_answer_invalid', { question: questionId });
  if (!q) throw invalid();
  const options = q.options?.map((o) => o.value) ?? [];
  switch (q.type) {
    case 'yes_no':
      if (typeof value !== 'string' || !(yesNoValues as readonly string[]).includes(value)) throw invalid();
      return value;
    case 'single_choice':
      if (typeof value !== 'string' || !options.includes(value)) throw invalid();
      return value;
    case 'multi_choice':
      if (!Array.isArray(value) || value.some((v) => typeof v !== 'string' || !options.includes(v)) || new Set(value).size !== value.length) throw invalid();
      return value as string[];
    case 'number':
      if (typeof value !== 'number' || !Number.isInteger(value) || (q.min !== undefined && value < q.min) || (q.max !== undefined && value > q.max)) throw invalid();
      return value;
    case 'date':
      if (typeof value !== 'string' || !isoDate.safeParse(value).success) throw invalid();
      return value;
    case 'text':
      if (typeof value !== 'string' || value.trim().length === 0 || value.length > 4000) throw invalid();
      return value.trim();
  }
}
