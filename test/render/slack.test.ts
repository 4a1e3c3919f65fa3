import type { ActionsBlock, Button, ImageBlock, KnownBlock, SectionBlock } from "@slack/types";
import { describe, expect, it } from "vitest";
import type { HomeView } from "../../src/insights/viewModels.ts";
import { MAX_CHART_URL_LENGTH } from "../../src/render/charts.ts";
import {
  OPEN_CAMPAIGN_ACTION_ID,
  renderSlack,
  renderSlackHome,
  SHARE_ACTION_ID,
  type SlackMessage,
  SUGGESTION_ACTION_ID,
} from "../../src/render/slack.ts";
import { HOME_TAB_LIMITS, MESSAGE_LIMITS, slackLimitProblems } from "../../src/render/slackLimits.ts";
import {
  allViews,
  bigCampaignReport,
  bigTop,
  bigWeeklyDigest,
  campaignNotFound,
  campaignReport,
  compareTiers,
  creatorNotFound,
  creatorProfile,
  creatorRetentionAlert,
  emptyTop,
  evergreenAlert,
  help,
  longevityAlerts,
  manyLongevityAlerts,
  message,
  newCreatorProfile,
  notUnderstood,
  quietLongevityAlerts,
  weeklyDigest,
} from "./fixtures.ts";

const HOST = "quickchart.example.internal";
const everything = { chart: { kind: "url", host: HOST }, shareButton: true, shareValue: "share:42" } as const;

function sections(message: { blocks: KnownBlock[] }): SectionBlock[] {
  return message.blocks.filter((block): block is SectionBlock => block.type === "section");
}

function images(message: SlackMessage): ImageBlock[] {
  return message.blocks.filter((block): block is ImageBlock => block.type === "image");
}

function buttons(blocks: KnownBlock[]): Button[] {
  return blocks.flatMap((block) => {
    if (block.type === "actions")
      return (block as ActionsBlock).elements.filter((e): e is Button => e.type === "button");
    if (block.type === "section" && block.accessory?.type === "button") return [block.accessory];
    return [];
  });
}

/** Everything a person reads in the message, in order. */
function allText(blocks: KnownBlock[]): string {
  return JSON.stringify(blocks);
}

/** The two columns of the first section that has them. */
function columns(message: SlackMessage): [string, string] {
  const fields = sections(message).find((section) => section.fields?.length === 2)?.fields ?? [];
  return [fields[0]?.text ?? "", fields[1]?.text ?? ""];
}

describe("renderSlack fits Slack's limits", () => {
  for (const [name, view] of Object.entries(allViews)) {
    for (const options of [{}, everything]) {
      it(`${name} ${options === everything ? "with chart and share button" : "plain"}`, () => {
        const message = renderSlack(view, options);
        const blocks: KnownBlock[] = message.blocks;
        expect(blocks.length).toBeGreaterThan(0);
        expect(message.text.length).toBeGreaterThan(0);
        expect(slackLimitProblems(message, MESSAGE_LIMITS)).toEqual([]);
      });
    }
  }
});

