// autocannon abandons the requests in flight when a run stops, but the server still works them
// off (the portal's PGlite one query at a time), and a request arriving meanwhile waits behind
// them. Before anything is measured after a load, that backlog has to be gone.

/**
 * Requests `url` one at a time until one takes no longer than a request alone did
 * (1.5 × aloneMs + 5 ms), at most `tries` times.
 */
export async function settle(url: string, headers: Record<string, string>, aloneMs: number, tries = 30) {
  for (let i = 0; i < tries; i++) {
    const started = performance.now();
    await (await fetch(url, { headers })).arrayBuffer();
    if (performance.now() - started <= aloneMs * 1.5 + 5) return;
  }
}
