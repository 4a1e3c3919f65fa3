/**
 * Acks under load: `requests` signed /creator commands sent all at once to the real Bolt app over
 * HTTP, each on its own connection as Slack sends them; how long each waited for its HTTP 200 (the
 * ack Slack wants within 3 s) and for its answer on a loopback response_url. Used by bench/ack.ts
 * (full size, by hand) and test/security/acks.test.ts (small size, in CI).
 */
import { createHmac, randomBytes } from "node:crypto";
import { createServer, request as httpRequest, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { loadConfig } from "../src/config.ts";
import { createSlackApp } from "../src/slack/app.ts";
import type { Store } from "../src/store/database.ts";

const TEAM_ID = "T0ACKS";
const BOT_TOKEN = "xoxb-ack-bench";

export interface AckLoadOptions {
  store: Store;
  /** The workspace the commands are answered from. */
  workspace: string;
  /** Creator handles to ask about, in turn. */
  handles: readonly string[];
  requests: number;
  /** Answers that take longer are counted as missing. */
  answerTimeoutMs: number;
  now: Date;
}

export interface AckLoadResult {
  requests: number;
  /** Milliseconds from sending to the HTTP 200, sorted. */
  ackMs: number[];
  /** Requests that got no 200 at all. */
  failed: number;
  /** Milliseconds from sending to the answer on response_url, sorted; only those that came. */
  answerMs: number[];
}

/** The Slack side on loopback: auth.test, and the response_url each answer is posted to. */
async function startLoopbackSlack(arrivals: Map<string, () => void>): Promise<Server> {
  const server = createServer((request, response) => {
    request.resume();
    request.on("end", () => {
      const path = request.url ?? "";
      if (path.startsWith("/respond/")) arrivals.get(path.slice("/respond/".length))?.();
      response.writeHead(200, { "content-type": "application/json" });
      response.end(
        path === "/api/auth.test"
          ? JSON.stringify({ ok: true, team_id: TEAM_ID, user_id: "U0BOT", bot_id: "B0BOT" })
          : JSON.stringify({ ok: true }),
      );
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return server;
}

function origin(server: Server): string {
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

/** One POST on its own connection; resolves with the status once the response has ended. */
function post(url: string, body: string, headers: Record<string, string>): Promise<number> {
  return new Promise((resolve, reject) => {
    const request = httpRequest(url, { method: "POST", headers, agent: false }, (response) => {
      response.resume();
      response.on("end", () => resolve(response.statusCode ?? 0));
    });
    request.on("error", reject);
    request.end(body);
  });
}

export async function measureAcks(options: AckLoadOptions): Promise<AckLoadResult> {
  const signingSecret = randomBytes(16).toString("hex");
  const arrivals = new Map<string, () => void>();
  const slack = await startLoopbackSlack(arrivals);
  const app = createSlackApp({
    config: loadConfig({
      SLACK_SIGNING_SECRET: signingSecret,
      SLACK_BOT_TOKEN: BOT_TOKEN,
      SLACK_API_URL: `${origin(slack)}/api/`,
      LONGTAIL_WORKSPACE: options.workspace,
    }),
    store: options.store,
    now: () => options.now,
    clientOptions: { retryConfig: { retries: 0 } },
  });
  const server = (await app.start({ port: 0, host: "127.0.0.1" })) as Server;
  try {
    const samples = await Promise.all(
      Array.from({ length: options.requests }, (_, index) =>
        oneCommand(`${origin(server)}/slack/events`, {
          signingSecret,
          handle: options.handles[index % options.handles.length] ?? "",
          responseUrl: (id) => `${origin(slack)}/respond/${id}`,
          arrivals,
          answerTimeoutMs: options.answerTimeoutMs,
        }),
      ),
    );
    const sorted = (values: number[]) => values.sort((a, b) => a - b);
    return {
      requests: options.requests,
      ackMs: sorted(samples.flatMap((sample) => (sample.ackMs === undefined ? [] : [sample.ackMs]))),
      failed: samples.filter((sample) => sample.ackMs === undefined).length,
      answerMs: sorted(samples.flatMap((sample) => (sample.answerMs === undefined ? [] : [sample.answerMs]))),
    };
  } finally {
    await app.stop();
    await new Promise<void>((resolve) => slack.close(() => resolve()));
    slack.closeAllConnections();
  }
}

interface CommandTarget {
  signingSecret: string;
  handle: string;
  responseUrl(id: string): string;
  arrivals: Map<string, () => void>;
  answerTimeoutMs: number;
}

async function oneCommand(
  url: string,
  target: CommandTarget,
): Promise<{ ackMs?: number; answerMs?: number }> {
  const id = randomBytes(8).toString("hex");
  const body = new URLSearchParams({
    team_id: TEAM_ID,
    team_domain: "acks",
    channel_id: "C0ACKS",
    user_id: "U0ASKER",
    command: "/creator",
    text: `@${target.handle}`,
    response_url: target.responseUrl(id),
    trigger_id: "1.2.3",
  }).toString();
  const timestamp = Math.floor(Date.now() / 1000);
  const signature = `v0=${createHmac("sha256", target.signingSecret).update(`v0:${timestamp}:${body}`).digest("hex")}`;
  const started = performance.now();
  const answered = new Promise<number | undefined>((resolve) => {
    const timer = setTimeout(() => resolve(undefined), target.answerTimeoutMs);
    target.arrivals.set(id, () => {
      clearTimeout(timer);
      resolve(performance.now() - started);
    });
  });
  const status = await post(url, body, {
    "content-type": "application/x-www-form-urlencoded",
    "x-slack-request-timestamp": String(timestamp),
    "x-slack-signature": signature,
  }).catch(() => 0);
  const ackMs = status === 200 ? performance.now() - started : undefined;
  return { ackMs, answerMs: ackMs === undefined ? undefined : await answered };
}
