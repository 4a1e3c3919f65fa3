import { execFile } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { demoCreators, demoRows } from "../../src/ingest/demo.ts";
import { aggregatePosts, DEFAULT_EMV_RATES, tierOf } from "../../src/metrics/index.ts";
import type { PostInput } from "../../src/metrics/types.ts";
import { CLI, CLI_ARGS } from "../support/cli.ts";

const run = promisify(execFile);
const NOW = "2026-11-23T09:00:00.000Z";

/** The CLI as a user runs it: a child process, with its own embedded database folder. */
function longtail(dataDir: string, ...args: string[]) {
  return longtailWith({}, dataDir, ...args);
}

/** The CLI with these environment variables set (DATABASE_URL unset unless named). */
async function longtailWith(variables: Record<string, string>, dataDir: string, ...args: string[]) {
  try {
    const { DATABASE_URL, ...env } = process.env;
    const { stdout, stderr } = await run(CLI, [...CLI_ARGS, "--data", dataDir, ...args], {
      env: { ...env, LOG_LEVEL: "silent", ...variables },
    });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const failed = error as { code: number; stdout: string; stderr: string };
    return { code: failed.code, stdout: failed.stdout, stderr: failed.stderr };
  }
}

/** The demo's posts of one creator, from the generator's rows, as the pure metrics take them. */
function demoPostsOf(handle: string): PostInput[] {
  const posts = new Map<string, PostInput>();
  for (const row of demoRows({ now: new Date(NOW) })) {
    if (row.creator !== handle) continue;
    const post = posts.get(row.postId) ?? {
      publishedAt: row.publishedAt,
      fee: row.fee ?? 0,
      followers: row.followers,
      snapshots: [],
    };
    post.snapshots.push({ ...row, capturedAt: row.capturedAt });
    post.followers = row.followers;
    posts.set(row.postId, post);
  }
  return [...posts.values()];
}

describe("longtail CLI on the embedded store", () => {
  let dataDir: string;

  beforeAll(async () => {
    dataDir = mkdtempSync(join(tmpdir(), "longtail-cli-"));
    const seeded = await longtail(dataDir, "seed", "--demo", "--now", NOW);
    expect(seeded.code, seeded.stderr).toBe(0);
  }, 120_000);

  afterAll(() => {
    rmSync(dataDir, { recursive: true, force: true });
  });

  it("answers `ask creator --json` with the contract's numbers for that creator", async () => {
    const creator = demoCreators({ now: new Date(NOW) }).find((c) => tierOf(c.followers) === "micro");
    if (!creator) throw new Error("the demo has no micro creator");
    const { code, stdout } = await longtail(
      dataDir,
      "ask",
      `creator @${creator.handle}`,
      "--now",
      NOW,
      "--json",
    );
    expect(code).toBe(0);
    const view = JSON.parse(stdout);
    const expected = aggregatePosts(demoPostsOf(creator.handle), new Date(NOW), DEFAULT_EMV_RATES);
    expect(view.creator).toEqual({
      handle: creator.handle,
      platform: creator.platform,
      followers: creator.followers,
      tier: "micro",
    });
    expect(view.posts).toBe(expected.posts);
    expect(view.basis).toEqual(expected.basis);
    for (const [family, metrics] of Object.entries({
      direct: expected.direct,
      sustained: expected.sustained,
    })) {
      for (const [name, value] of Object.entries(metrics)) {
        if (value === null) expect(view[family][name], `${family}.${name}`).toBeNull();
        else expect(view[family][name], `${family}.${name}`).toBeCloseTo(value, 6);
      }
    }
    expect(view.sustained.week2Retention).not.toBeNull();
  });

  it("names the closest creators for an unknown handle, with exit code 1", async () => {
    const creator = demoCreators({ now: new Date(NOW) })[0];
    const typo = `${creator?.handle.slice(0, -1)}x`;
    const { code, stdout } = await longtail(dataDir, "ask", `creator @${typo}`, "--now", NOW);
    expect(code).toBe(1);
    expect(stdout).toContain(`Did you mean @${creator?.handle}`);
  });

  it("imports nothing from a CSV with one bad row, naming its line and column", async () => {
    const header =
      "platform,creator,followers,campaign,post_id,published_at,fee,captured_at,impressions,reach,views,likes,comments,shares,saves,clicks,redemptions,conversions,revenue";
    const good =
      "instagram,@new.creator,5000,cli-test,P1,2026-11-01T10:00:00Z,100,2026-11-02T10:00:00Z,1000,800,0,50,5,2,3,10,0,0,0";
    const bad =
      "instagram,@new.creator,5000,cli-test,P1,2026-11-01T10:00:00Z,abc,2026-11-03T10:00:00Z,1200,900,0,60,6,3,4,11,0,0,0";
    const file = join(dataDir, "bad.csv");
    writeFileSync(file, [header, good, bad].join("\n"));
    const result = await longtail(dataDir, "import", file, "--workspace", "cli-test");
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/line 3: fee: /);
    const after = await longtail(dataDir, "ask", "creator @new.creator", "--workspace", "cli-test");
    expect(after.stderr).toMatch(/No workspace "cli-test"/);
  });

  it("prints the digest, and refuses a malformed --now with a specific message", async () => {
    const digest = await longtail(dataDir, "digest", "--now", NOW);
    expect(digest.code).toBe(0);
    expect(digest.stdout).toMatch(/Weekly digest/);
    expect(digest.stdout).toMatch(/Evergreen posts worth reusing/);
    const bad = await longtail(dataDir, "digest", "--now", "next tuesday");
    expect(bad.code).not.toBe(0);
    expect(bad.stderr).toMatch(/expected an ISO 8601 date/);
  });
});

