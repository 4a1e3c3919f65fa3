/**
 * Slack /creator latency: signed slash commands through the real HTTP receiver, answered through
 * a loopback response_url, against a store filled with the demo generator.
 *
 *   npx tsx bench/slack.ts [--creators 200] [--posts 2000] [--requests 200] [--levels 1,10,50] [--max-seconds 30]
 *                          [--answer-concurrency N]
 *
 * Each level is run a second time with /longtail help, the floor: the same signed request, ack,
 * answer queue, rendering and response_url, with no database and no insight.
 * After the levels, one new snapshot of one creator's post is imported and the next /creator
 * answers are timed: that creator's, another creator's of the same tier (its tier medians
 * changed), then the first creator's again. `--answer-concurrency` overrides how many answers the app computes at once (its
 * default for the store otherwise).
 *
 * PostgreSQL when DATABASE_URL is set (a scratch database is created on that server and dropped
 * afterwards), else an in-memory PGlite. Everything listens on 127.0.0.1 only. The app runs in a
 * child process, as it would in production: the load generator's own work (and an embedded
 * database blocking the app's event loop) cannot hide in each other's timings.
 */
import { type ChildProcess, fork } from "node:child_process";
import { createHmac, randomBytes } from "node:crypto";
import { createServer, request as httpRequest, type IncomingMessage, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { loadConfig } from "../src/config.ts";
import { EMBEDDED_ANSWERS, SERVER_ANSWERS } from "../src/conversation/answerQueue.ts";
import { type Conversation, createConversation } from "../src/conversation/converse.ts";
import { demoCreators, seedDemo } from "../src/ingest/demo.ts";
import { importRows } from "../src/ingest/importRows.ts";
import type { ImportRow } from "../src/ingest/row.ts";
import { answer } from "../src/insights/answer.ts";
import { log } from "../src/log.ts";
import { COUNTERS, type SnapshotCounters } from "../src/metrics/types.ts";
import { createSlackApp } from "../src/slack/app.ts";
import type { Store } from "../src/store/database.ts";
import { openScratchStore } from "../src/store/scratch.ts";
import { findWorkspace } from "../src/store/workspaces.ts";

const NOW = new Date("2026-03-02T09:00:00Z");
const SIGNING_SECRET = process.env.BENCH_SIGNING_SECRET ?? randomBytes(16).toString("hex");
const BOT_TOKEN = "xoxb-bench-token";
const TEAM_ID = "T0BENCH";
const WORKSPACE = "bench-slack";
const ANSWER_TIMEOUT_MS = 60_000;
const WARM_UP_REQUESTS = 10;

interface Options {
  creators: number;
  posts: number;
  requests: number;
  levels: number[];
  maxSeconds: number;
  answerConcurrency: number | undefined;
}

function readOptions(): Options {
  const { values } = parseArgs({
    options: {
      serve: { type: "boolean", default: false },
      creators: { type: "string", default: "200" },
      posts: { type: "string", default: "2000" },
      requests: { type: "string", default: "200" },
      levels: { type: "string", default: "1,10,50" },
      "max-seconds": { type: "string", default: "30" },
      "answer-concurrency": { type: "string" },
    },
  });
  const positive = (name: string, text: string) => {
    const value = Number(text);
    if (!Number.isInteger(value) || value < 1)
      throw new Error(`--${name} must be a whole number ≥ 1, not "${text}"`);
    return value;
  };
  return {
    creators: positive("creators", values.creators),
    posts: positive("posts", values.posts),
    requests: positive("requests", values.requests),
    levels: values.levels.split(",").map((level) => positive("levels", level.trim())),
    maxSeconds: positive("max-seconds", values["max-seconds"]),
    answerConcurrency:
      values["answer-concurrency"] === undefined
        ? undefined
        : positive("answer-concurrency", values["answer-concurrency"]),
  };
}

/** A scratch database on the DATABASE_URL server, or an in-memory PGlite. */
function openBenchStore(): Promise<Store> {
  return openScratchStore(process.env.DATABASE_URL, "longtail_bench");
}

/** The Slack side on loopback: auth.test for the bot token, and response_url POSTs per request id. */
class LoopbackSlack {
  private readonly waiting = new Map<string, (at: number) => void>();
  private server: Server | undefined;

  async start(): Promise<void> {
    this.server = createServer((request, response) => {
      void this.handle(request).then((body) => {
        response.writeHead(200, { "content-type": "application/json" });
        response.end(body);
      });
    });
    await new Promise<void>((resolve) => this.server?.listen(0, "127.0.0.1", resolve));
  }

  get origin(): string {
    const address = this.server?.address() as AddressInfo | undefined;
    if (!address) throw new Error("The loopback Slack is not listening.");
    return `http://127.0.0.1:${address.port}`;
  }

  answered(id: string): Promise<number> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.waiting.delete(id);
        reject(new Error("no answer in time"));
      }, ANSWER_TIMEOUT_MS);
      this.waiting.set(id, (at) => {
        clearTimeout(timer);
        resolve(at);
      });
    });
  }

  private async handle(request: IncomingMessage): Promise<string> {
    for await (const _chunk of request) {
      // drain
    }
    const at = performance.now();
    const path = request.url ?? "";
    if (path.startsWith("/respond/")) {
      const id = path.slice("/respond/".length);
      this.waiting.get(id)?.(at);
      this.waiting.delete(id);
      return "ok";
    }
    if (path === "/api/auth.test") {
      return JSON.stringify({ ok: true, team_id: TEAM_ID, team: "Bench", user_id: "U0BOT", bot_id: "B0BOT" });
    }
    return JSON.stringify({ ok: false, error: "unknown_method" });
  }

  async stop(): Promise<void> {
    await new Promise<void>((resolve) => this.server?.close(() => resolve()));
    this.server?.closeAllConnections();
  }
}

