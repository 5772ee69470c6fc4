import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { freshDatabase, makeInstitution } from '../../test/helpers.ts';
import type { Db } from '../platform/db/database.ts';
import { Random } from '../platform/random.ts';
import { birthDateVariants, searchPersons } from './engine.ts';

/**
 * Calibration and retrieval of the person search on a fixed sample (real PostgreSQL): scores are the
 * probability that each hit is the person sought given the query and all candidates (docs/search.md).
 */

let db: Db;
let destroy: () => Promise<void>;
let institutionId: string;
const ids: Record<string, string> = {};

const GIVEN = ['Miguel', 'José', 'Jesús', 'María', 'Juan', 'Luis', 'Ana', 'Rosa', 'Carlos', 'Mayra'];
const SURNAMES = ['Martínez', 'Hernández', 'García', 'López', 'Pérez', 'González', 'Rodríguez', 'Sánchez', 'Ramírez', 'Cruz', 'Flores', 'Gómez'];

beforeAll(async () => {
  const fresh = await freshDatabase();
  db = fresh.db;
  destroy = () => fresh.db.destroy();
  institutionId = (await makeInstitution(db, { code: 'CALIB', name: 'Calibración' })).id;
  // 400 people with common names (a fixed seed), then the people the tests look for.
  const random = new Random(11);
  const rows: Record<string, unknown>[] = [];
  for (let i = 0; i < 400; i++) {
    const year = 1960 + random.int(0, 45);
    rows.push({
      given_names: random.pick(GIVEN),
      surname1: random.pick(SURNAMES),
      surname2: random.pick(SURNAMES),
      sex: random.next() < 0.5 ? 'male' : 'female',
      date_of_birth: `${year}-0${random.int(1, 9)}-1${random.int(0, 9)}`,
    });
  }
  const sought = {
    calderon: { given_names: 'Miguel', surname1: 'Calderón', surname2: 'Martínez', sex: 'male', date_of_birth: '1987-03-21' },
    namesakeA: { given_names: 'Jesús', surname1: 'Martínez', surname2: 'Peña', sex: 'male', date_of_birth: '1990-06-02' },
    namesakeB: { given_names: 'Jesús', surname1: 'Martínez', surname2: 'Peña', sex: 'male', date_of_birth: '1972-11-25' },
    haitian: { given_names: 'Jean Pierre', surname1: 'Dorvil', surname2: null, sex: 'male', date_of_birth: '1991-08-14' },
    haitianB: { given_names: 'Jean', surname1: 'Saint-Fleur', surname2: null, sex: 'male', date_of_birth: '1985-01-30' },
    haitianC: { given_names: 'Jean Baptiste', surname1: 'Saint-Fleur', surname2: null, sex: 'male', date_of_birth: '1979-05-03' },
    joseMartin: { given_names: 'José Martín', surname1: 'Pérez', surname2: 'Zamudio', sex: 'male', date_of_birth: '1983-04-09' },
    josue: { given_names: 'Josué', surname1: 'Pérez', surname2: 'Zamudio', sex: 'male', date_of_birth: '1994-10-17' },
    wesner: { given_names: 'Wesner', surname1: 'Exantus', surname2: null, sex: 'male', date_of_birth: '1988-12-01' },
    joseSalazar: { given_names: 'José', surname1: 'Salazar', surname2: 'Cruz', sex: 'male', date_of_birth: '1976-02-11' },
    saraSalazar: { given_names: 'Sara', surname1: 'Salazar', surname2: 'Sánchez', sex: 'female', date_of_birth: '1992-07-19' },
    saraSanchez: { given_names: 'Sara', surname1: 'Sánchez', surname2: 'López', sex: 'female', date_of_birth: '1989-05-04' },
    saraGarcia: { given_names: 'Sara', surname1: 'García', surname2: 'Sánchez', sex: 'female', date_of_birth: '1995-09-23' },
    pablo: { given_names: 'Pablo', surname1: 'Cabaleiro', surname2: 'Cervantes', sex: 'male', date_of_birth: '1984-02-15' },
    // Rare words one letter from PALO and closer to it by Jaro–Winkler than PABLO is.
    palou: { given_names: 'Rosa', surname1: 'Palou', surname2: 'Palop', sex: 'female', date_of_birth: '1980-05-05' },
    palao: { given_names: 'Ana', surname1: 'Palao', surname2: 'Paleo', sex: 'female', date_of_birth: '1981-06-06' },
    // Five people named ELVIN HERNÁNDEZ, and one each of two names one letter from ELVIN.
    ...Object.fromEntries(['Peraza', 'Ochoa', 'Lara', 'Mena', 'Ruiz'].map((s2, i) => [`elvin${i}`, { given_names: 'Elvin', surname1: 'Hernández', surname2: s2, sex: 'male', date_of_birth: `199${i}-01-0${i + 1}` }])),
    selvin: { given_names: 'Selvin', surname1: 'Hernández', surname2: 'Coto', sex: 'male', date_of_birth: '1993-03-03' },
    elvia: { given_names: 'Elvia', surname1: 'Hernández', surname2: 'Soto', sex: 'female', date_of_birth: '1994-04-04' },
  };
  for (const [key, p] of Object.entries(sought)) {
    const { rows: inserted } = await sql<{ id: string }>`insert into people (institution_id, given_names, surname1, surname2, sex, date_of_birth, nationalities, languages)
      values (${institutionId}, ${p.given_names}, ${p.surname1}, ${p.surname2}, ${p.sex}, ${p.date_of_birth}, '{MEX}', '{spa}') returning id`.execute(db);
    ids[key] = inserted[0]!.id;
  }
  // A surname the frequency tables do not know, common in this register (a Haitian family name).
  const haitianGiven = ['Jean', 'Pierre', 'Jacques', 'Marie', 'Rose', 'Frantz', 'Guerline', 'Mirlande'];
  for (let i = 0; i < 40; i++) rows.push({ given_names: random.pick(haitianGiven), surname1: 'Exantus', surname2: null, sex: random.next() < 0.5 ? 'male' : 'female', date_of_birth: `19${70 + random.int(0, 29)}-0${random.int(1, 9)}-1${random.int(0, 9)}` });
  for (const p of rows) {
    await sql`insert into people (institution_id, given_names, surname1, surname2, sex, date_of_birth, nationalities, languages)
      values (${institutionId}, ${p.given_names as string}, ${p.surname1 as string}, ${(p.surname2 as string | null) ?? null}, ${p.sex as string}, ${p.date_of_birth as string}, '{MEX}', '{spa}')`.execute(db);
  }
}, 120_000);
afterAll(async () => destroy?.());

