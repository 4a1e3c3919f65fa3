import { chatWords, type Suggestion } from "../commands/suggestion.ts";
import type { ChannelRef, HomeView, ViewModel } from "../insights/viewModels.ts";
import {
  type Action,
  type Cell,
  type Layout,
  type Line,
  layoutHome,
  layoutView,
  type Row,
  type Section,
  type Span,
} from "./layout.ts";

/**
 * Plain text: the CLI's output and the fallback for chat. A walker over the layout (layout.ts):
 * questions to ask read as the CLI's command (`longtail ask "creator @anna"`), channels as `#C123`.
 */
export function renderText(view: ViewModel): string {
  return layoutText(layoutView(view));
}

/** The home screen as text (the playground, a terminal). */
export function renderTextHome(home: HomeView): string {
  return layoutText(layoutHome(home));
}

/** How the CLI phrases a suggestion: `longtail ask "top 5 creators by longevity"`. */
export function textCommand(suggestion: Suggestion): string {
  const words = chatWords(suggestion);
  return `longtail ask ${words.includes('"') ? `'${words}'` : `"${words}"`}`;
}

/** Sections a blank line apart; a context line stays under its title. */
function layoutText(layout: Layout): string {
  return layout.sections.reduce((out, section, i) => {
    const block = sectionLines(section).join("\n");
    if (block === "") return out;
    if (out === "") return block;
    const underTitle = section.kind === "context" && layout.sections[i - 1]?.kind === "title";
    return `${out}${underTitle ? "\n" : "\n\n"}${block}`;
  }, "");
}

function sectionLines(section: Section): string[] {
  switch (section.kind) {
    case "title":
      return [section.text];
    case "context":
      return [plain(section.line)];
    case "text":
      return [...section.lines.map(plain), ...(section.action ? [actionLine([section.action])] : [])];
    case "rows":
      return [plain(section.heading), ...aligned(section.rows.map(rowCells)).map((line) => `  ${line}`)];
    case "columns":
      return [...(section.heading ? [plain(section.heading)] : []), ...sideBySide(section.columns)];
    case "actions":
      return [actionLine(section.actions)];
    case "chart":
      return [];
  }
}

function actionLine(actions: readonly Action[]): string {
  return `Ask: ${actions.map((action) => textCommand(action.ask)).join(" · ")}`;
}

function plain(line: Line): string {
  return line.map(spanText).join("");
}

function spanText(span: Span): string {
  if (typeof span === "string") return span;
  if ("strong" in span) return span.strong;
  if ("note" in span) return span.note;
  if ("link" in span) return span.url && span.url !== span.link ? `${span.link} (${span.url})` : span.link;
  if ("channel" in span) return channelName(span.channel);
  if ("ask" in span) return textCommand(span.ask);
  if ("code" in span) return span.code;
  return ICONS[span.icon];
}

const ICONS = { success: "✓", info: "·", warning: "!", drop: "▼" } as const;
const TREND = { up: " ▲", down: " ▼", same: " =" } as const;

function channelName(channel: ChannelRef): string {
  return channel.platform === "slack" ? `#${channel.id}` : `Teams conversation ${channel.id}`;
}

/** A row as cells: label, value with its basis and change, and where it stands against the median. */
function rowCells(row: Row): string[] {
  const basis = row.basis ? ` (${row.basis.posts} of ${row.basis.of} posts)` : "";
  const change = row.change ? ` (${row.change} vs week before)` : "";
  const cells = [row.label, `${row.value}${basis}${change}`];
  if (!row.versusMedian) return cells;
  const { median, trend } = row.versusMedian;
  return [
    ...cells,
    median === null ? "no tier median yet" : `tier median ${median}${trend ? TREND[trend] : ""}`,
  ];
}

function cellCells(cell: Cell): string[] {
  return Array.isArray(cell) ? [plain(cell)] : rowCells(cell);
}

/** Two columns of cells side by side: each column's label and value aligned. */
function sideBySide([left, right]: [Cell[], Cell[]]): string[] {
  const leftLines = aligned(left.map(cellCells));
  const rightLines = aligned(right.map(cellCells));
  const width = Math.max(0, ...leftLines.map((line) => line.length));
  return Array.from({ length: Math.max(leftLines.length, rightLines.length) }, (_, i) =>
    `${(leftLines[i] ?? "").padEnd(width)}    ${rightLines[i] ?? ""}`.trimEnd(),
  );
}

/** Rows of cells as left-aligned columns, two spaces apart; a one-cell row spans them all. */
export function aligned(rows: string[][]): string[] {
  const columns = Math.max(0, ...rows.map((row) => row.length));
  const widths = Array.from({ length: columns }, (_, i) =>
    Math.max(0, ...rows.filter((row) => row.length > 1).map((row) => row[i]?.length ?? 0)),
  );
  return rows.map((row) =>
    row.length === 1
      ? (row[0] ?? "")
      : row
          .map((cell, i) => cell.padEnd(widths[i] ?? 0))
          .join("  ")
          .trimEnd(),
  );
}
