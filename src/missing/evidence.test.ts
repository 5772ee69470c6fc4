import { describe, expect, it } from 'vitest';
import { createPairContext, inWords, type Subject } from './evidence.ts';

/** The evidence of a pair as the review screen says it: phrases, direction and strength instead of weights. */
describe('evidence in words', () => {
  it('says whether a shared name is rare or common, from its weight', () => {
    expect(inWords({ field: 'surname1', level: 'exact', weight: 13.2 })).toMatchObject({ phrase: 'surname1.exact_rare', direction: 'for', strength: 3 });
    expect(inWords({ field: 'surname1', level: 'exact', weight: 5.1 })).toMatchObject({ phrase: 'surname1.exact_common', direction: 'for', strength: 2 });
    expect(inWords({ field: 'surname1', level: 'exact', weight: 8 }).phrase).toBe('surname1.exact');
    expect(inWords({ field: 'date_of_birth', level: 'exact', weight: 14.4 }).phrase).toBe('date_of_birth.exact');
  });

  it('gives direction and strength in three steps, and names states instead of codes', () => {
    expect(inWords({ field: 'timeline', level: 'found_before_last_seen', weight: -30 })).toMatchObject({ direction: 'against', strength: 3 });
    expect(inWords({ field: 'sex', level: 'agree', weight: 0.4 })).toMatchObject({ direction: 'neutral', strength: 0 });
    expect(inWords({ field: 'height', level: 'consistent', weight: 2.5 })).toMatchObject({ direction: 'for', strength: 1 });
    expect(inWords({ field: 'place', level: 'other_state', weight: -0.43, detail: '27 / 26' }).detail).toBe('Tabasco / Sonora');
  });
});

describe('pair weight without the words', () => {
  const subject = (side: 'R' | 'F', fields: Partial<Subject>): Subject => ({
    side, id: `${side}1`, institution_id: 'i', given_names: null, surname1: null, surname2: null, other_names: [], sex: 'male', date_of_birth: null,
    age_min: null, age_max: null, age_on: null, nationalities: [], height_min_cm: null, height_max_cm: null, marks: null, clothing: null,
    document_keys: [], event_on: null, death_to: null, state: null, condition: null, ...fields,
  });
  it('is the weight of the full score, for named and nameless pairs, agreeing and not', () => {
    const report = subject('R', { given_names: 'José Luis', surname1: 'Hernández', surname2: 'Paz', date_of_birth: '1990-04-02', age_on: '2024-01-10', nationalities: ['HND'],
      height_min_cm: 168, height_max_cm: 172, marks: 'tatuaje de un ancla en el brazo derecho; cicatriz en la ceja izquierda', clothing: 'pantalón de mezclilla, playera roja de los Pumas', event_on: '2024-01-10', state: '07' });
    const found = [
      subject('F', { given_names: 'Jose', surname1: 'Hernandes', surname2: 'Paz', age_min: 30, age_max: 38, nationalities: ['HND'], height_min_cm: 165, height_max_cm: 175,
        marks: 'ancla en brazo derecho', clothing: 'playera roja Pumas', event_on: '2024-03-01', state: '07', condition: 'alive' }),
      subject('F', { sex: 'unknown', age_min: 25, age_max: 45, marks: 'cicatriz lineal en región superciliar izquierda', clothing: 'mezclilla', event_on: '2024-06-01', death_to: '2024-05-20', state: '30', condition: 'deceased' }),
      subject('F', { given_names: 'Ana', surname1: 'Paz', sex: 'female', age_min: 60, age_max: 70, event_on: '2023-01-01', state: '02', condition: 'deceased' }),
    ];
    const context = createPairContext();
    for (const f of found) {
      const score = context.score(report, f);
      expect(score.explanation.some((e) => e.detail)).toBe(true);
      expect(context.weight(report, f)).toBe(score.weight);
    }
  });
});
