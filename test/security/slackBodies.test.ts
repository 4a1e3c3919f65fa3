import { randomUUID } from "node:crypto";
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { loadConfig } from "../../src/config.ts";
import { log } from "../../src/log.ts";
import { SUGGESTION_ACTION_ID } from "../../src/render/slack.ts";
import { listen } from "../../src/server/http.ts";
import { prepareSlack } from "../../src/slack/start.ts";
import { type Harness, SIGNING_SECRET, startHarness, TEAM_ACME } from "../slack/support/harness.ts";
import { SlackApiStub } from "../slack/support/slackApiStub.ts";
import {
  blockActionBody,
  postSigned,
  sendEvent,
  sendSlashCommand,
  slashCommandBody,
} from "../slack/support/slackRequests.ts";
import { openTestStore } from "../support/store.ts";

const FORM = "application/x-www-form-urlencoded";

/** A signed `/longtail help` is acknowledged and answered on its response_url. */
async function answersHelpIn(h: Harness): Promise<void> {
  const id = randomUUID();
  const ack = await sendSlashCommand(
    h.baseUrl,
    { command: "/longtail", text: "help", teamId: TEAM_ACME.teamId, responseUrl: h.stub.responseUrl(id) },
    h.sign,
  );
  expect(ack.status).toBe(200);
  const answer = await h.stub.waitFor((call) => call.path === `/respond/${id}`);
  expect(answer.body.response_type).toBe("ephemeral");
}

describe("Slack bodies that are not objects (real Bolt app over HTTP, signed)", () => {
  let h: Harness;

  beforeAll(async () => {
    h = await startHarness({ mode: "single", workspace: "acme" });
  });
  afterAll(async () => h?.close());

  const answersHelp = () => answersHelpIn(h);

  it.each([
    ["a JSON null", "null", "application/json"],
    ["a JSON number", "42", "application/json"],
    ["a JSON string", '"event"', "application/json"],
    ["a form whose payload is null", "payload=null", FORM],
    ["a form whose payload is a number", "payload=7", FORM],
  ])("answers %s with 400 and keeps serving", async (_what, body, contentType) => {
    const response = await postSigned(`${h.baseUrl}/slack/events`, body, contentType, h.sign);
    expect({ status: response.status, text: response.text }).toEqual({ status: 400, text: "" });
    await answersHelp();
  });

  it("answers a body over the limit with 413 and keeps serving", async () => {
    const response = await postSigned(
      `${h.baseUrl}/slack/events`,
      `payload=${"x".repeat(5 * 1024 * 1024)}`,
      FORM,
      h.sign,
    );
    expect(response.status).toBe(413);
    await answersHelp();
  });

  it("still refuses a JSON null that is not signed (401), and a bad JSON (400)", async () => {
    const unsigned = await postSigned(`${h.baseUrl}/slack/events`, "{}", "application/json", {
      ...h.sign,
      signature: "v0=0000",
    });
    expect(unsigned.status).toBe(401);
    const malformed = await postSigned(`${h.baseUrl}/slack/events`, "{", "application/json", h.sign);
    expect(malformed.status).toBe(400);
    await answersHelp();
  });
});

describe("Slack bodies that are not objects, in the one shared HTTP server", () => {
  it("answers a JSON null with 400 and keeps serving", async () => {
    const store = await openTestStore();
    const stub = new SlackApiStub([TEAM_ACME]);
    await stub.start();
    const config = loadConfig({
      SLACK_SIGNING_SECRET: SIGNING_SECRET,
      SLACK_BOT_TOKEN: TEAM_ACME.token,
      SLACK_API_URL: stub.apiUrl,
      HOST: "127.0.0.1",
      PORT: "0",
    });
    const running = await listen((await prepareSlack(config, store)).routes, "127.0.0.1", 0);
    const sign = { signingSecret: SIGNING_SECRET };
    try {
      const response = await postSigned(`${running.url}/slack/events`, "null", "application/json", sign);
      expect({ status: response.status, text: response.text }).toEqual({ status: 400, text: "" });
      const ack = await sendSlashCommand(
        running.url,
        {
          command: "/longtail",
          text: "help",
          teamId: TEAM_ACME.teamId,
          responseUrl: stub.responseUrl("after"),
        },
        sign,
      );
      expect(ack.status).toBe(200);
      await stub.waitFor((call) => call.path === "/respond/after");
    } finally {
      await running.stop();
      await stub.stop();
      await store.close();
    }
  });
});

