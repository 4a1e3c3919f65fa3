import type { CounterFalls } from "../store/postFacts.ts";
import type { ImportResult, ImportSummary, Problems } from "./importFile.ts";

const wholeNumber = new Intl.NumberFormat("en-GB", { maximumFractionDigits: 0 });

function plural(count: number, noun: string): string {
  return `${wholeNumber.format(count)} ${noun}${count === 1 ? "" : "s"}`;
}

/** The problems spelled out one a line, then how many more there were. */
function problemLines(problems: Problems): string[] {
  const more = problems.count - problems.messages.length;
  return more > 0 ? [...problems.messages, `… and ${plural(more, "more bad row")}`] : [...problems.messages];
}

/** What a finished import did, for a person reading a terminal. */
export function formatImportSummary(summary: ImportSummary): string {
  const rate = summary.seconds > 0 ? `, ${wholeNumber.format(summary.rows / summary.seconds)} rows/s` : "";
  const lines = [
    `Imported ${plural(summary.rows, "row")} of ${wholeNumber.format(summary.rowsRead)} into workspace ` +
      `"${summary.workspaceSlug}" in ${summary.seconds.toFixed(1)} s${rate}.`,
    `Written: ${plural(summary.creators, "creator")}, ${plural(summary.campaigns, "campaign")}, ` +
      `${plural(summary.posts, "post")}, ${plural(summary.snapshots, "snapshot")}.`,
  ];
  if (summary.counterFalls.count > 0) lines.push(...fallLines(summary.counterFalls));
  if (summary.rowsSkipped > 0) {
    lines.push(`Skipped ${plural(summary.rowsSkipped, "bad row")}:`, ...problemLines(summary.skipped));
  }
  return lines.join("\n");
}

/** Counters that fell, one a line ("instagram P1: likes fell 1,000 → 1"), then how many more. */
function fallLines(counterFalls: CounterFalls): string[] {
  const more = counterFalls.count - counterFalls.falls.length;
  return [
    `Warning: ${plural(counterFalls.count, "counter")} fell by more than 10 % (kept, and read as the highest value seen so far):`,
    ...counterFalls.falls.map(
      (fall) =>
        `${fall.platform} ${fall.postId}: ${fall.counter} fell ${wholeNumber.format(fall.from)} → ${wholeNumber.format(fall.to)}`,
    ),
    ...(more > 0 ? [`… and ${plural(more, "more counter")}`] : []),
  ];
}

/** The first line of formatImportErrors: "Nothing was imported: 2 bad rows of 3." */
export function importRefusalHeadline(result: Extract<ImportResult, { ok: false }>): string {
  return result.reason === "bad rows"
    ? `Nothing was imported: ${plural(result.problems.count, "bad row")} of ${wholeNumber.format(result.rowsRead)}.`
    : "Nothing was imported.";
}

/** Why an import wrote nothing: the first problems, each naming its line (or item) and column. */
export function formatImportErrors(result: Extract<ImportResult, { ok: false }>): string {
  return [importRefusalHeadline(result), ...problemLines(result.problems)].join("\n");
}
