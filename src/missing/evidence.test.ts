import { describe, expect, it } from 'vitest';
import { inWords } from './evidence.ts';

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
