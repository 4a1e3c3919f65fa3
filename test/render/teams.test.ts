import { describe, expect, it } from "vitest";
import { viewCharts } from "../../src/render/charts.ts";
import {
  type AdaptiveCard,
  cardBytes,
  escapeMarkdown,
  fitTeamsLimits,
  MAX_CARD_BYTES,
  nativeChart,
  renderTeams,
  renderTeamsLayout,
  shrinkTeamsMessage,
} from "../../src/render/teams.ts";
import {
  cardProblems,
  cardText,
  elementsOf,
  expectValidTeamsCard,
  submitActions,
} from "../teams/support/cards.ts";
import {
  allViews,
  bigCampaignReport,
  creatorNotFound,
  creatorProfile,
  longevityAlerts,
  newCreatorProfile,
  notUnderstood,
  weeklyDigest,
} from "./fixtures.ts";

const HOST = "https://quickchart.example.internal";

function factValue(card: AdaptiveCard, title: string): string | undefined {
  for (const element of elementsOf(card)) {
    if (element.type !== "FactSet") continue;
    const fact = (element.facts as { title: string; value: string }[]).find((f) => f.title === title);
    if (fact) return fact.value;
  }
  return undefined;
}

describe("Adaptive Cards for Teams (schema 1.5, walking the shared layout)", () => {
  it.each(Object.entries(allViews))(
    "%s: valid for the adaptivecards package, under 80 KB, no data: URIs",
    (_name, view) => {
      for (const chart of [{ kind: "url", host: HOST }, { kind: "native" }, { kind: "none" }] as const) {
        const { card, summary } = renderTeams(view, { chart, share: "creator @anna.bakes" });
        expectValidTeamsCard(card);
        expect(summary.length).toBeGreaterThan(0);
      }
    },
  );

  it("puts direct and lasting side by side, with the posts each figure stands on", () => {
    const { card } = renderTeams(creatorProfile);
    const columnSet = card.body.find((element) => element.type === "ColumnSet") as unknown as {
      columns: { items: { type: string; text?: string }[] }[];
    };
    expect(columnSet.columns.map((column) => column.items[0]?.text)).toEqual([
      "**Direct — easy to count**",
      "**Lasting — what keeps earning**",
    ]);
    const basis = creatorProfile.basis.week2Retention;
    expect(factValue(card, "Week-2 retention")).toContain(`_(${basis} of ${creatorProfile.posts} posts)_`);
  });

  it("compares the creator with the median of the tier", () => {
    const text = cardText(renderTeams(creatorProfile).card);
    expect(text).toContain("Against the median micro creator");
    expect(text).toMatch(/Week-2 retention: \*\*[^*]+\*\*.* · tier median 20%/);
  });

  it("links the chart as an HTTPS QuickChart image, or draws it natively for private workspaces", () => {
    const linked = renderTeams(creatorProfile, { chart: { kind: "url", host: HOST } }).card;
    const image = linked.body.find((element) => element.type === "Image");
    expect(String(image?.url).startsWith(`${HOST}/chart?`)).toBe(true);
    expect(image?.altText).toBe(viewCharts(creatorProfile)[0]?.altText);

    const native = renderTeams(creatorProfile, { chart: { kind: "native" } }).card;
    const chart = native.body.find((element) => element.type.startsWith("Chart."));
    expect(chart?.type).toBe("Chart.Line");
    const config = viewCharts(creatorProfile)[0]?.config;
    const data = chart?.data as { legend: string; values: { x: string; y: number }[] }[];
    expect(data.map((series) => series.legend)).toEqual(
      config?.data.datasets.map((dataset) => dataset.label),
    );
    expect(data[0]?.values[0]).toEqual({
      x: String(config?.data.labels?.[0]),
      y: config?.data.datasets[0]?.data[0],
    });
  });

  it("draws a tier bar chart as grouped vertical bars, leaving out missing values", () => {
    const chart = nativeChart({
      type: "bar",
      data: {
        labels: ["micro", "macro"],
        datasets: [
          { label: "Clicks per EUR", data: [0.4, null] },
          { label: "Sustained engagements per EUR", data: [3.2, 1.1] },
        ],
      },
      options: { plugins: { title: { display: true, text: "Direct vs lasting value per EUR of fee" } } },
    });
    expect(chart).toEqual({
      type: "Chart.VerticalBar.Grouped",
      title: "Direct vs lasting value per EUR of fee",
      data: [
        { legend: "Clicks per EUR", values: [{ x: "micro", y: 0.4 }] },
        {
          legend: "Sustained engagements per EUR",
          values: [
            { x: "micro", y: 3.2 },
            { x: "macro", y: 1.1 },
          ],
        },
      ],
    });
  });

  it("offers did-you-mean suggestions as Action.Submit buttons that ask again", () => {
    const buttons = submitActions(renderTeams(creatorNotFound).card);
    expect(buttons.length).toBe(creatorNotFound.suggestions.length);
    expect(buttons[0]).toEqual({
      title: creatorNotFound.suggestions[0],
      data: { longtail: "ask", question: `creator @${creatorNotFound.suggestions[0]?.replace(/^@/, "")}` },
    });
  });

  it("opens the campaign report from an alert, and shares on request", () => {
    const buttons = submitActions(renderTeams(longevityAlerts, { share: "alerts" }).card);
    expect(buttons).toContainEqual({
      title: "Share in channel",
      data: { longtail: "share", question: "alerts" },
    });
    // The fixture's campaign is "spring launch": the question keeps its quotes.
    expect(buttons).toContainEqual({
      title: "Open campaign report",
      data: { longtail: "ask", question: 'campaign "spring launch"' },
    });
  });

  it("answers what it did not understand with the short help, saying how to ask in Teams", () => {
    const { card, summary } = renderTeams(notUnderstood);
    expect(card.body[0]?.text).toBe("How to ask Longtail");
    expect(card.body[1]?.text).toBe(
      "In a personal chat, just type. In a group chat or a channel, @mention Longtail first.",
    );
    expect(summary).toBe(`I didn't understand “${notUnderstood.notUnderstood?.text}”`);
  });

  it("shows people's words as themselves, not as Markdown", () => {
    expect(escapeMarkdown("anna_bakes *best* [x](y) #1")).toBe("anna\\_bakes \\*best\\* \\[x\\](y) \\#1");
    const text = cardText(renderTeams(newCreatorProfile).card);
    expect(text).toContain(escapeMarkdown(`@${newCreatorProfile.creator.handle}`));
  });

  it("keeps a large report under 80 KB and valid", () => {
    const { card } = renderTeams(bigCampaignReport, { chart: { kind: "url", host: HOST } });
    expectValidTeamsCard(card);
  });

  it("shrinks a card too large for Teams: the chart goes first, then the last sections, counted", () => {
    const message = renderTeams(weeklyDigest, { chart: { kind: "url", host: HOST } });
    const sections = message.card.body.filter((element) => !String(element.id).startsWith("chart-")).length;
    const noChart = shrinkTeamsMessage(message);
    expect(noChart?.card.body.some((element) => String(element.id).startsWith("chart-"))).toBe(false);
    expect(noChart?.card.body).toHaveLength(sections);
    const fewer = noChart && shrinkTeamsMessage(noChart);
    const twoLess = fewer && shrinkTeamsMessage(fewer);
    expect(twoLess?.card.body).toHaveLength(sections - 1);
    expect(twoLess?.card.body.at(-1)).toEqual({
      type: "TextBlock",
      text: "…and 2 more",
      wrap: true,
      isSubtle: true,
      id: "more-2",
    });
    expect(cardProblems(twoLess?.card)).toEqual([]);
  });

  it("fits any card to a budget by shrinking, keeping the title", () => {
    const message = renderTeams(weeklyDigest, { chart: { kind: "url", host: HOST } });
    const budget = Math.floor(cardBytes(message.card) / 2);
    const fitted = fitTeamsLimits(message, budget);
    expect(cardBytes(fitted.card)).toBeLessThanOrEqual(budget);
    expect(fitted.card.body[0]).toEqual(message.card.body[0]);
    expect(cardBytes(message.card)).toBeLessThan(MAX_CARD_BYTES);
  });

  it("renders a layout it is given directly", () => {
    const { card } = renderTeamsLayout({
      summary: "Hi",
      sections: [{ kind: "title", text: "Hello *there*" }],
    });
    expect(card.body).toEqual([
      { type: "TextBlock", text: "Hello \\*there\\*", wrap: true, size: "Large", weight: "Bolder" },
    ]);
  });
});
