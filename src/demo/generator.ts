import { randomUUID } from 'node:crypto';
import { Random } from '../platform/random.ts';
import { randomName, type NameStyle } from './names.ts';
import { DEMO_INSTITUTIONS, REFERRAL_ROUTES, type DemoInstitution, type Region } from './catalogue.ts';

/**
 * Builds the demo data set in memory: people, case files with their participants, services, notes,
 * timeline and referrals. Everything random comes from one seeded generator, so the same seed and
 * size always give the same records (only the ids differ). Writing is demo.ts's job.
 */

export type Staff = { supervisor: string; caseworkers: string[] };

export type DemoPerson = {
  id: string;
  institution: string;
  given_names: string;
  surname1: string | null;
  surname2: string | null;
  sex: 'female' | 'male';
  gender_identity: string | null;
  date_of_birth: string | null;
  estimated_age: number | null;
  age_estimated_on: string | null;
  nationalities: string[];
  country_of_birth: string | null;
  languages: string[];
  disabilities: string[];
  vulnerabilities: string[];
  documents: { type: string; number: string; issuer?: string }[];
  contact: { phone?: string; email?: string; notes?: string } | null;
  location_country: string;
  location_state: string | null;
  location_municipality: string | null;
  created_by: string;
  created_at: Date;
  /** Age in years on the day of first contact. */
  age: number;
};

export type DemoEvent = { at: Date; actor: string; kind: string; data: Record<string, unknown> };

export type DemoCase = {
  id: string;
  institution: string;
  folio: string;
  programme: string;
  status: 'open' | 'in_progress' | 'closed' | 'reopened';
  closure_reason: string | null;
  opened_on: string;
  closed_on: string | null;
  assigned_to: string | null;
  created_by: string;
  created_at: Date;
  updated_at: Date;
  summary: string | null;
  crime_types: string[];
  rights_violations: string[];
  origin_referral_id: string | null;
  participants: { id: string; person: DemoPerson; role: 'direct_victim' | 'indirect_victim' | 'applicant' | 'family_member' | 'guardian'; relationship: string | null }[];
  services: { id: string; person: DemoPerson; service_type: string; provided_on: string; provider_unit: string; notes: string | null; created_by: string; created_at: Date }[];
  notes: { id: string; body: string; author: string; created_at: Date }[];
  events: DemoEvent[];
};

export type DemoReferral = {
  id: string;
  from: DemoCase;
  to: string;
  reason: string;
  consent_recorded_on: string;
  consent_method: 'written' | 'verbal' | 'guardian';
  shared_sections: string[];
  status: 'pending' | 'accepted' | 'declined';
  response_note: string | null;
  responded_by: string | null;
  responded_at: Date | null;
  receiving: DemoCase | null;
  created_by: string;
  created_at: Date;
};

export type DemoDataSet = { people: DemoPerson[]; cases: DemoCase[]; referrals: DemoReferral[]; folioCounters: { institution: string; year: number; last: number }[] };

// ---------------------------------------------------------------------------------------------
// Dates: day numbers (days since 1970-01-01, UTC) are easy to add to and compare.

const DAY = 86_400_000;
const dayOf = (iso: string) => Math.floor(Date.parse(`${iso}T00:00:00Z`) / DAY);
const isoOf = (day: number) => new Date(day * DAY).toISOString().slice(0, 10);
const FIRST_DAY = dayOf('2018-01-01');
const LAST_DAY = dayOf('2019-12-31');

/** A moment in office hours (Mexico, UTC-6) of the given day. */
function timeOn(random: Random, day: number, after?: Date): Date {
  const at = new Date(day * DAY + (random.int(8, 17) + 6) * 3_600_000 + random.int(0, 59) * 60_000 + random.int(0, 59) * 1000);
  if (after && at <= after) return new Date(after.getTime() + random.int(60, 3600) * 1000);
  return at;
}

// ---------------------------------------------------------------------------------------------
// People

const NATIONALITIES: Record<Region, Record<string, number>> = {
  south: { HND: 38, GTM: 22, SLV: 14, CUB: 7, HTI: 8, NIC: 4, VEN: 3, MEX: 1, COL: 1, ECU: 1 },
  north: { MEX: 30, HND: 25, GTM: 15, SLV: 12, VEN: 5, CUB: 5, NIC: 4, HTI: 3, COL: 1 },
  centre: { HND: 30, GTM: 18, SLV: 14, MEX: 10, VEN: 9, CUB: 7, NIC: 5, HTI: 4, COL: 2, ECU: 1 },
  abroad: { MEX: 100 },
};

const DEMONYM: Record<string, [string, string]> = {
  HND: ['hondureño', 'hondureña'],
  GTM: ['guatemalteco', 'guatemalteca'],
  SLV: ['salvadoreño', 'salvadoreña'],
  NIC: ['nicaragüense', 'nicaragüense'],
  VEN: ['venezolano', 'venezolana'],
  CUB: ['cubano', 'cubana'],
  HTI: ['haitiano', 'haitiana'],
  MEX: ['mexicano', 'mexicana'],
  COL: ['colombiano', 'colombiana'],
  ECU: ['ecuatoriano', 'ecuatoriana'],
  BRA: ['brasileño', 'brasileña'],
  CHL: ['chileno', 'chilena'],
};

const CURP_STATES: Record<Region, string[]> = { south: ['CS', 'OC', 'TC', 'VZ'], north: ['SL', 'SR', 'CH', 'BC', 'JC'], centre: ['DF', 'MC', 'PL', 'GR', 'MN'], abroad: ['MN', 'JC', 'GT', 'ZS', 'OC', 'GR', 'PL', 'MC'] };

type PersonSeed = { institution: DemoInstitution; day: number; actor: string; at: Date };

const ascii = (value: string) => value.normalize('NFD').replace(/[\u0300-\u036f]/g, '').replace(/[^A-Za-z]/g, '').toUpperCase();

