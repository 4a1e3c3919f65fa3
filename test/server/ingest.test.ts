import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { importFile } from "../../src/ingest/importFile.ts";
import { log } from "../../src/log.ts";
import { registry } from "../../src/ops/metrics.ts";
import { listen } from "../../src/server/http.ts";
import { INGEST_PATH, type IngestSettings, ingestRoutes } from "../../src/server/ingest.ts";
import { listIngestTokens, revokeIngestToken } from "../../src/store/ingestTokens.ts";
import { dumpTables, row, tempFolder, workspaceContents } from "../ingest/support.ts";
import {
  type Answer,
  asCsv,
  asJson,
  asNdjson,
  expectClean,
  Harness,
  json,
  send,
  sendEndless,
} from "./ingestSupport.ts";

const NOW = new Date("2026-03-20T12:00:00Z");
const MAX_BYTES = 64 * 1024;
const SETTINGS: IngestSettings = { maxBytes: MAX_BYTES, requestsPerMinute: 1_000 };

const TWO_SNAPSHOTS = [row(), row({ captured_at: "2026-03-03T09:00:00Z", likes: 120 })];
const WRITTEN_TWO = { creators: 1, campaigns: 1, posts: 1, snapshots: 2 };
const NOTHING_WRITTEN = { creators: 0, campaigns: 0, posts: 0, snapshots: 0 };
const NO_FALLS = { count: 0, falls: [] };

function importedSummary(slug: string, rows: number, written = WRITTEN_TWO, changed = true) {
  return { workspace: slug, rows, changed, written, counterFalls: NO_FALLS, alertsQueued: 0 };
}

async function apiRows(): Promise<number> {
  const metric = await registry.getSingleMetric("longtail_import_rows_total")?.get();
  return metric?.values.find((value) => value.labels.source === "api")?.value ?? 0;
}

/** Ingest requests answered 200, as the latency histogram counts them. */
async function ingestRequests(): Promise<number> {
  const metric = await registry.getSingleMetric("longtail_http_request_duration_seconds")?.get();
  const count = metric?.values.find(
    (value) =>
      (value as { metricName?: string }).metricName === "longtail_http_request_duration_seconds_count" &&
      value.labels.surface === "ingest" &&
      value.labels.status === "200",
  );
  return count?.value ?? 0;
}

