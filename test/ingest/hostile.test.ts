import { closeSync, openSync, writeFileSync, writeSync } from "node:fs";
import { join } from "node:path";
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { formatImportErrors } from "../../src/ingest/format.ts";
import { type ImportResult, importFile } from "../../src/ingest/importFile.ts";
import { checkRecord, IMPORT_COLUMNS, type ImportRow } from "../../src/ingest/row.ts";
import { MAX_LINE_CHARACTERS } from "../../src/ingest/sources.ts";
import { csvChunks } from "../../src/ingest/writeCsv.ts";
import type { Store } from "../../src/store/database.ts";
import { ensureWorkspace } from "../../src/store/workspaces.ts";
import { openTestStore } from "../support/store.ts";
import { csv, csvLine, dumpTables, HEADER, tempFolder } from "./support.ts";

let store: Store;
const files = tempFolder();

beforeAll(async () => {
  store = await openTestStore();
});

afterAll(async () => {
  await store.close();
  files.remove();
});

/** A JSON import holding one object: the valid row of csvLine() with some cells replaced. */
function jsonItem(cells: Record<string, unknown>): Record<string, unknown> {
  const values = csvLine().split(",");
  return { ...Object.fromEntries(IMPORT_COLUMNS.map((column, i) => [column, values[i]])), ...cells };
}

const heapUsed = () => process.memoryUsage().heapUsed;
/** The heap and Buffers: where a line of bytes would be held. */
const heapAndBuffers = () => process.memoryUsage().heapUsed + process.memoryUsage().arrayBuffers;

/** `work`'s result and how far `held` grew above where it was, sampled every 1 ms. */
async function withPeakMemory<T>(
  work: () => Promise<T>,
  held = heapUsed,
): Promise<{ result: T; growth: number }> {
  const before = held();
  let peak = before;
  const sampler = setInterval(() => {
    peak = Math.max(peak, held());
  }, 1);
  try {
    return { result: await work(), growth: peak - before };
  } finally {
    clearInterval(sampler);
  }
}

async function refusal(path: string, workspaceSlug = "hostile", skipInvalid = false) {
  const before = await dumpTables(store);
  const result = await importFile(store, { path, workspaceSlug, skipInvalid });
  expect(await dumpTables(store)).toEqual(before);
  if (result.ok) throw new Error("expected the import to be refused");
  return formatImportErrors(result);
}

/** `text` written `times` times, a megabyte at a time. */
function writeRepeated(fd: number, text: string, times: number): void {
  const megabyte = text.repeat(1024 * 1024);
  for (let written = 0; written < times; written += 1024 * 1024) writeSync(fd, megabyte);
}

function written(result: ImportResult) {
  if (!result.ok) throw new Error(formatImportErrors(result));
  return result.summary;
}