function curp(random: Random, p: { given_names: string; surname1: string | null; surname2: string | null; sex: string; date_of_birth: string }, state: string): string {
  const s1 = ascii(p.surname1 ?? 'X') || 'X';
  const s2 = ascii(p.surname2 ?? 'X') || 'X';
  const givenWords = p.given_names.split(' ');
  const given = ascii(givenWords.length > 1 && /^(MARIA|MA|JOSE|J)$/.test(ascii(givenWords[0]!)) ? givenWords[1]! : givenWords[0]!) || 'X';
  const vowel = s1.slice(1).match(/[AEIOU]/)?.[0] ?? 'X';
  const consonant = (w: string) => w.slice(1).match(/[B-DF-HJ-NP-TV-Z]/)?.[0] ?? 'X';
  const date = p.date_of_birth.replace(/-/g, '').slice(2);
  return `${s1[0]}${vowel}${s2[0]}${given[0]}${date}${p.sex === 'female' ? 'M' : 'H'}${state}${consonant(s1)}${consonant(s2)}${consonant(given)}${p.date_of_birth < '2000' ? '0' : 'A'}${random.digits(1)}`;
}

function documentsFor(random: Random, p: Omit<DemoPerson, 'documents' | 'contact'>, region: Region): DemoPerson['documents'] {
  const docs: DemoPerson['documents'] = [];
  const nat = p.nationalities[0]!;
  if (nat === 'MEX') {
    if (p.date_of_birth && random.chance(0.75)) docs.push({ type: 'curp', number: curp(random, { ...p, date_of_birth: p.date_of_birth }, random.pick(CURP_STATES[region])) });
    if (region === 'abroad' && p.age >= 18 && random.chance(0.5)) docs.push({ type: 'consular_id', number: `${random.digits(2)}${random.digits(7)}`, issuer: 'MEX' });
    if (random.chance(0.2)) docs.push({ type: 'passport', number: `G${random.digits(8)}`, issuer: 'MEX' });
    if (p.age < 18 && random.chance(0.4)) docs.push({ type: 'birth_certificate', number: random.digits(10), issuer: 'MEX' });
    return docs;
  }
  const national: Record<string, () => string> = {
    HND: () => `${random.pick(['0801', '0501', '0101', '1804', '0318'])}-${p.date_of_birth?.slice(0, 4) ?? random.int(1960, 2001)}-${random.digits(5)}`,
    GTM: () => `${random.digits(4)} ${random.digits(5)} ${random.pick(['0101', '0901', '1301', '1201', '0501'])}`,
    SLV: () => `${random.digits(8)}-${random.digits(1)}`,
    NIC: () => `${random.digits(3)}-${random.digits(6)}-${random.digits(4)}${random.letters(1)}`,
    VEN: () => `V-${random.int(8_000_000, 30_000_000)}`,
    CUB: () => random.digits(11),
    COL: () => String(random.int(10_000_000, 1_199_999_999)),
    ECU: () => `${random.digits(9)}-${random.digits(1)}`,
  };
  const hasNational = national[nat] && p.age >= 18 && random.chance(0.45);
  if (hasNational) docs.push({ type: 'national_id', number: national[nat]!(), issuer: nat });
  if (random.chance(nat === 'CUB' || nat === 'VEN' || nat === 'HTI' ? 0.55 : 0.25)) docs.push({ type: 'passport', number: `${random.letters(1)}${random.digits(7)}`, issuer: nat });
  if (p.age < 18 && random.chance(0.3)) docs.push({ type: 'birth_certificate', number: random.digits(9), issuer: p.country_of_birth ?? nat });
  if (region === 'south' && random.chance(0.18)) {
    docs.push({ type: 'humanitarian_visa', number: `${random.letters(2)}${random.digits(9)}`, issuer: 'MEX' });
    if (p.date_of_birth && random.chance(0.6)) docs.push({ type: 'temporary_curp', number: curp(random, { ...p, date_of_birth: p.date_of_birth }, 'NE'), issuer: 'MEX' });
  } else if (region === 'south' && (nat === 'GTM' || nat === 'HND' || nat === 'SLV' || nat === 'BLZ') && random.chance(0.05)) {
    docs.push({ type: 'regional_visitor_card', number: `TVR${random.digits(8)}`, issuer: 'MEX' });
  }
  return docs;
}

function contactFor(random: Random, p: { given_names: string; surname1: string | null; age: number }, inst: DemoInstitution): DemoPerson['contact'] {
  if (p.age < 14 || !random.chance(0.5)) return null;
  const contact: NonNullable<DemoPerson['contact']> = {};
  const local = inst.phone.startsWith('+1') ? `${random.digits(3)} ${random.digits(4)}` : inst.phone === '+52 55' ? `${random.digits(4)} ${random.digits(4)}` : `${random.digits(3)} ${random.digits(4)}`;
  contact.phone = `${inst.phone} ${local}`;
  if (random.chance(0.08)) contact.email = `${ascii(p.given_names.split(' ')[0]!).toLowerCase()}.${ascii(p.surname1 ?? 'persona').toLowerCase()}${random.int(1, 99)}@correo.example`;
  if (random.chance(0.15)) contact.notes = random.pick(['Prefiere contacto por WhatsApp.', 'Teléfono de un familiar; preguntar por la persona.', 'Solo por las tardes.', 'Número prestado; puede cambiar.', 'Contactar a través del albergue.']);
  return contact;
}

class PersonFactory {
  constructor(private readonly random: Random) {}

  private nameStyle(nat: string, indigenous: boolean): NameStyle {
    if (nat === 'HTI') return 'haitian';
    if (indigenous && nat === 'GTM') return 'mayan';
    if ((nat === 'VEN' || nat === 'CUB' || nat === 'COL' || nat === 'ECU') && this.random.chance(0.5)) return 'es';
    return 'mx';
  }

  private ageBand(): number {
    const band = this.random.weighted({ young: 50, adult: 35, middle: 12, older: 3 });
    return band === 'young' ? this.random.int(18, 29) : band === 'adult' ? this.random.int(30, 44) : band === 'middle' ? this.random.int(45, 59) : this.random.int(60, 78);
  }

