import { localDate } from '../platform/dates.ts';
import type { Random } from '../platform/random.ts';

/**
 * The demo's time line: the 24 months up to the day it is loaded, so that dashboards, lists and
 * statistics show current work on the first start. Days are day numbers (days since 1970-01-01),
 * easy to add to and compare; "today" is the deployment's calendar day (AMPARO_TIME_ZONE), as the
 * dashboard counts it.
 */

const DAY = 86_400_000;
export const dayOf = (iso: string): number => Math.floor(Date.parse(`${iso}T00:00:00Z`) / DAY);
export const isoOf = (day: number): string => new Date(day * DAY).toISOString().slice(0, 10);

export class DemoCalendar {
  /** The calendar day of loading: no record is dated after it. */
  readonly today: number;
  /** 24 months before today. */
  readonly first: number;
  /** The first day of the current month, where the dashboards' "this month" starts. */
  readonly monthStart: number;
  private readonly nowMs: number;

  constructor(now: Date) {
    const local = localDate(now);
    this.nowMs = now.getTime();
    this.today = dayOf(local);
    this.first = this.today - 730;
    this.monthStart = dayOf(`${local.slice(0, 8)}01`);
  }

  /** A day of the 24 months, more often in recent ones (the movements have grown). */
  randomDay(random: Random): number {
    const span = this.today - this.first;
    const x = random.chance(0.5) ? random.next() : Math.sqrt(random.next());
    return this.first + Math.floor(x * (span + 1));
  }

  /** Whole years from `born` (an ISO date) to `day`. */
  ageOn(born: string, day: number): number {
    const on = isoOf(day);
    const years = Number(on.slice(0, 4)) - Number(born.slice(0, 4));
    return on.slice(5) < born.slice(5) ? years - 1 : years;
  }

  /**
   * A moment in office hours (Mexico, UTC-6) of the given day, after `after` when given, and never
   * later than the moment of loading: today's records are from this morning, not from this afternoon.
   */
  timeOn(random: Random, day: number, after?: Date): Date {
    let at = day * DAY + (random.int(8, 17) + 6) * 3_600_000 + random.int(0, 59) * 60_000 + random.int(0, 59) * 1000;
    if (after && at <= after.getTime()) at = after.getTime() + random.int(60, 3600) * 1000;
    if (at > this.nowMs) at = Math.min(this.nowMs, Math.max(after ? after.getTime() + 1 : 0, this.nowMs - random.int(1, 600) * 1000));
    return new Date(at);
  }

  /** `ms` after `at`, or now if that is sooner. */
  after(at: Date, ms: number): Date {
    return new Date(Math.max(at.getTime(), Math.min(at.getTime() + ms, this.nowMs)));
  }
}
