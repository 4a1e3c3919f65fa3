import type { InsightContext } from "../insights/context.ts";
import type { Store } from "../store/database.ts";
import { ensureWorkspace, findWorkspace } from "../store/workspaces.ts";
import type { LongtailContext } from "./authorize.ts";

/**
 * The insight context of one request: the store and the one workspace the request's Slack team
 * maps to (named by `authorize`). A workspace named but not there yet is created on first use.
 */
export async function insightContextFor(store: Store, context: LongtailContext): Promise<InsightContext> {
  const slug = context.workspaceSlug;
  if (!slug) throw new Error("A Slack request reached a listener without a workspace.");
  const workspace =
    (await findWorkspace(store.prisma, slug)) ??
    (await ensureWorkspace(store.prisma, slug, context.teamName ?? slug));
  return { prisma: store.prisma, workspace };
}
