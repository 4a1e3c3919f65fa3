/** Names the bot answers to: a leading one is dropped. */
const BOT_NAMES = ["longtail"];
/**
 * Words that, typed with a leading "/" in any client (the CLI, the playground, a chat message),
 * address the bot itself: "/longtail top 5 …", "/insights help". A platform's own command
 * payloads never reach here with the slash: each platform edge passes only their text.
 */
const BOT_COMMAND_WORDS = ["longtail", "insights"];

/**
 * Command text from plain text, whatever typed it. Each platform decodes its own syntax at its
 * edge (src/slack, src/teams) before the text gets here.
 *
 * - Smart quotes, zero-width characters and odd spacing are undone.
 * - A leading `/`, `/longtail`, `/insights`, `longtail` or `@longtail` is dropped.
 */
export function normalizeChatText(text: string): string {
  return dropBotPrefix(collapseWhitespace(straightenQuotes(text)));
}

function straightenQuotes(text: string): string {
  return text
    .replace(/[\u201C\u201D\u201E\u201F\u00AB\u00BB\u2033]/g, '"')
    .replace(/[\u2018\u2019\u201A\u201B\u2032]/g, "'");
}

function collapseWhitespace(text: string): string {
  return text
    .replace(/[\u200B-\u200D\u2060\uFEFF]/g, "")
    .replace(/\s+/g, " ")
    .trim();
}

function dropBotPrefix(text: string): string {
  const withoutSlash = dropSlashCommand(text, [...BOT_COMMAND_WORDS, ...BOT_NAMES]);
  const words = withoutSlash.split(" ");
  const first = (words[0] ?? "").toLowerCase().replace(/^@/, "").replace(/[,:]$/, "");
  const startsWithBotName = BOT_NAMES.includes(first);
  return (startsWithBotName ? words.slice(1).join(" ") : withoutSlash).trim();
}

function dropSlashCommand(text: string, botCommands: readonly string[]): string {
  if (!text.startsWith("/")) return text;
  const afterSlash = text.slice(1).trimStart();
  const [command = "", ...rest] = afterSlash.split(" ");
  return botCommands.includes(command.toLowerCase()) ? rest.join(" ") : afterSlash;
}
