/**
 * A real Longtail process (`node --import tsx src/main.ts`, as `npm start` runs dist/main.js) with
 * single-workspace Slack pointed at a loopback stand-in for Slack: the Web API (auth.test,
 * chat.postMessage, users.info) and the response_url of every command, each answer recorded.
 * The stand-in's behaviour per call can be changed (500, 429, no answer) to play Slack failing.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import pg from "pg";
import type { ScheduleWorld } from "../schedule/support.ts";
import { SIGNING_SECRET as STUB_SIGNING_SECRET, TEAM_ACME } from "../slack/support/harness.ts";
import { slackSignature } from "../slack/support/slackRequests.ts";
import { databaseUrlOf } from "../support/postgres.ts";

export const TEAM_ID = "T0REL";
export const SIGNING_SECRET = randomBytes(16).toString("hex");
export const BOT_TOKEN = `xoxb-${randomBytes(12).toString("hex")}`;
const ROOT = fileURLToPath(new URL("../../", import.meta.url));

/** One request Slack's side received. */
export interface Received {
  path: string;
  body: string;
  headers: IncomingMessage["headers"];
}

/** What the stand-in does with a request: answer normally, or fail as Slack sometimes does. */
export type Behaviour = "ok" | "500" | "429" | "hang";

export class SlackSide {
  readonly received: Received[] = [];
  /** Behaviours for the next calls to a path, consumed in order; then "ok". */
  readonly plan = new Map<string, Behaviour[]>();
  private readonly hung: ServerResponse[] = [];
  private readonly waiters: (() => void)[] = [];
  private server!: Server;
  origin = "";

  async start(): Promise<void> {
    this.server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on("data", (chunk: Buffer) => chunks.push(chunk));
      req.on("end", () => this.answer(req, res, Buffer.concat(chunks).toString("utf8")));
    });
    await new Promise<void>((resolve) => this.server.listen(0, "127.0.0.1", resolve));
    this.origin = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  private answer(req: IncomingMessage, res: ServerResponse, body: string): void {
    const path = (req.url ?? "").split("?")[0] ?? "";
    const behaviour = this.plan.get(path)?.shift() ?? "ok";
    if (behaviour === "hang") {
      this.hung.push(res);
      return;
    }
    this.received.push({ path, body, headers: req.headers });
    for (const waiter of this.waiters.splice(0)) waiter();
    if (behaviour === "500") {
      res.writeHead(500, { "content-type": "text/plain" }).end("internal error");
      return;
    }
    if (behaviour === "429") {
      res.writeHead(429, { "retry-after": "1", "content-type": "application/json" });
      res.end(JSON.stringify({ ok: false, error: "ratelimited" }));
      return;
    }
    res.writeHead(200, { "content-type": "application/json" });
    res.end(JSON.stringify(webApiAnswer(path)));
  }

  /** The requests received on a path so far. */
  on(path: string): Received[] {
    return this.received.filter((request) => request.path === path);
  }

  /** Resolves once `count` requests matching `path` arrived, or rejects after `timeoutMs`. */
  async waitFor(predicate: (received: Received[]) => boolean, timeoutMs: number): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (!predicate(this.received)) {
      const left = deadline - Date.now();
      if (left <= 0) throw new Error("Slack's side did not receive what was expected in time");
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, Math.min(left, 250));
        this.waiters.push(() => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
  }

  async stop(): Promise<void> {
    for (const res of this.hung) res.destroy();
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}

function webApiAnswer(path: string): unknown {
  if (path === "/api/auth.test") return { ok: true, team_id: TEAM_ID, user_id: "U0BOT", bot_id: "B0BOT" };
  if (path === "/api/chat.postMessage") return { ok: true, channel: "C0REL", ts: "1700000000.000100" };
  if (path === "/api/users.info") return { ok: true, user: { id: "U0ASKER", tz: "Europe/Paris" } };
  return { ok: true };
}

/** A signed request to Slack's endpoint of the app, as Slack sends it. */
export function signedHeaders(body: string, contentType: string): Record<string, string> {
  const timestamp = Math.floor(Date.now() / 1000);
  return {
    "content-type": contentType,
    "x-slack-request-timestamp": String(timestamp),
    "x-slack-signature": slackSignature(SIGNING_SECRET, timestamp, body),
  };
}

/** A signed `/creator <text>` whose answer goes to `{origin}/respond/{id}`; resolves with the ack's status. */
export async function slashCommand(
  appUrl: string,
  slack: SlackSide,
  id: string,
  text: string,
): Promise<number> {
  const body = new URLSearchParams({
    team_id: TEAM_ID,
    team_domain: "reliability",
    channel_id: "C0REL",
    user_id: "U0ASKER",
    command: "/creator",
    text,
    response_url: `${slack.origin}/respond/${id}`,
    trigger_id: "1.2.3",
  }).toString();
  const response = await fetch(`${appUrl}/slack/events`, {
    method: "POST",
    headers: signedHeaders(body, "application/x-www-form-urlencoded"),
    body,
  });
  await response.arrayBuffer();
  return response.status;
}

/** The text of an answer posted to a response_url or chat.postMessage (its blocks' text included). */
export function answerText(received: Received): string {
  const body = received.headers["content-type"]?.includes("json")
    ? (JSON.parse(received.body) as Record<string, unknown>)
    : Object.fromEntries(new URLSearchParams(received.body));
  const blocks = typeof body.blocks === "string" ? JSON.parse(body.blocks) : body.blocks;
  return [String(body.text ?? ""), JSON.stringify(blocks ?? [])].join("\n");
}

