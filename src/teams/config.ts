import { isIP } from "node:net";
import { z } from "zod";
import { type Config, ConfigError, slackSettings } from "../config.ts";
import { log } from "../log.ts";

/** Where each Teams variable is found, for the message when it is missing or malformed. */
const TEAMS_WHERE = {
  MicrosoftAppId:
    "copy the Microsoft App ID from your Azure Bot's Configuration page (a GUID, like 00000000-0000-0000-0000-000000000000)",
  MicrosoftAppPassword:
    "create a client secret under Certificates & secrets of the bot's Entra app registration, and copy its Value",
  MicrosoftAppType: "SingleTenant (the default) or UserAssignedMSI, as chosen when the Azure Bot was created",
  MicrosoftAppTenantId: "copy the Directory (tenant) ID from the Entra app registration's Overview page",
  MicrosoftAppCertificateThumbprint:
    "the thumbprint of the certificate uploaded under Certificates & secrets, as 40 hex digits",
  MicrosoftAppCertificatePrivateKey: "the certificate's private key, PEM (-----BEGIN PRIVATE KEY-----…)",
  TEAMS_TENANTS:
    "tenant id=workspace slug pairs, comma-separated, like 11111111-2222-3333-4444-555555555555=acme",
} as const;

type TeamsVariable = keyof typeof TEAMS_WHERE;

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const SLUG = /^[a-z0-9][a-z0-9-]*$/;

const optionalText = z
  .string()
  .transform((value) => value.trim())
  .optional()
  .transform((value) => (value === "" ? undefined : value));

function guid(name: TeamsVariable) {
  return optionalText.refine((value) => value === undefined || GUID.test(value), {
    message: `must be a GUID: ${TEAMS_WHERE[name]}`,
  });
}

/** "tenant=slug,tenant=slug" → a map; every pair checked. */
const tenantsSchema = optionalText.transform((value, context) => {
  if (value === undefined) return undefined;
  const tenants = new Map<string, string>();
  for (const pair of value.split(",").map((part) => part.trim())) {
    const [tenantId = "", slug = "", ...rest] = pair.split("=").map((part) => part.trim());
    if (!GUID.test(tenantId) || !SLUG.test(slug) || rest.length > 0 || tenants.has(tenantId.toLowerCase())) {
      context.addIssue({
        code: "custom",
        message: `has a bad or repeated pair "${pair.slice(0, 80)}": ${TEAMS_WHERE.TEAMS_TENANTS}`,
      });
      return z.NEVER;
    }
    tenants.set(tenantId.toLowerCase(), slug);
  }
  return tenants;
});

const teamsEnvironmentSchema = z
  .object({
    MicrosoftAppId: guid("MicrosoftAppId"),
    MicrosoftAppPassword: optionalText,
    MicrosoftAppType: optionalText
      .transform((value) => value ?? "SingleTenant")
      .pipe(
        z.enum(["SingleTenant", "UserAssignedMSI", "MultiTenant"], {
          error: `must be ${TEAMS_WHERE.MicrosoftAppType}`,
        }),
      ),
    MicrosoftAppTenantId: guid("MicrosoftAppTenantId"),
    MicrosoftAppCertificateThumbprint: optionalText.refine(
      (value) => value === undefined || /^[0-9a-f]{40}$/i.test(value),
      { message: `must be 40 hex digits: ${TEAMS_WHERE.MicrosoftAppCertificateThumbprint}` },
    ),
    MicrosoftAppCertificatePrivateKey: optionalText.refine(
      (value) => value === undefined || value.includes("PRIVATE KEY-----"),
      { message: `must be a PEM private key: ${TEAMS_WHERE.MicrosoftAppCertificatePrivateKey}` },
    ),
    TEAMS_TENANTS: tenantsSchema,
  })
  .superRefine((env, issues) => {
    for (const problem of credentialProblems(env)) issues.addIssue({ code: "custom", ...problem });
  });

type TeamsEnvironment = z.infer<typeof teamsEnvironmentSchema>;

function credentialProblems(
  env: Omit<TeamsEnvironment, "TEAMS_TENANTS">,
): { path: string[]; message: string }[] {
  const missing = (name: TeamsVariable, when: string) => ({
    path: [name],
    message: `is missing ${when}: ${TEAMS_WHERE[name]}`,
  });
  const anyCredential =
    env.MicrosoftAppPassword !== undefined ||
    env.MicrosoftAppTenantId !== undefined ||
    env.MicrosoftAppCertificateThumbprint !== undefined ||
    env.MicrosoftAppCertificatePrivateKey !== undefined;
  if (env.MicrosoftAppId === undefined)
    return anyCredential ? [missing("MicrosoftAppId", "while other Microsoft App variables are set")] : [];
  const problems: { path: string[]; message: string }[] = [];
  if (env.MicrosoftAppType !== "MultiTenant" && env.MicrosoftAppTenantId === undefined)
    problems.push(missing("MicrosoftAppTenantId", `for a ${env.MicrosoftAppType} bot`));
  const certificate =
    env.MicrosoftAppCertificateThumbprint !== undefined ||
    env.MicrosoftAppCertificatePrivateKey !== undefined;
  if (env.MicrosoftAppType !== "UserAssignedMSI" && env.MicrosoftAppPassword === undefined && !certificate)
    problems.push(missing("MicrosoftAppPassword", "(or a certificate: MicrosoftAppCertificateThumbprint)"));
  if (certificate && env.MicrosoftAppCertificateThumbprint === undefined)
    problems.push(missing("MicrosoftAppCertificateThumbprint", "for certificate authentication"));
  if (certificate && env.MicrosoftAppCertificatePrivateKey === undefined)
    problems.push(missing("MicrosoftAppCertificatePrivateKey", "for certificate authentication"));
  return problems;
}

