import { unquoted } from "./clauses.ts";
import { HANDLE_PATTERN } from "./intent.ts";
import { didYouMean, type Recognized, refuse, understoodButNot } from "./recognized.ts";
import { closestMatches } from "./suggest.ts";

const PLATFORMS: Readonly<Record<string, string>> = {
  instagram: "instagram",
  insta: "instagram",
  ig: "instagram",
  tiktok: "tiktok",
  youtube: "youtube",
  yt: "youtube",
  x: "x",
  twitter: "x",
  facebook: "facebook",
  fb: "facebook",
  linkedin: "linkedin",
  pinterest: "pinterest",
  snapchat: "snapchat",
  twitch: "twitch",
  threads: "threads",
  bluesky: "bluesky",
};

/** "how is it going", "how are you doing": small talk, answered with help. */
const SMALL_TALK_SUBJECT = /^(?:it|you|things|everything|everyone|we|you\s+all|y'all)$/i;

/** "creator @anna", "influencer anna.bakes on tiktok", "profile @anna". */
export function recognizeCreatorCommand(command: string): Recognized | undefined {
  const match = /^(?:creator|influencer|profile)s?(?=\s|$)\s*(.*)$/i.exec(command);
  if (!match) return undefined;
  const rest = match[1] ?? "";
  return rest === "" ? refuse("Which creator? For example: creator @anna.") : creatorIntent(rest);
}

/** A message that starts with a handle: "@anna", "@anna on instagram". */
export function recognizeBareHandle(command: string): Recognized | undefined {
  return command.startsWith("@") ? creatorIntent(command) : undefined;
}

/** "campaign spring-launch", `campaign "spring launch"`, "the spring-launch campaign". */
export function recognizeCampaignCommand(command: string): Recognized | undefined {
  const keywordFirst = /^campaigns?(?=\s|$)\s*(.*)$/i.exec(command);
  if (keywordFirst) return campaignIntent(keywordFirst[1] ?? "");
  const keywordLast = /^(?:the\s+)?("[^"]*"|'[^']*'|\S+)\s+campaign$/i.exec(command);
  return keywordLast ? campaignIntent(keywordLast[1] ?? "") : undefined;
}

/**
 * "how is @anna doing?", "how's anna.bakes doing", "how did spring-launch do". Without an @
 * or the word campaign, "is … doing" asks about a creator and "did … do" about a campaign.
 */
export function recognizeHowQuestion(command: string): Recognized | undefined {
  const match =
    /^how(?:'s|\s+(is|are|was|did|does|has|have))\s+(.+?)\s+(?:doing|performing|going|getting\s+on|do|done|perform|performed|go|gone)(?=\s|$)\s*(.*)$/i.exec(
      command,
    );
  if (!match) return undefined;
  const [, auxiliary = "is", subject = "", rest = ""] = match;
  if (SMALL_TALK_SUBJECT.test(subject)) return { kind: "help" };
  const campaign =
    /^(?:the\s+)?campaign\s+(.+)$/i.exec(subject) ?? /^(?:the\s+)?(.+?)\s+campaign$/i.exec(subject);
  if (campaign) return campaignWithNothingAfter(campaign[1] ?? "", rest);
  const asksAboutCreator = subject.startsWith("@") || /^(?:is|are|was)$/i.test(auxiliary);
  if (asksAboutCreator) return creatorIntent(`${subject} ${rest}`.trim());
  return campaignWithNothingAfter(subject.replace(/^the\s+/i, ""), rest);
}

/** A creator and, optionally, the platform: "@anna", "anna on tiktok", "@anna instagram". */
export function creatorIntent(text: string): Recognized {
  const [typed = "", ...others] = text.trim().split(" ");
  if (/^@?<[^>]*>$/.test(typed)) {
    return refuse(
      "That mentions a person in this chat, not a creator: use the creator's handle, like creator @anna.",
    );
  }
  const handle = typed.replace(/^@/, "").normalize("NFC").toLowerCase();
  if (!HANDLE_PATTERN.test(handle)) {
    return refuse(`“${typed}” is not a creator handle: handles contain only letters, digits, ., _ and -.`);
  }
  const platformText = others.join(" ");
  if (platformText === "") return { kind: "creator", handle };
  const platformWord =
    /^on\s+(\S+)$/i.exec(platformText)?.[1] ?? (others.length === 1 ? platformText : undefined);
  if (platformWord === undefined) return refuse(understoodButNot(`creator @${handle}`, platformText));
  const platform = PLATFORMS[platformWord.toLowerCase()];
  if (platform !== undefined) return { kind: "creator", handle, platform };
  const guesses = closestMatches(platformWord, Object.keys(PLATFORMS));
  const known = [...new Set(Object.values(PLATFORMS))].join(", ");
  return refuse(`I don't know the platform “${platformWord}”.${didYouMean(guesses)} Platforms: ${known}.`);
}

export function campaignIntent(text: string): Recognized {
  const name = unquoted(text);
  return name === ""
    ? refuse("Which campaign? For example: campaign spring-launch.")
    : { kind: "campaign", name };
}

function campaignWithNothingAfter(name: string, rest: string): Recognized {
  return rest === "" ? campaignIntent(name) : refuse(understoodButNot(`campaign ${unquoted(name)}`, rest));
}
