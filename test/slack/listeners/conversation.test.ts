import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { parseCommand } from "../../../src/commands/parse.ts";
import { commandText } from "../../../src/slack/listeners/commands/answerSlashCommand.ts";
import { directMessage } from "../../../src/slack/listeners/messages/answerDirectMessage.ts";
import { SLASH_COMMANDS } from "../../../src/slack/registry.ts";
import { plainSlackText } from "../../../src/slack/text.ts";

describe("Slack text to the command language", () => {
  const creator = SLASH_COMMANDS.find((spec) => spec.command === "/creator");
  const longtail = SLASH_COMMANDS.find((spec) => spec.command === "/longtail");

  it("prefixes the command word once", () => {
    if (!creator || !longtail) throw new Error("commands missing");
    expect(commandText(creator, "@anna")).toBe("creator @anna");
    expect(commandText(creator, "creator @anna")).toBe("creator @anna");
    expect(commandText(creator, "help")).toBe("help creator");
    expect(commandText(creator, "")).toBe("creator");
    expect(commandText(longtail, "  top 5 creators by clicks ")).toBe("top 5 creators by clicks");
    expect(parseCommand(commandText(creator, plainSlackText("<@U123|anna>")))).toEqual({
      kind: "creator",
      handle: "anna",
    });
  });

  it("answers only people's new messages in DMs", () => {
    const base = {
      type: "message",
      channel: "D1",
      user: "U1",
      text: "digest",
      ts: "1.2",
      event_ts: "1.2",
    } as const;
    expect(directMessage({ ...base, channel_type: "im" } as never)?.text).toBe("digest");
    expect(directMessage({ ...base, channel_type: "channel" } as never)).toBeUndefined();
    expect(
      directMessage({ ...base, channel_type: "im", subtype: "message_changed" } as never),
    ).toBeUndefined();
    expect(directMessage({ ...base, channel_type: "im", bot_id: "B1" } as never)).toBeUndefined();
  });

  it("never throws on any Slack-flavoured text, through any command", () => {
    const slackToken = fc.oneof(
      fc.constantFrom(
        "<@U123|anna>",
        "<@U123>",
        "<#C1|general>",
        "<https://x.y|label>",
        "<mailto:a@b.c|a@b.c>",
        "<!here>",
        "<!date^1^{date}|Feb 1>",
        "<@U0BOT>",
        "&amp;lt;",
      ),
      fc.constantFrom(
        "&amp;",
        "&lt;",
        "&gt;",
        "“",
        "”",
        "‘",
        "’",
        "\u200b",
        "\u00a0",
        "  ",
        "@",
        "#",
        "|",
        "<",
        ">",
      ),
      fc.string({ maxLength: 12 }),
      fc.constantFrom(
        "top",
        "creators",
        "by",
        "longevity",
        "in",
        "compare",
        "micro",
        "vs",
        "digest",
        "subscribe",
        "weekly",
      ),
    );
    fc.assert(
      fc.property(
        fc.constantFrom(...SLASH_COMMANDS),
        fc.array(slackToken, { maxLength: 12 }),
        (spec, parts) => {
          const intent = parseCommand(commandText(spec, plainSlackText(parts.join(" "), "U0BOT")));
          expect(intent.kind).toBeTypeOf("string");
        },
      ),
      { numRuns: 500 },
    );
  });
});
