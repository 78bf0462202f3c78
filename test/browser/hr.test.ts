// The HR console in a real browser: sign-in, creating a job, a candidate, an application and an
// interview through its forms, inviting with a room code and a link (and copying them), the list
// with its status filter, and a finished interview's transcript, evaluation and status history
// (those rows are written straight to the database, as the voice agent would have).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { transitionInterview } from '../../db/queries/interviews.js';
import { scoreAgainstRubric, type Rubric } from '../../core/rubric.js';
import { addEvaluationVersion, saveEvaluationOnce } from '../../db/queries/evaluations.js';
import { insertTurn } from '../../db/queries/transcript.js';
import { hrUser, room } from '../../testkit/api.js';
import { startBrowserStack, type BrowserStack } from '../../testkit/browser.js';

const RUBRIC: Rubric = [
  { name: 'Technical depth', description: '', weight: 40, mustHave: false },
  { name: 'Relevant experience', description: '', weight: 40, mustHave: false },
  { name: 'Security', description: 'Knows how payments are attacked.', weight: 20, mustHave: true },
];

let s: BrowserStack;
let hr: Awaited<ReturnType<typeof hrUser>>;

beforeAll(async () => {
  s = await startBrowserStack('hr');
  hr = await hrUser(s.h);
});
afterAll(() => s?.close());

async function signIn(page: Page, next = '/hr') {
  await page.goto(next);
  await page.waitForURL(/\/hr\/login/);
  await page.fill('#email', hr.email);
  await page.fill('#password', hr.password);
  await page.click('#login-button');
  await page.waitForURL((u) => u.pathname === new URL(next, s.baseUrl).pathname);
}

const db = () => s.h.deps.db;

