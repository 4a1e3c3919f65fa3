import { describe, expect, it } from "vitest";
import { normalizeChatText } from "../../src/commands/normalize.ts";

describe("normalizing chat text", () => {
  it.each([
    ["Slack user mention with a label", "creator <@U123|anna>", "creator @anna"],
    ["Slack user mention whose label has an @", "creator <@U123|@anna>", "creator @anna"],
    ["bare Slack user mention keeps the id marker", "creator <@U123>", "creator @<U123>"],
    ["Slack channel", "digest for <#C123|general>", "digest for #general"],
    ["Slack channel without a label", "digest for <#C123>", "digest for #C123"],
    ["mailto link", "mail <mailto:a@b.c|a@b.c>", "mail a@b.c"],
    ["link with a label", "see <https://x.y|label>", "see label"],
    ["bare link", "see <https://x.y>", "see https://x.y"],
    ["broadcast mention", "<!here> digest", "digest"],
    ["HTML entities", "campaign a&amp;b &lt;x&gt;", "campaign a&b <x>"],
    ["escaped entity decoded once", "&amp;lt;", "&lt;"],
    ["not a Slack token", "compare <micro> vs macro", "compare <micro> vs macro"],
    ["Teams bot mention", "<at>Longtail</at> top creators", "top creators"],
    ["Teams bot mention in the middle", "top <at>Longtail</at> creators", "top creators"],
    ["Teams mention of someone else", "<at>Anna</at> digest", "@Anna digest"],
    ["smart double quotes", "campaign “spring launch”", 'campaign "spring launch"'],
    ["smart single quotes", "how’s ‘anna’ doing", "how's 'anna' doing"],
    [
      "non-breaking and repeated spaces",
      "top\u00a05  \t creators\u202fby clicks",
      "top 5 creators by clicks",
    ],
    ["zero-width characters", "to\u200bp 5", "top 5"],
    ["surrounding space", "   help   ", "help"],
    ["leading slash", "/creator @anna", "creator @anna"],
    ["bot slash command", "/longtail top 5 creators", "top 5 creators"],
    ["insights slash command", "/insights help", "help"],
    ["leading bot word", "longtail top 5", "top 5"],
    ["leading bot mention with a colon", "@Longtail: digest", "digest"],
    ["leading bot word with a comma", "longtail, digest", "digest"],
    ["Slack mention of the bot by label", "<@U0BOT|longtail> digest", "digest"],
    ["a handle that starts with the bot's name is kept", "@longtail.bakes", "@longtail.bakes"],
    ["the bot's name later on is kept", "creator @anna longtail", "creator @anna longtail"],
    ["only the bot", "longtail", ""],
    ["empty", "", ""],
  ])("%s", (_what, input, expected) => {
    expect(normalizeChatText(input)).toBe(expected);
  });

  it("drops mentions of the bot's Slack user id when told which it is", () => {
    expect(normalizeChatText("<@U0BOT> top creators by clicks", { botUserIds: ["U0BOT"] })).toBe(
      "top creators by clicks",
    );
  });

  it("drops a Teams mention of the bot under another name when told the name", () => {
    expect(normalizeChatText("<at>Insights Bot</at> digest", { botNames: ["Insights Bot"] })).toBe("digest");
  });
});
