import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ANSWER_COMING } from "../../src/conversation/converse.ts";
import { demoCreators } from "../../src/ingest/demo.ts";
import { describeOnPostgres } from "../support/postgres.ts";
import {
  answerText,
  freshDatabase,
  PROCESS_STORE_NAME,
  type ProcessStore,
  processStore,
  type Received,
  type Running,
  SlackSide,
  signedHeaders,
  slackEnv,
  slashCommand,
  startLongtail,
  TEAM_ID,
  terminateBackends,
} from "./harness.ts";

const HANDLE = demoCreators({ now: new Date() })[0]?.handle ?? "";
const TRY_AGAIN = "I couldn't answer that just now. Please try again in a minute.";

/** The answers a command's response_url got, busy notices aside. */
function answersTo(slack: SlackSide, id: string): string[] {
  return slack
    .on(`/respond/${id}`)
    .map(answerText)
    .filter((text) => !text.includes(ANSWER_COMING.title));
}

async function answered(slack: SlackSide, id: string): Promise<string> {
  await slack.waitFor(() => answersTo(slack, id).length > 0, 30_000);
  return answersTo(slack, id)[0] ?? "";
}

/** A signed app_mention event_callback; `retryNum` as Slack sets it when it redelivers. */
async function mention(running: Running, eventId: string, text: string, retryNum?: number): Promise<number> {
  const body = JSON.stringify({
    token: "unused",
    team_id: TEAM_ID,
    api_app_id: "A0REL",
    type: "event_callback",
    event_id: eventId,
    event_time: Math.floor(Date.now() / 1000),
    event: {
      type: "app_mention",
      user: "U0ASKER",
      text: `<@U0BOT> ${text}`,
      ts: `1700000000.${eventId.length}00100`,
      channel: "C0REL",
      event_ts: "1700000000.000100",
    },
  });
  const retry: Record<string, string> =
    retryNum === undefined
      ? {}
      : { "x-slack-retry-num": String(retryNum), "x-slack-retry-reason": "http_timeout" };
  const response = await fetch(`${running.url}/slack/events`, {
    method: "POST",
    headers: { ...signedHeaders(body, "application/json"), ...retry },
    body,
  });
  await response.arrayBuffer();
  return response.status;
}

const posted = (slack: SlackSide): Received[] => slack.on("/api/chat.postMessage");

