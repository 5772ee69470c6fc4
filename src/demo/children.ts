import type { Db } from '../platform/db/database.ts';
import type { FieldCipher } from '../platform/crypto/field-encryption.ts';
import type { Actor } from '../platform/auth/policy.ts';
import { isoDaysAfter, localDate } from '../platform/dates.ts';
import { Random } from '../platform/random.ts';
import { createUser } from '../users/user.service.ts';
import { createPerson } from '../people/person.service.ts';
import { openChildFile } from '../children/child-file.service.ts';
import { addMeasure } from '../children/plan.service.ts';
import { createFacility, placeChild } from '../children/care.service.ts';
import { acceptUndertaking, addPanelMember, approveDetermination, openDetermination, recordAssessment, recordDecision, recordPosition } from '../children/best-interests.service.ts';
import { favourableVerification, recordFollowup, recordReunification, startVerification, updateVerification } from '../children/reunification.service.ts';
import { createTracingRequest } from '../children/tracing.service.ts';
import { randomName } from './names.ts';
import { DEMO_EMAIL_DOMAIN } from './catalogue.ts';

const PROCURADURIA = 'PPNNACHIS';

const asActor = (userId: string, institutionId: string, role: Actor['role']): Actor => ({ userId, institutionId, role, isPlatformAdmin: false, ip: null });

/**
 * Child protection in the demo, written through the module's own services (so every rule holds): the
 * Chiapas Procuraduría's officer keeps a dozen files over the last months, children placed with
 * family or in a care centre, some measures overdue, one asylum claim open, and one child reunified
 * with her mother after a panel's determination, followed up.
 */
