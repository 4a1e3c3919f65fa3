import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { parseCommand } from "../../src/commands/parse.ts";
import { ConfigError, loadConfig, slackSettings } from "../../src/config.ts";
import { open, SealedTextError, seal } from "../../src/slack/crypto.ts";
import { errorSummary, redactTokens } from "../../src/slack/errors.ts";
import { installKeyOf, slugFromTeamName } from "../../src/slack/installationStore.ts";
import { commandText } from "../../src/slack/listeners/commands/answerSlashCommand.ts";
import { withoutBotMention } from "../../src/slack/listeners/conversation.ts";
import { directMessage } from "../../src/slack/listeners/messages/answerDirectMessage.ts";
import { SLASH_COMMANDS } from "../../src/slack/registry.ts";
import { decodeShare, encodeShare } from "../../src/slack/share.ts";

const SECRET = "0123456789abcdef0123456789abcdef";
const KEY = Buffer.alloc(32, 3);

function configProblem(env: Record<string, string>): string {
  try {
    loadConfig(env);
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return (error as Error).message;
  }
  throw new Error("expected a configuration problem");
}

describe("Slack configuration", () => {
  it("leaves Slack off without any Slack variable, with HOST/PORT defaults", () => {
    const config = loadConfig({});
    expect(slackSettings(config)).toBeNull();
    expect([
      config.HOST,
      config.PORT,
      slackSettings(loadConfig({ SLACK_SIGNING_SECRET: SECRET, SLACK_BOT_TOKEN: "xoxb-1" }))?.host,
    ]).toEqual([undefined, 3000, "0.0.0.0"]);
  });

  it("names each missing variable with where to find it", () => {
    expect(configProblem({ SLACK_BOT_TOKEN: "xoxb-1" })).toContain(
      "SLACK_SIGNING_SECRET is missing (Slack needs it): copy it from your app's Basic Information page",
    );
    const oauth = configProblem({ SLACK_SIGNING_SECRET: SECRET, SLACK_CLIENT_ID: "1.2" });
    for (const name of ["SLACK_CLIENT_SECRET", "SLACK_STATE_SECRET", "LONGTAIL_ENCRYPTION_KEY"]) {
      expect(oauth).toContain(`${name} is missing for installs in many workspaces (OAuth)`);
    }
    expect(configProblem({ SLACK_SIGNING_SECRET: SECRET })).toContain("SLACK_BOT_TOKEN is missing");
  });

  it("names each malformed variable, never its value", () => {
    const message = configProblem({
      SLACK_SIGNING_SECRET: "not-hex-secret-value",
      SLACK_BOT_TOKEN: "xoxp-user-token-value",
      SLACK_APP_TOKEN: "xoxb-wrong",
      LONGTAIL_ENCRYPTION_KEY: "too-short-key-value",
      PORT: "70000",
      SLACK_API_URL: "slack.com/api",
    });
    for (const name of [
      "SLACK_SIGNING_SECRET",
      "SLACK_BOT_TOKEN",
      "SLACK_APP_TOKEN",
      "LONGTAIL_ENCRYPTION_KEY",
      "PORT",
      "SLACK_API_URL",
    ]) {
      expect(message).toContain(name);
    }
    for (const value of ["not-hex-secret-value", "xoxp-user-token-value", "too-short-key-value", "70000"]) {
      expect(message).not.toContain(value);
    }
  });

  it("refuses both modes at once", () => {
    expect(
      configProblem({
        SLACK_SIGNING_SECRET: SECRET,
        SLACK_BOT_TOKEN: "xoxb-1",
        SLACK_CLIENT_ID: "1.2",
        SLACK_CLIENT_SECRET: SECRET,
      }),
    ).toContain("not both");
  });

  it("reads the single-workspace and the OAuth sets", () => {
    const single = slackSettings(
      loadConfig({ SLACK_SIGNING_SECRET: SECRET, SLACK_BOT_TOKEN: "xoxb-1", LONGTAIL_WORKSPACE: "acme" }),
    );
    expect(single).toMatchObject({ mode: "single", workspaceSlug: "acme", host: "0.0.0.0", port: 3000 });
    const hexKey = KEY.toString("hex");
    const oauth = slackSettings(
      loadConfig({
        SLACK_SIGNING_SECRET: SECRET,
        SLACK_CLIENT_ID: "1.2",
        SLACK_CLIENT_SECRET: SECRET,
        SLACK_STATE_SECRET: "sixteen-chars-at-least",
        LONGTAIL_ENCRYPTION_KEY: hexKey,
        SLACK_APP_TOKEN: "xapp-1-A-1-abc",
        PORT: "8080",
      }),
    );
    expect(oauth?.mode).toBe("oauth");
    expect(oauth?.appToken).toBe("xapp-1-A-1-abc");
    expect(oauth?.port).toBe(8080);
    if (oauth?.mode === "oauth") expect(oauth.encryptionKey.equals(KEY)).toBe(true);
  });
});

