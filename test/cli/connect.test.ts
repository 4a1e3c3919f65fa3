import { execFile } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CLI, CLI_ARGS } from "../support/cli.ts";

const execute = promisify(execFile);
const KEY = "11".repeat(32);
const TOKEN = "EAAB-very-secret-business-token";
let dir: string;

/** The CLI as a user runs it, with its own embedded database; stdin fed from `input`. */
async function longtail(args: string[], { key = KEY, input }: { key?: string | null; input?: string } = {}) {
  const { DATABASE_URL, LONGTAIL_ENCRYPTION_KEY, ...env } = process.env;
  const variables = key === null ? {} : { LONGTAIL_ENCRYPTION_KEY: key };
  const child = execute(CLI, [...CLI_ARGS, "--data", join(dir, "data"), ...args], {
    env: { ...env, LOG_LEVEL: "trace", ...variables },
  });
  if (input !== undefined) child.child.stdin?.end(input);
  else child.child.stdin?.end();
  try {
    const { stdout, stderr } = await child;
    return { code: 0, stdout, stderr };
  } catch (error) {
    const failed = error as { code: number; stdout: string; stderr: string };
    return { code: failed.code, stdout: failed.stdout, stderr: failed.stderr };
  }
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), "longtail-connect-"));
  writeFileSync(join(dir, "token.txt"), `${TOKEN}\n`);
  writeFileSync(join(dir, "two-lines.txt"), "first\nsecond\n");
  writeFileSync(join(dir, "empty.txt"), "\n");
  writeFileSync(
    join(dir, "rows.csv"),
    "platform,creator,followers,post_id,published_at,captured_at,likes\ninstagram,maya.runs,48200,C1a2b3,2026-11-01T00:00:00Z,2026-11-02T00:00:00Z,10\n",
  );
  const imported = await longtail(["import", join(dir, "rows.csv"), "--workspace", "acme"]);
  expect(imported.code).toBe(0);
}, 120_000);
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe("longtail connect / connections / disconnect", () => {
  it("stores a token read from a file or stdin, lists the connections without any secret, and disconnects", async () => {
    const business = await longtail([
      "connect",
      "instagram",
      "--workspace",
      "acme",
      "--account-id",
      "17841405309211844",
      "--token-file",
      join(dir, "token.txt"),
    ]);
    expect(business).toMatchObject({
      code: 0,
      stdout:
        'Connected Instagram for the workspace in workspace "acme" (business account 17841405309211844); stored encrypted. `longtail connections --workspace acme` shows its state.\n',
    });
    const tiktok = await longtail(
      ["connect", "tiktok", "--workspace", "acme", "--creator", "@Maya.Runs", "--token-file", "-"],
      { input: "act.maya-secret\n" },
    );
    expect(tiktok.stdout).toBe(
      'Connected TikTok for @maya.runs in workspace "acme"; stored encrypted. `longtail connections --workspace acme` shows its state.\n',
    );

    const listed = await longtail(["connections", "--workspace", "acme"]);
    expect(listed.code).toBe(0);
    const lines = listed.stdout.trimEnd().split("\n");
    expect(lines.map((line) => line.split(/\s{2,}/).filter((cell) => !/UTC$/.test(cell)))).toEqual([
      ["platform", "for", "account", "set", "state"],
      ["Instagram", "the workspace", "17841405309211844", "ok"],
      ["TikTok", "@maya.runs", "ok"],
    ]);
    for (const result of [business, tiktok, listed]) {
      expect(result.stdout + result.stderr).not.toMatch(/EAAB-very|act\.maya-secret/);
    }

    const removed = await longtail([
      "disconnect",
      "tiktok",
      "--workspace",
      "acme",
      "--creator",
      "@maya.runs",
    ]);
    expect(removed.stdout).toBe(
      'Disconnected TikTok for @maya.runs in workspace "acme". To connect again: longtail connect tiktok --workspace acme --creator @maya.runs --token-file FILE\n',
    );
    expect(
      await longtail(["disconnect", "tiktok", "--workspace", "acme", "--creator", "@maya.runs"]),
    ).toMatchObject({
      code: 1,
      stderr: 'Workspace "acme" has no TikTok credential for @maya.runs.\n',
    });
  }, 120_000);

  it("refuses, with what to do, a missing key, a bad file, a bad handle or account id, and instagram with both or neither", async () => {
    const cases: [string[], { key?: string | null }, string][] = [
      [
        ["connect", "youtube", "--workspace", "acme", "--api-key-file", join(dir, "token.txt")],
        { key: null },
        "Platform credentials are stored encrypted: set LONGTAIL_ENCRYPTION_KEY first (32 bytes as 64 hex digits, e.g. from `openssl rand -hex 32`), and keep it: the same key opens them again.",
      ],
      [
        ["connect", "youtube", "--workspace", "acme", "--api-key-file", join(dir, "missing.txt")],
        {},
        `--api-key-file ${JSON.stringify(join(dir, "missing.txt"))}: there is no such file.`,
      ],
      [
        ["connect", "youtube", "--workspace", "acme", "--api-key-file", join(dir, "two-lines.txt")],
        {},
        "--api-key-file: the file holds more than one line or word; put only the key or token in it.",
      ],
      [
        ["connect", "youtube", "--workspace", "acme", "--api-key-file", join(dir, "empty.txt")],
        {},
        "--api-key-file: the file is empty.",
      ],
      [
        [
          "connect",
          "tiktok",
          "--workspace",
          "acme",
          "--creator",
          "@no spaces",
          "--token-file",
          join(dir, "token.txt"),
        ],
        {},
        '--creator expected a handle like @maya.runs (letters, digits, "." and "_"), got "@no spaces".',
      ],
      [
        [
          "connect",
          "instagram",
          "--workspace",
          "acme",
          "--account-id",
          "abc",
          "--token-file",
          join(dir, "token.txt"),
        ],
        {},
        '--account-id expected the Instagram business account\'s numeric id (like 17841405309211844), got "abc".',
      ],
      [
        ["connect", "instagram", "--workspace", "acme", "--token-file", join(dir, "token.txt")],
        {},
        "connect instagram takes --account-id (the brand's business account) or --creator (a creator's insights token), one of them.",
      ],
      [
        ["connect", "youtube", "--workspace", "nowhere", "--api-key-file", join(dir, "token.txt")],
        {},
        'No workspace "nowhere". Known: acme.',
      ],
    ];
    for (const [args, options, message] of cases) {
      expect(await longtail(args, options)).toMatchObject({ code: 1, stderr: `${message}\n` });
    }
  }, 240_000);
});
