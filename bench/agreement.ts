/** Relative tolerance: the two sides add the same floats in a different order. */
const TOLERANCE = 1e-9;

function closeEnough(a: number, b: number): boolean {
  return Math.abs(a - b) <= TOLERANCE * Math.max(1, Math.abs(a), Math.abs(b));
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function mismatch(path: string, insight: unknown, handWritten: unknown): string {
  return `${path}: insight ${JSON.stringify(insight)}, hand-written ${JSON.stringify(handWritten)}`;
}

/**
 * Where the hand-written numbers differ from the insight's view model, walking the hand-written
 * side's keys (the view has more: the curve, labels, urls). Empty when they agree.
 */
export function differences(insight: unknown, handWritten: unknown, path = ""): string[] {
  if (typeof insight === "number" && typeof handWritten === "number") {
    return closeEnough(insight, handWritten) ? [] : [mismatch(path, insight, handWritten)];
  }
  if (Array.isArray(handWritten)) {
    if (!Array.isArray(insight) || insight.length !== handWritten.length) {
      return [
        `${path}: insight has ${Array.isArray(insight) ? insight.length : "no"} items, hand-written ${handWritten.length}`,
      ];
    }
    return handWritten.flatMap((item, index) => differences(insight[index], item, `${path}[${index}]`));
  }
  if (isRecord(handWritten)) {
    if (!isRecord(insight)) return [mismatch(path, insight, handWritten)];
    return Object.entries(handWritten).flatMap(([key, value]) =>
      differences(insight[key], value, path === "" ? key : `${path}.${key}`),
    );
  }
  return Object.is(insight, handWritten) ? [] : [mismatch(path, insight, handWritten)];
}
