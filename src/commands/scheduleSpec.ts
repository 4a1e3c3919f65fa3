import { z } from "zod";
import { failure, type Outcome, success } from "./outcome.ts";
import { didYouMean } from "./recognized.ts";
import { closestMatches } from "./suggest.ts";

export const WEEKDAYS = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"] as const;
export type Weekday = (typeof WEEKDAYS)[number];

const TIME_OF_DAY = /^(?:[01]\d|2[0-3]):[0-5]\d$/;
const timeOfDaySchema = z.string().regex(TIME_OF_DAY, "Use HH:MM between 00:00 and 23:59");

export const scheduleSchema = z.discriminatedUnion("kind", [
  z.object({ kind: z.literal("weekly"), day: z.enum(WEEKDAYS), time: timeOfDaySchema }),
  z.object({ kind: z.literal("daily"), time: timeOfDaySchema }),
  z.object({
    kind: z.literal("cron"),
    expression: z.string().refine(hasCronFieldCount, "A cron expression has 5 or 6 fields"),
  }),
]);

export type Schedule = z.infer<typeof scheduleSchema>;

/** Only the shape is checked here; the scheduler validates the fields themselves. */
function hasCronFieldCount(expression: string): boolean {
  const fields = cronFields(expression);
  return fields.length === 5 || fields.length === 6;
}

export function cronFields(expression: string): string[] {
  return expression.trim().split(/\s+/).filter(Boolean);
}

const DAY_NAMES: Readonly<Record<string, Weekday>> = {
  mon: "mon",
  monday: "mon",
  tue: "tue",
  tues: "tue",
  tuesday: "tue",
  wed: "wed",
  weds: "wed",
  wednesday: "wed",
  thu: "thu",
  thur: "thu",
  thurs: "thu",
  thursday: "thu",
  fri: "fri",
  friday: "fri",
  sat: "sat",
  saturday: "sat",
  sun: "sun",
  sunday: "sun",
};

/** "Mon", "monday", "Mondays" → "mon". */
export function weekdayFromText(word: string): Weekday | undefined {
  const name = word.toLowerCase().replace(/\.$/, "");
  return DAY_NAMES[name] ?? (name.endsWith("s") ? DAY_NAMES[name.slice(0, -1)] : undefined);
}

export function weekdayOrReason(word: string): Outcome<Weekday> {
  const day = weekdayFromText(word);
  if (day) return success(day);
  const fullNames = Object.keys(DAY_NAMES).filter((name) => name.length > 4);
  const guesses = closestMatches(word, fullNames, 1);
  return failure(`“${word}” is not a day of the week.${didYouMean(guesses)} Use ${WEEKDAYS.join(", ")}.`);
}

/** "9:00", "09.00", "9", "9am", "9:30 pm" → "HH:MM"; anything outside 00:00–23:59 is refused. */
export function timeOfDayOrReason(text: string): Outcome<string> {
  const match = /^(\d{1,2})(?:[:.](\d{2}))?\s*(am|pm)?$/i.exec(text.trim());
  if (!match) return failure(`“${text}” is not a time of day: use HH:MM, e.g. 09:00.`);
  const [, hourText = "", minuteText = "00", meridiem] = match;
  const hour = hourFrom(Number(hourText), meridiem?.toLowerCase());
  const minute = Number(minuteText);
  if (hour === undefined || hour > 23 || minute > 59) {
    return failure(`“${text}” is not a time of day: use HH:MM between 00:00 and 23:59.`);
  }
  return success(`${twoDigits(hour)}:${twoDigits(minute)}`);
}

function hourFrom(hour: number, meridiem: string | undefined): number | undefined {
  if (meridiem === undefined) return hour;
  if (hour < 1 || hour > 12) return undefined;
  return (hour % 12) + (meridiem === "pm" ? 12 : 0);
}

function twoDigits(value: number): string {
  return String(value).padStart(2, "0");
}
