import nodemailer from 'nodemailer';
import type { Mailer } from './deliver.js';

/**
 * An SMTP transport with bounded waits: a server that stops answering fails the attempt (and Temporal
 * retries it) instead of holding the activity until its heartbeat times out.
 */
export function createMailer(smtpUrl: string): Mailer & { close(): void } {
  return nodemailer.createTransport({ url: smtpUrl, connectionTimeout: 10_000, greetingTimeout: 10_000, socketTimeout: 15_000 });
}
