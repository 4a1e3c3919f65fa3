import type { CredentialSubject } from "../collect/collector.ts";
import { type CollectedPlatform, PLATFORM_NAMES } from "../collect/postLink.ts";
import type { PrismaClient } from "../generated/prisma/client.ts";
import { open, SealedTextError, seal } from "./seal.ts";

/**
 * Platform credentials of a workspace, sealed with LONGTAIL_ENCRYPTION_KEY by the same AES-256-GCM
 * scheme as Slack installations. A credential belongs to the workspace itself (subject null: the
 * YouTube API key, the Instagram business account) or to a creator who authorised the brand's app
 * (subject = the creator's handle: TikTok, Instagram insights). Statuses never carry the secret.
 */
export type { CredentialSubject };
export interface NewCredential {
  platform: CollectedPlatform;
  subject: CredentialSubject;
  secret: string;
  /** The account the token acts for (the Instagram business account id). */
  accountId?: string | null;
}

export interface LoadedCredential {
  secret: string;
  accountId: string | null;
  /** Why the platform last refused it; null when it worked (or was not tried) since it was set. */
  problem: string | null;
}

export interface CredentialStatus {
  platform: CollectedPlatform;
  subject: CredentialSubject;
  accountId: string | null;
  status: "ok" | "problem";
  problem: string | null;
  /** When the platform first refused it, since it was last set. */
  problemAt: Date | null;
  setAt: Date;
}

/** A stored credential that does not open with the configured key. */
export class CredentialUnreadableError extends Error {
  override name = "CredentialUnreadableError";
}

/** The subject as stored: "" for the workspace's own, the handle in lower case without "@". */
function storedSubject(subject: CredentialSubject): string {
  return subject === null ? "" : subject.replace(/^@/, "").toLowerCase();
}

/** Bound into the ciphertext: a sealed secret copied to another row does not open there. */
function sealContext(workspaceId: number, platform: string, subject: string): string {
  return `credential:${workspaceId}:${platform}:${subject}`;
}

/** Sets (or replaces) a credential; a replaced one starts with no problem. */
export async function saveCredential(
  db: PrismaClient,
  key: Buffer,
  workspaceId: number,
  credential: NewCredential,
  now = new Date(),
): Promise<void> {
  const subject = storedSubject(credential.subject);
  const values = {
    accountId: credential.accountId ?? null,
    secretCiphertext: seal(key, credential.secret, sealContext(workspaceId, credential.platform, subject)),
    setAt: now,
    problem: null,
    problemAt: null,
  };
  await db.platformCredential.upsert({
    where: { workspaceId_platform_subject: { workspaceId, platform: credential.platform, subject } },
    create: { workspaceId, platform: credential.platform, subject, ...values },
    update: values,
  });
}

/** The credential, opened; null when none is set. */
export async function loadCredential(
  db: PrismaClient,
  key: Buffer,
  workspaceId: number,
  platform: CollectedPlatform,
  subject: CredentialSubject,
): Promise<LoadedCredential | null> {
  const stored = storedSubject(subject);
  const row = await db.platformCredential.findUnique({
    where: { workspaceId_platform_subject: { workspaceId, platform, subject: stored } },
    select: { secretCiphertext: true, accountId: true, problem: true },
  });
  if (!row) return null;
  try {
    const secret = open(key, row.secretCiphertext, sealContext(workspaceId, platform, stored));
    return { secret, accountId: row.accountId, problem: row.problem };
  } catch (error) {
    if (!(error instanceof SealedTextError)) throw error;
    throw new CredentialUnreadableError(
      `The stored ${PLATFORM_NAMES[platform]} credential could not be decrypted: was LONGTAIL_ENCRYPTION_KEY changed? Connect it again.`,
    );
  }
}

/**
 * Records why the platform refused a credential. The moment first seen is kept while the problem
 * lasts, so "expired on …" stays the day it stopped working. No-op when no such credential is set.
 */
export async function markCredentialProblem(
  db: PrismaClient,
  workspaceId: number,
  platform: CollectedPlatform,
  subject: CredentialSubject,
  problem: string,
  now = new Date(),
): Promise<void> {
  const where = { workspaceId, platform, subject: storedSubject(subject) };
  await db.platformCredential.updateMany({ where: { ...where, problemAt: null }, data: { problemAt: now } });
  await db.platformCredential.updateMany({ where, data: { problem } });
}

/** Every credential of the workspace with its state, the workspace's own first; never the secret. */
export async function credentialStatuses(db: PrismaClient, workspaceId: number): Promise<CredentialStatus[]> {
  const rows = await db.platformCredential.findMany({
    where: { workspaceId },
    select: { platform: true, subject: true, accountId: true, setAt: true, problem: true, problemAt: true },
    orderBy: [{ platform: "asc" }, { subject: "asc" }],
  });
  return rows.map((row) => ({
    platform: row.platform as CollectedPlatform,
    subject: row.subject === "" ? null : row.subject,
    accountId: row.accountId,
    status: row.problem === null ? "ok" : "problem",
    problem: row.problem,
    problemAt: row.problemAt,
    setAt: row.setAt,
  }));
}

/** Removes a credential; false when there was none. */
export async function deleteCredential(
  db: PrismaClient,
  workspaceId: number,
  platform: CollectedPlatform,
  subject: CredentialSubject,
): Promise<boolean> {
  const { count } = await db.platformCredential.deleteMany({
    where: { workspaceId, platform, subject: storedSubject(subject) },
  });
  return count > 0;
}

export interface MissingCredential {
  platform: CollectedPlatform;
  /** TikTok: the creators with tracked videos and no token; empty for the workspace's own credential. */
  creators: string[];
  /** Tracked posts that wait for it. */
  posts: number;
}

/**
 * What tracked posts wait for: the workspace's YouTube key or Instagram business account, or TikTok
 * creators' tokens, none of them set. (A refused one is in `credentialStatuses`.)
 */
export async function missingCredentials(
  db: PrismaClient,
  workspaceId: number,
): Promise<MissingCredential[]> {
  const [tracked, statuses] = await Promise.all([
    db.trackedPost.groupBy({
      by: ["platform", "creatorHandle"],
      where: { workspaceId, state: "active" },
      _count: { _all: true },
      orderBy: [{ platform: "asc" }, { creatorHandle: "asc" }],
    }),
    credentialStatuses(db, workspaceId),
  ]);
  const has = (platform: string, subject: CredentialSubject) =>
    statuses.some((status) => status.platform === platform && status.subject === subject);
  const missing = new Map<CollectedPlatform, MissingCredential>();
  for (const group of tracked) {
    const platform = group.platform as CollectedPlatform;
    const creator = platform === "tiktok" ? group.creatorHandle : null;
    if (platform === "tiktok" ? creator === null || has(platform, creator) : has(platform, null)) continue;
    const entry = missing.get(platform) ?? { platform, creators: [], posts: 0 };
    if (creator !== null) entry.creators.push(creator);
    entry.posts += group._count._all;
    missing.set(platform, entry);
  }
  return [...missing.values()];
}
