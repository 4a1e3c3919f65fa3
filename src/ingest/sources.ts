import { isUtf8 } from "node:buffer";
import { createReadStream } from "node:fs";
import { createInterface } from "node:readline";
import { type Duplex, pipeline, type Readable, Transform, type TransformCallback } from "node:stream";
import { CsvError, Parser } from "csv-parse";
import { asStream, gen, none } from "stream-chain";
import parser from "stream-json/parser.js";
import { streamArray } from "stream-json/streamers/stream-array.js";
import { echoValue, headerProblems, OverlongText, type SourceRecord } from "./row.ts";

/** NDJSON: one JSON object a line (the HTTP ingest API takes it; files are CSV or a JSON array). */
export type ImportFormat = "csv" | "json" | "ndjson";

/** A problem with the file as a whole (its header, its syntax): no row of it can be trusted. */
export class ImportFileError extends Error {
  override name = "ImportFileError";
}

/** Records of a file, read as a stream; `bytesRead()` tells how far into the file it is. */
export interface RecordStream {
  records: AsyncIterable<SourceRecord>;
  bytesRead(): number;
}

export function formatOfPath(path: string): ImportFormat {
  return path.toLowerCase().endsWith(".json") ? "json" : "csv";
}

/** The longest CSV line (a header of 100,000 columns is refused here, before it is looked at). */
export const MAX_LINE_CHARACTERS = 16_384;
/** The most bytes MAX_LINE_CHARACTERS characters of UTF-8 take. */
const MAX_LINE_BYTES = 4 * MAX_LINE_CHARACTERS;

/** `skipInvalidLines`: a CSV line that is not UTF-8 is one bad record, not a bad file. */
export function openRecordStream(path: string, format: ImportFormat, skipInvalidLines = false): RecordStream {
  const file = createReadStream(path);
  return { records: recordsOf(file, format, skipInvalidLines), bytesRead: () => file.bytesRead };
}

/**
 * The records of any bytes (a file, an HTTP body), checked as UTF-8 first. JSON items may span
 * lines and are not read by line: a line that is not UTF-8 refuses a JSON file even with
 * `skipInvalidLines`.
 */
export async function* recordsOf(
  bytes: Readable,
  format: ImportFormat,
  skipInvalidLines = false,
): AsyncGenerator<SourceRecord> {
  // Piped only once the first record is asked for, with its reader attached at once: bytes at
  // hand already (an HTTP body) could otherwise fail the UTF-8 check before anything listens,
  // and the reader, attached later to a stream already destroyed, would wait forever.
  const invalid = skipInvalidLines && format === "csv" ? new InvalidLines() : undefined;
  const input = pipeline(bytes, new Utf8Check(invalid), ignoreError);
  if (format === "csv") yield* csvRecords(input, invalid);
  else if (format === "json") yield* jsonRecords(input);
  else yield* ndjsonRecords(input);
}

/**
 * The lines found not to be UTF-8. Each is passed on with U+FFFD in place of its bad bytes, so its
 * quotes and commas still parse as written; the record holding it is then skipped as a whole.
 */
class InvalidLines {
  private readonly found: InvalidLine[] = [];

  add(found: InvalidLine): void {
    this.found.push(found);
  }

  /** The first bad line in (after, upTo], and every such line forgotten. */
  takeBetween(after: number, upTo: number): InvalidLine | undefined {
    const first = this.found.find(({ line }) => line > after && line <= upTo);
    const later = this.found.filter(({ line }) => line > upTo);
    this.found.splice(0, this.found.length, ...later);
    return first;
  }
}

interface InvalidLine {
  line: number;
  /** The 1-based character at which its bytes stop being UTF-8. */
  character: number;
}

/** A bad line as a skipped record: "line N" and what is wrong with it. */
function invalidLineRecord({ line, character }: InvalidLine): SourceRecord {
  return { where: `line ${line}`, problem: invalidUtf8Problem(character) };
}

const NEWLINE = 0x0a;

/**
 * Passes the bytes through unchanged once they are valid UTF-8; else fails, naming the line and
 * character, instead of letting the decoder replace them with U+FFFD. Lines are checked whole
 * (a newline byte is never inside a UTF-8 sequence), the unfinished last one with the next chunk.
 * Given `invalid`, a bad line is noted there and passed on with U+FFFD in place of its bad bytes.
 */
class Utf8Check extends Transform {
  private unfinished: Buffer = Buffer.alloc(0);
  private linesBefore = 0;
  /** Characters of the unfinished line already checked (and no longer held). */
  private lineCharacters = 0;

