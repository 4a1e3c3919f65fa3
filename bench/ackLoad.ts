/**
 * Acks under load: `requests` signed /creator commands sent all at once to the real Bolt app over
 * HTTP by a stand-in for Slack in another process (bench/ackSlack.ts); how long each waited for
 * its HTTP 200 (the ack Slack wants within 3 s) and for its answer on the response_url. Used by
 * bench/ack.ts (full size, by hand) and test/security/acks.test.ts (small size, in CI).
 */
import { type ChildProcess, fork } from "node:child_process";
import { randomBytes } from "node:crypto";
import type { Server } from "node:http";
import type { AddressInfo } from "node:net";
import { fileURLToPath } from "node:url";
import { loadConfig } from "../src/config.ts";
import { createSlackApp } from "../src/slack/app.ts";
import type { Store } from "../src/store/database.ts";
import type { AckSamples, FromSlack, ToSlack } from "./ackSlack.ts";

const SLACK_SCRIPT = fileURLToPath(new URL("./ackSlack.ts", import.meta.url));

export interface AckLoadOptions {
  store: Store;
  /** The workspace the commands are answered from. */
  workspace: string;
  /** Creator handles to ask about, in turn. */
  handles: readonly string[];
  requests: number;
  /** Commands in flight at once (each next one sent when the previous is acked); all at once by default. */
  concurrency?: number;
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

function nextMessage<K extends FromSlack["type"]>(
  child: ChildProcess,
  type: K,
): Promise<Extract<FromSlack, { type: K }>> {
  return new Promise((resolve, reject) => {
    const onMessage = (message: FromSlack) => {
      if (message.type !== type) return;
      child.off("message", onMessage);
      child.off("exit", onExit);
      resolve(message as Extract<FromSlack, { type: K }>);
    };
    const onExit = (code: number | null) =>
      reject(new Error(`The Slack stand-in exited (${code}) before "${type}"`));
    child.on("message", onMessage);
    child.once("exit", onExit);
  });
}

function sortedDefined(values: (number | undefined)[]): number[] {
  return values.filter((value): value is number => value !== undefined).sort((a, b) => a - b);
}

export async function measureAcks(options: AckLoadOptions): Promise<AckLoadResult> {
  const signingSecret = randomBytes(16).toString("hex");
  const slack = fork(SLACK_SCRIPT, [], { execArgv: ["--import", "tsx"] });
  try {
    const { origin } = await nextMessage(slack, "ready");
    const app = createSlackApp({
      config: loadConfig({
        SLACK_SIGNING_SECRET: signingSecret,
        SLACK_BOT_TOKEN: "xoxb-ack-bench",
        SLACK_API_URL: `${origin}/api/`,
        LONGTAIL_WORKSPACE: options.workspace,
      }),
      store: options.store,
      now: () => options.now,
      clientOptions: { retryConfig: { retries: 0 } },
    });
    const server = (await app.start({ port: 0, host: "127.0.0.1" })) as Server;
    try {
      const run: ToSlack = {
        type: "run",
        run: {
          url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/slack/events`,
          signingSecret,
          handles: options.handles,
          requests: options.requests,
          concurrency: options.concurrency ?? options.requests,
          answerTimeoutMs: options.answerTimeoutMs,
        },
      };
      slack.send(run);
      const { samples }: { samples: AckSamples } = await nextMessage(slack, "result");
      return {
        requests: options.requests,
        ackMs: sortedDefined(samples.ackMs),
        failed: samples.ackMs.filter((ms) => ms === undefined).length,
        answerMs: sortedDefined(samples.answerMs),
      };
    } finally {
      await app.stop();
    }
  } finally {
    slack.kill();
  }
}
