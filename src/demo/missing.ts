import type { Db } from '../platform/db/database.ts';
import type { FieldCipher } from '../platform/crypto/field-encryption.ts';
import { appendAudit } from '../platform/audit/audit.ts';
import { insertFound, insertReport, reportReceipts, type ReportInput } from '../missing/missing.service.ts';
import type { NewFound } from '../missing/missing.schema.ts';
import { drainMatchingQueue } from '../missing/matching.ts';
import { randomName, type NameStyle } from './names.ts';
import { Random } from '../platform/random.ts';
import { localDate, isoDaysAfter } from '../platform/dates.ts';

/**
 * The demo's search for missing migrants: reports taken by the national search commission and by
 * consulates (Mecanismo de Apoyo Exterior), persons found alive in shelters and rescues, and
 * unidentified remains in Sonora; about a third of the reports have their person among the found
 * records, written the way another office would write them. Matching runs once at the end, so the
 * review queue is full when the demo starts. One report gets an access code, printed at start-up, to
 * try the family's page.
 */

const MOTIFS = ['ancla', 'escorpión', 'golondrina', 'rosa', 'virgen de Guadalupe', 'calavera', 'dragón', 'corazón', 'estrella', 'mariposa', 'cruz', 'águila', 'lobo', 'tigre', 'rosario'];
const PLACES = ['antebrazo derecho', 'antebrazo izquierdo', 'espalda', 'pecho', 'cuello', 'mano derecha', 'pierna izquierda'];
const CLOTHES = ['pantalón de mezclilla azul', 'sudadera gris', 'playera negra', 'gorra roja', 'tenis blancos', 'chamarra verde', 'botas negras', 'camisa a cuadros', 'mochila azul'];
const ROUTES = ['Tapachula – Arriaga – Ixtepec', 'Tenosique – Coatzacoalcos', 'Tapachula – Altar (Sonora)', 'Reynosa – cruce del río Bravo', 'Ciudad Juárez – desierto de Chihuahua'];
const LAST_SEEN_STATES = ['07', '27', '30', '20', '28', '26', '08', '02'];
const NATIONALITY_STYLE: [string, NameStyle][] = [['HND', 'es'], ['GTM', 'mayan'], ['SLV', 'es'], ['MEX', 'mx'], ['HTI', 'haitian'], ['NIC', 'es']];

type Person = { given_names: string; surname1: string | null; surname2: string | null; sex: 'female' | 'male'; age: number; nationality: string; height: number; marks: string | null; clothing: string };

/** The name as another office writes it: abbreviated, unaccented, upper case, half of a compound, one surname. */
function rewrite(random: Random, p: Person): Pick<Person, 'given_names' | 'surname1' | 'surname2'> {
  let given = p.given_names;
  let surname2 = p.surname2;
  if (random.chance(0.3)) given = given.replace(/^María\b/, 'Ma.').replace(/^José\b/, 'J.').replace(/^Guadalupe\b/, 'Lupe').replace(/^Francisco\b/, 'Pancho');
  if (given.includes(' ') && random.chance(0.3)) given = given.split(' ')[random.chance(0.5) ? 0 : 1]!;
  if (random.chance(0.3)) surname2 = null;
  const fold = (s: string | null) => (s ? s.normalize('NFD').replace(/\p{M}/gu, '') : s);
  const upper = random.chance(0.4);
  const write = (s: string | null) => (s && upper ? fold(s)!.toUpperCase() : random.chance(0.3) ? fold(s) : s);
  return { given_names: write(given)!, surname1: write(p.surname1), surname2: write(surname2) };
}

