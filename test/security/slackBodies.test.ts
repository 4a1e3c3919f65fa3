import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadConfig } from "../../src/config.ts";
import { listen } from "../../src/server/http.ts";
import { prepareSlack } from "../../src/slack/start.ts";
import { type Harness, SIGNING_SECRET, startHarness, TEAM_ACME } from "../slack/support/harness.ts";
import { SlackApiStub } from "../slack/support/slackApiStub.ts";
import { postSigned, sendSlashCommand } from "../slack/support/slackRequests.ts";
import { openTestStore } from "../support/store.ts";

const FORM = "application/x-www-form-urlencoded";

describe("Slack bodies that are not objects (real Bolt app over HTTP, signed)", () => {
  let h: Harness;

  beforeAll(async () => {
    h = await startHarness({ mode: "single", workspace: "acme" });
  });
  afterAll(async () => h?.close());

  async function answersHelp(): Promise<void> {
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
