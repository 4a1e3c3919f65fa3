import type { Authorize, AuthorizeResult, AuthorizeSourceData, webApi } from "@slack/bolt";
import { errorSummary, log } from "../log.ts";
import { type InstallTarget, NotInstalledError, type PrismaInstallationStore } from "./installationStore.ts";

/**
 * Who a request is answered for. Bolt calls `authorize` before any middleware; ours also names
 * the Longtail workspace the Slack team maps to, or why the request is refused.
 */
export interface LongtailContext {
  /** The workspace every query of this request is scoped to. */
  workspaceSlug?: string;
  /** The Slack team's name when known, for a workspace created on first use. */
  teamName?: string;
  /** Set when the request must not run: what to tell the person who sent it. */
  refusal?: string;
  // biome-ignore lint/suspicious/noExplicitAny: Bolt's context is a string-indexed record
  [key: string]: any;
}

export const NOT_INSTALLED_MESSAGE =
  "Longtail isn't installed in this Slack workspace, so I can't answer here. " +
  "Ask a Slack admin to add it from the Longtail server's install page (/slack/install).";
export const OTHER_TEAM_MESSAGE =
  "This Longtail is connected to another Slack workspace, so I can't answer here.";
export const AUTH_UNAVAILABLE_MESSAGE =
  "I couldn't check this Slack workspace's connection just now. Please try again in a minute.";

type Source = AuthorizeSourceData<boolean>;

function refused(source: Source, refusal: string): AuthorizeResult {
  return { teamId: source.teamId, enterpriseId: source.enterpriseId, refusal };
}

interface BotIdentity {
  botId: string;
  botUserId: string;
  teamId: string | undefined;
  teamName: string | undefined;
  enterpriseId: string | undefined;
}

/**
 * One workspace with a bot token. The token's identity comes from `auth.test`, asked on the
 * first request (never in a constructor, where a failure would take the process down) and
 * kept; a failed check is asked again next time.
 */
export function singleWorkspaceAuthorize(
  client: webApi.WebClient,
  botToken: string,
  workspaceSlug: string,
): Authorize<boolean> {
  let identity: Promise<BotIdentity> | undefined;
  const identify = async (): Promise<BotIdentity> => {
    const result = await client.auth.test({ token: botToken });
    if (!result.bot_id || !result.user_id) throw new Error("auth.test did not describe a bot token");
    return {
      botId: result.bot_id,
      botUserId: result.user_id,
      teamId: result.team_id,
      teamName: result.team,
      enterpriseId: result.enterprise_id || undefined,
    };
  };
  return async (source) => {
    identity ??= identify();
    let bot: BotIdentity;
    try {
      bot = await identity;
    } catch (error) {
      identity = undefined;
      log.error({ err: errorSummary(error) }, "Slack auth.test failed for SLACK_BOT_TOKEN");
      return refused(source, AUTH_UNAVAILABLE_MESSAGE);
    }
    if (!belongsTo(source, bot)) {
      log.warn(
        { teamId: source.teamId, enterpriseId: source.enterpriseId },
        "Slack request from another team refused",
      );
      return refused(source, OTHER_TEAM_MESSAGE);
    }
    return {
      botToken,
      botId: bot.botId,
      botUserId: bot.botUserId,
      teamId: source.teamId ?? bot.teamId,
      enterpriseId: source.enterpriseId ?? bot.enterpriseId,
      workspaceSlug,
      teamName: bot.teamName,
    };
  };
}

function belongsTo(source: Source, bot: BotIdentity): boolean {
  if (source.teamId !== undefined && source.teamId === bot.teamId) return true;
  return source.enterpriseId !== undefined && source.enterpriseId === bot.enterpriseId;
}

/** Many workspaces through OAuth: the team's stored installation holds its token and workspace. */
export function installedWorkspaceAuthorize(installations: PrismaInstallationStore): Authorize<boolean> {
  return async (source) => {
    const target: InstallTarget = {
      teamId: source.teamId,
      enterpriseId: source.enterpriseId,
      isEnterpriseInstall: source.isEnterpriseInstall,
    };
    try {
      const { installation, workspaceSlug } = await installations.open(target);
      const bot = installation.bot;
      if (!bot) return refused(source, NOT_INSTALLED_MESSAGE);
      return {
        botToken: bot.token,
        botId: bot.id,
        botUserId: bot.userId,
        teamId: source.teamId ?? installation.team?.id,
        enterpriseId: source.enterpriseId ?? installation.enterprise?.id,
        workspaceSlug,
        teamName: installation.team?.name ?? installation.enterprise?.name,
      };
    } catch (error) {
      if (error instanceof NotInstalledError) {
        log.warn(
          { installKey: error.installKey },
          "Slack request from a team without an installation refused",
        );
        return refused(source, NOT_INSTALLED_MESSAGE);
      }
      log.error({ err: errorSummary(error) }, "Slack installation lookup failed");
      return refused(source, AUTH_UNAVAILABLE_MESSAGE);
    }
  };
}
