import type { PrismaClient } from "../generated/prisma/client.ts";
import {
  CredentialUnreadableError,
  type LoadedCredential,
  loadCredential,
  markCredentialProblem,
} from "../store/credentials.ts";
import { CollectError, type Collector, type CredentialSubject } from "./collector.ts";
import { instagramCollector } from "./instagram.ts";
import type { CollectedPlatform } from "./postLink.ts";
import { tiktokCollector } from "./tiktok.ts";
import { youtubeCollector } from "./youtube.ts";

/** Where each platform's API is (tests and proxies point them elsewhere); unset: the platform's own. */
export interface CollectorEndpoints {
  youtube?: string;
  instagram?: string;
  tiktok?: string;
  fetch?: typeof fetch;
}

/**
 * The workspace's collectors, built from its stored credentials. A platform gives no collector while
 * its workspace credential is missing or has a problem (nothing runs until it is replaced); TikTok's
 * tokens are per creator, so its collector exists whenever credentials can be opened at all and a
 * creator without a working token fails as a credentials problem of that creator.
 */
export function connectedCollectors(
  db: PrismaClient,
  key: Buffer | null,
  endpoints: CollectorEndpoints = {},
) {
  /** The credential opened; one that no longer opens (the key changed) is recorded as refused. */
  const load = async (workspaceId: number, platform: CollectedPlatform, subject: CredentialSubject) => {
    if (!key) return null;
    try {
      return await loadCredential(db, key, workspaceId, platform, subject);
    } catch (error) {
      if (!(error instanceof CredentialUnreadableError)) throw error;
      await markCredentialProblem(db, workspaceId, platform, subject, error.message);
      return { secret: "", accountId: null, problem: error.message };
    }
  };
  const working = (credential: LoadedCredential | null) =>
    credential && !credential.problem ? credential : null;
  return {
    async collectorFor(workspaceId: number, platform: CollectedPlatform): Promise<Collector | null> {
      if (!key) return null;
      const { fetch } = endpoints;
      switch (platform) {
        case "youtube": {
          const credential = working(await load(workspaceId, "youtube", null));
          return (
            credential && youtubeCollector({ apiKey: credential.secret, baseUrl: endpoints.youtube, fetch })
          );
        }
        case "instagram": {
          const credential = working(await load(workspaceId, "instagram", null));
          if (!credential?.accountId) return null;
          return instagramCollector({
            accountId: credential.accountId,
            accessToken: credential.secret,
            creatorToken: async (handle) =>
              working(await load(workspaceId, "instagram", handle))?.secret ?? null,
            baseUrl: endpoints.instagram,
            fetch,
          });
        }
        case "tiktok":
          return tiktokCollector({
            creatorToken: async (handle) => {
              const credential = await load(workspaceId, "tiktok", handle);
              if (credential?.problem)
                throw new CollectError("credentials", credential.problem, null, handle);
              return credential?.secret ?? null;
            },
            baseUrl: endpoints.tiktok,
            fetch,
          });
      }
    },
    credentialProblem(
      workspaceId: number,
      platform: CollectedPlatform,
      subject: CredentialSubject,
      problem: string,
    ): Promise<void> {
      return markCredentialProblem(db, workspaceId, platform, subject, problem);
    },
  };
}