  constructor(private readonly invalid?: InvalidLines) {
    super();
  }

  override _transform(chunk: Buffer, _encoding: BufferEncoding, done: TransformCallback): void {
    const lastNewline = chunk.lastIndexOf(NEWLINE);
    if (lastNewline === -1) {
      if (this.invalid) {
        this.unfinished = Buffer.concat([this.unfinished, chunk]);
        done(null, this.overlongReleased());
        return;
      }
      const problem = this.checkedSoFar(Buffer.concat([this.unfinished, chunk]));
      done(problem ?? null, problem ? undefined : chunk);
      return;
    }
    const lines = Buffer.concat([this.unfinished, chunk.subarray(0, lastNewline + 1)]);
    this.unfinished = Buffer.from(chunk.subarray(lastNewline + 1));
    if (this.invalid) {
      done(null, this.marked(lines));
      return;
    }
    if (!isUtf8(lines)) {
      done(this.located(lines));
      return;
    }
    this.linesBefore += countNewlines(lines);
    this.lineCharacters = 0;
    done(null, chunk);
  }

  /**
   * A line held to be marked that is already too long for any CSV record is passed on as it is, a
   * part at a time: the CSV parser refuses it by its length, and it is never held whole.
   */
  private overlongReleased(): Buffer | undefined {
    if (this.unfinished.length <= MAX_LINE_BYTES) return undefined;
    const released = this.unfinished;
    this.unfinished = Buffer.alloc(0);
    return released;
  }

  /**
   * Checks a line's bytes so far up to its last whole character and holds only the rest, so a
   * line of 50 MB (a JSON file on one line) is neither held whole nor copied again at each chunk.
   */
  private checkedSoFar(bytes: Buffer): ImportFileError | undefined {
    const whole = bytes.subarray(0, wholeCharactersLength(bytes));
    if (!isUtf8(whole)) return this.located(whole);
    this.lineCharacters += countCharacters(whole);
    this.unfinished = Buffer.from(bytes.subarray(whole.length));
    return undefined;
  }

  override _flush(done: TransformCallback): void {
    if (this.invalid) done(null, this.marked(this.unfinished));
    else done(isUtf8(this.unfinished) ? null : this.located(this.unfinished));
  }

  /** The first bad line in `lines` (known to hold one), and where in it the bytes stop being UTF-8. */
  private located(lines: Buffer): ImportFileError {
    let start = 0;
    for (let line = this.linesBefore + 1; ; line++) {
      const end = lines.indexOf(NEWLINE, start);
      const bytes = lines.subarray(start, end === -1 ? lines.length : end);
      if (!isUtf8(bytes)) {
        const before = line === this.linesBefore + 1 ? this.lineCharacters : 0;
        return new ImportFileError(
          `line ${line}: ${invalidUtf8Problem(before + firstInvalidCharacter(bytes))}`,
        );
      }
      start = end + 1;
    }
  }

  /** `lines` with each line that is not UTF-8 noted, its bad bytes replaced by U+FFFD. */
  private marked(lines: Buffer): Buffer {
    if (isUtf8(lines)) {
      this.linesBefore += countNewlines(lines);
      return lines;
    }
    const out: Buffer[] = [];
    for (let start = 0; start < lines.length; ) {
      const end = lines.indexOf(NEWLINE, start);
      const stop = end === -1 ? lines.length : end;
      const bytes = lines.subarray(start, stop);
      const line = this.linesBefore + 1;
      if (isUtf8(bytes)) out.push(bytes);
      else {
        this.invalid?.add({ line, character: firstInvalidCharacter(bytes) });
        out.push(Buffer.from(new TextDecoder().decode(bytes)));
      }
      if (end !== -1) out.push(lines.subarray(end, end + 1));
      this.linesBefore += end === -1 ? 0 : 1;
      start = stop + 1;
    }
    return Buffer.concat(out);
  }
}

function invalidUtf8Problem(character: number): string {
  return `invalid UTF-8 at character ${character}: save the file as UTF-8`;
}

function countNewlines(bytes: Buffer): number {
  let count = 0;
  for (let at = bytes.indexOf(NEWLINE); at !== -1; at = bytes.indexOf(NEWLINE, at + 1)) count += 1;
  return count;
}

const CONTINUATION_BYTE = 0b1000_0000;
const CONTINUATION_MASK = 0b1100_0000;

