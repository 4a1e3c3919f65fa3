/** A limit: at most `count` sends in any `windowMs`. */
export interface RateLimit {
  count: number;
  windowMs: number;
}

/**
 * Teams' documented limits for a bot: per conversation 7 messages a second, 60 in 30 seconds and
 * 1,800 an hour; per app and tenant about 30 requests a second.
 */
export const CONVERSATION_LIMITS: readonly RateLimit[] = [
  { count: 7, windowMs: 1_000 },
  { count: 60, windowMs: 30_000 },
  { count: 1_800, windowMs: 3_600_000 },
];
export const TENANT_LIMITS: readonly RateLimit[] = [{ count: 30, windowMs: 1_000 }];

/** The send times of one key within its longest window, oldest first. */
class SendLog {
  private readonly times: number[] = [];

  constructor(private readonly limits: readonly RateLimit[]) {}

  /** How long until one more send keeps every limit: 0 when it may go now. */
  waitAt(now: number): number {
    let wait = 0;
    for (const { count, windowMs } of this.limits) {
      const inWindow = this.times.filter((at) => at > now - windowMs);
      const oldest = inWindow[inWindow.length - count];
      if (inWindow.length >= count && oldest !== undefined) wait = Math.max(wait, oldest + windowMs - now);
    }
    return wait;
  }

  record(now: number): void {
    this.times.push(now);
    this.prune(now);
  }

  /** Drops the sends no window reaches any more. */
  prune(now: number): void {
    const longest = Math.max(...this.limits.map((limit) => limit.windowMs));
    while (this.times.length > 0 && (this.times[0] ?? now) <= now - longest) this.times.shift();
  }

  get empty(): boolean {
    return this.times.length === 0;
  }
}

/**
 * What this replica has sent to each Teams conversation and tenant, kept so scheduled posts stay
 * within Teams' limits instead of collecting 429s. Times are in ms on the caller's clock.
 */
export class TeamsPacer {
  private readonly conversations = new Map<string, SendLog>();
  private readonly tenants = new Map<string, SendLog>();

  /** How long to wait before posting to this conversation of this tenant: 0 when it may go now. */
  waitFor(conversationId: string, tenantId: string, now: number): number {
    const conversation = this.conversations.get(conversationId)?.waitAt(now) ?? 0;
    const tenant = this.tenants.get(tenantId)?.waitAt(now) ?? 0;
    return Math.max(conversation, tenant);
  }

  sent(conversationId: string, tenantId: string, now: number): void {
    logOf(this.conversations, conversationId, CONVERSATION_LIMITS).record(now);
    logOf(this.tenants, tenantId, TENANT_LIMITS).record(now);
  }

  /** Keys with nothing left in their windows are dropped: memory follows the current traffic. */
  forgetIdle(now: number): void {
    for (const logs of [this.conversations, this.tenants]) {
      for (const [key, log] of logs) {
        log.prune(now);
        if (log.empty) logs.delete(key);
      }
    }
  }
}

function logOf(logs: Map<string, SendLog>, key: string, limits: readonly RateLimit[]): SendLog {
  const existing = logs.get(key);
  if (existing) return existing;
  const created = new SendLog(limits);
  logs.set(key, created);
  return created;
}
