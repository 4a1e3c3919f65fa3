import { describe, expect, it } from "vitest";
import type { Intent } from "../../src/commands/intent.ts";
import { parseCommand } from "../../src/commands/parse.ts";

type Case = readonly [input: string, expected: Intent];

function parsesTo(cases: readonly Case[]): void {
  it.each(cases)("%j", (input, expected) => {
    expect(parseCommand(input)).toEqual(expected);
  });
}

function refusedWith(cases: readonly (readonly [input: string, reasonPart: string])[]): void {
  it.each(cases)("%j → unknown mentioning %j", (input, reasonPart) => {
    const intent = parseCommand(input);
    expect(intent.kind).toBe("unknown");
    if (intent.kind === "unknown") expect(intent.reason).toContain(reasonPart);
  });
}

describe("help", () => {
  parsesTo([
    ["", { kind: "help" }],
    ["   ", { kind: "help" }],
    ["help", { kind: "help" }],
    ["HELP", { kind: "help" }],
    ["?", { kind: "help" }],
    ["hi", { kind: "help" }],
    ["Hello!", { kind: "help" }],
    ["hey", { kind: "help" }],
    ["what can you do?", { kind: "help" }],
    ["how is it going", { kind: "help" }],
    ["longtail", { kind: "help" }],
    ["/insights help", { kind: "help" }],
    ["help top", { kind: "help", topic: "top" }],
    ["help me with alerts", { kind: "help", topic: "alerts" }],
    ["help subscribe", { kind: "help", topic: "digest" }],
    ["help compare tiers", { kind: "help", topic: "compare" }],
    ["help longevity", { kind: "help", topic: "glossary" }],
    ["help glossary", { kind: "help", topic: "glossary" }],
  ]);
  refusedWith([
    ["help awesomeness", "no help on “awesomeness”"],
    ["help compre", "Did you mean compare"],
  ]);
});

describe("creator", () => {
  parsesTo([
    ["creator @anna", { kind: "creator", handle: "anna" }],
    ["/creator @anna", { kind: "creator", handle: "anna" }],
    ["Creator @Anna", { kind: "creator", handle: "anna" }],
    ["creator anna.bakes", { kind: "creator", handle: "anna.bakes" }],
    ["creator @anna_b-2", { kind: "creator", handle: "anna_b-2" }],
    ["creator @anna on tiktok", { kind: "creator", handle: "anna", platform: "tiktok" }],
    ["creator @anna instagram", { kind: "creator", handle: "anna", platform: "instagram" }],
    ["creator @anna on IG", { kind: "creator", handle: "anna", platform: "instagram" }],
    ["influencer @anna", { kind: "creator", handle: "anna" }],
    ["@anna", { kind: "creator", handle: "anna" }],
    ["how is @anna doing?", { kind: "creator", handle: "anna" }],
    ["How is @Anna doing", { kind: "creator", handle: "anna" }],
    ["how's anna.bakes doing", { kind: "creator", handle: "anna.bakes" }],
    ["how’s anna.bakes doing?", { kind: "creator", handle: "anna.bakes" }],
    ["how did @anna do", { kind: "creator", handle: "anna" }],
    ["how is @anna doing on youtube", { kind: "creator", handle: "anna", platform: "youtube" }],
    ["show me @anna", { kind: "creator", handle: "anna" }],
    ["tell me about @anna", { kind: "creator", handle: "anna" }],
    ["tell me about creator anna", { kind: "creator", handle: "anna" }],
    ["creator @zoë", { kind: "creator", handle: "zoë" }],
  ]);
  refusedWith([
    ["creator", "Which creator?"],
    ["creator @an!na", "handles contain only letters, digits"],
    ["creator @anna on myspace", "platform “myspace”"],
    ["creator @anna on tiktk", "Did you mean tiktok"],
    ["creator @anna this month", "but not “this month”"],
  ]);
});

describe("campaign", () => {
  parsesTo([
    ["campaign spring-launch", { kind: "campaign", name: "spring-launch" }],
    ["/campaign spring-launch", { kind: "campaign", name: "spring-launch" }],
    ["CAMPAIGN Spring-Launch", { kind: "campaign", name: "Spring-Launch" }],
    ['campaign "spring launch"', { kind: "campaign", name: "spring launch" }],
    ["campaign “spring launch”", { kind: "campaign", name: "spring launch" }],
    ["campaign 'spring launch'", { kind: "campaign", name: "spring launch" }],
    ["campaign spring launch", { kind: "campaign", name: "spring launch" }],
    ["tell me about campaign summer-glow", { kind: "campaign", name: "summer-glow" }],
    ["show me the summer-glow campaign", { kind: "campaign", name: "summer-glow" }],
    ["how did spring-launch do", { kind: "campaign", name: "spring-launch" }],
    ["how did spring-launch perform?", { kind: "campaign", name: "spring-launch" }],
    ["how is campaign spring-launch doing", { kind: "campaign", name: "spring-launch" }],
    ["how's the spring-launch campaign going", { kind: "campaign", name: "spring-launch" }],
  ]);
  refusedWith([
    ["campaign", "Which campaign?"],
    ['campaign ""', "Which campaign?"],
    ["show me spring-launch", "a creator or a campaign"],
    ["how did spring-launch do last week", "but not “last week”"],
  ]);
});

