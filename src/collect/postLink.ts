/**
 * A post's public link → the platform and the platform's id of the post. Pure: no network, so a short
 * link that only a redirect can resolve (vm.tiktok.com/…) is answered with what to paste instead.
 */
export type CollectedPlatform = "instagram" | "tiktok" | "youtube";

export const PLATFORM_NAMES: Record<CollectedPlatform, string> = {
  instagram: "Instagram",
  tiktok: "TikTok",
  youtube: "YouTube",
};

export interface PostLink {
  platform: CollectedPlatform;
  /** The id the platform's API takes: Instagram shortcode, TikTok video id, YouTube video id. */
  postId: string;
  /** The creator's handle where the link names it (TikTok, some Instagram links), without "@". */
  handle: string | null;
  /** The link in one canonical form, the same whichever variant was pasted. */
  url: string;
}

export type PostLinkResult = { ok: true; link: PostLink } | { ok: false; reason: string };

const MAX_LINK_LENGTH = 2_048;
const YOUTUBE_ID = /^[A-Za-z0-9_-]{11}$/;
const INSTAGRAM_SHORTCODE = /^[A-Za-z0-9_-]{5,64}$/;
const TIKTOK_VIDEO_ID = /^\d{8,24}$/;
/** A creator's handle on any of the three platforms, without "@". */
export const CREATOR_HANDLE = /^[A-Za-z0-9._]{1,64}$/;

export function parsePostLink(text: string): PostLinkResult {
  const url = toUrl(text.trim());
  if (!url)
    return refuse("That is not a link. Paste the post's address, e.g. https://www.instagram.com/p/C1a2b3/.");
  const host = url.hostname.toLowerCase().replace(/^(www|m|mobile)\./, "");
  const segments = url.pathname.split("/").filter(Boolean);
  if (host === "instagram.com" || host === "instagr.am") return instagram(segments);
  if (host === "tiktok.com") return tiktok(segments);
  if (host === "vm.tiktok.com" || host === "vt.tiktok.com") {
    return refuse(
      "That is a TikTok short link. Open it and paste the full address (tiktok.com/@creator/video/…).",
    );
  }
  if (host === "youtube.com" || host === "music.youtube.com")
    return youtube(segments, url.searchParams.get("v"));
  if (host === "youtu.be") return youtubeVideo(segments[0]);
  return refuse(`Longtail tracks Instagram, TikTok and YouTube posts; ${host} is not one of them.`);
}

function toUrl(text: string): URL | null {
  if (text.length === 0 || text.length > MAX_LINK_LENGTH) return null;
  const withScheme = /^[a-z][a-z0-9+.-]*:\/\//i.test(text) ? text : `https://${text}`;
  if (!URL.canParse(withScheme)) return null;
  const url = new URL(withScheme);
  return url.protocol === "https:" || url.protocol === "http:" ? url : null;
}

/** instagram.com/p/CODE, /reel/CODE, /reels/CODE, /tv/CODE, and /USER/p/CODE or /USER/reel/CODE. */
function instagram(segments: string[]): PostLinkResult {
  const kinds = new Set(["p", "reel", "reels", "tv"]);
  const at = segments.findIndex((segment) => kinds.has(segment));
  const code = at >= 0 ? segments[at + 1] : undefined;
  if (at > 1 || !code || !INSTAGRAM_SHORTCODE.test(code)) {
    return refuse("That Instagram link is not a post or reel (instagram.com/p/… or /reel/…).");
  }
  const handle =
    at === 1 && CREATOR_HANDLE.test(segments[0] ?? "") ? (segments[0] as string).toLowerCase() : null;
  return found({ platform: "instagram", postId: code, handle, url: `https://www.instagram.com/p/${code}/` });
}

/** tiktok.com/@USER/video/ID (also /photo/ID), and m.tiktok.com/v/ID.html. */
function tiktok(segments: string[]): PostLinkResult {
  const [first, kind, id] = segments;
  if (first === "v" && kind) return tiktokVideo(null, kind.replace(/\.html$/, ""));
  if (first?.startsWith("@") && (kind === "video" || kind === "photo") && id) {
    return tiktokVideo(first.slice(1), id);
  }
  return refuse("That TikTok link is not a video (tiktok.com/@creator/video/…).");
}

function tiktokVideo(handle: string | null, id: string): PostLinkResult {
  if (!TIKTOK_VIDEO_ID.test(id)) return refuse("That TikTok link has no video id.");
  const user = handle && CREATOR_HANDLE.test(handle) ? handle.toLowerCase() : null;
  const url = user ? `https://www.tiktok.com/@${user}/video/${id}` : `https://www.tiktok.com/video/${id}`;
  return found({ platform: "tiktok", postId: id, handle: user, url });
}

/** youtube.com/watch?v=ID, /shorts/ID, /live/ID, /embed/ID, /v/ID. */
function youtube(segments: string[], watchId: string | null): PostLinkResult {
  const [kind, id] = segments;
  if (kind === "watch") return youtubeVideo(watchId ?? undefined);
  if (kind && ["shorts", "live", "embed", "v"].includes(kind)) return youtubeVideo(id);
  return refuse("That YouTube link is not a video (youtube.com/watch?v=…, /shorts/… or youtu.be/…).");
}

function youtubeVideo(id: string | undefined): PostLinkResult {
  if (!id || !YOUTUBE_ID.test(id)) return refuse("That YouTube link has no video id.");
  return found({
    platform: "youtube",
    postId: id,
    handle: null,
    url: `https://www.youtube.com/watch?v=${id}`,
  });
}

function found(link: PostLink): PostLinkResult {
  return { ok: true, link };
}

function refuse(reason: string): PostLinkResult {
  return { ok: false, reason };
}
