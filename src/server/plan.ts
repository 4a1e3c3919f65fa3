import { randomBytes } from "node:crypto";
import type { Config } from "../config.ts";
import { isLoopback } from "../teams/config.ts";

/** What the one server serves, and where. */
export interface ServerPlan {
  /** No chat platform configured: the playground over the embedded demo. */
  local: boolean;
  host: string;
  port: number;
  playground: boolean;
  /** Required by the playground's API when it listens beyond this machine. */
  playgroundToken: string | null;
}

/**
 * Local mode listens on loopback unless HOST says otherwise; with a chat platform connected the
 * server listens on 0.0.0.0 (or HOST) and the playground is off unless LONGTAIL_PLAYGROUND=1.
 * Wherever the playground is reachable from other machines, it takes a token printed at start-up.
 */
export function serverPlan(config: Config, chatConfigured: boolean): ServerPlan {
  const local = !chatConfigured;
  const host = config.HOST ?? (local ? "127.0.0.1" : "0.0.0.0");
  const playground = config.LONGTAIL_PLAYGROUND ?? local;
  return {
    local,
    host,
    port: config.PORT,
    playground,
    playgroundToken: playground && !isLoopback(host) ? randomBytes(18).toString("base64url") : null,
  };
}

export interface StartFacts {
  /** Null when nothing is served over HTTP (Slack over Socket Mode alone). */
  url: string | null;
  seconds: number;
  seeded: boolean;
  slack: boolean;
  teams: boolean;
}

/** The playground's address as printed: with the token when one is required. */
export function playgroundAddress(plan: ServerPlan, url: string, path: string): string {
  const shown = url.replace("//0.0.0.0:", "//localhost:").replace("//[::]:", "//localhost:");
  return `${shown}${path}${plan.playgroundToken ? `?token=${plan.playgroundToken}` : ""}`;
}

/** What `npm start` prints once the server is ready (stdout; the logs go to stderr). */
export function startBanner(plan: ServerPlan, facts: StartFacts, playgroundUrl: string | null): string {
  const connected = [facts.slack ? "Slack" : null, facts.teams ? "Teams" : null]
    .filter(Boolean)
    .join(" and ");
  const lines = [
    plan.local
      ? "Longtail is running in local mode: no Slack or Teams credentials are set."
      : `Longtail is running for ${connected} ${facts.url ? `on ${facts.url}` : "over Socket Mode"}.`,
    ...(playgroundUrl ? [`  Playground:    ${playgroundUrl}`] : []),
    ...(plan.playgroundToken
      ? ["                 (the server listens beyond this machine: keep the token to yourself)"]
      : []),
    `  Ready in ${facts.seconds.toFixed(1)} s${facts.seeded ? ", after creating the store and seeding the demo workspace" : ""}.`,
  ];
  if (!facts.slack) {
    lines.push(
      "  Connect Slack: create the app from manifests/slack/manifest.yml, set SLACK_SIGNING_SECRET and",
      "                 SLACK_BOT_TOKEN, then npm start again (step by step: manifests/slack/README.md).",
    );
  }
  if (!facts.teams) lines.push("  Connect Teams: see the README's Teams section.");
  lines.push("  Digest once:   npm run longtail -- digest", "  Stop:          Ctrl-C");
  return lines.join("\n");
}
