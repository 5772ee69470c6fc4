import { describe, expect, it } from 'vitest';
import { foldName, nameTokens } from './normalize.ts';
import { phoneticForm, phoneticKey, soundForm } from './phonetic.ts';
import { compareTokens, editDistanceAtMost2, jaroWinkler } from './compare.ts';
import { createScorer, createSharedFieldScores, prepareQuery, scorePair, scoreRecord, type PersonRecord } from './model.ts';
import { personNameKeys, queryFrequencyKeys, queryNameKeys, typoCorrections, typoTolerantKeys } from './keys.ts';

const tok = (s: string, field: 'any' | 'given' | 'surname' = 'any') => nameTokens(s, field)[0]!;
const record = (over: Partial<PersonRecord> = {}): PersonRecord => ({ id: 'r', given_names: 'MARÍA GUADALUPE', surname1: 'HERNÁNDEZ', surname2: 'LÓPEZ', sex: 'female', ...over });
const level = (r: ReturnType<typeof scorePair>, field: string) => r.explanation.find((e) => e.field === field)?.level;

describe('normaliser', () => {
  it('folds accents, case, ñ and punctuation', () => {
    expect(foldName('José Peña-Núñez')).toBe('JOSE PENA-NUNEZ');
    expect(nameTokens('Hernández').map((t) => t.text)).toEqual(['HERNANDEZ']);
  });
  it('drops particles for comparison but keeps a name made only of particles', () => {
    expect(nameTokens('María de los Ángeles').map((t) => t.text)).toEqual(['MARIA', 'ANGELES']);
    expect(nameTokens('de la Cruz y Pérez').map((t) => t.text)).toEqual(['CRUZ', 'PEREZ']);
    expect(nameTokens('De').map((t) => t.text)).toEqual(['DE']);
  });
  it('expands abbreviations and nicknames, and reads single letters as initials', () => {
    expect(tok('Ma.').forms).toEqual(['MARIA']);
    expect(tok('Fco.').forms).toEqual(['FRANCISCO']);
    expect(tok('Gpe').forms).toEqual(['GUADALUPE']);
    expect(tok('Pancho').forms).toEqual(['FRANCISCO']);
    expect(tok('Chuy').forms).toEqual(['JESUS']);
    expect(tok('Beto').forms).toEqual(['ALBERTO', 'ROBERTO', 'HUMBERTO']);
    expect(nameTokens('Chema').map((t) => t.text)).toEqual(['JOSE', 'MARIA']);
    expect(tok('J.').kind).toBe('initial');
    expect(nameTokens('E. Zapata')[0]!.kind).toBe('initial');
    // A surname is never read as a nickname: POLO stays POLO.
    expect(tok('Polo', 'surname').forms).toEqual(['POLO']);
  });
  it('leaves names from other languages whole', () => {
    expect(nameTokens('Jean-Baptiste Pierre-Louis').map((t) => t.text)).toEqual(['JEAN', 'BAPTISTE', 'PIERRE', 'LOUIS']);
    expect(nameTokens('Ana da Silva dos Santos').map((t) => t.text)).toEqual(['ANA', 'SILVA', 'SANTOS']);
    expect(nameTokens("Mary O'Brien").map((t) => t.text)).toEqual(['MARY', 'OBRIEN']);
  });
});

describe('Spanish phonetic key', () => {
  it.each([
    ['GONZALEZ', 'GONSALES'],
    ['VASQUEZ', 'BAZQUEZ'],
    ['VILLALOBOS', 'BIYALOBOS'],
    ['HERNANDEZ', 'ERNANDES'],
    ['JIMENEZ', 'XIMENES'],
    ['GIMENEZ', 'JIMENEZ'],
    ['XAVIER', 'JAVIER'],
    ['QUINTERO', 'KINTERO'],
    ['CARDENAS', 'KARDENAS'],
    ['GUADALUPE', 'WADALUPE'],
    ['HUERTA', 'WERTA'],
    ['GUILLERMO', 'GUIYERMO'],
    ['YANEZ', 'LLANES'],
    ['CECILIA', 'SESILIA'],
    ['BARRERA', 'BARERA'],
  ])('%s sounds like %s', (a, b) => {
    expect(phoneticForm(a)).toBe(phoneticForm(b));
  });
  it('keeps different names apart', () => {
    expect(phoneticForm('PEREZ')).not.toBe(phoneticForm('PAREDES'));
    expect(phoneticForm('GARCIA')).not.toBe(phoneticForm('GRACIA'));
    expect(phoneticKey('LOPEZ')).not.toBe(phoneticKey('LOZANO'));
  });
  it('gives a short blocking skeleton that absorbs vowels and endings', () => {
    expect(phoneticKey('HERNANDEZ')).toBe('ERND');
    expect(phoneticKey('HERNADEZ')).toBe('ERND');
    expect(phoneticKey('GONZALES')).toBe(phoneticKey('GONSALEZ'));
  });
});