/** The length of `bytes` without a character cut short at its end (its 1 to 3 first bytes). */
function wholeCharactersLength(bytes: Buffer): number {
  for (let at = bytes.length - 1; at >= Math.max(0, bytes.length - 4); at--) {
    const byte = bytes[at] as number;
    if ((byte & CONTINUATION_MASK) === CONTINUATION_BYTE) continue;
    const needed = byte >= 0xf0 ? 4 : byte >= 0xe0 ? 3 : byte >= 0xc0 ? 2 : 1;
    return at + needed > bytes.length ? at : bytes.length;
  }
  return bytes.length;
}

/** The characters of valid UTF-8: its bytes that are not continuation bytes. */
function countCharacters(bytes: Buffer): number {
  let count = 0;
  for (const byte of bytes) if ((byte & CONTINUATION_MASK) !== CONTINUATION_BYTE) count += 1;
  return count;
}

/** The 1-based character at which `bytes` stop being UTF-8 (the decoder fails on that byte). */
function firstInvalidCharacter(bytes: Buffer): number {
  const decoder = new TextDecoder("utf-8", { fatal: true });
  let characters = 0;
  try {
    for (const byte of bytes) characters += [...decoder.decode(Uint8Array.of(byte), { stream: true })].length;
    decoder.decode();
  } catch {
    // This byte is where the text stops being UTF-8.
  }
  return characters + 1;
}

function ignoreError(): void {
  // pipeline() hands stream errors to the iterating consumer, which rethrows them.
}

/** A CSV record's fields, and the line it ended on. */
interface CsvRecord {
  record: string[];
  lines: number;
}

/**
 * csv-parse yielding each record with the line it ended on, read from the parser's live `info`
 * as the record is pushed: what `info: true` reports, without the two objects it builds per
 * record (a tenth of reading a large file).
 */
class LineNumberedParser extends Parser {
  override push(record: string[] | null): boolean {
    return super.push(record === null ? null : ({ record, lines: this.info.lines } satisfies CsvRecord));
  }
}

/** The header names the columns (any order); each following line is one record. */
async function* csvRecords(input: Readable, invalid?: InvalidLines): AsyncGenerator<SourceRecord> {
  const parser = pipeline(
    input,
    new LineNumberedParser({
      bom: true,
      trim: true,
      skip_empty_lines: true,
      relax_column_count: true,
      max_record_size: MAX_LINE_CHARACTERS,
    }),
    ignoreError,
  );
  let header: string[] | undefined;
  let lastLine = 0;
  try {
    for await (const { record, lines } of parser as AsyncIterable<CsvRecord>) {
      // A bad line is a record of its own, or inside this record's quoted value.
      const badLine = invalid?.takeBetween(lastLine, lines);
      lastLine = lines;
      if (header === undefined) {
        // Without a header there are no columns to read the rest by.
        if (badLine) throw new ImportFileError(`line 1: ${invalidUtf8Problem(badLine.character)}`);
        header = checkedHeader(record);
        continue;
      }
      yield badLine ? invalidLineRecord(badLine) : csvRecord(header, record, `line ${lines}`);
    }
  } catch (error) {
    throw asFileError(error, "the file is not valid CSV", csvErrorMessage);
  }
  if (header === undefined) throw new ImportFileError("line 1: header: the file is empty");
}

function checkedHeader(record: string[]): string[] {
  const names = record.map((name) => name.trim().toLowerCase());
  const problems = headerProblems(names);
  if (problems.length > 0) throw new ImportFileError(`line 1: header: ${problems.join("; ")}`);
  return names;
}

function csvRecord(header: readonly string[], fields: readonly string[], where: string): SourceRecord {
  if (fields.length !== header.length) {
    return { where, problem: `expected ${header.length} fields like the header, got ${fields.length}` };
  }
  const values: Record<string, string> = {};
  header.forEach((name, index) => {
    values[name] = fields[index] as string;
  });
  return { where, values };
}

/** An array of objects keyed like the CSV header; "item N" is the N-th object, from 1. */
async function* jsonRecords(input: Readable): AsyncGenerator<SourceRecord> {
  const items = pipeline(input, jsonItems(), ignoreError);
  try {
    for await (const { key, value } of items as AsyncIterable<{ key: number; value: unknown }>) {
      const where = `item ${key + 1}`;
      yield jsonRecord(where, value);
    }
  } catch (error) {
    throw asFileError(error, "the file is not a JSON array of objects");
  }
}

/** The items of a JSON array, its keys, strings and numbers held only up to MAX_LINE_CHARACTERS each. */
function jsonItems(): Duplex {
  const tokens = parser({ packKeys: false, packStrings: false, packNumbers: false });
  return asStream(gen(tokens, boundedValues(), streamArray()), {
    writableObjectMode: false,
    readableObjectMode: true,
  });
}

