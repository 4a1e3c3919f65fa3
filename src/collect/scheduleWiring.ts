import { type Config, decodeEncryptionKey } from "../config.ts";
import type { Store } from "../store/database.ts";
import { connectedCollectors } from "./connected.ts";
import type { CollectorSource } from "./schedule.ts";

/**
 * The collectors the bot, the scheduler and the CLI use: each workspace's connected platforms,
 * their credentials opened with LONGTAIL_ENCRYPTION_KEY (without it, no platform is connected).
 */
export function configuredCollectors(config: Config, store: Pick<Store, "prisma">): CollectorSource {
  const encoded = config.LONGTAIL_ENCRYPTION_KEY;
  const key = encoded === undefined ? null : (decodeEncryptionKey(encoded) ?? null);
  return connectedCollectors(store.prisma, key, {
    youtube: config.YOUTUBE_API_URL,
    instagram: config.INSTAGRAM_API_URL,
    tiktok: config.TIKTOK_API_URL,
  });
}