  make(seed: PersonSeed, spec: { sex?: 'female' | 'male'; age?: number; nationality?: string; bornIn?: string; surname1?: string | null; surname2?: string | null; languages?: string[]; indigenous?: boolean; vulnerabilities?: string[] }): DemoPerson {
    const r = this.random;
    const inst = seed.institution;
    const sex = spec.sex ?? (r.chance(0.6) ? 'male' : 'female');
    const age = spec.age ?? this.ageBand();
    const nationality = spec.nationality ?? r.weighted(NATIONALITIES[inst.region]);
    const bornIn = spec.bornIn ?? nationality;
    const indigenous = spec.indigenous ?? ((nationality === 'GTM' && r.chance(0.2)) || (nationality === 'MEX' && r.chance(0.06)));
    const name = randomName(r, sex, this.nameStyle(nationality, indigenous));
    if (spec.surname1 !== undefined) name.surname1 = spec.surname1;
    if (spec.surname2 !== undefined) name.surname2 = nationality === 'HTI' || bornIn !== nationality ? null : spec.surname2;

    let languages = spec.languages;
    if (!languages) {
      if (nationality === 'HTI') languages = r.chance(0.3) ? ['hat', 'fra', 'spa'] : r.chance(0.5) ? ['hat', 'fra'] : ['hat'];
      else if (bornIn === 'BRA') languages = ['por', 'hat'];
      else if (bornIn === 'CHL') languages = ['spa', 'hat'];
      else if (indigenous && nationality === 'GTM') languages = [r.weighted({ mam: 35, quc: 35, kek: 20, cak: 10 }), ...(r.chance(0.8) ? ['spa'] : [])];
      else if (indigenous && nationality === 'MEX') languages = [r.weighted({ tzo: 30, tze: 25, zap: 20, mix: 15, nah: 10 }), 'spa'];
      else languages = ['spa'];
    }

    const vulnerabilities = new Set(spec.vulnerabilities ?? []);
    if (indigenous) vulnerabilities.add('indigenous');
    if (age >= 60) vulnerabilities.add('older_person');
    let genderIdentity: string | null = null;
    if (age >= 16 && sex === 'male' && r.chance(0.012)) {
      genderIdentity = 'trans_woman';
      vulnerabilities.add('lgbti');
    } else if (age >= 16 && r.chance(0.003)) {
      genderIdentity = 'non_binary';
      vulnerabilities.add('lgbti');
    } else {
      if (age >= 16 && r.chance(0.02)) vulnerabilities.add('lgbti');
      if (r.chance(0.15)) genderIdentity = sex === 'female' ? 'woman' : 'man';
    }
    if (sex === 'female' && genderIdentity !== 'trans_woman' && age >= 16 && age <= 40 && r.chance(0.07)) vulnerabilities.add('pregnant');
    if (r.chance(0.04)) vulnerabilities.add('chronic_illness');
    const disabilities: string[] = [];
    if (r.chance(0.03)) {
      disabilities.push(r.weighted({ physical: 45, visual: 15, hearing: 15, intellectual: 10, psychosocial: 15 }));
      vulnerabilities.add('disability');
    }

    // Dates of birth are known for most; otherwise the age is estimated on the day of first contact.
    const known = r.chance(age < 18 ? 0.6 : 0.75);
    const birthDay = seed.day - age * 365 - r.int(1, 364) - Math.floor(age / 4);
    const base = {
      id: randomUUID(),
      institution: inst.code,
      ...name,
      sex,
      gender_identity: genderIdentity,
      date_of_birth: known ? isoOf(birthDay) : null,
      estimated_age: known ? null : age,
      age_estimated_on: known ? null : isoOf(seed.day),
      nationalities: bornIn !== nationality ? [bornIn] : r.chance(0.01) && nationality !== 'MEX' ? [nationality, 'MEX'] : [nationality],
      country_of_birth: r.chance(0.9) ? bornIn : null,
      languages,
      disabilities,
      vulnerabilities: [...vulnerabilities].sort(),
      location_country: inst.country ?? 'MEX',
      location_state: inst.state_code ?? null,
      location_municipality: inst.country && inst.country !== 'MEX' ? null : (inst.municipality_code ?? null),
      created_by: seed.actor,
      created_at: seed.at,
      age,
    };
    return { ...base, documents: documentsFor(r, base, inst.region), contact: contactFor(r, base, inst) };
  }

  /** A relative of `of`, sharing nationality and, as Spanish naming goes, surnames. */
  relative(seed: PersonSeed, of: DemoPerson, kind: 'child' | 'parent' | 'sibling' | 'spouse', extra: { age?: number; sex?: 'female' | 'male'; vulnerabilities?: string[] } = {}): { person: DemoPerson; relationship: string } {
    const r = this.random;
    const sex = extra.sex ?? (r.chance(0.5) ? 'male' : 'female');
    const nationality = of.nationalities[0]!;
    const haitian = nationality === 'HTI' || of.languages.includes('hat');
    let surname1: string | null = null;
    let surname2: string | null = null;
    let age = extra.age ?? of.age;
    let bornIn: string | undefined;
    const baseNat = haitian ? 'HTI' : nationality;
    if (kind === 'child') {
      age = extra.age ?? Math.max(0, Math.min(of.age - 17, r.int(0, 17)));
      if (haitian && age < 6 && r.chance(0.5)) bornIn = r.pick(['CHL', 'BRA']);
      if (of.sex === 'male') surname1 = of.surname1;
      else if (r.chance(0.3)) {
        surname1 = of.surname1;
        surname2 = of.surname2;
      } else surname2 = of.surname1;
    } else if (kind === 'parent') {
      age = extra.age ?? Math.min(85, of.age + r.int(18, 35));
      if (sex === 'male') surname1 = of.surname1;
      else surname1 = of.surname2 ?? null;
    } else if (kind === 'sibling') {
      age = extra.age ?? Math.max(0, of.age + r.int(-10, 10));
      surname1 = of.surname1;
      surname2 = of.surname2;
    } else {
      age = extra.age ?? Math.max(18, of.age + r.int(-6, 8));
    }
    const person = this.make(seed, {
      sex,
      age,
      nationality: baseNat,
      ...(bornIn ? { bornIn } : {}),
      ...(surname1 ? { surname1 } : {}),
      ...(surname2 ? { surname2 } : {}),
      languages: bornIn ? undefined! : of.languages,
      indigenous: of.vulnerabilities.includes('indigenous'),
      ...(extra.vulnerabilities ? { vulnerabilities: extra.vulnerabilities } : {}),
    });
    const words: Record<string, [string, string]> = { child: ['hijo', 'hija'], parent: ['padre', 'madre'], sibling: ['hermano', 'hermana'], spouse: ['esposo', 'esposa'] };
    return { person, relationship: words[kind]![sex === 'male' ? 0 : 1] };
  }
}

