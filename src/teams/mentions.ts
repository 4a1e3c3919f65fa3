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
 * Plain text from a Teams message: the bot's own @mentions dropped — every one of them (a
 * channel message may mention the bot twice, or in the middle) — and anyone else's
 * `<at>Anna</at>` written `@Anna`. Teams sends the rest as typed (`textFormat` plain; the HTML
 * form comes only as a separate text/html attachment), so nothing else is decoded.
 */
export function plainTeamsText(activity: MentionedMessage): string {
  const botId = activity.recipient?.id;
  let text = activity.text ?? "";
  for (const entity of activity.entities ?? []) {
    if (!isMention(entity) || entity.mentioned?.id !== botId || !entity.text) continue;
    text = text.split(entity.text).join(" ");
  }
  return withMentionsAsHandles(text).replace(/\s+/g, " ").trim();
}

function withMentionsAsHandles(text: string): string {
  return text.replace(/<at(?:\s[^>]*)?>(.*?)<\/at>/gis, (_tag, name: string) => `@${name.trim()}`);
}
