import { execFile } from "node:child_process";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { promisify } from "node:util";
import { afterAll, describe, expect, it } from "vitest";
import { CLI, CLI_ARGS } from "../support/cli.ts";
import { tempFolder } from "./support.ts";

const run = promisify(execFile);
const files = tempFolder();
afterAll(() => files.remove());

const HEADER = "platform,creator,followers,post_id,published_at,captured_at";
const TIMES = "2026-03-01T09:00:00Z,2026-03-02T09:00:00Z";

/** `longtail import` as a user runs it: a child process with its own embedded database folder. */
async function importCli(file: string, workspace: string) {
  const { DATABASE_URL, ...env } = process.env;
  const args = [...CLI_ARGS, "--data", join(files.dir, "data"), "import", file, "--workspace", workspace];
  try {
    const { stdout, stderr } = await run(CLI, args, { env: { ...env, LOG_LEVEL: "silent" } });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const failed = error as { code: number; stdout: string; stderr: string };
    return { code: failed.code, stdout: failed.stdout, stderr: failed.stderr };
  }
}

// The first run creates the embedded database folder (several seconds on a busy machine).
describe("longtail import with hostile files: one clear message, exit 1, no stack trace", {
  timeout: 90_000,
}, () => {
  it("a NUL byte in a creator name", async () => {
    const path = files.write("nul.csv", `${HEADER}\ninstagram,an\u0000na,10,P1,${TIMES}\n`);
    expect(await importCli(path, "acme")).toEqual({
      code: 1,
      stdout: "",
      stderr:
        "Nothing was imported: 1 bad row of 1.\n" +
        "line 2: creator: contains U+0000 (a control character) at character 3: remove it\n",
    });
  });

  it("invalid UTF-8", async () => {
    const path = join(files.dir, "latin1.csv");
    writeFileSync(
      path,
      Buffer.concat([
        Buffer.from(`${HEADER}\ninstagram,jos`),
        Buffer.from([0xe9]),
        Buffer.from(`,10,P1,${TIMES}\n`),
      ]),
    );
    expect(await importCli(path, "acme")).toEqual({
      code: 1,
      stdout: "",
      stderr: "Nothing was imported.\nline 2: invalid UTF-8 at character 14: save the file as UTF-8\n",
    });
  });

  it("a workspace slug the product cannot select", async () => {
    const path = files.write("ok.csv", `${HEADER}\ninstagram,anna,10,P1,${TIMES}\n`);
    expect(await importCli(path, "<!channel>")).toEqual({
      code: 1,
      stdout: "",
      stderr:
        "--workspace (or LONGTAIL_WORKSPACE) must be a workspace slug: 1 to 63 lower-case letters, digits " +
        'and dashes, starting with a letter or digit (e.g. acme-social), got "<!channel>".\n',
    });
  });
});
