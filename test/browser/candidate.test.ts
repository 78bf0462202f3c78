// The candidate page in a real browser, up to the point where LiveKit takes over: what it shows for
// a room code and for a link, the consent gate, the microphone check with a fake microphone, the
// keyboard path to the join button, and Arabic right-to-left. (The voice part through LiveKit is
// exercised by the e2e tier.) Screenshots of each step go to .artifacts/screenshots/.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hrUser, PHONE, room, scheduledInterview } from '../../testkit/api.js';
import { startBrowserStack, type BrowserStack } from '../../testkit/browser.js';

let s: BrowserStack;
let auth: Record<string, string>;

beforeAll(async () => {
  s = await startBrowserStack('candidate');
  auth = (await hrUser(s.h)).auth;
});
afterAll(() => s?.close());

const INSTRUCTIONS = 'Find a quiet room.\nSpeak clearly; take your time.';

async function newRoom(body: Record<string, unknown> = {}) {
  return room(s.h, auth, { instructions: INSTRUCTIONS, maxDuration: 1500, ...body });
}

async function newLink() {
  const { id } = await scheduledInterview(s.h, auth, { instructions: INSTRUCTIONS, maxDuration: 1200 });
  const res = await s.h.request(`/api/ai-interview/generate-link/${id}/`, { method: 'POST', headers: auth });
  expect(res.status).toBe(200);
  const body = (await res.json()) as { public_interview_url: string };
  return { id, url: body.public_interview_url };
}

const interviewRow = (id: string) => s.h.deps.db.selectFrom('interviews').selectAll().where('id', '=', id).executeTakeFirstOrThrow();

