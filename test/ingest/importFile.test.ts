import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { demoRows } from "../../src/ingest/demo.ts";
import { formatImportErrors, formatImportSummary } from "../../src/ingest/format.ts";
import { type ImportFileOptions, type ImportResult, importFile } from "../../src/ingest/importFile.ts";
import { IMPORT_COLUMNS, type ImportRow } from "../../src/ingest/row.ts";
import { csvChunks, toImportRecord } from "../../src/ingest/writeCsv.ts";
import type { Store } from "../../src/store/database.ts";
import { queryPostFacts } from "../../src/store/postFacts.ts";
import { openTestStore } from "../support/store.ts";
import { csv, csvLine, dumpTables, HEADER, tempFolder, workspaceContents } from "./support.ts";

const NOW = new Date("2026-06-01T00:00:00Z");

let store: Store;
const files = tempFolder();

beforeAll(async () => {
  store = await openTestStore();
});

afterAll(async () => {
  await store.close();
  files.remove();
});

function generatedRows(count: number): ImportRow[] {
  const rows: ImportRow[] = [];
  for (const row of demoRows({ now: NOW })) {
    if (rows.length === count) break;
    rows.push(row);
  }
  return rows;
}

function csvOf(rows: Iterable<ImportRow>): string {
  return [...csvChunks(rows)].join("");
}

async function run(options: Partial<ImportFileOptions> & Pick<ImportFileOptions, "path" | "workspaceSlug">) {
  return importFile(store, { skipInvalid: false, ...options });
}

function summaryOf(result: ImportResult) {
  if (!result.ok) throw new Error(formatImportErrors(result));
  return result.summary;
}

/** Each stored post_fact row with the transaction that wrote it: unchanged means untouched. */
function postFactVersions() {
  return store.prisma.$queryRaw<{ postId: number; version: string }[]>`
    SELECT post_id AS "postId", xmin::text AS version FROM post_fact ORDER BY post_id`;
}

function rejectionOf(result: ImportResult) {
  if (result.ok) throw new Error("expected the import to be refused");
  return result;
}

