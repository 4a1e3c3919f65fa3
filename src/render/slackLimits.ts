import type {
  ActionsBlockElement,
  Button,
  ContextBlockElement,
  KnownBlock,
  SectionBlock,
  TextObject,
} from "@slack/types";

/** Slack's documented limits for the blocks Longtail sends. */
export const SLACK_LIMITS = {
  headerText: 150,
  sectionText: 3000,
  sectionFields: 10,
  fieldText: 2000,
  contextElements: 10,
  contextText: 3000,
  actionsElements: 25,
  buttonText: 75,
  buttonValue: 2000,
  imageUrl: 3000,
  altText: 2000,
} as const;

/** What a whole surface may hold. */
export interface SurfaceLimits {
  maxBlocks: number;
  /** Length of the JSON text of everything sent. */
  maxJsonChars: number;
}

export const MESSAGE_LIMITS: SurfaceLimits = { maxBlocks: 50, maxJsonChars: 12_000 };
/** Slack documents only the block count for a Home tab; the size bound keeps views.publish modest. */
export const HOME_TAB_LIMITS: SurfaceLimits = { maxBlocks: 100, maxJsonChars: 50_000 };

/** Anything Slack renders blocks from: a message (with its fallback text) or a view. */
export interface BlockSurface {
  blocks: KnownBlock[];
}

const MORE_LINE = /^…and (\d+) more$/;
/** Texts at least this long are lists worth shortening; shorter ones (an alert, a card) go whole. */
const LONG_LIST_CHARS = 1000;

export function moreLine(hidden: number): string {
  return `…and ${hidden} more`;
}

/**
 * The surface within Slack's limits, losing as little as it can: texts keep their first lines
 * and end with "…and N more"; over the surface's budget, charts go first, then list lines, then
 * trailing blocks (the final actions block stays).
 */
export function fitSlackLimits<S extends BlockSurface>(
  surface: S,
  limits: SurfaceLimits = MESSAGE_LIMITS,
): S {
  let blocks = surface.blocks.flatMap(fitBlock);
  let smaller = shrunk({ ...surface, blocks }, limits);
  while (smaller) {
    blocks = smaller;
    smaller = shrunk({ ...surface, blocks }, limits);
  }
  return { ...surface, blocks };
}

/** One step smaller when the surface is too big and something can still go; null otherwise. */
function shrunk(surface: BlockSurface, limits: SurfaceLimits): KnownBlock[] | null {
  const { blocks } = surface;
  const tooMany = blocks.length > limits.maxBlocks;
  const excess = jsonLength(surface) - limits.maxJsonChars;
  if (!tooMany && excess <= 0) return null;
  return (
    withoutFirstImage(blocks) ??
    (tooMany ? null : withLongestListShortened(blocks, excess)) ??
    withoutLastContentBlock(blocks)
  );
}

/** Every way a surface breaks Slack's limits, in words; empty when it fits. */
export function slackLimitProblems(surface: BlockSurface, limits: SurfaceLimits = MESSAGE_LIMITS): string[] {
  const problems: string[] = [];
  const check = (where: string, size: number, max: number) => {
    if (size > max) problems.push(`${where}: ${size} > ${max}`);
  };
  check("blocks", surface.blocks.length, limits.maxBlocks);
  check("JSON characters", jsonLength(surface), limits.maxJsonChars);
  surface.blocks.forEach((block, i) => {
    const at = `block ${i} (${block.type})`;
    switch (block.type) {
      case "header":
        check(`${at} text`, block.text.text.length, SLACK_LIMITS.headerText);
        break;
      case "section":
        check(`${at} text`, block.text?.text.length ?? 0, SLACK_LIMITS.sectionText);
        check(`${at} fields`, block.fields?.length ?? 0, SLACK_LIMITS.sectionFields);
        for (const field of block.fields ?? [])
          check(`${at} field`, field.text.length, SLACK_LIMITS.fieldText);
        if (block.accessory?.type === "button") problems.push(...buttonProblems(at, block.accessory));
        break;
      case "context":
        check(`${at} elements`, block.elements.length, SLACK_LIMITS.contextElements);
        for (const element of block.elements) {
          if (isText(element)) check(`${at} text`, element.text.length, SLACK_LIMITS.contextText);
        }
        break;
      case "actions": {
        check(`${at} elements`, block.elements.length, SLACK_LIMITS.actionsElements);
        const ids = block.elements.flatMap((element) => element.action_id ?? []);
        if (new Set(ids).size < ids.length) problems.push(`${at}: action_id repeated within the block`);
        for (const element of block.elements)
          if (element.type === "button") problems.push(...buttonProblems(at, element));
        break;
      }
      case "image":
        check(`${at} image_url`, "image_url" in block ? block.image_url.length : 0, SLACK_LIMITS.imageUrl);
        check(`${at} alt_text`, block.alt_text.length, SLACK_LIMITS.altText);
        break;
    }
  });
  return problems;
}

