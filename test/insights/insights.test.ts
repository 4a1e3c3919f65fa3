import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parseCommand } from "../../src/commands/parse.ts";
import { seedDemo } from "../../src/ingest/demo.ts";
import { answer, isQuestion } from "../../src/insights/answer.ts";
import type { InsightContext } from "../../src/insights/context.ts";
import type { ViewModel } from "../../src/insights/viewModels.ts";
import type { Store } from "../../src/store/database.ts";
import { findWorkspace } from "../../src/store/workspaces.ts";
import { openTestStore } from "../support/store.ts";

const NOW = new Date("2026-11-23T09:00:00Z");

describe("insights on the demo workspace", () => {
  let store: Store;
  let ctx: InsightContext;

  beforeAll(async () => {
    store = await openTestStore();
    await seedDemo(store, { now: NOW });
    const workspace = await findWorkspace(store.prisma, "demo");
    if (!workspace) throw new Error("no demo workspace");
    ctx = { prisma: store.prisma, workspace };
  });

  afterAll(async () => {
    await store?.close();
  });

  async function ask<K extends ViewModel["kind"]>(
    text: string,
    kind: K,
  ): Promise<Extract<ViewModel, { kind: K }>> {
    const intent = parseCommand(text);
    if (!isQuestion(intent)) throw new Error(`not a question: ${text}`);
    const view = await answer(ctx, intent, NOW);
    expect(view.kind, text).toBe(kind);
    return view as Extract<ViewModel, { kind: K }>;
  }

  it("ranks creators by a metric, best first, and says how many had too little history", async () => {
    const view = await ask("top 5 creators by longevity", "top");
    const values = view.rows.map((row) => row.value);
    expect(values).toHaveLength(5);
    expect(values).toEqual([...values].sort((a, b) => b - a));
    const cheapest = await ask("top 3 creators by cost per sustained engagement", "top");
    const costs = cheapest.rows.map((row) => row.value);
    expect(costs).toEqual([...costs].sort((a, b) => a - b));
  });

  it("compares tiers so that the tiers add up to the whole workspace", async () => {
    const view = await ask("compare tiers", "compareTiers");
    expect(view.tiers.map((row) => row.tier)).toEqual(["nano", "micro", "mid", "macro", "mega"]);
    const posts = await store.prisma.post.count({
      where: { workspaceId: ctx.workspace.id, publishedAt: { lte: NOW } },
    });
    expect(view.tiers.reduce((sum, row) => sum + row.posts, 0)).toBe(posts);
    const micro = view.tiers.find((row) => row.tier === "micro");
    const macro = view.tiers.find((row) => row.tier === "macro");
    // The article's story: micro creators buy lasting engagement cheaper than macro creators.
    expect(micro?.costPerSustainedEngagement).toBeLessThan(macro?.costPerSustainedEngagement ?? 0);
    const two = await ask("compare micro vs macro", "compareTiers");
    expect(two.tiers.map((row) => row.tier)).toEqual(["micro", "macro"]);
  });

  it("reports a campaign with its tiers, top creators and weekly retention", async () => {
    const view = await ask("campaign spring-launch", "campaignReport");
    expect(view.posts).toBe(view.byTier.reduce((sum, row) => sum + row.posts, 0));
    expect(view.topCreators.length).toBeGreaterThan(0);
    expect(view.curve).toHaveLength(29);
  });

  it("fires the longevity alert on the demo's latest cohort and names the creators behind it", async () => {
    const view = await ask("alerts", "longevityAlerts");
    expect(view.check.fired).toBe(true);
    const workspaceAlert = view.alerts.find((alert) => alert.campaign === null);
    expect(workspaceAlert?.drop).toBeGreaterThan(0.25);
    expect(workspaceAlert?.current.posts).toBeGreaterThanOrEqual(3);
    expect(workspaceAlert?.drivers.length).toBeGreaterThan(0);
  });

  it("builds the weekly digest: this week against last, top creators, evergreen posts, micro vs macro", async () => {
    const view = await ask("digest", "weeklyDigest");
    expect(view.thisWeek.clicks).toBeGreaterThan(0);
    expect(view.topByClicks.length).toBeGreaterThan(0);
    expect(view.topBySustained.length).toBeGreaterThan(0);
    expect(view.evergreen.length).toBeGreaterThan(0);
    expect(view.microVsMacro.micro.sustainedEngagementsPerFee).toBeGreaterThan(
      view.microVsMacro.macro.sustainedEngagementsPerFee ?? Number.POSITIVE_INFINITY,
    );
  });

  it("answers a name only one creator's handle starts with for that creator, saying what was typed", async () => {
    const handles = (await ctx.prisma.creator.findMany({ select: { handle: true } })).map((c) => c.handle);
    const [handle, prefix] =
      handles
        .map((h) => [h, h.split(/[._-]/)[0] ?? h] as const)
        .find(
          ([h, p]) => p !== h && p.length >= 3 && handles.filter((other) => other.startsWith(p)).length === 1,
        ) ?? [];
    if (!handle || !prefix) throw new Error("the demo has no creator with a unique first name");
    const view = await ask(`how is @${prefix} doing?`, "creatorProfile");
    expect([view.creator.handle, view.resolvedFrom]).toEqual([handle, prefix]);
    const exact = await ask(`creator @${handle}`, "creatorProfile");
    expect(exact.resolvedFrom).toBeNull();
    // The exact handle is answered by one statement over stored facts, the near name by the queries
    // that compute each part: the same card, down to the order of its keys (JSON answers show it).
    expect(JSON.stringify({ ...view, resolvedFrom: null })).toBe(JSON.stringify(exact));
    expect(exact.campaigns.length).toBeGreaterThan(0);
  });

  it("draws the engagement curve over one set of posts, observed for the whole span", async () => {
    const view = await ask("campaign spring-launch", "campaignReport");
    const counts = [...new Set(view.curve.map((point) => point.posts))];
    expect(counts).toHaveLength(1);
    expect((counts[0] ?? 0) * 2).toBeGreaterThanOrEqual(view.posts);
    expect(view.curve.at(-1)?.day).toBe(28);
    const engagements = view.curve.map((point) => point.engagements ?? 0);
    expect(engagements).toEqual([...engagements].sort((a, b) => a - b));
  });

  it("answers an unknown campaign with the closest names", async () => {
    const view = await ask("campaign sprng-launch", "notFound");
    expect(view.suggestions).toContain("spring-launch");
  });
});