export async function loadMissingDemo(db: Db, cipher: FieldCipher, options: { seed: number; institutionIds: Map<string, string>; officers: Map<string, string>; now?: Date }): Promise<{ reports: number; found: number; proposed: number; sample: { folio: string; receipt: string } }> {
  const random = new Random(options.seed ^ 0xb05c);
  // Last seen over the 24 months up to a fortnight ago; found since, never after today.
  const today = localDate(options.now ?? new Date());
  const start = isoDaysAfter(today, -730);
  const notAfterToday = (date: string) => (date > today ? today : date);
  const reporters = ['CNB', 'CONSHOU', 'CONSLAX'];
  const people: Person[] = [];
  for (let i = 0; i < 240; i++) {
    const [nationality, style] = random.pick(NATIONALITY_STYLE);
    const sex = random.chance(0.7) ? 'male' : 'female';
    const name = randomName(random, sex, style);
    const tattoos = random.chance(0.4) ? `Tatuaje de ${random.pick(MOTIFS)} y ${random.pick(MOTIFS)} en ${random.pick(PLACES)}` : random.chance(0.3) ? `Cicatriz en ${random.pick(PLACES)}` : null;
    people.push({ ...name, sex, age: random.int(16, 55), nationality, height: sex === 'male' ? random.int(158, 182) : random.int(148, 168), marks: tattoos, clothing: `${random.pick(CLOTHES)}, ${random.pick(CLOTHES)}` });
  }
  const hasher = reportReceipts(cipher);
  let sample: { folio: string; receipt: string } | null = null;
  let reports = 0;
  let found = 0;
  await db.transaction().execute(async (trx) => {
    for (const [i, p] of people.entries()) {
      const code = reporters[i % reporters.length]!;
      const lastSeen = isoDaysAfter(start, random.int(0, 716));
      const report: ReportInput = {
        channel: code === 'CNB' ? (random.chance(0.5) ? 'in_person' : 'phone') : 'consulate',
        given_names: p.given_names,
        surname1: p.surname1,
        surname2: p.surname2,
        other_names: [],
        sex: p.sex,
        age_min: p.age - 1,
        age_max: p.age + 1,
        age_on: lastSeen,
        nationalities: [p.nationality],
        languages: p.nationality === 'HTI' ? ['hat', 'fra'] : ['spa'],
        height_min_cm: p.height - 3,
        height_max_cm: p.height + 3,
        marks: p.marks,
        clothing: p.clothing,
        documents: [],
        last_seen_on: lastSeen,
        last_seen_country: 'MEX',
        last_seen_state: random.pick(LAST_SEEN_STATES),
        route: random.pick(ROUTES),
        circumstance: 'Se comunicó por última vez con su familia durante el trayecto hacia la frontera norte.',
        reporter: { name: randomName(random, random.chance(0.7) ? 'female' : 'male', 'es').given_names, relationship: random.pick(['mother', 'sibling', 'spouse', 'father', 'child'] as const), country: p.nationality },
        dna_reference_taken: random.chance(0.4),
        dna_custodian: null,
      };
      if (report.dna_reference_taken) report.dna_custodian = 'Comisión Nacional de Búsqueda — banco de referencias familiares';
      const { row, receipt } = await insertReport(trx, cipher, i === 0 ? hasher : null, options.institutionIds.get(code)!, options.officers.get(code) ?? null, report);
      if (receipt) sample = { folio: row.folio, receipt };
      reports++;
      // A third are found: alive in a shelter or a rescue (most), or as remains in the Sonoran desert.
      if (i % 3 === 0) {
        const deceased = random.chance(0.2);
        const foundOn = notAfterToday(isoDaysAfter(lastSeen, random.int(5, 300)));
        const named = !deceased || random.chance(0.3);
        const record: NewFound = {
          ...(named ? rewrite(random, p) : { given_names: null, surname1: null, surname2: null }),
          other_names: [],
          condition: deceased ? 'deceased' : 'alive',
          situation: deceased ? 'remains' : random.pick(['rescued', 'shelter', 'migration_station', 'hospital'] as const),
          sex: p.sex,
          age_min: p.age - 4,
          age_max: p.age + 5,
          nationalities: named ? [p.nationality] : [],
          languages: [],
          height_min_cm: p.height - 5,
          height_max_cm: p.height + 5,
          marks: p.marks ? p.marks.replace(/^Tatuaje de /, 'tatuajes: ') : null,
          clothing: random.pick(CLOTHES),
          documents: [],
          found_on: foundOn,
          found_country: 'MEX',
          found_state: deceased ? '26' : random.pick(['26', '08', '28', '07']),
          found_place: deceased ? 'Desierto de Altar' : 'Albergue',
          death_from: deceased ? isoDaysAfter(lastSeen, 1) : null,
          death_to: deceased ? foundOn : null,
          custodian_name: deceased ? 'Servicio Médico Forense de Hermosillo' : null,
          custodian_file_number: deceased ? `SEMEFO-${foundOn.slice(0, 4)}-${String(i).padStart(4, '0')}` : null,
        };
        await insertFound(trx, cipher, options.institutionIds.get(deceased ? 'CNB' : 'ALB2')!, options.officers.get('CNB') ?? null, record);
        found++;
      }
    }
    // Persons found whom nobody has reported (yet).
    for (let i = 0; i < 60; i++) {
      const sex = random.chance(0.75) ? 'male' : 'female';
      const name = randomName(random, sex, random.pick(NATIONALITY_STYLE)[1]);
      await insertFound(trx, cipher, options.institutionIds.get('ALB2')!, null, {
        ...name,
        other_names: [],
        condition: 'alive',
        situation: 'shelter',
        sex,
        age_min: random.int(18, 40),
        age_max: random.int(41, 45),
        nationalities: [],
        languages: [],
        documents: [],
        found_on: isoDaysAfter(start, random.int(0, 730)),
        found_country: 'MEX',
        found_state: '26',
      });
      found++;
    }
    await trx.updateTable('missing_settings').set({ public_institution_id: options.institutionIds.get('CNB')! }).execute();
    await appendAudit(trx, { institutionId: options.institutionIds.get('CNB')!, actorUserId: null, action: 'demo.loaded', recordType: 'demo', detail: { missing_reports: reports, found_records: found } });
  });
  const run = await drainMatchingQueue(db);
  return { reports, found, proposed: run.proposed, sample: sample! };
}
