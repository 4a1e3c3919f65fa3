import { describe, expect, it } from "vitest";
import { ConfigError, loadConfig, slackSettings } from "../../src/config.ts";

/** slackSettings (src/config.ts): which Slack mode the variables ask for, and what is missing. */
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
