import type { CloudAdapter, TurnContext } from "botbuilder";
import { errorSummary } from "../log.ts";
import { shrinkTeamsMessage, type TeamsMessage } from "../render/teams.ts";
import { retryAfterMs } from "../retryAfter.ts";
import { type ClaimedDelivery, DeliveryError, type Sender } from "../schedule/deliver.ts";
import {
  findTeamsConversation,
  type TeamsConversationRecord,
  type TeamsConversationsDb,
} from "../store/teamsConversations.ts";
import { cardActivity } from "./bot.ts";
import type { TeamsSettings } from "./config.ts";
import type { TeamsPacer } from "./pacing.ts";
import { conversationReferenceOf } from "./references.ts";
import { withinTimeout } from "./timeout.ts";

/**
 * Scheduled digests and alerts into Teams conversations: the outbox's sender for platform "teams",
 * through the stored conversation reference and continueConversationAsync. One attempt per call
 * (the outbox retries, with backoff or after Retry-After), every failure judged.
 */

/** The Bot Connector's answers no retry will change, in words a person can act on. */
const PERMANENT_ERRORS: Readonly<Record<string, string>> = {
  BotNotInConversationRoster:
    "Longtail was removed from this Teams conversation — add the app back, then set this up again",
  BotDisabledByAdmin:
    "a Teams admin turned off the Longtail app for this organization — ask them to allow it again",
  ConversationBlockedByUser: "the person blocked Longtail in this chat — unblock it, then set this up again",
  ConversationNotFound: "the Teams conversation no longer exists — set this up again where it should go",
};

const NOT_STORED =
  "Longtail no longer knows this Teams conversation (the app was removed) — add the app back, then set this up again";
const TOO_LARGE = "the message is larger than Teams accepts even without its chart and details";

/** Shorter than the outbox lease, so a live sender never loses its claim mid-send. */
const SEND_TIMEOUT_MS = 10_000;

/** Longer waits than this are not slept through: the message goes back to the outbox for later. */
const MAX_PACING_WAIT_MS = 5_000;

export interface TeamsSenderDeps {
  adapter: CloudAdapter;
  settings: TeamsSettings;
  prisma: TeamsConversationsDb;
  pacer: TeamsPacer;
  sleep: (ms: number) => Promise<void>;
  /** The pacer's clock, in ms. */
  now?: () => number;
  /** How long one send may take before it counts as failed (transient); 10 s otherwise. */
  sendTimeoutMs?: number;
}

/** Posts a claimed outbox row's Adaptive Card to its Teams conversation. */
export function teamsSender(deps: TeamsSenderDeps): Sender {
  const now = deps.now ?? Date.now;
  return async (delivery: ClaimedDelivery) => {
    const record = await findTeamsConversation(deps.prisma, delivery.workspaceId, delivery.channelId);
    if (!record) throw new DeliveryError("permanent", NOT_STORED);
    await waitForTurn(deps, record, now);
    let message: TeamsMessage | null = delivery.payload as TeamsMessage;
    while (message) {
      try {
        await sentWithin(post(deps, record, message), deps.sendTimeoutMs ?? SEND_TIMEOUT_MS);
        return;
      } catch (error) {
        if (error instanceof DeliveryError) throw error;
        if (statusOf(error) !== 413) throw deliveryErrorOf(error);
        message = shrinkTeamsMessage(message);
      }
    }
    throw new DeliveryError("permanent", TOO_LARGE);
  };
}

/** Within Teams' per-conversation and per-tenant limits: a short wait here, a long one in the outbox. */
async function waitForTurn(deps: TeamsSenderDeps, record: TeamsConversationRecord, now: () => number) {
  const { pacer } = deps;
  pacer.forgetIdle(now());
  const wait = pacer.waitFor(record.conversationId, record.tenantId, now());
  if (wait > MAX_PACING_WAIT_MS)
    throw new DeliveryError(
      "rateLimited",
      `Teams pacing: this conversation's limit is reached for ${Math.ceil(wait / 1000)} s`,
      wait,
    );
  if (wait > 0) await deps.sleep(wait);
  pacer.sent(record.conversationId, record.tenantId, now());
}

/**
 * One send through continueConversationAsync. Its failure is carried out of the turn by hand: a
 * turn that throws would reach the adapter's onTurnError, which apologises into the conversation.
 */
async function post(deps: TeamsSenderDeps, record: TeamsConversationRecord, message: TeamsMessage) {
  let failure: { error: unknown } | undefined;
  await deps.adapter.continueConversationAsync(
    deps.settings.appId,
    conversationReferenceOf(record),
    async (context) => {
      withoutClientRetries(deps.adapter, context);
      try {
        await context.sendActivity(cardActivity(message));
      } catch (error) {
        failure = { error };
      }
    },
  );
  if (failure) throw failure.error;
}

/**
 * The send, or a transient failure once it took too long. (If Teams accepted it meanwhile, the
 * retry posts it twice: the same window the Slack sender has.)
 */
function sentWithin(send: Promise<void>, timeoutMs: number): Promise<void> {
  return withinTimeout(
    send,
    timeoutMs,
    () => new DeliveryError("transient", `Teams did not answer within ${timeoutMs / 1000} s`),
  );
}

/** The part of a ConnectorClient this module reaches into: its @azure/core-rest-pipeline pipeline. */
interface PipelineHolder {
  client?: { pipeline?: { removePolicy(options: { phase: "Retry" }): unknown } };
}

/**
 * The Bot Connector client retries 429s (sleeping through Retry-After) and 5xx answers itself,
 * up to 3 times, inside one send. For scheduled posts the outbox does that, under its lease and
 * pacing: the client's retry policy is taken out of this turn's client.
 */
function withoutClientRetries(adapter: CloudAdapter, context: TurnContext): void {
  const connector = context.turnState.get(adapter.ConnectorClientKey) as PipelineHolder | undefined;
  connector?.client?.pipeline?.removePolicy({ phase: "Retry" });
}

/** The HTTP status and Bot Connector error code of a failed call (botbuilder's RestError). */
interface ConnectorFailure {
  statusCode?: number;
  code?: string;
  response?: { headers?: { get(name: string): string | undefined } };
}

function statusOf(error: unknown): number | undefined {
  return typeof error === "object" && error !== null ? (error as ConnectorFailure).statusCode : undefined;
}

/** A failed Bot Connector call, judged for the outbox. */
export function deliveryErrorOf(error: unknown): DeliveryError {
  const failure = (typeof error === "object" && error !== null ? error : {}) as ConnectorFailure;
  const status = failure.statusCode;
  const code = typeof failure.code === "string" ? failure.code : undefined;
  if (status === 429) {
    const waitMs = retryAfterMs(failure.response?.headers?.get("retry-after")) ?? undefined;
    return new DeliveryError(
      "rateLimited",
      `Teams rate limit: asked to wait ${waitMs === undefined ? "a while" : `${Math.ceil(waitMs / 1000)} s`}`,
      waitMs,
    );
  }
  const permanent = code === undefined ? undefined : PERMANENT_ERRORS[code];
  if (permanent && (status === 403 || status === 404)) return new DeliveryError("permanent", permanent);
  // 412, 502, 503, 504 and anything unforeseen: the outbox tries again with backoff, then gives up.
  if (status !== undefined)
    return new DeliveryError("transient", `Teams answered ${status}${code ? ` ${code}` : ""}`);
  return new DeliveryError("transient", `Teams could not be reached: ${errorSummary(error).message}`);
}