const search = (text: string, extra: { date_of_birth?: string; sex?: string } = {}) => searchPersons(db, institutionId, { text, date_of_birth: extra.date_of_birth ?? null, sex: extra.sex ?? null, nationalities: null }, { limit: 10 });
const total = (hits: Awaited<ReturnType<typeof search>>) => hits.reduce((s, h) => s + h.result.probability, 0);

describe('scores of the person search', () => {
  it('add up to at most 1 over an answer, leaving mass for none of these', async () => {
    for (const q of ['Miguel Martínez', 'María García López', 'José Hernández', 'Jesús Martínez Peña', 'Rosa Cruz', 'Pedro Páramo', 'Ana']) {
      const hits = await search(q);
      expect(total(hits), q).toBeLessThanOrEqual(1 + 1e-9);
      for (const h of hits) expect(h.result.probability).toBeGreaterThanOrEqual(0);
    }
    // A name nobody has: whatever comes back is improbable.
    const stranger = await search('Woobenson Thelusma');
    expect(total(stranger)).toBeLessThan(0.2);
  });

  it('find a person sought with a typo in one surname and the second surname missing', async () => {
    const hits = await search('Miguel Caldtron');
    expect(hits.map((h) => h.person.id)).toContain(ids.calderon);
    expect(hits[0]!.person.id).toBe(ids.calderon);
    // Both words mistyped: the date of birth brings the person.
    const mangled = await search('Migel Kaldtron', { date_of_birth: '1987-03-21', sex: 'male' });
    expect(mangled[0]!.person.id).toBe(ids.calderon);
    expect(mangled[0]!.result.probability).toBeGreaterThan(0.5);
  });

  it('share the mass between namesakes the query cannot tell apart, and give it to the one whose date of birth agrees', async () => {
    const hits = await search('Jesús Martínez Peña');
    const [a, b] = [hits.find((h) => h.person.id === ids.namesakeA)!, hits.find((h) => h.person.id === ids.namesakeB)!];
    expect(a && b).toBeTruthy();
    expect(Math.abs(a.result.probability - b.result.probability)).toBeLessThan(0.01);
    expect(a.result.probability).toBeLessThan(0.5);
    expect(total(hits)).toBeLessThanOrEqual(1 + 1e-9);

    const dated = await search('Jesús Martínez Peña', { date_of_birth: '1972-11-25', sex: 'male' });
    expect(dated[0]!.person.id).toBe(ids.namesakeB);
    expect(dated[0]!.result.probability).toBeGreaterThan(0.9);
    expect(dated.find((h) => h.person.id === ids.namesakeA)?.result.probability ?? 0).toBeLessThan(0.05);
    // Day and month swapped in the query: the date-of-birth channel still brings the person, first.
    const swapped = await search('Jesús Martínez', { date_of_birth: '1990-02-06', sex: 'male' });
    expect(swapped[0]!.person.id).toBe(ids.namesakeA);
    // The year typed a decade off (1982 for 1972): a slip, not a disagreement.
    const decade = await search('Jesús Martínez Peña', { date_of_birth: '1982-11-25', sex: 'male' });
    expect(decade[0]!.person.id).toBe(ids.namesakeB);
    expect(decade[0]!.result.explanation.find((e) => e.field === 'date_of_birth')?.level).toBe('year_slip');
  });

  it('find a French name written by ear (YAN PIER for JEAN PIERRE) through the sound of its words', async () => {
    const hits = await search('yan pier dorvil');
    expect(hits[0]?.person.id).toBe(ids.haitian);
    const fleur = await search('Jea Saint-Fleur');
    expect(fleur[0]?.person.id).toBe(ids.haitianB);
    expect(fleur.map((h) => h.person.id)).toContain(ids.haitianC);
  });

  it('rank one part of a compound (JOSÉ for José Martín) above a whole other name one typo away (JOSUE)', async () => {
    const hits = await search('Jose Perez Zamudio');
    const order = hits.map((h) => h.person.id);
    expect(order).toContain(ids.joseMartin);
    const [joseMartin, josue] = [order.indexOf(ids.joseMartin!), order.indexOf(ids.josue!)];
    expect(joseMartin).toBeLessThan(josue < 0 ? Infinity : josue);
    // A typo that makes no name keeps its weight: JOSUE typed JOSQE is still found first.
    const typo = await search('Josqe Perez Zamudio');
    expect(typo[0]?.person.id).toBe(ids.josue);
  });

  it('take the frequency of a name the tables do not know from the register (EXANTUS: 41 of its people)', async () => {
    const hits = await search('Wesner Exantus');
    expect(hits[0]?.person.id).toBe(ids.wesner);
    const surname = hits[0]!.result.explanation.find((e) => e.field === 'surname1')!;
    // The tables' default (5·10⁻⁵) would give log2(0.82 / 5e-5) ≈ 14 bits; the register's 41 people
    // (shrunk towards that default by 20,000 pseudo-people) about log2(0.82 / 0.002) ≈ 8.6.
    expect(surname.level).toBe('exact');
    expect(surname.weight).toBeLessThan(10);
    expect(surname.weight).toBeGreaterThan(7);
    // The 40 other EXANTUS share the surname only: none scores like the person sought.
    expect(hits[1]?.result.probability ?? 0).toBeLessThan(0.05);
  });

  it('find and rank first a person whose surname the query misspells twice in one word (SAASAR for SALAZAR)', async () => {
    // JOSE + SAASAR share no key with anyone: only the two-edit correction (vocabulary.ts) brings SALAZAR in.
    const keysOnly = await searchPersons(db, institutionId, { text: 'Jose Saasar' }, { limit: 10, noFallback: true });
    expect(keysOnly[0]?.person.id).toBe(ids.joseSalazar);
    expect(keysOnly[0]!.result.explanation.find((e) => e.field === 'surname1')?.level).toBe('fuzzy');
    // Two edits weigh less than one typo and more than a disagreement: SARA SALAZAR SÁNCHEZ above the SARA ... SÁNCHEZ who agree on two words of three.
    const hits = await search('Sara Saasar Sanchez');
    expect(hits[0]?.person.id).toBe(ids.saraSalazar);
    const order = hits.map((h) => h.person.id);
    expect(order.indexOf(ids.saraGarcia!)).toBeGreaterThan(0);
    expect(hits[0]!.result.weight).toBeLessThan((await search('Sara Salazar Sanchez'))[0]!.result.weight - 3);
  });

  it('correct a dropped letter towards a common name before rare spellings that look closer (PALO: PABLO, not PALOU)', async () => {
    // PALO is one letter from PABLO, PALOU, PALOP, PALAO and PALEO; the rare four are nearer by Jaro–Winkler.
    const hits = await searchPersons(db, institutionId, { text: 'Palo Cabaleiro' }, { limit: 10, noFallback: true });
    expect(hits[0]?.person.id).toBe(ids.pablo);
    expect(hits[0]!.result.explanation.find((e) => e.field === 'given_names')?.level).toBe('fuzzy');
  });

  it('fill a full candidate list with the people who have the query\'s words before those who have a correction of them', async () => {
    // SELVIN and ELVIA are one typo from ELVIN and rarer pairs with HERNÁNDEZ: without the discount of
    // corrections they took two of three places.
    const hits = await searchPersons(db, institutionId, { text: 'Elvin Hernandez' }, { limit: 10, noFallback: true, candidateCap: 3 });
    expect(hits.map((h) => h.person.given_names)).toEqual(['Elvin', 'Elvin', 'Elvin']);
  });

  it('correct a query word within two edits of a word stored after the institution\'s word list was read', async () => {
    const before = await searchPersons(db, institutionId, { text: 'Rosa Busdamate' }, { limit: 10, noFallback: true });
    expect(before).toHaveLength(0);
    const { rows } = await sql<{ id: string }>`insert into people (institution_id, given_names, surname1, surname2, sex, nationalities, languages)
      values (${institutionId}, 'Rosa', 'Bustamante', 'Cruz', 'female', '{MEX}', '{spa}') returning id`.execute(db);
    const after = await searchPersons(db, institutionId, { text: 'Rosa Busdamate' }, { limit: 10, noFallback: true });
    expect(after[0]?.person.id).toBe(rows[0]!.id);
  });

  it('probe the usual slips of a typed date of birth', () => {
    expect(birthDateVariants('1987-03-21')).toEqual(['1987-03-21', '1986-03-21', '1988-03-21', '1977-03-21', '1997-03-21', '1978-03-21']);
    expect(birthDateVariants('1990-06-02')).toEqual(expect.arrayContaining(['1990-02-06', '1909-06-02', '1980-06-02']));
  });
});
