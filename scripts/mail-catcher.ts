/**
 * The dev command's mail catcher: an SMTP server on localhost that accepts every message and keeps it as
 * an .eml file under the data directory, so reminders and escalations can be read without a mail system.
 * (docker compose runs Mailpit for the same job.)
 */
import fs from 'node:fs';
import path from 'node:path';
import { SMTPServer } from 'smtp-server';

export type MailCatcher = { url: string; dir: string; close(): Promise<void> };

export async function startMailCatcher(options: { port: number; dir: string; host?: string }): Promise<MailCatcher> {
  const host = options.host ?? '127.0.0.1';
  fs.mkdirSync(options.dir, { recursive: true });
  let n = 0;
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    logger: false,
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('end', () => {
        const to = session.envelope.rcptTo.map((r) => r.address).join(',').replace(/[^\w@.,-]/g, '_');
        const file = path.join(options.dir, `${new Date().toISOString().replace(/[:.]/g, '-')}-${++n}-${to}.eml`);
        fs.writeFile(file, Buffer.concat(chunks), (err) => callback(err ?? null));
      });
    },
  });
  const listen = (port: number) =>
    new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, host, () => resolve());
    });
  // A port taken by another catcher (or a second checkout) is no reason to refuse to start.
  await listen(options.port).catch((err: NodeJS.ErrnoException) => {
    if (err.code !== 'EADDRINUSE') throw err;
    return listen(0);
  });
  const address = server.server.address();
  const port = typeof address === 'object' && address ? address.port : options.port;
  return {
    url: `smtp://${host}:${port}`,
    dir: options.dir,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
