import { CronExpressionParser } from "cron-parser";
import type { Schedule } from "../commands/scheduleSpec.ts";
import { WEEKDAYS } from "../commands/scheduleSpec.ts";

/** When things happen: schedules as cron expressions in a time zone, checked up front. */

export interface CronSchedule {
  cron: string;
  /** How a person reads it back: "weekly mon 09:00". */
  label: string;
}

export function scheduleToCron(schedule: Schedule): CronSchedule {
  switch (schedule.kind) {
    case "weekly": {
      const [hour, minute] = schedule.time.split(":").map(Number);
      const day = WEEKDAYS.indexOf(schedule.day) + 1; // cron: 1 = Monday … 7 = Sunday
      return {
        cron: `${minute} ${hour} * * ${day === 7 ? 0 : day}`,
        label: `weekly ${schedule.day} ${schedule.time}`,
      };
    }
    case "daily": {
      const [hour, minute] = schedule.time.split(":").map(Number);
      return { cron: `${minute} ${hour} * * *`, label: `daily ${schedule.time}` };
    }
    case "cron":
      return { cron: schedule.expression.trim(), label: `cron ${schedule.expression.trim()}` };
  }
}

/** A reason the expression cannot run, or null. */
export function cronProblem(cron: string): string | null {
  try {
    CronExpressionParser.parse(cron, { strict: false });
    return null;
  } catch (error) {
    return `“${cron}” is not a cron expression I can run: ${(error as Error).message}`;
  }
}

/** A reason the IANA time zone is unknown, or null. */
export function timezoneProblem(timezone: string): string | null {
  try {
    new Intl.DateTimeFormat("en", { timeZone: timezone });
    return null;
  } catch {
    return `“${timezone}” is not a time zone I know; use an IANA name such as Europe/Amsterdam or America/New_York`;
  }
}

/** The first scheduled moment strictly after `after`, in the schedule's time zone (DST-aware). */
export function nextRunAfter(cron: string, timezone: string, after: Date): Date {
  return CronExpressionParser.parse(cron, { currentDate: after, tz: timezone }).next().toDate();
}