describe("hostile CSV cells: refused with line and column, nothing written", () => {
  it.each([
    [
      "a NUL byte",
      { creator: "an\u0000na" },
      "line 3: creator: contains U+0000 (a control character) at character 3: remove it",
    ],
    [
      "a bidi override",
      { campaign: "\u202Espring" },
      "line 3: campaign: contains U+202E (a bidirectional control) at character 1: remove it",
    ],
    [
      "an isolate in a post id",
      { post_id: "P\u2066" },
      "line 3: post_id: contains U+2066 (a bidirectional control) at character 2: remove it",
    ],
    [
      "an escape character",
      { platform: "insta\u001bgram" },
      "line 3: platform: contains U+001B (a control character) at character 6: remove it",
    ],
    [
      "a creator name over the limit",
      { creator: "a".repeat(101) },
      "line 3: creator: is 101 characters long, at most 100",
    ],
    [
      "a campaign name over the limit",
      { campaign: "c".repeat(5000) },
      "line 3: campaign: is 5000 characters long, at most 200",
    ],
    ["a huge number", { followers: "9".repeat(41) }, "line 3: followers: is 41 characters long, at most 40"],
  ])("%s", async (_what, cells, message) => {
    const path = files.write("cell.csv", csv(csvLine({ post_id: "OK1" }), csvLine(cells)));
    expect(await refusal(path)).toBe(`Nothing was imported: 1 bad row of 2.\n${message}`);
  });

  it("a 1 MB creator name: the line is refused before its cells are looked at", async () => {
    const path = files.write("long.csv", csv(csvLine({ creator: "x".repeat(1024 * 1024) })));
    expect(await refusal(path)).toBe(
      "Nothing was imported.\nthe file is not valid CSV: line 2: the line is longer than 16384 characters",
    );
  });

  it("a quote inside a long unquoted value: refused without echoing the value (found by importFuzz)", async () => {
    // csv-parse's own sentence quoted the value so far: a 5,000-character refusal line.
    const path = files.write("quote.csv", csv(csvLine({ campaign: `${"x".repeat(5000)}"launch` })));
    expect(await refusal(path)).toBe(
      "Nothing was imported.\nthe file is not valid CSV: line 2: field 4: a quote inside a value that is not in quotes: " +
        'put the value in quotes and write its quotes twice ("")',
    );
  });

  it("a header of 100,000 columns: refused at once", async () => {
    const header = Array.from({ length: 100_000 }, (_, i) => `c${i}`).join(",");
    const path = files.write("wide.csv", `${header}\n${csvLine()}\n`);
    const started = performance.now();
    expect(await refusal(path)).toBe(
      "Nothing was imported.\nthe file is not valid CSV: line 1: the line is longer than 16384 characters",
    );
    expect(performance.now() - started).toBeLessThan(2000);
  });

  it("a header of more columns than there are: refused without listing them", async () => {
    const header = [...IMPORT_COLUMNS, ...Array.from({ length: 30 }, (_, i) => `extra${i}`)].join(",");
    const path = files.write("extra.csv", `${header}\n`);
    expect(await refusal(path)).toBe(
      `Nothing was imported.\nline 1: header: 49 columns, at most 38 (known: ${IMPORT_COLUMNS.join(", ")})`,
    );
  });

  it("invalid UTF-8: refused naming the line and character, not replaced by U+FFFD", async () => {
    const path = join(files.dir, "latin1.csv");
    const bad = csvLine({ creator: "jos\u00e9", post_id: "P2" });
    const [before, after] = bad.split("\u00e9");
    writeFileSync(
      path,
      Buffer.concat([
        Buffer.from(`${HEADER}\n${csvLine()}\n${before}`),
        Buffer.from([0xe9]),
        Buffer.from(`${after}\n`),
      ]),
    );
    const character = (before ?? "").length + 1;
    expect(await refusal(path)).toBe(
      `Nothing was imported.\nline 3: invalid UTF-8 at character ${character}: save the file as UTF-8`,
    );
  });

  it("invalid UTF-8 far into a large file (past the first read chunk)", async () => {
    const lines = Array.from({ length: 3000 }, (_, i) => csvLine({ post_id: `P${i}` }));
    const path = join(files.dir, "late.csv");
    writeFileSync(
      path,
      Buffer.concat([
        Buffer.from(`${HEADER}\n${lines.join("\n")}\nab`),
        Buffer.from([0xc3, 0x28]),
        Buffer.from("\n"),
      ]),
    );
    expect(await refusal(path)).toBe(
      "Nothing was imported.\nline 3002: invalid UTF-8 at character 3: save the file as UTF-8",
    );
  });

  it("valid UTF-8 split across read chunks is read as it is", async () => {
    const lines = Array.from({ length: 2000 }, (_, i) =>
      csvLine({ post_id: `P${i}`, campaign: "café-été-🎉" }),
    );
    const path = files.write("accents.csv", csv(...lines));
    const summary = written(await importFile(store, { path, workspaceSlug: "accents", skipInvalid: false }));
    expect(summary.rows).toBe(2000);
    const names = await store.prisma.campaign.findMany({
      where: { workspace: { slug: "accents" } },
      select: { name: true },
    });
    expect(names).toEqual([{ name: "café-été-🎉" }]);
  });
});