describe("the side-by-side card", () => {
  it("shows the direct numbers next to the lasting ones, formatted for the workspace", () => {
    const [direct, lasting] = columns(renderSlack(creatorProfile));
    expect(direct).toContain("*Direct — easy to count*");
    expect(direct).toContain("Clicks: *4,321*");
    expect(direct).toContain("Fee: *€1,234.50*");
    expect(lasting).toContain("*Lasting — what keeps earning*");
    expect(lasting).toContain("Week-2 retention: *25%* _(15 of 18 posts)_");
    expect(lasting).toContain("Sustained engagements: *7,400*");
  });

  it("says when there is not enough history yet instead of a number", () => {
    const [direct, lasting] = columns(renderSlack(newCreatorProfile));
    expect(direct).toContain("Clicks in the first 3 days: _not enough history yet_");
    expect(lasting).toContain("Week-2 retention: _not enough history yet_");
    expect(lasting).toContain("Cost per sustained engagement: _not enough history yet_");
    expect(lasting).not.toContain("null");
  });

  it("has a header and a context line with tier, followers, posts and date", () => {
    const { blocks } = renderSlack(creatorProfile);
    expect(blocks[0]).toEqual({
      type: "header",
      text: { type: "plain_text", text: "@anna.bakes", emoji: true },
    });
    expect(allText(blocks.slice(1, 2))).toContain(
      "micro · 12,400 followers · 18 posts · instagram · as of Mar 30, 2026",
    );
  });

  it("says where the creator stands against the tier median", () => {
    const text = allText(renderSlack(creatorProfile).blocks);
    expect(text).toContain("Week-2 retention *25%* · tier median 20% ▲");
    expect(text).toContain("Longevity *33.3%* · tier median 40% ▼");
    expect(text).toContain("Half-life *3 d* · tier median 3 d =");
    expect(text).toContain("CTR *2%* · no tier median yet");
  });

  it("lists a long campaign list inline with how many more there are", () => {
    expect(allText(renderSlack(newCreatorProfile).blocks)).toContain("campaign-10 …and 15 more");
  });
});

describe("charts in messages", () => {
  it("adds the chart as an image on the configured host, with alt text", () => {
    const [image] = images(renderSlack(creatorProfile, everything));
    expect(image && "image_url" in image && new URL(image.image_url).host).toBe(HOST);
    expect(image?.alt_text).toContain("engagements and clicks per post");
  });

  it("adds no image without a chart option or with chart none", () => {
    expect(images(renderSlack(creatorProfile))).toEqual([]);
    expect(images(renderSlack(creatorProfile, { chart: { kind: "none" } }))).toEqual([]);
  });

  it("keeps every chart URL of every view under Slack's image_url limit", () => {
    for (const view of Object.values(allViews)) {
      for (const image of images(renderSlack(view, everything))) {
        expect("image_url" in image && image.image_url.length).toBeLessThan(MAX_CHART_URL_LENGTH);
      }
    }
  });
});

describe("long lists", () => {
  it("end with …and N more, whole lines only", () => {
    const list = sections(renderSlack(bigTop))[0]?.text?.text ?? "";
    const lines = list.split("\n");
    const more = /^…and (\d+) more$/.exec(lines.at(-1) ?? "");
    expect(more).not.toBeNull();
    expect(lines.length - 1 + Number(more?.[1])).toBe(50);
    for (const [i, line] of lines.slice(0, -1).entries())
      expect(line.startsWith(`${i + 1}. <https://`)).toBe(true);
  });

  it("shows the campaign's 40 creators as far as they fit", () => {
    const text = allText(renderSlack(bigCampaignReport).blocks);
    expect(text).toMatch(/…and \d+ more/);
    expect(text).toContain("sustained: _not enough history yet_");
  });

  it("keep the digest's columns within a field each", () => {
    const message = renderSlack(bigWeeklyDigest, everything);
    const topColumns = sections(message)[1]?.fields?.map((field) => field.text) ?? [];
    expect(topColumns).toHaveLength(2);
    for (const column of topColumns) expect(column).toMatch(/\n…and \d+ more$/);
  });

  it("drop whole alerts past the message's budget and say how many", () => {
    const message = renderSlack(manyLongevityAlerts, everything);
    const note = message.blocks.at(-2);
    expect(note?.type).toBe("context");
    const hidden = Number(/…and (\d+) more/.exec(allText([note as KnownBlock]))?.[1]);
    const shown = buttons(message.blocks).filter((button) => button.action_id === OPEN_CAMPAIGN_ACTION_ID);
    expect(shown.length + hidden).toBe(60);
    expect(message.blocks.at(-1)?.type).toBe("actions");
  });
});

