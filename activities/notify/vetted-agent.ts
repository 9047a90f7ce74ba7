/**
 * The connection a webhook delivery makes: the name is resolved once, as the socket connects, and every address
 * it resolved to is checked against the webhook target rules before any is used. Checking first and fetching
 * after would resolve the name twice, and a name with a TTL of 0 can answer a public address to the check and an
 * internal one to the fetch (DNS rebinding). The URL is unchanged, so the Host header and TLS's SNI are the name's.
 */
import dns, { type LookupAddress } from 'node:dns';
import type { LookupFunction } from 'node:net';
import { Agent } from 'undici';
import { refusedName, refusedRange } from '../../domain/webhook-targets.js';

/** A name whose addresses a webhook may not reach; its message never names them. */
export class RefusedTarget extends Error {
  readonly code = 'EREFUSEDTARGET';
  constructor(readonly host: string) {
    super(refusedName(host));
  }
}

/** The refusal behind a failed fetch (undici wraps the socket's error in `cause`), if that is what it was. */
export function refusedTargetIn(err: unknown): RefusedTarget | undefined {
  for (let e: unknown = err, depth = 0; e && depth < 5; e = (e as { cause?: unknown }).cause, depth++) if (e instanceof RefusedTarget) return e;
  return undefined;
}

const vettedLookup: LookupFunction = (hostname, options, callback) => {
  // Looked up on the module at each call: tests put a resolver of their own in its place.
  dns.lookup(hostname, { ...options, all: true }, (err, addresses: LookupAddress[]) => {
    if (err) return callback(err, '', 0);
    if (addresses.length === 0 || addresses.some((a) => refusedRange(a.address) !== null)) return callback(new RefusedTarget(hostname), '', 0);
    if (options.all) return (callback as unknown as (e: null, all: LookupAddress[]) => void)(null, addresses);
    return callback(null, addresses[0]!.address, addresses[0]!.family);
  });
};

/** Connections only to public addresses, whatever a name resolves to when it is connected. */
export const vettedAgent = (): Agent => new Agent({ connect: { lookup: vettedLookup } });