export async function loadChildrenDemo(db: Db, cipher: FieldCipher, options: { seed: number; institutionIds: Map<string, string>; supervisorId: string; caseworkerId: string; password: string; now?: Date }) {
  const random = new Random(options.seed ^ 0xc41d);
  const institutionId = options.institutionIds.get(PROCURADURIA)!;
  const today = localDate(options.now ?? new Date());
  const users: { email: string; role: string; institution: string }[] = [];
  const addUser = async (local: string, role: Actor['role']) => {
    const name = randomName(random, 'female', 'mx');
    const email = `${local}.${PROCURADURIA.toLowerCase()}${DEMO_EMAIL_DOMAIN}`;
    const { id } = await createUser(db, null, { email, display_name: [name.given_names, name.surname1].join(' '), password: options.password, institution_id: institutionId, role });
    users.push({ email, role, institution: PROCURADURIA });
    return id;
  };
  const officerId = await addUser('proteccion', 'child_protection_officer');
  const psychologistId = await addUser('psicologia', 'child_protection_officer');
  // The third member of the panel: one of the Procuraduría's caseworkers, a lawyer.
  const lawyerId = options.caseworkerId;
  const officer = asActor(officerId, institutionId, 'child_protection_officer');
  const supervisor = asActor(options.supervisorId, institutionId, 'supervisor');

  const cas = await createFacility(db, officer, { name: 'CAS Casa Hogar Tapachula (DIF)', kind: 'cas', state: '07', capacity: 12 });
  let reunified = false;
  const traced: { name: ReturnType<typeof randomName>; sex: 'female' | 'male'; age: number; nationality: string; identifiedOn: string }[] = [];
  for (let i = 0; i < 12; i++) {
    const female = random.chance(0.5);
    const [nationality, style] = random.pick([['HND', 'es'], ['GTM', 'mayan'], ['SLV', 'es'], ['NIC', 'es'], ['HND', 'es']] as const);
    const name = randomName(random, female ? 'female' : 'male', style);
    const identifiedDaysAgo = random.int(8, 330);
    const identifiedOn = isoDaysAfter(today, -identifiedDaysAgo);
    const age = random.int(4, 17);
    const child = await createPerson(db, cipher, officer, {
      given_names: name.given_names,
      surname1: name.surname1,
      surname2: name.surname2,
      sex: female ? 'female' : 'male',
      estimated_age: age,
      age_estimated_on: identifiedOn,
      nationalities: [nationality],
    } as Parameters<typeof createPerson>[3]);
    const identifiedAt = new Date(`${identifiedOn}T${String(random.int(8, 19)).padStart(2, '0')}:00:00-06:00`);
    const claimOpen = i % 5 === 1;
    const file = await openChildFile(db, cipher, officer, {
      person_id: child.id,
      opened_on: identifiedOn,
      accompaniment: random.pick(['unaccompanied', 'unaccompanied', 'separated', 'accompanied']),
      identified_at: identifiedAt.toISOString(),
      identified_how: random.pick(['migration_authority', 'shelter', 'border_crossing', 'consulate']),
      identified_state: '07',
      notified_at: new Date(identifiedAt.getTime() + random.int(1, 60) * 3_600_000).toISOString(),
      notified_by: random.pick(['INM Tapachula', 'Albergue Belén', 'Consulado de Honduras']),
      interpreter: 'not_needed',
      views: random.pick(['Quiero estar con mi mamá.', 'Quiero ir a la escuela.', 'No quiero regresar a mi país.', 'Quiero que busquen a mi tía.']),
      wishes_tracing: 'yes',
      wishes_reunification: random.pick(['yes', 'later']),
      // The third child has not been asked yet: the request for her is matched, and the match hidden.
      tracing_consent: i === 2 ? 'not_asked' : i === 3 || random.chance(0.7) ? 'given' : 'not_asked',
      protection_claim: claimOpen ? 'open' : 'none',
      ...(claimOpen ? { protection_claim_on: identifiedOn } : {}),
    });
    await addMeasure(db, officer, file.id, { right_affected: 'health', legal_basis: 'LGDNNA art. 50', measure_type: 'restitution', measure: 'medical_care', responsible_institution: 'Centro de Salud Tapachula', frequency: 'once', due_on: isoDaysAfter(identifiedOn, 7) });
    await addMeasure(db, officer, file.id, { right_affected: 'education', legal_basis: 'LGDNNA art. 57', measure_type: 'restitution', measure: 'school_enrolment', responsible_institution: 'SEP Chiapas', frequency: 'once', due_on: isoDaysAfter(identifiedOn, 30) });
    if (i % 3 === 0) {
      await placeChild(db, cipher, officer, file.id, { care_type: 'residential', facility_id: cas.id, started_on: identifiedOn, justification: 'No hubo familia de acogida disponible en la región al momento de la identificación.' });
    } else {
      await placeChild(db, cipher, officer, file.id, { care_type: random.pick(['kinship', 'foster_family']), place: 'Tapachula, Chiapas', started_on: identifiedOn });
    }
    if (i === 2 || i === 3) traced.push({ name, sex: female ? 'female' : 'male', age, nationality, identifiedOn });
    await recordAssessment(db, cipher, officer, file.id, { kind: 'assessment_short', findings: 'Se encuentra sano/a; refiere haber viajado con un grupo desde la frontera sur.', decision: 'trace_family' });

    // One child, identified months ago, reunified with her mother after a panel's determination.
    if (!reunified && identifiedDaysAgo > 240 && !claimOpen) {
      reunified = true;
      const determination = await openDetermination(db, cipher, officer, file.id, { evidence: 'Evaluación breve, entrevistas por separado, documentos de la madre.', child_views: 'Quiere vivir con su mamá.', panel_until: isoDaysAfter(today, 30) });
      const panel = [
        [officerId, 'child_protection', 'Procuraduría de Protección de NNA de Chiapas'],
        [psychologistId, 'psychology', 'Procuraduría de Protección de NNA de Chiapas'],
        [lawyerId, 'law', 'DIF Estatal Chiapas'],
      ] as const;
      for (const [userId, profession, memberInstitution] of panel) {
        await addPanelMember(db, officer, file.id, determination.id, { user_id: userId, profession, member_institution: memberInstitution });
        const member = asActor(userId, institutionId, userId === lawyerId ? 'caseworker' : 'child_protection_officer');
        await acceptUndertaking(db, member, determination.id);
        await recordPosition(db, cipher, member, determination.id, { position: 'agree' });
      }
      await recordDecision(db, cipher, officer, file.id, determination.id, { decision: 'reunify_family', reasons: 'La madre quiere y puede cuidarla; la niña lo pide.', review_on: isoDaysAfter(today, 90) });
      await approveDetermination(db, supervisor, file.id, determination.id);
      const mother = await createPerson(db, cipher, officer, { given_names: randomName(random, 'female', 'mx').given_names, surname1: name.surname1, sex: 'female', estimated_age: 34, age_estimated_on: identifiedOn, nationalities: child.nationalities } as Parameters<typeof createPerson>[3]);
      const visitOn = isoDaysAfter(identifiedOn, 20);
      // The checks first, the recommendation once they are all in.
      const { recommendation, ...checks } = favourableVerification(visitOn);
      const verification = await startVerification(db, cipher, officer, file.id, { adult_person_id: mother.id, relationship: 'mother', ...checks });
      await updateVerification(db, cipher, officer, file.id, verification.id, { recommendation });
      const reunifiedOn = isoDaysAfter(identifiedOn, 35);
      const reunification = await recordReunification(db, officer, file.id, { verification_id: verification.id, determination_id: determination.id, reunified_on: reunifiedOn, place: 'mexico', country: 'MEX', followup_months: [1, 3, 6] });
      const { rows } = { rows: await db.selectFrom('reunification_followups').select(['id', 'due_on']).where('reunification_id', '=', reunification.id).orderBy('due_on').execute() };
      for (const f of rows.filter((r) => r.due_on < today).slice(0, 2)) await recordFollowup(db, cipher, officer, file.id, reunification.id, f.id, { visited_on: f.due_on, outcome: 'well', notes: 'Asiste a la escuela; la madre trabaja en Tapachula.' });
    }
  }
  // Family tracing: a mother asks for the fourth child in person, and an aunt for the third through the
  // consulate in Houston, both last week. The engine proposes both pairs; only the fourth child's
  // consent is recorded, so only her match is in the review queue (the third's appears once she consents).
  const [hidden, shown] = traced;
  for (const [child, request] of [
    [shown!, { channel: 'in_person' as const, consulate_country: null, requester_relationship: 'mother' as const, requester_name: `${randomName(random, 'female', 'es').given_names} ${shown!.name.surname1} ${shown!.name.surname2 ?? ''}`.trim(), days: 6 }],
    [hidden!, { channel: 'consulate' as const, consulate_country: 'USA', requester_relationship: 'aunt_uncle' as const, requester_name: `${randomName(random, 'female', 'es').given_names} ${hidden!.name.surname2 ?? hidden!.name.surname1}`, days: 8 }],
  ] as const) {
    const receivedOn = isoDaysAfter(today, -request.days);
    await createTracingRequest(db, cipher, officer, {
      channel: request.channel,
      consulate_country: request.consulate_country,
      received_on: receivedOn,
      requester_name: request.requester_name,
      requester_relationship: request.requester_relationship,
      requester_country: child.nationality,
      contact: '+504 9000 0000',
      circumstances: 'Se separaron en la frontera sur; no ha sabido de ella desde entonces.',
      children: [{ given_names: child.name.given_names, surname1: child.name.surname1, surname2: child.name.surname2 ?? null, sex: child.sex, estimated_age: child.age, age_estimated_on: child.identifiedOn, nationality: child.nationality }],
    });
  }
  return { users, files: 12 };
}
