import { distance } from "fastest-levenshtein";

interface RankedCandidate {
  candidate: string;
  /** 0 exact, 1 prefix, 2 substring, 3 only close by edit distance. */
  closeness: 0 | 1 | 2 | 3;
  distance: number;
}

/**
 * Up to `limit` candidates that `input` was probably meant to be, for "did you mean".
 * Case-insensitive. Prefix and substring matches rank before edit-distance matches; an
 * edit-distance match must be within max(2, 40% of the input's length) edits and must not
 * replace the whole word; a candidate's words (split at . _ -) count as well as the whole.
 */
export function closestMatches(input: string, candidates: readonly string[], limit = 3): string[] {
  const needle = input.trim().toLowerCase();
  if (needle === "") return [];
  const ranked: RankedCandidate[] = [];
  for (const candidate of uniqueIgnoringCase(candidates)) {
    const match = rankCandidate(needle, candidate);
    if (match) ranked.push(match);
  }
  ranked.sort((a, b) => a.closeness - b.closeness || a.distance - b.distance);
  return ranked.slice(0, Math.max(0, limit)).map((match) => match.candidate);
}

function rankCandidate(needle: string, candidate: string): RankedCandidate | undefined {
  const hay = candidate.toLowerCase();
  // "ana" should find "anna.cooks": compare with the handle's words too, not only the whole.
  const edits = Math.min(distance(needle, hay), ...hay.split(/[._-]+/).map((word) => distance(needle, word)));
  if (hay === needle) return { candidate, closeness: 0, distance: 0 };
  // Very short inputs are a prefix or substring of too many words to mean anything.
  if (needle.length >= 2 && hay.startsWith(needle)) return { candidate, closeness: 1, distance: edits };
  if (needle.length >= 3 && hay.includes(needle)) return { candidate, closeness: 2, distance: edits };
  const allowedEdits = Math.max(2, Math.floor(needle.length * 0.4));
  const replacesEverything = edits >= needle.length;
  if (edits <= allowedEdits && !replacesEverything) return { candidate, closeness: 3, distance: edits };
  return undefined;
}

function uniqueIgnoringCase(candidates: readonly string[]): string[] {
  const seen = new Set<string>();
  return candidates.filter((candidate) => {
    const key = candidate.toLowerCase();
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

/** Lower case without punctuation: "Anna.Cooks" and "anna_cooks" compare equal. */
function withoutPunctuation(text: string): string {
  return text.toLowerCase().replace(/[^\p{L}\p{M}\p{N}]/gu, "");
}

/**
 * The one candidate `input` names, when exactly one starts with it or equals it ignoring case and
 * punctuation ("anna" → "anna.cooks", "annacooks" → "anna.cooks"); undefined when none or several do.
 * Inputs shorter than three letters name nothing: too many words start with them.
 */
export function uniqueMatch(input: string, candidates: readonly string[]): string | undefined {
  const needle = withoutPunctuation(input);
  if (needle.length < 3) return undefined;
  const matches = uniqueIgnoringCase(candidates).filter((candidate) => {
    const hay = withoutPunctuation(candidate);
    return candidate.toLowerCase().startsWith(input.toLowerCase()) || hay.startsWith(needle);
  });
  return matches.length === 1 ? matches[0] : undefined;
}
