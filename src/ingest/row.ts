import { COUNTERS, type Counter, type SnapshotCounters } from "../metrics/types.ts";

/** One snapshot of one post, as a CSV line or a JSON object carries it; a blank counter is null. */
export interface ImportRow extends SnapshotCounters {
  /** Lower-cased, e.g. "instagram". */
  platform: string;
  /** The creator's handle, lower-cased, without a leading "@". */
  creator: string;
  followers: number;
  /** Null: the row names no campaign (a new post gets none; a stored post keeps its campaign). */
  campaign: string | null;
  /** The platform's id of the post. */
  postId: string;
  publishedAt: Date;
  /** Null: the row states no fee (a new post costs 0; a stored post keeps its fee). */
  fee: number | null;
  capturedAt: Date;
}

export const IMPORT_COLUMNS = [
  "platform",
  "creator",
  "followers",
  "campaign",
  "post_id",
  "published_at",
  "fee",
  "captured_at",
  ...COUNTERS,
] as const;
export type ImportColumn = (typeof IMPORT_COLUMNS)[number];

/** Columns a file must have; the others may be left out, which reads as blank in every row. */
export const REQUIRED_COLUMNS: readonly ImportColumn[] = [
  "platform",
  "creator",
  "followers",
  "post_id",
  "published_at",
  "captured_at",
];

/** A record read from a file, before validation: `where` is "line 7" or "item 7". */
export type SourceRecord =
  | { where: string; values: Readonly<Record<string, unknown>> }
  | { where: string; problem: string };

export type RowCheck = { ok: true; row: ImportRow } | { ok: false; problem: string };

const MAX_INT4 = 2_147_483_647;
/** numeric(14, 2) holds at most 12 digits before the point. */
const DECIMAL = /^\d{1,12}(\.\d+)?$/;
const WHOLE_NUMBER = /^\d+$/;
const ISO_TIMESTAMP =
  /^(\d{4})-(\d{2})-(\d{2})[Tt ](\d{2}):(\d{2})(?::(\d{2})(\.\d+)?)?(?:([Zz])|([+-])(\d{2}):?(\d{2}))$/;
const NAME = /^[a-z0-9][a-z0-9_.-]*$/;
const HANDLE = /^[^\s@]+$/u;

/** The longest text a cell of each kind may hold (creator handles are 30 at most on every platform). */
export const MAX_CELL_LENGTH = {
  platform: 40,
  creator: 100,
  campaign: 200,
  post_id: 200,
  /** Numbers and timestamps. */
  other: 40,
} as const;

/**
 * Characters no cell may hold: C0 and C1 controls (NUL, tab, line breaks, escape …) and the
 * bidirectional embeddings, overrides and isolates that make a name read differently than stored.
 */
const FORBIDDEN_CHARACTER = /[\p{Cc}\u202a-\u202e\u2066-\u2069]/u;

/**
 * A spreadsheet runs a cell starting with =, +, -, @ (or tab, carriage return) as a formula. Exports
 * escape such a text, and one that starts with "'", with a leading "'"; imports drop that "'" again.
 */
