import { expect } from "vitest";

/**
 * Deep structure with numbers compared to 9 significant digits: SQL sums floats in whatever order
 * its plan reads the rows, so two plans of the same sum can differ in the last bits.
 */
export function closeTo(value: unknown): unknown {
  if (typeof value === "number")
    return expect.closeTo(value, Math.max(0, 9 - Math.ceil(Math.log10(Math.abs(value) + 1))));
  if (Array.isArray(value)) return value.map(closeTo);
  if (value && typeof value === "object" && !(value instanceof Date)) {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, closeTo(v)]));
  }
  return value;
}
