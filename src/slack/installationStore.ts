import type { Installation, InstallationQuery, InstallationStore } from "@slack/oauth";
import type { PrismaClient } from "../generated/prisma/client.ts";
import { log } from "../log.ts";
import { open, seal } from "../store/seal.ts";
import {
  deleteSlackInstallation,
  findSlackInstallation,
  type SlackInstallationRecord,
  saveSlackInstallation,
} from "../store/slackInstallations.ts";

/** What identifies an installation: a team, or an Enterprise Grid org for org-wide installs. */
export interface InstallTarget {
  teamId?: string;
  enterpriseId?: string;
  isEnterpriseInstall: boolean;
}

export class NotInstalledError extends Error {
  constructor(readonly installKey: string) {
    super(`No Longtail installation for ${installKey}`);
  }
}

export function installKeyOf(target: InstallTarget): string {
  if (target.isEnterpriseInstall && target.enterpriseId) return `E:${target.enterpriseId}`;
  if (target.teamId) return `T:${target.teamId}`;
  throw new NotInstalledError("an unknown team");
}

/** "Acme Corp!" → "acme-corp"; a name with nothing usable falls back to the team id. */
export function slugFromTeamName(name: string | undefined, fallbackId: string): string {
  const slug = (name ?? "")
    .normalize("NFKD")
    .replace(/[\u0300-\u036f]/g, "")
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-+|-+$/g, "")
    .slice(0, 40)
    .replace(/-+$/, "");
  return slug === "" ? `slack-${fallbackId.toLowerCase().replace(/[^a-z0-9]/g, "")}` : slug;
}

export interface OpenedInstallation {
  installation: Installation;
  workspaceSlug: string;
}

/**
 * Bolt's installation store over the SlackInstallation table: the whole installation object
 * (tokens included) is sealed with AES-256-GCM before it reaches the database.
 */
export class PrismaInstallationStore implements InstallationStore {
  constructor(
    private readonly prisma: PrismaClient,
    private readonly key: Buffer,
  ) {}

  async storeInstallation(installation: Installation): Promise<void> {
    const target = {
      teamId: installation.team?.id,
      enterpriseId: installation.enterprise?.id,
      isEnterpriseInstall: installation.isEnterpriseInstall === true,
    };
    const installKey = installKeyOf(target);
    const teamName = target.isEnterpriseInstall ? installation.enterprise?.name : installation.team?.name;
    const saved = await saveSlackInstallation(this.prisma, {
      installKey,
      teamId: target.isEnterpriseInstall ? null : (target.teamId ?? null),
      enterpriseId: target.enterpriseId ?? null,
      ciphertext: seal(this.key, JSON.stringify(installation), installKey),
      workspaceName: teamName ?? installKey,
      slugBase: slugFromTeamName(teamName, installKey.slice(2)),
    });
    log.info(
      { installKey, workspace: saved.workspaceSlug, newWorkspace: saved.created },
      "Slack app installed",
    );
  }

  async fetchInstallation(query: InstallationQuery<boolean>): Promise<Installation> {
    return (await this.open(query)).installation;
  }

  async deleteInstallation(query: InstallationQuery<boolean>): Promise<void> {
    await deleteSlackInstallation(this.prisma, installKeyOf(query));
  }

  /** The installation and the workspace it maps to; NotInstalledError for a team that never installed. */
  async open(target: InstallTarget): Promise<OpenedInstallation> {
    const installKey = installKeyOf(target);
    const record = await findSlackInstallation(this.prisma, installKey);
    if (!record) throw new NotInstalledError(installKey);
    return { installation: this.decrypt(record), workspaceSlug: record.workspaceSlug };
  }

  private decrypt(record: SlackInstallationRecord): Installation {
    return JSON.parse(open(this.key, record.ciphertext, record.installKey)) as Installation;
  }
}
