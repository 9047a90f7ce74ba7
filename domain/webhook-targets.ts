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

/**
 * Why `url` may not be a webhook target (its scheme, or an address its host resolves to), or null. Every
 * address the name resolves to is checked, so a name with one public and one private address is refused.
 */
export async function webhookTargetProblem(url: string, options: { allowPrivate: boolean; lookup: Lookup }): Promise<string | null> {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return 'not a URL';
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') return 'only http and https targets are allowed';
  if (options.allowPrivate) return null;
  const host = parsed.hostname.replace(/^\[(.*)\]$/, '$1');
  let addresses: string[];
  try {
    addresses = ipaddr.isValid(host) ? [host] : await options.lookup(host);
  } catch {
    return `${host} does not resolve`;
  }
  if (addresses.length === 0) return `${host} does not resolve`;
  for (const address of addresses) {
    const range = refusedRange(address);
    if (range) return `${host} is in a ${range} range (${address}); webhooks go to public addresses unless WEBHOOK_ALLOW_PRIVATE_TARGETS is set`;
  }
  return null;
}