export const NEEDS_FORMULA_ESCAPE = /^['=+\-@\t\r]/;

/** How many characters of a refused value a message shows. */
const ECHOED_LENGTH = 60;

/**
 * A JSON string or number too long to hold (the reader keeps only its start): it is refused by
 * its length like any text over a column's limit.
 */
export class OverlongText {
  constructor(
    readonly start: string,
    readonly length: number,
  ) {}
}

/**
 * A value as a message shows it: a string quoted, escaped and cut to ECHOED_LENGTH characters;
 * an object or array only named (it may be nested arbitrarily deep).
 */
export function echoValue(value: unknown): string {
  if (value === undefined) return "nothing";
  if (Array.isArray(value)) return "an array";
  if (value instanceof OverlongText) return echoedStart(value.start, value.length);
  if (typeof value === "object" && value !== null) return "an object";
  if (typeof value !== "string") return String(value);
  if (value.length <= ECHOED_LENGTH) return JSON.stringify(value);
  return echoedStart(value, value.length);
}

function echoedStart(text: string, length: number): string {
  return `${JSON.stringify(text.slice(0, ECHOED_LENGTH))}… (${length} characters)`;
}

/** What the character and size policy refuses in a cell's text; undefined when it is fine. */
function textProblem(text: string | OverlongText, maxLength: number): string | undefined {
  if (text.length > maxLength) return `is ${text.length} characters long, at most ${maxLength}`;
  return text instanceof OverlongText ? undefined : characterProblem(text);
}

/**
 * The character policy for any outside text (cells, environment variables): the first control or
 * bidirectional control character, named by code point and place, never by showing it.
 */
export function characterProblem(text: string): string | undefined {
  const forbidden = FORBIDDEN_CHARACTER.exec(text);
  if (forbidden === null) return undefined;
  const code = (forbidden[0].codePointAt(0) ?? 0).toString(16).toUpperCase().padStart(4, "0");
  const kind = code.startsWith("20") ? "a bidirectional control" : "a control character";
  return `contains U+${code} (${kind}) at character ${forbidden.index + 1}: remove it`;
}

/**
 * A cell as trimmed text: JSON numbers become their decimal text, null and a missing key become
 * blank, and a leading "'" that escapes a formula character (as exports write it) is dropped.
 * An OverlongText stays as it is: it is longer than any column allows.
 * Undefined for values no column accepts (booleans, objects, NaN).
 */
function cellText(value: unknown): string | OverlongText | undefined {
  if (value === null || value === undefined) return "";
  if (value instanceof OverlongText) return value;
  if (typeof value === "string") {
    const text = value.trim();
    return text.startsWith("'") && NEEDS_FORMULA_ESCAPE.test(text.slice(1)) ? text.slice(1) : text;
  }
  if (typeof value === "number" && Number.isFinite(value)) return String(value);
  return undefined;
}

/**
 * A column: what it expects, how it reads a cell's trimmed text (undefined: not what it expects),
 * and the longest text it takes.
 */
interface Column<T> {
  expected: string;
  parse: (text: string) => T | undefined;
  maxLength: number;
}

function column<T>(
  expected: string,
  parse: (text: string) => T | undefined,
  maxLength: number = MAX_CELL_LENGTH.other,
): Column<T> {
  return { expected, parse, maxLength };
}

/** A cell refused, and why: `expected …, got …`, or the character and size policy's message. */
class CellProblem {
  constructor(readonly message: string) {}
}

/** The column's value of a cell (a JSON key left out reads as blank), or the problem with it. */
function cellValue<T>(column: Column<T>, value: unknown): T | CellProblem {
  const text = cellText(value);
  const problem = text === undefined ? undefined : textProblem(text, column.maxLength);
  if (problem !== undefined) return new CellProblem(problem);
  const parsed = typeof text === "string" ? column.parse(text) : undefined;
  return parsed === undefined
    ? new CellProblem(`expected ${column.expected}, got ${echoValue(value)}`)
    : parsed;
}

function parseName(text: string): string | undefined {
  const name = text.toLowerCase();
  return NAME.test(name) ? name : undefined;
}

function parseHandle(text: string): string | undefined {
  const handle = text.replace(/^@/, "").toLowerCase();
  return HANDLE.test(handle) ? handle : undefined;
}

function parseRequiredText(text: string): string | undefined {
  return text === "" ? undefined : text;
}

function parseOptionalText(text: string): string | null {
  return text === "" ? null : text;
}

function parseWholeNumber(text: string, max = Number.MAX_SAFE_INTEGER): number | undefined {
  if (!WHOLE_NUMBER.test(text)) return undefined;
  const value = Number(text);
  return value <= max ? value : undefined;
}

/** A counter's cell: blank (or a column left out) is null, "not given", which is not 0. */
function parseCount(text: string): number | null | undefined {
  return text === "" ? null : parseWholeNumber(text);
}

function parseDecimal(text: string): number | undefined {
  return DECIMAL.test(text) ? Number(text) : undefined;
}

function parseOptionalDecimal(text: string): number | null | undefined {
  return text === "" ? null : parseDecimal(text);
}

function daysInMonth(year: number, month: number): number {
  if (month === 2) return year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0) ? 29 : 28;
  return [4, 6, 9, 11].includes(month) ? 30 : 31;
}

/** ISO 8601 with a time zone; impossible dates such as February 30 are refused, not rolled over. */
export function parseTimestamp(text: string): Date | undefined {
  const match = ISO_TIMESTAMP.exec(text);
  if (match === null) return undefined;
  const year = Number(match[1]);
  const month = Number(match[2]);
  const day = Number(match[3]);
  const hour = Number(match[4]);
  const minute = Number(match[5]);
  const second = match[6] === undefined ? 0 : +match[6];
  const offsetHours = match[10] === undefined ? 0 : +match[10];
  const offsetMinutes = match[11] === undefined ? 0 : +match[11];
  // Date.UTC reads years below 100 as 19xx; no post is that old anyway.
  if (year < 1900 || month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) return undefined;
  if (hour > 23 || minute > 59 || second > 59 || offsetHours > 14 || offsetMinutes > 59) return undefined;
  const milliseconds = match[7] === undefined ? 0 : Math.floor(+match[7] * 1000);
  const offsetMs = (match[9] === "-" ? -1 : 1) * (offsetHours * 60 + offsetMinutes) * 60_000;
  return new Date(Date.UTC(year, month - 1, day, hour, minute, second, milliseconds) - offsetMs);
}

const TIMESTAMP = "an ISO 8601 timestamp with a time zone (e.g. 2026-03-01T09:30:00Z)";
const COUNT = "a whole number ≥ 0 (blank: not given)";

function counterColumn(counter: Counter): Column<number | null> {
  return counter === "revenue"
    ? column("a decimal number ≥ 0 (blank: not given)", parseOptionalDecimal)
    : column(COUNT, parseCount);
}

