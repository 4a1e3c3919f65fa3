import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Prisma } from "../../src/generated/prisma/client.ts";
import { seedDemo } from "../../src/ingest/demo.ts";
import type { InsightContext } from "../../src/insights/context.ts";
import { weeklyDigest } from "../../src/insights/weeklyDigest.ts";
import type { Store } from "../../src/store/database.ts";
import {
  type GroupedFactSums,
  queryDigestFacts,
  queryFactSums,
  queryPostFacts,
  workspaceFactsStoredAt,
} from "../../src/store/postFacts.ts";
import { findWorkspace } from "../../src/store/workspaces.ts";
import { closeTo } from "../support/closeTo.ts";
import { openTestStore } from "../support/store.ts";

const DAY = 86_400_000;
const NOW = new Date("2026-11-23T09:00:00Z");
/** Every statement that computes or reads per-post facts selects from the `facts` CTE of factsCtes. */
const FACTS_CTE = "facts AS (";

/** The prisma client of `ctx`, recording the SQL of every raw query it runs. */
function recordingRawQueries(prisma: InsightContext["prisma"]): {
  prisma: InsightContext["prisma"];
  statements: string[];
} {
  const statements: string[] = [];
  const recording = new Proxy(prisma, {
    get(target, property) {
      const value = Reflect.get(target, property, target);
      if (property !== "$queryRaw") return typeof value === "function" ? value.bind(target) : value;
      return (query: TemplateStringsArray | Prisma.Sql, ...values: unknown[]) => {
        statements.push(query instanceof Prisma.Sql ? query.sql : Prisma.sql(query, ...values).sql);
        return target.$queryRaw(query, ...values);
      };
    },
  });
  return { prisma: recording, statements };
}

describe("the weekly digest's per-post facts", () => {
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

  async function campaignOfAnEvergreenPost(now: Date): Promise<number> {
    const recent = { publishedFrom: new Date(now.getTime() - 90 * DAY) };
    const posts = await queryPostFacts(ctx.prisma, ctx.workspace.id, now, recent, { evergreenOnly: true });
    const campaignId = posts.find((post) => post.campaignId !== null)?.campaignId;
    if (campaignId == null) throw new Error("no evergreen post of a campaign in the demo");
    return campaignId;
  }

  it("are read in one statement", async () => {
    const { prisma, statements } = recordingRawQueries(ctx.prisma);
    const view = await weeklyDigest({ ...ctx, prisma }, {}, NOW);
    expect(view.evergreen.length).toBeGreaterThan(0);
    expect(statements.filter((sql) => sql.includes(FACTS_CTE))).toHaveLength(1);
  });

  it.each([
    ["now, the whole workspace", NOW, false],
    ["now, the campaign of an evergreen post", NOW, true],
    ["ten days ago (facts from snapshots)", new Date(NOW.getTime() - 10 * DAY), false],
  ])("equal the evergreen posts, tier sums and week sums queried apart: %s", async (_, now, oneCampaign) => {
    const campaignId = oneCampaign ? await campaignOfAnEvergreenPost(now) : undefined;
    const scope = {
      ...(campaignId === undefined ? {} : { campaignId }),
      publishedFrom: new Date(now.getTime() - 90 * DAY),
      tierBoundaries: ctx.workspace.tierBoundaries,
    };
    const trendFrom = new Date(now.getTime() - 56 * DAY);
    const workspaceId = ctx.workspace.id;
    const together = await queryDigestFacts(ctx.prisma, workspaceId, now, scope, {
      trendFrom,
      evergreenPosts: 5,
    });
    const factsStored = await workspaceFactsStoredAt(ctx.prisma, workspaceId, now);
    expect(factsStored).toBe(now === NOW);
    if (factsStored) {
      const fromStoredAlone = await queryDigestFacts(ctx.prisma, workspaceId, now, scope, {
        trendFrom,
        evergreenPosts: 5,
        factsStored,
      });
      expect(fromStoredAlone).toEqual(closeTo(together));
    }

    const ratio = (f: {
      engagementsAt7: number | null;
      engagementsAt21: number | null;
      engagementsAt28: number | null;
    }) => ((f.engagementsAt28 ?? 0) - (f.engagementsAt21 ?? 0)) / Math.max(f.engagementsAt7 ?? 0, 1);
    const evergreen = (await queryPostFacts(ctx.prisma, workspaceId, now, scope, { evergreenOnly: true }))
      .sort((a, b) => ratio(b) - ratio(a))
      .slice(0, 5)
      .map(({ postId, engagementsAt7, engagementsAt21, engagementsAt28 }) => ({
        postId,
        engagementsAt7,
        engagementsAt21,
        engagementsAt28,
      }));
    const byKey = (a: { key: unknown }, b: { key: unknown }) => String(a.key).localeCompare(String(b.key));
    // The digest's sums are the pooled ones: no distinct creators, no median half-life.
    const pooled = (sums: GroupedFactSums[]) =>
      sums.map(({ creators: _, medianHalfLifeDays: __, ...rest }) => rest).sort(byKey);
    const tierSums = pooled(await queryFactSums(ctx.prisma, workspaceId, now, "tier", scope));
    const weekSums = pooled(
      await queryFactSums(ctx.prisma, workspaceId, now, "publishWeek", {
        ...scope,
        publishedFrom: trendFrom,
      }),
    );

    expect(evergreen.length).toBeGreaterThan(0);
    expect(tierSums.length).toBeGreaterThan(0);
    expect({
      evergreen: together.evergreen,
      tierSums: [...together.tierSums].sort(byKey),
      weekSums: [...together.weekSums].sort(byKey),
    }).toEqual(closeTo({ evergreen, tierSums, weekSums }));
  });
});
