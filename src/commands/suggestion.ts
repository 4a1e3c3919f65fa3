/**
 * Something a person could ask next, as data: views and layouts carry these, and each platform's
 * renderer phrases them as its own command (Slack a slash command, Teams a mention of the bot,
 * the CLI `longtail ask "creator @anna"`). `chatWords` gives the platform-neutral words of the chat
 * language that the parser understands.
 */
export type Suggestion =
  | { kind: "creator"; handle: string }
  | { kind: "campaign"; name: string }
  | { kind: "alerts" }
  | { kind: "subscriptions" }
  | { kind: "unsubscribe" }
  | { kind: "help" }
  /** An example from the help, already in the chat language. */
  | { kind: "words"; words: string };

/** The chat language's words for a suggestion: `campaign "spring launch"` keeps its quotes. */
export function chatWords(suggestion: Suggestion): string {
  switch (suggestion.kind) {
    case "creator":
      return `creator @${suggestion.handle}`;
    case "campaign":
      return `campaign ${/\s/.test(suggestion.name) ? `"${suggestion.name}"` : suggestion.name}`;
    case "words":
      return suggestion.words;
    default:
      return suggestion.kind;
  }
}
