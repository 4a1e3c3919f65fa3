import type { Intent } from "../commands/intent.ts";
import { FIGURE_LABELS } from "../commands/metricKeys.ts";
import { campaignNotFound } from "../insights/campaignReport.ts";
import type { InsightContext } from "../insights/context.ts";
import { trackedView } from "../insights/tracked.ts";
import type { MessageView, NotFoundView, TrackedView } from "../insights/viewModels.ts";
import { formatterFor } from "../render/format.ts";
import { message } from "../schedule/channelSettings.ts";
import { findCampaign } from "../store/catalog.ts";
import { campaignIdFor, trackPost, untrackPost } from "../store/trackedPosts.ts";
import { PLATFORM_NAMES, type PostLink } from "./postLink.ts";
import { type CollectionDeps, collectNow, type PostOutcome } from "./schedule.ts";

export type TrackIntent = Extract<Intent, { kind: "track" | "untrack" | "tracked" }>;

export function isTrackIntent(intent: Intent): intent is TrackIntent {
  return ["track", "untrack", "tracked"].includes(intent.kind);
}

/** A counter's name for one: "1 like", "400 reach". */
const ONE: Readonly<Record<string, string>> = {
  views: "view",
  likes: "like",
  comments: "comment",
  shares: "share",
  saves: "save",
  impressions: "impression",
};

const SCHEDULE_LINE = "Collected hourly for 3 days after publishing, then daily until day 60.";

/** Who tracks: the chat's user id, or null from the CLI. */
export interface TrackRequest {
  userId: string | null;
  /** Names this process's claim on the post while it collects it. */
  owner: string;
}

/** `track`, `untrack` and `tracked`, the same for the chat and the CLI. */
export async function handleTrackIntent(
  deps: CollectionDeps | null,
  ctx: InsightContext,
  intent: TrackIntent,
  request: TrackRequest,
  now: Date,
): Promise<MessageView | NotFoundView | TrackedView> {
  switch (intent.kind) {
    case "tracked": {
      if (!intent.campaign) return trackedView(ctx, {}, now);
      const campaign = await findCampaign(ctx.prisma, ctx.workspace.id, intent.campaign);
      return campaign ? trackedView(ctx, { campaign }, now) : campaignNotFound(ctx, intent.campaign, now);
    }
    case "untrack":
      return untrack(ctx, intent.link);
    case "track":
      return track(deps, ctx, intent, request, now);
  }
}

async function untrack(ctx: InsightContext, link: PostLink): Promise<MessageView> {
  const stopped = await untrackPost(ctx.prisma, ctx.workspace.id, link.platform, link.postId);
  if (!stopped) {
    return message(
      "info",
      "That post is not tracked",
      [link.url],
      [{ lead: "See the tracked posts with", ask: { kind: "words", words: "tracked" } }],
    );
  }
  return message("success", "No longer tracking that post", [
    link.url,
    "The snapshots collected so far stay.",
  ]);
}

async function track(
  deps: CollectionDeps | null,
  ctx: InsightContext,
  intent: Extract<TrackIntent, { kind: "track" }>,
  request: TrackRequest,
  now: Date,
): Promise<MessageView> {
  const { link } = intent;
  const platform = PLATFORM_NAMES[link.platform];
  if (link.platform === "instagram" && link.handle === null) {
    return message("error", "Whose Instagram post is it?", [
      "Instagram posts are read through their creator's account, and this link does not name them.",
      `Add the creator: track ${link.url} by @creator`,
    ]);
  }
  const collector = deps ? await deps.collectors.collectorFor(ctx.workspace.id, link.platform) : null;
  if (!deps || !collector) {
    return message("error", `${platform} is not connected`, [
      `Longtail needs this workspace's ${platform} credentials to collect posts; nothing was tracked.`,
      `An admin connects it from the command line: longtail connect ${link.platform} --workspace ${ctx.workspace.slug} (README: Connecting Instagram, TikTok and YouTube).`,
    ]);
  }
  const campaignId = intent.campaign
    ? await campaignIdFor(ctx.prisma, ctx.workspace.id, intent.campaign)
    : null;
  const tracked = await trackPost(
    ctx.prisma,
    {
      workspaceId: ctx.workspace.id,
      platform: link.platform,
      externalId: link.postId,
      url: link.url,
      campaignId,
      fee: intent.fee ?? null,
      handle: link.handle,
      createdBy: request.userId,
    },
    now,
  );
  const pair = { workspaceId: ctx.workspace.id, platform: link.platform };
  const outcome = await collectNow(deps, collector, pair, tracked.id, request.owner, now);
  // A post gone before it was ever tracked is not kept: the answer says there is nothing to track.
  if (outcome?.kind === "stopped" && tracked.before === null) {
    await untrackPost(ctx.prisma, ctx.workspace.id, link.platform, link.postId);
  }
  return trackedMessage(ctx, intent, platform, outcome, tracked.before !== null);
}

function trackedMessage(
  ctx: InsightContext,
  intent: Extract<TrackIntent, { kind: "track" }>,
  platform: string,
  outcome: PostOutcome | null,
  wasTracked: boolean,
): MessageView {
  const f = formatterFor(ctx.workspace);
  const { url } = intent.link;
  const terms = [
    ...(intent.campaign ? [`Campaign ${intent.campaign}`] : []),
    ...(intent.fee !== undefined ? [`${FIGURE_LABELS.fee} ${f.money(intent.fee)}`] : []),
  ];
  const seeTracked = [
    { lead: "See every tracked post with", ask: { kind: "words", words: "tracked" } as const },
  ];
  if (outcome === null) {
    // Another replica holds the post right now: it is collecting it.
    return message("info", `Already tracking that ${platform} post`, [url, SCHEDULE_LINE], seeTracked);
  }
  switch (outcome.kind) {
    case "stopped":
      return message("error", `Nothing to track: ${platform} does not show that post`, [
        url,
        `${platform}: ${outcome.reason}.`,
      ]);
    case "deferred":
      if (outcome.cause === "credentials") {
        const { platform: id } = intent.link;
        return message(
          "error",
          `Tracking that ${platform} post, but ${platform} refused the workspace's credentials`,
          [
            url,
            outcome.reason,
            `An admin replaces them: longtail connect ${id} --workspace ${ctx.workspace.slug}. Collection resumes within the hour after.`,
          ],
        );
      }
      return message(
        "info",
        `Tracking that ${platform} post; its first snapshot is delayed`,
        [
          url,
          ...(terms.length ? [terms.join(" · ")] : []),
          `${outcome.reason} I try again at ${f.dateTime(outcome.until.toISOString())}.`,
        ],
        seeTracked,
      );
    case "collected": {
      const { snapshot, next } = outcome;
      const creator = `@${snapshot.handle}${snapshot.followers === null ? "" : ` (${f.count(snapshot.followers)} followers)`}`;
      const counters = Object.entries(snapshot.counters)
        .filter((entry): entry is [string, number] => entry[1] !== null)
        .map(([counter, value]) => `${f.count(value)} ${value === 1 ? (ONE[counter] ?? counter) : counter}`);
      return message(
        "success",
        `${wasTracked ? "Still tracking" : "Tracking"} ${creator} on ${platform}`,
        [
          url,
          ...(terms.length ? [terms.join(" · ")] : []),
          `Snapshot now: ${counters.length ? counters.join(", ") : "no counters given"}.`,
          next === null
            ? "It is more than 60 days old: this was its last collection."
            : `Next collection ${f.dateTime(next.toISOString())}. ${SCHEDULE_LINE}`,
        ],
        seeTracked,
      );
    }
  }
}