// ---------------------------------------------------------------------------------------------
// Case content by programme

const SERVICE_UNITS: Record<string, string> = {
  legal: 'Área jurídica',
  psychological_first_aid: 'Área de psicología',
  crisis_intervention: 'Área de psicología',
  psychotherapy: 'Área de psicología',
  medical: 'Consultorio médico',
  addiction_treatment: 'Consulta externa',
  shelter: 'Área de alojamiento',
  food: 'Comedor',
  translation: 'Interpretación',
  consular_assistance: 'Departamento de Protección',
  repatriation_support: 'Departamento de Protección',
  documentation: 'Documentación',
  social_work: 'Trabajo social',
};

const SERVICES: Record<string, Record<string, number>> = {
  victim_assistance: { legal: 30, psychological_first_aid: 12, crisis_intervention: 8, psychotherapy: 20, medical: 8, social_work: 15, shelter: 4, food: 3 },
  consular_protection: { consular_assistance: 45, documentation: 25, legal: 15, repatriation_support: 8, social_work: 7 },
  women_support: { consular_assistance: 25, legal: 30, psychotherapy: 20, social_work: 15, documentation: 10 },
  health: { medical: 75, social_work: 15, psychological_first_aid: 10 },
  mental_health: { psychological_first_aid: 30, crisis_intervention: 15, psychotherapy: 55 },
  addiction_treatment: { addiction_treatment: 65, psychotherapy: 25, medical: 10 },
  shelter: { shelter: 30, food: 30, medical: 10, legal: 8, social_work: 10, psychological_first_aid: 7, documentation: 5 },
  legal_aid: { legal: 70, documentation: 25, social_work: 5 },
  child_protection: { social_work: 30, legal: 15, psychotherapy: 15, shelter: 12, food: 10, documentation: 10, repatriation_support: 8 },
  search: { social_work: 45, psychological_first_aid: 25, legal: 30 },
};

const SERVICE_NOTES: Record<string, string[]> = {
  legal: ['Se explica el derecho a solicitar protección internacional.', 'Orientación sobre el procedimiento de regularización por razones humanitarias.', 'Se revisa la documentación presentada.', 'Acompañamiento a la presentación de la denuncia ante el Ministerio Público.'],
  psychological_first_aid: ['Se brinda contención emocional.', 'Persona con ansiedad moderada; se acuerda seguimiento.'],
  crisis_intervention: ['Intervención en crisis tras relato de los hechos.', 'Se estabiliza a la persona; se acuerda nueva cita.'],
  psychotherapy: ['Sesión de seguimiento; refiere mejoría del sueño.', 'Trabajo sobre duelo migratorio.', 'Se aplican técnicas de regulación emocional.'],
  medical: ['Consulta de primer nivel; se entrega tratamiento.', 'Curación de lesiones en pies por caminata prolongada.', 'Control prenatal.', 'Cuadro respiratorio agudo; se indica reposo e hidratación.', 'Deshidratación leve; se administra suero oral.'],
  addiction_treatment: ['Sesión de tratamiento ambulatorio.', 'Se refuerza plan de prevención de recaídas.'],
  shelter: ['Ingreso al dormitorio.', 'Se prorroga la estancia por situación de vulnerabilidad.'],
  food: ['Tres comidas diarias.'],
  translation: ['Entrevista con apoyo de intérprete.'],
  consular_assistance: ['Visita consular al centro de detención.', 'Comunicación con familiares en México.', 'Se da seguimiento a la audiencia migratoria.'],
  repatriation_support: ['Se coordina el retorno asistido con el módulo de recepción.', 'Se gestiona el traslado a la comunidad de origen.'],
  documentation: ['Se tramita la expedición de documento de identidad.', 'Se apoya con la obtención del acta de nacimiento.'],
  social_work: ['Estudio socioeconómico.', 'Se localiza a familiares por teléfono.', 'Se gestiona apoyo para transporte.', 'Visita de seguimiento.'],
};

const CASE_NOTES = [
  'Entrevista inicial realizada en espacio privado.',
  'Se informa a la persona sobre el aviso de privacidad y el uso de sus datos.',
  'La persona no acudió a la cita programada; se reprograma.',
  'Se acuerda plan de atención con la persona.',
  'Se coordina con la institución a la que se canalizó.',
  'Llamada de seguimiento: la persona se encuentra estable.',
  'Se actualizan datos de contacto.',
  'Reunión de caso con el equipo multidisciplinario.',
];

const CRIMES = { extortion: 25, robbery: 20, kidnapping: 12, assault: 12, sexual_violence: 10, trafficking: 8, smuggling: 5, disappearance: 5, homicide: 3 } as const;
const CRIME_WORDS: Record<string, string> = {
  extortion: 'extorsión',
  robbery: 'robo',
  kidnapping: 'secuestro',
  assault: 'lesiones',
  sexual_violence: 'violencia sexual',
  trafficking: 'trata de personas',
  smuggling: 'tráfico de personas',
  disappearance: 'desaparición de un familiar',
  homicide: 'homicidio de un familiar',
  domestic_violence: 'violencia familiar',
};
const ROUTE_PLACES = ['la ruta por Chiapas', 'Tabasco', 'Veracruz', 'Oaxaca', 'la frontera norte', 'Coahuila', 'Tamaulipas', 'el tren de carga', 'Puebla', 'Sonora'];

const CLOSURES: Record<string, Record<string, number>> = {
  victim_assistance: { services_completed: 60, person_left: 15, referred: 10, repatriated: 10, other: 5 },
  consular_protection: { services_completed: 60, repatriated: 30, person_left: 10 },
  women_support: { services_completed: 70, person_left: 20, referred: 10 },
  health: { services_completed: 80, person_left: 15, referred: 5 },
  mental_health: { services_completed: 60, person_left: 35, referred: 5 },
  addiction_treatment: { services_completed: 50, person_left: 45, referred: 5 },
  shelter: { person_left: 55, services_completed: 30, referred: 10, repatriated: 5 },
  legal_aid: { services_completed: 70, person_left: 20, referred: 10 },
  child_protection: { reunified: 40, repatriated: 30, referred: 15, services_completed: 15 },
  search: { located: 45, other: 45, services_completed: 10 },
};

