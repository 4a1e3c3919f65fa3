import { TurnContext } from "botbuilder";
import { describe, expect, it } from "vitest";
import type { Intent } from "../../src/commands/intent.ts";
import { parseCommand } from "../../src/commands/parse.ts";
import { plainTeamsText } from "../../src/teams/mentions.ts";
import { conversationRecordOf, conversationRoot } from "../../src/teams/references.ts";
import { BOT, CHANNEL, mentionOf, TENANT_ACME } from "./support/activities.ts";

const ANNA = { id: "29:anna", name: "Anna" };

describe("Teams text to plain text: the bot's own mentions stripped, all of them, anyone else's as a handle", () => {
  it("drops a mention at the start", () => {
    expect(
      plainTeamsText({
        text: "<at>Longtail</at> creator @anna",
        recipient: BOT,
        entities: [mentionOf(BOT)],
      }),
    ).toBe("creator @anna");
  });

  it("drops every mention of the bot, wherever it is (botbuilder's removeRecipientMention leaves the second)", () => {
    const activity = {
      text: "<at>Longtail</at> top 5 creators by longevity <at>Longtail</at>",
      recipient: BOT,
      entities: [mentionOf(BOT), mentionOf(BOT)],
    };
    expect(plainTeamsText(activity)).toBe("top 5 creators by longevity");
    expect(TurnContext.removeMentionText({ ...activity, type: "message" } as never, BOT.id)).toBe(
      "top 5 creators by longevity <at>Longtail</at>",
    );
  });

  it("drops the bot under whatever display name the tenant gave it", () => {
    const renamed = { id: BOT.id, name: "Insights Bot" };
    expect(
      plainTeamsText({
        text: "<at>Insights Bot</at> digest",
        recipient: BOT,
        entities: [mentionOf(renamed)],
      }),
    ).toBe("digest");
  });

  it("writes other people's mentions as handles", () => {
    const text = plainTeamsText({
      text: "<at>Longtail</at> creator <at>Anna</at>",
      recipient: BOT,
      entities: [mentionOf(BOT), mentionOf(ANNA)],
    });
    expect(text).toBe("creator @Anna");
    expect(parseCommand(text)).toEqual({ kind: "creator", handle: "anna" });
    expect(plainTeamsText({ text: '<at id="0">Anna</at> digest', recipient: BOT })).toBe("@Anna digest");
  });

  it("decodes nothing else: Teams sends text as typed", () => {
    const text = "campaign a&amp;b &lt;x&gt; <micro>";
    expect(
      plainTeamsText({ text: `<at>Longtail</at> ${text}`, recipient: BOT, entities: [mentionOf(BOT)] }),
    ).toBe(text);
  });

  it.each<readonly [string, Intent]>([
    ["<at>Longtail</at> compare micro vs macro", { kind: "compareTiers", tiers: ["micro", "macro"] }],
    ["<at>Longtail</at>\u00a0how is <at>Anna</at> doing?", { kind: "creator", handle: "anna" }],
  ])("%j reads as the command it is", (text, intent) => {
    const activity = { text, recipient: BOT, entities: [mentionOf(BOT), mentionOf(ANNA)] };
    expect(parseCommand(plainTeamsText(activity))).toEqual(intent);
  });
});

describe("conversation references", () => {
  it("names a channel without its thread, so digests start new posts", () => {
    expect(conversationRoot(`${CHANNEL};messageid=1700000000123`)).toBe(CHANNEL);
    expect(conversationRoot("a:1personal")).toBe("a:1personal");
  });

  it("keeps the plain data a proactive send needs, and nothing without a tenant", () => {
    const activity = {
      serviceUrl: "https://smba.trafficmanager.net/emea/",
      recipient: BOT,
      conversation: {
        id: `${CHANNEL};messageid=1`,
        conversationType: "channel",
        tenantId: TENANT_ACME,
        isGroup: true,
        name: "",
      },
    };
    expect(conversationRecordOf(activity)).toEqual({
      conversationId: CHANNEL,
      conversationType: "channel",
      tenantId: TENANT_ACME,
      serviceUrl: "https://smba.trafficmanager.net/emea/",
      botId: BOT.id,
      botName: BOT.name,
    });
    expect(
      conversationRecordOf({
        ...activity,
        conversation: { ...activity.conversation, tenantId: undefined },
      } as never),
    ).toBeNull();
  });
});