describe("hostile JSON: refused with item and column, nothing written", () => {
  function writeJson(name: string, text: string): string {
    return files.write(name, text);
  }

  it("a value nested 50,000 deep", async () => {
    const deep = `${"[".repeat(50_000)}1${"]".repeat(50_000)}`;
    const item = JSON.stringify(jsonItem({ creator: "PLACEHOLDER" })).replace('"PLACEHOLDER"', deep);
    const path = writeJson("deep.json", `[${item}]`);
    expect(await refusal(path)).toBe(
      "Nothing was imported: 1 bad row of 1.\nitem 1: creator: expected a creator handle such as @anna.bakes, got an array",
    );
  });

  it("an item nested 50,000 deep", async () => {
    const path = writeJson("deepItem.json", `[${'{"a":'.repeat(50_000)}1${"}".repeat(50_000)}]`);
    const timestamp =
      "expected an ISO 8601 timestamp with a time zone (e.g. 2026-03-01T09:30:00Z), got nothing";
    expect(await refusal(path)).toBe(
      "Nothing was imported: 1 bad row of 1.\n" +
        "item 1: platform: expected a platform name such as instagram, got nothing; " +
        "creator: expected a creator handle such as @anna.bakes, got nothing; " +
        "followers: expected a whole number of followers ≥ 0, got nothing; " +
        "post_id: expected the post's id on its platform, got nothing; " +
        `published_at: ${timestamp}; captured_at: ${timestamp}; unknown key a`,
    );
  });

  it("an item of 100,000 unknown keys: five named, the rest counted, odd ones quoted", async () => {
    const extra = Object.fromEntries(
      Array.from({ length: 100_000 }, (_, i) => [i === 0 ? "<!channel>\n" : `k${i}`, 1]),
    );
    const path = writeJson("keys.json", JSON.stringify([jsonItem(extra)]));
    expect(await refusal(path)).toBe(
      'Nothing was imported: 1 bad row of 1.\nitem 1: unknown keys "<!channel>\\n", k1, k2, k3, k4 and 99995 more',
    );
  });

  it("1 MB creator and campaign names, and a 1 MB item echoed only in part", async () => {
    const huge = "n".repeat(1024 * 1024);
    const path = writeJson(
      "huge.json",
      JSON.stringify([jsonItem({ creator: huge }), jsonItem({ post_id: "P2", campaign: huge }), huge]),
    );
    expect(await refusal(path)).toBe(
      [
        "Nothing was imported: 3 bad rows of 3.",
        "item 1: creator: is 1048576 characters long, at most 100",
        "item 2: campaign: is 1048576 characters long, at most 200",
        `item 3: expected an object keyed by column names, got "${"n".repeat(60)}"… (1048576 characters)`,
      ].join("\n"),
    );
  });

  it("a 50 MB string and a 50 MB number are refused by their length, never held whole", async () => {
    const path = join(files.dir, "50mb.json");
    const size = 50 * 1024 * 1024;
    const [creatorBefore, creatorAfter] = JSON.stringify([jsonItem({ creator: "HUGE" })]).split("HUGE");
    const [followersBefore, followersAfter] = JSON.stringify(jsonItem({ post_id: "P2", followers: 0 })).split(
      ":0,",
    );
    const fd = openSync(path, "w");
    writeSync(fd, creatorBefore as string);
    writeRepeated(fd, "é", size);
    writeSync(fd, `${creatorAfter?.slice(0, -1)},${followersBefore}:`);
    writeRepeated(fd, "7", size);
    writeSync(fd, `,${followersAfter}]`);
    closeSync(fd);

    const { result: message, growth } = await withPeakMemory(() => refusal(path));
    expect(message).toBe(
      [
        "Nothing was imported: 2 bad rows of 2.",
        `item 1: creator: is ${size} characters long, at most 100`,
        `item 2: followers: is ${size} characters long, at most 40`,
      ].join("\n"),
    );
    // Held whole, the string alone would be 100 MB of heap (two bytes a character).
    expect(growth).toBeLessThan(32 * 1024 * 1024);
  }, 120_000);

  it("a 50 MB key refuses the file, naming its item, never held whole", async () => {
    const path = join(files.dir, "50mb-key.json");
    const size = 50 * 1024 * 1024;
    const [before, after] = JSON.stringify([jsonItem({}), jsonItem({ HUGE: 1 })]).split("HUGE");
    const fd = openSync(path, "w");
    writeSync(fd, before as string);
    writeRepeated(fd, "k", size);
    writeSync(fd, after as string);
    closeSync(fd);

    const { result: message, growth } = await withPeakMemory(() => refusal(path));
    expect(message).toBe(
      `Nothing was imported.\nitem 2: a key is ${size} characters long; no column is named so long`,
    );
    expect(growth).toBeLessThan(32 * 1024 * 1024);
  }, 120_000);

  it("invalid UTF-8 far into one long line: its character counted across read chunks", async () => {
    const path = join(files.dir, "longLine.json");
    const start = '[{"creator": "';
    writeFileSync(
      path,
      Buffer.concat([Buffer.from(start + "é".repeat(300_000)), Buffer.from([0xff]), Buffer.from('"}]')]),
    );
    expect(await refusal(path)).toBe(
      `Nothing was imported.\nline 1: invalid UTF-8 at character ${start.length + 300_001}: save the file as UTF-8`,
    );
  });

  it("a NUL character and invalid UTF-8", async () => {
    const nul = writeJson("nul.json", JSON.stringify([jsonItem({ post_id: "P\u0000" })]));
    expect(await refusal(nul)).toBe(
      "Nothing was imported: 1 bad row of 1.\nitem 1: post_id: contains U+0000 (a control character) at character 2: remove it",
    );
    const path = join(files.dir, "bad.json");
    writeFileSync(
      path,
      Buffer.concat([Buffer.from('[\n{"creator": "a'), Buffer.from([0xff]), Buffer.from('"}\n]\n')]),
    );
    expect(await refusal(path)).toBe(
      "Nothing was imported.\nline 2: invalid UTF-8 at character 15: save the file as UTF-8",
    );
  });
});

