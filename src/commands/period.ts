import { z } from "zod";
import { MS_PER_DAY } from "../metrics/curve.ts";

export const MAX_PERIOD_DAYS = 3650;

/**
 * A period relative to the moment a question is answered: the parser has no clock, so
 * "this month" stays "this month" until `resolvePeriod` is given `now`.
 */
export const periodSchema = z.discriminatedUnion("kind", [
  z.object({ kind: z.enum(["thisWeek", "lastWeek", "thisMonth", "lastMonth"]) }),
  z.object({ kind: z.literal("lastDays"), days: z.number().int().min(1).max(MAX_PERIOD_DAYS) }),
]);

export type Period = z.infer<typeof periodSchema>;

export interface DateRange {
  /** Inclusive. */
  from: Date;
  /** Exclusive. */
  to: Date;
}

/**
 * The instants a period covers as of `now`. Weeks start on Monday; weeks and months begin at
 * local midnight in `timeZone` (an IANA name; an unknown one throws a RangeError). "This
 * week/month" runs until `now`; "last N days" is the rolling N × 24 hours before `now`.
 */
export function resolvePeriod(period: Period, now: Date, timeZone = "UTC"): DateRange {
  const today = localDateOf(now, timeZone);
  switch (period.kind) {
    case "thisWeek":
      return { from: startOfLocalDay(mondayOf(today), timeZone), to: now };
    case "lastWeek": {
      const monday = mondayOf(today);
      return {
        from: startOfLocalDay(addDays(monday, -7), timeZone),
        to: startOfLocalDay(monday, timeZone),
      };
    }
    case "thisMonth":
      return { from: startOfLocalDay(firstOfMonth(today, 0), timeZone), to: now };
    case "lastMonth":
      return {
        from: startOfLocalDay(firstOfMonth(today, -1), timeZone),
        to: startOfLocalDay(firstOfMonth(today, 0), timeZone),
      };
    case "lastDays":
      return { from: new Date(now.getTime() - period.days * MS_PER_DAY), to: now };
  }
}

/** A calendar date, as a UTC midnight so that date arithmetic ignores time zones. */
type CalendarDate = Date;

function localDateOf(instant: Date, timeZone: string): CalendarDate {
  const { year, month, day } = wallClockOf(instant, timeZone);
  return new Date(Date.UTC(year, month - 1, day));
}

function addDays(date: CalendarDate, days: number): CalendarDate {
  return new Date(Date.UTC(date.getUTCFullYear(), date.getUTCMonth(), date.getUTCDate() + days));
}

function mondayOf(date: CalendarDate): CalendarDate {
  const daysSinceMonday = (date.getUTCDay() + 6) % 7;
  return addDays(date, -daysSinceMonday);
}

function firstOfMonth(date: CalendarDate, monthsAhead: number): CalendarDate {
  return new Date(Date.UTC(date.getUTCFullYear(), date.getUTCMonth() + monthsAhead, 1));
}

/** The first instant of a calendar date in a time zone. */
function startOfLocalDay(date: CalendarDate, timeZone: string): Date {
  const midnightAsUtc = date.getTime();
  const firstGuess = midnightAsUtc - utcOffsetMs(new Date(midnightAsUtc), timeZone);
  // The offset at the guess can differ from the offset at UTC midnight across a DST change.
  const corrected = midnightAsUtc - utcOffsetMs(new Date(firstGuess), timeZone);
  const correctedIsSameDay = localDateOf(new Date(corrected), timeZone).getTime() === midnightAsUtc;
  // When clocks skip midnight itself, the day starts at the first instant after the gap.
  return new Date(correctedIsSameDay ? corrected : firstGuess);
}

function utcOffsetMs(instant: Date, timeZone: string): number {
  const { year, month, day, hour, minute, second } = wallClockOf(instant, timeZone);
  const wallClockAsUtc = Date.UTC(year, month - 1, day, hour, minute, second);
  return wallClockAsUtc - Math.floor(instant.getTime() / 1000) * 1000;
}

interface WallClock {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
}

function wallClockOf(instant: Date, timeZone: string): WallClock {
  const parts = new Intl.DateTimeFormat("en-US", {
    timeZone,
    hourCycle: "h23",
    year: "numeric",
    month: "numeric",
    day: "numeric",
    hour: "numeric",
    minute: "numeric",
    second: "numeric",
  }).formatToParts(instant);
  const part = (type: Intl.DateTimeFormatPartTypes): number =>
    Number(parts.find((candidate) => candidate.type === type)?.value);
  return {
    year: part("year"),
    month: part("month"),
    day: part("day"),
    hour: part("hour"),
    minute: part("minute"),
    second: part("second"),
  };
}
