/** The parts of a Teams message activity that mention stripping reads. */
export interface MentionedMessage {
  text?: string;
  recipient?: { id: string };
  entities?: readonly { type: string; [key: string]: unknown }[];
}

interface MentionEntity {
  type: "mention";
  text?: string;
  mentioned?: { id?: string };
}

function isMention(entity: { type: string }): entity is MentionEntity {
  return entity.type === "mention";
}

/**
 * The message text without the bot's own @mentions — every one of them (a channel message may
 * mention the bot twice, or in the middle), and nothing else: other people's mentions stay as
 * Teams wrote them (`<at>Anna</at>`) for the command parser to read.
 */
export function withoutBotMentions(activity: MentionedMessage): string {
  const botId = activity.recipient?.id;
  let text = activity.text ?? "";
  for (const entity of activity.entities ?? []) {
    if (!isMention(entity) || entity.mentioned?.id !== botId || !entity.text) continue;
    text = text.split(entity.text).join(" ");
  }
  return text.replace(/\s+/g, " ").trim();
}