describe('French spelling heard by a Spanish ear', () => {
  it('gives a French name and the way a clerk writes it aloud the same sound', () => {
    for (const [french, heard] of [['JEAN', 'YAN'], ['JEAN', 'GEAN'], ['PIERRE', 'PIER'], ['FLEUR', 'FLER'], ['MICHEL', 'MISHEL'], ['JOSEPH', 'YOSEF'], ['WILSON', 'GUILSON'], ['SAINT', 'SAN'], ['TOUSSAINT', 'TUSAN'], ['DIALLO', 'DIALO']]) {
      expect(soundForm(french!), `${french} ${heard}`).toBe(soundForm(heard!));
    }
    expect(soundForm('JUAN')).not.toBe(soundForm('JEAN'));
    expect(compareTokens(nameTokens('Jean')[0]!, nameTokens('Yan')[0]!).level).toBe('phonetic');
  });
});

describe('token comparators', () => {
  it('Jaro–Winkler', () => {
    expect(jaroWinkler('MARTHA', 'MARHTA')).toBeCloseTo(0.961, 3);
    expect(jaroWinkler('ABC', 'ABC')).toBe(1);
    expect(jaroWinkler('ABC', 'XYZ')).toBe(0);
  });
  it('grades exact, variant, phonetic, fuzzy, prefix, initial, none', () => {
    expect(compareTokens(tok('José'), tok('JOSE')).level).toBe('exact');
    expect(compareTokens(tok('Ma.'), tok('María')).level).toBe('variant');
    expect(compareTokens(tok('Pancho'), tok('Francisco')).level).toBe('variant');
    expect(compareTokens(tok('Gonsales'), tok('González')).level).toBe('phonetic');
    expect(compareTokens(tok('Hernanez'), tok('Hernández')).level).toBe('fuzzy');
    expect(compareTokens(tok('Guad'), tok('Guadalupe')).level).toBe('prefix');
    expect(compareTokens(tok('J.'), tok('José')).level).toBe('initial');
    expect(compareTokens(tok('Pedro'), tok('José')).level).toBe('none');
  });
});