describe("importFile", () => {
  it("imports a generated CSV, and importing it again changes nothing", async () => {
    const path = files.write("hundred.csv", csvOf(generatedRows(100)));
    const first = summaryOf(await run({ path, workspaceSlug: "twice" }));
    const afterFirst = await dumpTables(store);
    const factVersions = await postFactVersions();
    const second = summaryOf(await run({ path, workspaceSlug: "twice" }));

    expect(await dumpTables(store)).toEqual(afterFirst);
    expect(await postFactVersions()).toEqual(factVersions);
    expect(factVersions).toHaveLength(first.posts);
    expect(first).toMatchObject({ rowsRead: 100, rows: 100, rowsSkipped: 0, snapshots: 100 });
    expect(second).toMatchObject({
      rowsRead: 100,
      rows: 100,
      creators: 0,
      campaigns: 0,
      posts: 0,
      snapshots: 0,
    });
    expect(first.posts).toBeGreaterThan(1);
    expect(formatImportSummary(first)).toMatch(/^Imported 100 rows of 100 into workspace "twice" in /);
  });

  it("imports nothing when a row is bad, and says which line and column", async () => {
    const path = files.write(
      "one-bad.csv",
      csv(csvLine(), csvLine({ captured_at: "2026-03-03T09:00:00Z", fee: "abc" })),
    );
    const result = rejectionOf(await run({ path, workspaceSlug: "one-bad" }));

    expect(result.problems).toEqual({
      count: 1,
      messages: ['line 3: fee: expected a decimal number ≥ 0, got "abc"'],
    });
    expect(formatImportErrors(result)).toBe(
      'Nothing was imported: 1 bad row of 2.\nline 3: fee: expected a decimal number ≥ 0, got "abc"',
    );
    expect(await workspaceContents(store, "one-bad")).toEqual({
      campaigns: [],
      creators: [],
      posts: [],
      snapshots: [],
    });
  });

  it("with skipInvalid imports the good rows and reports the bad ones", async () => {
    const bad = Array.from({ length: 25 }, (_, index) => csvLine({ post_id: `bad-${index}`, likes: "many" }));
    const path = files.write("skip.csv", csv(csvLine(), ...bad, csvLine({ post_id: "P2" })));

    const refused = rejectionOf(await run({ path, workspaceSlug: "skip" }));
    expect(refused.problems.count).toBe(25);
    expect(refused.problems.messages).toHaveLength(20);
    expect(formatImportErrors(refused).split("\n").at(-1)).toBe("… and 5 more bad rows");

    const summary = summaryOf(await run({ path, workspaceSlug: "skip", skipInvalid: true }));
    expect(summary).toMatchObject({ rowsRead: 27, rows: 2, rowsSkipped: 25, posts: 2 });
    expect(summary.skipped.messages[0]).toBe(
      'line 3: likes: expected a whole number ≥ 0 (blank: not given), got "many"',
    );
    expect(formatImportSummary(summary)).toContain("Skipped 25 bad rows:\nline 3: likes:");
    expect(formatImportSummary(summary)).toContain("… and 5 more bad rows");
  });

  it("keeps the later of two snapshots at the same captured_at, within a file and across imports", async () => {
    const path = files.write(
      "duplicates.csv",
      csv(csvLine({ likes: 10 }), csvLine({ post_id: "P2" }), csvLine({ likes: 20 })),
    );
    summaryOf(await run({ path, workspaceSlug: "duplicates" }));
    let { snapshots } = await workspaceContents(store, "duplicates");
    expect(snapshots.map((snapshot) => [snapshot.external_id, snapshot.likes])).toEqual([
      ["P1", 20n],
      ["P2", 90n],
    ]);

    const later = files.write(
      "later.csv",
      csv(csvLine({ likes: 30, captured_at: "2026-03-02T10:00:00+01:00" })),
    );
    summaryOf(await run({ path: later, workspaceSlug: "duplicates" }));
    ({ snapshots } = await workspaceContents(store, "duplicates"));
    expect(snapshots.map((snapshot) => [snapshot.external_id, snapshot.likes])).toEqual([
      ["P1", 30n],
      ["P2", 90n],
    ]);
  });

  it("reads the columns in any order", async () => {
    const rows = generatedRows(40);
    const standard = files.write("standard.csv", csvOf(rows));
    const reversedColumns = [...IMPORT_COLUMNS].reverse();
    const reversedLines = rows.map((row) => {
      const record = toImportRecord(row);
      return reversedColumns.map((column) => record[column] ?? "").join(",");
    });
    const reversed = files.write(
      "reversed.csv",
      `${reversedColumns.join(",")}\n${reversedLines.join("\n")}\n`,
    );

    summaryOf(await run({ path: standard, workspaceSlug: "standard-order" }));
    summaryOf(await run({ path: reversed, workspaceSlug: "reversed-order" }));
    expect(await workspaceContents(store, "reversed-order")).toEqual(
      await workspaceContents(store, "standard-order"),
    );
  });

  it("takes @Handle and handle for the same creator, and keeps the latest followers", async () => {
    const path = files.write(
      "handles.csv",
      csv(
        csvLine({ creator: "@Anna.Bakes", followers: 12_000 }),
        csvLine({ creator: "anna.bakes", post_id: "P2", followers: 12_500 }),
      ),
    );
    const summary = summaryOf(await run({ path, workspaceSlug: "handles" }));
    expect(summary.creators).toBe(1);
    const { creators, posts } = await workspaceContents(store, "handles");
    expect(creators).toEqual([{ platform: "instagram", handle: "anna.bakes", followers: 12_500 }]);
    expect(posts.map((post) => post.handle)).toEqual(["anna.bakes", "anna.bakes"]);
  });

  it("stores a blank counter, or a column left out, as not given (null), and an explicit 0 as 0", async () => {
    const blanks = files.write(
      "blanks.csv",
      csv(csvLine({ impressions: "", reach: "", views: "", likes: "", shares: 0, clicks: "", revenue: "" })),
    );
    const minimal = files.write(
      "minimal.csv",
      "platform,creator,followers,post_id,published_at,captured_at,saves\n" +
        "tiktok,mila_runs,800,T1,2026-03-01T09:00:00Z,2026-03-02T09:00:00Z,0\n",
    );
    summaryOf(await run({ path: blanks, workspaceSlug: "blanks" }));
    summaryOf(await run({ path: minimal, workspaceSlug: "blanks" }));

    const { snapshots, posts } = await workspaceContents(store, "blanks");
    expect(snapshots[0]).toMatchObject({
      impressions: null,
      reach: null,
      views: null,
      likes: null,
      comments: 8n,
      shares: 0n,
      clicks: null,
      revenue: null,
    });
    expect(snapshots[1]).toMatchObject({
      external_id: "T1",
      likes: null,
      saves: 0n,
      clicks: null,
      revenue: null,
    });
    expect(posts.find((post) => post.external_id === "T1")).toMatchObject({ fee: "0.00", campaign: null });
  });

  it("reads JSON null and a key left out as not given, and 0 as 0, as CSV does; exports write blank for null", async () => {
    const item = (counters: Record<string, number | null>) => ({
      platform: "youtube",
      creator: "mila_runs",
      followers: 800,
      post_id: "Y1",
      published_at: "2026-03-01T09:00:00Z",
      captured_at: "2026-03-02T09:00:00Z",
      ...counters,
    });
    const json = files.write(
      "nulls.json",
      JSON.stringify([item({ views: 900, likes: 40, comments: 0, shares: null })]),
    );
    summaryOf(await run({ path: json, workspaceSlug: "json-nulls" }));
    const { snapshots } = await workspaceContents(store, "json-nulls");
    expect(snapshots[0]).toMatchObject({
      views: 900n,
      likes: 40n,
      comments: 0n,
      shares: null,
      saves: null,
      reach: null,
    });

    const [row] = generatedRows(1);
    if (!row) throw new Error("no demo row");
    const exported = csvOf([{ ...row, shares: null, saves: null, reach: 0 }])
      .split("\n")[1]
      ?.split(",");
    const cell = (column: string) =>
      exported?.[IMPORT_COLUMNS.indexOf(column as (typeof IMPORT_COLUMNS)[number])];
    expect([cell("shares"), cell("saves"), cell("reach")]).toEqual(["", "", "0"]);
  });

  it("updates a post's published_at, fee and campaign; a blank fee or campaign keeps what is stored", async () => {
    const first = files.write("post-v1.csv", csv(csvLine({ fee: 250, campaign: "spring-launch" })));
    const corrected = files.write(
      "post-v2.csv",
      csv(csvLine({ fee: 300, campaign: "summer-glow", published_at: "2026-03-01T08:00:00Z" })),
    );
    const blanks = files.write(
      "post-v3.csv",
      csv(csvLine({ fee: "", campaign: "", published_at: "2026-03-01T08:00:00Z" })),
    );

    summaryOf(await run({ path: first, workspaceSlug: "post-updates" }));
    summaryOf(await run({ path: corrected, workspaceSlug: "post-updates" }));
    summaryOf(await run({ path: blanks, workspaceSlug: "post-updates" }));

    const { posts, campaigns } = await workspaceContents(store, "post-updates");
    expect(posts).toEqual([
      {
        platform: "instagram",
        external_id: "P1",
        handle: "anna.bakes",
        campaign: "summer-glow",
        published_at: new Date("2026-03-01T08:00:00Z"),
        fee: "300.00",
      },
    ]);
    expect(campaigns).toEqual([{ name: "spring-launch" }, { name: "summer-glow" }]);
  });

  it("imports a JSON array exactly as the same data in CSV", async () => {
    const rows = generatedRows(60);
    const asCsv = files.write("same.csv", csvOf(rows));
    const records = rows.map(toImportRecord).map((record, index) =>
      // Numbers may come as JSON numbers or as strings.
      index % 2 === 0
        ? record
        : Object.fromEntries(Object.entries(record).map(([k, v]) => [k, v === null ? v : String(v)])),
    );
    const asJson = files.write("same.json", JSON.stringify(records, null, 1));

    const fromCsv = summaryOf(await run({ path: asCsv, workspaceSlug: "from-csv" }));
    const fromJson = summaryOf(await run({ path: asJson, workspaceSlug: "from-json" }));
    expect(await workspaceContents(store, "from-json")).toEqual(await workspaceContents(store, "from-csv"));
    expect({ ...fromJson, workspaceSlug: "", seconds: 0 }).toEqual({
      ...fromCsv,
      workspaceSlug: "",
      seconds: 0,
    });
  });

  it("imports the example files, CSV and JSON alike", async () => {
    const example = (extension: string) =>
      fileURLToPath(new URL(`../fixtures/import-example.${extension}`, import.meta.url));
    const fromCsv = summaryOf(await run({ path: example("csv"), workspaceSlug: "example-csv" }));
    summaryOf(await run({ path: example("json"), workspaceSlug: "example-json" }));

    expect(fromCsv).toMatchObject({
      rowsRead: 8,
      rows: 8,
      creators: 4,
      campaigns: 1,
      posts: 4,
      snapshots: 8,
    });
    const contents = await workspaceContents(store, "example-csv");
    expect(await workspaceContents(store, "example-json")).toEqual(contents);
    expect(contents.creators.map((creator) => [creator.handle, creator.followers])).toEqual([
      ["anna.bakes", 12_450],
      ["lotte_glow", 640],
      ["mila_runs", 38_100],
      ["sem.travels", 1_850_000],
    ]);
    expect(contents.posts.find((post) => post.handle === "lotte_glow")).toMatchObject({
      campaign: null,
      fee: "0.00",
    });
  });

  it("names JSON items by their place in the array", async () => {
    const path = files.write(
      "bad-items.json",
      JSON.stringify([toImportRecord(generatedRows(1)[0] as ImportRow), { platform: "x" }, 42]),
    );
    const result = rejectionOf(await run({ path, workspaceSlug: "bad-items" }));
    expect(result.problems.count).toBe(2);
    expect(result.problems.messages[0]).toMatch(/^item 2: creator: expected a creator handle/);
    expect(result.problems.messages[1]).toBe("item 3: expected an object keyed by column names, got 42");
  });

  it("refuses a file it cannot read as a whole", async () => {
    const unknownColumn = files.write("unknown-column.csv", `${HEADER},colour\n`);
    const missingColumns = files.write("missing-columns.csv", "platform,creator,likes\ninstagram,anna,1\n");
    const notAnArray = files.write("object.json", '{"platform": "instagram"}');
    const broken = files.write(
      "broken.json",
      `[${JSON.stringify(toImportRecord(generatedRows(1)[0] as ImportRow))},`,
    );

    expect(
      rejectionOf(await run({ path: unknownColumn, workspaceSlug: "bad-files" })).problems.messages,
    ).toEqual([`line 1: header: unknown columns "colour" (known: ${IMPORT_COLUMNS.join(", ")})`]);
    expect(
      rejectionOf(await run({ path: missingColumns, workspaceSlug: "bad-files" })).problems.messages,
    ).toEqual(["line 1: header: missing required columns followers, post_id, published_at, captured_at"]);
    expect(rejectionOf(await run({ path: notAnArray, workspaceSlug: "bad-files" })).reason).toBe("bad file");
    const brokenResult = rejectionOf(
      await run({ path: broken, workspaceSlug: "bad-files", skipInvalid: true }),
    );
    expect(formatImportErrors(brokenResult)).toMatch(
      /^Nothing was imported\.\nthe file is not a JSON array of objects: /,
    );
    const missing = rejectionOf(await run({ path: `${files.dir}/nope.csv`, workspaceSlug: "bad-files" }));
    expect(missing.problems.messages[0]).toMatch(/^cannot read .*nope\.csv: ENOENT/);
    expect(await workspaceContents(store, "bad-files")).toEqual({
      campaigns: [],
      creators: [],
      posts: [],
      snapshots: [],
    });
  });

  it("reports progress as bytes of the file: writing, then only checking once a bad row refused it", async () => {
    const rows = csvOf(generatedRows(3_000));
    const phasesOf = async (path: string) => {
      const phases: string[] = [];
      let last = { bytesRead: 0, totalBytes: 0 };
      await run({
        path,
        workspaceSlug: "progress",
        onProgress: (progress) => {
          if (phases.at(-1) !== progress.phase) phases.push(progress.phase);
          last = progress;
        },
      });
      expect(last.bytesRead).toBe(last.totalBytes);
      return phases;
    };

    expect(await phasesOf(files.write("progress.csv", rows))).toEqual(["writing"]);
    const refused = files.write("progress-refused.csv", `${rows}${csvLine({ fee: "abc" })}\n`);
    expect(await phasesOf(refused)).toEqual(["writing", "checking"]);
  });

  it("writes nothing when a bad row comes near the end, after several full batches were staged", async () => {
    const rows = generatedRows(7_000);
    summaryOf(
      await run({ path: files.write("late-start.csv", csvOf(rows.slice(0, 500))), workspaceSlug: "late" }),
    );
    const before = await dumpTables(store);
    const path = files.write(
      "late-bad.csv",
      `${csvOf(rows)}${[
        csvLine({ post_id: "late-1", fee: "abc" }),
        csvLine({ post_id: "late-2" }),
        csvLine({ post_id: "late-3", likes: "many" }),
      ].join("\n")}\n`,
    );

    expect(await run({ path, workspaceSlug: "late" })).toEqual({
      ok: false,
      reason: "bad rows",
      rowsRead: 7_003,
      problems: {
        count: 2,
        messages: [
          'line 7002: fee: expected a decimal number ≥ 0, got "abc"',
          'line 7004: likes: expected a whole number ≥ 0 (blank: not given), got "many"',
        ],
      },
    });
    expect(await dumpTables(store)).toEqual(before);

    const skipping = summaryOf(await run({ path, workspaceSlug: "late", skipInvalid: true }));
    expect(skipping).toMatchObject({ rowsRead: 7_003, rows: 7_001, rowsSkipped: 2 });
  });

  it("leaves nothing behind when the database fails halfway", async () => {
    await store.prisma.$executeRawUnsafe(`
      CREATE FUNCTION refuse_boom() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF NEW.external_id = 'boom' THEN RAISE EXCEPTION 'boom refused'; END IF;
        RETURN NEW;
      END $$`);
    await store.prisma.$executeRawUnsafe(
      "CREATE TRIGGER refuse_boom BEFORE INSERT ON post FOR EACH ROW EXECUTE FUNCTION refuse_boom()",
    );
    try {
      const before = await dumpTables(store);
      // Far past the first batches, so some were written before the failure.
      const path = files.write("boom.csv", `${csvOf(generatedRows(5_000))}${csvLine({ post_id: "boom" })}\n`);
      await expect(run({ path, workspaceSlug: "boom" })).rejects.toThrow(/boom refused/);
      expect(await dumpTables(store)).toEqual(before);
    } finally {
      await store.prisma.$executeRawUnsafe("DROP TRIGGER refuse_boom ON post");
      await store.prisma.$executeRawUnsafe("DROP FUNCTION refuse_boom()");
    }
  });
});

