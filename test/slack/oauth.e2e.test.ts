import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { demoCreators, demoRows } from "../../src/ingest/demo.ts";
import { importRows } from "../../src/ingest/importRows.ts";
import { SHARE_ACTION_ID } from "../../src/render/slack.ts";
import { NOT_INSTALLED_MESSAGE } from "../../src/slack/authorize.ts";
import { requiredBotScopes } from "../../src/slack/registry.ts";
import { ensureWorkspace } from "../../src/store/workspaces.ts";
import { buttonValue, expectWithinSlackLimits, headerOf } from "./support/expectations.ts";
import { CLIENT_ID, type Harness, NOW, startHarness } from "./support/harness.ts";
import type { StubGrant } from "./support/slackApiStub.ts";
import { sendBlockAction, sendEvent, sendSlashCommand } from "./support/slackRequests.ts";

const GLOBEX: StubGrant = {
  code: "code-globex",
  token: "xoxb-globex-1111-secret-token",
  teamId: "T0GLOBEX",
  teamName: "Globex Corporation",
  botId: "B0GLOBEX",
  botUserId: "U0BOTGLOBEX",
  scopes: requiredBotScopes(),
};
const INITECH: StubGrant = {
  code: "code-initech",
  token: "xoxb-initech-2222-secret-token",
  teamId: "T0INITECH",
  teamName: "Initech",
  botId: "B0INITECH",
  botUserId: "U0BOTINITECH",
  scopes: requiredBotScopes(),
};

const globexCreators = demoCreators({ now: NOW, creators: 10, seed: 11 }).map((creator) => creator.handle);
const initechCreators = demoCreators({ now: NOW, creators: 10, seed: 22 }).map((creator) => creator.handle);
const globexOnly = globexCreators.filter((handle) => !initechCreators.includes(handle));
const initechOnly = initechCreators.filter((handle) => !globexCreators.includes(handle));

/** The browser side of "Add to Slack": the install page, then Slack's redirect back with a code. */
async function installRoundTrip(h: Harness, code: string) {
  const page = await fetch(`${h.baseUrl}/slack/install`, { redirect: "manual" });
  const html = await page.text();
  const authorizeUrl = new URL(
    /href="(https:\/\/slack\.com\/oauth[^"]+)"/.exec(html)?.[1]?.replace(/&amp;/g, "&") ?? "",
  );
  const cookie = page.headers
    .getSetCookie()
    .map((value) => value.split(";")[0])
    .join("; ");
  const state = authorizeUrl.searchParams.get("state") ?? "";
  const redirect = await fetch(
    `${h.baseUrl}/slack/oauth_redirect?code=${code}&state=${encodeURIComponent(state)}`,
    {
      headers: { cookie },
      redirect: "manual",
    },
  );
  return { page, authorizeUrl, state, redirect, redirectHtml: await redirect.text() };
}