describe('Fellegi–Sunter scores', () => {
  it('never scores one part of a compound given name, misspelt, above the whole name misspelt', () => {
    const record = (given_names: string): PersonRecord => ({ id: given_names, given_names, surname1: 'Saint-Fleur', surname2: null });
    const q = { text: 'Jea Saint-Fleur' };
    expect(scorePair(q, record('Jean')).weight).toBeGreaterThan(scorePair(q, record('Jean Baptiste')).weight);
    // A typo in one part of a whole given name keeps the evidence of the other parts.
    const sonia = { text: 'sonia marai sanchez' };
    expect(scorePair(sonia, { id: 'a', given_names: 'Sonia María', surname1: 'Sánchez', surname2: 'Hidalgo' }).weight).toBeGreaterThan(scorePair(sonia, { id: 'b', given_names: 'Sonia', surname1: 'Sánchez', surname2: null }).weight);
    // A typo on the first letter (a space typed one letter late: "de l aCruz").
    expect(compareTokens(nameTokens('Acruz')[0]!, nameTokens('Cruz')[0]!).level).toBe('fuzzy');
    expect(compareTokens(nameTokens('Ruiz')[0]!, nameTokens('Cruz')[0]!).level).toBe('none');
    // Two edits in one word: fuzzy, marked as such (weaker than one typo); not in short words nor with another start.
    const two = compareTokens(nameTokens('Saasar')[0]!, nameTokens('Salazar')[0]!);
    expect([two.level, two.edits]).toEqual(['fuzzy', 2]);
    expect(compareTokens(nameTokens('Yefan')[0]!, nameTokens('Jean')[0]!).edits).toBe(2);
    expect(compareTokens(nameTokens('Luz')[0]!, nameTokens('Lucas')[0]!).level).toBe('none');
    expect(compareTokens(nameTokens('Morales')[0]!, nameTokens('Rosales')[0]!).level).toBe('none');
    expect(editDistanceAtMost2('SALAZAR', 'SAASAR')).toBe(true);
    expect(editDistanceAtMost2('MARTINEZ', 'MATRINES')).toBe(true);
    expect(editDistanceAtMost2('MARTINEZ', 'MARTIN')).toBe(true);
    expect(editDistanceAtMost2('GONZALEZ', 'GOMEZ')).toBe(false);
    // Agreeing by sound with a name the tables do not know (the Haitian surname LOUIS) is no rarer than the query's own word (LUIS).
    const jl = { text: 'josé luis sánchez' };
    expect(scorePair(jl, { id: 'c', given_names: 'José Luis', surname1: 'Sánchez', surname2: 'Licona' }).weight).toBeGreaterThan(scorePair(jl, { id: 'd', given_names: 'Joseph', surname1: 'Louis', surname2: null }).weight);
    // An exact part still counts as the part it is.
    expect(scorePair({ text: 'Luis Pérez' }, { id: 'x', given_names: 'José Luis', surname1: 'Pérez', surname2: null }).explanation[0]!.level).toBe('partial');
  });

  it('scores "Ma. Guadalupe Hernandez" high against MARÍA GUADALUPE HERNÁNDEZ LÓPEZ', () => {
    const r = scorePair({ text: 'Ma. Guadalupe Hernandez' }, record());
    expect(level(r, 'given_names')).toBe('variant');
    expect(level(r, 'surname1')).toBe('exact');
    expect(level(r, 'surname2')).toBe('not_given');
    expect(r.probability).toBeGreaterThan(0.6);
  });
  it('finds Francisco from Pancho', () => {
    const r = scorePair({ text: 'Pancho Ramírez Soto' }, record({ given_names: 'Francisco', surname1: 'Ramírez', surname2: 'Soto', sex: 'male' }));
    expect(level(r, 'given_names')).toBe('variant');
    expect(r.probability).toBeGreaterThan(0.9);
  });
  it('reads "Jose Luis" against "Luis" as one part of a compound given name', () => {
    const r = scorePair({ text: 'Luis Morales Vega' }, record({ given_names: 'José Luis', surname1: 'Morales', surname2: 'Vega' }));
    expect(level(r, 'given_names')).toBe('partial');
    const full = scorePair({ text: 'José Luis Morales Vega' }, record({ given_names: 'José Luis', surname1: 'Morales', surname2: 'Vega' }));
    expect(full.weight).toBeGreaterThan(r.weight);
    expect(r.probability).toBeGreaterThan(0.5);
  });
  it('handles swapped surnames, at a small cost', () => {
    const r = scorePair({ text: 'María Guadalupe López Hernández' }, record());
    expect(r.explanation.find((e) => e.field === 'surname_order')?.level).toBe('swapped');
    expect(level(r, 'surname1')).toBe('exact');
    expect(r.probability).toBeGreaterThan(0.9);
    expect(r.weight).toBeLessThan(scorePair({ text: 'María Guadalupe Hernández López' }, record()).weight);
  });
  it('finds González from "Gonsales"', () => {
    const r = scorePair({ text: 'Pedro Gonsales' }, record({ given_names: 'Pedro', surname1: 'González', surname2: 'Ruiz' }));
    expect(level(r, 'surname1')).toBe('phonetic');
    expect(r.probability).toBeGreaterThan(0.5);
  });
  it('reads surnames first (HERNANDEZ LOPEZ MARIA GUADALUPE) and "Hernández López, María"', () => {
    expect(scorePair({ text: 'HERNANDEZ LOPEZ MARIA GUADALUPE' }, record()).probability).toBeGreaterThan(0.9);
    expect(scorePair({ text: 'Hernández López, María Guadalupe' }, record()).probability).toBeGreaterThan(0.95);
  });
  it('leaves Haitian and Brazilian names unaffected', () => {
    const haitian = record({ given_names: 'Jean-Baptiste', surname1: 'Pierre', surname2: null, sex: 'male' });
    expect(scorePair({ text: 'Jean-Baptiste Pierre' }, haitian).probability).toBeGreaterThan(0.9);
    const other = record({ given_names: 'Jean', surname1: 'Pierre-Louis', surname2: null, sex: 'male' });
    expect(scorePair({ text: 'Jean-Baptiste Pierre' }, haitian).weight).toBeGreaterThan(scorePair({ text: 'Jean-Baptiste Pierre' }, other).weight + 3);
    expect(scorePair({ text: 'Marie Claude Joseph' }, haitian).probability).toBeLessThan(0.1);
    const brazilian = record({ given_names: 'João', surname1: 'da Silva', surname2: 'dos Santos', sex: 'male' });
    expect(scorePair({ text: 'Joao Silva Santos' }, brazilian).probability).toBeGreaterThan(0.9);
  });
  it('weighs an agreement on GARCÍA less than on a rare surname', () => {
    const common = scorePair({ surname1: 'García' }, record({ surname1: 'García' }));
    const rare = scorePair({ surname1: 'Xicoténcatl' }, record({ surname1: 'Xicoténcatl' }));
    const w = (r: ReturnType<typeof scorePair>) => r.explanation.find((e) => e.field === 'surname1')!.weight;
    expect(w(rare)).toBeGreaterThan(w(common) + 5);
  });
  it('is calibrated: probabilities in [0, 1], a clear match above 0.9, an unrelated person below 0.1', () => {
    const clear = scorePair({ text: 'María Guadalupe Hernández López', date_of_birth: '1990-04-12', sex: 'female' }, record({ date_of_birth: '1990-04-12' }));
    expect(clear.probability).toBeGreaterThan(0.99);
    expect(clear.probability).toBeLessThanOrEqual(1);
    const unrelated = scorePair({ text: 'Pedro Ramírez Soto', sex: 'male' }, record());
    expect(unrelated.probability).toBeLessThan(0.1);
    expect(unrelated.probability).toBeGreaterThanOrEqual(0);
    for (const q of ['Ma Lopez', 'Guadalupe', 'X Y', 'Hernández Hernández Hernández']) {
      const p = scorePair({ text: q }, record()).probability;
      expect(p).toBeGreaterThanOrEqual(0);
      expect(p).toBeLessThanOrEqual(1);
    }
  });
  it('compares dates of birth and estimated ages', () => {
    const base = record({ date_of_birth: '1990-04-12' });
    const lvl = (dob: string) => scorePair({ text: 'María Guadalupe Hernández', date_of_birth: dob }, base).explanation.find((e) => e.field === 'date_of_birth')?.level;
    expect(lvl('1990-04-12')).toBe('exact');
    expect(lvl('1990-04-13')).toBe('close');
    expect(lvl('1990-12-04')).toBe('close');
    expect(lvl('1990-08-01')).toBe('same_year');
    expect(lvl('1992-01-01')).toBe('year_close');
    expect(lvl('1970-01-01')).toBe('disagree');
    const estimated = record({ estimated_age: 30, age_estimated_on: '2020-06-01' });
    expect(scorePair({ text: 'María Hernández', date_of_birth: '1988-03-03' }, estimated).explanation.find((e) => e.field === 'age')?.level).toBe('consistent');
    expect(scorePair({ text: 'María Hernández', date_of_birth: '1960-03-03' }, estimated).explanation.find((e) => e.field === 'age')?.level).toBe('inconsistent');
  });
  it('penalises a different sex and rewards a shared nationality', () => {
    const base = record({ nationalities: ['HND'] });
    const a = scorePair({ text: 'María Guadalupe Hernández', sex: 'male', nationalities: ['GTM'] }, base);
    expect(a.explanation.find((e) => e.field === 'sex')!.weight).toBeLessThan(0);
    expect(a.explanation.find((e) => e.field === 'nationality')!.weight).toBeLessThan(0);
    const b = scorePair({ text: 'María Guadalupe Hernández', sex: 'female', nationalities: ['HND'] }, base);
    expect(b.weight).toBeGreaterThan(a.weight + 5);
  });
});

