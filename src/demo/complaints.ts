import type { Db } from '../platform/db/database.ts';
import type { FieldCipher } from '../platform/crypto/field-encryption.ts';
import { RecordCipher } from '../platform/crypto/content-key.ts';
import { unlockUserKey } from '../platform/crypto/user-keys.ts';
import type { Actor } from '../platform/auth/policy.ts';
import { createInstitution } from '../institutions/institution.service.ts';
import { createUser } from '../users/user.service.ts';
import { complaintRuntime } from '../complaints/context.ts';
import { complainantReply, submitComplaint } from '../complaints/intake.service.ts';
import { assignComplaint, changeStatus, sendMessage } from '../complaints/handling.service.ts';
import { addRoutingRule, updateSettings } from '../complaints/settings.service.ts';
import type { ComplaintIntake } from '../complaints/complaint.schema.ts';
import { Random } from '../platform/random.ts';
import { DEMO_EMAIL_DOMAIN } from './catalogue.ts';

/**
 * The demo's complaints (seed, section III, objective 17): two receiving units — the internal control
 * body of the migration institute (default unit) and the National Guard's internal affairs (by rule) —
 * with their complaint handlers, and complaints in several statuses received by web, phone and in
 * person. Everything goes through the module's services, so each complaint is sealed to its unit's key
 * pair exactly as in production. One complaint waits for the complainant's answer; its folio and
 * receipt are printed at start-up.
 */

type Story = Pick<ComplaintIntake, 'kind' | 'narrative' | 'state_code' | 'place_type' | 'authority_type'> & { municipality?: string; badge_number?: string; vehicle_number?: string };

const STORIES: Story[] = [
  { kind: 'grievance', narrative: 'En el punto de revisión nos bajaron del autobús y el agente nos pidió 500 pesos a cada uno para dejarnos seguir. A quien no pagó le rompieron su documento de la COMAR.', state_code: '07', municipality: 'Huixtla', place_type: 'checkpoint', authority_type: 'migration_institute', badge_number: 'INM-2231' },
  { kind: 'report', narrative: 'Dos elementos de la Guardia Nacional nos detuvieron en la carretera, se quedaron con nuestros teléfonos y el dinero que llevábamos. La patrulla tenía el número 4417.', state_code: '20', municipality: 'Juchitán de Zaragoza', place_type: 'road', authority_type: 'national_guard', vehicle_number: 'GN-4417' },
  { kind: 'grievance', narrative: 'En la estación migratoria no nos dejaron llamar al consulado ni a un abogado durante cuatro días. A mi hija de 10 años la separaron de mí.', state_code: '07', municipality: 'Tapachula', place_type: 'migration_station', authority_type: 'migration_institute' },
  { kind: 'petition', narrative: 'Pido que me informen en qué estado está mi solicitud de refugio. En la oficina me dicen que vuelva cada semana y no me dan ningún papel.', state_code: '07', municipality: 'Tapachula', place_type: 'public_office', authority_type: 'migration_institute' },
  { kind: 'grievance', narrative: 'En el hospital no quisieron atender a mi esposa embarazada porque no teníamos CURP. Nos dijeron que fuéramos a otro lado.', state_code: '26', municipality: 'Hermosillo', place_type: 'hospital', authority_type: 'health_services' },
  { kind: 'report', narrative: 'Policías municipales entraron al albergue de noche y se llevaron a tres muchachos hondureños. No dijeron a dónde. Uno de ellos es menor de edad.', state_code: '28', municipality: 'Reynosa', place_type: 'shelter', authority_type: 'municipal_police' },
  { kind: 'grievance', narrative: 'En el cruce fronterizo el agente me insultó por ser haitiano y me dijo que la gente como yo no tiene derechos aquí.', state_code: '02', municipality: 'Tijuana', place_type: 'border_crossing', authority_type: 'migration_institute' },
  { kind: 'report', narrative: 'En la central de autobuses un oficial revisó los boletos solo de las personas morenas y nos hizo bajar; a los demás no les pidió nada.', state_code: '30', municipality: 'Coatzacoalcos', place_type: 'bus_station', authority_type: 'national_guard' },
  { kind: 'grievance', narrative: 'El funcionario de la fiscalía no quiso recibir mi denuncia por el secuestro de mi hermano; dijo que como migrante primero tenía que regularizarme.', state_code: '08', municipality: 'Ciudad Juárez', place_type: 'public_office', authority_type: 'state_prosecutor' },
  { kind: 'petition', narrative: 'Solicito copia del acta que levantaron cuando me regresaron a Guatemala, porque se quedaron con mi pasaporte y no me lo devolvieron.', state_code: '27', municipality: 'Tenosique', place_type: 'migration_station', authority_type: 'migration_institute' },
  { kind: 'report', narrative: 'Al bajar del tren, soldados nos golpearon con las culatas para que corriéramos. Un señor se cayó y se lastimó la pierna y nadie lo atendió.', state_code: '30', municipality: 'Las Choapas', place_type: 'train', authority_type: 'armed_forces' },
  { kind: 'grievance', narrative: 'Personal del DIF me dijo que si no firmaba un papel que no entendí me iban a quitar a mis hijos. El papel estaba solo en español y yo hablo kreyòl.', state_code: '07', municipality: 'Tapachula', place_type: 'public_office', authority_type: 'child_protection' },
];

