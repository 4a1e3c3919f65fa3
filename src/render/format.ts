import { type MetricKey, metricDefinition } from "../commands/metricKeys.ts";
import type { WorkspaceInfo } from "../insights/viewModels.ts";

/** Number formatting in the workspace's locale and currency; null reads as a plain sentence. */

export const NOT_ENOUGH_HISTORY = "not enough history yet";

export interface Formatter {
  count(value: number | null): string;
  money(value: number | null): string;
  percent(value: number | null): string;
  ratio(value: number | null): string;
  days(value: number | null): string;
  date(iso: string): string;
  /** Date and time of day in the workspace's time zone: "30 Mar 2026, 09:00". */
  dateTime(iso: string): string;
  /** A calendar day ("2026-03-02", no time zone) as month and day: "Mar 2". */
  monthDay(isoDay: string): string;
}

type FormatSettings = Pick<WorkspaceInfo, "locale" | "currency" | "timezone">;

/** Intl formatters take milliseconds to make and nothing to reuse: one set per locale, currency and zone. */
const formatters = new Map<string, Formatter>();

export function formatterFor(workspace: FormatSettings): Formatter {
  const key = `${workspace.locale}|${workspace.currency}|${workspace.timezone}`;
  let formatter = formatters.get(key);
  if (!formatter) {
    formatter = newFormatter(workspace);
    formatters.set(key, formatter);
  }
  return formatter;
}

function newFormatter({ locale, currency, timezone }: FormatSettings): Formatter {
  const count = new Intl.NumberFormat(locale, { maximumFractionDigits: 0 });
  const money = new Intl.NumberFormat(locale, { style: "currency", currency, maximumFractionDigits: 2 });
  const percent = new Intl.NumberFormat(locale, { style: "percent", maximumFractionDigits: 1 });
  const ratio = new Intl.NumberFormat(locale, { maximumFractionDigits: 2 });
  const days = new Intl.NumberFormat(locale, { maximumFractionDigits: 1 });
  const date = new Intl.DateTimeFormat(locale, { dateStyle: "medium", timeZone: timezone });
  const dateTime = new Intl.DateTimeFormat(locale, {
    dateStyle: "medium",
    timeStyle: "short",
    timeZone: timezone,
  });
  // A calendar day parses as UTC midnight: formatting it in UTC keeps it the same day everywhere.
  const monthDay = new Intl.DateTimeFormat(locale, { month: "short", day: "numeric", timeZone: "UTC" });
  const orNull = (value: number | null, format: (value: number) => string) =>
    value === null ? NOT_ENOUGH_HISTORY : format(value);
  return {
    count: (value) => orNull(value, (v) => count.format(Math.round(v))),
    money: (value) => orNull(value, (v) => money.format(v)),
    percent: (value) => orNull(value, (v) => percent.format(v)),
    ratio: (value) => orNull(value, (v) => ratio.format(v)),
    days: (value) => orNull(value, (v) => `${days.format(v)} d`),
    date: (iso) => date.format(new Date(iso)),
    dateTime: (iso) => dateTime.format(new Date(iso)),
    monthDay: (isoDay) => monthDay.format(new Date(`${isoDay.slice(0, 10)}T00:00:00Z`)),
  };
}

/** A metric's value in the catalogue's format: a share, an amount, days, a ratio or a count. */
export function formatMetric(f: Formatter, key: MetricKey, value: number | null): string {
  return f[metricDefinition(key).format](value);
}

/** "+12 %", "−8 %" or "=": how `value` compares to `reference`. */
export function versus(value: number | null, reference: number | null): string {
  if (value === null || reference === null || reference === 0) return "";
  const change = value / reference - 1;
  if (Math.abs(change) < 0.005) return "=";
  const rounded = Math.round(change * 100);
  return rounded > 0 ? `+${rounded}%` : `−${Math.abs(rounded)}%`;
}