function summaryFor(random: Random, programme: string, main: DemoPerson, crimes: string[]): string {
  const gentilicio = DEMONYM[main.nationalities[0]!]?.[main.sex === 'female' ? 1 : 0] ?? 'extranjera';
  const person = main.sex === 'female' ? 'Mujer' : 'Hombre';
  const place = random.pick(ROUTE_PLACES);
  switch (programme) {
    case 'victim_assistance':
      return `${person} de nacionalidad ${gentilicio} que refiere haber sido víctima de ${crimes.map((c) => CRIME_WORDS[c]).join(' y ')} durante su tránsito por ${place}. Solicita acompañamiento jurídico y atención psicológica.`;
    case 'consular_protection':
      return random.pick([
        'Connacional detenido por autoridades migratorias; se solicita visita consular y comunicación con familiares.',
        'Connacional solicita orientación sobre su situación migratoria y la documentación de sus hijos.',
        'Connacional hospitalizado; la familia solicita apoyo consular.',
        'Connacional en proceso de deportación; se da seguimiento a su audiencia.',
      ]);
    case 'women_support':
      return random.pick([
        'Usuaria acude a la Ventanilla de Atención Integral para la Mujer; refiere violencia familiar. Se brinda orientación legal.',
        'Usuaria solicita información sobre pensión alimenticia y custodia de sus hijos.',
        'Usuaria refiere violencia económica por parte de su pareja; se orienta sobre redes de apoyo locales.',
      ]);
    case 'health':
      return `Atención médica a persona ${gentilicio} en tránsito: ${random.pick(['infección respiratoria', 'deshidratación', 'lesiones en pies', 'control prenatal', 'hipertensión arterial', 'diabetes sin tratamiento', 'lesión por caída del tren'])}.`;
    case 'mental_health':
      return `${person} de nacionalidad ${gentilicio} con ${random.pick(['síntomas de ansiedad', 'alteraciones del sueño', 'síntomas depresivos', 'estrés agudo'])} tras hechos violentos en ${place}.`;
    case 'addiction_treatment':
      return `Consumo problemático de ${random.pick(['alcohol', 'metanfetamina', 'marihuana', 'cocaína', 'inhalables'])}; acepta tratamiento ambulatorio.`;
    case 'shelter':
      return `Ingreso al albergue. ${person} de nacionalidad ${gentilicio} que viaja ${random.pick(['solo', 'con su familia', 'en grupo', 'con conocidos'])}; se ofrece alojamiento, alimentación y orientación.`;
    case 'legal_aid':
      return random.pick([
        `Asesoría para solicitar el reconocimiento de la condición de refugiado; persona ${gentilicio} que refiere persecución por pandillas.`,
        'Asesoría sobre regularización migratoria por razones humanitarias.',
        'Acompañamiento en el procedimiento administrativo migratorio.',
        'Solicita orientación sobre reunificación familiar.',
      ]);
    case 'child_protection':
      return `${main.sex === 'female' ? 'Adolescente' : 'Adolescente'} de nacionalidad ${gentilicio} ${main.vulnerabilities.includes('unaccompanied_child') ? 'no acompañado/a' : 'separado/a de su familia'}, canalizado/a por el Instituto Nacional de Migración. Se inicia la búsqueda de familiares y la determinación del interés superior.`;
    case 'search':
      return `Familiar reporta la desaparición de una persona ${gentilicio} en tránsito por México; último contacto en ${place}.`;
    default:
      return 'Atención a persona en contexto de movilidad.';
  }
}

// ---------------------------------------------------------------------------------------------
// The data set

