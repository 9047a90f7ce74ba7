import { Hono } from 'hono';
import { streamSSE } from 'hono/streaming';
import type { WebDeps, WebEnv } from '../context.js';
import { personOf } from '../page.js';

/** How long a live connection lasts before the browser reconnects (EventSource does so by itself). */
const MAX_CONNECTION_MS = 10 * 60_000;

/**
 * Server-sent events for the open page: `changed` whenever an event is recorded in the person's scope, so
 * home and the inbox refresh themselves (htmx's SSE extension); a comment now and then keeps proxies open.
 */
export function livePage({ services }: WebDeps) {
  const app = new Hono<WebEnv>();
  app.get('/', (c) => {
    const person = personOf(c);
    return streamSSE(c, async (stream) => {
      const queue: string[] = [];
      let wake: (() => void) | undefined;
      const stop = await services.live.subscribe(person, (change) => {
        queue.push(JSON.stringify(change));
        wake?.();
      });
      let open = true;
      stream.onAbort(() => {
        open = false;
        wake?.();
      });
      const until = Date.now() + MAX_CONNECTION_MS;
      try {
        await stream.writeSSE({ event: 'ready', data: '{}', retry: 3000 });
        while (open && Date.now() < until) {
          const next = queue.shift();
          if (next !== undefined) {
            await stream.writeSSE({ event: 'changed', data: next });
            continue;
          }
          await new Promise<void>((resolve) => {
            wake = resolve;
            setTimeout(resolve, 25_000);
          });
          wake = undefined;
          if (queue.length === 0 && open) await stream.write(': keep-alive\n\n');
        }
      } finally {
        stop();
      }
    });
  });
  return app;
}
