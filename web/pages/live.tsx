import { Hono } from 'hono';
import { streamSSE } from 'hono/streaming';
import type { WebDeps, WebEnv } from '../context.js';
import { personOf } from '../page.js';

/** How long a live connection lasts before the browser reconnects (EventSource does so by itself). */
const MAX_CONNECTION_MS = 10 * 60_000;
/** A comment this often keeps proxies from closing a quiet connection. */
const KEEP_ALIVE_MS = 25_000;

/**
 * Server-sent events for the open page: `changed` whenever an event is recorded in the person's scope, so
 * home and the inbox refresh themselves (htmx's SSE extension). The page only needs to know *that* something
 * changed, so changes arriving together are sent as one.
 */
export function livePage({ services }: WebDeps) {
  const app = new Hono<WebEnv>();
  app.get('/', (c) => {
    const person = personOf(c);
    return streamSSE(c, async (stream) => {
      let changed = false;
      let wake: (() => void) | undefined;
      // Registered first: a browser that leaves while we subscribe is still noticed.
      stream.onAbort(() => wake?.());
      const stop = await services.live.subscribe(person, () => {
        changed = true;
        wake?.();
      });
      const until = Date.now() + MAX_CONNECTION_MS;
      try {
        await stream.writeSSE({ event: 'ready', data: '{}', retry: 3000 });
        while (!stream.aborted && Date.now() < until) {
          if (changed) {
            changed = false;
            await stream.writeSSE({ event: 'changed', data: '{}' });
            continue;
          }
          let timer: NodeJS.Timeout | undefined;
          await new Promise<void>((resolve) => {
            wake = resolve;
            timer = setTimeout(resolve, Math.min(KEEP_ALIVE_MS, Math.max(0, until - Date.now())));
          });
          clearTimeout(timer);
          wake = undefined;
          if (!changed && !stream.aborted) await stream.write(': keep-alive\n\n');
        }
      } finally {
        stop();
      }
    });
  });
  return app;
}
