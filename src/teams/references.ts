import type { Activity, ConversationReference } from "botbuilder";
import type { TeamsConversationRecord } from "../store/teamsConversations.ts";

/** The thread part of a Teams channel conversation id: "19:…@thread.tacv2;messageid=1700000000000". */
const THREAD_SUFFIX = /;messageid=\d+$/;

/** A conversation id without the thread it may name: where a new post in that channel goes. */
export function conversationRoot(conversationId: string): string {
  return conversationId.replace(THREAD_SUFFIX, "");
}

/** What to keep of an inbound activity to post to its conversation later; null when it lacks a part. */
export function conversationRecordOf(activity: Partial<Activity>): TeamsConversationRecord | null {
  const { conversation, recipient, serviceUrl } = activity;
  const tenantId = conversation?.tenantId ?? activity.channelData?.tenant?.id;
  if (!conversation?.id || !recipient?.id || !serviceUrl || !tenantId) return null;
  return {
    conversationId: conversationRoot(conversation.id),
    conversationType: conversation.conversationType ?? "personal",
    tenantId,
    serviceUrl,
    botId: recipient.id,
    botName: recipient.name ?? "Longtail",
  };
}

/** A stored conversation as the reference botbuilder's continueConversationAsync takes. */
export function conversationReferenceOf(record: TeamsConversationRecord): Partial<ConversationReference> {
  return {
    channelId: "msteams",
    serviceUrl: record.serviceUrl,
    bot: { id: record.botId, name: record.botName },
    conversation: {
      id: record.conversationId,
      conversationType: record.conversationType,
      tenantId: record.tenantId,
      isGroup: record.conversationType !== "personal",
      name: "",
    },
  };
}
