import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { randomUUID } from 'node:crypto';
import { ApiClient, makeInstitution, makeUser, startTestServer, type TestServer } from '../../test/helpers.ts';
import { personBody } from '../../test/fixtures.ts';
import { shippedDefinitions } from './instrument.service.ts';
import type { Condition, InstrumentDefinition, Question } from './definition.ts';

/**
 * Every rule of every shipped instrument, through HTTP, with the checks generated from the definition
 * files so that they follow the instruments as they change (screenings.test.ts keeps a hand-written
 * table beside them). From each flag's condition come the minimal sets of answers that raise it (its
 * "ways": one per branch of an `any`, one per smallest set of score items reaching the threshold), and:
 *  - each way raises the flag with exactly the questions of the way as its reasons;
 *  - undoing any one answer of a way (a reassuring answer instead) leaves the flag down;
 *  - no other answers raise it: every other question answered with its riskiest value, the flag's own
 *    questions reassuringly, leaves it down, while each flag that shares no question with it is up;
 *  - a new version of the instrument that drops the flag leaves the answers given under the old
 *    version readable with their own questions and flags.
 * Nothing here calls the evaluator: the expectations are derived from the conditions' text alone.
 */

type Atom = Exclude<Condition, { all: Condition[] } | { any: Condition[] } | { score: string; at_least: number }>;
type Way = Atom[];
type Value = string | number | string[];
type Answers = Record<string, Value>;

const atomsOf = (c: Condition): Atom[] => ('all' in c ? c.all.flatMap(atomsOf) : 'any' in c ? c.any.flatMap(atomsOf) : 'score' in c ? [] : [c]);
const key = (w: Way) => w.map((a) => JSON.stringify(a)).sort().join('|');

/** The minimal sets of atoms that make a condition hold (its disjunctive normal form, without supersets). */
function ways(d: InstrumentDefinition, c: Condition): Way[] {
  let out: Way[];
  if ('all' in c) out = c.all.map((p) => ways(d, p)).reduce<Way[]>((acc, next) => acc.flatMap((a) => next.map((b) => [...a, ...b])), [[]]);
  else if ('any' in c) out = c.any.flatMap((p) => ways(d, p));
  else if ('score' in c) {
    const items = d.scores.find((s) => s.id === c.score)!.items;
    out = [];
    for (let mask = 1; mask < 1 << items.length; mask++) {
      const chosen = items.filter((_, i) => mask & (1 << i));
      const points = chosen.reduce((s, i) => s + i.points, 0);
      if (points >= c.at_least && chosen.every((i) => points - i.points < c.at_least)) out.push(...chosen.map((i) => ways(d, i.when)).reduce<Way[]>((acc, next) => acc.flatMap((a) => next.map((b) => [...a, ...b])), [[]]));
    }
  } else if ('in' in c) out = c.in.map((v) => [{ question: c.question, equals: v }]);
  else out = [[c]];
  const unique = [...new Map(out.map((w) => [key(w), [...new Map(w.map((a) => [JSON.stringify(a), a])).values()]])).values()];
  return unique.filter((w) => !unique.some((o) => o !== w && o.length < w.length && o.every((a) => w.some((b) => JSON.stringify(a) === JSON.stringify(b)))));
}

/** Every atom of every flag and score: what counts as a risk. Skip logic's atoms are not risks. */
const riskAtoms = (d: InstrumentDefinition) => [...d.flags.flatMap((f) => atomsOf(f.when)), ...d.scores.flatMap((s) => s.items.flatMap((i) => atomsOf(i.when)))];

function holds(a: Atom, v: Value | undefined): boolean {
  if (v === undefined) return false;
  if ('equals' in a) return v === a.equals;
  if ('in' in a) return typeof v === 'string' && a.in.includes(v);
  if ('includes' in a) return Array.isArray(v) && v.includes(a.includes);
  if ('at_least' in a) return typeof v === 'number' && v >= a.at_least;
  if ('at_most' in a) return typeof v === 'number' && v <= a.at_most;
  return Array.isArray(v) ? v.length > 0 : String(v).length > 0;
}

function candidates(q: Question): Value[] {
  switch (q.type) {
    case 'yes_no':
      return ['no', 'yes', 'declined'];
    case 'single_choice':
      return q.options!.map((o) => o.value);
    case 'multi_choice':
      return [[], ...q.options!.map((o) => [o.value])];
    case 'number':
      return [q.min ?? 0, q.max ?? 100, ...[0, 1, 10, 30, 100, 1000].filter((n) => (q.min === undefined || n >= q.min) && (q.max === undefined || n <= q.max))];
    case 'date':
      return ['2020-01-15'];
    case 'text':
      return ['Sin observaciones.'];
  }
}

