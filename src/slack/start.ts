import type { Server } from "node:http";
import type { AddressInfo } from "node:net";
import { webApi } from "@slack/bolt";
import { type Config, ConfigError, slackSettings } from "../config.ts";
import { log } from "../log.ts";
import type { Store } from "../store/database.ts";
import { createSlackApp, EVENTS_PATH } from "./app.ts";
import type { LongtailApp } from "./deps.ts";
import { errorSummary, platformError } from "./errors.ts";
import { INSTALL_PATH, OAUTH_REDIRECT_PATH } from "./install.ts";

export interface RunningSlack {
  app: LongtailApp;
  /** Where the HTTP endpoints listen (Socket Mode: null unless OAuth routes are served). */
  url: string | null;
  stop(): Promise<void>;
}

/**
 * Starts the Slack app and logs where it listens (never a secret). With a bot token, the token is
 * checked first: a token Slack rejects stops the start with a clear message; Slack being
 * unreachable only warns, and the app retries on the first request.
 */
export async function startSlack(config: Config, store: Store, now?: () => Date): Promise<RunningSlack> {
  const settings = slackSettings(config);
  if (!settings) throw new ConfigError("Slack is not configured: see manifests/slack/README.md.");
  if (settings.mode === "single") await checkBotToken(settings.botToken, settings.apiUrl);
  const app = createSlackApp({ config, store, now });
  if (settings.appToken) {
    await app.start();
    log.info(
      {
        mode: settings.mode,
        transport: "socket",
        ...(settings.mode === "oauth" ? { installPort: settings.port } : {}),
      },
      settings.mode === "oauth"
        ? `Slack app connected over Socket Mode; install page on port ${settings.port}${INSTALL_PATH}`
        : "Slack app connected over Socket Mode",
    );
    return { app, url: null, stop: () => stopApp(app) };
  }
  const server = (await app.start({ port: settings.port, host: settings.host })) as Server;
  const address = server.address() as AddressInfo;
  const url = `http://${address.address.includes(":") ? `[${address.address}]` : address.address}:${address.port}`;
  log.info(
    {
      mode: settings.mode,
      transport: "http",
      events: `${url}${EVENTS_PATH}`,
      ...(settings.mode === "oauth"
        ? { install: `${url}${INSTALL_PATH}`, oauthRedirect: `${url}${OAUTH_REDIRECT_PATH}` }
        : {}),
    },
    `Slack app listening on ${url}${EVENTS_PATH}`,
  );
  return { app, url, stop: () => stopApp(app) };
}

async function checkBotToken(botToken: string, apiUrl: string | undefined): Promise<void> {
  const client = new webApi.WebClient(botToken, {
    ...(apiUrl ? { slackApiUrl: apiUrl } : {}),
    retryConfig: { retries: 1 },
    timeout: 10_000,
  });
  try {
    const result = await client.auth.test();
    log.info(
      { team: result.team, teamId: result.team_id, botUserId: result.user_id },
      "Slack bot token accepted",
    );
  } catch (error) {
    const code = platformError(error);
    if (
      code === "invalid_auth" ||
      code === "not_authed" ||
      code === "account_inactive" ||
      code === "token_revoked"
    ) {
      throw new ConfigError(
        `SLACK_BOT_TOKEN was refused by Slack (${code}): copy the Bot User OAuth Token again from your app's OAuth & Permissions page.`,
      );
    }
    log.warn(
      { err: errorSummary(error) },
      "Slack could not be reached to check SLACK_BOT_TOKEN; starting anyway",
    );
  }
}

async function stopApp(app: LongtailApp): Promise<void> {
  await app.stop();
}
