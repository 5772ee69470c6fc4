import { randomUUID } from 'node:crypto';
import type { Random } from '../platform/random.ts';
import { randomName, type GeneratedName, type NameStyle } from './names.ts';
import type { DemoInstitution, Region } from './catalogue.ts';
import type { DemoPerson } from './model.ts';
import { isoOf, type DemoCalendar } from './calendar.ts';
import { writtenElsewhere } from './variants.ts';

/**
 * The demo's people: names from public frequency lists, nationalities by region, documents and
 * contacts as each country issues them, some without a date of birth (an estimated age instead) or a
 * second surname, namesakes, relatives who share surnames, and the same person recorded again in
 * another institution further along the route, the way that office wrote her down.
 */


const NATIONALITIES: Record<Region, Record<string, number>> = {
  south: { HND: 38, GTM: 22, SLV: 14, CUB: 7, HTI: 8, NIC: 4, VEN: 3, MEX: 1, COL: 1, ECU: 1 },
  north: { MEX: 30, HND: 25, GTM: 15, SLV: 12, VEN: 5, CUB: 5, NIC: 4, HTI: 3, COL: 1 },
  centre: { HND: 30, GTM: 18, SLV: 14, MEX: 10, VEN: 9, CUB: 7, NIC: 5, HTI: 4, COL: 2, ECU: 1 },
  abroad: { MEX: 100 },
};

const CURP_STATES: Record<Region, string[]> = { south: ['CS', 'OC', 'TC', 'VZ'], north: ['SL', 'SR', 'CH', 'BC', 'JC'], centre: ['DF', 'MC', 'PL', 'GR', 'MN'], abroad: ['MN', 'JC', 'GT', 'ZS', 'OC', 'GR', 'PL', 'MC'] };

export type PersonSeed = { institution: DemoInstitution; day: number; actor: string; at: Date };

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

/** Where the person was seen: the institution's country, state and (in Mexico) municipality. */
function whereSeen(inst: DemoInstitution) {
  return {
    location_country: inst.country ?? 'MEX',
    location_state: inst.state_code ?? null,
    location_municipality: inst.country && inst.country !== 'MEX' ? null : (inst.municipality_code ?? null),
  };
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

export class PersonFactory {
  /** Names already given, by sex: a few newcomers share one (namesakes are common). */
  private readonly names: Record<'female' | 'male', GeneratedName[]> = { female: [], male: [] };

  constructor(
    private readonly random: Random,
    private readonly calendar: DemoCalendar,
  ) {}

  private nameStyle(nat: string, indigenous: boolean): NameStyle {
    if (nat === 'HTI') return 'haitian';
    if (indigenous && nat === 'GTM') return 'mayan';
    if ((nat === 'VEN' || nat === 'CUB' || nat === 'COL' || nat === 'ECU') && this.random.chance(0.5)) return 'es';
    return 'mx';
  }

  /** A new name, or now and then the name of someone already registered (a namesake, not the same person). */
  private nameFor(sex: 'female' | 'male', nationality: string, indigenous: boolean, unrelated: boolean): GeneratedName {
    const taken = this.names[sex];
    if (unrelated && taken.length > 50 && this.random.chance(0.02)) return { ...this.random.pick(taken) };
    const name = randomName(this.random, sex, this.nameStyle(nationality, indigenous));
    if (unrelated) taken.push({ ...name });
    return name;
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
    const name = this.nameFor(sex, nationality, indigenous, spec.surname1 === undefined);
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
      identity: randomUUID(),
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
      ...whereSeen(inst),
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
  /**
   * The same person registered again by another institution on `seed.day`: the office writes her
   * name its own way, may not see (or not be shown) her date of birth and estimate her age instead,
   * sees the same passport or another document. A child first seen at 16 or 17 may come back an adult.
   */
  recordAgain(seed: PersonSeed, of: DemoPerson): DemoPerson {
    const r = this.random;
    const inst = seed.institution;
    const age = this.ageOn(of, seed.day);
    const name = r.chance(0.7) ? writtenElsewhere(r, of) : { given_names: of.given_names, surname1: of.surname1, surname2: of.surname2 };
    let dateOfBirth = of.date_of_birth;
    if (dateOfBirth && r.chance(0.25)) dateOfBirth = null;
    else if (!dateOfBirth && r.chance(0.4)) dateOfBirth = isoOf(seed.day - age * 365 - r.int(1, 364) - Math.floor(age / 4));
    else if (dateOfBirth && Number(dateOfBirth.slice(8)) <= 12 && r.chance(0.1)) dateOfBirth = `${dateOfBirth.slice(0, 5)}${dateOfBirth.slice(8)}-${dateOfBirth.slice(5, 7)}`;
    const vulnerabilities = of.vulnerabilities.filter((v) => age < 18 || (v !== 'unaccompanied_child' && v !== 'separated_child'));
    if (age >= 60 && !vulnerabilities.includes('older_person')) vulnerabilities.push('older_person');
    const base = {
      ...of,
      ...name,
      id: randomUUID(),
      institution: inst.code,
      date_of_birth: dateOfBirth,
      estimated_age: dateOfBirth ? null : Math.max(0, age + (r.chance(0.3) ? r.int(-2, 2) : 0)),
      age_estimated_on: dateOfBirth ? null : isoOf(seed.day),
      country_of_birth: r.chance(0.8) ? of.country_of_birth : null,
      vulnerabilities: vulnerabilities.sort(),
      ...whereSeen(inst),
      created_by: seed.actor,
      created_at: seed.at,
      age,
    };
    const documents = r.chance(0.4) ? of.documents : documentsFor(r, base, inst.region);
    return { ...base, documents, contact: contactFor(r, base, inst) };
  }

  /** Her age in whole years on `day`, from her date of birth or her estimated age. */
  ageOn(p: DemoPerson, day: number): number {
    if (p.date_of_birth) return this.calendar.ageOn(p.date_of_birth, day);
    const since = p.age_estimated_on ? day - Math.floor(Date.parse(`${p.age_estimated_on}T00:00:00Z`) / 86_400_000) : 0;
    return (p.estimated_age ?? p.age) + Math.floor(since / 365.25);
  }
}