describe("POST /api/ingest", () => {
  const harness = new Harness();
  const answers: Answer[] = [];
  const ingest = async (...args: Parameters<Harness["ingest"]>) => {
    const answer = await harness.ingest(...args);
    answers.push(answer);
    return answer;
  };

  beforeAll(async () => {
    log.level = "silent";
    await harness.start(SETTINGS);
  }, 60_000);
  afterAll(() => harness.stop());

  it("imports a JSON array and answers with the summary; the metrics count the request and its rows", async () => {
    const { slug, token, id } = await harness.workspace();
    const rowsBefore = await apiRows();
    const requestsBefore = await ingestRequests();
    const answer = await ingest(token, asJson(TWO_SNAPSHOTS));
    expect([answer.status, json(answer)]).toEqual([200, importedSummary(slug, 2)]);
    expect(answer.headers["content-type"]).toBe("application/json; charset=utf-8");
    expect(await apiRows()).toBe(rowsBefore + 2);
    expect(await ingestRequests()).toBe(requestsBefore + 1);
    expect(harness.alertChecks.at(-1)).toBe(id);
    const contents = await workspaceContents(harness.store, slug);
    expect(contents.snapshots.map((s) => [s.external_id, s.likes])).toEqual([
      ["P1", 90n],
      ["P1", 120n],
    ]);
  });

  it("stores exactly what `longtail import` stores from the same rows, as JSON, NDJSON and CSV", async () => {
    const rows = [
      ...TWO_SNAPSHOTS,
      row({ post_id: "P2", creator: "@Bob.Cooks", followers: 800, campaign: "", fee: "", likes: 4 }),
    ];
    const folder = tempFolder();
    try {
      const cli = await harness.workspace();
      const imported = await importFile(harness.store, {
        path: folder.write("rows.csv", asCsv(rows)),
        workspaceSlug: cli.slug,
        skipInvalid: false,
      });
      expect(imported.ok).toBe(true);
      const expected = await workspaceContents(harness.store, cli.slug);
      for (const [type, body] of [
        ["application/json", asJson(rows)],
        ["application/x-ndjson", asNdjson(rows)],
        ["text/csv; charset=utf-8", asCsv(rows)],
      ] as const) {
        const { slug, token } = await harness.workspace();
        const answer = await ingest(token, body, type);
        expect([type, answer.status, json(answer)]).toEqual([
          type,
          200,
          importedSummary(slug, 3, { creators: 2, campaigns: 1, posts: 2, snapshots: 3 }),
        ]);
        expect(await workspaceContents(harness.store, slug)).toEqual(expected);
      }
    } finally {
      folder.remove();
    }
  });

  it("the same body twice: the second changes nothing and says so, and checks no alerts", async () => {
    const { slug, token } = await harness.workspace();
    expect(json(await ingest(token, asNdjson(TWO_SNAPSHOTS), "application/x-ndjson"))).toEqual(
      importedSummary(slug, 2),
    );
    const before = await dumpTables(harness.store);
    const checks = harness.alertChecks.length;
    const again = await ingest(token, asNdjson(TWO_SNAPSHOTS), "application/x-ndjson");
    expect([again.status, json(again)]).toEqual([200, importedSummary(slug, 2, NOTHING_WRITTEN, false)]);
    expect(await dumpTables(harness.store)).toEqual(before);
    expect(harness.alertChecks.length).toBe(checks);
  });

  it("warns about a counter that fell by more than 10 %, and keeps the row", async () => {
    const { slug, token } = await harness.workspace();
    const fell = [row({ likes: 1_000 }), row({ captured_at: "2026-03-03T09:00:00Z", likes: 1 })];
    const answer = await ingest(token, asJson(fell));
    expect(json(answer)).toEqual({
      ...importedSummary(slug, 2),
      counterFalls: {
        count: 1,
        falls: [{ platform: "instagram", postId: "P1", counter: "likes", from: 1000, to: 1 }],
      },
    });
  });

  it("a bad row: 400 listing each problem as `line N: column: what`, and nothing is written", async () => {
    const { token } = await harness.workspace();
    const before = await dumpTables(harness.store);
    const csv = asCsv([row(), row({ fee: "abc" }), row({ post_id: "P3", published_at: "yesterday" })]);
    const answer = await ingest(token, csv, "text/csv");
    expect([answer.status, json(answer)]).toEqual([
      400,
      {
        error: "Nothing was imported: 2 bad rows of 3.",
        problems: [
          'line 3: fee: expected a decimal number ≥ 0, got "abc"',
          'line 4: published_at: expected an ISO 8601 timestamp with a time zone (e.g. 2026-03-01T09:30:00Z), got "yesterday"',
        ],
        problemCount: 2,
      },
    ]);
    expect(await dumpTables(harness.store)).toEqual(before);
  });

  it("names the NDJSON line and the JSON item, as the CLI names a file's", async () => {
    const { token } = await harness.workspace();
    const before = await dumpTables(harness.store);
    const ndjson = `${JSON.stringify(row())}\n\n${JSON.stringify(row({ followers: -5 }))}\nnot json\n`;
    expect(json(await ingest(token, ndjson, "application/x-ndjson"))).toEqual({
      error: "Nothing was imported: 2 bad rows of 3.",
      problems: [
        "line 3: followers: expected a whole number of followers ≥ 0, got -5",
        "line 4: expected one JSON object on the line, got text that is not JSON",
      ],
      problemCount: 2,
    });
    expect(json(await ingest(token, JSON.stringify([row(), [1]])))).toEqual({
      error: "Nothing was imported: 1 bad row of 2.",
      problems: ["item 2: expected an object keyed by column names, got an array"],
      problemCount: 1,
    });
    expect(json(await ingest(token, "platform,creator\ninstagram,anna\n", "text/csv"))).toEqual({
      error: "Nothing was imported.",
      problems: ["line 1: header: missing required columns followers, post_id, published_at, captured_at"],
      problemCount: 1,
    });
    // Not UTF-8 and no line break: the check fails at the body's end, before any row is read.
    const noLineBreak = Buffer.from([0x04, 0xc7, 0x4b, 0x05, 0x03]);
    for (const type of ["application/x-ndjson", "text/csv"]) {
      expect(json(await ingest(token, noLineBreak, type))).toEqual({
        error: "Nothing was imported.",
        problems: ["line 1: invalid UTF-8 at character 2: save the file as UTF-8"],
        problemCount: 1,
      });
    }
    expect(json(await ingest(token, Buffer.from([0x5b, 0xff, 0x5d, 0x0a])))).toEqual({
      error: "Nothing was imported.",
      problems: ["line 1: invalid UTF-8 at character 2: save the file as UTF-8"],
      problemCount: 1,
    });
    expect(await dumpTables(harness.store)).toEqual(before);
  });

  it("without a token, or with a wrong or revoked one: 401 with WWW-Authenticate, nothing written", async () => {
    const { id, token, tokenId } = await harness.workspace();
    const before = await dumpTables(harness.store);
    const missing = await ingest(null, asJson(TWO_SNAPSHOTS));
    expect([missing.status, missing.headers["www-authenticate"], json(missing)]).toEqual([
      401,
      'Bearer realm="ingest"',
      {
        error:
          "Send the header Authorization: Bearer <token>; `longtail token create --workspace SLUG` makes a token.",
      },
    ]);
    const invalid = {
      error: "The token is not valid: it is wrong, or it was revoked.",
    };
    const wrongToken = `${token.slice(0, -1)}${token.endsWith("A") ? "B" : "A"}`;
    for (const wrong of [wrongToken, "lt_ingest_short", token.toUpperCase()]) {
      const answer = await ingest(wrong, asJson(TWO_SNAPSHOTS));
      expect([answer.status, answer.headers["www-authenticate"], json(answer)]).toEqual([
        401,
        'Bearer realm="ingest", error="invalid_token"',
        invalid,
      ]);
    }
    expect(await revokeIngestToken(harness.store.prisma, id, tokenId, NOW)).toBe("revoked");
    const revoked = await ingest(token, asJson(TWO_SNAPSHOTS));
    expect([revoked.status, json(revoked)]).toEqual([401, invalid]);
    expect(await dumpTables(harness.store)).toEqual(before);
  });

  it("a token imports into its own workspace only, and is marked used", async () => {
    const first = await harness.workspace();
    const second = await harness.workspace();
    expect(json(await ingest(second.token, asJson(TWO_SNAPSHOTS)))).toEqual(importedSummary(second.slug, 2));
    expect((await workspaceContents(harness.store, first.slug)).snapshots).toEqual([]);
    const [listed] = await listIngestTokens(harness.store.prisma, second.id);
    expect(listed?.lastUsedAt).toBeInstanceOf(Date);
    const [unused] = await listIngestTokens(harness.store.prisma, first.id);
    expect(unused?.lastUsedAt).toBeNull();
  });

  it("lists tokens without the token or its hash", async () => {
    const { id, token } = await harness.workspace();
    const listed = await listIngestTokens(harness.store.prisma, id);
    expect(listed.map((info) => Object.keys(info).sort())).toEqual([
      ["createdAt", "id", "lastUsedAt", "name", "revokedAt"],
    ]);
    expect(JSON.stringify(listed)).not.toContain(token.slice("lt_ingest_".length));
  });

  it("another Content-Type, or another charset: 415 saying what is read", async () => {
    const { token } = await harness.workspace();
    const accepted =
      "application/json (an array of objects), application/x-ndjson (one object a line) or text/csv (a header, then one row a line)";
    const cases: [string, string][] = [
      ["text/plain", `Content-Type "text/plain" is not read here: send ${accepted}.`],
      ["", `Send a Content-Type: ${accepted}.`],
      ["text/csv; charset=latin1", 'Only UTF-8 is read, got charset "latin1": send the body as UTF-8.'],
    ];
    for (const [type, error] of cases) {
      const answer = await ingest(token, asCsv(TWO_SNAPSHOTS), type);
      expect([type, answer.status, json(answer)]).toEqual([type, 415, { error }]);
    }
  });

  it("a Content-Length over the limit: 413 at once, before the body is sent", async () => {
    const { token } = await harness.workspace();
    const before = await dumpTables(harness.store);
    const headers = {
      authorization: `Bearer ${token}`,
      "content-type": "application/json",
      "content-length": String(MAX_BYTES + 1),
    };
    // The client sends 1 byte of the announced body, then waits: only an answer sent unread ends this.
    const answer = await sendEndless(`${harness.server.url}${INGEST_PATH}`, headers, Buffer.from("["), 1);
    expect([answer.status, answer.headers.connection, json(answer)]).toEqual([
      413,
      "close",
      { error: `The body is larger than ${MAX_BYTES} bytes: send the rows in smaller parts.` },
    ]);
    expect(await dumpTables(harness.store)).toEqual(before);
  });

  it("a streamed body that grows past the limit: 413 while it streams, the rest unread", async () => {
    const { token } = await harness.workspace();
    const before = await dumpTables(harness.store);
    const headers = { authorization: `Bearer ${token}`, "content-type": "application/x-ndjson" };
    const line = Buffer.from(`${JSON.stringify(row())}\n`);
    const planned = 200 * 1024 * 1024;
    const answer = await sendEndless(`${harness.server.url}${INGEST_PATH}`, headers, line, planned);
    expect([answer.status, json(answer)]).toEqual([
      413,
      { error: `The body is larger than ${MAX_BYTES} bytes: send the rows in smaller parts.` },
    ]);
    // The answer came while the client was still writing: far from everything it meant to send.
    expect(answer.bytesWritten).toBeLessThan(planned / 10);
    expect(await dumpTables(harness.store)).toEqual(before);
  });

  it("other methods: 405 with Allow: POST", async () => {
    const answer = await send(`${harness.server.url}${INGEST_PATH}`, { method: "GET" });
    expect([answer.status, answer.headers.allow, json(answer)]).toEqual([
      405,
      "POST",
      { error: "Send the rows with POST." },
    ]);
  });

  it("a failed alert check after the import: the rows stay stored, alertsQueued is null", async () => {
    const failing = new Harness();
    await failing.start(SETTINGS);
    try {
      const routes = ingestRoutes({
        store: failing.store,
        settings: SETTINGS,
        afterIngest: () => Promise.reject(new Error("SELECT * FROM alert_rule failed at x.ts:1:1")),
      });
      const server = await listen(routes, "127.0.0.1", 0);
      try {
        const { slug, token } = await failing.workspace();
        const answer = await send(`${server.url}${INGEST_PATH}`, {
          body: asJson(TWO_SNAPSHOTS),
          headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
        });
        answers.push(answer);
        expect([answer.status, json(answer)]).toEqual([
          200,
          { ...importedSummary(slug, 2), alertsQueued: null },
        ]);
        expect((await workspaceContents(failing.store, slug)).snapshots).toHaveLength(2);
      } finally {
        await server.stop();
      }
    } finally {
      await failing.stop();
    }
  }, 60_000);

  it("no answer holds a stack trace, SQL or Prisma", () => {
    expect(answers.length).toBeGreaterThan(15);
    for (const answer of answers) expectClean(answer);
  });
});

