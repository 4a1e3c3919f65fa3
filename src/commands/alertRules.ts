/** The alert rules a channel can set (`alert longevity drop 30%`, `alert evergreen`, `alert creator retention`). */
export const ALERT_RULE_KINDS = ["longevityDrop", "evergreen", "creatorRetention"] as const;
export type AlertRuleKind = (typeof ALERT_RULE_KINDS)[number];

/** A rule in words: "week-2 retention drops more than 25%". */
export function describeAlertRule(kind: AlertRuleKind, threshold: number): string {
  const percent = `${Math.round(threshold * 100)}%`;
  switch (kind) {
    case "longevityDrop":
      return `week-2 retention drops more than ${percent}`;
    case "evergreen":
      return "a post goes evergreen";
    case "creatorRetention":
      return `a creator's week-2 retention falls below ${percent} of their own baseline`;
  }
}
