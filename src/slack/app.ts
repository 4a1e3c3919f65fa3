import type { RequestListener } from "node:http";
import {
  App,
  type Authorize,
  type CustomRoute,
  HTTPReceiver,
  type Logger,
  type Receiver,
  SocketModeReceiver,
  webApi,
} from "@slack/bolt";
import { type Config, ConfigError, type SlackSettings, slackSettings } from "../config.ts";
import { type Conversation, type ConversationStore, createConversation } from "../conversation/converse.ts";
import { log } from "../log.ts";
import { removeSlackWorkspace } from "../store/slackInstallations.ts";
import { installedWorkspaceAuthorize, type LongtailContext, singleWorkspaceAuthorize } from "./authorize.ts";
import { boltLogger } from "./boltLogger.ts";
import type { LongtailApp, SlackDeps } from "./deps.ts";
import { installRoutes } from "./install.ts";
import { type InstallTarget, installKeyOf, PrismaInstallationStore } from "./installationStore.ts";
import { REMOVED_FROM_SLACK } from "./listeners/events/forgetRemovedTeam.ts";
import { registerListeners } from "./listeners/index.ts";
import { refuseUnmappedTeams } from "./refusal.ts";
import { emptyRegistrations, type Registrations } from "./registry.ts";
import { refuseMalformedBodies } from "./safeReceiver.ts";
import { timedFetch } from "./timedFetch.ts";
import { reportUnhandledError } from "./unhandled.ts";

export const EVENTS_PATH = "/slack/events";
/** An interactive answer is worth a quick retry or two, not the client's default half hour of them. */
const DEFAULT_RETRY: webApi.RetryOptions = { retries: 2, factor: 2, minTimeout: 250, maxTimeout: 1000 };
const WEB_API_TIMEOUT_MS = 10_000;

export interface SlackAppOptions {
  config: Config;
  /** The store answers come from; its Prisma client also holds OAuth installations. */
  store: ConversationStore;
  /** The conversation core shared with the other platforms of this process; one over `store` otherwise. */
  conversation?: Conversation;
  /** The clock answers are computed as of. */
  now?: () => Date;
  /** Web API client tuning, e.g. `{ retryConfig: { retries: 0 } }` against a test double. */
  clientOptions?: Pick<webApi.WebClientOptions, "retryConfig" | "timeout">;
}

const registrationsByApp = new WeakMap<LongtailApp, Registrations>();
const httpListenerByApp = new WeakMap<LongtailApp, RequestListener>();
const socketModeRoutesByApp = new WeakMap<LongtailApp, CustomRoute[]>();

/**
 * The Bolt app: HTTP (POST /slack/events for commands, events and interactivity; GET
 * /slack/install and /slack/oauth_redirect with OAuth) or Socket Mode when SLACK_APP_TOKEN is
 * set. Every request is authorized to exactly one Longtail workspace before any listener runs;
 * nothing calls Slack while the app is being built.
 */
export function createSlackApp(options: SlackAppOptions): LongtailApp {
  const settings = slackSettings(options.config);
  if (!settings) {
    throw new ConfigError(
      "Slack is not configured: set SLACK_SIGNING_SECRET and SLACK_BOT_TOKEN, or the OAuth variables (see manifests/slack/README.md).",
    );
  }
  const logger = boltLogger();
  const clientOptions = webClientOptions(settings, options, logger);
  const { authorize, routes } =
    settings.mode === "single"
      ? {
          authorize: singleWorkspaceAuthorize(
            new webApi.WebClient(undefined, { ...clientOptions }),
            settings.botToken,
            settings.workspaceSlug,
          ),
          routes: [],
        }
      : installedWorkspaces(settings, options.store, clientOptions, logger);
  const receiver = createReceiver(settings, settings.appToken ? [] : routes, clientOptions, logger);
  const app: LongtailApp = new App<LongtailContext>({
    receiver,
    logger,
    clientOptions: { ...clientOptions },
    convoStore: false,
    extendedErrorHandler: true,
    authorize,
  });
  const deps: SlackDeps = {
    conversation: options.conversation ?? createConversation(options.store),
    now: options.now ?? (() => new Date()),
    chartHost: options.config.QUICKCHART_HOST,
    removeTeam: (team) =>
      removeSlackWorkspace(options.store.prisma, removedFrom(settings, team), REMOVED_FROM_SLACK),
  };
  const registrations = emptyRegistrations();
  app.use(refuseUnmappedTeams);
  registerListeners(app, deps, registrations);
  app.error(reportUnhandledError);
  registrationsByApp.set(app, registrations);
  if (receiver instanceof HTTPReceiver) httpListenerByApp.set(app, receiver.requestListener);
  else socketModeRoutesByApp.set(app, routes);
  return app;
}

/** The team's installation; with one workspace configured, that workspace. */
function removedFrom(settings: SlackSettings, team: InstallTarget) {
  return settings.mode === "single"
    ? { workspaceSlug: settings.workspaceSlug }
    : { installKey: installKeyOf(team) };
}

/** The HTTP receiver's listener, to mount in the shared server (src/server/); null in Socket Mode. */
export function slackHttpListener(app: LongtailApp): RequestListener | null {
  return httpListenerByApp.get(app) ?? null;
}

/**
 * In Socket Mode, the OAuth install pages: served by the shared server (src/server/), so that they
 * and Teams, the playground and health share PORT instead of Bolt opening a second server on it.
 */
export function slackSocketModeRoutes(app: LongtailApp): CustomRoute[] {
  return socketModeRoutesByApp.get(app) ?? [];
}

/** The commands, events and actions an app made by createSlackApp registered. */
export function slackRegistrations(app: LongtailApp): Registrations {
  return registrationsByApp.get(app) ?? emptyRegistrations();
}

/** OAuth: installations sealed in the database, the install routes, and authorization from them. */
function installedWorkspaces(
  settings: Extract<SlackSettings, { mode: "oauth" }>,
  store: ConversationStore,
  clientOptions: webApi.WebClientOptions,
  logger: Logger,
): { authorize: Authorize<boolean>; routes: CustomRoute[] } {
  const installations = new PrismaInstallationStore(store.prisma, settings.encryptionKey);
  return {
    authorize: installedWorkspaceAuthorize(installations),
    routes: installRoutes(settings, installations, clientOptions, logger),
  };
}

function webClientOptions(
  settings: SlackSettings,
  options: SlackAppOptions,
  logger: Logger,
): webApi.WebClientOptions {
  return {
    ...(settings.apiUrl ? { slackApiUrl: settings.apiUrl } : {}),
    retryConfig: options.clientOptions?.retryConfig ?? DEFAULT_RETRY,
    timeout: options.clientOptions?.timeout ?? WEB_API_TIMEOUT_MS,
    fetch: timedFetch(options.clientOptions?.timeout ?? WEB_API_TIMEOUT_MS),
    logger,
  };
}

/** Socket Mode for development without a public URL; otherwise Slack's signed HTTP requests. */
function createReceiver(
  settings: SlackSettings,
  routes: CustomRoute[],
  clientOptions: webApi.WebClientOptions,
  logger: Logger,
): Receiver {
  if (settings.appToken) {
    log.debug("Slack: Socket Mode");
    return new SocketModeReceiver({
      appToken: settings.appToken,
      logger,
      customRoutes: routes,
      installerOptions: { clientOptions },
    });
  }
  const receiver = new HTTPReceiver({
    signingSecret: settings.signingSecret,
    endpoints: EVENTS_PATH,
    customRoutes: routes,
    logger,
  });
  return refuseMalformedBodies(receiver, EVENTS_PATH, settings.signingSecret);
}