/** Every column, in the order a row's problems are named. */
const COLUMNS = {
  platform: column("a platform name such as instagram", parseName, MAX_CELL_LENGTH.platform),
  creator: column("a creator handle such as @anna.bakes", parseHandle, MAX_CELL_LENGTH.creator),
  followers: column("a whole number of followers ≥ 0", (text) => parseWholeNumber(text, MAX_INT4)),
  campaign: column("a campaign name or blank", parseOptionalText, MAX_CELL_LENGTH.campaign),
  post_id: column("the post's id on its platform", parseRequiredText, MAX_CELL_LENGTH.post_id),
  published_at: column(TIMESTAMP, parseTimestamp),
  fee: column("a decimal number ≥ 0", parseOptionalDecimal),
  captured_at: column(TIMESTAMP, parseTimestamp),
  ...(Object.fromEntries(COUNTERS.map((counter) => [counter, counterColumn(counter)])) as {
    [K in Counter]: Column<number | null>;
  }),
} satisfies { [K in ImportColumn]: Column<unknown> };

type ColumnValue<K extends ImportColumn> = (typeof COLUMNS)[K] extends Column<infer T> ? T : never;

const KNOWN_COLUMNS: ReadonlySet<string> = new Set(IMPORT_COLUMNS);

/** How many unknown keys of a JSON object a message names; the rest are counted. */
const NAMED_UNKNOWN_KEYS = 5;

function unknownKeys(keys: readonly string[]): string {
  const named = keys
    .slice(0, NAMED_UNKNOWN_KEYS)
    .map((key) => (/^[a-z0-9_]{1,40}$/.test(key) ? key : echoValue(key)));
  const more = keys.length > NAMED_UNKNOWN_KEYS ? ` and ${keys.length - NAMED_UNKNOWN_KEYS} more` : "";
  return `unknown ${keys.length === 1 ? "key" : "keys"} ${named.join(", ")}${more}`;
}

/** Validates one record; a problem reads `line 7: fee: expected a decimal number ≥ 0, got "abc"`. */
export function checkRecord(record: SourceRecord): RowCheck {
  if ("problem" in record) return { ok: false, problem: `${record.where}: ${record.problem}` };
  const { values } = record;
  const problems: string[] = [];
  /** The cell's value; a refused cell's problem is noted, and the row is not used then. */
  const cell = <K extends ImportColumn>(name: K): ColumnValue<K> => {
    const value = cellValue(COLUMNS[name] as Column<ColumnValue<K>>, values[name]);
    if (value instanceof CellProblem) problems.push(`${name}: ${value.message}`);
    return value as ColumnValue<K>;
  };
  const row: ImportRow = {
    platform: cell("platform"),
    creator: cell("creator"),
    followers: cell("followers"),
    campaign: cell("campaign"),
    postId: cell("post_id"),
    publishedAt: cell("published_at"),
    fee: cell("fee"),
    capturedAt: cell("captured_at"),
    impressions: cell("impressions"),
    reach: cell("reach"),
    views: cell("views"),
    likes: cell("likes"),
    comments: cell("comments"),
    shares: cell("shares"),
    saves: cell("saves"),
    clicks: cell("clicks"),
    redemptions: cell("redemptions"),
    conversions: cell("conversions"),
    revenue: cell("revenue"),
  };
  const unknown = Object.keys(values).filter((key) => !KNOWN_COLUMNS.has(key));
  if (unknown.length > 0) problems.push(unknownKeys(unknown));
  if (problems.length === 0 && row.capturedAt < row.publishedAt) {
    problems.push(
      `captured_at: must not be before published_at (${row.publishedAt.toISOString()}), got ${row.capturedAt.toISOString()}`,
    );
  }
  return problems.length === 0
    ? { ok: true, row }
    : { ok: false, problem: `${record.where}: ${problems.join("; ")}` };
}

/** A header longer than this is refused before its names are looked at (each known column once, and as many unknown). */
export const MAX_HEADER_COLUMNS = 2 * IMPORT_COLUMNS.length;

/** What is wrong with a CSV header (names already trimmed and lower-cased); empty when nothing. */
export function headerProblems(names: readonly string[]): string[] {
  if (names.length > MAX_HEADER_COLUMNS) {
    return [`${names.length} columns, at most ${MAX_HEADER_COLUMNS} (known: ${IMPORT_COLUMNS.join(", ")})`];
  }
  const known = new Set<string>(IMPORT_COLUMNS);
  const unknown = names.filter((name) => !known.has(name));
  const duplicated = names.filter((name, index) => names.indexOf(name) !== index);
  const missing = REQUIRED_COLUMNS.filter((name) => !names.includes(name));
  const problems: string[] = [];
  if (unknown.length > 0) {
    problems.push(
      `unknown columns ${unknown.map(echoValue).join(", ")} (known: ${IMPORT_COLUMNS.join(", ")})`,
    );
  }
  if (duplicated.length > 0) problems.push(`duplicate columns ${[...new Set(duplicated)].join(", ")}`);
  if (missing.length > 0) problems.push(`missing required columns ${missing.join(", ")}`);
  return problems;
}
