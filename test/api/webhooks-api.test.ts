// The HR API of outbound webhooks: the secret shown once, lists without secrets, other organizations
// kept out, bad input refused without a write, and at most 20 endpoints an organization.
import { describe, expect, it } from 'vitest';
import { hrUser, json } from '../../testkit/api.js';
import { expectError } from '../../testkit/errors.js';
import { anotherProcess, countEndpoints, h, voiceInterview, useWebhooksHarness } from './helpers/webhooks.js';

useWebhooksHarness();

describe('the HR API', () => {
  const valid = { url: 'https://ats.example.com/hooks/interviews?tenant=7', events: ['interview.ended'] };
  /** For endpoints that get events: tests reach only loopback (nothing listens on port 9). */
  const local = { url: 'http://127.0.0.1:9/hooks?tenant=7', events: ['interview.ended'] };

  it('answers 201 with the secret once; lists without secrets; other organizations get 404', async () => {
    const hr = await hrUser(h);
    const res = await h.request('/api/webhooks', {
      method: 'POST',
      headers: hr.auth,
      json: { ...local, events: ['interview.ended', 'interview.ended', 'evaluation.ready'] },
    });
    expect(res.status).toBe(201);
    const created = await json<Record<string, unknown>>(res);
    expect(created).toEqual({
      id: expect.any(String),
      url: local.url,
      events: ['interview.ended', 'evaluation.ready'],
      enabled: true,
      createdAt: expect.any(String),
      secret: expect.stringMatching(/^whsec_[A-Za-z0-9+/]{32}$/),
    });
    const secret = created.secret as string;

    const list = await h.request('/api/webhooks', { headers: hr.auth });
    const text = await list.text();
    expect(JSON.parse(text)).toEqual({
      items: [{ id: created.id, url: local.url, events: created.events, enabled: true, createdAt: created.createdAt }],
    });
    expect(text).not.toContain(secret);
    expect(text).not.toContain('whsec_');
    await voiceInterview(hr.auth);
    const deliveries = await (await h.request(`/api/webhooks/${created.id}/deliveries`, { headers: hr.auth })).text();
    expect(JSON.parse(deliveries).items).toHaveLength(2);
    expect(deliveries).not.toContain('whsec_');

    const stranger = await hrUser(h);
    expect((await json<{ items: unknown[] }>(await h.request('/api/webhooks', { headers: stranger.auth }))).items).toEqual([]);
    const id = created.id as string;
    await expectError(await h.request(`/api/webhooks/${id}/deliveries`, { headers: stranger.auth }), 404, 'NOT_FOUND');
    await expectError(await h.request(`/api/webhooks/${id}`, { method: 'DELETE', headers: stranger.auth }), 404, 'NOT_FOUND');
    await expectError(
      await h.request(`/api/webhooks/${id}`, { method: 'PATCH', headers: stranger.auth, json: { enabled: false } }),
      404,
      'NOT_FOUND',
    );
    await expectError(await h.request('/api/webhooks/123/deliveries', { headers: hr.auth }), 404, 'NOT_FOUND');
    expect((await json<{ items: { enabled: boolean }[] }>(await h.request('/api/webhooks', { headers: hr.auth }))).items[0]!.enabled).toBe(
      true,
    );
    await expectError(await h.request('/api/webhooks', { headers: {} }), 401, 'UNAUTHORIZED');
  });

  it('refuses bad input with a 400 and stores nothing', async () => {
    const strict = await anotherProcess({}); // production rules: https, public addresses only
    const hr = await hrUser(strict);
    const bad: unknown[] = [
      { ...valid, url: 'http://ats.example.com/hooks' },
      { ...valid, url: 'https://user:pass@ats.example.com/hooks' },
      { ...valid, url: 'https://token@ats.example.com/hooks' },
      { ...valid, url: 'https://127.0.0.1/hooks' },
      { ...valid, url: 'https://localhost:8443/hooks' },
      { ...valid, url: 'https://[::1]/hooks' },
      { ...valid, url: 'https://10.1.2.3/hooks' },
      { ...valid, url: 'https://169.254.169.254/latest/meta-data' },
      { ...valid, url: 'https://2130706433/hooks' }, // 127.0.0.1 written as a number
      { ...valid, url: 'ftp://ats.example.com/hooks' },
      { ...valid, url: 'javascript:alert(1)' },
      { ...valid, url: 'not a url' },
      { ...valid, url: `https://ats.example.com/${'a'.repeat(3000)}` },
      { ...valid, url: 42 },
      { ...valid, events: ['interview.deleted'] },
      { ...valid, events: [] },
      { ...valid, events: 'interview.ended' },
      { ...valid, events: Array(10).fill('interview.ended') },
      { url: valid.url },
      { events: valid.events },
      { ...valid, secret: 'whsec_mine' },
      { ...valid, enabled: false },
    ];
    const before = await countEndpoints();
    for (const body of bad) {
      const res = await strict.request('/api/webhooks', { method: 'POST', headers: hr.auth, json: body });
      await expectError(res, 400, 'VALIDATION_FAILED');
    }
    await expectError(
      await strict.request('/api/webhooks', {
        method: 'POST',
        headers: { ...hr.auth, 'content-type': 'application/json' },
        body: '{"url":',
      }),
      400,
      'INVALID_JSON',
    );
    const hook = (await json<{ id: string }>(await strict.request('/api/webhooks', { method: 'POST', headers: hr.auth, json: valid }))).id;
    await expectError(
      await strict.request(`/api/webhooks/${hook}`, { method: 'PATCH', headers: hr.auth, json: { enabled: 'no' } }),
      400,
      'VALIDATION_FAILED',
    );
    await expectError(
      await strict.request(`/api/webhooks/${hook}`, { method: 'PATCH', headers: hr.auth, json: { enabled: false, url: valid.url } }),
      400,
      'VALIDATION_FAILED',
    );
    await expectError(await strict.request(`/api/webhooks/${hook}/deliveries?limit=0`, { headers: hr.auth }), 400, 'VALIDATION_FAILED');
    await expectError(await strict.request(`/api/webhooks/${hook}/deliveries?limit=5&x=1`, { headers: hr.auth }), 400, 'VALIDATION_FAILED');
    expect(await countEndpoints()).toBe(before + 1);

    // Credentials stay refused even where local http is allowed.
    const dev = await hrUser(h);
    await expectError(
      await h.request('/api/webhooks', { method: 'POST', headers: dev.auth, json: { ...valid, url: 'http://a:b@127.0.0.1:9/x' } }),
      400,
      'VALIDATION_FAILED',
    );
  });

  it('keeps an organization to 20 endpoints', async () => {
    const hr = await hrUser(h);
    for (let i = 0; i < 20; i++) {
      expect(
        (await h.request('/api/webhooks', { method: 'POST', headers: hr.auth, json: { ...local, url: `${local.url}&n=${i}` } })).status,
      ).toBe(201);
    }
    await expectError(await h.request('/api/webhooks', { method: 'POST', headers: hr.auth, json: local }), 409, 'CONFLICT');
  });
});
