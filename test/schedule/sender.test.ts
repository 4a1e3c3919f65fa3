import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { slackSettings } from "../../src/config.ts";
import { DeliveryError } from "../../src/schedule/deliver.ts";
import { DELIVERY_EVENT_TYPE, slackSender } from "../../src/slack/sender.ts";
import type { Store } from "../../src/store/database.ts";
import type { ClaimedDelivery } from "../../src/store/outbox.ts";
import { ensureWorkspace, findWorkspace } from "../../src/store/workspaces.ts";
import { TEAM_ACME } from "../slack/support/harness.ts";
import { SlackApiStub, type StubTeam } from "../slack/support/slackApiStub.ts";
import { openTestStore } from "../support/store.ts";
import { installSlackTeam, oauthSlackConfig, quietLogs, slackConfig } from "./support.ts";

const TEAM_GLOBEX: StubTeam = {
  token: "xoxb-globex-1111-secret-token",
  teamId: "T0GLOBEX",
  teamName: "Globex",
  botId: "B0GLOBEX",
  botUserId: "U0BOTGLOBEX",
};

const MESSAGE = {
  text: "Weekly digest",
  blocks: [{ type: "section", text: { type: "mrkdwn", text: "Hi" } }],
};

function delivery(workspaceId: number, channelId: string): ClaimedDelivery {
  return {
    id: 1,
    workspaceId,
    subscriptionId: 1,
    alertRuleId: null,
    platform: "slack",
    conversation: null,
    channelId,
    payload: MESSAGE,
    attempts: 1,
  };
}

/** What the sender threw, as a DeliveryError (fails the test if it did not throw one). */
async function failureOf(send: Promise<void>): Promise<DeliveryError> {
  const error = await send.then(
    () => undefined,
    (thrown: unknown) => thrown,
  );
  expect(error).toBeInstanceOf(DeliveryError);
  return error as DeliveryError;
}

describe("the Slack sender (real Web API client against the loopback stub)", () => {
  let store: Store;
  let stub: SlackApiStub;

  beforeAll(async () => {
    quietLogs();
    store = await openTestStore();
    stub = new SlackApiStub([TEAM_ACME, TEAM_GLOBEX]);
    await stub.start();
  });
  afterAll(async () => {
    await stub?.stop();
    await store?.close();
  });

  it("judges each Slack answer: permanent with a reason a person can act on, rate limited, or transient — never showing the token", async () => {
    const acme = await ensureWorkspace(store.prisma, "acme");
    const settings = slackSettings(slackConfig(stub, "acme"));
    if (!settings) throw new Error("Slack settings expected");
    const send = slackSender(settings, store.prisma);

    const reasons: Record<string, RegExp> = {
      channel_not_found: /channel was not found/,
      is_archived: /channel was archived/,
      not_in_channel: /bot was removed from the channel — invite it back with \/invite @Longtail/,
      account_inactive: /bot was deactivated/,
      token_revoked: /access to this Slack workspace was revoked — reinstall/,
      invalid_auth: /no longer accepts Longtail's token/,
      missing_scope: /chat:write permission is missing/,
      team_access_not_granted: /ask an org admin/,
    };
    for (const [code, reason] of Object.entries(reasons)) {
      stub.channelFailures.set("C0BROKEN", code);
      const failure = await failureOf(send(delivery(acme.id, "C0BROKEN")));
      expect([code, failure.kind]).toEqual([code, "permanent"]);
      expect(failure.message).toMatch(reason);
      expect(failure.message).not.toContain(TEAM_ACME.token);
    }

    stub.channelFailures.set("C0BROKEN", "internal_error");
    expect(await failureOf(send(delivery(acme.id, "C0BROKEN")))).toMatchObject({
      kind: "transient",
      message: "Slack refused the message: internal_error",
    });

    stub.rateLimitNext("chat.postMessage", 7);
    expect(await failureOf(send(delivery(acme.id, "C0FINE")))).toMatchObject({
      kind: "rateLimited",
      retryAfterMs: 7_000,
    });

    await send(delivery(acme.id, "C0FINE"));
    const [posted] = stub.posted("C0FINE");
    expect(posted?.body).toMatchObject({
      channel: "C0FINE",
      text: "Weekly digest",
      blocks: MESSAGE.blocks,
      metadata: { event_type: DELIVERY_EVENT_TYPE, event_payload: { delivery: 1 } },
    });
  });

  it("posts as each workspace's own bot (OAuth), and fails for good where Longtail is not installed", async () => {
    await installSlackTeam(store, TEAM_GLOBEX);
    const globex = await findWorkspace(store.prisma, "globex");
    const never = await ensureWorkspace(store.prisma, "never-installed");
    const settings = slackSettings(oauthSlackConfig(stub));
    if (!settings || !globex) throw new Error("OAuth settings and the installed workspace expected");
    const send = slackSender(settings, store.prisma);

    await send(delivery(globex.id, "C0GLOBEX"));
    expect(stub.posted("C0GLOBEX").map((call) => call.token)).toEqual([TEAM_GLOBEX.token]);

    const failure = await failureOf(send(delivery(never.id, "C0NOWHERE")));
    expect(failure.kind).toBe("permanent");
    expect(failure.message).toMatch(/no longer installed in this Slack workspace — reinstall it/);
    expect(stub.callsTo("chat.postMessage").filter((call) => call.body.channel === "C0NOWHERE")).toEqual([]);
  });
});