function buttonProblems(at: string, button: Button): string[] {
  const problems: string[] = [];
  if (button.text.text.length > SLACK_LIMITS.buttonText) problems.push(`${at} button text too long`);
  if ((button.value?.length ?? 0) > SLACK_LIMITS.buttonValue) problems.push(`${at} button value too long`);
  return problems;
}

function fitBlock(block: KnownBlock): KnownBlock[] {
  switch (block.type) {
    case "header":
      return [
        { ...block, text: { ...block.text, text: truncateWords(block.text.text, SLACK_LIMITS.headerText) } },
      ];
    case "section": {
      const { text, fields, accessory, ...rest } = block;
      const button = accessory?.type === "button" ? fitButton(accessory) : accessory;
      return [
        {
          ...rest,
          ...(text && { text: fitText(text, SLACK_LIMITS.sectionText) }),
          ...(fields && {
            fields: fields
              .slice(0, SLACK_LIMITS.sectionFields)
              .map((field) => fitText(field, SLACK_LIMITS.fieldText)),
          }),
          ...(button && { accessory: button }),
        },
      ];
    }
    case "context":
      return [
        { ...block, elements: block.elements.slice(0, SLACK_LIMITS.contextElements).map(fitContextElement) },
      ];
    case "actions": {
      const elements = block.elements.flatMap((element) => fitActionsElement(element) ?? []);
      return elements.length ? [{ ...block, elements: elements.slice(0, SLACK_LIMITS.actionsElements) }] : [];
    }
    case "image":
      if ("image_url" in block && block.image_url.length > SLACK_LIMITS.imageUrl) return [];
      return [{ ...block, alt_text: truncateWords(block.alt_text, SLACK_LIMITS.altText) }];
    default:
      return [block];
  }
}

function fitContextElement(element: ContextBlockElement): ContextBlockElement {
  return isText(element) ? fitText(element, SLACK_LIMITS.contextText) : element;
}

function fitActionsElement(element: ActionsBlockElement): ActionsBlockElement | null {
  return element.type === "button" ? fitButton(element) : element;
}

/** A button whose value would be cut is dropped: half a command is worse than none. */
function fitButton(button: Button): Button | null {
  if ((button.value?.length ?? 0) > SLACK_LIMITS.buttonValue) return null;
  return {
    ...button,
    text: { ...button.text, text: truncateWords(button.text.text, SLACK_LIMITS.buttonText) },
  };
}

function fitText<T extends TextObject>(text: T, max: number): T {
  return { ...text, text: truncateLines(text.text, max) };
}

function isText(element: ContextBlockElement): element is TextObject {
  return element.type === "mrkdwn" || element.type === "plain_text";
}

/**
 * At most `max` characters, cut between lines: the first line stays and the last one says how
 * many lines were left out. A text that is one long line is cut between words.
 */
