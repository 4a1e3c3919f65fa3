/**
 * Plain text from what Slack delivers as a message or a slash command's text, decoded once
 * (https://api.slack.com/reference/surfaces/formatting#escaping):
 *
 * - mentions of the bot itself are dropped; `<@U123|anna>` → `@anna`; a bare `<@U123>` →
 *   `@<U123>`: the angle brackets keep marking a user id, which the parser refuses as a handle;
 * - `<#C123|general>` → `#general`, `<https://x.y|label>` → `label`, `<https://x.y>` →
 *   `https://x.y`, `<mailto:a@b.c|a@b.c>` → `a@b.c`; `<!here>`-style broadcasts are dropped;
 * - `&amp;`, `&lt;` and `&gt;` (Slack escapes nothing else) become `&`, `<` and `>`.
 */
export function plainSlackText(text: string, botUserId?: string): string {
  return decodeSlackEscapes(replaceSlackTokens(text, botUserId));
}

function replaceSlackTokens(text: string, botUserId: string | undefined): string {
  return text.replace(/<([^<>]*)>/g, (token, body: string) => slackTokenText(body, botUserId) ?? token);
}

/** The readable text of a Slack `<…>` token, or undefined when it is not one. */
function slackTokenText(body: string, botUserId: string | undefined): string | undefined {
  const separator = body.indexOf("|");
  const target = separator === -1 ? body : body.slice(0, separator);
  const label = separator === -1 ? undefined : body.slice(separator + 1);
  if (target.startsWith("@")) {
    const userId = target.slice(1);
    if (userId === botUserId) return " ";
    return label ? `@${label.replace(/^@/, "")}` : `@<${userId}>`;
  }
  if (target.startsWith("#")) return `#${label ?? target.slice(1)}`;
  if (target.startsWith("!")) return label ?? " ";
  if (/^[a-z][a-z0-9+.-]*:/i.test(target)) return label ?? target.replace(/^mailto:/i, "");
  return undefined;
}

const SLACK_ESCAPES: Readonly<Record<string, string>> = { amp: "&", lt: "<", gt: ">" };

/** One pass, so a typed "&lt;" (sent as "&amp;lt;") stays "&lt;" and does not become "<". */
function decodeSlackEscapes(text: string): string {
  return text.replace(/&(amp|lt|gt);/g, (_escape, name: string) => SLACK_ESCAPES[name] ?? "");
}