export interface Running {
  child: ChildProcess;
  url: string;
  /** Everything the process wrote to stdout and stderr so far. */
  output(): string;
  /** Resolves with the exit code. */
  exited: Promise<number | null>;
}

/** Starts `src/main.ts` with `env` and resolves once its banner says where it listens. */
export async function startLongtail(env: Record<string, string>): Promise<Running> {
  const child = spawn(process.execPath, ["--import", "tsx", "src/main.ts"], {
    cwd: ROOT,
    env: { PATH: process.env.PATH ?? "", HOME: process.env.HOME ?? "", HOST: "127.0.0.1", PORT: "0", ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  child.stdout?.on("data", (chunk: Buffer) => {
    output += chunk.toString("utf8");
  });
  child.stderr?.on("data", (chunk: Buffer) => {
    output += chunk.toString("utf8");
  });
  const exited = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`Longtail did not start:\n${output}`)), 90_000);
    const look = () => {
      // "running for Slack on http://…." or, in local mode, "Playground:    http://…/playground/".
      const found = /(?:on |Playground: +)(http:\/\/127\.0\.0\.1:\d+)[./]/.exec(output);
      if (!found?.[1]) return;
      clearTimeout(timer);
      child.stdout?.off("data", look);
      resolve(found[1]);
    };
    child.stdout?.on("data", look);
    void exited.then((code) => reject(new Error(`Longtail exited (${code}) before it started:\n${output}`)));
  });
  return { child, url, output: () => output, exited };
}

/** The environment for single-workspace Slack against `slack`, answering from the demo workspace. */
export function slackEnv(slack: SlackSide): Record<string, string> {
  return {
    SLACK_SIGNING_SECRET: SIGNING_SECRET,
    SLACK_BOT_TOKEN: BOT_TOKEN,
    SLACK_API_URL: `${slack.origin}/api/`,
    LONGTAIL_WORKSPACE: "demo",
  };
}

/**
 * The environment of a process on the schedule world's own PostgreSQL database (on the server
 * LONGTAIL_TEST_DATABASE_URL names), single-workspace Slack against the world's Slack stub.
 */
export async function scheduleWorldEnv(
  world: ScheduleWorld,
  extra: Record<string, string> = {},
): Promise<Record<string, string>> {
  return {
    DATABASE_URL: await databaseUrlOf(world.store),
    LOG_LEVEL: "warn",
    SLACK_SIGNING_SECRET: STUB_SIGNING_SECRET,
    SLACK_BOT_TOKEN: TEAM_ACME.token,
    SLACK_API_URL: world.stub.apiUrl,
    LONGTAIL_WORKSPACE: "acme",
    ...extra,
  };
}

/** A fresh PostgreSQL database on the server LONGTAIL_TEST_DATABASE_URL (or the local one) names; `drop` removes it. */
export async function freshDatabase(name: string): Promise<{ url: string; drop(): Promise<void> }> {
  const server = process.env.LONGTAIL_TEST_DATABASE_URL ?? "postgresql://postgres@127.0.0.1:5432/postgres";
  const database = `${name}_${randomBytes(4).toString("hex")}`;
  const admin = new pg.Client({ connectionString: server });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${database}`);
  await admin.end();
  const url = new URL(server);
  url.pathname = `/${database}`;
  return {
    url: url.toString(),
    async drop() {
      const client = new pg.Client({ connectionString: server });
      await client.connect();
      await client.query(`DROP DATABASE IF EXISTS ${database} WITH (FORCE)`);
      await client.end();
    },
  };
}

/** Terminates every connection to `databaseUrl`'s database but this one's own. */
export async function terminateBackends(databaseUrl: string): Promise<number> {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    const result = await client.query(
      "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()",
    );
    return result.rowCount ?? 0;
  } finally {
    await client.end();
  }
}

export interface ProcessStore {
  /** "embedded store" or "PostgreSQL, a fresh database". */
  name: string;
  /** LONGTAIL_DATA_DIR or DATABASE_URL for the process. */
  env: Record<string, string>;
  drop(): Promise<void>;
}

/**
 * The store a process under test runs on: `npm test` the embedded one in a folder of its own,
 * `npm run test:pg` (LONGTAIL_TEST_DATABASE_URL) a fresh PostgreSQL database, dropped afterwards.
 */
export async function processStore(name: string): Promise<ProcessStore> {
  if (process.env.LONGTAIL_TEST_DATABASE_URL) {
    const database = await freshDatabase(`longtail_${name}`);
    return { name: "PostgreSQL, a fresh database", env: { DATABASE_URL: database.url }, drop: database.drop };
  }
  const dataDir = mkdtempSync(join(tmpdir(), `longtail-${name}-`));
  return {
    name: "embedded store",
    env: { LONGTAIL_DATA_DIR: dataDir },
    drop: async () => rmSync(dataDir, { recursive: true, force: true }),
  };
}

/** Which store `processStore` opens in this run. */
export const PROCESS_STORE_NAME = process.env.LONGTAIL_TEST_DATABASE_URL
  ? "PostgreSQL, a fresh database"
  : "embedded store";
