/**
 * What one replica knows of a platform's rate limits, kept across batches and ticks: when each
 * channel last got a message (Slack: about one a second per channel), and which workspaces were
 * told to wait (429 with Retry-After) and until when. Times are the scheduler's clock, in ms.
 * Other replicas keep their own; what they cause is answered with a 429 and handled the same way.
 */
export class DeliveryPacer {
  private readonly lastSentAt = new Map<string, number>();
  private readonly pausedUntil = new Map<string, number>();

  constructor(private readonly channelSpacingMs: number) {}

  /** How long to wait before the next message to this channel: 0 when it may go now. */
  channelWait(channel: string, now: number): number {
    const last = this.lastSentAt.get(channel);
    if (last === undefined) return 0;
    return Math.min(this.channelSpacingMs, Math.max(0, last + this.channelSpacingMs - now));
  }

  sending(channel: string, now: number): void {
    this.lastSentAt.set(channel, now);
  }

  /** The platform said to wait: nothing more goes to this workspace before `until`. */
  pause(workspace: string, until: number): void {
    this.pausedUntil.set(workspace, Math.max(until, this.pausedUntil.get(workspace) ?? until));
  }

  /** When a workspace that was told to wait may be sent to again; undefined when it may be now. */
  resumesAt(workspace: string, now: number): number | undefined {
    const until = this.pausedUntil.get(workspace);
    return until !== undefined && until > now ? until : undefined;
  }

  /** Drops what no longer matters as of `now`, so memory follows the current traffic only. */
  forgetBefore(now: number): void {
    for (const [channel, at] of this.lastSentAt) {
      if (at + this.channelSpacingMs <= now) this.lastSentAt.delete(channel);
    }
    for (const [workspace, until] of this.pausedUntil) {
      if (until <= now) this.pausedUntil.delete(workspace);
    }
  }
}
