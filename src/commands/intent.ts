import { z } from "zod";
import { TIERS } from "../metrics/types.ts";
import { HELP_TOPICS } from "./help.ts";
import { metricKeySchema } from "./metricKeys.ts";
import { periodSchema } from "./period.ts";
import { scheduleSchema } from "./scheduleSpec.ts";

/** Letters (with their accents), digits, ".", "_" and "-". */
export const HANDLE_PATTERN = /^[\p{L}\p{M}\p{N}._-]+$/u;
export const DEFAULT_TOP_COUNT = 5;
export const MAX_TOP_COUNT = 50;
export const MIN_DROP_PERCENT = 1;
export const MAX_DROP_PERCENT = 99;

/** A creator's handle as stored: lower-case, without the @. */
const handleSchema = z
  .string()
  .regex(HANDLE_PATTERN, "Handles contain only letters, digits, ., _ and -")
  .refine((handle) => handle === handle.toLowerCase(), "Handles are lower-case");

const tierSchema = z.enum(TIERS);

const campaignName = z.string().trim().min(1);

const postLinkSchema = z.object({
  platform: z.enum(["instagram", "tiktok", "youtube"]),
  postId: z.string().min(1),
  handle: z.string().nullable(),
  url: z.string().url(),
});

export const intentSchema = z.discriminatedUnion("kind", [
  z.object({ kind: z.literal("help"), topic: z.enum(HELP_TOPICS).optional() }),
  z.object({ kind: z.literal("creator"), handle: handleSchema, platform: z.string().min(1).optional() }),
  z.object({ kind: z.literal("campaign"), name: campaignName }),
  z.object({
    kind: z.literal("top"),
    n: z.number().int().min(1).max(MAX_TOP_COUNT).default(DEFAULT_TOP_COUNT),
    entity: z.enum(["creators", "posts"]),
    metric: metricKeySchema,
    campaign: campaignName.optional(),
    period: periodSchema.optional(),
  }),
  z.object({
    kind: z.literal("compareTiers"),
    /** Absent: every tier. */
    tiers: z
      .array(tierSchema)
      .min(2)
      .refine((tiers) => new Set(tiers).size === tiers.length, "Each tier once")
      .optional(),
  }),
  z.object({ kind: z.literal("digest"), campaign: campaignName.optional() }),
  z.object({ kind: z.literal("alerts"), campaign: campaignName.optional() }),
  z.object({ kind: z.literal("subscribe"), schedule: scheduleSchema, campaign: campaignName.optional() }),
  z.object({ kind: z.literal("unsubscribe"), campaign: campaignName.optional() }),
  z.object({ kind: z.literal("subscriptions") }),
  z.object({
    kind: z.literal("alertSettings"),
    rule: z.enum(["longevityDrop", "evergreen", "creatorRetention"]),
    /** longevityDrop: how far retention may drop; creatorRetention: the share of the creator's own baseline. */
    percent: z.number().min(MIN_DROP_PERCENT).max(MAX_DROP_PERCENT).optional(),
    campaign: campaignName.optional(),
  }),
  z.object({
    kind: z.literal("track"),
    link: postLinkSchema,
    campaign: campaignName.optional(),
    fee: z.number().min(0).optional(),
  }),
  z.object({ kind: z.literal("untrack"), link: postLinkSchema }),
  z.object({ kind: z.literal("tracked"), campaign: campaignName.optional() }),
  /** `text` is what the user typed (normalized); `reason` says what to type instead. */
  z.object({ kind: z.literal("unknown"), text: z.string(), reason: z.string().min(1) }),
]);

export type Intent = z.infer<typeof intentSchema>;
export type IntentKind = Intent["kind"];
/** An intent before defaults are applied (`top` without `n`). */
export type IntentDraft = z.input<typeof intentSchema>;