describe("Slack app, many workspaces through OAuth", () => {
  let h: Harness;

  beforeAll(async () => {
    h = await startHarness({
      mode: "oauth",
      teams: [],
      grants: [GLOBEX, INITECH],
      // A workspace called "initech" exists already (not Slack's): the new team must get its own.
      prepare: async (store) => {
        await ensureWorkspace(store.prisma, "initech", "Initech (imported by hand)");
      },
    });
  });
  afterAll(async () => h?.close());

  async function slash(teamId: string, command: string, text: string) {
    const id = randomUUID();
    const ack = await sendSlashCommand(
      h.baseUrl,
      { command, text, teamId, responseUrl: h.stub.responseUrl(id) },
      h.sign,
    );
    return { ack, id };
  }

  async function answered(teamId: string, command: string, text: string) {
    const { ack, id } = await slash(teamId, command, text);
    expect(ack.status).toBe(200);
    const answer = await h.stub.waitFor((call) => call.path === `/respond/${id}`);
    return answer.body;
  }

  it("refuses a team with no installation with a clear message, and runs nothing", async () => {
    const before = h.stub.calls.length;
    const { ack, id } = await slash("T0NOBODY", "/creator", "anna");
    expect(ack.status).toBe(200);
    expect(JSON.parse(ack.text)).toEqual({ response_type: "ephemeral", text: NOT_INSTALLED_MESSAGE });
    await sendEvent(
      h.baseUrl,
      "T0NOBODY",
      {
        type: "app_mention",
        user: "U0X",
        text: "<@U0BOT> top 5 creators by clicks",
        ts: "1700000200.000100",
        channel: "C0X",
      },
      h.sign,
    );
    await new Promise((resolve) => setTimeout(resolve, 400));
    expect(h.stub.calls.length).toBe(before);
    expect(h.stub.calls.some((call) => call.path === `/respond/${id}`)).toBe(false);
    expect(await h.store.prisma.workspace.count({ where: { slug: { startsWith: "slack-" } } })).toBe(0);
  });

  it("does not install with a state that is not this browser's", async () => {
    const before = h.stub.callsTo("oauth.v2.access").length;
    const response = await fetch(`${h.baseUrl}/slack/oauth_redirect?code=${GLOBEX.code}&state=forged`, {
      redirect: "manual",
    });
    expect(response.status).toBe(400);
    expect(await response.text()).toContain("expired or was opened in another browser");
    expect(h.stub.callsTo("oauth.v2.access").length).toBe(before);
    expect(await h.store.prisma.slackInstallation.count()).toBe(0);
  });

  it("installs through GET /slack/install → Slack → /slack/oauth_redirect and stores the installation sealed", async () => {
    const { page, authorizeUrl, redirect, redirectHtml } = await installRoundTrip(h, GLOBEX.code);
    expect(page.status).toBe(200);
    expect(authorizeUrl.searchParams.get("client_id")).toBe(CLIENT_ID);
    expect(authorizeUrl.searchParams.get("scope")?.split(",").sort()).toEqual(requiredBotScopes());
    expect(redirect.status).toBe(200);
    expect(redirectHtml).toContain("Longtail is installed in Globex Corporation");

    const exchange = h.stub.callsTo("oauth.v2.access").at(-1);
    expect(exchange?.body.code).toBe(GLOBEX.code);
    expect(exchange?.body.client_id).toBe(CLIENT_ID);

    const row = await h.store.prisma.slackInstallation.findUniqueOrThrow({
      where: { installKey: "T:T0GLOBEX" },
      include: { workspace: true },
    });
    expect(row.workspace.slug).toBe("globex-corporation");
    expect(row.workspace.name).toBe("Globex Corporation");
    expect(row.teamId).toBe("T0GLOBEX");
    expect(row.installationCiphertext).not.toContain(GLOBEX.token);
    expect(row.installationCiphertext).not.toContain("xoxb");
    expect(Buffer.from(row.installationCiphertext.slice(3), "base64").toString("latin1")).not.toContain(
      GLOBEX.token,
    );
  });

  it("lets the newly installed team run /creator, answered from its own workspace", async () => {
    await importRows(h.store, "globex-corporation", demoRows({ now: NOW, creators: 10, seed: 11 }));
    const handle = globexCreators[0] ?? "";
    const body = await answered("T0GLOBEX", "/creator", `@${handle}`);
    expect(headerOf(expectWithinSlackLimits(body.blocks))).toBe(`@${handle}`);
  });

  it("calls Slack with the installing team's own token", async () => {
    const ts = "1700000200.000200";
    await sendEvent(
      h.baseUrl,
      "T0GLOBEX",
      {
        type: "app_mention",
        user: "U0G",
        text: `<@${GLOBEX.botUserId}> compare tiers`,
        ts,
        channel: "C0GLOBEX",
      },
      h.sign,
    );
    const posted = await h.stub.waitFor(
      (call) => call.method === "chat.postMessage" && call.body.thread_ts === ts,
    );
    expect(posted.token).toBe(GLOBEX.token);
  });

  it("gives a second team its own new workspace, with a slug that does not collide", async () => {
    const { redirect } = await installRoundTrip(h, INITECH.code);
    expect(redirect.status).toBe(200);
    const row = await h.store.prisma.slackInstallation.findUniqueOrThrow({
      where: { installKey: "T:T0INITECH" },
      include: { workspace: true },
    });
    expect(row.workspace.slug).toBe("initech-2");
    await importRows(h.store, "initech-2", demoRows({ now: NOW, creators: 10, seed: 22 }));
  });

  describe("a request for workspace A never sees workspace B's data", () => {
    it("does not find B's creator from A, nor suggest B's names", async () => {
      const handle = globexOnly[0] ?? "";
      const body = await answered("T0INITECH", "/creator", `@${handle}`);
      const text = JSON.stringify(body);
      expect(text).toContain(`I don't know @${handle}`);
      for (const other of globexOnly.filter((name) => name !== handle)) expect(text).not.toContain(other);
    });

    it("ranks only A's creators", async () => {
      const body = await answered("T0INITECH", "/longtail", "top 10 creators by clicks");
      const text = JSON.stringify(body);
      expect(initechOnly.some((handle) => text.includes(handle))).toBe(true);
      for (const other of globexOnly) expect(text).not.toContain(other);
    });

    it("answers the same question differently per team", async () => {
      const handle = initechOnly[0] ?? "";
      const inInitech = await answered("T0INITECH", "/creator", handle);
      expect(headerOf(inInitech.blocks as never)).toBe(`@${handle}`);
      const inGlobex = await answered("T0GLOBEX", "/creator", handle);
      expect(JSON.stringify(inGlobex)).toContain("I don't know");
    });

    it("re-answers a share button for the team that presses it, whatever the button says", async () => {
      const globexCard = await answered("T0GLOBEX", "/creator", globexOnly[0] ?? "");
      const value = buttonValue(globexCard.blocks as never, SHARE_ACTION_ID) ?? "";
      expect(value).not.toBe("");
      const id = randomUUID();
      const before = h.stub.callsTo("chat.postMessage").length;
      await sendBlockAction(
        h.baseUrl,
        { teamId: "T0INITECH", actionId: SHARE_ACTION_ID, value, responseUrl: h.stub.responseUrl(id) },
        h.sign,
      );
      await h.stub.waitFor((call) => call.path === `/respond/${id}`);
      const posted = h.stub.callsTo("chat.postMessage").slice(before);
      expect(posted).toHaveLength(1);
      expect(posted[0]?.token).toBe(INITECH.token);
      expect(JSON.stringify(posted[0]?.body)).toContain("I don't know");
      for (const other of globexOnly.slice(1)) expect(JSON.stringify(posted[0]?.body)).not.toContain(other);
    });
  });

  it("keeps a re-installing team in its workspace", async () => {
    const workspaces = await h.store.prisma.workspace.count();
    const before = await h.store.prisma.slackInstallation.findUniqueOrThrow({
      where: { installKey: "T:T0GLOBEX" },
    });
    const { redirect } = await installRoundTrip(h, GLOBEX.code);
    expect(redirect.status).toBe(200);
    const after = await h.store.prisma.slackInstallation.findUniqueOrThrow({
      where: { installKey: "T:T0GLOBEX" },
    });
    expect(after.workspaceId).toBe(before.workspaceId);
    expect(after.installationCiphertext).not.toBe(before.installationCiphertext);
    expect(await h.store.prisma.workspace.count()).toBe(workspaces);
  });
});
