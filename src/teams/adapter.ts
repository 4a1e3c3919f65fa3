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

export interface TeamsAdapterOptions {
  /**
   * How the bot gets its own token to call the Bot Connector; botbuilder's default (from the
   * app id and password or certificate) otherwise. Tests pass one with a fake token.
   */
  credentialsFactory?: ServiceClientCredentialsFactory;
}

/** Shown in Teams when a turn failed on our side; the details go to the log only. */
export const TURN_FAILED = "Something went wrong on my side. Please try again in a minute.";

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
  adapter.onTurnError = async (context: TurnContext, error: Error) => {
    log.error({ err: errorSummary(error), activity: context.activity.type }, "Teams turn failed");
    await context.sendActivity(TURN_FAILED);
  };
  return adapter;
}