describe("importFile keeps each post's facts and reports counters that fell", () => {
  it("keeps likes 1000 → 10 → 1, reads them as 1000 and warns with post, column, from and to", async () => {
    const path = files.write(
      "falling.csv",
      csv(
        csvLine({ captured_at: "2026-03-08T09:00:00Z", likes: 1000 }),
        csvLine({ captured_at: "2026-03-15T09:00:00Z", likes: 10 }),
        csvLine({ captured_at: "2026-03-29T09:00:00Z", likes: 1 }),
      ),
    );
    const summary = summaryOf(await run({ path, workspaceSlug: "falling" }));

    expect(summary).toMatchObject({ rows: 3, snapshots: 3 });
    expect(summary.counterFalls).toEqual({
      count: 1,
      falls: [{ platform: "instagram", postId: "P1", counter: "likes", from: 1000, to: 1 }],
    });
    expect(formatImportSummary(summary).split("\n").slice(2)).toEqual([
      "Warning: 1 counter fell by more than 10 % (kept, and read as the highest value seen so far):",
      "instagram P1: likes fell 1,000 → 1",
    ]);
    const workspace = await store.prisma.workspace.findUniqueOrThrow({ where: { slug: "falling" } });
    const [facts] = await queryPostFacts(store.prisma, workspace.id, NOW);
    expect(facts).toMatchObject({
      engagementsAt7: 1000 + 8 + 3 + 5,
      engagementsAt14: 1000 + 8 + 3 + 5,
      engagementsAt28: 1000 + 8 + 3 + 5,
      latest: expect.objectContaining({ likes: 1000 }),
    });
  });

  it("does not warn about a fall of exactly 10 %, and does about one just over it", async () => {
    const path = files.write(
      "ten-percent.csv",
      csv(
        csvLine({ post_id: "P1", captured_at: "2026-03-08T09:00:00Z", clicks: 1000 }),
        csvLine({ post_id: "P1", captured_at: "2026-03-15T09:00:00Z", clicks: 900 }),
        csvLine({ post_id: "P2", captured_at: "2026-03-08T09:00:00Z", clicks: 1000 }),
        csvLine({ post_id: "P2", captured_at: "2026-03-15T09:00:00Z", clicks: 899 }),
      ),
    );
    const summary = summaryOf(await run({ path, workspaceSlug: "ten-percent" }));
    expect(summary.counterFalls).toEqual({
      count: 1,
      falls: [{ platform: "instagram", postId: "P2", counter: "clicks", from: 1000, to: 899 }],
    });
  });

  it("warns about a fall from a snapshot that a later publishing moment put before publishing", async () => {
    const first = files.write(
      "published.csv",
      csv(csvLine({ captured_at: "2026-03-02T09:00:00Z", likes: 1000 })),
    );
    expect(summaryOf(await run({ path: first, workspaceSlug: "republished" })).counterFalls.count).toBe(0);

    const later = { published_at: "2026-03-05T09:00:00Z", captured_at: "2026-03-08T09:00:00Z", likes: 10 };
    const second = files.write("republished.csv", csv(csvLine(later)));
    expect(summaryOf(await run({ path: second, workspaceSlug: "republished" })).counterFalls).toEqual({
      count: 1,
      falls: [{ platform: "instagram", postId: "P1", counter: "likes", from: 1000, to: 10 }],
    });
  });

  it("stores the facts of the posts an import wrote, and only of those", async () => {
    const first = files.write("two-posts.csv", csv(csvLine({ post_id: "P1" }), csvLine({ post_id: "P2" })));
    summaryOf(await run({ path: first, workspaceSlug: "touched" }));
    const workspace = await store.prisma.workspace.findUniqueOrThrow({ where: { slug: "touched" } });
    const before = await postFactVersions();

    const second = files.write(
      "one-more.csv",
      csv(csvLine({ post_id: "P2", captured_at: "2026-03-20T09:00:00Z", likes: 400 })),
    );
    summaryOf(await run({ path: second, workspaceSlug: "touched" }));
    const after = await postFactVersions();
    const posts = await store.prisma.post.findMany({ where: { workspaceId: workspace.id } });
    const idOf = (externalId: string) => posts.find((post) => post.externalId === externalId)?.id;
    const versionOf = (rows: typeof before, postId: number | undefined) =>
      rows.find((row) => row.postId === postId)?.version;

    expect(versionOf(after, idOf("P1"))).toBe(versionOf(before, idOf("P1")));
    expect(versionOf(after, idOf("P2"))).not.toBe(versionOf(before, idOf("P2")));
    const facts = await queryPostFacts(store.prisma, workspace.id, NOW);
    expect(facts.find((row) => row.postId === idOf("P2"))?.latest?.likes).toBe(400);
    expect(await store.prisma.postFact.findUnique({ where: { postId: idOf("P2") } })).toMatchObject({
      lastCapturedAt: new Date("2026-03-20T09:00:00Z"),
      likes: 400,
    });
  });
});
