// The interviews list: status filter (kept in the address, so a reload or a shared URL keeps it),
// newest first, more on demand.
import { h, field } from '../shared/dom.js';
import { dateText, failureBox, statusChip, typeKey } from './format.js';
import { hrApi } from './hr-api.js';
import { STATUSES, type InterviewRow, type Page } from './types.js';

export async function listPage(main: HTMLElement) {
  const params = new URLSearchParams(location.search);
  const status = params.get('status') ?? '';
  const select = h(
    'select',
    { attrs: { name: 'status', 'data-testid': 'status-filter' } },
    h('option', { text: 'allStatuses', attrs: { value: '' } }),
    ...STATUSES.map((s) => h('option', { text: `status_${s}`, attrs: { value: s, selected: s === status } })),
  );
  // A GET form: the filter is an ordinary link, and works with the keyboard and without script.
  const filter = h(
    'form',
    { attrs: { method: 'get', action: '/hr', class: 'toolbar', role: 'search' } },
    field('status-filter', 'filterStatus', select),
    h('button', { text: 'applyFilter', attrs: { type: 'submit', class: 'secondary', 'data-testid': 'apply-filter' } }),
  );
  select.addEventListener('change', () => filter.requestSubmit());

  const tbody = h('tbody', { attrs: { 'data-testid': 'interview-rows' } });
  const table = h(
    'div',
    { attrs: { class: 'table-wrap' } },
    h(
      'table',
      {},
      h(
        'thead',
        {},
        h(
          'tr',
          {},
          ...(['colCandidate', 'colJob', 'colType', 'colStatus', 'colScheduled', 'colCreated'] as const).map((k) =>
            h('th', { text: k, attrs: { scope: 'col' } }),
          ),
        ),
      ),
      tbody,
    ),
  );
  const empty = h('p', { text: 'noInterviews', attrs: { hidden: true, 'data-testid': 'no-interviews' } });
  const more = h('button', { text: 'loadMore', attrs: { type: 'button', class: 'secondary', hidden: true, 'data-testid': 'load-more' } });
  const problem = failureBox();

  main.replaceChildren(
    h(
      'div',
      { attrs: { class: 'toolbar' } },
      h('h1', { text: 'interviewsTitle' }),
      // A plain link: the login cookie goes with it, and the browser saves the file (content-disposition).
      h('a', { text: 'exportOutcomes', attrs: { href: '/api/reports/outcomes.csv', download: true, 'data-testid': 'export-outcomes' } }),
      h('a', { text: 'navNew', attrs: { href: '/hr/new', class: 'button' } }),
    ),
    filter,
    problem.element,
    table,
    empty,
    more,
  );

  let cursor: string | null = null;
  async function load() {
    const q = new URLSearchParams({ limit: '25' });
    if (status) q.set('status', status);
    if (cursor) q.set('cursor', cursor);
    try {
      const page = await hrApi<Page<InterviewRow>>(`/api/interviews?${q}`);
      for (const row of page.items) tbody.append(rowFor(row));
      cursor = page.nextCursor;
      more.hidden = !cursor;
      empty.hidden = tbody.childElementCount > 0;
    } catch (err) {
      problem.set(err);
    }
  }
  more.addEventListener('click', () => void load());
  await load();
}

function rowFor(row: InterviewRow): HTMLTableRowElement {
  return h(
    'tr',
    { attrs: { 'data-testid': 'interview-row', 'data-id': row.id } },
    h('th', { attrs: { scope: 'row' } }, h('a', { attrs: { href: `/hr/interviews/${row.id}`, dir: 'auto' } }, row.candidateName ?? row.id)),
    h('td', { attrs: { dir: 'auto' } }, row.jobTitle ?? ''),
    h('td', { text: typeKey(row.interviewType) }),
    h('td', {}, statusChip(row.status)),
    h('td', {}, dateText(row.scheduledAt)),
    h('td', {}, dateText(row.createdAt)),
  );
}
