// Server-side time: Fastify's reply.elapsedTime for every response (from the moment Fastify
// takes the request to the moment the response is written), recorded while a load runs. It
// leaves out what autocannon's latency also holds: the request and response on the loopback
// socket, and the time a request waits in the kernel and the event loop before Fastify sees it.
import type { FastifyInstance } from 'fastify';

export interface ServerTimes {
  /** Starts recording (and drops anything recorded before). */
  start(): void;
  /** Stops, and returns the times (ms) of the responses finished between `from` and `to` (epoch ms). */
  stop(from: number, to: number): number[];
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- the portal's and the baseline's instances differ in type parameters
export function recordServerTimes(app: FastifyInstance<any, any, any, any, any>): ServerTimes {
  let recording: { at: number; ms: number }[] | null = null;
  app.addHook('onResponse', (_req, reply, done) => {
    recording?.push({ at: Date.now(), ms: reply.elapsedTime });
    done();
  });
  return {
    start() {
      recording = [];
    },
    stop(from, to) {
      const taken = recording ?? [];
      recording = null;
      return taken.filter((x) => x.at >= from && x.at <= to).map((x) => x.ms);
    },
  };
}
