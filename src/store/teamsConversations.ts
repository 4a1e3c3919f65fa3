import type { PrismaClient } from "../generated/prisma/client.ts";

/** The database the Teams bot and the Teams sender work on (src/teams never opens one). */
export type TeamsConversationsDb = PrismaClient;

/**
 * Teams conversation references, as plain data the project owns: where Longtail may post unasked
 * (digests, alerts). One row per workspace and conversation; a channel is stored without the
 * thread part of its id, so a digest starts a new post.
 */
export interface TeamsConversationRecord {
  conversationId: string;
  /** "personal", "groupChat" or "channel". */
  conversationType: string;
  tenantId: string;
  serviceUrl: string;
  botId: string;
  botName: string;
}

const FIELDS = {
  conversationId: true,
  conversationType: true,
  tenantId: true,
  serviceUrl: true,
  botId: true,
  botName: true,
} as const;

/** Adds the conversation, or refreshes it (the service URL and the bot's name can change). */
export async function saveTeamsConversation(
  prisma: PrismaClient,
  workspaceId: number,
  record: TeamsConversationRecord,
): Promise<void> {
  await prisma.teamsConversation.upsert({
    where: { workspaceId_conversationId: { workspaceId, conversationId: record.conversationId } },
    create: { workspaceId, ...record },
    update: record,
  });
}

export async function findTeamsConversation(
  prisma: PrismaClient,
  workspaceId: number,
  conversationId: string,
): Promise<TeamsConversationRecord | null> {
  return prisma.teamsConversation.findUnique({
    where: { workspaceId_conversationId: { workspaceId, conversationId } },
    select: FIELDS,
  });
}

/** Longtail was removed from the conversation: nothing more is posted there. True when it was stored. */
export async function deleteTeamsConversation(
  prisma: PrismaClient,
  workspaceId: number,
  conversationId: string,
): Promise<boolean> {
  const deleted = await prisma.teamsConversation.deleteMany({ where: { workspaceId, conversationId } });
  return deleted.count > 0;
}