export function truncateLines(text: string, max: number): string {
  if (text.length <= max) return text;
  const lines = text.split("\n");
  const alreadyHidden = MORE_LINE.exec(lines.at(-1) ?? "");
  if (alreadyHidden) lines.pop();
  let hidden = alreadyHidden ? Number(alreadyHidden[1]) : 0;
  while (lines.length > 1) {
    lines.pop();
    hidden++;
    const candidate = [...lines, moreLine(hidden)].join("\n");
    if (candidate.length <= max) return candidate;
  }
  return truncateWords([...lines, moreLine(hidden)].join("\n"), max);
}

/** At most `max` characters, cut at a space and marked with "…". */
export function truncateWords(text: string, max: number): string {
  if (text.length <= max) return text;
  const cut = text.slice(0, max - 1);
  const lastSpace = cut.search(/\s\S*$/);
  return `${lastSpace > 0 ? cut.slice(0, lastSpace) : cut}…`;
}

function jsonLength(surface: BlockSurface): number {
  return JSON.stringify(surface).length;
}

function withoutFirstImage(blocks: KnownBlock[]): KnownBlock[] | null {
  const i = blocks.findIndex((block) => block.type === "image");
  return i < 0 ? null : blocks.toSpliced(i, 1);
}

/**
 * The longest list (a section text or field of LONG_LIST_CHARS or more, one item a line) loses
 * enough lines to save `excess` characters, down to LONG_LIST_CHARS. Null when none can.
 */
function withLongestListShortened(blocks: KnownBlock[], excess: number): KnownBlock[] | null {
  const lists = blocks
    .flatMap((block, index) =>
      block.type === "section" ? sectionTexts(block).map((list) => ({ index, ...list })) : [],
    )
    .filter((list) => list.text.length >= LONG_LIST_CHARS && listLines(list.text) > 1)
    .sort((a, b) => b.text.length - a.text.length);
  for (const { index, field, text } of lists) {
    const shorter = truncateLines(text, Math.max(text.length - excess, LONG_LIST_CHARS));
    const section = blocks[index];
    if (shorter.length < text.length && section?.type === "section") {
      return blocks.toSpliced(index, 1, withSectionText(section, field, shorter));
    }
  }
  return null;
}

/** A section's text (field null) and each of its fields. */
function sectionTexts(section: SectionBlock): { field: number | null; text: string }[] {
  return [
    ...(section.text ? [{ field: null, text: section.text.text }] : []),
    ...(section.fields ?? []).map((object, field) => ({ field, text: object.text })),
  ];
}

function withSectionText(section: SectionBlock, field: number | null, text: string): SectionBlock {
  if (field === null) return section.text ? { ...section, text: { ...section.text, text } } : section;
  return {
    ...section,
    fields: section.fields?.map((object, i) => (i === field ? { ...object, text } : object)),
  };
}

/** Lines of a text that could still be left out: all but the first and any "…and N more". */
function listLines(text: string): number {
  const lines = text.split("\n");
  return lines.length - (MORE_LINE.test(lines.at(-1) ?? "") ? 1 : 0);
}

/**
 * The last block before a final actions block goes, counted in a closing "…and N more"
 * context. Null when nothing is left to drop.
 */
function withoutLastContentBlock(blocks: KnownBlock[]): KnownBlock[] | null {
  const trailing = blocks.at(-1)?.type === "actions" ? blocks.slice(-1) : [];
  const content = blocks.slice(0, blocks.length - trailing.length);
  const note = content.at(-1);
  const noted = note?.type === "context" ? hiddenCount(note.elements[0]) : null;
  const kept = content.slice(0, noted === null ? -1 : -2);
  if (kept.length === 0) return null;
  const hidden = (noted ?? 0) + 1;
  return [...kept, { type: "context", elements: [{ type: "mrkdwn", text: moreLine(hidden) }] }, ...trailing];
}

function hiddenCount(element: ContextBlockElement | undefined): number | null {
  const match = element && isText(element) ? MORE_LINE.exec(element.text) : null;
  return match ? Number(match[1]) : null;
}
