import type { PrismaClient } from "../generated/prisma/client.ts";
import { DEFAULT_TIER_BOUNDARIES, emvRates } from "../metrics/index.ts";
import type { EmvRates, TierBoundaries } from "../metrics/types.ts";

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
  const row = await prisma.workspace.upsert({ where: { slug }, create: { slug, name }, update: {} });
  return toWorkspace(row);
}