describe(`Slack failing and redelivering (a real process, ${PROCESS_STORE_NAME})`, () => {
  const slack = new SlackSide();
  let running: Running;
  let store: ProcessStore;

  beforeAll(async () => {
    await slack.start();
    store = await processStore("faults");
    running = await startLongtail({ ...slackEnv(slack), ...store.env });
  }, 120_000);
  afterAll(async () => {
    running?.child.kill("SIGTERM");
    await running?.exited;
    await slack.stop();
    await store?.drop();
  });

  it("a response_url answering 500 is reported in the log, and the next command is answered", async () => {
    slack.plan.set("/respond/r500", ["500"]);
    expect(await slashCommand(running.url, slack, "r500", `@${HANDLE}`)).toBe(200);
    await expect
      .poll(() => running.output().includes("Slack response_url answer failed"), { timeout: 30_000 })
      .toBe(true);
    expect(await slashCommand(running.url, slack, "after500", `@${HANDLE}`)).toBe(200);
    expect(await answered(slack, "after500")).toContain(`@${HANDLE}`);
    expect(running.child.exitCode).toBeNull();
  });

  it("a response_url that never answers holds nothing else up, and is reported after 10 s", async () => {
    const failuresBefore = running.output().split("Slack response_url answer failed").length;
    slack.plan.set("/respond/hang", ["hang"]);
    expect(await slashCommand(running.url, slack, "hang", `@${HANDLE}`)).toBe(200);
    expect(await slashCommand(running.url, slack, "afterHang", `@${HANDLE}`)).toBe(200);
    expect(await answered(slack, "afterHang")).toContain(`@${HANDLE}`);
    await expect
      .poll(() => running.output().split("Slack response_url answer failed").length, { timeout: 20_000 })
      .toBe(failuresBefore + 1);
    expect(running.output()).toContain("TimeoutError");
  }, 30_000);

  it("chat.postMessage answering 429 (Retry-After: 1) is retried after the wait: the mention is answered once", async () => {
    const before = posted(slack).length;
    slack.plan.set("/api/chat.postMessage", ["429"]);
    expect(await mention(running, "Ev429", `creator @${HANDLE}`)).toBe(200);
    await slack.waitFor(() => posted(slack).length >= before + 2, 30_000);
    const attempts = posted(slack).slice(before);
    expect(attempts).toHaveLength(2);
    expect(answerText(attempts[1] as Received)).toContain(`@${HANDLE}`);
  });

  it("chat.postMessage answering 500 is retried: the mention is answered", async () => {
    const before = posted(slack).length;
    slack.plan.set("/api/chat.postMessage", ["500"]);
    expect(await mention(running, "Ev500", `creator @${HANDLE}`)).toBe(200);
    await slack.waitFor(() => posted(slack).length >= before + 2, 30_000);
    expect(answerText(posted(slack)[before + 1] as Received)).toContain(`@${HANDLE}`);
  });

  it("chat.postMessage timing out is retried after the client's 10 s timeout: the mention is answered", async () => {
    const before = posted(slack).length;
    slack.plan.set("/api/chat.postMessage", ["hang"]);
    expect(await mention(running, "EvHang", `creator @${HANDLE}`)).toBe(200);
    await slack.waitFor(() => posted(slack).length >= before + 1, 40_000);
    expect(answerText(posted(slack)[before] as Received)).toContain(`@${HANDLE}`);
  }, 60_000);

  it("an event Slack redelivers (X-Slack-Retry-Num, same event_id) is answered once", async () => {
    const before = posted(slack).length;
    expect(await mention(running, "EvRetry", `creator @${HANDLE}`)).toBe(200);
    expect(await mention(running, "EvRetry", `creator @${HANDLE}`, 1)).toBe(200);
    expect(await mention(running, "EvRetry", `creator @${HANDLE}`, 2)).toBe(200);
    await slack.waitFor(() => posted(slack).length >= before + 1, 30_000);
    // The first answer is in: a redelivery would have been answered by now too.
    await new Promise((resolve) => setTimeout(resolve, 1500));
    expect(posted(slack).slice(before)).toHaveLength(1);
    expect(running.child.exitCode).toBeNull();
  });
});

describeOnPostgres("The database going away mid-command (PostgreSQL, a real process)", () => {
  const slack = new SlackSide();
  let running: Running;
  let database: { url: string; drop(): Promise<void> };

  beforeAll(async () => {
    await slack.start();
    database = await freshDatabase("longtail_faults");
    running = await startLongtail({ ...slackEnv(slack), DATABASE_URL: database.url });
  }, 120_000);
  afterAll(async () => {
    running?.child.kill("SIGTERM");
    await running?.exited;
    await slack.stop();
    await database?.drop();
  });

  it("answers 'try again' with a reference, keeps running, and answers the next command by itself", async () => {
    expect(await slashCommand(running.url, slack, "warm", `@${HANDLE}`)).toBe(200);
    expect(await answered(slack, "warm")).toContain(`@${HANDLE}`);
    const ids = Array.from({ length: 10 }, (_, i) => `cut${i}`);
    const acks = ids.map((id) => slashCommand(running.url, slack, id, `@${HANDLE}`));
    // The connections are cut while those commands are being answered.
    const terminated = await terminateBackends(database.url);
    expect(terminated).toBeGreaterThan(0);
    expect(await Promise.all(acks)).toEqual(ids.map(() => 200));
    const answers = await Promise.all(ids.map((id) => answered(slack, id)));
    for (const text of answers) {
      if (!text.includes(TRY_AGAIN)) {
        expect(text).toContain(`@${HANDLE}`);
        continue;
      }
      // The reference the person is given is the one the log line carries.
      const reference = /this reference: \*([0-9a-f]{8})\*/.exec(text)?.[1];
      expect(running.output()).toContain(`"reference":"${reference}"`);
    }
    console.log(
      `database cut: ${answers.filter((text) => text.includes(TRY_AGAIN)).length} of 10 told to try again`,
    );
    expect(running.child.exitCode).toBeNull();
    expect(await slashCommand(running.url, slack, "recovered", `@${HANDLE}`)).toBe(200);
    expect(await answered(slack, "recovered")).toContain(`@${HANDLE}`);
    expect(running.output()).not.toContain("    at ");
  });
});
