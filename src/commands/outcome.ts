/** The result of reading one piece of a command: a value, or why it could not be read. */
export type Outcome<T> = { ok: true; value: T } | { ok: false; reason: string };

export function success<T>(value: T): Outcome<T> {
  return { ok: true, value };
}

export function failure(reason: string): { ok: false; reason: string } {
  return { ok: false, reason };
}
