import { describe, expect, it } from "vitest";
import { ConfigError, loadConfig, storeLocation } from "../../src/config.ts";

/** DATABASE_REPLICA_URL and its lag bound (src/config.ts) → the store's replica settings. */
describe("read replica configuration", () => {
  it("adds the replica, with a 30 s lag bound checked every 5 s, to a PostgreSQL store", () => {
    const config = loadConfig({
      DATABASE_URL: "postgresql://app@db:5432/longtail",
      DATABASE_REPLICA_URL: "postgresql://app@db-replica:5432/longtail",
    });
    expect(storeLocation(config)).toEqual({
      databaseUrl: "postgresql://app@db:5432/longtail",
      replica: { url: "postgresql://app@db-replica:5432/longtail", maxLagSeconds: 30, checkIntervalMs: 5000 },
    });
  });

  it("takes the bound from DATABASE_REPLICA_MAX_LAG_SECONDS, and no replica without the URL", () => {
    const env = {
      DATABASE_URL: "postgresql://app@db:5432/longtail",
      DATABASE_REPLICA_MAX_LAG_SECONDS: "2.5",
    };
    expect(storeLocation(loadConfig(env))).toEqual({ databaseUrl: "postgresql://app@db:5432/longtail" });
    const withReplica = loadConfig({ ...env, DATABASE_REPLICA_URL: "postgres://app@db-replica/longtail" });
    expect(storeLocation(withReplica)).toEqual({
      databaseUrl: "postgresql://app@db:5432/longtail",
      replica: { url: "postgres://app@db-replica/longtail", maxLagSeconds: 2.5, checkIntervalMs: 5000 },
    });
  });

  it("names a malformed replica URL or bound, never the value", () => {
    const problem = (env: Record<string, string>) => {
      try {
        loadConfig(env);
        return "no problem";
      } catch (error) {
        expect(error).toBeInstanceOf(ConfigError);
        return (error as Error).message;
      }
    };
    expect(
      problem({ DATABASE_REPLICA_URL: "mysql://secret@db", DATABASE_REPLICA_MAX_LAG_SECONDS: "-1" }),
    ).toBe(
      [
        "Configuration problem:",
        "  DATABASE_REPLICA_URL must be a PostgreSQL connection URL (postgresql://user@host:5433/db)",
        "  DATABASE_REPLICA_MAX_LAG_SECONDS must be a number of seconds, like 30",
      ].join("\n"),
    );
  });
});
