export interface NormalizeOptions {
  /** Slack user ids of the bot: mentions of them are dropped like the bot's name. */
  botUserIds?: readonly string[];
  /** Names the bot answers to; a leading one, or a Teams `<at>` mention of one, is dropped. */
  botNames?: readonly string[];
}

const DEFAULT_BOT_NAMES = ["longtail"];
/** Slash commands that stand for the bot itself: "/longtail top 5 …", "/insights help". */
const BOT_SLASH_COMMANDS = ["longtail", "insights"];

/**
 * Plain command text from what Slack, Teams or a terminal delivers.
 *
 * - Slack `<@U123|anna>` → `@anna`; a bare `<@U123>` → `@<U123>`: the angle brackets keep
 *   marking a Slack user id, which the parser refuses as a creator handle.
 * - Slack `<#C123|general>` → `#general`, `<https://x.y|label>` → `label`, `<https://x.y>` →
 *   `https://x.y`, `<mailto:a@b.c|a@b.c>` → `a@b.c`; `<!here>`-style broadcasts are dropped.
 * - Teams `<at>Longtail</at>` is dropped; `<at>Anna</at>` of anyone else → `@Anna`.
 * - HTML entities, smart quotes, zero-width characters and odd spacing are undone.
 * - A leading `/`, `/longtail`, `/insights`, `longtail` or `@longtail` is dropped.
 */
export function normalizeChatText(text: string, options: NormalizeOptions = {}): string {
  const botNames = (options.botNames ?? DEFAULT_BOT_NAMES).map((name) => name.toLowerCase());
  const botUserIds = new Set(options.botUserIds ?? []);
  const plain = straightenQuotes(
    decodeHtmlEntities(replaceSlackTokens(replaceTeamsMentions(text, botNames), botUserIds)),
  );
  return dropBotPrefix(collapseWhitespace(plain), botNames);
}

function replaceTeamsMentions(text: string, botNames: readonly string[]): string {
  return text.replace(/<at(?:\s[^>]*)?>(.*?)<\/at>/gis, (_tag, name: string) =>
    botNames.includes(name.trim().toLowerCase()) ? " " : `@${name.trim()}`,
  );
}

function replaceSlackTokens(text: string, botUserIds: ReadonlySet<string>): string {
  return text.replace(/<([^<>]*)>/g, (token, body: string) => slackTokenText(body, botUserIds) ?? token);
}

/** The readable text of a Slack `<…>` token, or undefined when it is not one. */
function slackTokenText(body: string, botUserIds: ReadonlySet<string>): string | undefined {
  const separator = body.indexOf("|");
  const target = separator === -1 ? body : body.slice(0, separator);
  const label = separator === -1 ? undefined : body.slice(separator + 1);
  if (target.startsWith("@")) {
    const userId = target.slice(1);
    if (botUserIds.has(userId)) return " ";
    return label ? `@${label.replace(/^@/, "")}` : `@<${userId}>`;
  }
  if (target.startsWith("#")) return `#${label ?? target.slice(1)}`;
  if (target.startsWith("!")) return label ?? " ";
  if (/^[a-z][a-z0-9+.-]*:/i.test(target)) return label ?? target.replace(/^mailto:/i, "");
  return undefined;
}

const HTML_ENTITIES: Readonly<Record<string, string>> = {
  amp: "&",
  lt: "<",
  gt: ">",
  quot: '"',
  apos: "'",
  "#39": "'",
  nbsp: " ",
};

/** One pass, so "&amp;lt;" becomes "&lt;" and not "<". */
function decodeHtmlEntities(text: string): string {
  return text.replace(
    /&(amp|lt|gt|quot|apos|#39|nbsp);/g,
    (_entity, name: string) => HTML_ENTITIES[name] ?? "",
  );
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

function dropBotPrefix(text: string, botNames: readonly string[]): string {
  const withoutSlash = dropSlashCommand(text, [...BOT_SLASH_COMMANDS, ...botNames]);
  const words = withoutSlash.split(" ");
  const first = (words[0] ?? "").toLowerCase().replace(/^@/, "").replace(/[,:]$/, "");
  const startsWithBotName = botNames.includes(first);
  return (startsWithBotName ? words.slice(1).join(" ") : withoutSlash).trim();
}

function dropSlashCommand(text: string, botCommands: readonly string[]): string {
  if (!text.startsWith("/")) return text;
  const afterSlash = text.slice(1).trimStart();
  const [command = "", ...rest] = afterSlash.split(" ");
  return botCommands.includes(command.toLowerCase()) ? rest.join(" ") : afterSlash;
}
