/**
 * Every ack under a second: `--requests` signed /creator commands on the embedded store
 * (an in-memory PGlite in its worker thread), or on PostgreSQL when DATABASE_URL is set (a scratch
 * database, dropped afterwards).
 *
 *   npx tsx bench/ack.ts [--requests 200] [--concurrency 20] [--creators 200] [--posts 2000]
 *
 * `--concurrency 200` sends them all at once; 20 keeps commands arriving while answers are computed.
 */
import { parseArgs } from "node:util";
import { demoCreators, seedDemo } from "../src/ingest/demo.ts";
import { log } from "../src/log.ts";
import { openScratchStore } from "../src/store/scratch.ts";
import { measureAcks } from "./ackLoad.ts";

const NOW = new Date("2026-03-02T09:00:00Z");
const WORKSPACE = "bench-acks";
const ACK_BUDGET_MS = 1000;

function wholeNumber(name: string, text: string): number {
  const value = Number(text);
  if (!Number.isInteger(value) || value < 1)
    throw new Error(`--${name} must be a whole number ≥ 1, not "${text}"`);
  return value;
}

const { values } = parseArgs({
  options: {
    requests: { type: "string", default: "200" },
    concurrency: { type: "string", default: "20" },
    creators: { type: "string", default: "200" },
    posts: { type: "string", default: "2000" },
  },
});
const requests = wholeNumber("requests", values.requests);
const concurrency = wholeNumber("concurrency", values.concurrency);
const demo = {
  now: NOW,
  creators: wholeNumber("creators", values.creators),
  posts: wholeNumber("posts", values.posts),
};

if (!process.env.BENCH_LOGS) log.level = "silent";
const store = await openScratchStore(process.env.DATABASE_URL, "longtail_bench");
try {
  const seeded = await seedDemo(store, { ...demo, slug: WORKSPACE });
  const result = await measureAcks({
    store,
    workspace: WORKSPACE,
    handles: demoCreators(demo).map((creator) => creator.handle),
    requests,
    concurrency,
    answerTimeoutMs: 600_000,
    now: NOW,
  });
  const last = (values: number[]) => Math.round(values.at(-1) ?? Number.NaN);
  const median = (values: number[]) => Math.round(values[Math.floor(values.length / 2)] ?? Number.NaN);
  console.log(
    `${store.kind}: ${demo.creators} creators, ${demo.posts} posts (${seeded.snapshots} snapshots); ` +
      `${requests} /creator commands, ${concurrency} at a time (the next as soon as one is acked)`,
  );
  console.table([
    {
      acked: result.ackMs.length,
      failed: result.failed,
      [`acks over ${ACK_BUDGET_MS} ms`]: result.ackMs.filter((ms) => ms >= ACK_BUDGET_MS).length,
      "ack p50 ms": median(result.ackMs),
      "ack max ms": last(result.ackMs),
      answered: result.answerMs.length,
      "answer p50 ms": median(result.answerMs),
      "answer max ms": last(result.answerMs),
    },
  ]);
} finally {
  await store.close();
}