describe("--skip-invalid with hostile rows", () => {
  it("imports the good rows and names each bad one", async () => {
    const path = files.write(
      "mixed.csv",
      csv(
        csvLine({ post_id: "G1" }),
        csvLine({ post_id: "B1", creator: "x\u0000" }),
        csvLine({ post_id: "G2" }),
        csvLine({ post_id: "B2", campaign: "\u202Ex" }),
        csvLine({ post_id: "B3", creator: "y".repeat(500) }),
      ),
    );
    const summary = written(await importFile(store, { path, workspaceSlug: "mixed", skipInvalid: true }));
    expect({ rows: summary.rows, posts: summary.posts, skipped: summary.skipped }).toEqual({
      rows: 2,
      posts: 2,
      skipped: {
        count: 3,
        messages: [
          "line 3: creator: contains U+0000 (a control character) at character 2: remove it",
          "line 5: campaign: contains U+202E (a bidirectional control) at character 1: remove it",
          "line 6: creator: is 500 characters long, at most 100",
        ],
      },
    });
  });
});

describe("--skip-invalid with lines that are not UTF-8", () => {
  /** The valid row of csvLine(`cells`), its `creator` cut by the byte 0xE9 (Latin-1 é) after `before`. */
  function latin1Line(before: string, cells: Record<string, string>): Buffer {
    const [head, tail] = csvLine({ ...cells, creator: `${before}\u00e9` }).split("\u00e9");
    return Buffer.concat([Buffer.from(head ?? ""), Buffer.from([0xe9]), Buffer.from(tail ?? "")]);
  }

  it("skips each bad line, named with its line and character, and imports the rest", async () => {
    const path = join(files.dir, "some-latin1.csv");
    const lines = [
      Buffer.from(`${HEADER}\n${csvLine({ post_id: "G1" })}\n`),
      latin1Line("jos", { post_id: "B1" }),
      Buffer.from(`\n${csvLine({ post_id: "G2" })}\n`),
      // A quoted value over lines 5 and 6, line 6 not UTF-8: the whole record is skipped.
      Buffer.from(`${csvLine({ post_id: "B2" }).split("spring-launch")[0]}"spring\n`),
      Buffer.from([0xff]),
      Buffer.from(`launch"${csvLine({ post_id: "B2" }).split("spring-launch")[1]}`),
      Buffer.from(`\n${csvLine({ post_id: "G3" })}\n`),
      latin1Line("ren", { post_id: "B3" }),
    ];
    writeFileSync(path, Buffer.concat(lines));
    const summary = written(
      await importFile(store, { path, workspaceSlug: "some-latin1", skipInvalid: true }),
    );
    const posts = await store.prisma.post.findMany({
      where: { workspace: { slug: "some-latin1" } },
      select: { externalId: true },
      orderBy: { externalId: "asc" },
    });
    expect({
      rows: summary.rows,
      posts: posts.map((post) => post.externalId),
      skipped: summary.skipped,
    }).toEqual({
      rows: 3,
      posts: ["G1", "G2", "G3"],
      skipped: {
        count: 3,
        messages: [
          `line 3: invalid UTF-8 at character ${"instagram,jos".length + 1}: save the file as UTF-8`,
          "line 6: invalid UTF-8 at character 1: save the file as UTF-8",
          `line 8: invalid UTF-8 at character ${"instagram,ren".length + 1}: save the file as UTF-8`,
        ],
      },
    });
  });

  it("refuses a 50 MB line that is not UTF-8 by its length, never holding it whole", async () => {
    const path = join(files.dir, "latin1-50mb.csv");
    const size = 50 * 1024 * 1024;
    const fd = openSync(path, "w");
    writeSync(fd, `${HEADER}\n`);
    writeSync(fd, latin1Line("jos", {}));
    writeRepeated(fd, "x", size);
    closeSync(fd);

    const { result: message, growth } = await withPeakMemory(
      () => refusal(path, "hostile", true),
      heapAndBuffers,
    );
    expect(message).toBe(
      `Nothing was imported.\nthe file is not valid CSV: line 2: the line is longer than ${MAX_LINE_CHARACTERS} characters`,
    );
    expect(growth).toBeLessThan(32 * 1024 * 1024);
  }, 120_000);

  it("still refuses the whole file without --skip-invalid, and a header that is not UTF-8 with it", async () => {
    const path = join(files.dir, "latin1-line.csv");
    writeFileSync(
      path,
      Buffer.concat([Buffer.from(`${HEADER}\n`), latin1Line("jos", {}), Buffer.from("\n")]),
    );
    expect(await refusal(path)).toBe(
      `Nothing was imported.\nline 2: invalid UTF-8 at character ${"instagram,jos".length + 1}: save the file as UTF-8`,
    );
    const header = join(files.dir, "latin1-header.csv");
    writeFileSync(
      header,
      Buffer.concat([Buffer.from("platform,cr"), Buffer.from([0xe9]), Buffer.from(`\n${csvLine()}\n`)]),
    );
    expect(await refusal(header, "hostile", true)).toBe(
      "Nothing was imported.\nline 1: invalid UTF-8 at character 12: save the file as UTF-8",
    );
  });
});

