// "New interview": four small forms in the order the API needs them: a job, a candidate, an
// application joining the two, and the interview for an application. Each form also offers what
// exists already, so HR can reuse a job or a candidate.
import { bindText, type TextKey } from '../i18n/index.js';
import { field, h } from '../shared/dom.js';
import { failureBox, typeKey } from './format.js';
import { hrApi } from './hr-api.js';
import { rubricEditor } from './rubric-editor.js';
import { INTERVIEW_TYPES, type Application, type Candidate, type InterviewRow, type Job, type Page } from './types.js';

type Control = HTMLInputElement | HTMLSelectElement | HTMLTextAreaElement;

/** A card with a form whose submit calls `send`; a failure shows the API's message in the card. */
export function section(id: string, title: TextKey, controls: HTMLElement[], button: TextKey, send: () => Promise<void>) {
  const problem = failureBox();
  const done = h('p', { attrs: { role: 'status', class: 'notice-ok', hidden: true, 'data-testid': `${id}-done` } });
  const submit = h('button', { text: button, attrs: { type: 'submit', class: 'primary', 'data-testid': `${id}-submit` } });
  const form = h(
    'form',
    { attrs: { id: `${id}-form`, class: 'card', 'aria-labelledby': `${id}-title` } },
    h('h2', { text: title, attrs: { id: `${id}-title` } }),
    ...controls,
    problem.element,
    done,
    submit,
  );
  form.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    problem.clear();
    done.hidden = true;
    submit.disabled = true;
    try {
      await send();
    } catch (err) {
      problem.set(err);
    } finally {
      submit.disabled = false;
    }
  });
  const confirm = (key: TextKey, vars?: Record<string, string>) => {
    done.hidden = false;
    bindText(done, key, vars);
  };
  return { form, confirm };
}

const input = (name: string, type = 'text', required = true) =>
  h('input', { attrs: { name, type, required, 'data-testid': name, dir: type === 'email' || type === 'tel' ? 'ltr' : 'auto' } });
const textarea = (name: string, required = true) => h('textarea', { attrs: { name, required, 'data-testid': name } });
const select = (name: string) => h('select', { attrs: { name, required: true, 'data-testid': name } });
const value = (c: Control) => c.value.trim();

function fillSelect(sel: HTMLSelectElement, items: { id: string; label: string }[], selected?: string) {
  sel.replaceChildren(
    ...(items.length === 0 ? [h('option', { text: 'noneYet', attrs: { value: '' } })] : []),
    ...items.map((i) => h('option', { attrs: { value: i.id, selected: i.id === selected } }, i.label)),
  );
}

