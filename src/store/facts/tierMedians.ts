import { createHash } from "node:crypto";
import { readdirSync, readFileSync } from "node:fs";
import { Prisma } from "../../generated/prisma/client.ts";
import { emvRates, mediansOfCreators, type TierMedianValues, tierOf } from "../../metrics/index.ts";
import { type FactSums, TIERS, type Tier, type TierBoundaries } from "../../metrics/types.ts";
import type { SqlRunner } from "../sqlRunner.ts";
import { SUMS_SHAPE } from "./sums.ts";

let shape: string | undefined;

/**
 * Which version made a stored row: the sums' shape and the source of src/metrics, which turns
 * sums into medians. Rows made by another version (or by the built code, when this is the
 * source) are not read.
 */
function mediansShape(): string {
  if (shape !== undefined) return shape;
  const metrics = new URL("../../metrics/", import.meta.url);
  const hash = createHash("sha256").update(SUMS_SHAPE);
  for (const file of readdirSync(metrics).sort())
    hash.update(file).update(readFileSync(new URL(file, metrics)));
  shape = hash.digest("hex").slice(0, 16);
  return shape;
}

interface CreatorSumsRow {
  followers: number;
  sums: FactSums;
  asOf: Date;
}

/**
 * Stores the medians of every tier of the workspace from its creators' stored sums, unless they
 * are stored already (the database forgets them on any change to those sums) or some creator
 * with posts has no current sums to stand on.
 */
export async function storeMissingTierMedians(db: SqlRunner, workspaceId: number): Promise<void> {
  const [state] = await db.$queryRaw<
    { stored: boolean; complete: boolean; boundaries: number[]; rates: unknown }[]
  >`
    SELECT
      EXISTS (SELECT FROM tier_median t WHERE t.workspace_id = w.id AND t.shape = ${mediansShape()}
        AND t.boundaries = w.tier_boundaries) AS stored,
      NOT EXISTS (
        SELECT FROM creator c WHERE c.workspace_id = w.id AND EXISTS (SELECT FROM post p WHERE p.creator_id = c.id)
          AND NOT EXISTS (SELECT FROM creator_fact_sum cs WHERE cs.creator_id = c.id AND cs.shape = ${SUMS_SHAPE})
      ) AS complete,
      w.tier_boundaries AS boundaries, w.emv_rates AS rates
    FROM workspace w WHERE w.id = ${workspaceId}`;
  if (!state || state.stored || !state.complete) return;
  const boundaries = state.boundaries as unknown as TierBoundaries;
  const rows = await db.$queryRaw<CreatorSumsRow[]>`
    SELECT c.followers, cs.sums, greatest(cs.last_published_at, cs.last_captured_at) AS "asOf"
    FROM creator c JOIN creator_fact_sum cs ON cs.creator_id = c.id
    WHERE c.workspace_id = ${workspaceId} AND cs.shape = ${SUMS_SHAPE}`;
  const rates = emvRates(state.rates);
  const tierRows = TIERS.map((tier) => {
    const inTier = rows.filter((row) => tierOf(row.followers, boundaries) === tier);
    const asOf = inTier.reduce<Date | null>(
      (latest, row) => (latest && latest >= row.asOf ? latest : row.asOf),
      null,
    );
    const medians = mediansOfCreators(
      inTier.map((row) => row.sums),
      rates,
    );
    return Prisma.sql`(${workspaceId}, ${tier}, ${boundaries}::int[], ${asOf}::timestamptz,
      ${JSON.stringify(medians)}::jsonb, ${mediansShape()})`;
  });
  await db.$executeRaw`
    INSERT INTO tier_median (workspace_id, tier, boundaries, as_of, medians, shape)
    VALUES ${Prisma.join(tierRows)}
    ON CONFLICT (workspace_id, tier) DO UPDATE SET boundaries = EXCLUDED.boundaries, as_of = EXCLUDED.as_of,
      medians = EXCLUDED.medians, shape = EXCLUDED.shape`;
}

/** The stored medians of a tier grouped by these boundaries, when they hold for `now`; else null. */
export async function queryStoredTierMedians(
  db: SqlRunner,
  workspaceId: number,
  now: Date,
  scope: { tier: Tier; tierBoundaries: TierBoundaries },
): Promise<TierMedianValues | null> {
  const [row] = await db.$queryRaw<{ medians: TierMedianValues }[]>`${storedTierMediansSql(
    workspaceId,
    now,
    Prisma.sql`${scope.tier}`,
    scope.tierBoundaries,
  )}`;
  return row?.medians ?? null;
}

/** The statement reading the stored medians (a row `medians`, or none) of the tier `tier` names, as queryStoredTierMedians. */
export function storedTierMediansSql(
  workspaceId: number,
  now: Date,
  tier: Prisma.Sql,
  boundaries: TierBoundaries,
): Prisma.Sql {
  return Prisma.sql`SELECT medians FROM tier_median
    WHERE workspace_id = ${workspaceId} AND tier = ${tier} AND shape = ${mediansShape()}
      AND boundaries = ${[...boundaries]}::int[] AND (as_of IS NULL OR as_of <= ${now})`;
}
