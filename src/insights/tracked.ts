import type { CampaignRecord } from "../store/catalog.ts";
import { listTrackedPosts, type TrackedPostRow } from "../store/trackedPosts.ts";
import { type InsightContext, workspaceInfo } from "./context.ts";
import type { TrackedRow, TrackedView } from "./viewModels.ts";

/** The workspace's tracked posts (of one campaign): state, last and next collection, why one stopped. */
export async function trackedView(
  ctx: InsightContext,
  args: { campaign?: CampaignRecord },
  now: Date,
): Promise<TrackedView> {
  const rows = await listTrackedPosts(ctx.prisma, ctx.workspace.id, args.campaign?.id);
  return {
    kind: "tracked",
    workspace: workspaceInfo(ctx.workspace),
    asOf: now.toISOString(),
    campaign: args.campaign?.name ?? null,
    posts: rows.map(trackedRow),
  };
}

function trackedRow(row: TrackedPostRow): TrackedRow {
  const active = row.state === "active";
  return {
    platform: row.platform,
    url: row.url,
    handle: row.handle,
    campaign: row.campaign,
    snapshots: row.snapshots,
    lastCollectedAt: row.lastCollectedAt?.toISOString() ?? null,
    nextCollectionAt: active ? row.nextCollectionAt.toISOString() : null,
    stopped: active ? null : (row.stopReason ?? "stopped"),
    lastError: active ? row.lastError : null,
  };
}