describe('blocking keys', () => {
  const keys = personNameKeys({ given_names: 'José Luis', surname1: 'Hernández', surname2: 'López', other_names: [] });
  const shares = (q: string) => queryNameKeys({ text: q }).some((k) => keys.includes(k));
  it.each(['Jose Luis Hernandez Lopez', 'Luis Hernandez', 'Pepe Lopez', 'J. Hernández López', 'Lopez Hernandez Jose', 'Jose Ernandes', 'Jose Luis Hernadez Lopes'])('a person shares a key with "%s"', (q) => {
    expect(shares(q)).toBe(true);
  });
  it('does not share keys with an unrelated name', () => {
    expect(shares('Pedro Ramírez Soto')).toBe(false);
  });
});

describe('keys that one typo in a word the name tables do not know does not break (missing-person matching)', () => {
  const keysOf = (given: string, surname1: string, surname2: string | null = null) => {
    const person = { given_names: given, surname1, surname2, other_names: [] };
    return [...personNameKeys(person), ...typoTolerantKeys(person)];
  };
  const share = (a: string[], b: string[]) => a.some((k) => b.includes(k));
  it.each([
    ['Omar', 'Domínguez', 'OMAR', 'DJMINGUEZ'],
    ['Roosevelt', 'Dessalines', 'ROOSEVELT', 'DESSAINES'],
    ['Moussa', 'Sylla', 'Moussa', 'Slyla'],
    ['Aleida', 'Contreras', 'ALEBDA', 'CONTRERAS'],
    ['Rafael', 'Sánchez', 'Raael', 'Sanchez'],
    ['Fernando', 'Pérez', 'Ferngando', 'Perez'],
  ])('"%s %s" and "%s %s" share a key', (g1, s1, g2, s2) => {
    const plain = (g: string, s: string) => personNameKeys({ given_names: g, surname1: s, surname2: null, other_names: [] });
    expect(share(plain(g1, s1), plain(g2, s2))).toBe(false);
    expect(share(keysOf(g1, s1), keysOf(g2, s2))).toBe(true);
  });
  it('gives listed names no typo keys, so their blocks do not grow', () => {
    expect(typoTolerantKeys({ given_names: 'José Luis', surname1: 'Hernández', surname2: 'López', other_names: [] })).toEqual([]);
  });
  it('corrects an unknown word towards the listed spellings one typo away only', () => {
    expect(typoCorrections('surname', 'DJMINGUEZ')).toEqual(['DOMINGUEZ']);
    expect(typoCorrections('surname', 'ZXQWV')).toEqual([]);
  });
  it('keeps unrelated unknown names apart', () => {
    expect(share(keysOf('Roosevelt', 'Dessalines'), keysOf('Roosevelt', 'Charlemagne'))).toBe(false);
  });
});

