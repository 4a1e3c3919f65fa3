import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { networkInterfaces } from "node:os";
import { describe, expect, it } from "vitest";
import { ConfigError, loadConfig } from "../../src/config.ts";
import { isLoopback, refuseUnauthenticatedOffLoopback, teamsSettings } from "../../src/teams/config.ts";
import { quietLogs } from "../schedule/support.ts";
import { TENANT_ACME, TENANT_BETA } from "./support/activities.ts";
import { startTeamsHarness } from "./support/harness.ts";

const APP_ID = "aaaaaaaa-1111-4222-8333-bbbbbbbbbbbb";
const SECRET = "a-client-secret-that-must-never-be-printed";
const config = loadConfig({ LONGTAIL_WORKSPACE: "acme" });

function problemOf(env: Record<string, string>): string {
  try {
    teamsSettings(config, env);
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return (error as Error).message;
  }
  throw new Error("no ConfigError");
}

describe("Teams settings (zod over the environment, a message per variable, never its value)", () => {
  it("is local mode when no chat platform is configured", () => {
    expect(teamsSettings(config, {})).toEqual({
      auth: "local",
      appId: "",
      botFramework: {},
      tenants: { kind: "single", workspaceSlug: "acme", onlyTenant: undefined },
      chartHost: undefined,
    });
  });

  it("is off when only Slack is configured", () => {
    const slack = loadConfig({
      SLACK_SIGNING_SECRET: "0123456789abcdef0123456789abcdef",
      SLACK_BOT_TOKEN: "xoxb-1-2-3",
    });
    expect(teamsSettings(slack, {})).toBeNull();
  });

  it("authenticates with an app id, SingleTenant by default, its own tenant mapped to LONGTAIL_WORKSPACE", () => {
    const settings = teamsSettings(config, {
      MicrosoftAppId: APP_ID,
      MicrosoftAppPassword: SECRET,
      MicrosoftAppTenantId: TENANT_ACME.toUpperCase(),
    });
    expect(settings?.auth).toBe("botframework");
    expect(settings?.botFramework).toEqual({
      MicrosoftAppId: APP_ID,
      MicrosoftAppType: "SingleTenant",
      MicrosoftAppTenantId: TENANT_ACME.toUpperCase(),
      MicrosoftAppPassword: SECRET,
    });
    expect(settings?.tenants).toEqual({ kind: "single", workspaceSlug: "acme", onlyTenant: TENANT_ACME });
  });

  it("takes a user-assigned managed identity without a password", () => {
    const settings = teamsSettings(config, {
      MicrosoftAppId: APP_ID,
      MicrosoftAppType: "UserAssignedMSI",
      MicrosoftAppTenantId: TENANT_ACME,
    });
    expect(settings?.botFramework.MicrosoftAppType).toBe("UserAssignedMSI");
  });

  it("names each missing or malformed variable, and never prints a value", () => {
    const message = problemOf({ MicrosoftAppId: APP_ID, MicrosoftAppPassword: SECRET });
    expect(message).toBe(
      "Configuration problem:\n  MicrosoftAppTenantId is missing for a SingleTenant bot: copy the Directory (tenant) ID from the Entra app registration's Overview page",
    );
    expect(problemOf({ MicrosoftAppId: APP_ID, MicrosoftAppTenantId: TENANT_ACME })).toBe(
      "Configuration problem:\n  MicrosoftAppPassword is missing (or a certificate: MicrosoftAppCertificateThumbprint): create a client secret under Certificates & secrets of the bot's Entra app registration, and copy its Value",
    );
    expect(problemOf({ MicrosoftAppId: "not-a-guid" })).toContain("MicrosoftAppId must be a GUID:");
    expect(problemOf({ MicrosoftAppPassword: SECRET })).toBe(
      "Configuration problem:\n  MicrosoftAppId is missing while other Microsoft App variables are set: copy the Microsoft App ID from your Azure Bot's Configuration page (a GUID, like 00000000-0000-0000-0000-000000000000)",
    );
    expect(
      problemOf({ MicrosoftAppId: APP_ID, MicrosoftAppTenantId: TENANT_ACME, MicrosoftAppType: "Personal" }),
    ).toContain("MicrosoftAppType must be SingleTenant (the default) or UserAssignedMSI");
    const withSecret: Record<string, string>[] = [
      { MicrosoftAppPassword: SECRET },
      { MicrosoftAppId: APP_ID, MicrosoftAppPassword: SECRET },
    ];
    for (const env of withSecret) expect(problemOf(env)).not.toContain(SECRET);
  });

  it("maps listed tenants to their workspaces and refuses a bad list", () => {
    const settings = teamsSettings(config, {
      TEAMS_TENANTS: `${TENANT_ACME}=acme,${TENANT_BETA.toUpperCase()}=beta`,
    });
    expect(settings?.tenants).toEqual({
      kind: "listed",
      tenants: new Map([
        [TENANT_ACME, "acme"],
        [TENANT_BETA, "beta"],
      ]),
    });
    expect(problemOf({ TEAMS_TENANTS: `${TENANT_ACME}=Acme Corp` })).toBe(
      `Configuration problem:\n  TEAMS_TENANTS has a bad or repeated pair "${TENANT_ACME}=Acme Corp": tenant id=workspace slug pairs, comma-separated, like 11111111-2222-3333-4444-555555555555=acme`,
    );
  });
});

