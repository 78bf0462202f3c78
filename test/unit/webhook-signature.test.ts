// Standard Webhooks signing against the scheme's published example, and the endpoint URL rules,
// hostile cases included.
import { describe, expect, it } from 'vitest';
import { newWebhookSecret, signWebhook, webhookHeaders, webhookUrlProblem } from '../../api/lib/webhook-signature.js';

describe('signWebhook', () => {
  it('matches the Standard Webhooks example', () => {
    // The example of the specification and its reference libraries.
    const secret = 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw';
    expect(signWebhook(secret, 'msg_p5jXN8AQM9LWM0D4loKWxJek', 1614265330, '{"test": 2432232314}')).toBe(
      'v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=',
    );
  });

  it('changes with the id, the timestamp, the body and the secret', () => {
    const secret = newWebhookSecret();
    const base = signWebhook(secret, 'msg_1', 100, '{}');
    expect(signWebhook(secret, 'msg_2', 100, '{}')).not.toBe(base);
    expect(signWebhook(secret, 'msg_1', 101, '{}')).not.toBe(base);
    expect(signWebhook(secret, 'msg_1', 100, '{ }')).not.toBe(base);
    expect(signWebhook(newWebhookSecret(), 'msg_1', 100, '{}')).not.toBe(base);
  });

  it('makes secrets of 24 random bytes and headers with the timestamp in seconds', () => {
    const secret = newWebhookSecret();
    expect(secret).toMatch(/^whsec_[A-Za-z0-9+/]{32}$/);
    expect(Buffer.from(secret.slice(6), 'base64')).toHaveLength(24);
    expect(newWebhookSecret()).not.toBe(secret);
    const headers = webhookHeaders(secret, 'msg_1', 1_700_000_000_999, '{}');
    expect(headers).toEqual({
      'content-type': 'application/json',
      'webhook-id': 'msg_1',
      'webhook-timestamp': '1700000000',
      'webhook-signature': signWebhook(secret, 'msg_1', 1_700_000_000, '{}'),
    });
  });
});

describe('webhookUrlProblem', () => {
  it('accepts public https URLs, ports and query strings included', () => {
    for (const url of [
      'https://ats.example.com/hooks',
      'https://ats.example.com:8443/h?tenant=7',
      'https://203.0.113.9/h',
      'https://[2001:db8::1]/h',
    ]) {
      expect(webhookUrlProblem(url, false)).toBeNull();
    }
  });

  it('refuses plain http, other schemes, credentials, and local or private addresses', () => {
    const refused = [
      'http://ats.example.com/h',
      'ftp://ats.example.com/h',
      'javascript:alert(1)',
      'file:///etc/passwd',
      '//ats.example.com/h',
      'ats.example.com/h',
      'https://user:pass@ats.example.com/h',
      'https://user@ats.example.com/h',
      'https://:pass@ats.example.com/h',
      'https://localhost/h',
      'https://LOCALHOST./h',
      'https://127.0.0.1./h',
      'https://api.localhost/h',
      'https://127.0.0.1/h',
      'https://127.1/h',
      'https://2130706433/h',
      'https://0x7f000001/h',
      'https://0.0.0.0/h',
      'https://10.0.0.1/h',
      'https://172.16.5.4/h',
      'https://172.31.255.255/h',
      'https://192.168.1.1/h',
      'https://169.254.169.254/latest/meta-data',
      'https://100.64.0.1/h',
      'https://[::1]/h',
      'https://[::]/h',
      'https://[fd00::1]/h',
      'https://[fe80::1]/h',
      'https://[::ffff:127.0.0.1]/h',
      'https://[::ffff:10.0.0.1]/h',
    ];
    for (const url of refused) expect([url, webhookUrlProblem(url, false)]).toEqual([url, expect.any(String)]);
    expect(webhookUrlProblem('https://172.32.0.1/h', false)).toBeNull();
  });

  it('with local addresses allowed (development, tests): http and loopback, never credentials', () => {
    expect(webhookUrlProblem('http://127.0.0.1:9000/h', true)).toBeNull();
    expect(webhookUrlProblem('http://localhost:9000/h', true)).toBeNull();
    expect(webhookUrlProblem('http://u:p@127.0.0.1:9000/h', true)).toMatch(/password/);
    expect(webhookUrlProblem('ftp://127.0.0.1/h', true)).toMatch(/https/);
  });
});
