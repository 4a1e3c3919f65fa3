import type { App } from "@slack/bolt";
import type { Conversation } from "../conversation/converse.ts";
import type { LongtailContext } from "./authorize.ts";
import type { Registrations } from "./registry.ts";

/** What every listener needs: the conversation core, the clock, and chart settings. */
export interface SlackDeps {
  /** Answers questions and builds the home screen, for one workspace at a time, in turn. */
  conversation: Conversation;
  now: () => Date;
  /** A self-hosted QuickChart server for chart images. */
  chartHost?: string;
  /** Filled in as listeners are registered, for the manifest check. */
  registrations: Registrations;
}

export type LongtailApp = App<LongtailContext>;
