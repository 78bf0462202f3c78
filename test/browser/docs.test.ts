// The API's interactive docs in a real browser: /api/docs renders the whole description under its
// own CSP (nothing from another origin), and a person tries seed 000's room lookup from the page.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hrUser, room } from '../../testkit/api.js';
import { startBrowserStack, type BrowserStack } from '../../testkit/browser.js';

let s: BrowserStack;
beforeAll(async () => {
  s = await startBrowserStack('docs');
});
afterAll(() => s?.close());

describe('/api/docs', () => {
  it('renders every operation and runs a seed call with "Try it out"', async () => {
    const hr = await hrUser(s.h);
    const r = await room(s.h, hr.auth);
    const { page, problems } = await s.open('desktop');
    const foreign: string[] = [];
    page.on('request', (req) => !req.url().startsWith(s.baseUrl) && !req.url().startsWith('data:') && foreign.push(req.url()));

    await page.goto('/api/docs');
    const lookup = page.locator('.opblock-get:has([data-path="/api/public/interview/room/{roomCode}"])');
    await lookup.waitFor();
    const spec = (await (await s.h.request('/api/openapi.json')).json()) as { paths: Record<string, Record<string, unknown>> };
    const operations = Object.values(spec.paths).reduce((n, ops) => n + Object.keys(ops).length, 0);
    expect(await page.locator('.opblock').count()).toBe(operations);

    await lookup.locator('.opblock-summary').click();
    await lookup.locator('.try-out__btn').click();
    await lookup.locator('input[placeholder="roomCode"]').fill(r.roomCode);
    await lookup.locator('.execute').click();
    const status = lookup.locator('.live-responses-table tr.response .response-col_status').first();
    await expect.poll(() => status.textContent()).toBe('200');
    const body = await lookup.locator('.live-responses-table .microlight').first().textContent();
    expect(JSON.parse(body!)).toMatchObject({ roomCode: r.roomCode, jobTitle: 'Senior Backend Developer - Fintech' });
    await s.shot(page, 'try-it-out');

    expect(foreign).toEqual([]);
    expect(problems).toEqual([]);
    await page.context().close();
    // Swagger UI renders the whole description in Debian's Chromium: over 20 s on a busy 2-core box.
  }, 90_000);
});