interface Sample {
  ackMs: number;
  answerMs: number;
}

/** A slash command as Slack sends it. */
interface Command {
  command: string;
  text: string;
}

const creatorCommand = (handle: string): Command => ({ command: "/creator", text: `@${handle}` });
/** The floor: the same path (signature, ack, answer queue, render, response_url) with no database and no insight. */
const HELP_COMMAND: Command = { command: "/longtail", text: "help" };

async function oneRequest(appUrl: string, slack: LoopbackSlack, { command, text }: Command): Promise<Sample> {
  const id = randomBytes(8).toString("hex");
  const body = new URLSearchParams({
    team_id: TEAM_ID,
    team_domain: "bench",
    channel_id: "C0BENCH",
    user_id: "U0BENCHER",
    command,
    text,
    response_url: `${slack.origin}/respond/${id}`,
    trigger_id: "1.2.3",
  }).toString();
  const timestamp = Math.floor(Date.now() / 1000);
  const signature = `v0=${createHmac("sha256", SIGNING_SECRET).update(`v0:${timestamp}:${body}`).digest("hex")}`;
  const answered = slack.answered(id);
  // A failed request must not leave this promise rejecting unobserved.
  answered.catch(() => {});
  const started = performance.now();
  const status = await post(`${appUrl}/slack/events`, body, {
    "content-type": "application/x-www-form-urlencoded",
    "x-slack-request-timestamp": String(timestamp),
    "x-slack-signature": signature,
  });
  const ackMs = performance.now() - started;
  if (status !== 200) throw new Error(`HTTP ${status}`);
  const answeredAt = await answered;
  return { ackMs, answerMs: answeredAt - started };
}

/** One POST on its own connection, as Slack sends them; resolves with the status once the body is read. */
function post(url: string, body: string, headers: Record<string, string>): Promise<number> {
  return new Promise((resolve, reject) => {
    const request = httpRequest(url, { method: "POST", headers, agent: false }, (response) => {
      response.resume();
      response.on("end", () => resolve(response.statusCode ?? 0));
      response.on("error", reject);
    });
    request.on("error", reject);
    request.end(body);
  });
}

interface LevelResult {
  concurrency: number;
  requests: number;
  errors: number;
  "answer p50 ms": number;
  "answer p95 ms": number;
  "answer p99 ms": number;
  "ack p95 ms": number;
  "ack p99 ms": number;
  "req/s": number;
}

async function runLevel(
  appUrl: string,
  slack: LoopbackSlack,
  commandFor: (issued: number) => Command,
  concurrency: number,
  options: Options,
): Promise<LevelResult> {
  const samples: Sample[] = [];
  let errors = 0;
  let issued = 0;
  const deadline = performance.now() + options.maxSeconds * 1000;
  const started = performance.now();
  const worker = async () => {
    while (issued < options.requests && performance.now() < deadline) {
      const command = commandFor(issued);
      issued += 1;
      try {
        samples.push(await oneRequest(appUrl, slack, command));
      } catch {
        errors += 1;
      }
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  const seconds = (performance.now() - started) / 1000;
  const answers = samples.map((sample) => sample.answerMs).sort((a, b) => a - b);
  const acks = samples.map((sample) => sample.ackMs).sort((a, b) => a - b);
  return {
    concurrency,
    requests: samples.length,
    errors,
    "answer p50 ms": round(percentile(answers, 0.5)),
    "answer p95 ms": round(percentile(answers, 0.95)),
    "answer p99 ms": round(percentile(answers, 0.99)),
    "ack p95 ms": round(percentile(acks, 0.95)),
    "ack p99 ms": round(percentile(acks, 0.99)),
    "req/s": round(samples.length / seconds),
  };
}

/** Nearest-rank percentile of sorted values. */
function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(p * sorted.length) - 1))] ?? Number.NaN;
}

