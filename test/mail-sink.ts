import { simpleParser, type ParsedMail } from 'mailparser';
import { SMTPServer } from 'smtp-server';
import { freePort } from '../scripts/temporal-server.js';

export type Received = { to: string[]; mail: ParsedMail };

/**
 * A real SMTP server in the test process. A message counts as delivered only once the server has said
 * 250 to it, as for any mail system: a client that dies before the reply has not delivered.
 */
export class MailSink {
  readonly received: Received[] = [];
  /** Every message whose data arrived, answered or not, with its Message-ID. */
  readonly seen: Array<{ to: string[]; messageId: string | undefined }> = [];
  port = 0;
  /** Milliseconds to wait before answering a message's data. */
  delayMs = 0;
  /** Set when a message's data has arrived and its reply is being held. */
  onHold: (() => void) | undefined;
  private server: SMTPServer | undefined;
  private readonly closed = new Set<string>();

  get url(): string {
    return `smtp://127.0.0.1:${this.port}`;
  }

  async start(): Promise<void> {
    this.port ||= await freePort();
    this.server = new SMTPServer({
      authOptional: true,
      disabledCommands: ['STARTTLS'],
      logger: false,
      onClose: (session) => void this.closed.add(session.id),
      onData: (stream, session, callback) => {
        const chunks: Buffer[] = [];
        stream.on('data', (c: Buffer) => chunks.push(c));
        stream.on('end', async () => {
          const raw = Buffer.concat(chunks);
          const mail = await simpleParser(raw);
          this.seen.push({ to: session.envelope.rcptTo.map((r) => r.address), messageId: mail.messageId });
          if (this.delayMs > 0) {
            this.onHold?.();
            await new Promise((r) => setTimeout(r, this.delayMs));
          }
          if (this.closed.has(session.id)) return callback(new Error('client gone'));
          this.received.push({ to: session.envelope.rcptTo.map((r) => r.address), mail });
          callback(null);
        });
      },
    });
    await new Promise<void>((resolve, reject) => {
      this.server!.once('error', reject);
      this.server!.listen(this.port, '127.0.0.1', () => resolve());
    });
  }

  /** Stops listening, as an SMTP server that is down. */
  async stop(): Promise<void> {
    const server = this.server;
    this.server = undefined;
    if (server) await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  to(address: string): Received[] {
    return this.received.filter((r) => r.to.includes(address));
  }
}
