import type {
  IsolationLevel,
  SqlDriverAdapter,
  SqlDriverAdapterFactory,
  SqlQuery,
  Transaction,
} from "@prisma/driver-adapter-utils";
import type pg from "pg";
import { log } from "../log.ts";

export interface ReplicaSettings {
  /** A PostgreSQL streaming replica of the primary (DATABASE_REPLICA_URL). */
  url: string;
  /** Reads go back to the primary while the replica is further behind than this. */
  maxLagSeconds: number;
  /** How often the replica's health and lag are measured (never per query). */
  checkIntervalMs: number;
}

export const DEFAULT_REPLICA_CHECK_INTERVAL_MS = 5_000;

/**
 * Whether the replica may serve reads: reachable, still a standby, and at most `maxLagSeconds`
 * behind the primary. Measured in the background at most every `checkIntervalMs`; queries only
 * read the last verdict. A replica starts unused until its first check passes.
 *
 * A measurement ages: a replica found `lag` seconds behind at time T may have replayed nothing
 * since, so at T + e it counts as `lag + e` behind. Every read served by the replica, a digest's
 * too, therefore sees the primary's data as of at most `maxLagSeconds` before the read began.
 */
export class ReplicaHealth {
  private reachable = false;
  /** Seconds behind the primary at the last measurement (infinite: not a usable standby). */
  private lag = Number.POSITIVE_INFINITY;
  private measuredAt = Number.NEGATIVE_INFINITY;
  private checkedAt = Number.NEGATIVE_INFINITY;
  private checking: Promise<void> | undefined;
  private inUse = false;

  constructor(
    private readonly primary: pg.Pool,
    private readonly replica: pg.Pool,
    private readonly settings: ReplicaSettings,
  ) {}

  /** The verdict now; starts a new measurement when the last one is older than the interval. */
  usable(): boolean {
    if (Date.now() - this.checkedAt >= this.settings.checkIntervalMs) void this.check();
    return this.reachable && this.worstLagSeconds() <= this.settings.maxLagSeconds;
  }

  /** How far behind the replica may be now, at worst: the last lag measured plus the time since. */
  worstLagSeconds(): number {
    return this.lag + Math.max(0, Date.now() - this.measuredAt) / 1000;
  }

  /** Measures now (one measurement at a time) and resolves once the verdict is in. */
  check(): Promise<void> {
    this.checking ??= this.measure().finally(() => {
      this.checking = undefined;
    });
    return this.checking;
  }

  /** A query on the replica failed: reads use the primary until the next measurement says otherwise. */
  markDown(): void {
    this.reachable = false;
    this.checkedAt = Date.now();
    this.report("a query on the replica failed");
  }

  private async measure(): Promise<void> {
    const started = Date.now();
    try {
      this.lag = await replicaLagSeconds(this.primary, this.replica);
      // Dated from before the primary was asked: the replica had at least that primary's data then.
      this.measuredAt = started;
      this.reachable = true;
      this.report(`lag ${this.lag.toFixed(1)} s`);
    } catch (error) {
      this.reachable = false;
      this.report(error instanceof Error ? error.message : "unreachable");
    } finally {
      this.checkedAt = Date.now();
    }
  }

  /** Logs when the replica starts or stops serving reads, and why. */
  private report(why: string): void {
    const inUse = this.reachable && this.worstLagSeconds() <= this.settings.maxLagSeconds;
    if (inUse !== this.inUse) {
      log.info({ replica: inUse ? "in use" : "not used", why }, "Read replica status changed");
    }
    this.inUse = inUse;
  }
}

/**
 * How far the replica is behind: 0 when it has replayed everything the primary had written when
 * asked, else the time since the last transaction it replayed (an over-estimate after a quiet
 * spell, which only sends reads to the primary a little sooner). Infinite when it is no standby.
 */
export async function replicaLagSeconds(primary: pg.Pool, replica: pg.Pool): Promise<number> {
  const { rows: written } = await primary.query<{ lsn: string }>("SELECT pg_current_wal_lsn()::text AS lsn");
  const { rows } = await replica.query<{
    standby: boolean;
    caught_up: boolean | null;
    behind: number | null;
  }>(
    `SELECT pg_is_in_recovery() AS standby,
            pg_last_wal_replay_lsn() >= $1::pg_lsn AS caught_up,
            EXTRACT(EPOCH FROM now() - pg_last_xact_replay_timestamp())::float8 AS behind`,
    [written[0]?.lsn],
  );
  const state = rows[0];
  if (!state?.standby) return Number.POSITIVE_INFINITY;
  if (state.caught_up) return 0;
  return state.behind ?? Number.POSITIVE_INFINITY;
}

/**
 * A Prisma driver adapter for reads: each query goes to the replica while `health` says it is
 * usable, else to the primary; a query the replica fails is run again on the primary (reads
 * only: this adapter never carries the application's writes).
 */
class ReadRoutingAdapter implements SqlDriverAdapter {
  readonly provider = "postgres";
  readonly adapterName = "longtail-read-replica";

  constructor(
    private readonly primary: SqlDriverAdapter,
    private readonly replica: SqlDriverAdapter,
    private readonly health: ReplicaHealth,
  ) {}

  queryRaw(query: SqlQuery) {
    return this.route((adapter) => adapter.queryRaw(query));
  }

  executeRaw(query: SqlQuery) {
    return this.route((adapter) => adapter.executeRaw(query));
  }

  executeScript(script: string) {
    return this.route((adapter) => adapter.executeScript(script));
  }

  startTransaction(isolationLevel?: IsolationLevel): Promise<Transaction> {
    return this.route((adapter) => adapter.startTransaction(isolationLevel));
  }

  getConnectionInfo() {
    return this.primary.getConnectionInfo?.() ?? { supportsRelationJoins: true };
  }

  async dispose() {
    await Promise.all([this.primary.dispose(), this.replica.dispose()]);
  }

  private async route<T>(run: (adapter: SqlDriverAdapter) => Promise<T>): Promise<T> {
    if (!this.health.usable()) return run(this.primary);
    try {
      return await run(this.replica);
    } catch {
      this.health.markDown();
      return run(this.primary);
    }
  }
}

/** The factory behind the store's read client: the two pools' adapters behind one router. */
export function readRoutingAdapterFactory(
  primary: SqlDriverAdapterFactory,
  replica: SqlDriverAdapterFactory,
  health: ReplicaHealth,
): SqlDriverAdapterFactory {
  return {
    provider: "postgres",
    adapterName: "longtail-read-replica",
    connect: async () => new ReadRoutingAdapter(await primary.connect(), await replica.connect(), health),
  };
}