function round(value: number): number {
  return Math.round(value * 10) / 10;
}

type FromApp =
  | { type: "ready"; port: number; store: string; rows: number; seconds: number; handles: string[] }
  | { type: "baseline"; result: Record<string, number> }
  | { type: "imported"; seconds: number; sameTier: string };
type ToApp = { type: "baseline" } | { type: "import"; handle: string } | { type: "stop" };

/** The load generator: a loopback Slack, the app in a child process, then each concurrency level. */
async function main(): Promise<void> {
  const options = readOptions();
  const slack = new LoopbackSlack();
  await slack.start();
  const app = fork(fileURLToPath(import.meta.url), ["--serve", ...process.argv.slice(2)], {
    execArgv: ["--import", "tsx"],
    env: { ...process.env, BENCH_SIGNING_SECRET: SIGNING_SECRET, BENCH_SLACK_ORIGIN: slack.origin },
  });
  try {
    const ready = await nextMessage(app, "ready");
    console.log(
      `Store: ${ready.store}; seeded ${options.creators} creators, ${options.posts} posts ` +
        `(${ready.rows} snapshot rows) in ${ready.seconds} s`,
    );
    const appUrl = `http://127.0.0.1:${ready.port}`;
    const handles = ready.handles;
    const creatorOf = (issued: number) => creatorCommand(handles[issued % handles.length] ?? "");
    for (let i = 0; i < WARM_UP_REQUESTS; i++) {
      await oneRequest(appUrl, slack, creatorOf(i));
      await oneRequest(appUrl, slack, HELP_COMMAND);
    }
    const results: LevelResult[] = [];
    const floor: LevelResult[] = [];
    for (const concurrency of options.levels) {
      results.push(await runLevel(appUrl, slack, creatorOf, concurrency, options));
      floor.push(await runLevel(appUrl, slack, () => HELP_COMMAND, concurrency, options));
    }
    console.log(
      `/creator @handle, ${options.requests} requests per level (at most ${options.maxSeconds} s each):`,
    );
    console.table(results);
    console.log("Floor, the same levels in the same run: /longtail help (no database, no insight):");
    console.table(floor);
    const [changed = ""] = handles;
    send(app, { type: "import", handle: changed });
    const imported = await nextMessage(app, "imported");
    const firstAnswers: { creator: string; "answer ms": number }[] = [];
    for (const handle of [changed, imported.sameTier, changed]) {
      const { answerMs } = await oneRequest(appUrl, slack, creatorCommand(handle));
      firstAnswers.push({ creator: `@${handle}`, "answer ms": round(answerMs) });
    }
    console.log(
      `One new snapshot of @${changed}'s post imported (${imported.seconds} s); the first answers after it, one at a time:`,
    );
    console.table(firstAnswers);
    send(app, { type: "baseline" });
    const baseline = await nextMessage(app, "baseline");
    console.log("The same questions asked of insights directly (no Slack, no HTTP), one at a time:");
    console.table([baseline.result]);
    send(app, { type: "stop" });
    await new Promise((resolve) => app.once("exit", resolve));
  } finally {
    if (app.exitCode === null) app.kill();
    await slack.stop();
  }
}

function send(child: ChildProcess, message: ToApp): void {
  child.send(message);
}

function nextMessage<K extends FromApp["type"]>(
  child: ChildProcess,
  type: K,
): Promise<Extract<FromApp, { type: K }>> {
  return new Promise((resolve, reject) => {
    const onMessage = (message: FromApp) => {
      if (message.type !== type) return;
      child.off("message", onMessage);
      child.off("exit", onExit);
      resolve(message as Extract<FromApp, { type: K }>);
    };
    const onExit = (code: number | null) =>
      reject(new Error(`The app process exited (${code}) before "${type}"`));
    child.on("message", onMessage);
    child.once("exit", onExit);
  });
}