describe("top", () => {
  parsesTo([
    [
      "top 5 creators by longevity in spring-launch",
      { kind: "top", n: 5, entity: "creators", metric: "longevity", campaign: "spring-launch" },
    ],
    [
      "top posts by half-life this month",
      { kind: "top", n: 5, entity: "posts", metric: "halfLifeDays", period: { kind: "thisMonth" } },
    ],
    [
      "top creators by half-life in spring-launch",
      { kind: "top", n: 5, entity: "creators", metric: "halfLifeDays", campaign: "spring-launch" },
    ],
    [
      "best 3 creators by sustained engagement last 30 days",
      {
        kind: "top",
        n: 3,
        entity: "creators",
        metric: "sustainedEngagements",
        period: { kind: "lastDays", days: 30 },
      },
    ],
    [
      "who has the best longevity this month",
      { kind: "top", n: 5, entity: "creators", metric: "longevity", period: { kind: "thisMonth" } },
    ],
    [
      "which posts have the longest half-life in spring-launch",
      { kind: "top", n: 5, entity: "posts", metric: "halfLifeDays", campaign: "spring-launch" },
    ],
    ["who is top by roas", { kind: "top", n: 5, entity: "creators", metric: "roas" }],
    ["/longtail top 10 by clicks", { kind: "top", n: 10, entity: "creators", metric: "clicks" }],
    ["TOP 5 CREATORS BY CTR", { kind: "top", n: 5, entity: "creators", metric: "ctr" }],
    ["top three posts by emv", { kind: "top", n: 3, entity: "posts", metric: "emv" }],
    ["top 1 creator by cpc", { kind: "top", n: 1, entity: "creators", metric: "cpc" }],
    ["top 50 creators by cpa", { kind: "top", n: 50, entity: "creators", metric: "cpa" }],
    [
      "top creators by retention past 2 weeks",
      {
        kind: "top",
        n: 5,
        entity: "creators",
        metric: "week2Retention",
        period: { kind: "lastDays", days: 14 },
      },
    ],
    [
      "top creators by week-2 retention last week",
      { kind: "top", n: 5, entity: "creators", metric: "week2Retention", period: { kind: "lastWeek" } },
    ],
    [
      "top creators by cost per sustained engagement this week",
      {
        kind: "top",
        n: 5,
        entity: "creators",
        metric: "costPerSustainedEngagement",
        period: { kind: "thisWeek" },
      },
    ],
    [
      "top creators by er last month",
      {
        kind: "top",
        n: 5,
        entity: "creators",
        metric: "engagementRateByFollowers",
        period: { kind: "lastMonth" },
      },
    ],
    [
      "top posts by saves and shares in the past week",
      { kind: "top", n: 5, entity: "posts", metric: "saveShareRate", period: { kind: "lastDays", days: 7 } },
    ],
    [
      'top creators by earned media value in campaign "spring launch" last 14 days',
      {
        kind: "top",
        n: 5,
        entity: "creators",
        metric: "emv",
        campaign: "spring launch",
        period: { kind: "lastDays", days: 14 },
      },
    ],
    [
      "top creators this month in spring-launch by front-loading",
      {
        kind: "top",
        n: 5,
        entity: "creators",
        metric: "clickFrontLoading",
        campaign: "spring-launch",
        period: { kind: "thisMonth" },
      },
    ],
    [
      "show me the top 5 creators by revenue for the spring-launch campaign",
      { kind: "top", n: 5, entity: "creators", metric: "revenue", campaign: "spring-launch" },
    ],
    ["top creators by conversions", { kind: "top", n: 5, entity: "creators", metric: "conversions" }],
    ["top creators by redemptions", { kind: "top", n: 5, entity: "creators", metric: "redemptions" }],
    ["top creators by engagements", { kind: "top", n: 5, entity: "creators", metric: "engagements" }],
    ["top creators by cpe", { kind: "top", n: 5, entity: "creators", metric: "cpe" }],
    ["top creators by cpse", { kind: "top", n: 5, entity: "creators", metric: "costPerSustainedEngagement" }],
    ["top creators by halflife", { kind: "top", n: 5, entity: "creators", metric: "halfLifeDays" }],
    ["top creators by sustained", { kind: "top", n: 5, entity: "creators", metric: "sustainedEngagements" }],
  ]);
  refusedWith([
    ["top 5 creators by awesomeness", "not the metric “awesomeness”. Try one of: longevity, half-life"],
    ["top 5 creators by longvity", "Did you mean longevity"],
    ["top creators", "Rank by which metric?"],
    ["top 0 creators by clicks", "1 to 50"],
    ["top 51 creators by clicks", "not 51"],
    ["top creators by clicks last 0 days", "from 1 to 3650 days"],
    ["top creators by clicks last 3 months", "last 90 days"],
    ["top creators by clicks in spring launch", 'campaign "spring launch"'],
    ["top creators by clicks blah", "I understood `top creators by clicks`, but not “blah”"],
  ]);
});

