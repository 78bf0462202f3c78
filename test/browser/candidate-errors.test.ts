// The candidate page's error paths in a real browser: each API refusal ends in its own plain
// message (chosen by the envelope's code), announced (role=alert), and with nothing to click that
// cannot work. Screenshots of each go to .artifacts/screenshots/.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hrUser, PHONE, room, scheduledInterview } from '../../testkit/api.js';
import { startBrowserStack, type BrowserStack } from '../../testkit/browser.js';

let s: BrowserStack;
let auth: Record<string, string>;

beforeAll(async () => {
  s = await startBrowserStack('candidate-error');
  auth = (await hrUser(s.h)).auth;
});
afterAll(() => s?.close());

async function linkFor(scheduledAt: Date) {
  const { id } = await scheduledInterview(s.h, auth, { scheduledAt: scheduledAt.toISOString() });
  const res = await s.h.request(`/api/ai-interview/generate-link/${id}/`, { method: 'POST', headers: auth });
  expect(res.status).toBe(200);
  return ((await res.json()) as { public_interview_url: string }).public_interview_url;
}

/** Opens `url` and waits for the page-level problem; returns its code and text. */
async function pageProblem(url: string, shot: string) {
  const { page, problems } = await s.open('phone');
  await page.goto(url);
  const box = page.locator('#page-problem');
  await box.waitFor();
  const result = { code: await box.getAttribute('data-code'), text: await box.textContent(), role: await box.getAttribute('role') };
  // The lobby never appears: no join form to fill in vain.
  expect(await page.locator('#join-form').count()).toBe(0);
  await s.shot(page, shot);
  expect(problems).toEqual([]);
  await page.context().close();
  return result;
}

const DAY = 24 * 60 * 60 * 1000;

describe('the candidate page when something is wrong', { timeout: 90_000 }, () => {
  it('says the phone number does not match, and sends the candidate back to the phone field', async () => {
    const r = await room(s.h, auth);
    const { page, problems } = await s.open('desktop');
    await page.goto(r.joinUrl);
    await page.check('#consent');
    await page.fill('#phone', '+971501112222');
    await page.fill('#first-name', 'Ahmed');
    await page.fill('#last-name', 'Hassan');
    await page.click('#join-button');
    const error = page.locator('#join-error');
    await expect.poll(() => error.getAttribute('data-code')).toBe('PHONE_MISMATCH');
    expect(await error.textContent()).toBe(
      'This phone number does not match the one registered for this interview. Check the number and try again.',
    );
    expect(await error.getAttribute('role')).toBe('alert');
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('phone');
    // The button is usable again for a corrected number.
    expect(await page.isEnabled('#join-button')).toBe(true);
    await s.shot(page, 'wrong-phone');
    // Corrected, the same form joins.
    await page.fill('#phone', PHONE);
    const joined = page.waitForResponse((res) => res.url().includes('/api/public/interview/join/'));
    await page.click('#join-button');
    expect((await joined).status()).toBe(200);
    expect(problems).toEqual([]);
    await page.context().close();
  });

  it('says an invalid phone number is invalid', async () => {
    const r = await room(s.h, auth);
    const { page } = await s.open('desktop');
    await page.goto(r.joinUrl);
    await page.check('#consent');
    await page.fill('#phone', '12');
    await page.fill('#first-name', 'Ahmed');
    await page.fill('#last-name', 'Hassan');
    await page.click('#join-button');
    await expect.poll(() => page.getAttribute('#join-error', 'data-code')).toBe('VALIDATION_FAILED');
    expect(await page.textContent('#join-error')).toBe('Please enter a valid phone number, with the country code.');
    await page.context().close();
  });

  it('says an unknown room code is unknown', async () => {
    const p = await pageProblem('/interview/join/ZZZZ2222', 'unknown-room');
    expect(p.code).toBe('NOT_FOUND');
    expect(p.text).toContain('We could not find this interview');
    expect(p.role).toBe('alert');
  });

  it('says an ended interview has ended', async () => {
    const r = await room(s.h, auth);
    expect((await s.h.request(`/api/interviews/${r.sessionId}/end`, { method: 'POST', headers: auth })).status).toBe(200);
    const p = await pageProblem(r.joinUrl, 'ended-room');
    expect(p.code).toBe('INTERVIEW_ENDED');
    expect(p.text).toContain('This interview has already ended');
  });

  it('says when a link that is not open yet opens', async () => {
    const url = await linkFor(new Date(s.h.clock.now + 2 * DAY));
    const p = await pageProblem(url, 'link-not-yet-open');
    expect(p.code).toBe('LINK_NOT_YET_VALID');
    // 15 minutes before the slot, written as a date for people.
    const opensAt = new Date(s.h.clock.now + 2 * DAY - 15 * 60 * 1000);
    expect(p.text).toContain('This interview is not open yet. It opens on');
    expect(p.text).toContain(String(opensAt.getFullYear()));
    // Not the API's raw ISO timestamp.
    expect(p.text).not.toMatch(/\d{4}-\d{2}-\d{2}T/);
  });

  it('says an expired link has expired', async () => {
    const url = await linkFor(new Date(s.h.clock.now - 3 * DAY));
    const p = await pageProblem(url, 'link-expired');
    expect(p.code).toBe('LINK_EXPIRED');
    expect(p.text).toContain('This interview link has expired');
  });

  it('says a tampered link is not valid', async () => {
    const url = await linkFor(new Date(s.h.clock.now));
    const tampered = url.replace(/\/api\/interviews\/public\/([^/]+)\//, (_, t: string) => `/api/interviews/public/${t.slice(0, -2)}xx/`);
    const p = await pageProblem(tampered, 'link-invalid');
    expect(p.code).toBe('INVALID_TOKEN');
    expect(p.text).toContain('This interview link is not valid');
  });

  it('says to wait when rate-limited, with how long', async () => {
    const r = await room(s.h, auth);
    // Use up the room's per-code allowance from other addresses (the limit is per code as well as per address).
    for (let i = 0; i < s.h.config.rateLimit.perKey; i++) {
      expect((await s.h.request(`/api/public/interview/room/${r.roomCode}`, { ip: `198.51.100.${i + 1}` })).status).toBe(200);
    }
    const p = await pageProblem(r.joinUrl, 'rate-limited');
    expect(p.code).toBe('RATE_LIMITED');
    expect(p.text).toMatch(/^Too many attempts\. Please wait \d+ seconds and try again\.$/);
  });

  it('shows the problems in Arabic too', async () => {
    const { page } = await s.open('phone');
    await page.goto('/interview/join/ZZZZ3333?lang=ar');
    await page.locator('#page-problem').waitFor();
    expect(await page.getAttribute('html', 'dir')).toBe('rtl');
    expect(await page.textContent('#page-problem')).toBe('لم نعثر على هذه المقابلة. تحقق من الرابط أو رمز الغرفة الذي وصلك.');
    await s.shot(page, 'unknown-room-arabic');
    await page.context().close();
  });
});