describe('the HR console', { timeout: 120_000 }, () => {
  it('signs in, creates a job, candidate, application and interview, and invites by room code and link', async () => {
    const { page, problems } = await s.open('desktop', { permissions: ['clipboard-read', 'clipboard-write'] });
    const res = await page.goto('/hr');
    expect(res?.headers()['content-security-policy']).toContain("script-src 'self'");
    // Not signed in: the login page, remembering where to go next.
    await page.waitForURL(/\/hr\/login\?next=%2Fhr/);
    await page.fill('#email', hr.email);
    await page.fill('#password', 'not the password');
    await page.click('#login-button');
    await expect.poll(() => page.getAttribute('#login-error', 'data-code')).toBe('INVALID_CREDENTIALS');
    expect(await page.textContent('#login-error')).toBe('Wrong email or password.');
    await s.shot(page, 'login-failed');
    await page.fill('#password', hr.password);
    await page.click('#login-button');
    await page.waitForURL((u) => u.pathname === '/hr');
    await page.locator('[data-testid=no-interviews]').waitFor();
    await s.shot(page, 'list-empty');

    await page.click('[data-testid=nav-new]');
    await page.waitForURL('**/hr/new');
    await page.fill('[data-testid=job-title]', 'Data Engineer');
    await page.fill('[data-testid=job-company]', 'Gulf Logistics');
    await page.fill('[data-testid=job-description]', 'Pipelines in Python and SQL.');
    // The rubric: two criteria, one a must-have; first with a repeated name, which the API refuses.
    const jobForm = page.locator('#job-form');
    for (const [name, weight] of [
      ['SQL', '60'],
      ['sql', '40'],
    ] as const) {
      await jobForm.locator('[data-testid=add-criterion]').click();
      await jobForm.locator('[data-testid=criterion-name]').last().fill(name);
      await jobForm.locator('[data-testid=criterion-weight]').last().fill(weight);
    }
    await jobForm.locator('[data-testid=criterion-must-have]').first().check();
    await jobForm.locator('[data-testid=criterion-description]').first().fill('Writes and tunes queries.');
    await page.click('[data-testid=job-submit]');
    const jobProblem = jobForm.locator('[data-testid=hr-problem]');
    await expect.poll(() => jobProblem.getAttribute('data-code')).toBe('VALIDATION_FAILED');
    await jobForm.locator('[data-testid=criterion-name]').last().fill('Python');
    await page.click('[data-testid=job-submit]');
    await expect.poll(() => page.textContent('[data-testid=job-done]')).toBe('Job “Data Engineer” created.');
    expect(await jobForm.locator('[data-testid=rubric-row]').count()).toBe(0);
    const rubricOf = async (title: string) =>
      ((await (await s.h.request('/api/jobs', { headers: hr.auth })).json()) as { items: { title: string; rubric: unknown }[] }).items.find(
        (j) => j.title === title,
      )?.rubric;
    expect(await rubricOf('Data Engineer')).toEqual([
      { name: 'SQL', weight: 60, mustHave: true, description: 'Writes and tunes queries.' },
      { name: 'Python', weight: 40, mustHave: false, description: '' },
    ]);
    // The job's rubric, shown again for editing, saved with a new weight.
    const rubricForm = page.locator('#rubric-form');
    expect(await rubricForm.locator('[data-testid=rubric-job] option:checked').textContent()).toBe('Data Engineer · Gulf Logistics');
    expect(
      await rubricForm.locator('[data-testid=criterion-name]').evaluateAll((els) => els.map((e) => (e as HTMLInputElement).value)),
    ).toEqual(['SQL', 'Python']);
    await rubricForm.locator('[data-testid=criterion-weight]').last().fill('20');
    await page.click('[data-testid=rubric-submit]');
    await expect
      .poll(() => page.textContent('[data-testid=rubric-done]'))
      .toBe('Rubric of “Data Engineer” saved. It applies to evaluations from now on.');
    expect(await rubricOf('Data Engineer')).toMatchObject([
      { name: 'SQL', weight: 60 },
      { name: 'Python', weight: 20 },
    ]);

    // A refused form shows the API's reason and keeps what was typed.
    await page.fill('[data-testid=candidate-first-name]', 'Sara');
    await page.fill('[data-testid=candidate-last-name]', 'Khan');
    await page.fill('[data-testid=candidate-email]', 'sara@example.com');
    await page.fill('[data-testid=candidate-phone]', 'not a phone');
    await page.click('[data-testid=candidate-submit]');
    const candidateProblem = page.locator('#candidate-form [data-testid=hr-problem]');
    await expect.poll(() => candidateProblem.getAttribute('data-code')).toBe('VALIDATION_FAILED');
    expect(await candidateProblem.textContent()).toMatch(/phone/i);
    await page.fill('[data-testid=candidate-phone]', '+971 50 222 3344');
    await page.fill('[data-testid=candidate-resume]', 'Six years of data pipelines.');
    await page.click('[data-testid=candidate-submit]');
    await expect.poll(() => page.textContent('[data-testid=candidate-done]')).toBe('Candidate “Sara Khan” created.');
    expect(await candidateProblem.isHidden()).toBe(true);

    // The new job and candidate are chosen for the application already.
    expect(await page.locator('[data-testid=application-job] option:checked').textContent()).toBe('Data Engineer · Gulf Logistics');
    expect(await page.locator('[data-testid=application-candidate] option:checked').textContent()).toBe('Sara Khan <sara@example.com>');
    await page.click('[data-testid=application-submit]');
    await expect.poll(() => page.textContent('[data-testid=application-done]')).toBe('Application created.');
    expect(await page.locator('[data-testid=interview-application] option:checked').textContent()).toBe('Sara Khan → Data Engineer');

    await page.selectOption('[data-testid=interview-type]', 'BEHAVIORAL');
    await page.fill('[data-testid=interview-minutes]', '20');
    // A slot now, in the browser's own time zone (what datetime-local means).
    const local = await page.evaluate((now) => {
      const d = new Date(now + 60_000);
      const pad = (n: number) => String(n).padStart(2, '0');
      return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(d.getHours())}:${pad(d.getMinutes())}`;
    }, s.h.clock.now);
    await page.fill('[data-testid=interview-scheduled-at]', local);
    await page.fill('[data-testid=interview-instructions]', 'Tell us about a pipeline you are proud of.');
    await s.shot(page, 'new-filled');
    await page.click('[data-testid=interview-submit]');
    await page.waitForURL(/\/hr\/interviews\/[0-9a-f-]{36}$/);
    const interviewId = page.url().split('/').at(-1)!;

    expect(await page.textContent('[data-testid=detail-title]')).toBe('Interview with Sara Khan');
    expect(await page.textContent('[data-testid=detail-job]')).toBe('Data Engineer · Gulf Logistics');
    expect(await page.textContent('[data-testid=detail-status]')).toBe('Scheduled');
    expect(await page.textContent('[data-testid=detail-duration]')).toBe('20 minutes');

    await page.click('[data-testid=create-room]');
    const roomUrl = await page.locator('#room-url').inputValue();
    expect(roomUrl).toMatch(new RegExp(`^${s.baseUrl}/interview/join/[A-Z0-9]{8}$`));
    // A room makes the interview ready to join, and the page says so without a reload.
    await expect.poll(() => page.textContent('[data-testid=detail-status]')).toBe('Ready');
    await page.click('[data-testid=room-url-copy]');
    await expect.poll(() => page.textContent('[data-testid=room-url-copied]')).toBe('Copied to the clipboard.');
    expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(roomUrl);

    await page.click('[data-testid=create-link]');
    const linkUrl = await page.locator('#link-url').inputValue();
    expect(linkUrl).toMatch(new RegExp(`^${s.baseUrl}/api/interviews/public/[^/]+/$`));
    await page.click('[data-testid=link-url-copy]');
    await expect.poll(() => page.evaluate(() => navigator.clipboard.readText())).toBe(linkUrl);
    await s.shot(page, 'detail-invite');

    // What the forms created is in the database, in this HR user's organization.
    const row = await db()
      .selectFrom('interviews')
      .innerJoin('applications', 'applications.id', 'interviews.application_id')
      .innerJoin('jobs', 'jobs.id', 'applications.job_id')
      .innerJoin('candidates', 'candidates.id', 'applications.candidate_id')
      .select([
        'interviews.organization_id',
        'interviews.status',
        'interviews.room_code',
        'interviews.link_version',
        'interviews.max_duration_s',
        'interviews.interview_type',
        'jobs.title',
        'candidates.phone_e164',
        'interviews.instructions',
      ])
      .where('interviews.id', '=', interviewId)
      .executeTakeFirstOrThrow();
    expect(row).toEqual({
      organization_id: hr.organizationId,
      status: 'READY',
      room_code: roomUrl.split('/').at(-1),
      link_version: 1,
      max_duration_s: 1200,
      interview_type: 'BEHAVIORAL',
      title: 'Data Engineer',
      phone_e164: '+971502223344',
      instructions: 'Tell us about a pipeline you are proud of.',
    });

    // Reloaded, the page shows the existing room and link instead of offering new ones.
    await page.reload();
    await page.locator('#link-url').waitFor();
    expect(await page.locator('#link-url').inputValue()).toBe(linkUrl);
    expect(await page.locator('#room-url').inputValue()).toBe(roomUrl);

    // Both addresses open the candidate page for this interview.
    for (const url of [roomUrl, linkUrl]) {
      const candidate = await s.open('phone');
      await candidate.page.goto(url);
      await expect.poll(() => candidate.page.textContent('[data-testid=job-title]')).toBe('Data Engineer');
      await candidate.page.context().close();
    }

    // The list shows it; the status filter keeps it or leaves it out.
    await page.click('[data-testid=nav-interviews]');
    await page.locator('[data-testid=interview-row]').first().waitFor();
    const listed = page.locator(`[data-testid=interview-row][data-id="${interviewId}"]`);
    expect(await listed.locator('[data-testid=status]').textContent()).toBe('Ready');
    expect(await listed.textContent()).toContain('Sara Khan');
    await s.shot(page, 'list');
    await page.selectOption('[data-testid=status-filter]', 'COMPLETED');
    await page.waitForURL(/status=COMPLETED/);
    await page.locator('[data-testid=no-interviews]').waitFor({ state: 'visible' });
    expect(await page.locator(`[data-testid=interview-row][data-id="${interviewId}"]`).count()).toBe(0);
    await page.selectOption('[data-testid=status-filter]', 'READY');
    await page.waitForURL(/status=READY/);
    await page.locator(`[data-testid=interview-row][data-id="${interviewId}"]`).waitFor();
    expect(problems).toEqual([]);
    await page.context().close();
  });

  it('shows a finished interview: transcript with times, evaluation with evidence linked to turns, status history', async () => {
    const r = await room(s.h, hr.auth);
    const started = await transitionInterview(db(), r.sessionId, { from: ['READY'], to: 'IN_PROGRESS' });
    const t0 = started!.started_at!.getTime();
    const turns = [
      { speaker: 'agent', text: 'Hello Ahmed. Tell me about a payment service you built.', at: 0 },
      { speaker: 'candidate', text: 'I built a ledger service in TypeScript with Postgres, <b>double-entry</b>.', at: 6_500 },
      { speaker: 'agent', text: 'How did you make transfers idempotent?', at: 65_000 },
      { speaker: 'candidate', text: 'Each transfer carries a client key with a unique index.', at: 71_000 },
    ] as const;
    for (const [i, turn] of turns.entries()) {
      await insertTurn(db(), {
        interviewId: r.sessionId,
        seq: i + 1,
        speaker: turn.speaker,
        text: turn.text,
        startedAtMs: t0 + turn.at,
        endedAtMs: t0 + turn.at + 4000,
        questionPosition: 1,
        metrics: null,
      });
    }
    await saveEvaluationOnce(db(), {
      interview_id: r.sessionId,
      scored: true,
      not_scored_reason: null,
      score: 82,
      recommendation: 'Yes',
      strengths: JSON.stringify(['Clear account of a ledger design']),
      areas_for_improvement: JSON.stringify(['More numbers about scale']),
      evaluation_text: 'Solid backend experience with payments.',
      criteria: JSON.stringify(
        scoreAgainstRubric(RUBRIC, [
          { name: 'Technical depth', score: 85, evidence: [{ ref: 4, quote: 'a client key with a unique index' }] },
          { name: 'Relevant experience', score: 80, evidence: [{ ref: 2, quote: 'a ledger service in TypeScript' }] },
          { name: 'Security', score: 40, evidence: [] },
        ]).criteria,
      ),
      model: 'test-model',
      prompt_version: 'test',
    });
    // A re-evaluation made later: the page shows it as current, with the first one a click away.
    await addEvaluationVersion(db(), {
      interview_id: r.sessionId,
      requested_by: `hr:${hr.userId}`,
      scored: false,
      not_scored_reason: 'second opinion pending',
      score: null,
      recommendation: null,
      evaluation_text: '',
      model: 'newer-model',
      prompt_version: 'test/2',
    });
    await transitionInterview(db(), r.sessionId, { from: ['IN_PROGRESS'], to: 'COMPLETED', endReason: 'completed' });

    for (const viewport of ['desktop', 'phone'] as const) {
      const { page, problems } = await s.open(viewport);
      await signIn(page, `/hr/interviews/${r.sessionId}`);
      await page.locator('[data-testid=transcript]').waitFor();
      expect(await page.textContent('[data-testid=detail-status]')).toBe('Completed');
      // A finished interview offers no invitation.
      expect(await page.locator('#share').count()).toBe(0);

      const rendered = await page.$$eval('[data-testid=turn]', (els) =>
        els.map((el) => ({
          seq: el.getAttribute('data-seq'),
          speaker: el.getAttribute('data-speaker'),
          time: el.querySelector('[data-testid=turn-time]')?.textContent,
          text: el.querySelector('.prewrap')?.textContent,
        })),
      );
      // Times count from the interview's start.
      expect(rendered.map((x) => x.time)).toEqual(['0:00', '0:07', '1:05', '1:11']);
      expect(rendered.map((x) => x.speaker)).toEqual(['agent', 'candidate', 'agent', 'candidate']);
      // Text from the database is shown as text: the <b> stays visible characters, not markup.
      expect(rendered[1]!.text).toBe(turns[1].text);
      expect(await page.locator('[data-testid=turn] b').count()).toBe(0);

      // The current version first; the earlier one is chosen in the picker.
      expect(await page.textContent('[data-testid=not-scored]')).toContain('second opinion pending');
      await page.selectOption('[data-testid=evaluation-version]', '1');
      expect(await page.textContent('[data-testid=evaluation-made]')).toMatch(/^Version 1 · model test-model · prompt test/);
      expect(await page.textContent('[data-testid=score]')).toBe('82/100');
      expect(await page.textContent('[data-testid=must-haves-unmet]')).toContain('Security');
      const criteria = await page.$$eval('[data-testid=criterion]', (els) =>
        els.map((e) => [
          e.getAttribute('data-name'),
          e.querySelector('[data-testid=criterion-score]')?.textContent,
          e.querySelector('[data-testid=must-have]')?.textContent ?? null,
        ]),
      );
      expect(criteria).toEqual([
        ['Technical depth', '85/100 · weight 40', null],
        ['Relevant experience', '80/100 · weight 40', null],
        ['Security', '40/100 · weight 20', 'Must-have: not met'],
      ]);
      expect(await page.textContent('[data-testid=recommendation]')).toBe('Yes');
      expect(await page.textContent('[data-testid=strengths]')).toBe('Clear account of a ledger design');
      expect(await page.textContent('[data-testid=areas]')).toBe('More numbers about scale');
      expect(await page.textContent('[data-testid=summary]')).toBe('Solid backend experience with payments.');
      const evidence = page.locator('[data-testid=evidence-link]');
      expect(await evidence.evaluateAll((els) => els.map((e) => e.getAttribute('href')))).toEqual(['#turn-4', '#turn-2']);
      await evidence.first().click();
      await expect.poll(() => page.evaluate(() => document.activeElement?.id)).toBe('turn-4');
      expect(new URL(page.url()).hash).toBe('#turn-4');
      // This stack has no language model: asking for a re-evaluation says so, and changes nothing.
      await page.click('[data-testid=reevaluate]');
      const reevaluationProblem = page.locator('#evaluation [data-testid=hr-problem]');
      await expect.poll(() => reevaluationProblem.getAttribute('data-code')).toBe('CONFLICT');
      expect(await reevaluationProblem.textContent()).toMatch(/no language model/i);

      const history = await page.$$eval('[data-testid=history-item]', (els) => els.map((e) => e.getAttribute('data-to')));
      expect(history).toEqual(['READY', 'IN_PROGRESS', 'COMPLETED']);
      expect(await page.textContent('[data-testid=detail-end-reason]')).toBe('completed');
      await page.evaluate(() => window.scrollTo(0, 0));
      await s.shot(page, `finished-${viewport}`);

      await page.click('[data-testid=lang-ar]');
      expect(await page.getAttribute('html', 'dir')).toBe('rtl');
      expect(await page.textContent('[data-testid=detail-status]')).toBe('مكتملة');
      await s.shot(page, `finished-${viewport}-arabic`);
      expect(problems).toEqual([]);
      await page.context().close();
    }
  });

  it('refuses the console to a signed-out browser and signs out', async () => {
    const { page } = await s.open('desktop');
    await signIn(page, '/hr/new');
    await page.locator('[data-testid=job-submit]').waitFor();
    await page.click('[data-testid=sign-out]');
    await page.waitForURL(/\/hr\/login$/);
    await page.goto('/hr');
    await page.waitForURL(/\/hr\/login\?next=/);
    await page.context().close();
  });
});
