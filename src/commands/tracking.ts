import { parsePostLink } from "../collect/postLink.ts";
import { type Recognized, refuse, understoodButNot } from "./recognized.ts";

/** The most a fee may be: the post's fee column holds 14 digits, 2 after the point. */
const MAX_FEE = 999_999_999_999;
const TRACK_EXAMPLE = "track https://www.youtube.com/watch?v=dQw4w9WgXcQ for spring-launch fee 250";

/** "track <link> [for <campaign>] [fee <n>] [by @creator]", the clauses in any order. */
export function recognizeTrack(command: string): Recognized | undefined {
  const match = /^track(?:\s+(\S+)(.*))?$/i.exec(command);
  if (!match) return undefined;
  const [, typedLink, rest = ""] = match;
  if (!typedLink) return refuse(`Which post? Paste its link: ${TRACK_EXAMPLE}.`);
  const parsed = parsePostLink(typedLink);
  if (!parsed.ok) return refuse(parsed.reason);
  const clauses = trackClauses(rest.trim());
  if (typeof clauses === "string") return refuse(clauses);
  const { by, ...terms } = clauses;
  const link = by ? { ...parsed.link, handle: by } : parsed.link;
  return { kind: "track", link, ...terms };
}

/** "untrack <link>". */
export function recognizeUntrack(command: string): Recognized | undefined {
  const match = /^(?:untrack|stop\s+tracking)(?:\s+(\S+))?(.*)$/i.exec(command);
  if (!match) return undefined;
  const [, typedLink, rest = ""] = match;
  if (!typedLink) return refuse("Which post? Paste its link: untrack https://www.youtube.com/watch?v=….");
  if (rest.trim()) return refuse(understoodButNot(`untrack ${typedLink}`, rest.trim()));
  const parsed = parsePostLink(typedLink);
  return parsed.ok ? { kind: "untrack", link: parsed.link } : refuse(parsed.reason);
}

/** "tracked", "tracked posts", "tracked spring-launch", "tracked for spring-launch". */
export function recognizeTracked(command: string): Recognized | undefined {
  const match = /^tracked(?:\s+posts)?(?:\s+(?:for|in|campaign)?\s*(.+))?$/i.exec(command);
  if (!match) return undefined;
  const campaign = match[1] ? unquoted(match[1].trim()) : undefined;
  return campaign ? { kind: "tracked", campaign } : { kind: "tracked" };
}

interface TrackClauses {
  campaign?: string;
  fee?: number;
  /** Whose post: Instagram reads a post through its creator's account, and a /p/ link does not say. */
  by?: string;
}

function trackClauses(rest: string): TrackClauses | string {
  const clauses: TrackClauses = {};
  let left = rest;
  while (left.length > 0) {
    const campaign = /^(?:for|campaign)\s+("[^"]+"|\S+)\s*/i.exec(left);
    const fee = /^fee\s+(\S+)\s*/i.exec(left);
    const by = /^(?:by|from)\s+@?([A-Za-z0-9._]{1,64})(?:\s+|$)/i.exec(left);
    if (by?.[1] && clauses.by === undefined) {
      clauses.by = by[1].toLowerCase();
      left = left.slice(by[0].length);
    } else if (campaign?.[1] && clauses.campaign === undefined) {
      clauses.campaign = unquoted(campaign[1]);
      left = left.slice(campaign[0].length);
    } else if (fee?.[1] && clauses.fee === undefined) {
      const amount = feeAmount(fee[1]);
      if (amount === null) {
        return `The fee is an amount such as 250 or 99.50, got “${fee[1]}”.`;
      }
      clauses.fee = amount;
      left = left.slice(fee[0].length);
    } else {
      return `${understoodButNot("track <link> for <campaign> fee <amount>", left)} Try ${TRACK_EXAMPLE}.`;
    }
  }
  return clauses;
}

/** "250", "99.50", "€250", "1,500": at most two decimals, not above MAX_FEE. */
export function feeAmount(text: string): number | null {
  const digits = text.replace(/^[€$£]/, "").replace(/,(?=\d{3}(?:\D|$))/g, "");
  if (!/^\d+(?:\.\d{1,2})?$/.test(digits)) return null;
  const amount = Number(digits);
  return amount <= MAX_FEE ? amount : null;
}

function unquoted(text: string): string {
  return text.replace(/^"(.*)"$/, "$1").trim();
}
