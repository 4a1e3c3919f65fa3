import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { IMPORT_COLUMNS } from "../../src/ingest/row.ts";
import { log } from "../../src/log.ts";
import { dumpTables, type Row, row } from "../ingest/support.ts";
import { asCsv, asJson, asNdjson, expectClean, Harness, json } from "../server/ingestSupport.ts";
import { endpointFuzzer, mutatedBytes } from "./fuzzing.ts";

/**
 * Fuzzing POST /api/ingest (beside the shared server's suite in httpFuzz.test.ts): with a valid
 * token, bodies that are valid rows with cells replaced, valid bodies with bytes flipped, cut or
 * invalid UTF-8 inserted, and hostile ones (deep, huge, binary, empty), under any Content-Type;
 * and any Authorization header. Every answer has a status from the allowed set (never 500) and
 * holds no stack, SQL or Prisma; a refused token writes nothing; afterwards a valid body is still
 * imported exactly.
 */

const RUNS = 150;
const MAX_BYTES = 64 * 1024;

const harness = new Harness();
let token: string;
let slug: string;

beforeAll(async () => {
  log.level = "silent";
  await harness.start({ maxBytes: MAX_BYTES, requestsPerMinute: 100_000 });
  ({ token, slug } = await harness.workspace());
}, 60_000);
afterAll(() => harness.stop());

const cellValue = fc.oneof(
  fc.string({ maxLength: 40 }),
  fc.integer(),
  fc.double(),
  fc.boolean(),
  fc.constant(null),
  fc.jsonValue({ maxDepth: 3 }),
  fc.constantFrom(
    "\u0000",
    "\u202e",
    '=HYPERLINK("x")',
    "'; DROP TABLE post; --",
    "2026-02-30T00:00:00Z",
    "-1",
  ),
);

/** Two to four valid rows, one cell of one of them replaced by any value (or left out). */
const rowsWithOneCellChanged = fc
  .tuple(
    fc.integer({ min: 2, max: 4 }),
    fc.nat(),
    fc.constantFrom(...IMPORT_COLUMNS, "extra"),
    fc.option(cellValue, { nil: undefined }),
  )
  .map(([count, at, column, value]) => {
    const rows: Record<string, unknown>[] = Array.from({ length: count }, (_, i) =>
      row({ captured_at: `2026-03-0${i + 2}T09:00:00Z` }),
    );
    const changed = rows[at % count] as Record<string, unknown>;
    if (value === undefined) delete changed[column];
    else changed[column] = value;
    return rows as Row[];
  });

const format = fc.constantFrom(
  { type: "application/json", write: asJson },
  { type: "application/x-ndjson", write: asNdjson },
  { type: "text/csv", write: asCsv },
);

const hostileBody = fc.oneof(
  fc.constantFrom("", "null", "42", '"x"', "{}", "{", "[", "\u0000", "\n\n\n", "platform\n", "[[]]"),
  fc.integer({ min: 1, max: 50_000 }).map((depth) => `${"[".repeat(depth)}${"]".repeat(depth)}`),
  fc.integer({ min: 1, max: 200_000 }).map((n) => `platform,creator\n${"x".repeat(n)}\n`),
  fc.uint8Array({ maxLength: 300 }).map((bytes) => Buffer.from(bytes)),
  fc.jsonValue({ maxDepth: 4 }).map((value) => JSON.stringify(value)),
);

const contentType = fc.constantFrom(
  "application/json",
  "application/json; charset=utf-8",
  "application/x-ndjson",
  "text/csv",
  "text/csv; charset=iso-8859-1",
  "text/plain",
  "multipart/form-data; boundary=x",
  "",
);

const fuzz = endpointFuzzer(RUNS, expectClean);

describe("fuzzing POST /api/ingest (property)", () => {
  it("rows with one cell replaced, in each format: imported or 400, never a 500", async () => {
    await fuzz(
      fc.tuple(rowsWithOneCellChanged, format),
      ([rows, { type, write }]) => harness.ingest(token, write(rows), type),
      [200, 400],
    );
  }, 180_000);

  it("valid bodies with bytes changed, and hostile bodies, under any Content-Type: 200, 400, 413 or 415", async () => {
    const valid = fc.constantFrom(asJson([row()]), asNdjson([row()]), asCsv([row()]));
    await fuzz(
      fc.tuple(fc.oneof(valid.chain(mutatedBytes), hostileBody), contentType),
      ([body, type]) => harness.ingest(token, body, type),
      [200, 400, 413, 415],
    );
  }, 180_000);

  it("any Authorization header but the token's: 401, and nothing is written", async () => {
    const before = await dumpTables(harness.store);
    const header = fc.oneof(
      fc.string({ maxLength: 200 }),
      fc.string({ maxLength: 80 }).map((text) => `Bearer ${text}`),
      fc.nat({ max: token.length - 1 }).map((at) => `Bearer ${token.slice(0, at)}${token.slice(at + 1)}`),
      fc.constantFrom(`Basic ${token}`, `Bearer ${token}x`, `Bearer  ${token.toLowerCase()}`, "Bearer", ""),
    );
    await fuzz(
      header,
      (authorization) =>
        harness.ingestWithHeaders(asJson([row()]), {
          "content-type": "application/json",
          ...(authorization === "" ? {} : { authorization }),
        }),
      [401],
    );
    expect(await dumpTables(harness.store)).toEqual(before);
  }, 180_000);

  it("after the runs, a valid body is still imported exactly", async () => {
    const rows = [row({ post_id: "AFTER-FUZZ" })];
    const answer = await harness.ingest(token, asJson(rows));
    // The creator and the campaign may have been written by the runs already; the post is new.
    expect([answer.status, json(answer)]).toMatchObject([
      200,
      { workspace: slug, rows: 1, changed: true, written: { posts: 1, snapshots: 1 } },
    ]);
    const again = await harness.ingest(token, asJson(rows));
    expect(json(again)).toMatchObject({
      changed: false,
      written: { creators: 0, campaigns: 0, posts: 0, snapshots: 0 },
    });
  });
});