describe("compare tiers", () => {
  parsesTo([
    ["compare tiers", { kind: "compareTiers" }],
    ["compare", { kind: "compareTiers" }],
    ["compare all tiers", { kind: "compareTiers" }],
    ["compare micro vs macro", { kind: "compareTiers", tiers: ["micro", "macro"] }],
    ["Compare Micro VS. Macro", { kind: "compareTiers", tiers: ["micro", "macro"] }],
    ["micro vs macro", { kind: "compareTiers", tiers: ["micro", "macro"] }],
    ["micro versus mega", { kind: "compareTiers", tiers: ["micro", "mega"] }],
    ["compare nano, micro and mid", { kind: "compareTiers", tiers: ["nano", "micro", "mid"] }],
    ["compare micro-influencers with macro influencers", { kind: "compareTiers", tiers: ["micro", "macro"] }],
    ["show me micro vs macro", { kind: "compareTiers", tiers: ["micro", "macro"] }],
  ]);
  refusedWith([
    ["compare micro vs makro", "“makro” is not a tier. Did you mean macro"],
    ["compare micro vs micro", "at least two different tiers"],
    ["anna vs bob", "“anna” is not a tier"],
  ]);
});

describe("digest and alerts", () => {
  parsesTo([
    ["digest", { kind: "digest" }],
    ["what's the digest", { kind: "digest" }],
    ["what’s the digest?", { kind: "digest" }],
    ["show me the weekly digest", { kind: "digest" }],
    ["digest spring-launch", { kind: "digest", campaign: "spring-launch" }],
    ["digest for campaign spring-launch", { kind: "digest", campaign: "spring-launch" }],
    ["alerts", { kind: "alerts" }],
    ["any alerts?", { kind: "alerts" }],
    ["Any alerts for spring-launch?", { kind: "alerts", campaign: "spring-launch" }],
    ["alerts campaign spring-launch", { kind: "alerts", campaign: "spring-launch" }],
  ]);
  refusedWith([["alerts this week", "but not “this week”"]]);
});

describe("subscriptions", () => {
  parsesTo([
    [
      "subscribe weekly mon 09:00",
      { kind: "subscribe", schedule: { kind: "weekly", day: "mon", time: "09:00" } },
    ],
    [
      "subscribe weekly mon 09:00 campaign spring-launch",
      {
        kind: "subscribe",
        schedule: { kind: "weekly", day: "mon", time: "09:00" },
        campaign: "spring-launch",
      },
    ],
    [
      "subscribe weekly on Friday at 4:30pm",
      { kind: "subscribe", schedule: { kind: "weekly", day: "fri", time: "16:30" } },
    ],
    [
      "subscribe every monday 9am",
      { kind: "subscribe", schedule: { kind: "weekly", day: "mon", time: "09:00" } },
    ],
    [
      "subscribe to the weekly digest sun 23:59",
      { kind: "subscribe", schedule: { kind: "weekly", day: "sun", time: "23:59" } },
    ],
    ["subscribe daily 08:30", { kind: "subscribe", schedule: { kind: "daily", time: "08:30" } }],
    [
      "subscribe daily 08:30 spring-launch",
      { kind: "subscribe", schedule: { kind: "daily", time: "08:30" }, campaign: "spring-launch" },
    ],
    ["subscribe daily at 0:00", { kind: "subscribe", schedule: { kind: "daily", time: "00:00" } }],
    ["subscribe daily 12am", { kind: "subscribe", schedule: { kind: "daily", time: "00:00" } }],
    [
      "subscribe daily 08.30 for spring-launch",
      { kind: "subscribe", schedule: { kind: "daily", time: "08:30" }, campaign: "spring-launch" },
    ],
    [
      'subscribe cron "0 9 * * 1"',
      { kind: "subscribe", schedule: { kind: "cron", expression: "0 9 * * 1" } },
    ],
    [
      "subscribe cron “0 9 * * 1”",
      { kind: "subscribe", schedule: { kind: "cron", expression: "0 9 * * 1" } },
    ],
    [
      "subscribe cron 0 0 9 * * 1 campaign spring-launch",
      { kind: "subscribe", schedule: { kind: "cron", expression: "0 0 9 * * 1" }, campaign: "spring-launch" },
    ],
    [
      "/insights subscribe weekly mon 09:00",
      { kind: "subscribe", schedule: { kind: "weekly", day: "mon", time: "09:00" } },
    ],
    ["unsubscribe", { kind: "unsubscribe" }],
    ["unsubscribe from the digest", { kind: "unsubscribe" }],
    ["unsubscribe from spring-launch", { kind: "unsubscribe", campaign: "spring-launch" }],
    ["unsubscribe campaign spring-launch", { kind: "unsubscribe", campaign: "spring-launch" }],
    ["stop the weekly digest", { kind: "unsubscribe" }],
    ["subscriptions", { kind: "subscriptions" }],
    ["list subscriptions", { kind: "subscriptions" }],
    ["what are we subscribed to?", { kind: "subscriptions" }],
  ]);
  refusedWith([
    ["subscribe", "When should the digest arrive?"],
    ["subscribe weekly", "Which day of the week?"],
    ["subscribe weekly funday 09:00", "“funday” is not a day of the week. Did you mean sunday?"],
    ["subscribe weekly mon", "At what time?"],
    ["subscribe weekly mon 25:00", "“25:00” is not a time of day"],
    ["subscribe weekly mon 09:60", "“09:60” is not a time of day"],
    ["subscribe daily 24:00", "“24:00” is not a time of day"],
    ["subscribe daily 13pm", "“13pm” is not a time of day"],
    ["subscribe daily noon", "“noon” is not a time of day"],
    ["subscribe cron 0 9 * *", "5 or 6 fields"],
    ['subscribe cron "0 9 * * 1 * *"', "5 or 6 fields"],
    ["subscribe hourly", "can't read the schedule"],
    ["subscribe daily 08:30 foo bar", "but not “foo bar”"],
  ]);
});