export function generateDemoData(options: { people: number; seed: number; staff: Map<string, Staff>; institutionIds: Map<string, string> }): DemoDataSet {
  const random = new Random(options.seed);
  const factory = new PersonFactory(random);
  const people: DemoPerson[] = [];
  const cases: DemoCase[] = [];
  const referrals: DemoReferral[] = [];
  const byCode = new Map(DEMO_INSTITUTIONS.map((i) => [i.code, i]));
  const shares = Object.fromEntries(DEMO_INSTITUTIONS.map((i) => [i.code, i.share]));
  const returning = new Map<string, { person: DemoPerson; lastDay: number }[]>();

  const staffOf = (code: string) => options.staff.get(code)!;
  const uuidOf = (code: string) => options.institutionIds.get(code)!;

  /** Services, notes, status and timeline of a case opened on `openDay` by `creator`. */
  function fillCase(c: DemoCase, openDay: number, inst: DemoInstitution, lastDay: number) {
    const staff = staffOf(inst.code);
    const worker = c.assigned_to ?? staff.supervisor;
    c.events.push({ at: c.created_at, actor: c.created_by, kind: 'case.opened', data: { programme: c.programme, participants: c.participants.length, ...(c.origin_referral_id ? { referral_id: c.origin_referral_id } : {}) } });

    // Short programmes (shelter, health) end within weeks; others run for months.
    const span = { shelter: 21, health: 45, mental_health: 120, addiction_treatment: 150, consular_protection: 120, women_support: 120, victim_assistance: 300, legal_aid: 200, child_protection: 150, search: 365 }[c.programme] ?? 90;
    const horizon = Math.min(lastDay, openDay + span);
    const age = LAST_DAY - openDay;
    const closed = c.programme === 'search' ? random.chance(age > 180 ? 0.45 : 0.15) : random.chance(age > span ? 0.8 : 0.3);
    const withoutServices = !closed && random.chance(0.12);
    const count = withoutServices ? 0 : c.programme === 'shelter' ? random.int(2, 7) : c.programme === 'addiction_treatment' ? random.int(3, 9) : random.int(1, 5);
    const mainPeople = c.participants.filter((p) => p.role !== 'family_member' && p.role !== 'guardian').map((p) => p.person);
    const recipients = mainPeople.length ? mainPeople : c.participants.map((p) => p.person);
    const days: number[] = [];
    for (let i = 0; i < count; i++) days.push(i === 0 ? openDay + (random.chance(0.7) ? 0 : random.int(1, 5)) : random.int(openDay, Math.max(openDay, horizon)));
    days.sort((a, b) => a - b);
    let last = c.created_at;
    const needsInterpreter = c.participants.some((p) => !p.person.languages.includes('spa'));
    for (const [index, day] of days.entries()) {
      const serviceDay = Math.min(day, lastDay);
      let type = random.weighted(SERVICES[c.programme]!);
      if (index === 0 && needsInterpreter && random.chance(0.6)) type = 'translation';
      const person = index === 0 || random.chance(0.7) ? recipients[0]! : random.pick(c.participants).person;
      const at = timeOn(random, serviceDay, last);
      last = at;
      const id = randomUUID();
      const byWorker = random.chance(0.9) ? worker : staff.supervisor;
      c.services.push({ id, person, service_type: type, provided_on: isoOf(serviceDay), provider_unit: SERVICE_UNITS[type]!, notes: random.chance(0.35) ? random.pick(SERVICE_NOTES[type]!) : null, created_by: byWorker, created_at: at });
      c.events.push({ at, actor: byWorker, kind: 'service.recorded', data: { service_id: id, service_type: type, provided_on: isoOf(serviceDay) } });
      if (c.status === 'open') c.status = 'in_progress';
      if (random.chance(0.25)) {
        const noteAt = new Date(at.getTime() + random.int(5, 90) * 60_000);
        const noteId = randomUUID();
        c.notes.push({ id: noteId, body: random.pick(CASE_NOTES), author: worker, created_at: noteAt });
        c.events.push({ at: noteAt, actor: worker, kind: 'note.added', data: { note_id: noteId } });
        last = noteAt;
      }
    }
    // A supervisor reassigns now and then.
    if (c.assigned_to && staff.caseworkers.length > 1 && random.chance(0.05)) {
      const other = staff.caseworkers.find((w) => w !== c.assigned_to)!;
      const at = new Date(last.getTime() + random.int(1, 48) * 3_600_000);
      c.assigned_to = other;
      c.events.push({ at, actor: staff.supervisor, kind: 'case.updated', data: { assigned_to: other } });
      last = at;
    }
    if (closed) {
      const lastServiceDay = days.length ? Math.min(days[days.length - 1]!, lastDay) : openDay;
      const closeDay = Math.min(lastDay, lastServiceDay + random.int(0, 20));
      const reason = random.weighted(CLOSURES[c.programme]!);
      const at = timeOn(random, closeDay, last);
      c.status = 'closed';
      c.closure_reason = reason;
      c.closed_on = isoOf(closeDay);
      c.events.push({ at, actor: staff.supervisor, kind: 'case.updated', data: { status: 'closed', closure_reason: reason } });
      last = at;
      // A few are reopened when the person comes back.
      if (closeDay + 30 < lastDay && random.chance(0.03)) {
        const reopenDay = random.int(closeDay + 7, lastDay);
        const reopenAt = timeOn(random, reopenDay, last);
        c.status = 'reopened';
        c.closure_reason = null;
        c.closed_on = null;
        c.events.push({ at: reopenAt, actor: staff.supervisor, kind: 'case.updated', data: { status: 'reopened' } });
        last = reopenAt;
        const id = randomUUID();
        const type = random.weighted(SERVICES[c.programme]!);
        const serviceAt = timeOn(random, reopenDay, last);
        c.services.push({ id, person: recipients[0]!, service_type: type, provided_on: isoOf(reopenDay), provider_unit: SERVICE_UNITS[type]!, notes: null, created_by: worker, created_at: serviceAt });
        c.events.push({ at: serviceAt, actor: worker, kind: 'service.recorded', data: { service_id: id, service_type: type, provided_on: isoOf(reopenDay) } });
        last = serviceAt;
      }
    }
    c.updated_at = last;
  }

  function newCase(inst: DemoInstitution, programme: string, openDay: number, origin?: { referralId: string; supervisorOfTarget: string }): DemoCase {
    const staff = staffOf(inst.code);
    let creator: string;
    let assigned: string | null;
    if (origin) {
      creator = staff.supervisor;
      assigned = random.chance(0.85) ? random.pick(staff.caseworkers) : null;
    } else if (random.chance(0.85)) {
      creator = random.pick(staff.caseworkers);
      assigned = creator;
    } else {
      creator = staff.supervisor;
      assigned = random.chance(0.5) ? random.pick(staff.caseworkers) : null;
    }
    const at = timeOn(random, openDay);
    return {
      id: randomUUID(),
      institution: inst.code,
      folio: '',
      programme,
      status: 'open',
      closure_reason: null,
      opened_on: isoOf(openDay),
      closed_on: null,
      assigned_to: assigned,
      created_by: creator,
      created_at: at,
      updated_at: at,
      summary: null,
      crime_types: [],
      rights_violations: [],
      origin_referral_id: origin?.referralId ?? null,
      participants: [],
      services: [],
      notes: [],
      events: [],
    };
  }

  /** People and participants for a new case; returns how many new people it registered. */
  function populate(c: DemoCase, inst: DemoInstitution, openDay: number, budget: number): number {
    const seed: PersonSeed = { institution: inst, day: openDay, actor: c.created_by, at: new Date(c.created_at.getTime() - random.int(5, 40) * 60_000) };
    const add = (person: DemoPerson, role: DemoCase['participants'][number]['role'], relationship: string | null = null) => {
      c.participants.push({ id: randomUUID(), person, role, relationship });
    };
    const register = (person: DemoPerson) => {
      people.push(person);
      return person;
    };
    let created = 0;
    const fresh = (spec: Parameters<PersonFactory['make']>[1]) => {
      created++;
      return register(factory.make(seed, spec));
    };
    const relative = (of: DemoPerson, kind: 'child' | 'parent' | 'sibling' | 'spouse', extra: Parameters<PersonFactory['relative']>[3] = {}) => {
      created++;
      const r = factory.relative(seed, of, kind, extra);
      register(r.person);
      return r;
    };
    const room = () => created < budget;

    // Some people come back to the same institution for a new case.
    const pool = returning.get(inst.code) ?? [];
    if (['shelter', 'health', 'mental_health', 'legal_aid', 'consular_protection'].includes(c.programme) && pool.length > 5 && random.chance(0.12)) {
      const previous = random.pick(pool);
      if (previous.lastDay + 30 < openDay && (previous.person.date_of_birth ?? '0000') <= c.opened_on) {
        add(previous.person, 'applicant');
        previous.lastDay = openDay;
        c.summary = summaryFor(random, c.programme, previous.person, []);
        return 0;
      }
    }

    switch (c.programme) {
      case 'victim_assistance': {
        const crimes = random.some(Object.keys(CRIMES), 1);
        crimes[0] = random.weighted(CRIMES);
        if (random.chance(0.2)) {
          const second = random.weighted(CRIMES);
          if (second !== crimes[0]) crimes.push(second);
        }
        c.crime_types = crimes;
        if (random.chance(0.2)) c.rights_violations = random.some(['abuse_of_authority', 'arbitrary_detention', 'denial_of_access_to_justice', 'discrimination', 'torture_or_ill_treatment'], random.int(1, 2));
        const sexual = crimes.includes('sexual_violence') || crimes.includes('trafficking');
        const victim = fresh({ sex: sexual && random.chance(0.75) ? 'female' : undefined, age: random.chance(0.06) ? random.int(12, 17) : undefined, vulnerabilities: ['crime_victim'] });
        add(victim, 'direct_victim');
        const indirect = crimes.includes('homicide') || crimes.includes('disappearance') ? random.int(1, 4) : random.weighted({ 0: 45, 1: 20, 2: 20, 3: 10, 4: 5 } as Record<string, number>);
        const kinds: ('spouse' | 'child' | 'parent' | 'sibling')[] = ['spouse', 'child', 'child', 'parent', 'sibling'];
        for (let i = 0; i < Number(indirect) && room(); i++) {
          const kind = victim.age < 18 ? random.pick(['parent', 'sibling'] as const) : random.pick(kinds);
          if (kind === 'spouse' && c.participants.some((p) => p.relationship === 'esposo' || p.relationship === 'esposa')) continue;
          if (kind === 'child' && victim.age < 19) continue;
          const r = relative(victim, kind, kind === 'spouse' ? { sex: victim.sex === 'male' ? 'female' : 'male' } : {});
          add(r.person, 'indirect_victim', r.relationship);
        }
        c.summary = summaryFor(random, c.programme, victim, crimes);
        break;
      }
      case 'consular_protection':
      case 'women_support': {
        const main = fresh({ nationality: 'MEX', sex: c.programme === 'women_support' ? 'female' : random.chance(0.7) ? 'male' : 'female' });
        add(main, 'applicant');
        if (c.programme === 'women_support' && random.chance(0.15)) c.crime_types = ['domestic_violence'];
        if (c.programme === 'consular_protection' && random.chance(0.1)) c.rights_violations = [random.pick(['arbitrary_detention', 'abuse_of_authority', 'discrimination', 'denial_of_health_care'])];
        c.summary = summaryFor(random, c.programme, main, []);
        break;
      }
      case 'child_protection': {
        const kind = random.weighted({ unaccompanied: 60, separated: 25, accompanied: 15 });
        const child = fresh({ age: kind === 'accompanied' ? random.int(3, 17) : Number(random.weighted({ 10: 3, 12: 2, 13: 10, 14: 15, 15: 20, 16: 25, 17: 25 } as Record<string, number>)), sex: random.chance(0.65) ? 'male' : 'female', vulnerabilities: kind === 'unaccompanied' ? ['unaccompanied_child'] : kind === 'separated' ? ['separated_child'] : [] });
        add(child, 'applicant');
        if (kind === 'separated' && room()) {
          const r = relative(child, 'sibling', { age: random.int(18, 30) });
          add(r.person, 'family_member', random.pick(['hermano', 'hermana', 'tío', 'tía', 'primo', 'prima', 'abuela']));
        } else if (kind === 'accompanied' && room()) {
          const r = relative(child, 'parent', { sex: 'female' });
          add(r.person, 'guardian', 'madre');
        }
        c.summary = summaryFor(random, c.programme, child, []);
        break;
      }
      case 'search': {
        const missing = fresh({ vulnerabilities: ['crime_victim'] });
        add(missing, 'direct_victim');
        c.crime_types = ['disappearance'];
        if (room()) {
          const kind = random.weighted({ parent: 45, spouse: 25, sibling: 20, child: 10 }) as 'parent' | 'spouse' | 'sibling' | 'child';
          const r = relative(missing, missing.age < 20 && kind === 'child' ? 'parent' : kind, kind === 'child' ? { age: random.int(18, 30) } : kind === 'spouse' ? { sex: missing.sex === 'male' ? 'female' : 'male' } : {});
          r.person.location_country = r.person.nationalities[0] === 'MEX' ? 'MEX' : r.person.nationalities[0]!;
          if (r.person.location_country !== 'MEX') {
            r.person.location_state = null;
            r.person.location_municipality = null;
          }
          add(r.person, 'applicant', r.relationship);
        }
        c.summary = summaryFor(random, c.programme, missing, []);
        break;
      }
      case 'addiction_treatment': {
        const main = fresh({ sex: random.chance(0.84) ? 'male' : 'female', age: random.int(18, 50) });
        add(main, 'applicant');
        c.summary = summaryFor(random, c.programme, main, []);
        break;
      }
      case 'legal_aid': {
        const main = fresh({ vulnerabilities: inst.code === 'CEAV' ? ['crime_victim', 'asylum_seeker'] : random.chance(0.7) ? ['asylum_seeker'] : [] });
        add(main, inst.code === 'CEAV' ? 'direct_victim' : 'applicant');
        if (main.age >= 20 && random.chance(0.15)) {
          for (let i = random.int(1, 3); i > 0 && room(); i--) {
            const r = relative(main, 'child', { vulnerabilities: main.vulnerabilities.includes('asylum_seeker') ? ['asylum_seeker'] : [] });
            add(r.person, 'family_member', r.relationship);
          }
        }
        c.summary = summaryFor(random, c.programme, main, []);
        break;
      }
      case 'shelter': {
        const victim = random.chance(0.15);
        const main = fresh({ vulnerabilities: victim ? ['crime_victim'] : random.chance(0.1) ? ['asylum_seeker'] : [] });
        add(main, victim ? 'direct_victim' : 'applicant');
        if (victim) c.crime_types = [random.weighted({ robbery: 40, extortion: 30, assault: 20, kidnapping: 10 })];
        if (main.age >= 20 && random.chance(0.25)) {
          if (random.chance(0.5) && room()) {
            const r = relative(main, 'spouse', { sex: main.sex === 'male' ? 'female' : 'male' });
            add(r.person, 'family_member', r.relationship);
          }
          for (let i = random.int(1, 3); i > 0 && room(); i--) {
            const r = relative(main, 'child');
            add(r.person, 'family_member', r.relationship);
          }
        }
        c.summary = summaryFor(random, c.programme, main, []);
        break;
      }
      default: {
        const child = random.chance(c.programme === 'health' ? 0.1 : 0.05);
        const main = fresh(child ? { age: random.int(1, 17) } : {});
        add(main, 'applicant');
        if (child && room()) {
          const r = relative(main, 'parent', { sex: 'female' });
          add(r.person, 'guardian', 'madre');
        }
        c.summary = summaryFor(random, c.programme, main, []);
      }
    }
    const list = returning.get(inst.code) ?? [];
    for (const p of c.participants) if (p.role === 'applicant') list.push({ person: p.person, lastDay: openDay });
    returning.set(inst.code, list);
    return created;
  }

  function referralRoute(c: DemoCase) {
    const routes = REFERRAL_ROUTES.filter((r) => r.from === c.institution);
    const main = c.participants[0]!.person;
    const fits = (when: string) =>
      when === 'any' ||
      (when === 'child' && main.age < 18) ||
      (when === 'victim' && c.participants.some((p) => p.role === 'direct_victim')) ||
      (when === 'asylum' && main.vulnerabilities.includes('asylum_seeker')) ||
      (when === 'health' && ['health', 'shelter', 'mental_health'].includes(c.programme)) ||
      (when === 'addiction' && main.age >= 18 && random.chance(0.3)) ||
      (when === 'legal' && main.age >= 18);
    const options = routes.filter((r) => fits(r.when));
    return options.length ? random.pick(options) : null;
  }

  // Cases get folios in order of opening at the end, as they would in daily use.
  let registered = 0;
  while (registered < options.people) {
    // More cases in 2019 (the caravans of late 2018 and 2019).
    const day = random.chance(0.6) ? random.int(dayOf('2019-01-01'), LAST_DAY) : random.int(FIRST_DAY, dayOf('2018-12-31'));
    const inst = byCode.get(random.weighted(shares))!;
    const programme = random.weighted(inst.programmes);
    const c = newCase(inst, programme, day);
    registered += populate(c, inst, day, options.people - registered);
    if (!c.participants.length) continue;
    fillCase(c, day, inst, LAST_DAY);
    cases.push(c);

    // About one case in six is referred somewhere (when a route fits).
    if (random.chance(0.18)) {
      const route = referralRoute(c);
      if (route) {
        const caseLast = c.closed_on ? dayOf(c.closed_on) : LAST_DAY;
        const sentDay = Math.min(caseLast, day + random.int(0, 20));
        const staff = staffOf(c.institution);
        const sender = c.assigned_to ?? staff.supervisor;
        const sentAt = timeOn(random, sentDay, c.created_at);
        const id = randomUUID();
        const sections = ['participants', ...random.some(['services', 'summary', 'notes'], random.int(0, 3))];
        const target = staffOf(route.to);
        const pending = sentDay > LAST_DAY - 45 || random.chance(0.2);
        const declined = !pending && random.chance(0.12);
        const respondDay = Math.min(LAST_DAY, sentDay + random.int(1, 10));
        const respondedAt = pending ? null : timeOn(random, respondDay, sentAt);
        const referral: DemoReferral = {
          id,
          from: c,
          to: route.to,
          reason: route.reason,
          consent_recorded_on: isoOf(sentDay),
          consent_method: c.participants[0]!.person.age < 18 ? 'guardian' : random.chance(0.7) ? 'written' : 'verbal',
          shared_sections: sections,
          status: pending ? 'pending' : declined ? 'declined' : 'accepted',
          response_note: declined ? random.pick(['No se cuenta con cupo en este momento.', 'La persona no cumple el perfil de atención de la unidad.', 'Ya recibe atención en otra oficina de la institución.']) : !pending && random.chance(0.3) ? 'Se asigna a operador/a de caso.' : null,
          responded_by: pending ? null : target.supervisor,
          responded_at: respondedAt,
          receiving: null,
          created_by: sender,
          created_at: sentAt,
        };
        c.events.push({ at: sentAt, actor: sender, kind: 'referral.sent', data: { referral_id: id, to_institution_id: uuidOf(route.to), shared_sections: sections } });
        if (respondedAt) {
          c.events.push({ at: respondedAt, actor: target.supervisor, kind: declined ? 'referral.declined' : 'referral.accepted', data: { referral_id: id, by_institution_id: uuidOf(route.to) } });
        }
        if (referral.status === 'accepted') {
          const targetInst = byCode.get(route.to)!;
          const receiving = newCase(targetInst, route.programme, respondDay, { referralId: id, supervisorOfTarget: target.supervisor });
          receiving.created_at = new Date(respondedAt!.getTime() + 1000);
          receiving.updated_at = receiving.created_at;
          for (const p of c.participants) receiving.participants.push({ id: randomUUID(), person: p.person, role: p.role, relationship: p.relationship });
          receiving.summary = null;
          fillCase(receiving, respondDay, targetInst, LAST_DAY);
          referral.receiving = receiving;
          cases.push(receiving);
        }
        referrals.push(referral);
      }
    }
  }

  // Folios: per institution and year, in order of opening (then of creation).
  cases.sort((a, b) => a.created_at.getTime() - b.created_at.getTime());
  const counters = new Map<string, number>();
  for (const c of cases) {
    const year = Number(c.opened_on.slice(0, 4));
    const key = `${c.institution}|${year}`;
    const next = (counters.get(key) ?? 0) + 1;
    counters.set(key, next);
    c.folio = `${c.institution}-${year}-${String(next).padStart(6, '0')}`;
    c.events.sort((a, b) => a.at.getTime() - b.at.getTime());
  }
  const folioCounters = [...counters].map(([key, last]) => {
    const [institution, year] = key.split('|');
    return { institution: institution!, year: Number(year), last };
  });
  return { people, cases, referrals, folioCounters };
}
