import { execFile } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

const run = promisify(execFile);

/** The CLI as a user runs it, on its own embedded database, with no platform connected. */
async function longtail(dataDir: string, ...args: string[]) {
  try {
    const { DATABASE_URL, LONGTAIL_ENCRYPTION_KEY, ...env } = process.env;
    const { stdout, stderr } = await run("npx", ["tsx", "src/cli.ts", "--data", dataDir, ...args], {
      env: { ...env, LOG_LEVEL: "silent" },
    });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const failed = error as { code: number; stdout: string; stderr: string };
    return { code: failed.code, stdout: failed.stdout, stderr: failed.stderr };
  }
}

describe("longtail track, untrack and tracked", () => {
  let dataDir: string;
  beforeAll(async () => {
    dataDir = mkdtempSync(join(tmpdir(), "longtail-track-"));
    const seeded = await longtail(
      dataDir,
      "seed",
      "--demo",
      "--creators",
      "2",
      "--posts",
      "4",
      "--days",
      "10",
    );
    expect(seeded.code).toBe(0);
  }, 120_000);
  afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

  it("refuses a link that is not a post, saying why", async () => {
    expect(await longtail(dataDir, "track", "https://vimeo.com/12345", "--workspace", "demo")).toEqual({
      code: 1,
      stdout: "",
      stderr: "Longtail tracks Instagram, TikTok and YouTube posts; vimeo.com is not one of them.\n",
    });
  });

  it("refuses a fee that is not an amount", async () => {
    const result = await longtail(dataDir, "track", "https://youtu.be/dQw4w9WgXcQ", "--fee", "lots");
    expect([result.code, result.stderr]).toEqual([
      1,
      '--fee expected an amount such as 250 or 99.50, got "lots".\n',
    ]);
  });

  it("says the platform is not connected, tracks nothing and exits 1", async () => {
    const result = await longtail(
      dataDir,
      "track",
      "https://youtu.be/dQw4w9WgXcQ",
      "--workspace",
      "demo",
      "--campaign",
      "spring",
    );
    expect(result).toEqual({
      code: 1,
      stdout: [
        "! YouTube is not connected",
        "Longtail needs this workspace's YouTube credentials to collect posts; nothing was tracked.",
        "An admin connects it from the command line: longtail connect youtube --workspace demo (README: Connecting Instagram, TikTok and YouTube).",
        "",
      ].join("\n"),
      stderr: "",
    });
    const nothingTracked = [
      "· No tracked posts yet.",
      'Paste a post\'s link: longtail ask "track https://www.instagram.com/p/…".',
      "",
    ].join("\n");
    expect(await longtail(dataDir, "tracked", "--workspace", "demo")).toEqual({
      code: 0,
      stdout: nothingTracked,
      stderr: "",
    });
    expect(await longtail(dataDir, "ask", "tracked", "--workspace", "demo")).toEqual({
      code: 0,
      stdout: nothingTracked,
      stderr: "",
    });
  });

  it("untrack of a post that is not tracked says so", async () => {
    const result = await longtail(dataDir, "untrack", "youtu.be/dQw4w9WgXcQ", "--workspace", "demo");
    expect(result).toEqual({
      code: 0,
      stdout: [
        "· That post is not tracked",
        "https://www.youtube.com/watch?v=dQw4w9WgXcQ",
        'See the tracked posts with longtail ask "tracked".',
        "",
      ].join("\n"),
      stderr: "",
    });
  });
});