describe('typos that make another name, and frequencies from the register', () => {
  const weightOf = (r: ReturnType<typeof scorePair>, field: string) => r.explanation.find((e) => e.field === field)!.weight;
  it('weighs a query word one typo from the record that is itself a common name (JOSE against JOSUE) as little as an initial', () => {
    const josue = scorePair({ text: 'JOSE PEREZ MARTINEZ' }, record({ given_names: 'JOSUE', surname1: 'PÉREZ', surname2: 'MARTÍNEZ' }));
    const part = scorePair({ text: 'JOSE PEREZ MARTINEZ' }, record({ given_names: 'JOSÉ MARTÍN', surname1: 'PÉREZ', surname2: 'MARTÍNEZ' }));
    expect(level(josue, 'given_names')).toBe('fuzzy');
    expect(level(part, 'given_names')).toBe('partial');
    expect(part.weight).toBeGreaterThan(josue.weight);
    expect(weightOf(josue, 'given_names')).toBeCloseTo(Math.log2(0.02 / 0.05), 1);
    // A typo that makes no name (JOSQE, CALDTRON) keeps the weight of a typo.
    expect(weightOf(scorePair({ text: 'JOSQE PEREZ MARTINEZ' }, record({ given_names: 'JOSUE', surname1: 'PÉREZ', surname2: 'MARTÍNEZ' })), 'given_names')).toBeCloseTo(Math.log2(0.05 / 0.003), 1);
    expect(weightOf(scorePair({ text: 'MIGUEL CALDTRON' }, record({ given_names: 'MIGUEL', surname1: 'CALDERÓN', surname2: null })), 'surname1')).toBeCloseTo(Math.log2(0.04 / 0.003), 1);
    // Spellings of one name farther apart than a typo (JONATHAN, JHONATAN) are not typos and keep their weight.
    expect(weightOf(scorePair({ text: 'JONATHAN LOPEZ' }, record({ given_names: 'JHONATAN', surname1: 'LÓPEZ', surname2: null })), 'given_names')).toBeGreaterThan(3);
  });

  it('keys the words the tables do not settle, and scores them by how many of the register have them', () => {
    const keys = personNameKeys({ given_names: 'Jean Pierre', surname1: 'Exantus', surname2: 'Hernández', other_names: [] }, true);
    expect(keys.filter((k) => k.startsWith('fs:'))).toEqual([`fs:${phoneticForm('EXANTUS')}`]);
    // JEAN and PIERRE are in the Spanish list, but rare there (below 1 in 1,000): counted too.
    expect(keys.filter((k) => k.startsWith('fg:')).sort()).toEqual([`fg:${phoneticForm('JEAN')}`, `fg:${phoneticForm('PIERRE')}`].sort());
    // Missing-person matching blocks without them.
    expect(personNameKeys({ given_names: 'Jean Pierre', surname1: 'Exantus', surname2: null, other_names: [] }).some((k) => k.startsWith('f'))).toBe(false);
    expect(queryFrequencyKeys({ text: 'yan exantus' }, new Map([['YAN', ['JEAN']]]))).toEqual(expect.arrayContaining([`fs:${phoneticForm('EXANTUS')}`, `fg:${phoneticForm('JEAN')}`]));

    const exantus = record({ given_names: 'JEAN', surname1: 'EXANTUS', surname2: null });
    const alone = scoreRecord(createScorer(prepareQuery({ text: 'jean exantus' })), exantus);
    // A register of 1,000,000 where 15,000 people are called JEAN and 600 EXANTUS.
    const counts = new Map([[`fg:${phoneticForm('JEAN')}`, 15_000], [`fs:${phoneticForm('EXANTUS')}`, 600]]);
    const registered = scoreRecord(createScorer(prepareQuery({ text: 'jean exantus' }), { people: 1_000_000, counts }), exantus);
    expect(weightOf(registered, 'surname1')).toBeCloseTo(Math.log2(0.82 / ((600 + 20_000 * 5e-5) / 1_020_000)), 1);
    expect(weightOf(registered, 'given_names')).toBeLessThan(weightOf(alone, 'given_names') - 5);
    // A small register says little: 3 EXANTUS among 200 people barely move the tables' value.
    const small = scoreRecord(createScorer(prepareQuery({ text: 'jean exantus' }), { people: 200, counts: new Map([[`fs:${phoneticForm('EXANTUS')}`, 3]]) }), exantus);
    expect(weightOf(small, 'surname1')).toBeGreaterThan(weightOf(alone, 'surname1') - 2.5);
    // A common name of the tables is never made rarer by the register.
    const garcia = record({ given_names: 'MARIA', surname1: 'GARCÍA', surname2: null });
    expect(scoreRecord(createScorer(prepareQuery({ text: 'maria garcia' }), { people: 1_000_000, counts: new Map() }), garcia).weight).toBe(scorePair({ text: 'maria garcia' }, garcia).weight);
  });
});

