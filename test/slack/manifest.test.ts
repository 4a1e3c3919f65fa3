import { readFileSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parse } from "yaml";
import { z } from "zod";
import { EVENTS_PATH, slackRegistrations } from "../../src/slack/app.ts";
import { OAUTH_REDIRECT_PATH } from "../../src/slack/install.ts";
import { BOT_EVENTS, requiredBotScopes, SLASH_COMMANDS, WEB_API_METHODS } from "../../src/slack/registry.ts";
import { type Harness, startHarness } from "./support/harness.ts";

const manifestSchema = z.object({
  display_information: z.object({ name: z.string(), description: z.string().max(140) }),
  features: z.object({
    app_home: z.object({ home_tab_enabled: z.boolean(), messages_tab_enabled: z.boolean() }),
    bot_user: z.object({ display_name: z.string() }),
    slash_commands: z.array(
      z.object({
        command: z.string(),
        url: z.string().url(),
        description: z.string().max(100),
        usage_hint: z.string().max(1000).optional(),
        should_escape: z.boolean(),
      }),
    ),
  }),
  oauth_config: z.object({
    redirect_urls: z.array(z.string().url()),
    scopes: z.object({ bot: z.array(z.string()) }),
  }),
  settings: z.object({
    event_subscriptions: z.object({ request_url: z.string().url(), bot_events: z.array(z.string()) }),
    interactivity: z.object({ is_enabled: z.boolean(), request_url: z.string().url() }),
    socket_mode_enabled: z.boolean(),
    token_rotation_enabled: z.boolean(),
  }),
});

const manifest = manifestSchema.parse(parse(readFileSync("manifests/slack/manifest.yml", "utf8")));
const sorted = (values: readonly string[]) => [...values].sort();

describe("manifests/slack/manifest.yml against the code", () => {
  let harness: Harness;
  beforeAll(async () => {
    harness = await startHarness({ mode: "single" });
  });
  afterAll(async () => harness?.close());

  it("declares exactly the slash commands the app registers, both ways", () => {
    const registered = slackRegistrations(harness.app).commands;
    expect(sorted(manifest.features.slash_commands.map((command) => command.command))).toEqual(
      sorted(registered),
    );
    expect(sorted(registered)).toEqual(sorted(SLASH_COMMANDS.map((spec) => spec.command)));
  });

  it("gives each command the description and usage hint the code documents", () => {
    for (const spec of SLASH_COMMANDS) {
      const declared = manifest.features.slash_commands.find((command) => command.command === spec.command);
      expect(declared?.description).toBe(spec.description);
      expect(declared?.usage_hint).toBe(spec.usageHint);
    }
  });

  it("subscribes to exactly the bot events the app listens to, both ways", () => {
    const registered = slackRegistrations(harness.app).events;
    expect(sorted(manifest.settings.event_subscriptions.bot_events)).toEqual(sorted(registered));
    expect(sorted(registered)).toEqual(sorted(BOT_EVENTS));
  });

  it("asks for exactly the bot scopes the registered listeners and called methods need", () => {
    expect(sorted(manifest.oauth_config.scopes.bot)).toEqual(requiredBotScopes());
    // Nothing broader than the code uses.
    for (const broad of [
      "channels:history",
      "channels:read",
      "chat:write.public",
      "im:read",
      "im:write",
      "users:read.email",
    ]) {
      expect(manifest.oauth_config.scopes.bot).not.toContain(broad);
    }
  });

  it("sends commands, events and interactivity to the one endpoint the receiver serves", () => {
    const urls = [
      ...manifest.features.slash_commands.map((command) => command.url),
      manifest.settings.event_subscriptions.request_url,
      manifest.settings.interactivity.request_url,
    ];
    for (const url of urls) expect(new URL(url).pathname).toBe(EVENTS_PATH);
    expect(manifest.settings.interactivity.is_enabled).toBe(true);
    expect(slackRegistrations(harness.app).actions.length).toBeGreaterThan(0);
  });

  it("redirects OAuth installs to the receiver's redirect path", () => {
    expect(manifest.oauth_config.redirect_urls.map((url) => new URL(url).pathname)).toEqual([
      OAUTH_REDIRECT_PATH,
    ]);
    expect(manifest.settings.token_rotation_enabled).toBe(false);
  });

  it("enables the Home tab (app_home_opened) and the Messages tab (message.im)", () => {
    expect(manifest.features.app_home.home_tab_enabled).toBe(true);
    expect(manifest.features.app_home.messages_tab_enabled).toBe(true);
  });

  it("lists every Web API method's scope in the registry", () => {
    for (const scope of Object.values(WEB_API_METHODS)) {
      if (scope !== null) expect(manifest.oauth_config.scopes.bot).toContain(scope);
    }
  });
});
