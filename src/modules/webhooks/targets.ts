// Where a webhook may be sent: http(s) only, no credentials in the URL, and never (unless the
// configuration allows it: tests, a private deployment) a loopback, private, link-local or other
// non-public address. Names are checked when registered and again, address by address, when each
// delivery connects (the lookup below), so a name that later resolves inward is refused too.
import dns from 'node:dns';
import { BlockList, isIP, type LookupFunction } from 'node:net';
import { ValidationError } from '../../shared/errors';

export const URL_MAX_LENGTH = 2_048;

const NON_PUBLIC = new BlockList();
for (const [network, prefix] of [
  ['0.0.0.0', 8],
  ['10.0.0.0', 8],
  ['100.64.0.0', 10],
  ['127.0.0.0', 8],
  ['169.254.0.0', 16],
  ['172.16.0.0', 12],
  ['192.0.0.0', 24],
  ['192.168.0.0', 16],
  ['198.18.0.0', 15],
  ['224.0.0.0', 4],
  ['240.0.0.0', 4],
] as const)
  NON_PUBLIC.addSubnet(network, prefix, 'ipv4');
for (const [network, prefix] of [
  ['::', 128],
  ['::1', 128],
  ['fc00::', 7],
  ['fe80::', 10],
  ['ff00::', 8],
] as const)
  NON_PUBLIC.addSubnet(network, prefix, 'ipv6');

export function isNonPublicAddress(address: string): boolean {
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address)?.[1];
  if (mapped) return NON_PUBLIC.check(mapped, 'ipv4');
  const family = isIP(address);
  if (family === 0) return true;
  return NON_PUBLIC.check(address, family === 4 ? 'ipv4' : 'ipv6');
}

export class RefusedTargetError extends Error {
  constructor(readonly address: string) {
    super(`refused to connect to ${address}: not a public address (WEBHOOK_ALLOW_PRIVATE_TARGETS is off)`);
    this.name = 'RefusedTargetError';
  }
}

/** The URL, parsed, if it may be registered; else ValidationError naming `field`. */
export function validateWebhookUrl(text: string, field: string, allowPrivate: boolean): URL {
  if (text.length > URL_MAX_LENGTH) throw new ValidationError(field, `at most ${URL_MAX_LENGTH} characters`);
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new ValidationError(field, 'is not a URL (e.g. https://example.com/hooks)');
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:')
    throw new ValidationError(field, `must be http or https, not ${url.protocol.replace(':', '')}`);
  if (url.username || url.password)
    throw new ValidationError(field, 'must not carry a user name or password (the signature authenticates)');
  if (url.hash) throw new ValidationError(field, 'must not have a #fragment');
  if (!allowPrivate) {
    const host = url.hostname.replace(/^\[|\]$/g, '');
    if (isIP(host) !== 0 ? isNonPublicAddress(host) : /(^|\.)localhost$/i.test(host))
      throw new ValidationError(
        field,
        'points at a loopback or private address, which webhooks may not reach',
      );
  }
  return url;
}

/** A connection's address lookup that refuses non-public addresses (every one a name resolves to). */
export function guardedLookup(allowPrivate: boolean): LookupFunction {
  return (hostname, options, callback) => {
    dns.lookup(hostname, { ...options, all: true }, (error, addresses) => {
      if (error) return callback(error, '', 0);
      const refused = allowPrivate ? undefined : addresses.find((a) => isNonPublicAddress(a.address));
      if (refused) return callback(new RefusedTargetError(refused.address), '', 0);
      if ((options as { all?: boolean }).all)
        return (callback as unknown as (e: null, a: typeof addresses) => void)(null, addresses);
      callback(null, addresses[0]!.address, addresses[0]!.family);
    });
  };
}

/** An IP literal in the URL (Node connects to it without a lookup): checked here instead. */
export function refuseLiteralTarget(url: URL, allowPrivate: boolean): void {
  const host = url.hostname.replace(/^\[|\]$/g, '');
  if (!allowPrivate && isIP(host) !== 0 && isNonPublicAddress(host)) throw new RefusedTargetError(host);
}