/** Which workspace a Teams tenant's messages belong to. */
export type TenantMapping =
  /** TEAMS_TENANTS: each listed tenant to its workspace; any other tenant is refused. */
  | { kind: "listed"; tenants: ReadonlyMap<string, string> }
  /** One workspace (LONGTAIL_WORKSPACE); with `onlyTenant`, the one tenant the bot is registered in. */
  | { kind: "single"; workspaceSlug: string; onlyTenant?: string };

export interface TeamsSettings {
  /**
   * "botframework": every inbound request carries a token botbuilder validates. "local": no app id,
   * so nothing is authenticated; served only on loopback (see refuseUnauthenticatedOffLoopback).
   */
  auth: "botframework" | "local";
  /** Empty in local mode. */
  appId: string;
  /** What botbuilder's ConfigurationBotFrameworkAuthentication reads (its own key names). */
  botFramework: Record<string, string>;
  tenants: TenantMapping;
  /** A self-hosted QuickChart server for chart images. */
  chartHost?: string;
}

/**
 * Teams, when configured: with MicrosoftAppId, authenticated; with no chat platform configured at
 * all, local mode (the Bot Framework Emulator, the playground and tests talk to /api/messages
 * unauthenticated, on loopback only). Null when only Slack is configured. Throws a ConfigError
 * naming every bad variable (never its value).
 */
export function teamsSettings(config: Config, env: NodeJS.ProcessEnv = process.env): TeamsSettings | null {
  const parsed = teamsEnvironmentSchema.safeParse(env);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => `  ${issue.path.join(".")} ${issue.message}`);
    throw new ConfigError(`Configuration problem:\n${problems.join("\n")}`);
  }
  const teams = parsed.data;
  const base = { chartHost: config.QUICKCHART_HOST, tenants: tenantMapping(config, teams) };
  if (teams.MicrosoftAppId === undefined) {
    return slackSettings(config) ? null : { ...base, auth: "local", appId: "", botFramework: {} };
  }
  return {
    ...base,
    auth: "botframework",
    appId: teams.MicrosoftAppId,
    botFramework: botFrameworkKeys(teams),
  };
}

function tenantMapping(config: Config, teams: TeamsEnvironment): TenantMapping {
  if (teams.TEAMS_TENANTS) return { kind: "listed", tenants: teams.TEAMS_TENANTS };
  const onlyTenant = teams.MicrosoftAppType === "MultiTenant" ? undefined : teams.MicrosoftAppTenantId;
  return { kind: "single", workspaceSlug: config.LONGTAIL_WORKSPACE, onlyTenant: onlyTenant?.toLowerCase() };
}

function botFrameworkKeys(teams: TeamsEnvironment): Record<string, string> {
  const keys: Record<string, string | undefined> = {
    MicrosoftAppId: teams.MicrosoftAppId,
    MicrosoftAppType: teams.MicrosoftAppType,
    MicrosoftAppTenantId: teams.MicrosoftAppTenantId,
    MicrosoftAppPassword: teams.MicrosoftAppPassword,
    CertificateThumbprint: teams.MicrosoftAppCertificateThumbprint,
    CertificatePrivateKey: teams.MicrosoftAppCertificatePrivateKey,
  };
  return Object.fromEntries(
    Object.entries(keys).filter((entry): entry is [string, string] => entry[1] !== undefined),
  );
}

/** 127.0.0.0/8, ::1, "localhost" (and an IPv4-mapped loopback). */
export function isLoopback(host: string): boolean {
  const address = host.replace(/^\[|\]$/g, "").replace(/^::ffff:/i, "");
  if (address === "localhost") return true;
  if (isIP(address) === 4) return address.startsWith("127.");
  return address === "::1";
}

/**
 * Without an app id botbuilder accepts any request, signed or not: that is only allowed on a server
 * bound to loopback. Call with the address the server listens on; throws a ConfigError otherwise.
 */
export function refuseUnauthenticatedOffLoopback(settings: TeamsSettings, host: string): void {
  if (settings.auth === "botframework") return;
  if (isLoopback(host)) {
    log.warn(
      { host },
      "Teams local mode: no MicrosoftAppId, so /api/messages answers without authentication — this machine only (loopback)",
    );
    return;
  }
  throw new ConfigError(
    `Teams has no MicrosoftAppId, so /api/messages would accept unauthenticated requests, and HOST ${host} ` +
      "is not a loopback address. Set MicrosoftAppId, MicrosoftAppPassword and MicrosoftAppTenantId " +
      "(manifests/teams/README.md), or listen on 127.0.0.1 for local testing.",
  );
}