/**
 * Packs each key, string and number the parser streams in chunks into one token, as the parser
 * would, except that past MAX_LINE_CHARACTERS (the longest CSV line, so the longest CSV cell) only
 * its length is counted on: the value becomes an OverlongText, and a 50 MB string costs 16 KB. A
 * key that long refuses the file, naming its item: no column is named so long.
 */
function boundedValues(): (token: parser.Token) => parser.Token | typeof none {
  let start = "";
  let length = 0;
  const items = new ItemCounter();
  return (token) => {
    items.see(token);
    switch (token.name) {
      case "startKey":
      case "startString":
      case "startNumber":
        start = "";
        length = 0;
        return none;
      case "stringChunk":
      case "numberChunk": {
        const chunk = token.value;
        if (start.length < MAX_LINE_CHARACTERS) start += chunk.slice(0, MAX_LINE_CHARACTERS - start.length);
        length += chunk.length;
        return none;
      }
      case "endKey":
        if (length > MAX_LINE_CHARACTERS) {
          throw new ImportFileError(
            `item ${items.current}: a key is ${length} characters long; no column is named so long`,
          );
        }
        return { name: "keyValue", value: start };
      case "endString":
        return stringToken(start, length);
      case "endNumber":
        return length > MAX_LINE_CHARACTERS
          ? stringToken(start, length)
          : { name: "numberValue", value: start };
      default:
        return token;
    }
  };
}

const VALUE_STARTS = new Set([
  "startObject",
  "startArray",
  "startString",
  "startNumber",
  "nullValue",
  "trueValue",
  "falseValue",
]);

/** Which item of the top-level array the parser's tokens are in (1-based, as messages count). */
class ItemCounter {
  current = 0;
  private depth = 0;

  see(token: parser.Token): void {
    if (this.depth === 1 && VALUE_STARTS.has(token.name)) this.current += 1;
    if (token.name === "startObject" || token.name === "startArray") this.depth += 1;
    if (token.name === "endObject" || token.name === "endArray") this.depth -= 1;
  }
}

function stringToken(start: string, length: number): parser.Token {
  const value = length > MAX_LINE_CHARACTERS ? new OverlongText(start, length) : start;
  // The assembler stores a value token's value as it is, whatever its type.
  return { name: "stringValue", value: value as string };
}

function jsonRecord(where: string, value: unknown): SourceRecord {
  return isPlainObject(value)
    ? { where, values: value }
    : { where, problem: `expected an object keyed by column names, got ${echoValue(value)}` };
}

/** One object keyed like the CSV header a line; "line N" counts every line, the blank ones skipped too. */
async function* ndjsonRecords(input: Readable): AsyncGenerator<SourceRecord> {
  let line = 0;
  try {
    for await (const text of createInterface({ input, crlfDelay: Number.POSITIVE_INFINITY })) {
      line += 1;
      if (text.trim() === "") continue;
      yield ndjsonRecord(`line ${line}`, text);
    }
  } catch (error) {
    throw asFileError(error, "the body is not NDJSON");
  }
}

function ndjsonRecord(where: string, text: string): SourceRecord {
  if (text.length > MAX_LINE_CHARACTERS) {
    return { where, problem: `the line is longer than ${MAX_LINE_CHARACTERS} characters` };
  }
  try {
    return jsonRecord(where, JSON.parse(text));
  } catch {
    return { where, problem: "expected one JSON object on the line, got text that is not JSON" };
  }
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && Object.getPrototypeOf(value) === Object.prototype;
}

/** csv-parse's refusals as "line N: what", for the two a hostile file meets first. */
function csvErrorMessage(error: Error): string {
  if (!(error instanceof CsvError)) return error.message;
  const line = (error as CsvError & { lines?: number }).lines;
  if (error.code === "CSV_MAX_RECORD_SIZE") {
    return `line ${line}: the line is longer than ${MAX_LINE_CHARACTERS} characters`;
  }
  // csv-parse's own sentence quotes the whole value so far (up to a line's 16,384 characters).
  if (error.code === "INVALID_OPENING_QUOTE") {
    const field = Number((error as CsvError & { column?: number }).column) + 1;
    return `line ${line}: field ${field}: a quote inside a value that is not in quotes: put the value in quotes and write its quotes twice ("")`;
  }
  return line === undefined ? error.message : `line ${line}: ${error.message.replace(/ at line \d+$/, "")}`;
}

function asFileError(error: unknown, what: string, describe = (e: Error) => e.message): Error {
  if (error instanceof ImportFileError) return error;
  const message = error instanceof Error ? describe(error) : String(error);
  return new ImportFileError(`${what}: ${message}`);
}
