import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { importFile } from "../../src/ingest/importFile.ts";
import { campaignReport } from "../../src/insights/campaignReport.ts";
import type { InsightContext } from "../../src/insights/context.ts";
import { creatorProfile } from "../../src/insights/creatorProfile.ts";
import type { CampaignReportView, CreatorProfileView, ViewModel } from "../../src/insights/viewModels.ts";
import { weeklyDigest } from "../../src/insights/weeklyDigest.ts";
import { renderSlack } from "../../src/render/slack.ts";
import { renderTeams } from "../../src/render/teams.ts";
import { renderText } from "../../src/render/text.ts";
import type { Store } from "../../src/store/database.ts";
import { findWorkspace } from "../../src/store/workspaces.ts";
import { tempFolder } from "../ingest/support.ts";
import { openTestStore } from "../support/store.ts";

const NOW = new Date("2026-04-15T00:00:00Z");

/**
 * One campaign, two creators: an Instagram post that gives every counter, and a YouTube post
 * whose rows leave shares, saves, reach, impressions, clicks, conversions and revenue blank.
 */
const CSV = `platform,creator,followers,campaign,post_id,published_at,fee,captured_at,impressions,reach,views,likes,comments,shares,saves,clicks,redemptions,conversions,revenue
instagram,anna.bakes,12000,spring,IG1,2026-03-01T00:00:00Z,200,2026-03-08T00:00:00Z,5000,4000,0,300,40,20,40,50,0,2,40
instagram,anna.bakes,12000,spring,IG1,2026-03-01T00:00:00Z,200,2026-03-31T00:00:00Z,10000,8000,0,500,60,40,100,80,0,4,80
youtube,mila_runs,30000,spring,YT1,2026-03-01T00:00:00Z,600,2026-03-08T00:00:00Z,,,9000,600,100,,,,,,
youtube,mila_runs,30000,spring,YT1,2026-03-01T00:00:00Z,600,2026-03-31T00:00:00Z,,,20000,900,100,,,,,,
`;

