import type { PrismaClient } from "../generated/prisma/client.ts";

/** Names a workspace knows: creators and campaigns, for lookups and "did you mean". */

export interface CreatorRecord {
  id: number;
  handle: string;
  platform: string;
  followers: number;
}

export interface CampaignRecord {
  id: number;
  name: string;
}

const creatorFields = { id: true, handle: true, platform: true, followers: true } as const;

export async function findCreators(
  prisma: PrismaClient,
  workspaceId: number,
  handle: string,
  platform?: string,
): Promise<CreatorRecord[]> {
  return prisma.creator.findMany({
    where: { workspaceId, handle, ...(platform ? { platform } : {}) },
    select: creatorFields,
    orderBy: { followers: "desc" },
  });
}

export async function creatorsByIds(
  prisma: PrismaClient,
  workspaceId: number,
  ids: number[],
): Promise<Map<number, CreatorRecord>> {
  const rows = await prisma.creator.findMany({
    where: { workspaceId, id: { in: ids } },
    select: creatorFields,
  });
  return new Map(rows.map((row) => [row.id, row]));
}

export async function listCreatorHandles(prisma: PrismaClient, workspaceId: number): Promise<string[]> {
  const rows = await prisma.creator.findMany({
    where: { workspaceId },
    select: { handle: true },
    distinct: ["handle"],
  });
  return rows.map((row) => row.handle);
}

export async function findCampaign(
  prisma: PrismaClient,
  workspaceId: number,
  name: string,
): Promise<CampaignRecord | null> {
  return prisma.campaign.findFirst({
    where: { workspaceId, name: { equals: name, mode: "insensitive" } },
    select: { id: true, name: true },
  });
}

export async function listCampaigns(prisma: PrismaClient, workspaceId: number): Promise<CampaignRecord[]> {
  return prisma.campaign.findMany({
    where: { workspaceId },
    select: { id: true, name: true },
    orderBy: { name: "asc" },
  });
}

export interface PostRecord {
  id: number;
  externalId: string;
  platform: string;
  url: string | null;
  publishedAt: Date;
  creatorHandle: string;
  campaignName: string | null;
}

export async function postsByIds(
  prisma: PrismaClient,
  workspaceId: number,
  ids: number[],
): Promise<Map<number, PostRecord>> {
  const rows = await prisma.post.findMany({
    where: { workspaceId, id: { in: ids } },
    select: {
      id: true,
      externalId: true,
      platform: true,
      url: true,
      publishedAt: true,
      creator: { select: { handle: true } },
      campaign: { select: { name: true } },
    },
  });
  return new Map(
    rows.map((row) => [
      row.id,
      {
        id: row.id,
        externalId: row.externalId,
        platform: row.platform,
        url: row.url,
        publishedAt: row.publishedAt,
        creatorHandle: row.creator.handle,
        campaignName: row.campaign?.name ?? null,
      },
    ]),
  );
}

export async function campaignById(
  prisma: PrismaClient,
  workspaceId: number,
  id: number,
): Promise<CampaignRecord | null> {
  return prisma.campaign.findFirst({ where: { id, workspaceId }, select: { id: true, name: true } });
}

/** The campaigns a creator posted in, by name. */
export async function campaignNamesOfCreator(
  prisma: PrismaClient,
  workspaceId: number,
  creatorId: number,
): Promise<string[]> {
  const rows = await prisma.campaign.findMany({
    where: { workspaceId, posts: { some: { creatorId } } },
    select: { name: true },
    orderBy: { name: "asc" },
  });
  return rows.map((row) => row.name);
}
