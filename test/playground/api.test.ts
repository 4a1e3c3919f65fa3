import { get as httpGet } from "node:http";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parseCommand } from "../../src/commands/parse.ts";
import { demoCreators, seedDemo } from "../../src/ingest/demo.ts";
import { answer, isQuestion } from "../../src/insights/answer.ts";
import { log } from "../../src/log.ts";
import { createBackend, type RenderedAnswer } from "../../src/playground/backend.ts";
import { playgroundRoutes } from "../../src/playground/routes.ts";
import { renderSlack } from "../../src/render/slack.ts";
import { renderTeams } from "../../src/render/teams.ts";
import { digestView } from "../../src/schedule/plan.ts";
import { listen, type RunningServer } from "../../src/server/http.ts";
import type { Store } from "../../src/store/database.ts";
import { upsertSubscription } from "../../src/store/subscriptions.ts";
import { findWorkspace, type Workspace } from "../../src/store/workspaces.ts";
import { openTestStore } from "../support/store.ts";

const NOW = new Date("2026-11-30T09:00:00Z");
const DEMO = { now: NOW, creators: 12 };
const TOKEN = "test-token-0123456789";
const HEADER =
  "platform,creator,followers,campaign,post_id,published_at,fee,captured_at,impressions,reach,views,likes,comments,shares,saves,clicks,redemptions,conversions,revenue";
const GOOD_ROW =
  "instagram,@zoe.new,12400,spring-launch,ZOE1,2026-11-02T18:30:00Z,250,2026-11-03T18:30:00Z,5200,4100,2300,310,42,18,35,21,2,1,39.95";
const BAD_ROW =
  "instagram,@zoe.bad,12400,spring-launch,ZOE2,2026-11-02T18:30:00Z,lots,2026-11-03T18:30:00Z,5200,4100,2300,310,42,18,35,21,2,1,39.95";