/** A reassuring answer: one that satisfies no risk atom of the instrument. */
function calm(d: InstrumentDefinition, q: Question): Value {
  const atoms = riskAtoms(d).filter((a) => a.question === q.id);
  const value = candidates(q).find((v) => atoms.every((a) => !holds(a, v)));
  if (value === undefined) throw new Error(`${d.code}.${q.id}: no reassuring answer`);
  return value;
}

/** The value an atom asks for (several atoms on one multiple choice: all their options). */
function satisfy(q: Question, atoms: Atom[]): Value {
  if (q.type === 'multi_choice') return [...new Set(atoms.flatMap((a) => ('includes' in a ? [a.includes] : 'in' in a ? a.in : 'equals' in a ? [a.equals] : [q.options![0]!.value])))];
  const a = atoms[0]!;
  if ('equals' in a) return a.equals;
  if ('in' in a) return a.in[0]!;
  if ('at_least' in a) return a.at_least;
  if ('at_most' in a) return a.at_most;
  return candidates(q).find((v) => holds(a, v))!;
}

const question = (d: InstrumentDefinition, id: string) => d.questions.find((q) => q.id === id)!;
const order = (d: InstrumentDefinition, ids: Iterable<string>) => [...new Set(ids)].sort((a, b) => d.questions.findIndex((q) => q.id === a) - d.questions.findIndex((q) => q.id === b));
/** The questions a question's skip logic depends on, transitively. */
function ancestors(d: InstrumentDefinition, id: string): string[] {
  const q = question(d, id);
  return q.show_if ? atomsOf(q.show_if).flatMap((a) => [a.question, ...ancestors(d, a.question)]) : [];
}

/** Everything answered reassuringly, then the way's atoms, then what their skip logic needs to ask them. */
function answersFor(d: InstrumentDefinition, way: Way): Answers {
  const answers: Answers = Object.fromEntries(d.questions.map((q) => [q.id, calm(d, q)]));
  const set = (atoms: Atom[]) => {
    for (const id of new Set(atoms.map((a) => a.question))) {
      const q = question(d, id);
      answers[id] = satisfy(q, atoms.filter((a) => a.question === id));
      if (q.show_if) set(ways(d, q.show_if)[0]!.filter((a) => !atoms.some((b) => b.question === a.question)));
    }
  };
  set(way);
  return answers;
}

/** Every question outside `keep` at its riskiest (or, without risks, the value that opens the questions after it); `keep` reassuring. */
function riskyExcept(d: InstrumentDefinition, keep: Set<string>): Answers {
  const answers: Answers = {};
  for (const q of d.questions) {
    if (keep.has(q.id)) answers[q.id] = calm(d, q);
    else {
      const risks = riskAtoms(d).filter((a) => a.question === q.id);
      const opening = d.questions.flatMap((o) => (o.show_if ? atomsOf(o.show_if) : [])).filter((a) => a.question === q.id);
      answers[q.id] = risks.length ? satisfy(q, q.type === 'multi_choice' ? risks : [risks[0]!]) : opening.length ? satisfy(q, [opening[0]!]) : calm(d, q);
    }
  }
  return answers;
}

let server: TestServer;
let caseworker: ApiClient;
let admin: ApiClient;

beforeAll(async () => {
  server = await startTestServer();
  const shelter = await makeInstitution(server.db, { type: 'shelter' });
  caseworker = await ApiClient.forSession(server, (await makeUser(server.db, shelter.id, 'caseworker')).email);
  const adminUser = await makeUser(server.db, shelter.id, 'administrator');
  await server.db.updateTable('users').set({ is_platform_admin: true }).where('id', '=', adminUser.id).execute();
  admin = await ApiClient.forSession(server, adminUser.email);
});
afterAll(async () => server?.close());

/** A case of its own with one participant, to give screenings in. */
async function newCase() {
  const p = await caseworker.post('/api/v1/people', personBody());
  const c = await caseworker.post('/api/v1/cases', { programme: 'shelter', opened_on: '2025-01-10', participants: [{ person_id: p.body.id, role: 'applicant' }] });
  expect(c.status, c.text).toBe(201);
  return { caseId: c.body.id as string, personId: p.body.id as string };
}

