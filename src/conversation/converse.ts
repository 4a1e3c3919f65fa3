/**
 * The platform-neutral conversation core: text in → parse → a question (insights) or a
 * subscription / alert command (schedule) → a view model out, for exactly one workspace. Every
 * platform (Slack, Teams, the playground) calls `ask`; the CLI and the scheduler use the same
 * InsightContext factory (workspace.ts). Failures never escape: they come back as a message
 * with a reference id that the log line carries too.
 *
 * API:
 * - `createConversation(store)` → `Conversation` with
 *   - `ask(asked)`: `Asked` = { text, workspace: WorkspaceClaim, channel?, user?, now, whenDelayed? }
 *     → ViewModel. An answer not done after `delayNoticeMs` (3 s) first sends ANSWER_COMING through
 *     `whenDelayed`; a full backlog answers TOO_BUSY at once.
 *   - `home(workspace, platform, now)`: the home screen (HomeView) of a workspace on a platform.
 *   - `answers`: the answer queue, for other work that must take its turn with the answers.
 * - `failureMessage(error, details)`: the reference-id message for failures outside `ask`.
 */
import { randomBytes, randomUUID } from "node:crypto";
import type { CollectorSource } from "../collect/schedule.ts";
import { handleTrackIntent, isTrackIntent } from "../collect/scheduleTracking.ts";
import { parseCommand } from "../commands/parse.ts";
import { answer, isQuestion } from "../insights/answer.ts";
import { homeView } from "../insights/home.ts";
import type { HomeView, MessageView, ViewModel } from "../insights/viewModels.ts";
import { errorSummary, log } from "../log.ts";
import { countedAnswer } from "../ops/metrics.ts";
import { handleScheduleIntent, type ScheduleIntent } from "../schedule/channelSettings.ts";
import type { Store } from "../store/database.ts";
import {
  type AnswerQueue,
  AnswerQueueFullError,
  type AnswerQueueOptions,
  answerQueue,
  EMBEDDED_ANSWERS,
  SERVER_ANSWERS,
} from "./answerQueue.ts";
import { forAnswering, insightContextFor, type WorkspaceClaim } from "./workspace.ts";

export type Platform = "slack" | "teams";

/** What the core needs of the store: its client, and whether it is the embedded one. */
export type ConversationStore = Pick<Store, "prisma" | "kind" | "reads">;

/** The conversation a question was asked in: digests and alerts set from it are delivered there. */
export interface AskedChannel {
  platform: Platform;
  id: string;
  /** What the platform needs to post there later unasked (Teams: the conversation reference). */
  conversation?: unknown;
}

export interface Asker {
  id: string;
  /** The person's IANA time zone, when the platform can tell (asked only for `subscribe`). */
  timezone?: () => Promise<string | undefined>;
}

export interface Asked {
  /** The question in the chat language, without the platform's mention of the bot. */
  text: string;
  workspace: WorkspaceClaim;
  /** Absent in a place without a channel (a platform's personal surface). */
  channel?: AskedChannel;
  user?: Asker;
  now: Date;
  /**
   * Sends a notice where the answer will go (Slack: the response_url or the thread; Teams: the
   * turn's reply), for an answer that has not finished after a few seconds. The answer itself
   * is returned only after the notice was sent, so it is never overtaken.
   */
  whenDelayed?: (notice: MessageView) => Promise<void>;
}

export interface Conversation {
  ask(asked: Asked): Promise<ViewModel>;
  home(workspace: WorkspaceClaim, platform: Platform, now: Date): Promise<HomeView>;
  answers: AnswerQueue;
}

/** After this long without an answer the asker hears that it is coming. */
export const DELAY_NOTICE_MS = 3000;

export const ANSWER_COMING: MessageView = {
  kind: "message",
  tone: "info",
  title: "Busy, your answer is coming",
  lines: ["Many questions came in at once; yours is in line and the answer follows here."],
};

export const TOO_BUSY: MessageView = {
  kind: "message",
  tone: "info",
  title: "Too busy right now",
  lines: ["Too many questions are waiting already. Please ask again in a minute."],
};

