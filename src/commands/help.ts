import { METRICS, metricDefinition } from "./metricKeys.ts";

export const HELP_SECTION_TOPICS = [
  "creator",
  "campaign",
  "top",
  "compare",
  "digest",
  "alerts",
  "track",
  "import",
] as const;
export type HelpSectionTopic = (typeof HELP_SECTION_TOPICS)[number];

/** What `help <topic>` can ask for: one section, or the glossary. */
export const HELP_TOPICS = [...HELP_SECTION_TOPICS, "glossary"] as const;
export type HelpTopic = (typeof HELP_TOPICS)[number];

export interface HelpSection {
  topic: HelpSectionTopic;
  title: string;
  summary: string;
  examples: readonly string[];
  /** Where the examples are typed: in the chat, or in a terminal. */
  typedIn: "chat" | "cli";
}

export interface GlossaryEntry {
  term: string;
  meaning: string;
}

/** Plain data for a renderer: the whole help, one section, or the glossary alone. */
export interface HelpContent {
  sections: HelpSection[];
  glossary: GlossaryEntry[];
}

export const HELP_SECTIONS: readonly HelpSection[] = [
  {
    topic: "creator",
    title: "Ask about a creator",
    summary:
      "One card per creator: tier, followers, posts, short-term numbers next to the sustained ones, " +
      "and how they compare to the median of their tier.",
    examples: ["creator @anna", "how is @anna doing?", "creator @anna.bakes on instagram"],
    typedIn: "chat",
  },
  {
    topic: "campaign",
    title: "Ask about a campaign",
    summary: "A campaign's clicks and sales next to its sustained engagement, with its best creators.",
    examples: ["campaign spring-launch", 'campaign "spring launch"', "how did spring-launch do"],
    typedIn: "chat",
  },
  {
    topic: "top",
    title: "Rankings",
    summary:
      "Rank creators or posts by a metric, optionally within a campaign and a period (this week, " +
      `last month, last 30 days). Metrics: ${METRICS.map((metric) => metric.term).join(", ")}.`,
    examples: [
      "top 5 creators by longevity in spring-launch",
      "top posts by half-life this month",
      "best 3 creators by sustained engagement last 30 days",
      "who has the best retention this week",
    ],
    typedIn: "chat",
  },
  {
    topic: "compare",
    title: "Compare tiers",
    summary: "Value per euro by follower tier (nano, micro, mid, macro, mega), short-term and sustained.",
    examples: ["compare tiers", "compare micro vs macro", "compare nano, micro and mid"],
    typedIn: "chat",
  },
  {
    topic: "digest",
    title: "Digests and subscriptions",
    summary:
      "A digest contrasts clicks with sustained engagement and lists evergreen posts worth reusing. " +
      "Subscribe a channel to get it on a schedule; unsubscribe stops it.",
    examples: [
      "digest",
      "subscribe weekly mon 09:00",
      'subscribe cron "0 9 * * 1" campaign spring-launch',
      "subscriptions",
    ],
    typedIn: "chat",
  },
  {
    topic: "alerts",
    title: "Alerts",
    summary:
      "I post once in a subscribed channel when week-2 retention of recent posts drops below the " +
      "usual level (by 25% unless you set another drop), saying which creators drove it.",
    examples: [
      "alerts",
      "alerts for spring-launch",
      "alert longevity drop 30%",
      "alert longevity drop 20% campaign spring-launch",
    ],
    typedIn: "chat",
  },
  {
    topic: "track",
    title: "Track a post by its link",
    summary:
      "Paste an Instagram, TikTok or YouTube link and I collect its numbers myself: at once, hourly for " +
      "3 days after publishing, then daily until day 60. The platform must be connected for the workspace.",
    examples: [
      "track https://www.youtube.com/watch?v=dQw4w9WgXcQ for spring-launch fee 250",
      "tracked",
      "tracked spring-launch",
      "untrack https://youtu.be/dQw4w9WgXcQ",
    ],
    typedIn: "chat",
  },
  {
    topic: "import",
    title: "Importing data",
    summary:
      "Posts and their snapshots come in through the command line (CSV or JSON) or the HTTP ingest API, " +
      "not through the chat.",
    examples: [
      "longtail import posts.csv --workspace acme",
      "longtail import snapshots.json --workspace acme",
    ],
    typedIn: "cli",
  },
];

/** The sustained metrics in plain words, named as the catalogue names them (shared/PRODUCT.md holds the exact definitions). */
export const GLOSSARY: readonly GlossaryEntry[] = [
  {
    term: metricDefinition("engagements").label,
    meaning: "Likes, comments, shares and saves added up. Views are not engagements.",
  },
  {
    term: metricDefinition("week2Retention").label,
    meaning:
      "Engagement a post gained in its second week, as a share of what it had after its first week. " +
      "Known two weeks after publishing, so it is what alerts watch.",
  },
  {
    term: metricDefinition("longevity").label,
    meaning: "The share of a post's first four weeks of engagement that came after its first week.",
  },
  {
    term: metricDefinition("halfLifeDays").label,
    meaning: "Days until a post had half of its first four weeks' engagement. Longer means it kept working.",
  },
  {
    term: "Evergreen",
    meaning: "A post whose fourth week still brought at least a quarter of what its first week brought.",
  },
  {
    term: metricDefinition("sustainedEngagements").label,
    meaning: "Engagements a post earned from day 7 to day 28.",
  },
  {
    term: metricDefinition("costPerSustainedEngagement").label,
    meaning: "What a post cost divided by its sustained engagements.",
  },
];

export const helpTopics: Readonly<Record<HelpSectionTopic, HelpSection>> = Object.fromEntries(
  HELP_SECTIONS.map((section) => [section.topic, section]),
) as Record<HelpSectionTopic, HelpSection>;

/** Everything without a topic; one section, or the glossary alone, with one. */
export function helpContent(topic?: HelpTopic): HelpContent {
  if (topic === undefined) return { sections: [...HELP_SECTIONS], glossary: [...GLOSSARY] };
  if (topic === "glossary") return { sections: [], glossary: [...GLOSSARY] };
  return { sections: [helpTopics[topic]], glossary: [] };
}

const TOPIC_ALIASES: Readonly<Record<string, HelpTopic>> = {
  creators: "creator",
  influencer: "creator",
  influencers: "creator",
  profile: "creator",
  campaigns: "campaign",
  ranking: "top",
  rankings: "top",
  best: "top",
  metrics: "top",
  tiers: "compare",
  "compare tiers": "compare",
  digests: "digest",
  subscribe: "digest",
  subscription: "digest",
  subscriptions: "digest",
  unsubscribe: "digest",
  schedule: "digest",
  alert: "alerts",
  "alert settings": "alerts",
  tracking: "track",
  tracked: "track",
  untrack: "track",
  collect: "track",
  collection: "track",
  importing: "import",
  data: "import",
  terms: "glossary",
  definitions: "glossary",
  ...Object.fromEntries(GLOSSARY.map((entry) => [entry.term.toLowerCase(), "glossary"])),
  retention: "glossary",
  "half life": "glossary",
  "sustained engagement": "glossary",
};

/** Every word `help <word>` understands, for suggestions. */
export const HELP_TOPIC_WORDS: readonly string[] = [...HELP_TOPICS, ...Object.keys(TOPIC_ALIASES)];

export function helpTopicFromText(text: string): HelpTopic | undefined {
  const word = text.trim().toLowerCase();
  return HELP_TOPICS.find((topic) => topic === word) ?? TOPIC_ALIASES[word];
}