const HANDLER_NAMES = ['Lucía Herrera Campos', 'Andrés Salgado Ortiz', 'Marisol Quintero Vela'];

export type DemoComplaints = { complaints: number; users: Array<{ email: string; role: string; institution: string }>; sample: { folio: string; receipt: string } };

export async function loadComplaintsDemo(db: Db, cipher: FieldCipher, options: { seed: number; password: string }): Promise<DemoComplaints> {
  const random = new Random(options.seed ^ 0xc0de);
  // Complaint handlers need a second factor by default (issue 14). The demo's two units turn that
  // default off, so that anyone can try the inboxes with the shared password and no authenticator app;
  // the README's demo section says so and how to turn it back on.
  const demoUnit = { type: 'federal_agency', state_code: '09', complaint_handlers_mfa: false } as const;
  const oic = await createInstitution(db, null, { code: 'OICINM', name: 'Órgano Interno de Control en el Instituto Nacional de Migración — Área de Quejas', ...demoUnit });
  const gn = await createInstitution(db, null, { code: 'UAIGN', name: 'Guardia Nacional — Unidad de Asuntos Internos', ...demoUnit });
  const users: DemoComplaints['users'] = [];
  const handlers = new Map<string, Actor[]>();
  for (const [index, [unit, code, localPart]] of ([[oic, 'OICINM', 'quejas1'], [oic, 'OICINM', 'quejas2'], [gn, 'UAIGN', 'quejas']] as const).entries()) {
    const email = `${localPart}.${code.toLowerCase()}${DEMO_EMAIL_DOMAIN}`;
    const created = await createUser(db, null, { email, display_name: HANDLER_NAMES[index]!, password: options.password, institution_id: unit.id, role: 'complaint_handler' });
    const keys = await unlockUserKey(db, created.id, options.password);
    const actor: Actor = { userId: created.id, institutionId: unit.id, role: 'complaint_handler', isPlatformAdmin: false, ip: null, keys: typeof keys === 'object' ? keys : null };
    handlers.set(unit.id, [...(handlers.get(unit.id) ?? []), actor]);
    users.push({ email, role: 'complaint_handler', institution: code });
  }
  await updateSettings(db, null, { default_unit: oic.id });
  await addRoutingRule(db, null, { priority: 10, authority_type: 'national_guard', state_code: null, kind: null, institution_id: gn.id, description: 'Quejas contra la Guardia Nacional' });

  const { hasher } = complaintRuntime(cipher);
  let sample: DemoComplaints['sample'] | null = null;
  for (const [n, story] of STORIES.entries()) {
    const anonymous = random.chance(0.6);
    const channel = n % 4 === 1 ? 'phone' : n % 4 === 3 ? 'in_person' : 'web';
    const occurred = new Date(Date.now() - random.int(2, 60) * 86_400_000).toISOString().slice(0, 10);
    const input: ComplaintIntake = {
      ...story,
      occurred_on: occurred,
      anonymous,
      ...(anonymous ? {} : { contact: { name: 'Persona de contacto (demo)', phone: `+52 962 555 ${String(1000 + n).slice(-4)}` } }),
    };
    const { received, contentKey } = await submitComplaint(db, cipher, hasher, input, { channel, language: 'es', files: [] });
    const unitId = (await db.selectFrom('complaints').select('institution_id').where('id', '=', received.id).executeTakeFirstOrThrow()).institution_id!;
    const [handler, colleague] = handlers.get(unitId)!;
    const step = n % 5;
    if (step === 0) continue; // new, unread
    await assignComplaint(db, handler!, received.id, (random.chance(0.5) && colleague ? colleague : handler)!.userId);
    if (step === 1) {
      await sendMessage(db, cipher, handler!, received.id, { body: '¿Recuerda la fecha y la hora aproximada, y si alguien más vio lo ocurrido?', request_information: true });
      sample ??= { folio: received.folio, receipt: received.receipt };
    } else if (step === 2) {
      await sendMessage(db, cipher, handler!, received.id, { body: '¿Puede describir a la persona servidora pública (uniforme, estatura, algún nombre)?', request_information: true });
      await complainantReply(db, new RecordCipher(contentKey), received.id, { body: 'Traía uniforme gris y una gorra; sus compañeros le decían «el Güero».', files: [] });
    } else if (step === 3) {
      await changeStatus(db, cipher, handler!, received.id, { status: 'admitted', note: 'Hechos verosímiles y competencia de la unidad: se admite.' });
    } else {
      await changeStatus(db, cipher, handler!, received.id, { status: 'not_admitted', reason: 'not_competent', note: 'Corresponde a otra autoridad; se orientó a la persona.' });
    }
  }
  return { complaints: STORIES.length, users, sample: sample! };
}