export async function createPage(main: HTMLElement) {
  const lists = await Promise.all([
    hrApi<Page<Job>>('/api/jobs?limit=100'),
    hrApi<Page<Candidate>>('/api/candidates?limit=100'),
    hrApi<Page<Application>>('/api/applications?limit=100'),
  ]);
  const jobs = lists[0].items;
  const candidates = lists[1].items;
  const applications = lists[2].items;
  const jobLabel = (j: Job) => `${j.title} · ${j.companyName}`;
  const candidateLabel = (c: Candidate) => `${c.firstName} ${c.lastName} <${c.email}>`;
  const applicationLabel = (a: Application) => {
    const j = jobs.find((x) => x.id === a.jobId);
    const c = candidates.find((x) => x.id === a.candidateId);
    return `${c ? `${c.firstName} ${c.lastName}` : a.candidateId} → ${j ? j.title : a.jobId}`;
  };

  // 3. and 4. list what 1. to 3. create, so they are built first.
  const appJob = select('application-job');
  const appCandidate = select('application-candidate');
  const interviewApplication = select('interview-application');
  const refresh = (selected: { job?: string; candidate?: string; application?: string } = {}) => {
    const jobItems = jobs.map((j) => ({ id: j.id, label: jobLabel(j) }));
    const lists: [HTMLSelectElement, { id: string; label: string }[], string | undefined][] = [
      [appJob, jobItems, selected.job],
      [rubricJob, jobItems, selected.job],
      [appCandidate, candidates.map((c) => ({ id: c.id, label: candidateLabel(c) })), selected.candidate],
      [interviewApplication, applications.map((a) => ({ id: a.id, label: applicationLabel(a) })), selected.application],
    ];
    for (const [sel, items, value] of lists) fillSelect(sel, items, value ?? sel.value);
  };

  const jobTitle = input('job-title');
  const company = input('job-company');
  const description = textarea('job-description');
  const rubric = rubricEditor();
  const job = section(
    'job',
    'jobSection',
    [
      field('job-title', 'jobTitleLabel', jobTitle),
      field('job-company', 'companyLabel', company),
      field('job-description', 'jobDescriptionLabel', description),
      rubric.element,
    ],
    'createJob',
    async () => {
      const created = await hrApi<Job>('/api/jobs', {
        json: { title: value(jobTitle), companyName: value(company), description: value(description), rubric: rubric.value() },
      });
      rubric.reset();
      jobs.unshift(created);
      refresh({ job: created.id });
      showRubricOf();
      job.confirm('createdJob', { name: created.title });
    },
  );

  // A job's rubric can change later: it applies to evaluations from then on (and re-evaluations).
  const rubricJob = select('rubric-job');
  const rubricEdit = rubricEditor('edit-rubric');
  const showRubricOf = () => {
    const j = jobs.find((x) => x.id === rubricJob.value);
    rubricEdit.reset(j && !j.rubricIsDefault ? j.rubric : []);
  };
  rubricJob.addEventListener('change', showRubricOf);
  const rubricSection = section(
    'rubric',
    'rubricSection',
    [field('rubric-job', 'chooseJob', rubricJob), rubricEdit.element],
    'saveRubric',
    async () => {
      const saved = await hrApi<Job>(`/api/jobs/${rubricJob.value}/rubric`, {
        method: 'PUT',
        json: { rubric: rubricEdit.value() ?? null },
      });
      jobs.splice(
        jobs.findIndex((x) => x.id === saved.id),
        1,
        saved,
      );
      rubricSection.confirm('savedRubric', { name: saved.title });
    },
  );

  refresh();
  showRubricOf();

  const first = input('candidate-first-name');
  const last = input('candidate-last-name');
  const email = input('candidate-email', 'email');
  const phone = input('candidate-phone', 'tel');
  const resume = textarea('candidate-resume', false);
  const candidate = section(
    'candidate',
    'candidateSection',
    [
      h(
        'div',
        { attrs: { class: 'row' } },
        field('candidate-first-name', 'firstNameLabel', first),
        field('candidate-last-name', 'lastNameLabel', last),
      ),
      h(
        'div',
        { attrs: { class: 'row' } },
        field('candidate-email', 'emailLabel', email),
        field('candidate-phone', 'phoneLabel', phone, 'phoneHint'),
      ),
      field('candidate-resume', 'resumeLabel', resume),
    ],
    'createCandidate',
    async () => {
      const created = await hrApi<Candidate>('/api/candidates', {
        json: { firstName: value(first), lastName: value(last), email: value(email), phoneNumber: value(phone), resumeText: value(resume) },
      });
      candidates.unshift(created);
      refresh({ candidate: created.id });
      candidate.confirm('createdCandidate', { name: `${created.firstName} ${created.lastName}` });
    },
  );

  const application = section(
    'application',
    'applicationSection',
    [field('application-job', 'chooseJob', appJob), field('application-candidate', 'chooseCandidate', appCandidate)],
    'createApplication',
    async () => {
      const created = await hrApi<Application>('/api/applications', { json: { jobId: appJob.value, candidateId: appCandidate.value } });
      applications.unshift(created);
      refresh({ application: created.id });
      application.confirm('createdApplication');
    },
  );

  const type = select('interview-type');
  type.replaceChildren(...INTERVIEW_TYPES.map((k) => h('option', { text: typeKey(k), attrs: { value: k } })));
  const scheduledAt = h('input', {
    attrs: { type: 'datetime-local', name: 'interview-scheduled-at', 'data-testid': 'interview-scheduled-at' },
  });
  const minutes = h('input', {
    attrs: { type: 'number', name: 'interview-minutes', min: 1, max: 240, value: 30, required: true, 'data-testid': 'interview-minutes' },
  });
  const instructions = textarea('interview-instructions', false);
  const reveal = h('input', { attrs: { type: 'checkbox', id: 'interview-reveal', 'data-testid': 'interview-reveal' } });
  const interview = section(
    'interview',
    'interviewSection',
    [
      field('interview-application', 'chooseApplication', interviewApplication),
      h(
        'div',
        { attrs: { class: 'row' } },
        field('interview-type', 'interviewTypeLabel', type),
        field('interview-minutes', 'maxDurationLabel', minutes),
      ),
      field('interview-scheduled-at', 'scheduledAtLabel', scheduledAt),
      field('interview-instructions', 'instructionsLabel', instructions),
      h('div', { attrs: { class: 'check' } }, reveal, h('label', { text: 'revealLabel', attrs: { for: 'interview-reveal' } })),
    ],
    'createInterview',
    async () => {
      const created = await hrApi<InterviewRow>('/api/interviews', {
        json: {
          applicationId: interviewApplication.value,
          interviewType: type.value,
          // datetime-local is the HR user's local time; the API wants an instant.
          scheduledAt: scheduledAt.value ? new Date(scheduledAt.value).toISOString() : null,
          maxDuration: Math.round(Number(minutes.value) * 60),
          instructions: value(instructions),
          revealResultsToCandidate: reveal.checked,
        },
      });
      location.assign(`/hr/interviews/${created.id}`);
    },
  );

  main.replaceChildren(
    h('h1', { text: 'newTitle' }),
    h('p', { text: 'newIntro', attrs: { class: 'hint' } }),
    h('div', { attrs: { class: 'grid-2' } }, job.form, candidate.form),
    h('div', { attrs: { class: 'grid-2' } }, application.form, interview.form),
    h('div', { attrs: { class: 'grid-2' } }, rubricSection.form),
  );
}