describe("every view kind", () => {
  it("campaign report: by tier, the creators who kept earning, the retention trend", () => {
    const text = allText(renderSlack(campaignReport).blocks);
    expect(text).toContain("Campaign spring-launch");
    expect(text).toContain("*By tier*");
    expect(text).toContain("1. @creator1 (nano) — 5,000 sustained · 1,000 clicks · week-2 retention 40%");
    expect(text).toContain("Jan 5: _not enough history yet_ · Jan 12 29.8%");
  });

  it("compare tiers: one row of two columns per tier", () => {
    const tierSections = sections(renderSlack(compareTiers)).slice(1);
    expect(tierSections.map((section) => section.text?.text.split(" ")[0])).toEqual([
      "*nano*",
      "*micro*",
      "*mid*",
      "*macro*",
      "*mega*",
    ]);
    expect(tierSections[0]?.fields?.[0]?.text).toContain("Clicks per EUR: *0.8*");
    expect(tierSections[0]?.fields?.[1]?.text).toContain("Cost per sustained engagement: *€0.25*");
  });

  it("top: ranked rows with the metric, clicks and sustained engagements, links where known", () => {
    const text = allText(renderSlack(bigTop).blocks);
    expect(text).toContain("Top 50 posts by Longevity");
    expect(text).toContain("— *50%* · 1 post · 500 clicks · sustained: _not enough history yet_");
    expect(text).toContain("17 more posts without enough history for Longevity yet.");
    expect(allText(renderSlack(emptyTop).blocks)).toContain("None yet");
  });

  it("weekly digest: this week against the last, top by each, evergreen, micro vs macro", () => {
    const text = allText(renderSlack(weeklyDigest).blocks);
    expect(text).toContain("Clicks: *1,234* (−18% vs week before)");
    expect(text).toContain("Sustained engagements: *2,100* (= vs week before)");
    expect(text).toContain("*Top by sustained engagement*\\n1. @anna.bakes (micro) *1,200*");
    expect(text).toContain(
      "<https://www.instagram.com/p/abc/|@anna.bakes · instagram 123>: week 4 brought *31%*",
    );
    expect(text).toContain("Sustained engagements per EUR: _not enough history yet_");
  });

  it("alerts: what dropped, how much, on how many posts, the baseline, who drove it", () => {
    const message = renderSlack(longevityAlerts);
    const text = allText(message.blocks);
    expect(text).toContain("whole workspace: week-2 retention down 40%");
    expect(text).toContain("*18%* on 6 recent posts against a baseline of 30% on 24 posts");
    expect(text).toContain("@anna.bakes: week-2 retention 10% on 3 posts, *60%* of the drop");
    const open = buttons(message.blocks).filter((button) => button.action_id === OPEN_CAMPAIGN_ACTION_ID);
    expect(open.map((button) => [button.text.text, button.value])).toEqual([
      ["Open campaign report", 'campaign "spring launch"'],
    ]);
  });

  it("campaign alerts under a quiet workspace check say both", () => {
    const text = allText(
      renderSlack({
        ...longevityAlerts,
        check: { ...longevityAlerts.check, fired: false, reason: "week-2 retention held at 28%" },
        alerts: longevityAlerts.alerts.slice(1),
      }).blocks,
    );
    expect(text).toContain("No alert for the whole workspace: week-2 retention held at 28%.");
    expect(text).toContain("spring launch: week-2 retention down 35%");
  });

  it("alerts that did not fire say why", () => {
    const message = renderSlack(quietLongevityAlerts);
    expect(message.text).toBe("Longevity check · spring-launch: no alert");
    expect(allText(message.blocks)).toContain(
      "No alert: only 2 recent posts have two weeks of history (3 needed).",
    );
  });

  it("evergreen alert: the post, week 4 against week 1, the link, and a button to the creator", () => {
    expect(renderSlack(evergreenAlert).blocks).toEqual([
      {
        type: "section",
        text: {
          type: "mrkdwn",
          text:
            ":white_check_mark: *Evergreen: @anna.bakes's instagram post C1 is still earning in week 4*\n" +
            "Week 4 brought 420 engagements, *35%* of week 1 (1,200).\n" +
            "Published Mar 1, 2026 for spring-launch: worth reusing on other channels.\n" +
            "<https://www.instagram.com/p/C1/|https://www.instagram.com/p/C1/>",
        },
      },
      {
        type: "actions",
        elements: [
          {
            type: "button",
            text: { type: "plain_text", text: "Open @anna.bakes", emoji: true },
            action_id: SUGGESTION_ACTION_ID,
            value: "creator @anna.bakes",
          },
        ],
      },
    ]);
  });

  it("creator retention alert: against their own baseline, pluralised, with the command to ask", () => {
    expect(sections(renderSlack(creatorRetentionAlert))[0]?.text?.text).toBe(
      ":small_red_triangle_down: *@anna.bakes's week-2 retention fell to 10%, below 50% of their own 30%*\n" +
        "Posts published Mar 9, 2026 – Mar 16, 2026: 10% on 1 post; the 8 weeks before: 30% on 6 posts.\n" +
        "Ask: `/creator @anna.bakes`",
    );
  });

  it("not found: did you mean, with a button per suggestion that runs the command", () => {
    const message = renderSlack(creatorNotFound);
    expect(message.text).toBe("I don't know @anna.bake. Did you mean @anna.bakes, @ana_cooks?");
    const suggestions = buttons(message.blocks);
    expect(suggestions.map((button) => [button.action_id, button.text.text, button.value])).toEqual([
      [SUGGESTION_ACTION_ID, "@anna.bakes", "creator @anna.bakes"],
      [SUGGESTION_ACTION_ID, "@ana_cooks", "creator @ana_cooks"],
    ]);
    expect(buttons(renderSlack(campaignNotFound).blocks).map((button) => button.value)).toEqual([
      'campaign "spring launch"',
      "campaign spring-2025",
    ]);
  });

  it("help: a section per topic with examples as code, and the glossary", () => {
    const message = renderSlack(help);
    const text = allText(message.blocks);
    expect(text).toContain("`/creator @anna`\\n`/longtail how is @anna doing?`");
    expect(text).toContain("`longtail import posts.csv --workspace acme`");
    expect(text).toContain("*What the lasting numbers mean*");
    expect(sections(message).length).toBe(help.sections.length + 2);
  });

  it("help for something not understood repeats it, escaped", () => {
    const text = allText(renderSlack(notUnderstood).blocks);
    expect(text).toContain("I didn't understand “&lt;@U123&gt; what's up &amp; &lt;b&gt;”");
  });

  it("message: the title with its tone, then the lines", () => {
    expect(sections(renderSlack(message))[0]?.text?.text).toBe(
      ":white_check_mark: *Subscribed #marketing to the weekly digest*\nEvery Monday at 09:00 (Europe/Amsterdam).",
    );
  });
});