describe('scores shared between queries', () => {
  it('gives every query the same scores with shared field scores as with its own, whatever the order of the pairs', () => {
    const queries = [
      { given_names: 'José Luis', surname1: 'García', surname2: 'López' },
      { given_names: 'José Luis', surname1: 'Garsía', surname2: null },
      { given_names: 'Jose', surname1: 'García', surname2: 'López' },
      { given_names: 'José', surname1: 'García', surname2: 'Pérez' },
      { given_names: 'Chuy', surname1: 'Hernandes', surname2: 'Paz' },
      { given_names: 'María Guadalupe', surname1: 'Hernández', surname2: 'López' },
      { given_names: 'Ma. Guadalupe', surname1: 'López', surname2: 'Hernández' },
    ];
    const records = [
      record({ given_names: 'JOSE LUIS', surname1: 'GARCIA', surname2: 'LOPEZ' }),
      record({ given_names: 'JOSE', surname1: 'GARCIA', surname2: 'PEREZ' }),
      record({ given_names: 'LUIS', surname1: 'LOPEZ', surname2: 'GARCIA' }),
      record({ given_names: 'JESUS', surname1: 'HERNANDEZ', surname2: 'PAZ', other_names: ['CHUY'] }),
      record({ given_names: 'GUADALUPE', surname1: 'HERNANDEZ', surname2: null }),
      record({ given_names: 'MARIA', surname1: 'HERNANDEZ', surname2: 'LOPEZ' }),
    ];
    const alone = queries.map((q) => records.map((r) => scoreRecord(createScorer(prepareQuery(q)), r)));
    const shared = createSharedFieldScores();
    const scorers = queries.map((q) => createScorer(prepareQuery(q), undefined, shared));
    // Records first, then queries: each shared score is computed by some other query than the one asking.
    for (let j = records.length - 1; j >= 0; j--) {
      for (let i = 0; i < queries.length; i++) expect(scoreRecord(scorers[i]!, records[j]!)).toEqual(alone[i]![j]);
    }
    expect(shared.given.size).toBe(6);
  });
});
