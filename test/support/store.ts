import type { Store } from "../../src/store/database.ts";
import { openScratchStore } from "../../src/store/scratch.ts";

/**
 * A fresh, migrated store for one test suite: an in-memory PGlite by default, or a throwaway
 * database on the server LONGTAIL_TEST_DATABASE_URL points at (dropped again by `close`).
 */
export function openTestStore(): Promise<Store> {
  return openScratchStore(process.env.LONGTAIL_TEST_DATABASE_URL, "longtail_test");
}
