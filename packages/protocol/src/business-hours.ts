/**
 * Business time: how much of a span falls in the workspace's weekly opening hours, read in its
 * time zone (daylight-saving changes included). Shared by the server's SLA sweep and metrics and
 * the views' SLA clocks, so it stays free of the schema library.
 */
import { TZDateMini } from '@date-fns/tz';

/** A workspace's week: opening periods in its IANA time zone; day 0 is Sunday, times `HH:MM`. */
export interface WeeklyHours {
  timezone: string;
  /** Null: always open (business time is wall-clock time). */
  periods: ReadonlyArray<{ day: number; open: string; close: string }> | null;
}

/** A week that never closes: business time is wall-clock time. */
export const ALWAYS_OPEN: WeeklyHours = { timezone: 'UTC', periods: null };

const DAY_MS = 86_400_000;
/** Bounds the walk through the calendar (a week without any opening never ends a clock). */
const MAX_DAYS = 3_700;

type Interval = readonly [start: number, end: number];

const clock = (time: string): [number, number] => [Number(time.slice(0, 2)), Number(time.slice(3, 5))];

/**
 * Answers business-time questions for one week of opening hours. The opening intervals of each
 * calendar day are worked out once and kept, so long spans and many clocks stay cheap.
 */
export class BusinessCalendar {
  readonly #timezone: string;
  readonly #periods: WeeklyHours['periods'];
  readonly #days = new Map<number, Interval[]>();

  constructor(hours: WeeklyHours) {
    this.#timezone = hours.timezone;
    this.#periods = hours.periods;
  }

  /** Whether every instant counts (no weekly hours set). */
  get alwaysOpen(): boolean {
    return this.#periods === null;
  }

  /** Whether `at` (ms) falls in an opening period. */
  isOpen(at: number): boolean {
    if (!this.#periods) return true;
    return this.#intervals(this.#dayOf(at)).some(([start, end]) => start <= at && at < end);
  }

  /** Business milliseconds from `from` to `to` (0 when `to` is not after `from`). */
  between(from: number, to: number): number {
    if (to <= from) return 0;
    if (!this.#periods) return to - from;
    let total = 0;
    for (let day = this.#dayOf(from), last = this.#dayOf(to); day <= last; day += 1) {
      for (const [start, end] of this.#intervals(day)) total += Math.max(0, Math.min(end, to) - Math.max(start, from));
    }
    return total;
  }

  /** The instant when `ms` of business time have passed since `from`; null when the week never opens. */
  add(from: number, ms: number): number | null {
    if (!this.#periods) return from + ms;
    let remaining = ms;
    for (let day = this.#dayOf(from), end = day + MAX_DAYS; day < end; day += 1) {
      for (const [start, close] of this.#intervals(day)) {
        const begin = Math.max(start, from);
        if (close <= begin) continue;
        if (remaining <= close - begin) return begin + remaining;
        remaining -= close - begin;
      }
    }
    return null;
  }

  /**
   * The latest instant from which `ms` of business time have passed by `to`: anything started at
   * or before it has used up `ms`. Null when the week never opens.
   */
  subtract(to: number, ms: number): number | null {
    if (!this.#periods) return to - ms;
    let remaining = ms;
    for (let day = this.#dayOf(to), end = day - MAX_DAYS; day > end; day -= 1) {
      const intervals = this.#intervals(day);
      for (let i = intervals.length - 1; i >= 0; i -= 1) {
        const [open, close] = intervals[i]!;
        const finish = Math.min(close, to);
        if (finish <= open) continue;
        if (remaining <= finish - open) return finish - remaining;
        remaining -= finish - open;
      }
    }
    return null;
  }

  /** The calendar day (days since 1970-01-01) holding `at` in the workspace's time zone. */
  #dayOf(at: number): number {
    const local = new TZDateMini(at, this.#timezone);
    return Date.UTC(local.getFullYear(), local.getMonth(), local.getDate()) / DAY_MS;
  }

  /** The day's opening intervals as instants, in order, merged where they touch. */
  #intervals(day: number): Interval[] {
    let found = this.#days.get(day);
    if (found) return found;
    const date = new Date(day * DAY_MS);
    const [year, month, dayOfMonth, weekday] = [date.getUTCFullYear(), date.getUTCMonth(), date.getUTCDate(), date.getUTCDay()];
    const at = ([hour, minute]: [number, number]) => new TZDateMini(year, month, dayOfMonth, hour, minute, this.#timezone).getTime();
    const raw = (this.#periods ?? [])
      .filter((period) => period.day === weekday)
      .map((period): Interval => [at(clock(period.open)), at(clock(period.close))])
      .filter(([start, end]) => end > start)
      .sort((a, b) => a[0] - b[0]);
    found = [];
    for (const interval of raw) {
      const previous = found.at(-1);
      if (previous && interval[0] <= previous[1]) found[found.length - 1] = [previous[0], Math.max(previous[1], interval[1])];
      else found.push(interval);
    }
    this.#days.set(day, found);
    return found;
  }
}
