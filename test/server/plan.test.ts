import { describe, expect, it } from "vitest";
import { ConfigError, loadConfig } from "../../src/config.ts";
import { playgroundAddress, serverPlan, startBanner } from "../../src/server/plan.ts";

const SLACK = { SLACK_SIGNING_SECRET: "0123456789abcdef0123456789abcdef", SLACK_BOT_TOKEN: "xoxb-1-2" };

describe("serverPlan", () => {
  it("local mode: loopback, port 3000, the playground on and no token", () => {
    expect(serverPlan(loadConfig({}), false)).toEqual({
      local: true,
      host: "127.0.0.1",
      port: 3000,
      playground: true,
      playgroundToken: null,
    });
  });

  it("with a chat platform: all interfaces, the playground off", () => {
    expect(serverPlan(loadConfig(SLACK), true)).toEqual({
      local: false,
      host: "0.0.0.0",
      port: 3000,
      playground: false,
      playgroundToken: null,
    });
  });

  it("LONGTAIL_PLAYGROUND=1 beside Slack serves it, with a token because the server is not on loopback", () => {
    const plan = serverPlan(loadConfig({ ...SLACK, LONGTAIL_PLAYGROUND: "1" }), true);
    expect(plan.playground).toBe(true);
    expect(plan.playgroundToken).toMatch(/^[A-Za-z0-9_-]{24}$/);
  });

  it("a HOST set beyond loopback in local mode requires a token, new at every start", () => {
    const config = loadConfig({ HOST: "0.0.0.0", PORT: "8080" });
    const [first, second] = [serverPlan(config, false), serverPlan(config, false)];
    expect([first.host, first.port, first.playground]).toEqual(["0.0.0.0", 8080, true]);
    expect(first.playgroundToken).toMatch(/^[A-Za-z0-9_-]{24}$/);
    expect(second.playgroundToken).not.toBe(first.playgroundToken);
    expect(serverPlan(loadConfig({ HOST: "127.0.0.1" }), false).playgroundToken).toBeNull();
  });

  it("LONGTAIL_PLAYGROUND=0 turns it off in local mode; another value is a configuration problem", () => {
    expect(serverPlan(loadConfig({ LONGTAIL_PLAYGROUND: "0" }), false).playground).toBe(false);
    expect(() => loadConfig({ LONGTAIL_PLAYGROUND: "yes" })).toThrow(
      new ConfigError(
        "Configuration problem:\n  LONGTAIL_PLAYGROUND must be 1 (serve the playground) or 0 (do not)",
      ),
    );
  });
});

describe("start banner", () => {
  it("local mode: the address, the start-up time, how to connect Slack and Teams, how to stop", () => {
    const plan = serverPlan(loadConfig({}), false);
    const url = "http://127.0.0.1:3000";
    expect(
      startBanner(
        plan,
        { url, seconds: 4.26, seeded: true, slack: false, teams: false },
        playgroundAddress(plan, url, "/playground/"),
      ),
    ).toBe(
      [
        "Longtail is running in local mode: no Slack or Teams credentials are set.",
        "  Playground:    http://127.0.0.1:3000/playground/",
        "  Ready in 4.3 s, after creating the store and seeding the demo workspace.",
        "  Connect Slack: create the app from manifests/slack/manifest.yml, set SLACK_SIGNING_SECRET and",
        "                 SLACK_BOT_TOKEN, then npm start again (step by step: manifests/slack/README.md).",
        "  Connect Teams: see the README's Teams section.",
        "  Digest once:   npm run longtail -- digest",
        "  Stop:          Ctrl-C",
      ].join("\n"),
    );
  });

  it("with Slack and the playground beyond loopback: the address carries the token", () => {
    const plan = {
      ...serverPlan(loadConfig({ ...SLACK, LONGTAIL_PLAYGROUND: "1" }), true),
      playgroundToken: "t0k",
    };
    const url = "http://0.0.0.0:3000";
    expect(
      startBanner(
        plan,
        { url, seconds: 1.04, seeded: false, slack: true, teams: false },
        playgroundAddress(plan, url, "/playground/"),
      ).split("\n"),
    ).toEqual([
      "Longtail is running for Slack on http://0.0.0.0:3000.",
      "  Playground:    http://localhost:3000/playground/?token=t0k",
      "                 (the server listens beyond this machine: keep the token to yourself)",
      "  Ready in 1.0 s.",
      "  Connect Teams: see the README's Teams section.",
      "  Digest once:   npm run longtail -- digest",
      "  Stop:          Ctrl-C",
    ]);
  });

  it("Slack over Socket Mode alone serves nothing over HTTP and says so", () => {
    const plan = serverPlan(loadConfig(SLACK), true);
    expect(
      startBanner(plan, { url: null, seconds: 0.84, seeded: false, slack: true, teams: false }, null).split(
        "\n",
      )[0],
    ).toBe("Longtail is running for Slack over Socket Mode.");
  });
});
