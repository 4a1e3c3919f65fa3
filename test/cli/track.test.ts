import { execFile } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { addAnnaBakesVideo, startYouTubeStub, type YouTubeStub } from "../collect/youtubeStub.ts";
import { CLI, CLI_ARGS } from "../support/cli.ts";

const run = promisify(execFile);

/** The CLI as a user runs it, on its own embedded database, with no platform connected. */
function longtail(dataDir: string, ...args: string[]) {
  return longtailWith({}, dataDir, ...args);
}

async function longtailWith(extraEnv: Record<string, string>, dataDir: string, ...args: string[]) {
  try {
    const { DATABASE_URL, LONGTAIL_ENCRYPTION_KEY, ...env } = process.env;
    const { stdout, stderr } = await run(CLI, [...CLI_ARGS, "--data", dataDir, ...args], {
      env: { ...env, LOG_LEVEL: "silent", ...extraEnv },
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

describe("longtail track against the platform's API (YOUTUBE_API_URL at a loopback YouTube)", () => {
  const KEY = "AIzaSy-cli-test-key";
  const VIDEO = "dQw4w9WgXcQ";
  let dataDir: string;
  let stub: YouTubeStub;
  let env: Record<string, string>;

  beforeAll(async () => {
    stub = await startYouTubeStub(KEY);
    addAnnaBakesVideo(stub, VIDEO, "2026-03-02T09:00:00Z");
    dataDir = mkdtempSync(join(tmpdir(), "longtail-track-api-"));
    writeFileSync(join(dataDir, "youtube-key.txt"), `${KEY}\n`);
    env = { YOUTUBE_API_URL: stub.url, LONGTAIL_ENCRYPTION_KEY: "ab".repeat(32) };
    const seeded = await longtail(dataDir, "seed", "--demo", "--creators", "2", "--posts", "4");
    expect(seeded.code).toBe(0);
    const connected = await longtailWith(
      env,
      dataDir,
      ...["connect", "youtube", "--workspace", "demo", "--api-key-file", join(dataDir, "youtube-key.txt")],
    );
    expect(connected.code).toBe(0);
  }, 120_000);
  afterAll(async () => {
    await stub?.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it("collects the post at once through the configured API address", async () => {
    const tracked = await longtailWith(
      env,
      dataDir,
      ...[
        "track",
        `https://youtu.be/${VIDEO}`,
        "--workspace",
        "demo",
        "--campaign",
        "spring-launch",
        "--fee",
        "250",
        "--now",
        "2026-03-02T09:30Z",
      ],
    );
    expect(tracked).toEqual({
      code: 0,
      stdout: [
        "✓ Tracking @anna.bakes (12,300 followers) on YouTube",
        `https://www.youtube.com/watch?v=${VIDEO}`,
        "Campaign spring-launch · Fee €250.00",
        "Snapshot now: 1,000 views, 50 likes, 7 comments.",
        "Next collection 2 Mar 2026, 10:00. Collected hourly for 3 days after publishing, then daily until day 60.",
        'See every tracked post with longtail ask "tracked".',
        "",
      ].join("\n"),
      stderr: "",
    });
    expect(stub.calls.map((call) => [call.pathname, call.searchParams.get("id")])).toEqual([
      ["/youtube/v3/videos", VIDEO],
      ["/youtube/v3/channels", "UCanna"],
    ]);
  });
});
