import {
  campaignIntent,
  creatorIntent,
  recognizeBareHandle,
  recognizeCampaignCommand,
  recognizeCreatorCommand,
  recognizeHowQuestion,
} from "./creatorAndCampaign.ts";
import {
  recognizeAlertSettings,
  recognizeAlerts,
  recognizeCreatorRetentionAlert,
  recognizeDigest,
  recognizeEvergreenAlert,
  recognizeSubscribe,
  recognizeSubscriptions,
  recognizeUnsubscribe,
} from "./digestsAndAlerts.ts";
import { HELP_TOPIC_WORDS, HELP_TOPICS, helpTopicFromText } from "./help.ts";
import { type Intent, intentSchema } from "./intent.ts";
import { normalizeChatText } from "./normalize.ts";
import { recognizeCompare, recognizeTop, recognizeVersus } from "./rankings.ts";
import { didYouMean, type Recognized, type Recognizer, refuse } from "./recognized.ts";
import { closestMatches } from "./suggest.ts";
import { recognizeTrack, recognizeTracked, recognizeUntrack } from "./tracking.ts";

/** No command is this long; longer text is refused before any pattern runs on it. */
const MAX_COMMAND_LENGTH = 1000;
const COMMAND_WORDS = [
  "help",
  "creator",
  "campaign",
  "top",
  "compare",
  "digest",
  "alerts",
  "subscribe",
  "unsubscribe",
  "subscriptions",
  "track",
  "untrack",
  "tracked",
];
const JUST_HELP =
  /^(?:hi|hello|hey|hiya|howdy|yo|help(?:\s+me)?|commands|menu|start|usage|what\s+can\s+you\s+do|what\s+do\s+you\s+do|how\s+does\s+this\s+work|how\s+are\s+you)$/i;

/** Tried in order; the first that recognizes the command decides what it means. */
const RECOGNIZERS: readonly Recognizer[] = [
  recognizeHelp,
  recognizeTracked,
  recognizeUntrack,
  recognizeTrack,
  recognizeSubscriptions,
  recognizeUnsubscribe,
  recognizeSubscribe,
  recognizeCreatorRetentionAlert,
  recognizeEvergreenAlert,
  recognizeAlertSettings,
  recognizeAlerts,
  recognizeDigest,
  recognizeCompare,
  recognizeTop,
  recognizeHowQuestion,
  recognizeCampaignCommand,
  recognizeCreatorCommand,
  recognizeBareHandle,
  recognizeAbout,
  recognizeVersus,
];

/**
 * What a chat message or CLI question asks for. Never throws: text that is not understood
 * becomes an `unknown` intent whose reason says what to type instead.
 */
export function parseCommand(text: string): Intent {
  const typed = normalizeChatText(text);
  if (typed.length > MAX_COMMAND_LENGTH) {
    return unknownIntent(
      `${typed.slice(0, 100)}…`,
      "That is longer than any question I know. Type “help” to see what I answer.",
    );
  }
  const recognized = recognize(withoutPleasantries(typed)) ?? notUnderstood(typed);
  const intent = intentSchema.safeParse(
    recognized.kind === "unknown" ? { ...recognized, text: typed } : recognized,
  );
  // Every recognizer builds valid intents; this keeps a slip from ever reaching a platform.
  return intent.success
    ? intent.data
    : unknownIntent(typed, "I couldn't make sense of that. Type “help” to see what I answer.");
}

function recognize(command: string): Recognized | undefined {
  for (const recognizer of RECOGNIZERS) {
    const recognized = recognizer(command);
    if (recognized) return recognized;
  }
  return undefined;
}

/** Drops end punctuation, a greeting before a question, and please/thanks. */
function withoutPleasantries(text: string): string {
  return text
    .replace(/[\s?!.]+$/, "")
    .replace(/^(?:hi|hello|hey|yo)(?:\s+(?:there|longtail|team))?[,!]?\s+(?=\S)/i, "")
    .replace(/^(?:please|pls|can\s+you|could\s+you|would\s+you)\s+/i, "")
    .replace(/,?\s+(?:please|pls|thanks|thank\s+you)$/i, "");
}

/** "", "hi", "help", "help top", "help me with alerts". */
function recognizeHelp(command: string): Recognized | undefined {
  if (command === "" || JUST_HELP.test(command)) return { kind: "help" };
  const match = /^help\s+(?:(?:me\s+)?(?:with|on|about|for)\s+)?(.+)$/i.exec(command);
  if (!match) return undefined;
  const asked = match[1] ?? "";
  const topic = helpTopicFromText(asked);
  if (topic) return { kind: "help", topic };
  const guesses = closestMatches(asked, HELP_TOPIC_WORDS);
  return refuse(`I have no help on “${asked}”.${didYouMean(guesses)} Topics: ${HELP_TOPICS.join(", ")}.`);
}

/** "show me @anna", "tell me about campaign summer-glow", "show me micro vs macro". */
function recognizeAbout(command: string): Recognized | undefined {
  const match =
    /^(?:show(?:\s+me)?|tell\s+me\s+about|what\s+about|how\s+about|look\s*up|find|(?:stats|info|details|numbers)\s+(?:for|on|about)|report\s+(?:for|on))\s+(.+)$/i.exec(
      command,
    );
  if (!match) return undefined;
  const subject = match[1] ?? "";
  return recognize(subject) ?? ambiguousSubject(subject);
}

function ambiguousSubject(subject: string): Recognized {
  const creator = creatorIntent(subject);
  const campaign = campaignIntent(subject);
  if (creator.kind === "creator" && campaign.kind === "campaign") {
    return refuse(
      `Is “${subject}” a creator or a campaign? Try creator @${creator.handle} or campaign ${campaign.name}.`,
    );
  }
  return refuse(
    `I don't know what “${subject}” is. Ask about a creator (creator @anna) or a campaign (campaign spring-launch).`,
  );
}

function notUnderstood(command: string): Recognized {
  const firstWord = command.split(" ")[0] ?? "";
  // Typos rarely hit the first letter; without this, "how" would suggest "top".
  const sameInitial = COMMAND_WORDS.filter((word) => word[0] === firstWord[0]?.toLowerCase());
  const guesses = closestMatches(firstWord, sameInitial, 2);
  if (guesses.length > 0) {
    return refuse(`I don't know “${firstWord}”.${didYouMean(guesses)} Type \`help\` to see what I answer.`);
  }
  return refuse("I didn't find a question I know in that. Type “help” to see what I answer.");
}

function unknownIntent(text: string, reason: string): Intent {
  return { kind: "unknown", text, reason };
}
