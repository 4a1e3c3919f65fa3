import { webApi } from "@slack/bolt";
import { type Config, type SlackSettings, slackSettings } from "../config.ts";
import { errorSummary } from "../log.ts";
import type { SlackMessage } from "../render/slack.ts";
import { type ClaimedDelivery, DeliveryError, type Sender } from "../schedule/deliver.ts";
import type { PayloadRenderer } from "../schedule/plan.ts";
import type { DeliveryPlatform } from "../schedule/wiring.ts";
import { type InstallationsDb, slackInstallationOfWorkspace } from "../store/slackInstallations.ts";
import { boltLogger } from "./boltLogger.ts";
import { platformError } from "./errors.ts";
import { NotInstalledError, PrismaInstallationStore } from "./installationStore.ts";
import { slackReply } from "./reply.ts";

/**
 * Scheduled digests and alerts into Slack channels: the outbox's sender for platform "slack".
 * One attempt per call (the outbox retries, with backoff or after Retry-After), and every
 * failure judged: rate limited, permanent (with a reason the workspace can act on), or transient.
 */

/** Slack's answers that no retry will change, in words a person in the workspace can act on. */
const PERMANENT_ERRORS: Readonly<Record<string, string>> = {
  channel_not_found:
    "the channel was not found: it was deleted, or it is private and the bot is not in it — invite it with /invite @Longtail, then set this up again",
  is_archived: "the channel was archived — unarchive it and set this up again, or use another channel",
  not_in_channel:
    "the bot was removed from the channel — invite it back with /invite @Longtail, then set this up again",
  account_inactive: "the Longtail bot was deactivated in this Slack workspace — reinstall the app",
  token_revoked: "Longtail's access to this Slack workspace was revoked — reinstall the app",
  invalid_auth: "Slack no longer accepts Longtail's token for this workspace — reinstall the app",
  missing_scope:
    "Longtail may not post messages here (the chat:write permission is missing) — reinstall the app",
  team_access_not_granted:
    "Longtail has no access to this workspace of your Enterprise Grid organization — ask an org admin to add it",
};

const NOT_INSTALLED =
  "Longtail is no longer installed in this Slack workspace — reinstall it from the Longtail server's /slack/install page";
const OTHER_WORKSPACE =
  "this Longtail workspace is not the one Longtail's Slack bot token belongs to (LONGTAIL_WORKSPACE)";

/** Message metadata naming the outbox row each scheduled post came from. */
export const DELIVERY_EVENT_TYPE = "longtail_delivery";

/** Shorter than the outbox lease, so a live sender never loses its claim mid-send. */
const SEND_TIMEOUT_MS = 10_000;

/** Slack's part in scheduled delivery: Block Kit payloads always, sent when Slack is configured. */
export function slackDelivery(config: Config, db: InstallationsDb): DeliveryPlatform {
  const settings = slackSettings(config);
  return {
    platform: "slack",
    render: slackPayloadRenderer(config.QUICKCHART_HOST),
    send: settings ? slackSender(settings, db) : null,
  };
}

/**
 * Scheduled posts as Slack messages: Block Kit with the chart as a QuickChart image link. A
 * workspace that keeps its charts private gets its scheduled posts without the chart: uploading
 * the PNG needs a second, non-idempotent call the outbox cannot make exactly once.
 */
export function slackPayloadRenderer(chartHost?: string): PayloadRenderer {
  return (view) => slackReply(view, { chartHost });
}

/** Posts a claimed outbox row's {text, blocks} with chat.postMessage, as the workspace's bot. */
export function slackSender(settings: SlackSettings, prisma: InstallationsDb): Sender {
  const client = new webApi.WebClient(undefined, {
    ...(settings.apiUrl ? { slackApiUrl: settings.apiUrl } : {}),
    rejectRateLimitedCalls: true,
    retryConfig: { retries: 0 },
    timeout: SEND_TIMEOUT_MS,
    logger: boltLogger(),
  });
  const botToken = botTokenOf(settings, prisma);
  return async (delivery: ClaimedDelivery) => {
    const token = await botToken(delivery.workspaceId);
    const message = delivery.payload as SlackMessage;
    try {
      await client.chat.postMessage({
        token,
        channel: delivery.channelId,
        text: message.text,
        blocks: message.blocks,
        // Which outbox row the message is: a duplicate can be told from a second digest.
        metadata: { event_type: DELIVERY_EVENT_TYPE, event_payload: { delivery: delivery.id } },
      });
    } catch (error) {
      throw deliveryErrorOf(error);
    }
  };
}

/**
 * The bot token to post to a workspace with: SLACK_BOT_TOKEN for the one workspace it belongs to,
 * or (OAuth) the token in the workspace's sealed installation. No token: a permanent failure.
 */
function botTokenOf(
  settings: SlackSettings,
  prisma: InstallationsDb,
): (workspaceId: number) => Promise<string> {
  if (settings.mode === "single") {
    return async (workspaceId) => {
      const workspace = await slackInstallationOfWorkspace(prisma, workspaceId);
      if (workspace?.workspaceSlug !== settings.workspaceSlug)
        throw new DeliveryError("permanent", OTHER_WORKSPACE);
      return settings.botToken;
    };
  }
  const installations = new PrismaInstallationStore(prisma, settings.encryptionKey);
  return async (workspaceId) => {
    const installed = (await slackInstallationOfWorkspace(prisma, workspaceId))?.installation;
    if (!installed) throw new DeliveryError("permanent", NOT_INSTALLED);
    try {
      const { installation } = await installations.open({
        teamId: installed.teamId ?? undefined,
        enterpriseId: installed.enterpriseId ?? undefined,
        isEnterpriseInstall: installed.teamId === null,
      });
      const token = installation.bot?.token;
      if (!token) throw new NotInstalledError("a workspace without a bot");
      return token;
    } catch (error) {
      if (error instanceof NotInstalledError) throw new DeliveryError("permanent", NOT_INSTALLED);
      throw error;
    }
  };
}

/** A failed Web API call, judged for the outbox. The message never holds a token. */
export function deliveryErrorOf(error: unknown): DeliveryError {
  const retryAfterSeconds = rateLimitedFor(error);
  if (retryAfterSeconds !== undefined) {
    return new DeliveryError(
      "rateLimited",
      `Slack rate limit: asked to wait ${retryAfterSeconds} s`,
      retryAfterSeconds * 1000,
    );
  }
  const code = platformError(error);
  const permanent = code === undefined ? undefined : PERMANENT_ERRORS[code];
  if (permanent) return new DeliveryError("permanent", permanent);
  return new DeliveryError(
    "transient",
    code ? `Slack refused the message: ${code}` : `Slack: ${errorSummary(error).message}`,
  );
}

/** Retry-After of a 429, in seconds; undefined for any other failure. */
function rateLimitedFor(error: unknown): number | undefined {
  if (!(error instanceof Error) || !("code" in error) || error.code !== webApi.ErrorCode.RateLimitedError)
    return undefined;
  return (error as webApi.WebAPIRateLimitedError).retryAfter;
}
