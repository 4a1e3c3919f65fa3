import type { InsightContext } from "../insights/context.ts";

type PrismaClient = InsightContext["prisma"];

import { ensureWorkspace, findWorkspace, listWorkspaceSlugs, workspaceById } from "../store/workspaces.ts";

/**
 * Which workspace a request is for. A platform maps its own tenant (a Slack team through its
 * installation or SLACK_WORKSPACE, a Teams tenant through TEAMS_TENANTS) to exactly one slug and
 * says whether that workspace may be created on first use.
 */
export interface WorkspaceClaim {
  slug: string;
  /** The name a workspace created on first use gets (the Slack team's, the Teams tenant's). */
  name?: string;
  /** Create the workspace when it is not there yet (chat platforms); the CLI never does. */
  createIfMissing: boolean;
}

/** A claim for a workspace that does not exist and may not be created: says which ones do. */
export class UnknownWorkspaceError extends Error {
  override name = "UnknownWorkspaceError";
  constructor(
    readonly slug: string,
    readonly known: string[],
  ) {
    super(`No workspace "${slug}".`);
  }
}

/** The one InsightContext factory: the CLI, the platforms and the scheduler all make theirs here. */
export async function insightContextFor(
  prisma: PrismaClient,
  claim: WorkspaceClaim,
): Promise<InsightContext> {
  const found = await findWorkspace(prisma, claim.slug);
  if (found) return { prisma, workspace: found };
  if (!claim.createIfMissing) throw new UnknownWorkspaceError(claim.slug, await listWorkspaceSlugs(prisma));
  return { prisma, workspace: await ensureWorkspace(prisma, claim.slug, claim.name ?? claim.slug) };
}

/**
 * The context for answering a question, which only reads: through the store's read client (a
 * replica while one is configured and healthy) when it has one. Anything that writes keeps the
 * context insightContextFor made, on the primary.
 */
export function forAnswering(ctx: InsightContext, store: { reads?: PrismaClient }): InsightContext {
  return store.reads ? { ...ctx, prisma: store.reads } : ctx;
}

/** The context of a stored row's workspace (a subscription's, an alert rule's). */
export async function insightContextById(prisma: PrismaClient, workspaceId: number): Promise<InsightContext> {
  return { prisma, workspace: await workspaceById(prisma, workspaceId) };
}