describe("unauthenticated Teams only on loopback", () => {
  it("knows loopback addresses", () => {
    for (const host of ["127.0.0.1", "127.1.2.3", "::1", "[::1]", "localhost", "::ffff:127.0.0.1"])
      expect(isLoopback(host)).toBe(true);
    for (const host of ["0.0.0.0", "::", "192.0.2.2", "10.0.0.1", "example.com"])
      expect(isLoopback(host)).toBe(false);
  });

  it("refuses to serve local mode on a public address, with what to do", () => {
    quietLogs();
    const local = teamsSettings(config, {});
    if (!local) throw new Error("expected local mode");
    expect(() => refuseUnauthenticatedOffLoopback(local, "127.0.0.1")).not.toThrow();
    expect(() => refuseUnauthenticatedOffLoopback(local, "0.0.0.0")).toThrow(
      "Teams has no MicrosoftAppId, so /api/messages would accept unauthenticated requests, and HOST 0.0.0.0 is not a loopback address.",
    );
    const authenticated = teamsSettings(config, {
      MicrosoftAppId: APP_ID,
      MicrosoftAppPassword: SECRET,
      MicrosoftAppTenantId: TENANT_ACME,
    });
    if (!authenticated) throw new Error("expected Teams");
    expect(() => refuseUnauthenticatedOffLoopback(authenticated, "0.0.0.0")).not.toThrow();
  });

  const external = Object.values(networkInterfaces())
    .flat()
    .find((address) => address?.family === "IPv4" && !address.internal)?.address;

  it.skipIf(!external)(
    "in local mode, answers 403 to a request that does not come from loopback",
    async () => {
      quietLogs();
      const h = await startTeamsHarness();
      // The same handler on this machine's network address: the request arrives from off loopback.
      const server = createServer((req, res) => void h.app.handleMessages(req, res));
      await new Promise<void>((resolve) => server.listen(0, external, resolve));
      try {
        const { port } = server.address() as AddressInfo;
        const response = await fetch(`http://${external}:${port}/api/messages`, {
          method: "POST",
          headers: { "content-type": "application/json" },
          body: JSON.stringify({ type: "message", text: "help" }),
        });
        expect(response.status).toBe(403);
        expect(await response.text()).toBe(
          "Teams runs without authentication here, so it answers this machine only.\n",
        );
        expect(h.connector.attempts).toBe(0);
      } finally {
        await new Promise<void>((resolve) => server.close(() => resolve()));
        await h.close();
      }
    },
  );
});
