/**
 * The Slack side of bench/ackLoad.ts, in a process of its own as Slack is: a loopback Web API
 * (auth.test) and response_url, and the signed /creator commands, all sent at once, each on its own
 * connection. Its own work then cannot hide in the app's timings, nor the app's in its own.
 * Started by measureAcks over IPC: "ready" (origin) → "run" (target) → "result".
 */
import { createHmac, randomBytes } from "node:crypto";
import { createServer, request as httpRequest } from "node:http";
import type { AddressInfo } from "node:net";

export const TEAM_ID = "T0ACKS";

export interface AckRun {
  url: string;
  signingSecret: string;
  handles: readonly string[];
  requests: number;
  /** Commands in flight at once: each sender sends its next as soon as the previous one is acked. */
  concurrency: number;
  answerTimeoutMs: number;
}

export interface AckSamples {
  /** Milliseconds to the HTTP 200; undefined: no 200. */
  ackMs: (number | undefined)[];
  /** Milliseconds to the answer on response_url; undefined: none in time. */
  answerMs: (number | undefined)[];
}

export type FromSlack = { type: "ready"; origin: string } | { type: "result"; samples: AckSamples };
export type ToSlack = { type: "run"; run: AckRun };

const arrivals = new Map<string, () => void>();

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

function origin(): string {
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

/** One POST on its own connection; resolves with the status once the response has ended. */
function post(url: string, body: string, headers: Record<string, string>): Promise<number> {
  return new Promise((resolve) => {
    const request = httpRequest(url, { method: "POST", headers, agent: false }, (response) => {
      response.resume();
      response.on("end", () => resolve(response.statusCode ?? 0));
    });
    request.on("error", () => resolve(0));
    request.end(body);
  });
}

/** Resolves once acked (or refused), with the answer still to come. */
async function oneCommand(
  run: AckRun,
  index: number,
): Promise<{ ackMs?: number; answered: Promise<number | undefined> }> {
  const id = randomBytes(8).toString("hex");
  const body = new URLSearchParams({
    team_id: TEAM_ID,
    team_domain: "acks",
    channel_id: "C0ACKS",
    user_id: "U0ASKER",
    command: "/creator",
    text: `@${run.handles[index % run.handles.length] ?? ""}`,
    response_url: `${origin()}/respond/${id}`,
    trigger_id: "1.2.3",
  }).toString();
  const timestamp = Math.floor(Date.now() / 1000);
  const signature = `v0=${createHmac("sha256", run.signingSecret).update(`v0:${timestamp}:${body}`).digest("hex")}`;
  const started = performance.now();
  const answered = new Promise<number | undefined>((resolve) => {
    const timer = setTimeout(() => resolve(undefined), run.answerTimeoutMs);
    arrivals.set(id, () => {
      clearTimeout(timer);
      resolve(performance.now() - started);
    });
  });
  const status = await post(run.url, body, {
    "content-type": "application/x-www-form-urlencoded",
    "x-slack-request-timestamp": String(timestamp),
    "x-slack-signature": signature,
  });
  const ackMs = status === 200 ? performance.now() - started : undefined;
  return { ackMs, answered: ackMs === undefined ? Promise.resolve(undefined) : answered };
}

function send(message: FromSlack): void {
  process.send?.(message);
}

/** `concurrency` senders share the commands; the answers are awaited once all were sent. */
async function runAll(run: AckRun): Promise<{ ackMs?: number; answerMs?: number }[]> {
  const outcomes: Promise<{ ackMs?: number; answerMs?: number }>[] = [];
  let next = 0;
  const sender = async () => {
    while (next < run.requests) {
      const command = oneCommand(run, next);
      next += 1;
      outcomes.push(command.then(async ({ ackMs, answered }) => ({ ackMs, answerMs: await answered })));
      await command;
    }
  };
  await Promise.all(Array.from({ length: Math.min(run.concurrency, run.requests) }, sender));
  return Promise.all(outcomes);
}

process.on("message", async (message: ToSlack) => {
  const { run } = message;
  const results = await runAll(run);
  send({
    type: "result",
    samples: { ackMs: results.map((r) => r.ackMs), answerMs: results.map((r) => r.answerMs) },
  });
});

server.listen(0, "127.0.0.1", () => send({ type: "ready", origin: origin() }));