describe("share button", () => {
  it("ends the message with Share in channel carrying the Slack layer's value", () => {
    const { blocks } = renderSlack(campaignReport, everything);
    expect(blocks.at(-1)).toEqual({
      type: "actions",
      elements: [
        {
          type: "button",
          text: { type: "plain_text", text: "Share in channel", emoji: true },
          action_id: SHARE_ACTION_ID,
          value: "share:42",
        },
      ],
    });
  });

  it("is left out unless asked for", () => {
    expect(buttons(renderSlack(campaignReport).blocks)).toEqual([]);
  });
});

describe("renderSlackHome", () => {
  const row = (channel: string, campaign: string | null) => ({
    channel: { platform: "slack" as const, id: channel },
    schedule: "weekly mon 09:00",
    timezone: "Europe/Amsterdam",
    campaign,
    nextRunAt: "2026-04-06T07:00:00.000Z",
    stopped: null,
  });
  const busyHome: HomeView = {
    kind: "home",
    digest: bigWeeklyDigest,
    alerts: manyLongevityAlerts,
    subscriptions: Array.from({ length: 300 }, (_, i) =>
      row(`C0${String(i).padStart(8, "0")}`, i % 3 ? null : `campaign-${i}`),
    ),
    problems: Array.from({ length: 80 }, (_, i) => ({
      kind: "stopped" as const,
      channel: { platform: "slack" as const, id: `C0GONE${i}` },
      reason: "the channel was archived",
    })),
  };

  /** The text of the section right after the header block that says `heading`. */
  function sectionAfter(blocks: KnownBlock[], heading: string): string {
    const at = blocks.findIndex((block) => block.type === "header" && block.text.text === heading);
    const next = blocks[at + 1];
    return next?.type === "section" ? (next.text?.text ?? "") : "";
  }

  it("shows this week, alerts, subscriptions with live channel links, problems and how to ask", () => {
    const blocks: KnownBlock[] = renderSlackHome({
      kind: "home",
      digest: weeklyDigest,
      alerts: longevityAlerts,
      subscriptions: [row("C0123456789", "spring-launch")],
      problems: [
        {
          kind: "stopped",
          channel: { platform: "slack", id: "C0OLD1234" },
          reason: "the channel was archived",
        },
        { kind: "unavailable", part: "digest" },
      ],
    });
    const text = allText(blocks);
    for (const heading of ["This week", "Active alerts", "How to ask"]) {
      expect(text).toContain(`"text":"${heading}"`);
    }
    expect(sectionAfter(blocks, "Subscriptions in this workspace")).toBe(
      "• <#C0123456789> — weekly mon 09:00 (Europe/Amsterdam) · campaign spring-launch",
    );
    expect(sectionAfter(blocks, "Needs attention")).toBe(
      ":warning: The digest to <#C0OLD1234> stopped: the channel was archived.\n" +
        ":warning: This week's digest could not be computed just now; it will be back when you open this tab again.",
    );
    expect(sectionAfter(blocks, "How to ask").split("\n")).toEqual([
      "`/creator @anna` — ask about a creator",
      "`/campaign spring-launch` — ask about a campaign",
      "`/longtail top 5 creators by longevity in spring-launch` — rankings",
      "`/longtail compare tiers` — compare tiers",
      "`/longtail digest` — digests and subscriptions",
      "`/longtail alerts` — alerts",
      "`/longtail help` — everything else",
    ]);
    expect(slackLimitProblems({ blocks }, HOME_TAB_LIMITS)).toEqual([]);
  });

  it("says what is missing on a new workspace", () => {
    const blocks = renderSlackHome({
      kind: "home",
      digest: null,
      alerts: null,
      subscriptions: [],
      problems: [],
    });
    expect(sectionAfter(blocks, "This week")).toBe("_No digest yet: it appears once posts are imported._");
    expect(sectionAfter(blocks, "Active alerts")).toBe("_No longevity alert right now._");
    expect(sectionAfter(blocks, "Subscriptions in this workspace")).toBe(
      "_No channel subscribes yet._ In a channel, type `/longtail subscribe weekly mon 09:00`.",
    );
    expect(allText(blocks)).not.toContain("Needs attention");
  });

  it("stays within the Home tab's 100 blocks however busy the workspace is", () => {
    const blocks = renderSlackHome(busyHome);
    expect(blocks.length).toBeLessThanOrEqual(100);
    expect(slackLimitProblems({ blocks }, HOME_TAB_LIMITS)).toEqual([]);
    const text = allText(blocks);
    expect(text).toContain("…and 50 more: `/longtail alerts` lists them all.");
    expect(sectionAfter(blocks, "Needs attention").split("\n").at(-1)).toMatch(/^…and \d+ more$/);
    for (const heading of ["Subscriptions in this workspace", "Needs attention", "How to ask"]) {
      expect(text).toContain(`"text":"${heading}"`);
    }
  });
});
