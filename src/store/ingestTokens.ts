import { createHash, randomBytes } from "node:crypto";
import type { PrismaClient } from "../generated/prisma/client.ts";

/** Every ingest token starts so: a person or a secret scanner knows one when it turns up somewhere. */
export const INGEST_TOKEN_PREFIX = "lt_ingest_";

/** The prefix and 32 random bytes in base64url (43 characters). */
const TOKEN_SHAPE = /^lt_ingest_[A-Za-z0-9_-]{43}$/;

/** A token as `token list` shows it: never the token, nor its hash. */
export interface IngestTokenInfo {
  id: number;
  name: string;
  createdAt: Date;
  lastUsedAt: Date | null;
  revokedAt: Date | null;
}

/** Who a request with a valid token ingests for. */
export interface IngestCaller {
  tokenId: number;
  workspaceId: number;
  workspaceSlug: string;
}

const INFO = { id: true, name: true, createdAt: true, lastUsedAt: true, revokedAt: true } as const;

/** What is stored of a token: its SHA-256, as 64 hex digits. */
export function hashIngestToken(token: string): string {
  return createHash("sha256").update(token).digest("hex");
}

/** A new token for the workspace; the token itself is returned here once and stored only as its hash. */
export async function createIngestToken(
  prisma: PrismaClient,
  workspaceId: number,
  name: string,
): Promise<{ token: string; info: IngestTokenInfo }> {
  const token = INGEST_TOKEN_PREFIX + randomBytes(32).toString("base64url");
  const info = await prisma.ingestToken.create({
    data: { workspaceId, name, tokenHash: hashIngestToken(token) },
    select: INFO,
  });
  return { token, info };
}

/** The workspace's tokens, revoked ones too, oldest first. */
export function listIngestTokens(prisma: PrismaClient, workspaceId: number): Promise<IngestTokenInfo[]> {
  return prisma.ingestToken.findMany({ where: { workspaceId }, select: INFO, orderBy: { id: "asc" } });
}

export type RevokeOutcome = "revoked" | "already revoked" | "unknown";

/** Revokes the workspace's token `id` at `now`: from then on it is refused like a wrong one. */
export async function revokeIngestToken(
  prisma: PrismaClient,
  workspaceId: number,
  id: number,
  now: Date,
): Promise<RevokeOutcome> {
  const { count } = await prisma.ingestToken.updateMany({
    where: { id, workspaceId, revokedAt: null },
    data: { revokedAt: now },
  });
  if (count > 0) return "revoked";
  const known = await prisma.ingestToken.count({ where: { id, workspaceId } });
  return known > 0 ? "already revoked" : "unknown";
}

/**
 * The caller a token stands for, or null for one that is malformed, unknown or revoked; a valid
 * one is marked used at `now`. The token is looked up by its hash, so no stored secret is ever
 * compared byte by byte with what a client sent.
 */
export async function authenticateIngestToken(
  prisma: PrismaClient,
  token: string,
  now: Date,
): Promise<IngestCaller | null> {
  if (!TOKEN_SHAPE.test(token)) return null;
  const row = await prisma.ingestToken.findUnique({
    where: { tokenHash: hashIngestToken(token) },
    select: { id: true, revokedAt: true, workspaceId: true, workspace: { select: { slug: true } } },
  });
  if (!row || row.revokedAt !== null) return null;
  await prisma.ingestToken.update({ where: { id: row.id }, data: { lastUsedAt: now } });
  return { tokenId: row.id, workspaceId: row.workspaceId, workspaceSlug: row.workspace.slug };
}
