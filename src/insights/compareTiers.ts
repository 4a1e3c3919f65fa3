import { TIERS, type Tier } from "../metrics/types.ts";
import { factSums, type InsightContext, tierRows, workspaceInfo } from "./context.ts";
import type { CompareTiersView } from "./viewModels.ts";

/** Every tier (or the ones asked for) side by side: what each euro bought, now and lasting. */
export async function compareTiers(
  ctx: InsightContext,
  args: { tiers?: Tier[]; campaignId?: number },
  now: Date,
): Promise<CompareTiersView> {
  const scope = args.campaignId === undefined ? {} : { campaignId: args.campaignId };
  const tierSums = await factSums(ctx, now, "tier", scope);
  const tiers = tierRows(ctx, tierSums, args.tiers?.length ? args.tiers : TIERS);
  return { kind: "compareTiers", workspace: workspaceInfo(ctx.workspace), asOf: now.toISOString(), tiers };
}