describe("installation sealing (AES-256-GCM)", () => {
  it("opens what it sealed, and the sealed text does not contain the plaintext", () => {
    const sealed = seal(KEY, '{"bot":{"token":"xoxb-secret"}}', "T:T1");
    expect(sealed).not.toContain("xoxb");
    expect(open(KEY, sealed, "T:T1")).toBe('{"bot":{"token":"xoxb-secret"}}');
    expect(seal(KEY, "same", "T:T1")).not.toBe(seal(KEY, "same", "T:T1"));
  });

  it("refuses another key, another team's row, and tampering", () => {
    const sealed = seal(KEY, "installation", "T:T1");
    expect(() => open(Buffer.alloc(32, 4), sealed, "T:T1")).toThrow(SealedTextError);
    expect(() => open(KEY, sealed, "T:T2")).toThrow(SealedTextError);
    const bytes = Buffer.from(sealed.slice(3), "base64");
    bytes[bytes.length - 1] = (bytes[bytes.length - 1] ?? 0) ^ 1;
    expect(() => open(KEY, `v1.${bytes.toString("base64")}`, "T:T1")).toThrow(SealedTextError);
  });
});

describe("installations map teams to workspaces", () => {
  it("keys a team, or an org-wide install by its enterprise", () => {
    expect(installKeyOf({ teamId: "T1", enterpriseId: "E1", isEnterpriseInstall: false })).toBe("T:T1");
    expect(installKeyOf({ teamId: undefined, enterpriseId: "E1", isEnterpriseInstall: true })).toBe("E:E1");
  });

  it("makes a workspace slug from the team name", () => {
    expect(slugFromTeamName("Globex Corporation", "T1")).toBe("globex-corporation");
    expect(slugFromTeamName("Café Ünïcode & Co.", "T1")).toBe("cafe-unicode-co");
    expect(slugFromTeamName("日本", "T0ABC")).toBe("slack-t0abc");
    expect(slugFromTeamName(undefined, "T0ABC")).toBe("slack-t0abc");
  });
});

describe("share buttons", () => {
  const now = new Date("2026-03-02T09:00:00Z");

  it("round-trips the question and its moment", () => {
    const value = encodeShare({ text: "creator @anna", now }) ?? "";
    expect(decodeShare(value, new Date("2026-03-03T00:00:00Z"))).toEqual({ text: "creator @anna", now });
  });

  it("refuses values it did not make and clamps a future moment", () => {
    expect(decodeShare("creator @anna", now)).toBeUndefined();
    expect(decodeShare('{"t":"","n":"2026-03-02T09:00:00Z"}', now)).toBeUndefined();
    expect(decodeShare('{"t":"digest","n":"yesterday"}', now)).toBeUndefined();
    expect(decodeShare('{"t":"digest","n":"2099-01-01T00:00:00Z"}', now)?.now).toEqual(now);
  });
});

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
    expect(parseCommand(commandText(creator, "<@U123|anna>"))).toEqual({ kind: "creator", handle: "anna" });
  });

  it("drops mentions of the bot itself, and nobody else's", () => {
    expect(withoutBotMention("<@U0BOT> how is <@U1|anna> doing?", "U0BOT")).toBe("how is <@U1|anna> doing?");
    expect(withoutBotMention("<@U0BOT|longtail>, compare tiers", "U0BOT")).toBe(", compare tiers");
    expect(parseCommand(withoutBotMention("<@U0BOT|longtail> compare tiers", "U0BOT")).kind).toBe(
      "compareTiers",
    );
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
          const intent = parseCommand(commandText(spec, parts.join(" ")));
          expect(intent.kind).toBeTypeOf("string");
        },
      ),
      { numRuns: 500 },
    );
  });
});

describe("secrets stay out of logs and messages", () => {
  it("redacts Slack tokens from error texts", () => {
    expect(redactTokens("invalid token xoxb-123-456-abc for xapp-1-A0-2-def")).toBe(
      "invalid token xox?-[redacted] for xapp-[redacted]",
    );
    expect(errorSummary(new Error("An API error occurred: xoxp-99-secret")).message).not.toContain("xoxp-99");
    const body = redactTokens(
      'http request body: {"client_id":"1.2","client_secret":"0123abcd","code":"c1"}',
    );
    expect(body).not.toContain("0123abcd");
    expect(body).toContain('"client_id":"1.2"');
    expect(redactTokens("client_secret=abc&code=1&refresh_token=xoxe-1-abc")).toBe(
      "client_secret=[redacted]&code=1&refresh_token=[redacted]",
    );
  });
});

describe("answers are computed in turn", () => {
  it("runs at most `concurrency` at once, in arrival order, and survives failures", async () => {
    const { answerQueue } = await import("../../src/conversation/answerQueue.ts");
    const queue = answerQueue({ concurrency: 2, breatherMs: 0 });
    let running = 0;
    let most = 0;
    const started: number[] = [];
    const task = (i: number) => async () => {
      started.push(i);
      running += 1;
      most = Math.max(most, running);
      await new Promise((resolve) => setTimeout(resolve, 5));
      running -= 1;
      if (i === 3) throw new Error("boom");
      return i;
    };
    const results = await Promise.allSettled([1, 2, 3, 4, 5, 6].map((i) => queue.run(task(i))));
    expect(most).toBe(2);
    expect(started).toEqual([1, 2, 3, 4, 5, 6]);
    expect(results.map((result) => result.status)).toEqual([
      "fulfilled",
      "fulfilled",
      "rejected",
      "fulfilled",
      "fulfilled",
      "fulfilled",
    ]);
  });
});