describe("counters a platform does not give, on the cards", () => {
  let store: Store;
  let ctx: InsightContext;
  const files = tempFolder();

  beforeAll(async () => {
    store = await openTestStore();
    const imported = await importFile(store, {
      path: files.write("mixed.csv", CSV),
      workspaceSlug: "mixed",
      skipInvalid: false,
    });
    if (!imported.ok) throw new Error("the import was refused");
    const workspace = await findWorkspace(store.prisma, "mixed");
    if (!workspace) throw new Error("no workspace");
    ctx = { prisma: store.prisma, workspace };
  });

  afterAll(async () => {
    await store?.close();
    files.remove();
  });

  async function viewOf<K extends ViewModel["kind"]>(view: Promise<ViewModel>, kind: K) {
    const answered = await view;
    expect(answered.kind).toBe(kind);
    return answered as Extract<ViewModel, { kind: K }>;
  }

  const YOUTUBE_NOTE =
    "Engagements count likes and comments; shares and saves were not collected. " +
    "Impressions, reach, clicks, conversions and revenue were not collected.";

  it("a YouTube creator: what is not given reads 'not given', and one note says what E counts", async () => {
    const view: CreatorProfileView = await viewOf(
      creatorProfile(ctx, { handle: "mila_runs" }, NOW),
      "creatorProfile",
    );
    expect(view.basis.given).toEqual({
      impressions: 0,
      reach: 0,
      views: 1,
      likes: 1,
      comments: 1,
      shares: 0,
      saves: 0,
      clicks: 0,
      redemptions: 0,
      conversions: 0,
      revenue: 0,
    });

    const text = renderText(view).split("\n");
    expect(text.slice(3, 17)).toEqual([
      "Direct — easy to count                   Lasting — what keeps earning",
      "Clicks                      not given    Engagements                    1,000",
      "CTR                         not given    Sustained engagements          274",
      "CPC                         not given    Week-2 retention               13%",
      "Code redemptions            not given    Longevity                      28.1%",
      "Conversions                 not given    Half-life                      4.9 d",
      "Revenue                     not given    Evergreen posts                0",
      "ROAS                        not given    Engagement rate                3.3%",
      "Clicks in the first 3 days  not given    Save-and-share rate            not given",
      "Fee                         €600.00      CPE                            €0.60",
      "                                         Cost per sustained engagement  €2.19",
      "                                         Earned media value             €540.00",
      "",
      YOUTUBE_NOTE,
    ]);
    expect(text).toContain("  CTR                            not given  tier median 0.8%");

    const blocks = renderSlack(view).blocks;
    expect(blocks[2]).toEqual({
      type: "section",
      fields: [
        {
          type: "mrkdwn",
          text:
            "*Direct — easy to count*\nClicks: _not given_\nCTR: _not given_\nCPC: _not given_\n" +
            "Code redemptions: _not given_\nConversions: _not given_\nRevenue: _not given_\nROAS: _not given_\n" +
            "Clicks in the first 3 days: _not given_\nFee: *€600.00*",
        },
        {
          type: "mrkdwn",
          text:
            "*Lasting — what keeps earning*\nEngagements: *1,000*\nSustained engagements: *274*\n" +
            "Week-2 retention: *13%*\nLongevity: *28.1%*\nHalf-life: *4.9 d*\nEvergreen posts: *0*\n" +
            "Engagement rate: *3.3%*\nSave-and-share rate: _not given_\nCPE: *€0.60*\n" +
            "Cost per sustained engagement: *€2.19*\nEarned media value: *€540.00*",
        },
      ],
    });
    expect(blocks[3]).toEqual({ type: "context", elements: [{ type: "mrkdwn", text: `_${YOUTUBE_NOTE}_` }] });

    const card = JSON.stringify(renderTeams(view));
    expect(card).toContain(JSON.stringify(`_${YOUTUBE_NOTE}_`));
    expect(card.split('"value":"_not given_"').length - 1).toBe(9);
  });

  it("a campaign of both: the counts and rates stand on the posts that give them, and the note says on how many", async () => {
    const view: CampaignReportView = await viewOf(
      campaignReport(ctx, { name: "spring" }, NOW),
      "campaignReport",
    );
    const text = renderText(view).split("\n");
    expect(text.slice(3, 17)).toEqual([
      "Direct — easy to count                 Lasting — what keeps earning",
      "Clicks                      80         Engagements                    1,700",
      "CTR                         0.8%       Sustained engagements          548",
      "CPC                         €2.50      Week-2 retention               16.6%",
      "Code redemptions            0          Longevity                      33.2%",
      "Conversions                 4          Half-life                      5.4 d",
      "Revenue                     €80.00     Evergreen posts                0",
      "ROAS                        0.4        Engagement rate                4%",
      "Clicks in the first 3 days  26.8%      Save-and-share rate            1.8%",
      "Fee                         €800.00    CPE                            €0.47",
      "                                       Cost per sustained engagement  €1.46",
      "                                       Earned media value             €870.00",
      "",
      "Engagements count likes and comments; shares and saves were not given on 1 of 2 posts. " +
        "Impressions, reach, clicks, conversions and revenue were not given on 1 of 2 posts.",
    ]);
    expect(text).toContain("2. @mila_runs (micro) — 274 sustained · clicks not given · week-2 retention 13%");
    // CPC and ROAS charge only the Instagram post's fee (the one that gives clicks and revenue).
    expect(view.direct.cpc).toBe(200 / 80);
    expect(view.direct.roas).toBe(80 / 200);
    expect(view.sustained.saveShareRate).toBe(140 / 8_000);
  });

  it("the digest: micro vs macro value per fee carries the same note", async () => {
    const text = renderText(await weeklyDigest(ctx, {}, NOW)).split("\n");
    const from = text.indexOf("Micro vs macro, value per unit of fee (posts of the last 90 days)");
    expect(text.slice(from + 1, from + 7)).toEqual([
      "micro (2 posts, €800.00 fee)           macro (0 posts, €0.00 fee)",
      "Clicks per EUR                 0.4     Clicks per EUR                 not enough history yet",
      "Sustained engagements per EUR  0.68    Sustained engagements per EUR  not enough history yet",
      "Earned media value per EUR     1.09    Earned media value per EUR     not enough history yet",
      "",
      "Engagements count likes and comments; shares and saves were not given on 1 of 2 posts. " +
        "Impressions, reach, clicks, conversions and revenue were not given on 1 of 2 posts.",
    ]);
  });
});
