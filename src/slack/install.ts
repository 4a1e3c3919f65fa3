import type { IncomingMessage, ServerResponse } from "node:http";
import type { CustomRoute, Logger, webApi } from "@slack/bolt";
import { type CallbackOptions, ErrorCode, type Installation, InstallProvider } from "@slack/oauth";
import type { SlackSettings } from "../config.ts";
import { errorSummary, log } from "../log.ts";
import type { PrismaInstallationStore } from "./installationStore.ts";
import { requiredBotScopes } from "./registry.ts";

export const INSTALL_PATH = "/slack/install";
export const OAUTH_REDIRECT_PATH = "/slack/oauth_redirect";

type OAuthSettings = Extract<SlackSettings, { mode: "oauth" }>;

/**
 * "Add to Slack" for many workspaces: GET /slack/install sends the installer to Slack with a
 * signed state (and a cookie binding it to the browser); GET /slack/oauth_redirect checks the
 * state, exchanges the code at oauth.v2.access and stores the installation, sealed.
 */
export function installRoutes(
  settings: OAuthSettings,
  installations: PrismaInstallationStore,
  clientOptions: webApi.WebClientOptions,
  logger: Logger,
): CustomRoute[] {
  const scopes = requiredBotScopes();
  const installer = new InstallProvider({
    clientId: settings.clientId,
    clientSecret: settings.clientSecret,
    stateSecret: settings.stateSecret,
    installationStore: installations,
    installUrlOptions: { scopes },
    clientOptions: {
      slackApiUrl: clientOptions.slackApiUrl,
      retryConfig: clientOptions.retryConfig,
      timeout: clientOptions.timeout,
    },
    logger,
  });
  const callbackOptions: CallbackOptions = { success: installedPage, failure: failedPage };
  return [
    {
      path: INSTALL_PATH,
      method: "GET",
      handler: (request, response) => {
        installer.handleInstallPath(request, response, {}, { scopes }).catch((error) => {
          log.error({ err: errorSummary(error) }, "Slack install page failed");
          sendPage(
            response,
            500,
            "Longtail could not start the installation",
            "Please try again in a minute.",
          );
        });
      },
    },
    {
      path: OAUTH_REDIRECT_PATH,
      method: "GET",
      handler: (request, response) => {
        installer.handleCallback(request, response, callbackOptions).catch((error) => {
          log.error({ err: errorSummary(error) }, "Slack OAuth redirect failed");
          if (!response.headersSent)
            sendPage(response, 500, "Longtail could not finish the installation", "Please try again.");
        });
      },
    },
  ];
}

function installedPage(
  installation: Installation,
  _options: unknown,
  _request: IncomingMessage,
  response: ServerResponse,
) {
  const team = installation.team?.name ?? installation.enterprise?.name ?? "your Slack workspace";
  sendPage(
    response,
    200,
    `Longtail is installed in ${team}`,
    "Back in Slack, try /creator @name, /campaign spring-launch or /longtail help. " +
      "Import your posts with the longtail CLI or the ingest API to see your own numbers.",
  );
}

function failedPage(
  error: { code?: string; message: string },
  _options: unknown,
  _request: IncomingMessage,
  response: ServerResponse,
) {
  log.warn({ err: errorSummary(error) }, "Slack installation did not finish");
  sendPage(response, 400, "Longtail was not installed", installFailureReason(error));
}

export function installFailureReason(error: { code?: string; message: string }): string {
  switch (error.code) {
    case ErrorCode.AuthorizationError:
      return "The installation was cancelled in Slack. Nothing was changed.";
    case ErrorCode.InvalidStateError:
    case ErrorCode.MissingStateError:
      return `This install link expired or was opened in another browser. Start again from ${INSTALL_PATH}.`;
    case ErrorCode.MissingCodeError:
      return `Slack did not send an authorization code. Start again from ${INSTALL_PATH}.`;
    default:
      return `Slack did not accept the installation. Start again from ${INSTALL_PATH}; if it keeps failing, check SLACK_CLIENT_ID and SLACK_CLIENT_SECRET.`;
  }
}

function sendPage(response: ServerResponse, status: number, title: string, text: string): void {
  response.writeHead(status, { "content-type": "text/html; charset=utf-8" });
  response.end(
    `<!doctype html><html><head><meta charset="utf-8"><title>${escapeHtml(title)}</title></head>` +
      `<body style="font-family:sans-serif;max-width:40em;margin:4em auto"><h1>${escapeHtml(title)}</h1>` +
      `<p>${escapeHtml(text)}</p></body></html>`,
  );
}

function escapeHtml(text: string): string {
  return text.replace(
    /[&<>"']/g,
    (character) =>
      ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[character] ?? character,
  );
}
