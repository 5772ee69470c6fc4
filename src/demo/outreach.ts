import type { Db } from '../platform/db/database.ts';
import type { Actor } from '../platform/auth/policy.ts';
import { Random } from '../platform/random.ts';
import { isoDaysAfter, localDate } from '../platform/dates.ts';
import { recordOutreachEvent } from '../outreach/outreach.service.ts';
import type { NewEvent } from '../outreach/outreach.schema.ts';
import { DEMO_INSTITUTIONS } from './catalogue.ts';
import type { Staff } from './generator.ts';

/**
 * Outreach in the demo (seed, section I: the consulates' women's windows held 1,646 events): the two
 * consulates hold one or two events a week over the last six months, up to last week, and have two on
 * the calendar; the shelters and CEAV an information session now and then. Recorded by a caseworker
 * of each institution through the module (src/outreach), like any user.
 */

const KINDS = ['talk', 'workshop', 'fair', 'information_session', 'mobile_consulate'] as const;
const TOPICS = ['violence_prevention', 'rights', 'documents', 'health', 'financial_education', 'legal_protection', 'trafficking_prevention'] as const;
const TITLES: Record<(typeof TOPICS)[number], string> = {
  violence_prevention: 'Vivir sin violencia: plática para mujeres',
  rights: 'Tus derechos en el trabajo',
  documents: 'Doble nacionalidad y actas de nacimiento',
  health: 'Ventanilla de salud: detección y vacunas',
  financial_education: 'Envío de remesas y ahorro',
  legal_protection: 'Asesoría legal gratuita',
  trafficking_prevention: 'Ofertas de trabajo engañosas: cómo reconocerlas',
};

function attendance(random: Random, size: number): NewEvent['attendance'] {
  const women = Math.round(size * (0.55 + random.next() * 0.25));
  const split = (sex: 'female' | 'male', n: number) => {
    const bands = [['0-11', 0.08], ['12-17', 0.07], ['18-29', 0.3], ['30-59', 0.45]] as const;
    const cells = bands.map(([age_band, share]) => ({ sex, age_band, attendees: Math.floor(n * share * (0.7 + random.next() * 0.6)) }));
    const rest = Math.max(0, n - cells.reduce((t, c) => t + c.attendees, 0));
    return [...cells, { sex, age_band: '60+' as const, attendees: rest }];
  };
  return [...split('female', women), ...split('male', size - women)].filter((c) => c.attendees > 0);
}

export async function loadOutreachDemo(db: Db, options: { seed: number; institutionIds: Map<string, string>; staff: Map<string, Staff>; now?: Date }): Promise<{ events: number }> {
  const random = new Random(options.seed + 44);
  const today = localDate(options.now ?? new Date());
  const lastWeek = isoDaysAfter(today, -7);
  let events = 0;
  for (const spec of DEMO_INSTITUTIONS) {
    const staff = options.staff.get(spec.code);
    const institutionId = options.institutionIds.get(spec.code);
    if (!staff?.caseworkers[0] || !institutionId) continue;
    const abroad = (spec.country ?? 'MEX') !== 'MEX';
    if (!abroad && !['ALB1', 'ALB2', 'CEAV'].includes(spec.code)) continue;
    const actor: Actor = { userId: staff.caseworkers[0], institutionId, role: 'caseworker', isPlatformAdmin: false, ip: null };
    const place = abroad ? { country: spec.country!, city: spec.place.split(',')[0]! } : { country: 'MEX', state_code: spec.state_code!, municipality_code: spec.municipality_code ?? null };
    const event = (heldOn: string, held: boolean): NewEvent => {
      const topic = abroad ? random.pick(TOPICS) : random.pick(['rights', 'health', 'legal_protection'] as const);
      const kind = abroad ? random.pick(KINDS) : random.pick(['talk', 'information_session'] as const);
      return { title: TITLES[topic], kind, topic, programme: abroad ? 'women_support' : spec.code === 'CEAV' ? 'victim_assistance' : 'shelter', held_on: heldOn, ...place, venue: abroad ? random.pick(['Sede consular', 'Parroquia de Nuestra Señora de Guadalupe', 'Centro comunitario', 'Biblioteca pública']) : null, attendance: held ? attendance(random, kind === 'fair' || kind === 'mobile_consulate' ? random.int(80, 260) : random.int(12, 60)) : [] };
    };
    // Week by week back from last week: consulates one or two events, the others one a month.
    for (let week = 0; week < 26; week++) {
      const weekEnd = isoDaysAfter(lastWeek, -7 * week);
      const count = abroad ? random.int(1, 2) : week % 4 === 0 ? 1 : 0;
      for (let k = 0; k < count; k++) {
        await recordOutreachEvent(db, actor, event(isoDaysAfter(weekEnd, -random.int(0, 6)), true));
        events++;
      }
    }
    if (abroad) {
      for (const ahead of [3, 10]) {
        await recordOutreachEvent(db, actor, event(isoDaysAfter(today, ahead), false));
        events++;
      }
    }
  }
  return { events };
}
