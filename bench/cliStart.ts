/**
 * How long `longtail ask "creator @x"` takes from the shell, and its peak memory, on the embedded
 * demo store, beside its floor measured in the same run: node opening PGlite on the same folder
 * and running one SELECT (bench/pgliteFloor.mjs), with PGlite's defaults and as the CLI opens it.
 * Each round runs every command once, in turn, so that the machine's load falls on all alike.
 *
 *   npx tsx bench/cliStart.ts [--rounds 10] [--baseline OTHER/bin/longtail.js]
 *
 * `--baseline` adds another build's CLI (e.g. a git worktree of an older commit, built) on the same
 * folder: before and after in one run. Needs /usr/bin/time (Debian: apt-get install time) for the
 * peak RSS. Builds dist/ when stale; the demo folder is bench/out/cli-demo (seeded once).
 */
import { execFileSync, spawn } from "node:child_process";
import { existsSync, mkdirSync, writeFileSync } from "node:fs";
import { loadavg } from "node:os";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { demoCreators } from "../src/ingest/demo.ts";
import { summarize, type Timing } from "./stats.ts";

const ROOT = fileURLToPath(new URL("../", import.meta.url));
const OUT = `${ROOT}bench/out/`;
const DATA_DIR = `${OUT}cli-demo`;
const CLI = `${ROOT}bin/longtail.js`;
const ANCHOR = "2026-03-02T09:00:00Z";
const TIME = "/usr/bin/time";

/** The embedded store always: a DATABASE_URL in the caller's environment is left out. */
function embeddedEnv(): NodeJS.ProcessEnv {
  const { DATABASE_URL, ...env } = process.env;
  return { ...env, LOG_LEVEL: "silent" };
}

interface Command {
  label: string;
  args: string[];
  /** What its standard output must hold: a run that prints something else is not counted. */
  expect: string;
}

interface Figures {
  label: string;
  wall: Timing;
  peakRssMiB: { p50: number; max: number };
}

const KIB_PER_MIB = 1024;

/** One run: wall-clock milliseconds (spawn to exit) and peak RSS in MiB, from /usr/bin/time. */
function runOnce(command: Command): Promise<{ ms: number; rssMiB: number }> {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const child = spawn(TIME, ["-f", "peak-rss-kib=%M", "node", ...command.args], {
      cwd: ROOT,
      env: embeddedEnv(),
    });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (chunk) => (stdout += chunk));
    child.stderr.on("data", (chunk) => (stderr += chunk));
    child.on("error", reject);
    child.on("close", (code) => {
      const ms = performance.now() - started;
      const rss = /peak-rss-kib=(\d+)/.exec(stderr)?.[1];
      if (code !== 0 || rss === undefined || !stdout.includes(command.expect)) {
        reject(new Error(`${command.label} failed (exit ${code}):\n${stdout}\n${stderr}`));
        return;
      }
      resolve({ ms, rssMiB: Number(rss) / KIB_PER_MIB });
    });
  });
}

function seedOnce(): number {
  if (!existsSync(DATA_DIR)) {
    mkdirSync(OUT, { recursive: true });
    execFileSync("node", [CLI, "--data", DATA_DIR, "seed", "--demo", "--now", ANCHOR], {
      cwd: ROOT,
      env: embeddedEnv(),
      stdio: ["ignore", "ignore", "inherit"],
    });
  }
  const floor = execFileSync("node", ["bench/pgliteFloor.mjs", DATA_DIR], { cwd: ROOT, encoding: "utf8" });
  return Number(floor.trim());
}

function commands(handle: string, posts: number, baseline: string | undefined): Command[] {
  const ask = (cli: string) => [cli, "--data", DATA_DIR, "ask", `creator @${handle}`, "--now", ANCHOR];
  return [
    { label: "PGlite alone, its defaults", args: ["bench/pgliteFloor.mjs", DATA_DIR], expect: `${posts}` },
    {
      label: "PGlite alone, as the CLI opens it (ONE_SHOT)",
      args: ["bench/pgliteFloor.mjs", DATA_DIR, "--one-shot"],
      expect: `${posts}`,
    },
    { label: "longtail ask (this build)", args: ask(CLI), expect: `@${handle}` },
    ...(baseline ? [{ label: `longtail ask (${baseline})`, args: ask(baseline), expect: `@${handle}` }] : []),
  ];
}

const load = () => Number((loadavg()[0] ?? 0).toFixed(1));
const format = (ms: number) => (ms / 1000).toFixed(2);

function printTable(figures: Figures[], rounds: number, handle: string, loads: number[]): void {
  const floor = figures[1]?.wall.p50Ms ?? Number.NaN;
  console.log(
    `\nlongtail ask "creator @${handle}" on the embedded demo store, ${rounds} interleaved rounds; ` +
      `load average (1 min) ${loads[0]} at the start, ${loads[1]} at the end\n`,
  );
  console.log("| run | wall p50 / p95 (s) | p50 ÷ ONE_SHOT floor | peak RSS p50 / max (MiB) |");
  console.log("|---|---|---|---|");
  for (const { label, wall, peakRssMiB } of figures) {
    console.log(
      `| ${label} | ${format(wall.p50Ms)} / ${format(wall.p95Ms)} | ${(wall.p50Ms / floor).toFixed(2)}× | ` +
        `${peakRssMiB.p50.toFixed(0)} / ${peakRssMiB.max.toFixed(0)} |`,
    );
  }
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: { rounds: { type: "string", default: "10" }, baseline: { type: "string" } },
  });
  const rounds = Number(values.rounds);
  if (!Number.isInteger(rounds) || rounds < 1) throw new Error("--rounds expects a whole number ≥ 1");
  if (!existsSync(TIME)) throw new Error(`${TIME} is missing (Debian: apt-get install time)`);
  execFileSync("node", ["scripts/build-if-stale.js"], { cwd: ROOT, stdio: "inherit" });
  const posts = seedOnce();
  const handle = demoCreators({ now: new Date(ANCHOR) })[0]?.handle ?? "";
  const list = commands(handle, posts, values.baseline);
  const loads = [load()];
  const samples = list.map(() => ({ ms: [] as number[], rss: [] as number[] }));
  // One warm-up round: the page cache holds the files afterwards, for every command alike.
  for (const command of list) await runOnce(command);
  for (let round = 1; round <= rounds; round += 1) {
    for (const [index, command] of list.entries()) {
      const { ms, rssMiB } = await runOnce(command);
      samples[index]?.ms.push(ms);
      samples[index]?.rss.push(rssMiB);
    }
    process.stderr.write(`round ${round}/${rounds}, load ${load()}\n`);
  }
  loads.push(load());
  const figures = list.map(({ label }, index): Figures => {
    const rss = summarize(samples[index]?.rss ?? []);
    return {
      label,
      wall: summarize(samples[index]?.ms ?? []),
      peakRssMiB: { p50: rss.p50Ms, max: rss.maxMs },
    };
  });
  printTable(figures, rounds, handle, loads);
  const file = `${OUT}cli-start-${new Date().toISOString().replaceAll(":", "-").slice(0, 19)}.json`;
  writeFileSync(file, JSON.stringify({ rounds, handle, posts, loads, figures }, null, 2));
  console.log(`\n${file}`);
}

await main();