describe("workspace slugs", () => {
  it.each(["", "<!channel>", "Acme", "acme\u202e", "a".repeat(64)])(
    "refuses %j before writing",
    async (slug) => {
      const path = files.write("ok.csv", csv(csvLine()));
      const shown = JSON.stringify(slug.slice(0, 40)) + (slug.length > 40 ? "…" : "");
      expect(await refusal(path, slug)).toBe(
        `Nothing was imported.\nworkspace ${shown} must be a workspace slug: 1 to 63 lower-case letters, ` +
          "digits and dashes, starting with a letter or digit (e.g. acme-social)",
      );
    },
  );
});

describe("workspace slugs wherever a workspace is made", () => {
  it("ensureWorkspace refuses with the policy's message", async () => {
    await expect(ensureWorkspace(store.prisma, "*bold*")).rejects.toThrow(
      'workspace "*bold*" must be a workspace slug: 1 to 63 lower-case letters, digits and dashes, ' +
        "starting with a letter or digit (e.g. acme-social)",
    );
  });

  it("the database refuses a slug outside the policy, however the row is written", async () => {
    const refused = store.prisma.workspace.create({ data: { slug: "<@U123>", name: "x" } });
    await expect(refused).rejects.toMatchObject({
      meta: {
        driverAdapterError: {
          cause: {
            code: "23514",
            message: 'new row for relation "workspace" violates check constraint "workspace_slug_policy"',
          },
        },
      },
    });
    await expect(
      store.prisma.workspace.create({ data: { slug: "ok-slug-1", name: "x" } }),
    ).resolves.toMatchObject({
      slug: "ok-slug-1",
    });
  });
});