/** Gives a screening with these answers and returns its flags (each with its reasons) and suggestions. */
async function screen(target: { caseId: string; personId: string }, instrument: string, answers: Answers) {
  const s = await caseworker.post(`/api/v1/cases/${target.caseId}/screenings`, { instrument, person_id: target.personId });
  expect(s.status, s.text).toBe(201);
  const saved = await caseworker.request('PUT', `/api/v1/screenings/${s.body.id}/answers`, { answers: Object.entries(answers).map(([question_id, value]) => ({ question_id, value })) });
  expect(saved.status, saved.text).toBe(204);
  const done = await caseworker.post(`/api/v1/screenings/${s.body.id}/complete`);
  expect(done.status, done.text).toBe(200);
  const view = await caseworker.get(`/api/v1/screenings/${s.body.id}`);
  const flags = Object.fromEntries(view.body.result.flags.map((f: { id: string; because: string[] }) => [f.id, f.because])) as Record<string, string[]>;
  return { id: s.body.id as string, flags, suggestions: view.body.result.suggestions.map((x: { id: string }) => x.id) as string[] };
}

for (const d of shippedDefinitions()) {
  describe(`${d.code}, version ${d.version}`, () => {
    for (const flag of d.flags) {
      const flagWays = ways(d, flag.when);
      const own = new Set(flagWays.flatMap((w) => w.map((a) => a.question)));

      it(`${flag.id}: raised by each of its ${flagWays.length} ways with their answers as its reasons, and by none of them missing an answer`, async () => {
        expect(flagWays.length).toBeGreaterThan(0);
        const target = await newCase();
        for (const way of flagWays) {
          const answers = answersFor(d, way);
          const { flags, suggestions } = await screen(target, d.code, answers);
          expect(flags[flag.id], JSON.stringify(answers)).toEqual(order(d, way.map((a) => a.question)));
          for (const r of d.referrals.filter((r) => r.flags.includes(flag.id))) expect(suggestions).toContain(r.id);
          for (const atom of way) {
            const undone = { ...answers, [atom.question]: calm(d, question(d, atom.question)) };
            expect((await screen(target, d.code, undone)).flags[flag.id], `${JSON.stringify(way)} without ${atom.question}`).toBeUndefined();
          }
        }
      });

      it(`${flag.id}: not raised by any other answers (every other question at its riskiest)`, async () => {
        const { flags } = await screen(await newCase(), d.code, riskyExcept(d, own));
        expect(flags[flag.id]).toBeUndefined();
        // Flags that share no question (nor a question their skip logic needs) with this one are up: the answers were risky.
        const independent = d.flags.filter((g) => g.id !== flag.id && atomsOf(g.when).every((a) => ![a.question, ...ancestors(d, a.question)].some((q) => own.has(q))) && atomsOf(g.when).length > 0);
        for (const g of independent) expect(flags[g.id], g.id).toBeDefined();
      });
    }

    it('a new version without its first flag leaves the answers given under the old one readable, with their own questions and flags', async () => {
      const code = `v_${d.code.slice(0, 40)}_${randomUUID().slice(0, 6)}`;
      const dropped = d.flags[0]!;
      const v1 = { ...d, code, version: 1 };
      expect((await admin.post('/api/v1/screenings/instruments', v1)).status).toBe(201);
      const target = await newCase();
      const answers = answersFor(d, ways(d, dropped.when)[0]!);
      const old = await screen(target, code, answers);
      expect(old.flags[dropped.id]).toBeDefined();

      const v2 = {
        ...v1,
        version: 2,
        flags: d.flags.filter((f) => f.id !== dropped.id),
        referrals: d.referrals.map((r) => ({ ...r, flags: r.flags.filter((f) => f !== dropped.id) })).filter((r) => r.flags.length > 0),
      };
      const added = await admin.post('/api/v1/screenings/instruments', v2);
      expect(added.status, added.text).toBe(201);

      const kept = await caseworker.get(`/api/v1/screenings/${old.id}`);
      expect(kept.body.instrument).toMatchObject({ version: 1, latest_version: 2 });
      expect(kept.body.definition.flags.map((f: { id: string }) => f.id)).toContain(dropped.id);
      expect(kept.body.result.flags.find((f: { id: string }) => f.id === dropped.id).because).toEqual(old.flags[dropped.id]);
      for (const [id, value] of Object.entries(answers)) {
        const given = kept.body.answers.find((a: { question_id: string }) => a.question_id === id);
        if (given) expect(given.value, id).toEqual(typeof value === 'string' && question(d, id).type === 'text' ? value.trim() : value);
      }
      const fresh = await screen(target, code, answers);
      expect(fresh.flags[dropped.id]).toBeUndefined();
      expect((await caseworker.get(`/api/v1/screenings/${fresh.id}`)).body.instrument.version).toBe(2);
    });
  });
}
