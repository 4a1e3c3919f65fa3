import { z } from "zod";
import type { PrismaClient } from "../generated/prisma/client.ts";
import { DEFAULT_TIER_BOUNDARIES, emvRates } from "../metrics/index.ts";
import type { EmvRates, TierBoundaries } from "../metrics/types.ts";

/** The longest slug: room for a 40-character Slack team name and a "-N" suffix. */
export const MAX_SLUG_LENGTH = 63;

const SLUG_RULE =
  `must be a workspace slug: 1 to ${MAX_SLUG_LENGTH} lower-case letters, digits and dashes, ` +
  "starting with a letter or digit (e.g. acme-social)";

/** The one slug policy: the CLI's --workspace, LONGTAIL_WORKSPACE and every workspace created. */
export const workspaceSlugSchema = z
  .string({ error: SLUG_RULE })
  .max(MAX_SLUG_LENGTH, SLUG_RULE)
  .regex(/^[a-z0-9][a-z0-9-]*$/, SLUG_RULE);

/** A slug the product cannot select, refused before any workspace is made. */
export class WorkspaceSlugError extends Error {
  override name = "WorkspaceSlugError";
}

/** How many characters of a refused slug its message shows. */
const SHOWN_SLUG_LENGTH = 40;

/** `slug` when it follows the policy; else throws a WorkspaceSlugError naming it (shortened, escaped). */
export function checkedWorkspaceSlug(slug: string): string {
  if (workspaceSlugSchema.safeParse(slug).success) return slug;
  const shown =
    JSON.stringify(slug.slice(0, SHOWN_SLUG_LENGTH)) + (slug.length > SHOWN_SLUG_LENGTH ? "…" : "");
  throw new WorkspaceSlugError(`workspace ${shown} ${SLUG_RULE}`);
}

/** A workspace as the insights need it: the tenant every query is scoped to. */
export interface Workspace {
  id: number;
  slug: string;
  name: string;
  timezone: string;
  currency: string;
  locale: string;
  tierBoundaries: TierBoundaries;
  emvRates: EmvRates;
  privateCharts: boolean;
}

interface WorkspaceRow {
  id: number;
  slug: string;
  name: string;
  timezone: string;
  currency: string;
  locale: string;
  tierBoundaries: number[];
  emvRates: unknown;
  privateCharts: boolean;
}

function toWorkspace(row: WorkspaceRow): Workspace {
  const [b0, b1, b2, b3] = row.tierBoundaries;
  const boundaries: TierBoundaries =
    b0 !== undefined && b1 !== undefined && b2 !== undefined && b3 !== undefined
      ? [b0, b1, b2, b3]
      : DEFAULT_TIER_BOUNDARIES;
  return { ...row, tierBoundaries: boundaries, emvRates: emvRates(row.emvRates) };
}

export async function findWorkspace(prisma: PrismaClient, slug: string): Promise<Workspace | null> {
  const row = await prisma.workspace.findUnique({ where: { slug } });
  return row ? toWorkspace(row) : null;
}

export async function workspaceById(prisma: PrismaClient, id: number): Promise<Workspace> {
  return toWorkspace(await prisma.workspace.findUniqueOrThrow({ where: { id } }));
}

export async function listWorkspaceSlugs(prisma: PrismaClient): Promise<string[]> {
  const rows = await prisma.workspace.findMany({ select: { slug: true }, orderBy: { slug: "asc" } });
  return rows.map((row) => row.slug);
}

export async function ensureWorkspace(prisma: PrismaClient, slug: string, name = slug): Promise<Workspace> {
  checkedWorkspaceSlug(slug);
  const row = await prisma.workspace.upsert({ where: { slug }, create: { slug, name }, update: {} });
  return toWorkspace(row);
}
