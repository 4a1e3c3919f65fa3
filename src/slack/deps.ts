import type { App } from "@slack/bolt";
import type { Conversation } from "../conversation/converse.ts";
import type { LongtailContext } from "./authorize.ts";

/** What every listener needs: the conversation core, the clock, and chart settings. */
export interface SlackDeps {
  /** Answers questions and builds the home screen, for one workspace at a time, in turn. */
  conversation: Conversation;
  now: () => Date;
  /** A self-hosted QuickChart server for chart images. */
  chartHost?: string;
}

export type LongtailApp = App<LongtailContext>;
