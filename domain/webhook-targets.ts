/**
 * Where a webhook may point. An admin registers the URL, but the worker makes the request from inside the
 * province's network: a target in a loopback, private, link-local (cloud metadata at 169.254.169.254) or
 * otherwise non-public range would let the URL reach internal services. Such targets are refused unless the
 * operator allows them (WEBHOOK_ALLOW_PRIVATE_TARGETS, for a receiver on the same network). The ranges are
 * ipaddr.js's classification; the name is resolved by the caller (the check is pure).
 */
import ipaddr from 'ipaddr.js';

/** Why an address may not be a webhook target, or null when it is a public unicast address. */
export function refusedRange(address: string): string | null {
  if (!ipaddr.isValid(address)) return 'not an IP address';
  let ip = ipaddr.parse(address);
  // ::ffff:10.0.0.1 is 10.0.0.1.
  if (ip.kind() === 'ipv6' && (ip as ipaddr.IPv6).isIPv4MappedAddress()) ip = (ip as ipaddr.IPv6).toIPv4Address();
  const range = ip.range();
  return range === 'unicast' ? null : range;
}

export type Lookup = (hostname: string) => Promise<string[]>;

const ALLOW_HINT = 'webhooks go to public addresses unless WEBHOOK_ALLOW_PRIVATE_TARGETS is set';

/**
 * Why a name may not be a webhook target, as an admin may read it. Neither the address it resolved to nor its
 * range is said, and a name that does not resolve reads the same: otherwise the form would tell anyone who may
 * register a webhook what the province's internal names resolve to.
 */
export const refusedName = (host: string): string => `${host} does not resolve to public addresses only; ${ALLOW_HINT}`;

/**
 * What the URL says by itself: a problem (not a URL, not http(s), a literal address in a refused range), or the
 * name still to resolve and check (null when there is none: a literal address, or every target allowed).
 */
export function literalTarget(url: string, allowPrivate: boolean): { problem: string } | { problem: null; name: string | null } {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return { problem: 'not a URL' };
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') return { problem: 'only http and https targets are allowed' };
  if (allowPrivate) return { problem: null, name: null };
  const host = parsed.hostname.replace(/^\[(.*)\]$/, '$1');
  if (!ipaddr.isValid(host)) return { problem: null, name: host };
  const range = refusedRange(host);
  // The admin wrote this address: saying its range tells nothing they do not know.
  return range ? { problem: `${host} is in a ${range} range; ${ALLOW_HINT}` } : { problem: null, name: null };
}

/**
 * Why `url` may not be a webhook target (its scheme, or an address its host resolves to), or null. Every
 * address the name resolves to is checked, so a name with one public and one private address is refused. This is
 * the check at registration; a delivery connects only to addresses it checks again as it connects.
 */
export async function webhookTargetProblem(url: string, options: { allowPrivate: boolean; lookup: Lookup }): Promise<string | null> {
  const target = literalTarget(url, options.allowPrivate);
  if (target.problem !== null || target.name === null) return target.problem;
  const addresses = await options.lookup(target.name).catch(() => []);
  return addresses.length === 0 || addresses.some((a) => refusedRange(a) !== null) ? refusedName(target.name) : null;
}
