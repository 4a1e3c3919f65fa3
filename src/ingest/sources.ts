import { createReadStream } from "node:fs";
import { pipeline, type Readable } from "node:stream";
import { parse } from "csv-parse";
import { streamArray } from "stream-json/streamers/stream-array.js";
import { headerProblems, type SourceRecord } from "./row.ts";

export type ImportFormat = "csv" | "json";

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

export function openRecordStream(path: string, format: ImportFormat): RecordStream {
  const input = createReadStream(path);
  return {
    records: format === "csv" ? csvRecords(input) : jsonRecords(input),
    bytesRead: () => input.bytesRead,
  };
}

function ignoreError(): void {
  // pipeline() hands stream errors to the iterating consumer, which rethrows them.
}

/** What csv-parse yields with `info: true`: the fields, and where they ended. */
interface CsvRecordWithInfo {
  record: string[];
  info: { lines: number };
}

/** The header names the columns (any order); each following line is one record. */
async function* csvRecords(input: Readable): AsyncGenerator<SourceRecord> {
  const parser = pipeline(
    input,
    parse({ bom: true, trim: true, skip_empty_lines: true, relax_column_count: true, info: true }),
    ignoreError,
  );
  let header: string[] | undefined;
  try {
    for await (const { record, info } of parser as AsyncIterable<CsvRecordWithInfo>) {
      if (header === undefined) {
        header = checkedHeader(record);
        continue;
      }
      yield csvRecord(header, record, `line ${info.lines}`);
    }
  } catch (error) {
    throw asFileError(error, "the file is not valid CSV");
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
  // Whole values only: the assembler needs no token per chunk of a string or number.
  const items = pipeline(input, streamArray.withParserAsStream({ streamValues: false }), ignoreError);
  try {
    for await (const { key, value } of items as AsyncIterable<{ key: number; value: unknown }>) {
      const where = `item ${key + 1}`;
      yield isPlainObject(value)
        ? { where, values: value }
        : { where, problem: `expected an object keyed by column names, got ${JSON.stringify(value)}` };
    }
  } catch (error) {
    throw asFileError(error, "the file is not a JSON array of objects");
  }
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function asFileError(error: unknown, what: string): Error {
  if (error instanceof ImportFileError) return error;
  const message = error instanceof Error ? error.message : String(error);
  return new ImportFileError(`${what}: ${message}`);
}
