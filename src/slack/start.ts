import type { RequestListener } from "node:http";
import { ErrorCode, webApi } from "@slack/bolt";
import { type Config, ConfigError, type SlackSettings, slackSettings } from "../config.ts";
import type { Conversation, ConversationStore } from "../conversation/converse.ts";
import { errorSummary, log } from "../log.ts";
import { type Handler, type Route, sendText } from "../server/http.ts";
import type { InFlight } from "../server/shutdown.ts";
import { createSlackApp, EVENTS_PATH, slackHttpListener, slackSocketModeRoutes } from "./app.ts";
import type { LongtailApp } from "./deps.ts";
import { platformError } from "./errors.ts";
import { INSTALL_PATH } from "./install.ts";

export interface PreparedSlack {
  app: LongtailApp;
  /** Slack's HTTP endpoints, to mount in the shared server (in Socket Mode only the OAuth install pages). */
  routes: Route[];
  /** Connects Socket Mode. */
  start(): Promise<void>;
  stop(): Promise<void>;
}

export interface PrepareOptions {
  now?: () => Date;
  /** The process's one conversation core, shared with Teams. */
  conversation?: Conversation;
  /** Every request's listeners run under it, for a graceful stop to wait for their answers. */
  inFlight?: InFlight;
}

/**
 * Builds the Slack app for the shared server (never a secret in the logs). With a bot token,
 * the token is checked first: a token Slack rejects stops the start with a clear message; Slack
 * being unreachable only warns, and the app retries on the first request.
 */
export async function prepareSlack(
  config: Config,
  store: ConversationStore,
  options: PrepareOptions = {},
): Promise<PreparedSlack> {
  const settings = slackSettings(config);
  if (!settings) throw new ConfigError("Slack is not configured: see manifests/slack/README.md.");
  if (settings.mode === "single") await checkBotToken(settings.botToken, settings.apiUrl);
  const app = createSlackApp({ config, store, now: options.now, conversation: options.conversation });
  const { inFlight } = options;
  // Bolt acks first and then runs the listeners; the answer they owe is awaited here.
  if (inFlight) app.use(({ next }) => inFlight.track(next()));
  const listener = slackHttpListener(app);
  if (!listener) {
    return {
      app,
      // Bolt's install page and OAuth redirect are both GET pages.
      routes: slackSocketModeRoutes(app).map((route) => ({
        method: "GET",
        path: route.path,
        handle: (req, res) => route.handler(Object.assign(req, { params: {} }), res),
      })),
      start: async () => {
        await app.start();
        log.info({ mode: settings.mode, transport: "socket" }, socketModeMessage(settings));
      },
      stop: async () => {
        await app.stop();
      },
    };
  }
  return {
    app,
    routes: [{ method: "ANY", path: "/slack/", handle: slackHandler(listener) }],
    start: async () => {
      log.info({ mode: settings.mode, transport: "http" }, `Slack app answering on ${EVENTS_PATH}`);
    },
    stop: async () => {},
  };
}

function socketModeMessage(settings: SlackSettings): string {
  return settings.mode === "oauth"
    ? `Slack app connected over Socket Mode; install page on port ${settings.port}${INSTALL_PATH}`
    : "Slack app connected over Socket Mode";
}

/** Bolt answers its own paths (events, install, OAuth redirect); any other /slack/ path is a 404. */
function slackHandler(listener: RequestListener): Handler {
  return (req, res) => {
    try {
      listener(req, res);
    } catch (error) {
      if ((error as { code?: string }).code !== ErrorCode.HTTPReceiverDeferredRequestError) throw error;
      sendText(res, 404, "Not found.\n");
    }
  };
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
