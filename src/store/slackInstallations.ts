import type { PrismaClient } from "../generated/prisma/client.ts";

/** The database the Slack installation store and the Slack sender work on (src/slack never opens one). */
export type InstallationsDb = PrismaClient;

/** Slack installations: which workspace a Slack team (or Enterprise Grid org) maps to. */

export interface SlackInstallationRecord {
  /** "T:<team id>" or, for an org-wide install, "E:<enterprise id>". */
  installKey: string;
  workspaceId: number;
  workspaceSlug: string;
  /** The installation, sealed; only src/slack knows how to open it. */
  ciphertext: string;
}

export interface NewSlackInstallation {
  installKey: string;
  teamId: string | null;
  enterpriseId: string | null;
  ciphertext: string;
  /** For a first install: the new workspace's name, and the slug to start from. */
  workspaceName: string;
  slugBase: string;
}

const SLUG_ATTEMPTS = 20;

export async function findSlackInstallation(
  prisma: PrismaClient,
  installKey: string,
): Promise<SlackInstallationRecord | null> {
  const row = await prisma.slackInstallation.findUnique({
    where: { installKey },
    select: {
      installKey: true,
      workspaceId: true,
      installationCiphertext: true,
      workspace: { select: { slug: true } },
    },
  });
  return row
    ? {
        installKey: row.installKey,
        workspaceId: row.workspaceId,
        workspaceSlug: row.workspace.slug,
        ciphertext: row.installationCiphertext,
      }
    : null;
}

/** Where a workspace's Slack installation is: the team (or org) it was installed for. */
export interface SlackInstallationOfWorkspace {
  workspaceSlug: string;
  /** Null when the workspace has no Slack installation (single-workspace mode, or uninstalled). */
  installation: { teamId: string | null; enterpriseId: string | null } | null;
}

/** The workspace's slug and Slack installation, for sending to it unasked; null for an unknown workspace. */
export async function slackInstallationOfWorkspace(
  prisma: PrismaClient,
  workspaceId: number,
): Promise<SlackInstallationOfWorkspace | null> {
  const row = await prisma.workspace.findUnique({
    where: { id: workspaceId },
    select: { slug: true, slackInstallation: { select: { teamId: true, enterpriseId: true } } },
  });
  return row ? { workspaceSlug: row.slug, installation: row.slackInstallation } : null;
}

/**
 * Stores an installation. A team seen before keeps its workspace (a re-install only replaces the
 * sealed installation); a new team gets a new workspace of its own, with a slug made unique.
 */
export async function saveSlackInstallation(
  prisma: PrismaClient,
  installation: NewSlackInstallation,
): Promise<{ workspaceSlug: string; created: boolean }> {
  const { installKey, teamId, enterpriseId, ciphertext } = installation;
  const existing = await prisma.slackInstallation.findUnique({
    where: { installKey },
    select: { workspace: { select: { slug: true } } },
  });
  if (existing) {
    await prisma.slackInstallation.update({
      where: { installKey },
      data: { installationCiphertext: ciphertext, teamId, enterpriseId },
    });
    return { workspaceSlug: existing.workspace.slug, created: false };
  }
  for (let attempt = 0; attempt < SLUG_ATTEMPTS; attempt += 1) {
    const slug = await freeSlug(prisma, installation.slugBase);
    try {
      await prisma.workspace.create({
        data: {
          slug,
          name: installation.workspaceName,
          slackInstallation: {
            create: { installKey, teamId, enterpriseId, installationCiphertext: ciphertext },
          },
        },
      });
      return { workspaceSlug: slug, created: true };
    } catch (error) {
      if (!isUniqueViolation(error)) throw error;
      const raced = await findSlackInstallation(prisma, installKey);
      if (raced) return saveSlackInstallation(prisma, installation);
    }
  }
  throw new Error(`Could not find a free workspace slug for "${installation.slugBase}".`);
}

export async function deleteSlackInstallation(prisma: PrismaClient, installKey: string): Promise<void> {
  await prisma.slackInstallation.deleteMany({ where: { installKey } });
}

/** `base`, or `base-2`, `base-3`, … whichever is not taken yet. */
async function freeSlug(prisma: PrismaClient, base: string): Promise<string> {
  const taken = new Set(
    (await prisma.workspace.findMany({ where: { slug: { startsWith: base } }, select: { slug: true } })).map(
      (row) => row.slug,
    ),
  );
  if (!taken.has(base)) return base;
  for (let suffix = 2; ; suffix += 1) {
    const candidate = `${base}-${suffix}`;
    if (!taken.has(candidate)) return candidate;
  }
}

function isUniqueViolation(error: unknown): boolean {
  return typeof error === "object" && error !== null && "code" in error && error.code === "P2002";
}

/** What removing Longtail from a Slack team stopped. */
export interface SlackRemoval {
  workspaceSlug: string;
  /** Subscriptions and alert rules posting to the workspace's Slack channels, now inactive. */
  stopped: number;
  /** Messages still waiting in the outbox for Slack, now skipped. */
  skipped: number;
}

/**
 * Longtail was removed from a Slack team (uninstalled, or its bot token revoked): everything that
 * posts to the workspace's Slack channels stops with `reason` kept, what waits in the outbox for
 * Slack is skipped with it, and then the installation (the sealed tokens) is deleted. Each step
 * can run again: a retried event finishes the job. Null when the team maps to no workspace.
 */
export async function removeSlackWorkspace(
  prisma: PrismaClient,
  which: { installKey: string } | { workspaceSlug: string },
  reason: string,
): Promise<SlackRemoval | null> {
  const workspace = await removedWorkspace(prisma, which);
  if (!workspace) return null;
  const onSlack = { workspaceId: workspace.id, platform: "slack", active: true };
  const stop = { active: false, disabledReason: reason };
  const subscriptions = await prisma.subscription.updateMany({ where: onSlack, data: stop });
  const rules = await prisma.alertRule.updateMany({ where: onSlack, data: stop });
  const deliveries = await prisma.delivery.updateMany({
    where: { workspaceId: workspace.id, platform: "slack", status: "pending" },
    data: { status: "skipped", lastError: reason },
  });
  await prisma.slackInstallation.deleteMany({ where: { workspaceId: workspace.id } });
  return {
    workspaceSlug: workspace.slug,
    stopped: subscriptions.count + rules.count,
    skipped: deliveries.count,
  };
}

function removedWorkspace(
  prisma: PrismaClient,
  which: { installKey: string } | { workspaceSlug: string },
): Promise<{ id: number; slug: string } | null> {
  const select = { id: true, slug: true } as const;
  if ("workspaceSlug" in which)
    return prisma.workspace.findUnique({ where: { slug: which.workspaceSlug }, select });
  return prisma.workspace.findFirst({
    where: { slackInstallation: { installKey: which.installKey } },
    select,
  });
}