export interface ConversationOptions {
  /** Defaults: one answer at a time on the embedded store, one per core on PostgreSQL. */
  queue?: AnswerQueueOptions;
  delayNoticeMs?: number;
  /** Where `track` finds each platform's collector; without it, `track` answers that none is connected. */
  collectors?: CollectorSource;
}

/** The core over one store; answers are computed in turn (see answerQueue.ts). */
export function createConversation(
  store: ConversationStore,
  options: ConversationOptions = {},
): Conversation {
  const answers = answerQueue(options.queue ?? (store.kind === "pglite" ? EMBEDDED_ANSWERS : SERVER_ANSWERS));
  const delayNoticeMs = options.delayNoticeMs ?? DELAY_NOTICE_MS;
  const tracking: Tracking = {
    collectors: options.collectors ?? null,
    owner: `conversation-${randomUUID()}`,
  };
  return {
    answers,
    async ask(asked) {
      const notice = delayNotice(asked, delayNoticeMs);
      try {
        return countedAnswer(await answers.run(() => askNow(store, asked, tracking)), "answered");
      } catch (error) {
        if (error instanceof AnswerQueueFullError) return countedAnswer(TOO_BUSY, "busy");
        return countedAnswer(failureMessage(error, { workspace: asked.workspace.slug }), "failed");
      } finally {
        await notice.settle();
      }
    },
    async home(claim, platform, now) {
      return answers.run(async () =>
        homeView(forAnswering(await insightContextFor(store.prisma, claim), store), platform, now),
      );
    },
  };
}

/** What `track` collects with, and the name of this process's claims while it does. */
interface Tracking {
  collectors: CollectorSource | null;
  owner: string;
}

async function askNow(store: ConversationStore, asked: Asked, tracking: Tracking): Promise<ViewModel> {
  const intent = parseCommand(asked.text);
  const ctx = await insightContextFor(store.prisma, asked.workspace);
  if (isQuestion(intent)) return answer(forAnswering(ctx, store), intent, asked.now);
  if (isTrackIntent(intent)) {
    const deps = tracking.collectors ? { store, collectors: tracking.collectors } : null;
    const request = { userId: asked.user?.id ?? null, owner: tracking.owner };
    return handleTrackIntent(deps, ctx, intent, request, asked.now);
  }
  if (!asked.channel) {
    return {
      kind: "message",
      tone: "info",
      title: "Ask that in a channel",
      lines: ["Subscriptions and alert settings belong to a channel: type it there."],
    };
  }
  const channel = {
    platform: asked.channel.platform,
    channelId: asked.channel.id,
    conversation: asked.channel.conversation,
    userId: asked.user?.id,
    userTimezone: await timezoneFor(intent, asked.user),
  };
  return handleScheduleIntent(ctx, intent, channel, asked.now);
}

/** ANSWER_COMING through `whenDelayed` once `ms` pass; `settle` cancels it or waits until it was sent. */
function delayNotice(asked: Asked, ms: number): { settle(): Promise<void> } {
  const send = asked.whenDelayed;
  if (!send) return { settle: async () => {} };
  let sending: Promise<void> | undefined;
  const timer = setTimeout(() => {
    sending = send(ANSWER_COMING).catch((error: unknown) => {
      log.warn(
        { err: errorSummary(error), workspace: asked.workspace.slug },
        "The busy notice was not delivered",
      );
    });
  }, ms);
  return {
    async settle() {
      clearTimeout(timer);
      await sending;
    },
  };
}

function timezoneFor(intent: ScheduleIntent, user: Asker | undefined): Promise<string | undefined> {
  return intent.kind === "subscribe" && user?.timezone ? user.timezone() : Promise.resolve(undefined);
}

/** What the person sees when something broke on our side: no stack trace, a reference for the log. */
export function failureMessage(error: unknown, details: Record<string, unknown> = {}): MessageView {
  const reference = randomBytes(4).toString("hex");
  log.error({ err: errorSummary(error), reference, ...details }, "Answer failed");
  return {
    kind: "message",
    tone: "error",
    title: "Something went wrong on my side",
    lines: ["I couldn't answer that just now. Please try again in a minute."],
    reference,
  };
}