describe("POST /api/ingest, rate-limited per token", () => {
  const harness = new Harness();

  beforeAll(async () => {
    log.level = "silent";
    await harness.start({ maxBytes: MAX_BYTES, requestsPerMinute: 2 });
  }, 60_000);
  afterAll(() => harness.stop());
  afterEach(() => {
    vi.useRealTimers();
  });

  it("answers 429 with Retry-After past the rate, for that token only, until the minute is over", async () => {
    vi.useFakeTimers({ toFake: ["Date"] });
    vi.setSystemTime(NOW);
    const limited = await harness.workspace();
    const other = await harness.workspace();
    const body = asJson(TWO_SNAPSHOTS);
    expect((await harness.ingest(limited.token, body)).status).toBe(200);
    expect((await harness.ingest(limited.token, body)).status).toBe(200);
    const refused = await harness.ingest(limited.token, body);
    expect([refused.status, refused.headers["retry-after"], json(refused)]).toEqual([
      429,
      "60",
      { error: "Too many requests with this token: try again in 60 s." },
    ]);
    expect((await harness.ingest(other.token, body)).status).toBe(200);
    vi.setSystemTime(NOW.getTime() + 45_000);
    expect((await harness.ingest(limited.token, body)).headers["retry-after"]).toBe("15");
    vi.setSystemTime(NOW.getTime() + 60_000);
    expect((await harness.ingest(limited.token, body)).status).toBe(200);
  });
});
