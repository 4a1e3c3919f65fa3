import { randomUUID } from "node:crypto";

/** The bot as Teams addresses it, and two organizations with a workspace each. */
export const BOT = { id: "28:00000000-0000-0000-0000-00000000b07a", name: "Longtail" };
export const TENANT_ACME = "11111111-1111-4111-8111-111111111111";
export const TENANT_BETA = "22222222-2222-4222-8222-222222222222";
export const TENANT_UNKNOWN = "33333333-3333-4333-8333-333333333333";

export const CHANNEL = "19:general0000000000000000000000@thread.tacv2";
export const GROUP_CHAT = "19:group000000000000000000000000@thread.v2";
export const PERSONAL_CHAT = "a:1personal-chat-with-anna";

interface Where {
  serviceUrl: string;
  tenantId?: string;
}

function base(where: Where) {
  const tenantId = where.tenantId ?? TENANT_ACME;
  return {
    id: `${Date.now()}${Math.floor(Math.random() * 1000)}`,
    timestamp: new Date().toISOString(),
    serviceUrl: where.serviceUrl,
    channelId: "msteams",
    from: { id: "29:anna-user-id", name: "Anna de Vries", aadObjectId: randomUUID() },
    recipient: BOT,
    locale: "en-GB",
    localTimezone: "Europe/Amsterdam",
    channelData: { tenant: { id: tenantId } },
    tenantId,
  };
}

/** A message in a one-on-one chat with the bot: no mention needed. */
export function personalMessage(text: string, where: Where) {
  const { tenantId, ...activity } = base(where);
  return {
    ...activity,
    type: "message",
    text,
    textFormat: "plain",
    conversation: { id: PERSONAL_CHAT, conversationType: "personal", tenantId },
  };
}

/** A mention entity for the bot (or anyone), as Teams sends it with the message. */
export function mentionOf(who: { id: string; name: string }) {
  return { type: "mention", text: `<at>${who.name}</at>`, mentioned: { id: who.id, name: who.name } };
}

/**
 * A channel post or reply that @mentions the bot: its conversation id names the thread
 * (";messageid=" of the thread's first post).
 */
export function channelMention(words: string, where: Where & { threadId?: string }) {
  const { tenantId, ...activity } = base(where);
  const threadId = where.threadId ?? "1700000000000";
  return {
    ...activity,
    type: "message",
    text: `<at>${BOT.name}</at> ${words}`,
    textFormat: "plain",
    entities: [mentionOf(BOT), { type: "clientInfo", locale: "en-GB", timezone: "Europe/Amsterdam" }],
    conversation: {
      id: `${CHANNEL};messageid=${threadId}`,
      conversationType: "channel",
      isGroup: true,
      tenantId,
    },
    channelData: {
      ...activity.channelData,
      teamsChannelId: CHANNEL,
      channel: { id: CHANNEL },
      team: { id: CHANNEL },
    },
  };
}

/** A message in a group chat that @mentions the bot. */
export function groupChatMention(words: string, where: Where) {
  const { tenantId, ...activity } = base(where);
  return {
    ...activity,
    type: "message",
    text: `<at>${BOT.name}</at> ${words}`,
    textFormat: "plain",
    entities: [mentionOf(BOT)],
    conversation: { id: GROUP_CHAT, conversationType: "groupChat", isGroup: true, tenantId },
  };
}

/** A card button pressed: Action.Submit sends its data as the message's value, with no text. */
export function cardSubmit(
  value: unknown,
  conversation: ReturnType<typeof channelMention>["conversation"],
  where: Where,
) {
  const { tenantId: _tenant, ...activity } = base(where);
  return { ...activity, type: "message", value, conversation };
}

/** The app added to (or removed from) a personal chat, group chat or team. */
export function installationUpdate(
  action: "add" | "remove",
  conversation: { id: string; conversationType: string },
  where: Where,
) {
  const { tenantId, ...activity } = base(where);
  return { ...activity, type: "installationUpdate", action, conversation: { ...conversation, tenantId } };
}