describe("playground API", () => {
  let store: Store;
  let server: RunningServer;
  let workspace: Workspace;

  const call = async (path: string, init: RequestInit = {}) => {
    const response = await fetch(`${server.url}/playground/api/${path}`, {
      ...init,
      headers: { authorization: `Bearer ${TOKEN}`, "x-longtail-playground": "1", ...(init.headers ?? {}) },
    });
    // biome-ignore lint/suspicious/noExplicitAny: the JSON of the API under test, checked field by field
    const body: any = await response.json();
    return { status: response.status, body };
  };
  const post = (path: string, body: unknown) =>
    call(path, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify(body),
    });
  const upload = (name: string, text: string) =>
    call(`import?workspace=demo&name=${encodeURIComponent(name)}`, { method: "POST", body: text });

  beforeAll(async () => {
    log.level = "silent";
    store = await openTestStore();
    await seedDemo(store, DEMO);
    workspace = (await findWorkspace(store.prisma, "demo")) as Workspace;
    const backend = createBackend({ store, now: () => NOW });
    server = await listen(playgroundRoutes(backend, TOKEN), "127.0.0.1", 0);
  });
  afterAll(async () => {
    await server?.stop();
    await store?.close();
  });

  it("answers a question with the view model the CLI prints, its Slack card, chart configs and CLI command", async () => {
    const handle = demoCreators(DEMO)[0]?.handle ?? "";
    const text = `creator @${handle}`;
    const { status, body } = await post("ask", { workspace: "demo", text });
    const intent = parseCommand(text);
    if (!isQuestion(intent)) throw new Error("expected a question");
    const expected = JSON.parse(
      JSON.stringify(await answer({ prisma: store.prisma, workspace }, intent, NOW)),
    );
    const reply = body as RenderedAnswer;
    expect(status).toBe(200);
    expect(reply.view).toEqual(expected);
    expect(reply.slack).toEqual(
      JSON.parse(JSON.stringify(renderSlack(expected, { chart: { kind: "url" }, shareButton: true }))),
    );
    const images = reply.slack.blocks.filter((block) => block.type === "image");
    expect(images.map((block) => ("image_url" in block ? block.image_url : null))).toEqual(
      reply.charts.map((chart) => chart.imageUrl),
    );
    expect(reply.charts[0]?.config.type).toBe("line");
    expect(reply.cli).toBe(`npm run longtail -- ask '${text}' --workspace demo`);
    expect(reply.teams).toEqual(
      JSON.parse(JSON.stringify(renderTeams(expected, { chart: { kind: "url" } }).card)),
    );
  });

  it("answers an unknown creator with did-you-mean buttons carrying the command to run", async () => {
    const handle = demoCreators(DEMO)[0]?.handle ?? "";
    const { body } = await post("ask", { workspace: "demo", text: `creator @${handle}x` });
    const reply = body as RenderedAnswer;
    expect(reply.view.kind).toBe("notFound");
    const buttons = reply.slack.blocks.flatMap((block) => (block.type === "actions" ? block.elements : []));
    expect(buttons[0]).toMatchObject({ action_id: "longtail_suggestion", value: `creator @${handle}` });
  });

  it("keeps subscriptions to the channels: a subscribe typed here changes nothing", async () => {
    const { body } = await post("ask", { workspace: "demo", text: "subscribe weekly mon 09:00" });
    expect((body as RenderedAnswer).view).toEqual({
      kind: "message",
      tone: "info",
      title: "Ask that in a channel",
      lines: ["Subscriptions and alert settings belong to a channel: type it there."],
    });
    expect(await store.prisma.subscription.count({ where: { workspaceId: workspace.id } })).toBe(0);
  });

  it("lists the workspaces and offers suggestions from the command language and the workspace's names", async () => {
    expect((await call("workspaces")).body).toEqual(["demo"]);
    const suggestions = (await call("suggestions?workspace=demo")).body as string[];
    expect(suggestions).toContain("top 5 creators by longevity in spring-launch");
    expect(suggestions).toContain(`creator @${demoCreators(DEMO)[0]?.handle}`);
    expect(suggestions).toContain("campaign spring-launch");
  });

  it("gives the digest and the alerts", async () => {
    const { body } = await call("digest?workspace=demo");
    expect(body.digest.view.kind).toBe("weeklyDigest");
    expect(body.digest.cli).toBe("npm run longtail -- digest --workspace demo");
    expect(body.alerts.view.kind).toBe("longevityAlerts");
    expect(body.alerts.cli).toBe("npm run longtail -- ask alerts --workspace demo");
  });

  it("lists subscriptions and previews what one would send now, sending nothing", async () => {
    await upsertSubscription(
      store.prisma,
      workspace.id,
      { platform: "slack", channelId: "C0PLAY" },
      {
        cron: "0 9 * * 1",
        scheduleLabel: "weekly mon 09:00",
        timezone: "UTC",
        campaignId: null,
        nextRunAt: new Date("2026-12-07T09:00:00Z"),
      },
    );
    const listing = (await call("subscriptions?workspace=demo")).body;
    expect(listing).toEqual([
      {
        id: listing[0].id,
        channel: "Slack channel C0PLAY",
        schedule: "weekly mon 09:00",
        timezone: "UTC",
        campaign: null,
        nextRunAt: "2026-12-07T09:00:00.000Z",
        active: true,
        disabledReason: null,
      },
    ]);
    const preview = await post("send-now", { workspace: "demo", subscriptionId: listing[0].id });
    const expected = await digestView(store, { workspaceId: workspace.id, campaignId: null }, NOW);
    expect(preview.body.view).toEqual(JSON.parse(JSON.stringify(expected)));
    expect(await store.prisma.delivery.count()).toBe(0);
    expect(await post("send-now", { workspace: "demo", subscriptionId: 999999 })).toEqual({
      status: 404,
      body: { error: 'No subscription 999999 in workspace "demo".' },
    });
  });

  it("imports nothing from a CSV with a bad row and says which line and column, as the CLI does", async () => {
    const { body } = await upload("posts.csv", [HEADER, GOOD_ROW, BAD_ROW].join("\n"));
    expect(body.ok).toBe(false);
    expect(body.message.split("\n")[0]).toBe("Nothing was imported: 1 bad row of 2.");
    expect(body.message.split("\n")[1]).toMatch(/^line 3: fee: /);
    expect(
      await store.prisma.creator.count({ where: { workspaceId: workspace.id, handle: "zoe.new" } }),
    ).toBe(0);
  });

  it("imports a good CSV, after which the new creator answers", async () => {
    const { body } = await upload("posts.csv", [HEADER, GOOD_ROW].join("\n"));
    expect(body.ok).toBe(true);
    expect(body.message.split("\n")[1]).toBe("Written: 1 creator, 0 campaigns, 1 post, 1 snapshot.");
    const asked = await post("ask", { workspace: "demo", text: "creator @zoe.new" });
    expect(asked.body.view.kind).toBe("creatorProfile");
  });

  it("refuses a file that is neither CSV nor JSON, an unknown workspace, a missing token", async () => {
    expect(await upload("posts.xlsx", "x")).toEqual({
      status: 400,
      body: { error: "the file must be a .csv or .json file" },
    });
    expect(await post("ask", { workspace: "nope", text: "help" })).toEqual({
      status: 404,
      body: { error: 'No workspace "nope".' },
    });
    const anonymous = await fetch(`${server.url}/playground/api/workspaces`, {
      headers: { "x-longtail-playground": "1" },
    });
    expect([anonymous.status, await anonymous.json()]).toEqual([
      401,
      { error: "Open the playground with the address printed at start-up (it has the token)." },
    ]);
  });

  it("refuses a call without the page's header, as a form or fetch from another site would be", async () => {
    const crossSite = await fetch(`${server.url}/playground/api/import?workspace=demo&name=posts.csv`, {
      method: "POST",
      headers: { authorization: `Bearer ${TOKEN}`, "content-type": "text/plain" },
      body: [HEADER, GOOD_ROW.replace("zoe.new", "zoe.csrf")].join("\n"),
    });
    expect([crossSite.status, await crossSite.json()]).toEqual([
      403,
      { error: "The playground's API answers the playground page only." },
    ]);
    expect(await store.prisma.creator.count({ where: { handle: "zoe.csrf" } })).toBe(0);
  });

  it("on loopback without a token, answers only requests that name this machine as Host", async () => {
    const loopback = await listen(
      playgroundRoutes(createBackend({ store, now: () => NOW }), null),
      "127.0.0.1",
      0,
    );
    try {
      const ask = (host: string) =>
        new Promise<{ status: number; body: string }>((done, fail) => {
          const url = new URL(`${loopback.url}/playground/api/workspaces`);
          const request = httpGet(
            {
              host: url.hostname,
              port: url.port,
              path: url.pathname,
              headers: { host, "x-longtail-playground": "1" },
            },
            (response) => {
              let body = "";
              response.on("data", (chunk) => {
                body += chunk;
              });
              response.on("end", () => done({ status: response.statusCode ?? 0, body }));
            },
          );
          request.on("error", fail);
        });
      expect(await ask(`localhost:${new URL(loopback.url).port}`)).toEqual({ status: 200, body: '["demo"]' });
      expect(await ask("attacker.example:80")).toEqual({
        status: 403,
        body: '{"error":"The playground answers on 127.0.0.1 or localhost only."}',
      });
    } finally {
      await loopback.stop();
    }
  });

  it("serves the page and the browser bundles from the installed packages", async () => {
    const page = await fetch(`${server.url}/playground/`);
    expect([page.status, page.headers.get("content-type")]).toEqual([200, "text/html; charset=utf-8"]);
    expect(await page.text()).toContain("<title>Longtail playground</title>");
    for (const bundle of ["vendor/chart.umd.js", "vendor/adaptivecards.js", "vendor/markdown-it.js"]) {
      const response = await fetch(`${server.url}/playground/${bundle}`);
      expect(response.status).toBe(200);
      expect((await response.text()).length).toBeGreaterThan(100_000);
    }
    const root = await fetch(`${server.url}/`, { redirect: "manual" });
    expect([root.status, root.headers.get("location")]).toEqual([302, "/playground/"]);
  });
});