describe("signed Slack payloads with a wrongly typed field (real Bolt app over HTTP)", () => {
  let h: Harness;
  const VALID_MENTION = {
    type: "app_mention",
    user: "U0MARKETER",
    text: "<@U0BOTACME> help",
    channel: "C0GENERAL",
  };

  beforeAll(async () => {
    h = await startHarness({ mode: "single", workspace: "acme" });
  });
  afterAll(async () => h?.close());
  afterEach(() => vi.restoreAllMocks());

  /** What the refusal logged: the fields, never the body (no word of the payload's text). */
  function refusalLogged(warn: ReturnType<typeof vi.spyOn>): unknown {
    expect(warn).toHaveBeenCalledTimes(1);
    const [fields, message] = warn.mock.calls[0] as [Record<string, unknown>, string];
    expect(message).toBe("Slack request refused: not shaped as Slack documents it");
    expect(JSON.stringify(fields)).not.toContain("help");
    return fields;
  }

  it.each([
    ["user: null", { ...VALID_MENTION, user: null, ts: "1700000001.000100" }, ["event.user"]],
    ["text: 5", { ...VALID_MENTION, text: 5, ts: "1700000002.000100" }, ["event.text"]],
    ["no channel", { ...VALID_MENTION, channel: undefined, ts: "1700000003.000100" }, ["event.channel"]],
  ])(
    "acknowledges an app_mention with %s (200), answers nothing, and answers the next mention once",
    async (_what, event, problems) => {
      const warn = vi.spyOn(log, "warn");
      const before = h.stub.callsTo("chat.postMessage").length;
      const refused = await sendEvent(h.baseUrl, TEAM_ACME.teamId, event, h.sign);
      expect({ status: refused.status, text: refused.text }).toEqual({ status: 200, text: "" });
      expect(refusalLogged(warn)).toEqual({ status: 200, kind: "event", problems });

      const ts = `${event.ts.split(".")[0]}.000200`;
      const answered = await sendEvent(h.baseUrl, TEAM_ACME.teamId, { ...VALID_MENTION, ts }, h.sign);
      expect(answered.status).toBe(200);
      await h.stub.waitFor((call) => call.method === "chat.postMessage" && call.body.thread_ts === ts);
      expect(
        h.stub
          .callsTo("chat.postMessage")
          .slice(before)
          .map((call) => call.body.thread_ts),
      ).toEqual([ts]);
    },
  );

  it("refuses a slash command without channel_id, or with its text sent twice, with 400 and answers the next", async () => {
    const warn = vi.spyOn(log, "warn");
    const form = slashCommandBody({
      command: "/longtail",
      text: "help",
      teamId: TEAM_ACME.teamId,
      responseUrl: h.stub.responseUrl("never"),
    });
    const withoutChannel = new URLSearchParams(form);
    withoutChannel.delete("channel_id");
    const textTwice = new URLSearchParams(form);
    textTwice.append("text", "help");
    for (const body of [withoutChannel, textTwice]) {
      const response = await postSigned(`${h.baseUrl}/slack/events`, body.toString(), FORM, h.sign);
      expect({ status: response.status, text: response.text }).toEqual({ status: 400, text: "" });
    }
    expect(warn.mock.calls.map(([fields]) => fields)).toEqual([
      { status: 400, kind: "slash command", problems: ["channel_id"] },
      { status: 400, kind: "slash command", problems: ["text"] },
    ]);
    await answersHelpIn(h);
    expect(h.stub.calls.filter((call) => call.path === "/respond/never")).toEqual([]);
  });

  it("refuses a button press whose user is null with 400 and answers the next", async () => {
    const warn = vi.spyOn(log, "warn");
    const form = blockActionBody({ teamId: TEAM_ACME.teamId, actionId: SUGGESTION_ACTION_ID, value: "help" });
    const payload = JSON.parse(new URLSearchParams(form).get("payload") ?? "") as Record<string, unknown>;
    const body = new URLSearchParams({ payload: JSON.stringify({ ...payload, user: null }) }).toString();
    const response = await postSigned(`${h.baseUrl}/slack/events`, body, FORM, h.sign);
    expect({ status: response.status, text: response.text }).toEqual({ status: 400, text: "" });
    expect(refusalLogged(warn)).toEqual({ status: 400, kind: "interaction", problems: ["user"] });
    await answersHelpIn(h);
  });
});
