import { serve, type ServerType } from '@hono/node-server';
import type { App } from './app.js';

export type HttpServer = { url: string; port: number; close(): Promise<void> };

export async function startHttpServer(app: App, host: string, port: number): Promise<HttpServer> {
  return new Promise((resolve, reject) => {
    let server: ServerType;
    try {
      server = serve({ fetch: app.fetch, hostname: host, port }, (info) => {
        resolve({
          url: `http://${host === '0.0.0.0' ? 'localhost' : host}:${info.port}`,
          port: info.port,
          close: () => new Promise<void>((done) => server.close(() => done())),
        });
      });
      server.once('error', reject);
    } catch (err) {
      reject(err);
    }
  });
}
