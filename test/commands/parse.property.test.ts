import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { intentSchema } from "../../src/commands/intent.ts";
import { parseCommand } from "../../src/commands/parse.ts";

const RUNS = { numRuns: 1000 };

const commandWords = [
  "help",
  "top",
  "best",
  "creator",
  "creators",
  "posts",
  "campaign",
  "compare",
  "tiers",
  "micro",
  "macro",
  "vs",
  "digest",
  "alerts",
  "alert",
  "subscribe",
  "unsubscribe",
  "subscriptions",
  "weekly",
  "daily",
  "cron",
  "mon",
  "funday",
  "09:00",
  "25:00",
  "9am",
  "drop",
  "longevity",
  "half-life",
  "retention",
  "by",
  "in",
  "for",
  "this",
  "last",
  "past",
  "month",
  "week",
  "days",
  "30",
  "0",
  "51",
  "150%",
  "30%",
  "how",
  "is",
  "doing",
  "did",
  "do",
  "show",
  "me",
  "tell",
  "about",
  "who",
  "has",
  "the",
  "@anna",
  "@",
  "anna.bakes",
  "spring-launch",
  "on",
  "tiktok",
  "longtail",
  "/",
  "?",
  '"',
  "'",
  "“",
  "”",
  "‘",
  "’",
  ",",
  "-",
];
/** What the platforms' decoding leaves in plain text (a Slack user id marker) and stray markup. */
const markupLike = ["@<U123>", "<micro>", "&lt;", "&", ";", "<", ">", "|"];
const oddCharacters = [
  "\u00a0",
  "\u202f",
  "\u200b",
  "\ufeff",
  "\t",
  "\n",
  "İ",
  "ß",
  "ǅ",
  "🦙",
  "👩‍👩‍👧",
  "\u0301",
  "\ud800",
  "\udfff",
  "\u2028",
  "Ω",
  "ﬁ",
  "１２",
  "٣",
];

const token = fc.oneof(
  { weight: 5, arbitrary: fc.constantFrom(...commandWords) },
  { weight: 2, arbitrary: fc.constantFrom(...markupLike) },
  { weight: 2, arbitrary: fc.constantFrom(...oddCharacters) },
  { weight: 1, arbitrary: fc.string({ maxLength: 8 }) },
  { weight: 1, arbitrary: fc.string({ unit: "binary", maxLength: 8 }) },
  { weight: 1, arbitrary: fc.integer({ min: -100, max: 1_000_000 }).map(String) },
);
const separator = fc.constantFrom(" ", "", "  ", "\u00a0", "\t", ", ");
const commandLike = fc
  .array(fc.tuple(token, separator), { maxLength: 14 })
  .map((parts) => parts.map(([word, space]) => word + space).join(""));
const anyText = fc.oneof(
  fc.string(),
  fc.string({ unit: "binary" }),
  fc.string({ unit: "grapheme" }),
  fc.string({ unit: "binary-ascii" }),
  commandLike,
);

describe("parseCommand on anything", () => {
  it("never throws and always returns an intent the schema accepts", () => {
    fc.assert(
      fc.property(anyText, (text) => {
        const intent = parseCommand(text);
        expect(intentSchema.safeParse(intent).success).toBe(true);
        if (intent.kind === "unknown") expect(intent.reason).not.toBe("");
      }),
      RUNS,
    );
  });

  it("gives the same answer for the same text", () => {
    fc.assert(
      fc.property(commandLike, (text) => {
        expect(parseCommand(text)).toEqual(parseCommand(text));
      }),
      RUNS,
    );
  });

  it("ignores case in command words and handles", () => {
    fc.assert(
      fc.property(
        fc.constantFrom(
          "top 5 creators by longevity last 30 days",
          "compare micro vs macro",
          "subscribe weekly mon 09:00",
          "alert longevity drop 30%",
          "how is @anna doing",
        ),
        fc.array(fc.boolean(), { minLength: 60, maxLength: 60 }),
        (command, upper) => {
          const mixed = [...command]
            .map((char, index) => (upper[index] ? char.toUpperCase() : char))
            .join("");
          expect(parseCommand(mixed)).toEqual(parseCommand(command));
        },
      ),
      { numRuns: 200 },
    );
  });

  it("answers even very long text quickly", () => {
    const started = performance.now();
    const intent = parseCommand(`top ${"in x ".repeat(20_000)}`);
    expect(intent.kind).toBe("unknown");
    expect(performance.now() - started).toBeLessThan(200);
  });

  it("answers text just under the length limit quickly", () => {
    const started = performance.now();
    for (const filler of ["a ", "in ", "vs ", "@a ", '" ', "campaign ", "how is "]) {
      parseCommand(`how is ${filler.repeat(Math.floor(990 / filler.length))}`);
      parseCommand(`top by ${filler.repeat(Math.floor(990 / filler.length))}`);
    }
    expect(performance.now() - started).toBeLessThan(1000);
  });
});
