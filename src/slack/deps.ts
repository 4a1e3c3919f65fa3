import type { App } from "@slack/bolt";
import type { Store } from "../store/database.ts";
import type { AnswerQueue } from "./answerQueue.ts";
import type { LongtailContext } from "./authorize.ts";
import type { Registrations } from "./registry.ts";

/** What every listener needs: the store (through insights only), the clock, and chart settings. */
export interface SlackDeps {
  store: Store;
  /** Answers are computed in turn through this queue. */
  answers: AnswerQueue;
  now: () => Date;
  /** A self-hosted QuickChart server for chart images. */
  chartHost?: string;
  /** Filled in as listeners are registered, for the manifest check. */
  registrations: Registrations;
}

export type LongtailApp = App<LongtailContext>;