describe('the candidate page', { timeout: 90_000 }, () => {
  it('shows company, job title, duration and instructions for a room code, on desktop and phone', async () => {
    const r = await newRoom();
    for (const viewport of ['desktop', 'phone'] as const) {
      const { page, problems } = await s.open(viewport);
      const res = await page.goto(r.joinUrl);
      expect(res?.status()).toBe(200);
      expect(res?.headers()['content-security-policy']).toContain("script-src 'self'");
      await expect.poll(() => page.textContent('[data-testid=job-title]')).toBe('Senior Backend Developer - Fintech');
      expect(await page.textContent('[data-testid=company]')).toBe('MENA Bank');
      expect(await page.textContent('[data-testid=duration]')).toBe('25 minutes');
      // Line breaks of the instructions survive (shown as text, pre-wrap).
      expect(await page.innerText('[data-testid=instructions]')).toBe(INSTRUCTIONS);
      expect(await page.isVisible('#notice')).toBe(true);
      expect(await page.isVisible('#consent')).toBe(true);
      expect(await page.isVisible('#mic-test')).toBe(true);
      expect(await page.isVisible('#join-button')).toBe(true);
      if (viewport === 'phone') {
        // Nothing wider than the phone's screen.
        expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
      }
      await s.shot(page, `room-${viewport}`);
      expect(problems).toEqual([]);
      await page.context().close();
    }
  });

  it('shows the same facts behind a link (seed 002 public URL), while API clients still get JSON there', async () => {
    const link = await newLink();
    const { page, problems } = await s.open('desktop');
    await page.goto(link.url);
    await expect.poll(() => page.textContent('[data-testid=job-title]')).toBe('Senior Backend Developer - Fintech');
    expect(await page.textContent('[data-testid=company]')).toBe('MENA Bank');
    expect(await page.textContent('[data-testid=duration]')).toBe('20 minutes');
    expect(await page.innerText('[data-testid=instructions]')).toBe(INSTRUCTIONS);
    await s.shot(page, 'link-desktop');
    const json = await page.evaluate(async (u) => (await fetch(u)).json(), link.url);
    expect(json).toMatchObject({ company_name: 'MENA Bank', max_duration: 1200 });
    expect(problems).toEqual([]);
    await page.context().close();
  });

  it('refuses to join until the consent box is ticked, then joins with it', async () => {
    const r = await newRoom();
    const { page, problems } = await s.open('desktop');
    const joinCalls: string[] = [];
    page.on('request', (req) => req.url().includes('/api/public/interview/join/') && joinCalls.push(req.url()));
    await page.goto(r.joinUrl);
    await page.fill('#phone', PHONE);
    await page.fill('#first-name', 'Ahmed');
    await page.fill('#last-name', 'Hassan');
    await page.click('#join-button');
    const error = page.locator('#join-error');
    await expect.poll(() => error.getAttribute('data-code')).toBe('CONSENT_REQUIRED');
    expect(await error.textContent()).toContain('tick the box');
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('consent');
    expect(await page.getAttribute('#consent', 'aria-invalid')).toBe('true');
    await s.shot(page, 'consent-required');
    expect(joinCalls).toEqual([]);
    expect((await interviewRow(r.sessionId)).last_joined_at).toBeNull();

    await page.check('#consent');
    const joined = page.waitForResponse((res) => res.url().includes('/api/public/interview/join/'));
    await page.click('#join-button');
    expect((await joined).status()).toBe(200);
    // The join reached the API (and set the candidate session); the page moved on to the interview.
    await expect.poll(async () => (await interviewRow(r.sessionId)).last_joined_at).not.toBeNull();
    await page.waitForSelector('[data-testid=interview], [data-testid=completion]');
    expect(problems).toEqual([]);
    await page.context().close();
  });

  it('shows a moving level for the (fake) microphone', async () => {
    const r = await newRoom();
    const { page, problems } = await s.open('desktop', { permissions: ['microphone'] });
    await page.goto(r.joinUrl);
    await page.click('#mic-test');
    // The recording is speech with pauses: the meter must take several different values and reach
    // the level that counts as hearing the candidate.
    await page.waitForFunction(
      () => {
        const w = window as unknown as { seen?: Set<string> };
        w.seen ??= new Set();
        const level = document.querySelector<HTMLMeterElement>('#mic-level')!.dataset.level!;
        w.seen.add(level);
        return w.seen.size >= 5 && Math.max(...[...w.seen].map(Number)) > 0.25;
      },
      undefined,
      { polling: 50, timeout: 20_000 },
    );
    await expect.poll(() => page.getAttribute('#mic-status', 'data-state')).toBe('heard');
    expect(await page.textContent('#mic-status')).toBe('We can hear you.');
    await s.shot(page, 'mic-check');
    await page.click('#mic-test');
    expect(await page.getAttribute('#mic-level', 'data-level')).toBe('0');
    expect(problems).toEqual([]);
    await page.context().close();
  });

  it('can be filled in and joined with the keyboard alone', async () => {
    const r = await newRoom();
    const { page, problems } = await s.open('desktop');
    await page.goto(r.joinUrl);
    await page.waitForSelector('#join-button');
    const visited: string[] = [];
    for (let i = 0; i < 15 && visited.at(-1) !== 'join-button'; i++) {
      await page.keyboard.press('Tab');
      const focused = await page.evaluate(
        () => document.activeElement?.id || document.activeElement?.getAttribute('data-testid') || document.activeElement?.tagName,
      );
      visited.push(focused ?? '');
      if (focused === 'consent') await page.keyboard.press('Space');
      if (focused === 'phone') await page.keyboard.type(PHONE);
      if (focused === 'first-name') await page.keyboard.type('Ahmed');
      if (focused === 'last-name') await page.keyboard.type('Hassan');
    }
    // In reading order, every control on the way, and the join button reached.
    const order = ['consent', 'mic-test', 'phone', 'first-name', 'last-name', 'join-button'].map((id) => visited.indexOf(id));
    expect(order.every((i) => i >= 0)).toBe(true);
    expect([...order].sort((a, b) => a - b)).toEqual(order);
    expect(await page.isChecked('#consent')).toBe(true);
    await s.shot(page, 'keyboard-focus-join');
    const joined = page.waitForResponse((res) => res.url().includes('/api/public/interview/join/'));
    await page.keyboard.press('Enter');
    expect((await joined).status()).toBe(200);
    expect(problems).toEqual([]);
    await page.context().close();
  });

  it('switches to Arabic, right to left, and keeps what was typed', async () => {
    const r = await newRoom();
    for (const viewport of ['desktop', 'phone'] as const) {
      const { page, problems } = await s.open(viewport);
      await page.goto(r.joinUrl);
      await page.waitForSelector('#join-button');
      await page.fill('#phone', PHONE);
      expect(await page.getAttribute('html', 'dir')).toBe('ltr');
      await page.click('[data-testid=lang-ar]');
      expect(await page.getAttribute('html', 'dir')).toBe('rtl');
      expect(await page.getAttribute('html', 'lang')).toBe('ar');
      expect(await page.textContent('#join-button')).toBe('انضم إلى المقابلة');
      expect(await page.textContent('label[for=consent]')).toContain('أوافق');
      // Digits as the browser's Arabic locale writes them (Latin or Arabic-Indic, by CLDR version).
      expect(await page.textContent('[data-testid=duration]')).toMatch(/^دقائق: (25|٢٥)$/);
      expect(await page.getAttribute('[data-testid=lang-ar]', 'aria-pressed')).toBe('true');
      expect(await page.inputValue('#phone')).toBe(PHONE);
      // Data from the API is left as it is.
      expect(await page.textContent('[data-testid=company]')).toBe('MENA Bank');
      await s.shot(page, `arabic-${viewport}`);
      // The choice is remembered on the next visit.
      await page.reload();
      await page.waitForSelector('#join-button');
      expect(await page.getAttribute('html', 'dir')).toBe('rtl');
      expect(problems).toEqual([]);
      await page.context().close();
    }
  });

  it('starts in Arabic when the address asks for it (?lang=ar)', async () => {
    const r = await newRoom();
    const { page } = await s.open('phone');
    await page.goto(`${r.joinUrl}?lang=ar`);
    await page.waitForSelector('#join-button');
    expect(await page.getAttribute('html', 'dir')).toBe('rtl');
    expect(await page.textContent('#notice h2')).toBe('عن هذه المقابلة');
    await page.context().close();
  });

  it('joins through a link, which gives the interview its room', async () => {
    const link = await newLink();
    expect((await interviewRow(link.id)).room_code).toBeNull();
    const { page, problems } = await s.open('desktop');
    await page.goto(link.url);
    await page.check('#consent');
    await page.fill('#phone', PHONE);
    await page.fill('#first-name', 'Ahmed');
    await page.fill('#last-name', 'Hassan');
    const joined = page.waitForResponse((res) => res.url().endsWith('/join'));
    await page.click('#join-button');
    expect((await joined).status()).toBe(200);
    const row = await interviewRow(link.id);
    expect(row.room_code).toMatch(/^[A-Z0-9]{8}$/);
    expect(row.last_joined_at).not.toBeNull();
    // No LiveKit server in this tier: the page says it could not connect and offers to rejoin.
    await page.waitForSelector('[data-testid=completion][data-reason=unreachable]');
    expect(await page.textContent('[data-testid=completion-message]')).toContain('could not connect');
    await s.shot(page, 'link-joined-unreachable');
    expect(problems).toEqual([]);
    await page.context().close();
  });
});
