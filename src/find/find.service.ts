import type { Db } from '../platform/db/database.ts';
import { appendAudit } from '../platform/audit/audit.ts';
import { can, type Actor } from '../platform/auth/policy.ts';
import { ageOn, localDate } from '../platform/dates.ts';
import { searchPersons } from '../search/engine.ts';
import { findCases } from '../cases/case.service.ts';
import { findComplaintsByFolio } from '../complaints/handling.service.ts';
import { findMissingByFolio } from '../missing/missing.service.ts';
import type { FindResult } from './find.schema.ts';
import { fullName } from '../platform/names.ts';

export type Understood = { name: string | null; date_of_birth: string | null; sex: string | null; folios: string[] };

const SEX_WORDS: Record<string, string> = { mujer: 'female', femenino: 'female', female: 'female', woman: 'female', hombre: 'male', masculino: 'male', male: 'male', man: 'male' };
const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const DAY_FIRST = /^(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})$/;
// Folios: case files CODE-2025-000123, complaints Q-2025-AB12-CD34, missing persons B-… / H-…
const FOLIO = /^[A-Z][A-Z0-9]{0,11}(-[A-Z0-9]{2,8}){2,3}$/i;

function validDate(y: string, m: string, d: string): string | null {
  const iso = `${y}-${m.padStart(2, '0')}-${d.padStart(2, '0')}`;
  const date = new Date(`${iso}T00:00:00Z`);
  return Number.isNaN(date.getTime()) || date.toISOString().slice(0, 10) !== iso ? null : iso;
}

/**
 * What the search box understood: folios, a date of birth (2025-03-10 or 10/03/2025), a sex word, and
 * the rest as a name. Plain functions, no database: the screen shows back what was understood.
 */
export function understand(q: string): Understood {
  const words: string[] = [];
  const folios: string[] = [];
  let dateOfBirth: string | null = null;
  let sex: string | null = null;
  for (const token of q.split(/\s+/).filter(Boolean)) {
    const lower = token.toLowerCase().replace(/[.,;:]$/, '');
    const iso = ISO_DATE.exec(lower);
    const dayFirst = DAY_FIRST.exec(lower);
    if (!dateOfBirth && (iso || dayFirst)) {
      dateOfBirth = iso ? validDate(iso[1]!, iso[2]!, iso[3]!) : validDate(dayFirst![3]!, dayFirst![2]!, dayFirst![1]!);
      if (dateOfBirth) continue;
    }
    if (!sex && SEX_WORDS[lower]) {
      sex = SEX_WORDS[lower]!;
      continue;
    }
    if (FOLIO.test(token) && /\d/.test(token)) {
      folios.push(token.toUpperCase());
      continue;
    }
    words.push(token);
  }
  const name = words.join(' ').trim();
  return { name: /\p{L}.*\p{L}/u.test(name) ? name : null, date_of_birth: dateOfBirth, sex, folios };
}

/**
 * Find anything from anywhere: people by name (the name-matching engine, with date of birth and sex
 * when typed), case files by folio and the cases of the people found, complaints and missing-person
 * records by folio; each group only for the roles that may see it, only the actor's institution's
 * records. One audit entry lists every record shown.
 */
export async function findAnything(db: Db, actor: Actor, q: string, limit: number): Promise<FindResult> {
  const understood = understand(q);
  const today = localDate();
  const hits =
    understood.name && can(actor, 'people.read')
      ? await searchPersons(db, actor.institutionId, { text: understood.name, date_of_birth: understood.date_of_birth, sex: understood.sex, nationalities: null }, { limit })
      : [];
  const people = hits.map(({ person, result }) => {
    const { age, estimate } = ageOn(person, today);
    return {
      id: person.id,
      name: fullName(person),
      sex: person.sex,
      age,
      age_is_estimate: estimate,
      date_of_birth: person.date_of_birth ?? null,
      nationalities: person.nationalities,
      score: Math.round(result.probability * 1000) / 1000,
    };
  });
  // The cases of the most likely people, so that a person's file is one step from the search box.
  const likely = people.filter((p) => p.score >= 0.5).slice(0, 3).map((p) => p.id);
  const [cases, complaints, missing] = await Promise.all([
    findCases(db, actor, { folios: understood.folios, personIds: likely, limit }),
    findComplaintsByFolio(db, actor, understood.folios),
    findMissingByFolio(db, actor, understood.folios),
  ]);
  await appendAudit(db, {
    institutionId: actor.institutionId,
    actorUserId: actor.userId,
    action: 'find.searched',
    recordType: 'search',
    ip: actor.ip,
    detail: { person_ids: people.map((p) => p.id), case_ids: cases.map((c) => c.id), complaint_ids: complaints.map((c) => c.id), missing_ids: missing.map((m) => m.id) },
  });
  return { understood: { ...understood, name: understood.name !== null }, people, cases, complaints, missing };
}