/** The app side: store, seed, the real Slack app on 127.0.0.1:0; answers the generator's requests. */
async function serve(): Promise<void> {
  const options = readOptions();
  const slackOrigin = process.env.BENCH_SLACK_ORIGIN ?? "";
  if (!process.env.BENCH_LOGS) log.level = "silent";
  const store = await openBenchStore();
  const seedStarted = performance.now();
  const seeded = await seedDemo(store, {
    now: NOW,
    creators: options.creators,
    posts: options.posts,
    slug: WORKSPACE,
  });
  const seconds = round((performance.now() - seedStarted) / 1000);
  const handles = shuffled(
    demoCreators({ now: NOW, creators: options.creators, posts: options.posts }).map((c) => c.handle),
  );
  const config = loadConfig({
    SLACK_SIGNING_SECRET: SIGNING_SECRET,
    SLACK_BOT_TOKEN: BOT_TOKEN,
    SLACK_API_URL: `${slackOrigin}/api/`,
    LONGTAIL_WORKSPACE: WORKSPACE,
  });
  const app = createSlackApp({
    config,
    store,
    conversation: benchConversation(store, options),
    now: () => NOW,
    clientOptions: { retryConfig: { retries: 0 } },
  });
  const server = (await app.start({ port: 0, host: "127.0.0.1" })) as Server;
  const port = (server.address() as AddressInfo).port;
  process.on("message", (message: ToApp) => {
    if (message.type === "baseline") {
      void insightsAlone(store, handles, options).then((result) =>
        process.send?.({ type: "baseline", result }),
      );
    } else if (message.type === "import") {
      void importOneSnapshot(store, options, message.handle).then((imported) =>
        process.send?.({ type: "imported", ...imported }),
      );
    } else if (message.type === "stop") {
      void app
        .stop()
        .then(() => store.close())
        .then(() => process.exit(0));
    }
  });
  process.send?.({ type: "ready", port, store: store.kind, rows: seeded.rowsRead, seconds, handles });
}

/** The app's conversation core, computing `--answer-concurrency` answers at once when given. */
function benchConversation(store: Store, options: Options): Conversation {
  if (options.answerConcurrency === undefined) return createConversation(store);
  const defaults = store.kind === "pglite" ? EMBEDDED_ANSWERS : SERVER_ANSWERS;
  return createConversation(store, { queue: { ...defaults, concurrency: options.answerConcurrency } });
}

/**
 * Imports the latest snapshot of the creator's first post again with one like more (the import
 * stores that post's facts and the creator's sums anew); names another creator of the same tier.
 * The row is read back from the store: generating the demo rows again here would leave this
 * process a heap to collect just when the timed answers come.
 */
async function importOneSnapshot(store: Store, options: Options, handle: string) {
  const workspace = await findWorkspace(store.prisma, WORKSPACE);
  const snapshot = await store.prisma.metricSnapshot.findFirst({
    where: { post: { workspaceId: workspace?.id, creator: { handle } } },
    orderBy: [{ postId: "asc" }, { capturedAt: "desc" }],
    include: { post: { include: { creator: true, campaign: true } } },
  });
  if (!snapshot) throw new Error(`@${handle} has no snapshot in the store`);
  const { post } = snapshot;
  const counters = Object.fromEntries(
    COUNTERS.map((counter) => [counter, snapshot[counter] === null ? null : Number(snapshot[counter])]),
  ) as SnapshotCounters;
  const row: ImportRow = {
    ...counters,
    likes: (counters.likes ?? 0) + 1,
    platform: post.platform,
    creator: post.creator.handle,
    followers: post.creator.followers,
    campaign: post.campaign?.name ?? null,
    postId: post.externalId,
    publishedAt: post.publishedAt,
    fee: Number(post.fee),
    capturedAt: snapshot.capturedAt,
  };
  const started = performance.now();
  await importRows(store, WORKSPACE, [row]);
  const cast = demoCreators({ now: NOW, creators: options.creators, posts: options.posts });
  const tier = cast.find((creator) => creator.handle === handle)?.tier;
  const sameTier =
    cast.find((creator) => creator.tier === tier && creator.handle !== handle)?.handle ?? handle;
  return { seconds: round((performance.now() - started) / 1000), sameTier };
}

/** The share of the latency that is the insight itself: answer() for the same handles, sequentially. */
async function insightsAlone(store: Store, handles: string[], options: Options) {
  const workspace = await findWorkspace(store.prisma, WORKSPACE);
  if (!workspace) throw new Error(`The ${WORKSPACE} workspace was not seeded.`);
  const times: number[] = [];
  const deadline = performance.now() + options.maxSeconds * 1000;
  for (let i = 0; i < Math.min(options.requests, 100) && performance.now() < deadline; i++) {
    const started = performance.now();
    await answer(
      { prisma: store.prisma, workspace },
      { kind: "creator", handle: handles[i % handles.length] ?? "" },
      NOW,
    );
    times.push(performance.now() - started);
  }
  times.sort((a, b) => a - b);
  return {
    requests: times.length,
    "answer() p50 ms": round(percentile(times, 0.5)),
    "answer() p95 ms": round(percentile(times, 0.95)),
    "answer() p99 ms": round(percentile(times, 0.99)),
  };
}

function shuffled<T>(values: T[]): T[] {
  const copy = [...values];
  let seed = 42;
  for (let i = copy.length - 1; i > 0; i--) {
    seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31;
    const j = seed % (i + 1);
    [copy[i], copy[j]] = [copy[j] as T, copy[i] as T];
  }
  return copy;
}

if (process.argv.includes("--serve")) await serve();
else await main();
