import fs from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { Hono } from 'hono';

const require = createRequire(import.meta.url);

/**
 * The web app's CSS and scripts, from their npm packages: nothing is loaded from the internet. A Map, looked up by
 * the file's own name only: a plain object would answer `constructor` or `__proto__` with what every object has.
 */
const ASSETS = new Map<string, { file: string; type: string }>([
  ['pico.min.css', { file: require.resolve('@picocss/pico/css/pico.min.css'), type: 'text/css; charset=utf-8' }],
  ['htmx.min.js', { file: require.resolve('htmx.org/dist/htmx.min.js'), type: 'text/javascript; charset=utf-8' }],
  ['sse.min.js', { file: require.resolve('htmx-ext-sse/dist/sse.min.js'), type: 'text/javascript; charset=utf-8' }],
  ['app.css', { file: fileURLToPath(new URL('./assets/app.css', import.meta.url)), type: 'text/css; charset=utf-8' }],
  ['invitation.js', { file: fileURLToPath(new URL('./assets/invitation.js', import.meta.url)), type: 'text/javascript; charset=utf-8' }],
]);

export function assetsApp(): Hono {
  const cache = new Map<string, Buffer>();
  const app = new Hono();
  app.get('/:file', (c) => {
    const asset = ASSETS.get(c.req.param('file'));
    if (!asset) return c.notFound();
    let body = cache.get(asset.file);
    if (!body) {
      body = fs.readFileSync(asset.file);
      cache.set(asset.file, body);
    }
    return c.body(new Uint8Array(body), 200, { 'content-type': asset.type, 'cache-control': 'public, max-age=3600' });
  });
  return app;
}
