import { execFile } from "node:child_process";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { row, tempFolder } from "../ingest/support.ts";
import { type ProcessStore, processStore, startLongtail } from "../reliability/harness.ts";
import { CLI, CLI_ARGS } from "../support/cli.ts";
import { asCsv, json, send } from "./ingestSupport.ts";

const run = promisify(execFile);
/** The CLI shows times to the minute, in UTC. */
const MINUTE_UTC = /^\d{4}-\d{2}-\d{2} \d{2}:\d{2} UTC$/;

/**
 * What a person does: `longtail token create`, the bot running (`src/main.ts`, local mode), a
 * POST of a CSV with the token as the README's curl does it, `token revoke`, `token list`. On the
 * embedded store (`npm test`) or a fresh PostgreSQL database (`npm run test:pg`).
 */
describe("the ingest API end to end: token from the CLI, POST to the running bot", () => {
  let store: ProcessStore;
  const folder = tempFolder();

  async function longtail(...args: string[]) {
    try {
      const { stdout, stderr } = await run(CLI, [...CLI_ARGS, ...args], {
        env: { ...process.env, LOG_LEVEL: "silent", ...store.env },
      });
      return { code: 0, stdout, stderr };
    } catch (error) {
      const failed = error as { code: number; stdout: string; stderr: string };
      return { code: failed.code, stdout: failed.stdout, stderr: failed.stderr };
    }
  }

  beforeAll(async () => {
    store = await processStore("ingest");
  });
  afterAll(async () => {
    await store?.drop();
    folder.remove();
  });

  it("creates, lists, uses and revokes tokens; the list never shows a token", async () => {
    const first = folder.write("first.csv", asCsv([row()]));
    expect((await longtail("import", first, "--workspace", "acme")).code).toBe(0);

    const created = await longtail("token", "create", "--workspace", "acme", "--name", "nightly export");
    expect(created.code).toBe(0);
    const token = created.stdout.trim();
    expect(token).toMatch(/^lt_ingest_[A-Za-z0-9_-]{43}$/);
    expect(created.stderr.trim()).toBe(
      'Token 1 ("nightly export") for workspace "acme". Keep it now: it is never shown again. ' +
        "Revoke it with `longtail token revoke 1 --workspace acme`.",
    );
    const old = (await longtail("token", "create", "--workspace", "acme", "--name", "old")).stdout.trim();
    expect((await longtail("token", "revoke", "2", "--workspace", "acme")).stdout.trim()).toBe(
      'Token 2 of workspace "acme" is revoked: requests with it now get 401.',
    );

    const bot = await startLongtail({ ...store.env, LOG_LEVEL: "silent" });
    try {
      const post = (bearer: string) =>
        send(`${bot.url}/api/ingest`, {
          body: asCsv([row({ captured_at: "2026-03-03T09:00:00Z", likes: 150 })]),
          headers: { authorization: `Bearer ${bearer}`, "content-type": "text/csv" },
        });
      const stored = await post(token);
      expect([stored.status, json(stored)]).toEqual([
        200,
        {
          workspace: "acme",
          rows: 1,
          changed: true,
          written: { creators: 0, campaigns: 0, posts: 0, snapshots: 1 },
          counterFalls: { count: 0, falls: [] },
          alertsQueued: 0,
        },
      ]);
      const revoked = await post(old);
      expect([revoked.status, json(revoked)]).toEqual([
        401,
        { error: "The token is not valid: it is wrong, or it was revoked." },
      ]);
    } finally {
      bot.child.kill("SIGTERM");
      await bot.exited;
    }

    const listed = await longtail("token", "list", "--workspace", "acme");
    const lines = listed.stdout.trimEnd().split("\n");
    expect(lines[0]).toBe("id  name            created               last used             state");
    expect(lines.slice(1).map((line) => line.split(/ {2,}/))).toEqual([
      ["1", "nightly export", expect.stringMatching(MINUTE_UTC), expect.stringMatching(MINUTE_UTC), "active"],
      [
        "2",
        "old",
        expect.stringMatching(MINUTE_UTC),
        "never",
        expect.stringMatching(/^revoked \d{4}-\d{2}-\d{2} \d{2}:\d{2} UTC$/),
      ],
    ]);
    for (const secret of [token, old]) expect(listed.stdout).not.toContain(secret.slice(10));
  }, 240_000);
});
