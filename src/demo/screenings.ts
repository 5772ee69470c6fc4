import { sql } from 'kysely';
import type { Db } from '../platform/db/database.ts';
import type { FieldCipher } from '../platform/crypto/field-encryption.ts';
import type { Actor } from '../platform/auth/policy.ts';
import { Random } from '../platform/random.ts';
import { completeScreening, saveAnswers, startScreening } from '../screenings/screening.service.ts';

/**
 * A few screenings in the demo (seed, section I: the Cartilla for migrant women and the protocol for
 * detecting trafficking victims): women with open case files screened by their institution's
 * supervisor, through the module's services, then dated within the case's life and no later than a
 * week before the demo's end, so that lists and statistics show them in past periods.
 */

type Script = { instrument: string; answers: Record<string, string | number | string[]> };

const SCRIPTS: Script[] = [
  { instrument: 'violence_women', answers: { physical: 'yes', sexual: 'no', psychological: 'yes', economic: 'no', aggressor: ['partner'], danger_now: 'yes', observations: 'Salió de su casa con sus dos hijos; la expareja la buscó en la terminal de autobuses.' } },
  { instrument: 'violence_women', answers: { physical: 'no', sexual: 'yes', psychological: 'no', economic: 'yes', aggressor: ['smuggler'], within_72h: 'no', pregnant: 'no' } },
  { instrument: 'violence_women', answers: { physical: 'no', sexual: 'no', psychological: 'no', economic: 'no', pregnant: 'yes' } },
  { instrument: 'trafficking_indicators', answers: { job_offer: 'yes', deceived: 'yes', documents_held: 'yes', debt: 'yes', debt_grows: 'yes', free_to_leave: 'no', threats: 'no', forced: 'yes', forced_kinds: ['labour'], paid: 'partial', observations: 'Le ofrecieron trabajo en un restaurante; trabajaba en una finca sin poder salir.' } },
  { instrument: 'trafficking_indicators', answers: { job_offer: 'no', documents_held: 'no', debt: 'no', free_to_leave: 'yes', threats: 'no', forced: 'no', paid: 'not_working' } },
  { instrument: 'international_protection', answers: { fear_return: 'yes', reasons: ['gangs'], targeted: 'yes', torture_risk: 'no', applied_comar: 'no', days_in_mexico: 40 } },
  { instrument: 'international_protection', answers: { fear_return: 'yes', reasons: ['gender'], targeted: 'yes', torture_risk: 'yes', applied_comar: 'yes', days_in_mexico: 12 } },
  { instrument: 'international_protection', answers: { fear_return: 'no', torture_risk: 'no', applied_comar: 'no', days_in_mexico: 90 } },
];

export async function loadScreeningsDemo(db: Db, cipher: FieldCipher, options: { seed: number; supervisors: Map<string, string>; now?: Date }): Promise<{ screenings: number }> {
  const random = new Random(options.seed + 15);
  const now = options.now ?? new Date();
  const lastWeek = new Date(now.getTime() - 7 * 86_400_000);
  let count = 0;
  for (const [institutionId, supervisorId] of options.supervisors) {
    if (count >= SCRIPTS.length * 2) break;
    const cases = await db
      .selectFrom('cases')
      .innerJoin('case_participants', 'case_participants.case_id', 'cases.id')
      .innerJoin('people', 'people.id', 'case_participants.person_id')
      .select(['cases.id', 'cases.opened_on', 'people.id as person_id'])
      .where('cases.institution_id', '=', institutionId)
      .where('cases.status', '<>', 'closed')
      .where('people.sex', '=', 'female')
      .where('cases.opened_on', '<', sql<string>`${lastWeek.toISOString().slice(0, 10)}::date`)
      .orderBy('cases.opened_on', 'desc')
      .limit(2)
      .execute();
    const actor: Actor = { userId: supervisorId, institutionId, role: 'supervisor', isPlatformAdmin: false, ip: null };
    for (const c of cases) {
      const script = SCRIPTS[count % SCRIPTS.length]!;
      const { id } = await startScreening(db, actor, c.id, { instrument: script.instrument, person_id: c.person_id }, 'es');
      await saveAnswers(db, cipher, actor, id, { answers: Object.entries(script.answers).map(([question_id, value]) => ({ question_id, value })) });
      await completeScreening(db, cipher, actor, id);
      // Within the case's life, at the latest a week before the demo's end.
      const opened = Date.parse(`${c.opened_on}T15:00:00Z`);
      const at = new Date(Math.min(lastWeek.getTime(), opened + random.int(1, 20) * 86_400_000));
      await db.updateTable('screenings').set({ started_at: at, completed_at: new Date(at.getTime() + 40 * 60_000), updated_at: new Date(at.getTime() + 40 * 60_000) }).where('id', '=', id).execute();
      count++;
    }
  }
  return { screenings: count };
}
