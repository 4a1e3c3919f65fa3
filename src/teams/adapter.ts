import { randomBytes } from "node:crypto";
import {
  type Activity,
  CloudAdapter,
  ConfigurationBotFrameworkAuthentication,
  type ConfigurationBotFrameworkAuthenticationOptions,
  type TurnContext,
} from "botbuilder";
import {
  type AuthenticateRequestResult,
  AuthenticationError,
  type ServiceClientCredentialsFactory,
} from "botframework-connector";
import { errorSummary, log } from "../log.ts";
import type { TeamsSettings } from "./config.ts";
import { withinTimeout } from "./timeout.ts";

export interface TeamsAdapterOptions {
  /**
   * How the bot gets its own token to call the Bot Connector; botbuilder's default (from the
   * app id and password or certificate) otherwise. Tests pass one with a fake token.
   */
  credentialsFactory?: ServiceClientCredentialsFactory;
}

/** Shown in Teams when a turn failed on our side; the details go to the log only. */
export const TURN_FAILED = "Something went wrong on my side. Please try again in a minute.";

/**
 * The longest one reply of a turn may take. The Bot Connector client retries a 5xx and a 429 (after
 * its Retry-After) itself within this time, but sets no timeout: a connector that never answers
 * would hold the turn, and the request from Teams, for ever.
 */
const REPLY_TIMEOUT_MS = 10_000;

/** The errors jsonwebtoken throws for a token that does not verify. */
const TOKEN_ERRORS = new Set(["JsonWebTokenError", "TokenExpiredError", "NotBeforeError"]);

/**
 * botbuilder's authentication, with one gap closed: a token signed with a listed key id but the
 * wrong key (or expired) fails in jsonwebtoken, whose error botbuilder passes on as it is, and
 * CloudAdapter answers 500 to anything but an AuthenticationError. Here it is a 401 like the rest.
 */
class TokenCheckedAuthentication extends ConfigurationBotFrameworkAuthentication {
  override async authenticateRequest(
    activity: Activity,
    authHeader: string,
  ): Promise<AuthenticateRequestResult> {
    try {
      return await super.authenticateRequest(activity, authHeader);
    } catch (error) {
      if (error instanceof Error && TOKEN_ERRORS.has(error.name))
        throw new AuthenticationError(`Unauthorized: ${error.message}`, 401);
      throw error;
    }
  }
}

/**
 * botbuilder's CloudAdapter with ConfigurationBotFrameworkAuthentication: with an app id, every
 * inbound request's token is validated (never disabled); without one (local mode) nothing is.
 */
export function createTeamsAdapter(settings: TeamsSettings, options: TeamsAdapterOptions = {}): CloudAdapter {
  const authentication = new TokenCheckedAuthentication(
    settings.botFramework as ConfigurationBotFrameworkAuthenticationOptions,
    options.credentialsFactory,
  );
  const adapter = new CloudAdapter(authentication);
  adapter.use(async (context, next) => {
    context.onSendActivities((_context, _activities, send) =>
      withinTimeout(
        send(),
        REPLY_TIMEOUT_MS,
        () => new Error(`no answer within ${REPLY_TIMEOUT_MS / 1000} s`),
      ),
    );
    await next();
  });
  adapter.onTurnError = answerTurnFailure;
  return adapter;
}

/**
 * A turn that failed (an answer the Bot Connector refused or never took, a bug) is logged with a
 * reference, and the person told so if the connector takes that; nothing is thrown back into
 * botbuilder, which would answer Teams 500 with the error's message.
 */
async function answerTurnFailure(context: TurnContext, error: Error): Promise<void> {
  const reference = randomBytes(4).toString("hex");
  log.error({ err: errorSummary(error), activity: context.activity.type, reference }, "Teams turn failed");
  try {
    await context.sendActivity(TURN_FAILED);
  } catch (apologyError) {
    log.warn({ err: errorSummary(apologyError), reference }, "Teams: could not say the turn failed either");
  }
}