const SLUG_RULE =
  "must be a workspace slug: 1 to 63 lower-case letters, digits and dashes, starting with a letter or digit (e.g. acme-social)";

/** Every flag passes a size and character policy; a refused value is echoed escaped and cut to 60 characters. */
describe("longtail CLI flags", () => {
  let dataDir: string;

  beforeAll(() => {
    dataDir = mkdtempSync(join(tmpdir(), "longtail-flags-"));
  });
  afterAll(() => {
    rmSync(dataDir, { recursive: true, force: true });
  });

  it.each([
    [["ask", "help", "--workspace", ""], `--workspace (or LONGTAIL_WORKSPACE) ${SLUG_RULE}, got "".`],
    [
      ["ask", "help", "--workspace", "<!channel>"],
      `--workspace (or LONGTAIL_WORKSPACE) ${SLUG_RULE}, got "<!channel>".`,
    ],
    [
      ["import", "rows.csv", "--workspace", "a".repeat(5000)],
      `--workspace (or LONGTAIL_WORKSPACE) is at most 63 characters, got "${"a".repeat(60)}"… (5000 characters).`,
    ],
    [
      ["digest", "--now", "9".repeat(100)],
      `--now is at most 40 characters, got "${"9".repeat(60)}"… (100 characters).`,
    ],
    [
      ["digest", "--now", "next tuesday"],
      '--now expected an ISO 8601 date or time such as 2026-11-23 or 2026-11-23T09:00Z, got "next tuesday".',
    ],
    [
      ["seed", "--demo", "--creators", "99999999999"],
      '--creators expected a whole number from 1 to 10000, got "99999999999".',
    ],
    [
      ["ask", "creator", "@anna\u202etxt.exe"],
      "The question contains U+202E (a bidirectional control) at character 14: remove it.",
    ],
    [
      ["import", "rows\u0007.csv", "--workspace", "acme"],
      "The file name contains U+0007 (a control character) at character 5: remove it.",
    ],
    [["ask", "top\ufffd"], "The question is not valid UTF-8."],
  ])("refuses bad value %# in one line, exit code 1, nothing on stdout", async (args, message) => {
    const result = await longtail(dataDir, ...args);
    expect([result.code, result.stderr, result.stdout]).toEqual([1, `${message}\n`, ""]);
  });

  it("refuses a LONGTAIL_WORKSPACE that breaks the slug policy as it refuses the flag", async () => {
    const result = await longtailWith({ LONGTAIL_WORKSPACE: "Acme Social" }, dataDir, "ask", "help");
    expect([result.code, result.stderr]).toEqual([
      1,
      `--workspace (or LONGTAIL_WORKSPACE) ${SLUG_RULE}, got "Acme Social".\n`,
    ]);
  });

  it("answers an unexpected failure (the database is not there) with one line and a reference id, never a stack", async () => {
    const unreachable = { DATABASE_URL: "postgresql://postgres@127.0.0.1:1/none", LOG_LEVEL: "error" };
    const result = await longtailWith(unreachable, dataDir, "ask", "help");
    expect([result.code, result.stdout]).toEqual([2, ""]);
    // The log line (pino, written asynchronously) and the message may come in either order.
    const lines = result.stderr.split("\n");
    const logged = JSON.parse(lines.find((line) => line.startsWith("{")) ?? "");
    const rest = lines.filter((line) => !line.startsWith("{"));
    const message = rest.shift();
    expect([logged.msg, logged.err, rest]).toEqual([
      "The command failed",
      {
        type: "Object",
        name: "Error",
        message: "connect ECONNREFUSED 127.0.0.1:1",
        code: "ECONNREFUSED",
        stack: "",
      },
      [""],
    ]);
    expect(message).toBe(
      `The command failed unexpectedly (reference ${logged.reference}); the log line with that reference says why.`,
    );
  });
});
