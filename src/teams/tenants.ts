import type { TenantMapping } from "./config.ts";

/**
 * The one workspace a Teams tenant's messages belong to, or null when the tenant is not let in:
 * not listed in TEAMS_TENANTS, or (one workspace) not the tenant the bot is registered in.
 * Tenant ids are GUIDs, compared without regard to case.
 */
export function workspaceOfTenant(mapping: TenantMapping, tenantId: string | undefined): string | null {
  if (!tenantId) return null;
  const tenant = tenantId.toLowerCase();
  if (mapping.kind === "listed") return mapping.tenants.get(tenant) ?? null;
  if (mapping.onlyTenant !== undefined && mapping.onlyTenant !== tenant) return null;
  return mapping.workspaceSlug;
}
