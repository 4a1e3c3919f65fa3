/**
 * The platform-neutral conversation core: text in → parse → a question (insights) or a
 * subscription / alert command (schedule) → a view model out, for exactly one workspace. Every
 * platform (Slack, Teams, the playground) calls `ask`; the CLI and the scheduler use the same
 * InsightContext factory (workspace.ts). Failures never escape: they come back as a message
 * with a reference id that the log line carries too.
 *
 * API:
 * - `createConversation(store)` → `Conversation` with
 *   - `ask(asked)`: `Asked` = { text, workspace: WorkspaceClaim, channel?, user?, now } → ViewModel.
 *   - `home(workspace, platform, now)`: the home screen (HomeView) of a workspace on a platform.
 *   - `answers`: the answer queue, for other work that must take its turn with the answers.
 * - `failureMessage(error, details)`: the reference-id message for failures outside `ask`.
 */
import { randomBytes } from "node:crypto";
import { parseCommand } from "../commands/parse.ts";
import { answer, isQuestion } from "../insights/answer.ts";
import { homeView } from "../insights/home.ts";
import type { HomeView, MessageView, ViewModel } from "../insights/viewModels.ts";
import { errorSummary, log } from "../log.ts";
import { handleScheduleIntent, type ScheduleIntent } from "../schedule/channelSettings.ts";
import type { Store } from "../store/database.ts";
import { type AnswerQueue, answerQueue, EMBEDDED_ANSWERS, SERVER_ANSWERS } from "./answerQueue.ts";
import { insightContextFor, type WorkspaceClaim } from "./workspace.ts";

export type Platform = "slack" | "teams";

/** What the core needs of the store: its client, and whether it is the embedded one. */
export type ConversationStore = Pick<Store, "prisma" | "kind">;

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
}

export interface Conversation {
  ask(asked: Asked): Promise<ViewModel>;
  home(workspace: WorkspaceClaim, platform: Platform, now: Date): Promise<HomeView>;
  answers: AnswerQueue;
}

/** The core over one store; answers are computed in turn (see answerQueue.ts). */
export function createConversation(store: ConversationStore): Conversation {
  const answers = answerQueue(store.kind === "pglite" ? EMBEDDED_ANSWERS : SERVER_ANSWERS);
  return {
    answers,
    async ask(asked) {
      try {
        return await answers.run(() => askNow(store, asked));
      } catch (error) {
        return failureMessage(error, { workspace: asked.workspace.slug });
      }
    },
    async home(claim, platform, now) {
      return answers.run(async () => homeView(await insightContextFor(store.prisma, claim), platform, now));
    },
  };
}

async function askNow(store: ConversationStore, asked: Asked): Promise<ViewModel> {
  const intent = parseCommand(asked.text);
  const ctx = await insightContextFor(store.prisma, asked.workspace);
  if (isQuestion(intent)) return answer(ctx, intent, asked.now);
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
