import {
  type Activity,
  ActivityHandler,
  type Attachment,
  CardFactory,
  type CloudAdapter,
  type TurnContext,
} from "botbuilder";
import { z } from "zod";
import type { Conversation, ConversationStore } from "../conversation/converse.ts";
import { insightContextFor } from "../conversation/workspace.ts";
import type { InsightContext } from "../insights/context.ts";
import { log } from "../log.ts";
import { CARD_ACTION, renderTeams, type TeamsMessage, teamsChartOption } from "../render/teams.ts";
import { deleteTeamsConversation, saveTeamsConversation } from "../store/teamsConversations.ts";
import type { TeamsSettings } from "./config.ts";
import { plainTeamsText } from "./mentions.ts";
import { conversationRecordOf, conversationReferenceOf, conversationRoot } from "./references.ts";
import { workspaceOfTenant } from "./tenants.ts";

export interface TeamsBotDeps {
  store: Pick<ConversationStore, "prisma">;
  /** The platform-neutral core every question goes through (shared with Slack in one process). */
  conversation: Conversation;
  settings: TeamsSettings;
  adapter: CloudAdapter;
  now: () => Date;
}

/** Said to a tenant no workspace is mapped to; nothing of any workspace is read for it. */
export const TENANT_REFUSED =
  "This Microsoft 365 organization is not connected to a Longtail workspace. Ask your Longtail admin to map its tenant id in TEAMS_TENANTS.";

/** What an Adaptive Card button sends back (Action.Submit data), checked at the edge. */
const cardActionSchema = z.object({
  longtail: z.enum([CARD_ACTION.ask, CARD_ACTION.share]),
  question: z.string().min(1).max(500),
});

/**
 * Longtail in Teams: personal chats, group chats and channels. Each message is answered for the
 * one workspace its tenant maps to, in the thread it came from; the conversation is remembered
 * (on install and on every message) so digests and alerts can be posted to it later.
 */
export class LongtailTeamsBot extends ActivityHandler {
  constructor(private readonly deps: TeamsBotDeps) {
    super();
    this.onMessage(async (context, next) => {
      await this.answerMessage(context);
      await next();
    });
    this.onInstallationUpdateAdd(async (context, next) => {
      await this.remember(context);
      await next();
    });
    this.onInstallationUpdateRemove(async (context, next) => {
      await this.forget(context);
      await next();
    });
  }

  private async workspaceOf(context: TurnContext): Promise<InsightContext | null> {
    const tenantId = context.activity.conversation?.tenantId ?? context.activity.channelData?.tenant?.id;
    const slug = workspaceOfTenant(this.deps.settings.tenants, tenantId);
    if (slug === null) {
      log.warn({ tenantId }, "Teams: refused a tenant no workspace is mapped to");
      return null;
    }
    return insightContextFor(this.deps.store.prisma, { slug, createIfMissing: true });
  }

  private async remember(context: TurnContext): Promise<InsightContext | null> {
    const ctx = await this.workspaceOf(context);
    const record = conversationRecordOf(context.activity);
    if (ctx && record) await saveTeamsConversation(ctx.prisma, ctx.workspace.id, record);
    return ctx;
  }

  private async forget(context: TurnContext): Promise<void> {
    const ctx = await this.workspaceOf(context);
    const id = context.activity.conversation?.id;
    if (ctx && id) await deleteTeamsConversation(ctx.prisma, ctx.workspace.id, conversationRoot(id));
  }

  private async answerMessage(context: TurnContext): Promise<void> {
    const ctx = await this.remember(context);
    if (!ctx) {
      await context.sendActivity(TENANT_REFUSED);
      return;
    }
    const action = cardActionSchema.safeParse(context.activity.value);
    const question = action.success ? action.data.question : plainTeamsText(context.activity);
    const activity = context.activity;
    const view = await this.deps.conversation.ask({
      text: question,
      workspace: { slug: ctx.workspace.slug, createIfMissing: true },
      channel: { platform: "teams", id: conversationRoot(activity.conversation.id) },
      user: {
        id: activity.from?.aadObjectId ?? activity.from?.id,
        timezone: async () => activity.localTimezone || undefined,
      },
      now: this.deps.now(),
      whenDelayed: async (notice) => {
        await context.sendActivity(cardActivity(renderTeams(notice)));
      },
    });
    const sharing = action.success && action.data.longtail === CARD_ACTION.share;
    const message = renderTeams(view, {
      chart: teamsChartOption(ctx.workspace.privateCharts, this.deps.settings.chartHost),
      // A thread's answer can be shared to the channel; the shared post itself is already there.
      share: isChannelThread(activity) && !sharing ? question : undefined,
    });
    if (sharing) await this.shareInChannel(context, message);
    else await context.sendActivity(cardActivity(message));
  }

  /** "Share in channel": the answer from a thread as a new post in the channel itself. */
  private async shareInChannel(context: TurnContext, message: TeamsMessage): Promise<void> {
    const record = conversationRecordOf(context.activity);
    if (!record) return;
    const sharedBy = context.activity.from?.name;
    await this.deps.adapter.continueConversationAsync(
      this.deps.settings.appId,
      conversationReferenceOf(record),
      async (channel) => {
        await channel.sendActivity(cardActivity(message, sharedBy ? `Shared by ${sharedBy}` : undefined));
      },
    );
  }
}

/** A channel message's conversation id names its thread; personal and group chats have none. */
function isChannelThread(activity: Activity): boolean {
  return activity.conversation?.conversationType === "channel";
}

/** A rendered answer as a Teams message: the Adaptive Card, with the summary for notifications. */
export function cardActivity(message: TeamsMessage, text?: string): Partial<Activity> {
  const attachment: Attachment = CardFactory.adaptiveCard(message.card);
  return { type: "message", summary: message.summary, ...(text ? { text } : {}), attachments: [attachment] };
}
