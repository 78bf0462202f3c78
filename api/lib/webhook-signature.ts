// Outbound webhooks, the pure parts: Standard Webhooks signing (standardwebhooks.com: the headers
// webhook-id, webhook-timestamp, webhook-signature) and which endpoint URLs HR may register.
import { createHmac, randomBytes } from 'node:crypto';
import { isIP } from 'node:net';

export const WEBHOOK_EVENTS = ['interview.started', 'interview.ended', 'evaluation.ready'] as const;
export type WebhookEvent = (typeof WEBHOOK_EVENTS)[number];

/** 'whsec_' + base64 of 24 random bytes: the Standard Webhooks secret format. */
export const newWebhookSecret = () => `whsec_${randomBytes(24).toString('base64')}`;

/** `v1,<base64 HMAC-SHA256 of "{id}.{timestamp}.{body}">`, keyed with the secret's decoded bytes. */
export function signWebhook(secret: string, messageId: string, timestampS: number, body: string): string {
  const key = Buffer.from(secret.replace(/^whsec_/, ''), 'base64');
  return `v1,${createHmac('sha256', key).update(`${messageId}.${timestampS}.${body}`).digest('base64')}`;
}

/** The headers of one attempt: the id stays the same on every retry, the timestamp is the attempt's. */
export function webhookHeaders(secret: string, messageId: string, nowMs: number, body: string): Record<string, string> {
  const timestamp = Math.floor(nowMs / 1000);
  return {
    'content-type': 'application/json',
    'webhook-id': messageId,
    'webhook-timestamp': String(timestamp),
    'webhook-signature': signWebhook(secret, messageId, timestamp, body),
  };
}

/**
 * Why an endpoint URL is refused, or null when it is fine. https only, no credentials in the URL
 * (they would be stored and shown), and no loopback, private or link-local literal address or
 * `localhost`, so HR cannot aim the API at its own network. `allowLocal` (WEBHOOKS_ALLOW_HTTP, for
 * local development and tests) lifts the last two rules. Host names are not resolved here: a name
 * that resolves to a private address is the deployment's egress rules' business (README).
 */
export function webhookUrlProblem(raw: string, allowLocal: boolean): string | null {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return 'must be an absolute URL';
  }
  if (url.protocol !== 'https:' && !(allowLocal && url.protocol === 'http:')) return 'must use https';
  if (url.username !== '' || url.password !== '') return 'must not contain a user name or password';
  if (!allowLocal && isLocalHost(url.hostname)) return 'must not point at a local or private address';
  return null;
}

function isLocalHost(hostname: string): boolean {
  // 'localhost.' is localhost too: a trailing dot only makes the name absolute.
  const host = hostname
    .replace(/^\[|\]$/g, '')
    .replace(/\.+$/, '')
    .toLowerCase();
  if (host === 'localhost' || host.endsWith('.localhost')) return true;
  if (isIP(host) === 4) return isPrivateV4(host);
  if (isIP(host) === 6) {
    // The URL parser writes an IPv4-mapped address in hex (::ffff:7f00:1).
    const mapped = /^::ffff:([0-9a-f]{1,4}):([0-9a-f]{1,4})$/.exec(host);
    if (mapped) {
      const [hi, lo] = [parseInt(mapped[1]!, 16), parseInt(mapped[2]!, 16)];
      return isPrivateV4(`${hi >> 8}.${hi & 255}.${lo >> 8}.${lo & 255}`);
    }
    return host === '::' || host === '::1' || /^f[cd]/.test(host) || /^fe[89ab]/.test(host);
  }
  return false;
}

function isPrivateV4(ip: string): boolean {
  const [a, b] = ip.split('.').map(Number) as [number, number];
  return (
    a === 0 ||
    a === 10 ||
    a === 127 ||
    (a === 100 && b >= 64 && b < 128) ||
    (a === 169 && b === 254) ||
    (a === 172 && b >= 16 && b < 32) ||
    (a === 192 && b === 168)
  );
}