describe("alert settings", () => {
  parsesTo([
    ["alert longevity drop 30%", { kind: "alertSettings", rule: "longevityDrop", percent: 30 }],
    [
      "alert longevity drop 30% campaign spring-launch",
      { kind: "alertSettings", rule: "longevityDrop", percent: 30, campaign: "spring-launch" },
    ],
    ["alert me when longevity drops by 20%", { kind: "alertSettings", rule: "longevityDrop", percent: 20 }],
    ["alert longevity drop 12.5 percent", { kind: "alertSettings", rule: "longevityDrop", percent: 12.5 }],
    ["alert retention drop 1%", { kind: "alertSettings", rule: "longevityDrop", percent: 1 }],
    ["alerts longevity drop 99", { kind: "alertSettings", rule: "longevityDrop", percent: 99 }],
    ["alert evergreen", { kind: "alertSettings", rule: "evergreen" }],
    [
      "alert when a post goes evergreen in spring-launch",
      { kind: "alertSettings", rule: "evergreen", campaign: "spring-launch" },
    ],
    ["alert creator retention below 50%", { kind: "alertSettings", rule: "creatorRetention", percent: 50 }],
  ]);
  refusedWith([
    ["alert longevity drop 150%", "A drop of 150%"],
    ["alert longevity drop 0%", "pick 1% to 99%"],
    ["alert longevity drop", "How big a drop"],
    ["alert longevity drop lots", "“lots” is not a percentage"],
    ["alert clicks drop 30%", "only alert on longevity drops"],
  ]);
});

describe("what chat platforms deliver, once each has decoded its own syntax", () => {
  parsesTo([
    ["@Longtail\u00a0how is @anna doing?", { kind: "creator", handle: "anna" }],
    ["  top   5\tcreators  by   longevity  ", { kind: "top", n: 5, entity: "creators", metric: "longevity" }],
    ["campaign spring&summer", { kind: "campaign", name: "spring&summer" }],
    ["compare micro & macro", { kind: "compareTiers", tiers: ["micro", "macro"] }],
    ["@longtail: digest", { kind: "digest" }],
    ["Longtail, any alerts?", { kind: "alerts" }],
    ["hey longtail, top creators by roas please", { kind: "top", n: 5, entity: "creators", metric: "roas" }],
  ]);
});

describe("text that is not a command", () => {
  refusedWith([
    ["blah", "Type “help”"],
    ["tpo 5 creators by clicks", "Did you mean top?"],
    ["compre micro vs macro", "Did you mean compare?"],
    ["digset", "Did you mean digest?"],
    ["x".repeat(5000), "longer than any question"],
  ]);

  it("keeps what was typed, normalized, in the unknown intent", () => {
    expect(parseCommand("  @longtail blah   blah ")).toMatchObject({
      kind: "unknown",
      text: "blah blah",
    });
  });
});