describe("CSV export", () => {
  const row: ImportRow = {
    platform: "youtube",
    creator: "anna.bakes",
    followers: 10,
    campaign: '=HYPERLINK("http://evil.example","click")',
    postId: "-dQw4w9WgXc",
    publishedAt: new Date("2026-03-01T09:00:00Z"),
    fee: null,
    capturedAt: new Date("2026-03-02T09:00:00Z"),
    impressions: 1,
    reach: 1,
    views: 1,
    likes: 1,
    comments: 1,
    shares: 1,
    saves: 1,
    clicks: 1,
    redemptions: 1,
    conversions: 1,
    revenue: 1,
  };

  it("escapes every text a spreadsheet would run, and reads it back unchanged", async () => {
    const rows = [
      row,
      { ...row, postId: "@x", campaign: "+1" },
      { ...row, postId: "'quoted", campaign: null },
    ];
    const text = [...csvChunks(rows)].join("");
    expect(text.split("\n").slice(1, 4)).toEqual([
      `youtube,anna.bakes,10,"'=HYPERLINK(""http://evil.example"",""click"")",'-dQw4w9WgXc,2026-03-01T09:00:00.000Z,,2026-03-02T09:00:00.000Z,1,1,1,1,1,1,1,1,1,1,1`,
      "youtube,anna.bakes,10,'+1,'@x,2026-03-01T09:00:00.000Z,,2026-03-02T09:00:00.000Z,1,1,1,1,1,1,1,1,1,1,1",
      "youtube,anna.bakes,10,,''quoted,2026-03-01T09:00:00.000Z,,2026-03-02T09:00:00.000Z,1,1,1,1,1,1,1,1,1,1,1",
    ]);
    const path = files.write("export.csv", text);
    written(await importFile(store, { path, workspaceSlug: "export", skipInvalid: false }));
    const posts = await store.prisma.post.findMany({
      where: { workspace: { slug: "export" } },
      select: { externalId: true, campaign: { select: { name: true } } },
      orderBy: { externalId: "asc" },
    });
    expect(posts).toEqual([
      { externalId: "'quoted", campaign: null },
      { externalId: "-dQw4w9WgXc", campaign: { name: '=HYPERLINK("http://evil.example","click")' } },
      { externalId: "@x", campaign: { name: "+1" } },
    ]);
  });
});

describe("checkRecord on any text (property)", () => {
  it("never throws, and refuses with one line naming the record and the column", () => {
    const values = csvLine().split(",");
    const valid = Object.fromEntries(IMPORT_COLUMNS.map((column, i) => [column, values[i]]));
    fc.assert(
      fc.property(
        fc.constantFrom(...IMPORT_COLUMNS),
        fc.oneof(fc.string({ unit: "binary" }), fc.string({ maxLength: 5000 }), fc.jsonValue()),
        (column, value) => {
          const check = checkRecord({ where: "line 9", values: { ...valid, [column]: value } });
          if (check.ok) return;
          expect(check.problem.startsWith(`line 9: ${column}: `)).toBe(true);
          expect(check.problem).not.toContain("\n");
          expect(check.problem.length).toBeLessThan(400);
        },
      ),
      { numRuns: 500 },
    );
  });
});
