/**
 * `fetch` with a deadline for the calls that bring none of their own: Bolt's `respond` posts to the
 * response_url with a bare `fetch`, and a response_url that never answers would hold its listener
 * (and a graceful stop) until the socket gave up minutes later. The Web API client's own calls
 * carry their own timeout signal and are left as they are.
 */
export function timedFetch(timeoutMs: number): typeof fetch {
  return (input, init) => fetch(input, { ...init, signal: init?.signal ?? AbortSignal.timeout(timeoutMs) });
}
