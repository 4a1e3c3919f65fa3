/**
 * Everything the Slack app registers and calls, in one place: the listeners are registered from
 * these lists, and test/slack/manifest.test.ts holds manifests/slack/manifest.yml against them.
 */

export interface SlashCommandSpec {
  command: `/${string}`;
  description: string;
  usageHint: string;
  /** What the command stands for in the command language: "/creator anna" asks "creator anna". */
  prefix: string;
}

export const SLASH_COMMANDS: readonly SlashCommandSpec[] = [
  {
    command: "/creator",
    description: "A creator's card: clicks next to lasting engagement, against their tier",
    usageHint: "@anna [on instagram]",
    prefix: "creator",
  },
  {
    command: "/campaign",
    description: "A campaign's report: direct results next to sustained engagement",
    usageHint: "spring-launch",
    prefix: "campaign",
  },
  {
    command: "/longtail",
    description: "Ask Longtail anything: top, compare tiers, digest, alerts, subscribe, help",
    usageHint: "top 5 creators by longevity | compare micro vs macro | digest | help",
    prefix: "",
  },
];

/** Bot events, as the manifest names them (`message.im` is the `message` event in a DM). */
export const BOT_EVENTS = [
  "app_mention",
  "message.im",
  "app_home_opened",
  "app_uninstalled",
  "tokens_revoked",
] as const;
export type BotEvent = (typeof BOT_EVENTS)[number];

/** Web API methods the app calls, and the bot scope each needs (null: none). */
export const WEB_API_METHODS: Readonly<Record<string, string | null>> = {
  "auth.test": null,
  "chat.postMessage": "chat:write",
  "views.publish": null,
  "users.info": "users:read",
  "files.getUploadURLExternal": "files:write",
  "files.completeUploadExternal": "files:write",
};

/** The scope each registered kind of listener needs. */
export const EVENT_SCOPES: Readonly<Record<BotEvent, string | null>> = {
  app_mention: "app_mentions:read",
  "message.im": "im:history",
  app_home_opened: null,
  app_uninstalled: null,
  tokens_revoked: null,
};
export const COMMANDS_SCOPE = "commands";

/** Least privilege: exactly the scopes the calls and listeners above need. */
export function requiredBotScopes(): string[] {
  const scopes = [COMMANDS_SCOPE, ...Object.values(EVENT_SCOPES), ...Object.values(WEB_API_METHODS)].filter(
    (scope): scope is string => scope !== null,
  );
  return [...new Set(scopes)].sort();
}

/** What a created app actually registered, filled in by the listeners' register functions. */
export interface Registrations {
  commands: string[];
  events: string[];
  actions: string[];
}

export function emptyRegistrations(): Registrations {
  return { commands: [], events: [], actions: [] };
}
