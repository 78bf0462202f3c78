// The job's rubric in the "New job" form: rows of criterion, weight, must-have and description.
// No rows: the job uses the default rubric (the API's DEFAULT_RUBRIC). The API validates the rest
// (names unique, weights 1–100) and its message shows in the form.
import { h } from '../shared/dom.js';
import type { RubricCriterion } from './types.js';

export function rubricEditor(prefix = 'rubric') {
  const rows = h('ol', { attrs: { class: 'rubric-rows', 'data-testid': 'rubric-rows' } });
  let counter = 0;

  const addRow = (c?: RubricCriterion) => {
    counter += 1;
    const id = `${prefix}-${counter}`;
    const cell = (label: 'criterionName' | 'criterionWeight' | 'criterionDescription', control: HTMLInputElement) => {
      control.id = `${id}-${label}`;
      return h('div', { attrs: { class: 'field' } }, h('label', { text: label, attrs: { for: control.id } }), control);
    };
    const name = h('input', {
      attrs: { name: 'criterion-name', required: true, maxlength: 80, dir: 'auto', 'data-testid': 'criterion-name' },
    });
    const weight = h('input', {
      attrs: { name: 'criterion-weight', type: 'number', min: 1, max: 100, value: 25, required: true, 'data-testid': 'criterion-weight' },
    });
    const mustHave = h('input', { attrs: { type: 'checkbox', id: `${id}-must`, 'data-testid': 'criterion-must-have' } });
    const description = h('input', {
      attrs: { name: 'criterion-description', maxlength: 500, dir: 'auto', 'data-testid': 'criterion-description' },
    });
    const row = h(
      'li',
      { attrs: { class: 'rubric-row', 'data-testid': 'rubric-row' } },
      h('div', { attrs: { class: 'row' } }, cell('criterionName', name), cell('criterionWeight', weight)),
      cell('criterionDescription', description),
      h('div', { attrs: { class: 'check' } }, mustHave, h('label', { text: 'criterionMustHave', attrs: { for: mustHave.id } })),
      h('button', {
        text: 'removeCriterion',
        attrs: { type: 'button', 'data-testid': 'remove-criterion' },
        on: { click: () => row.remove() },
      }),
    );
    if (c) {
      name.value = c.name;
      weight.value = String(c.weight);
      mustHave.checked = c.mustHave;
      description.value = c.description;
    }
    rows.append(row);
    if (!c) name.focus();
  };

  const element = h(
    'fieldset',
    { attrs: { class: 'rubric', 'data-testid': 'rubric-editor' } },
    h('legend', { text: 'rubricLegend' }),
    h('p', { text: 'rubricHint', attrs: { class: 'hint' } }),
    rows,
    h('button', { text: 'addCriterion', attrs: { type: 'button', 'data-testid': 'add-criterion' }, on: { click: () => addRow() } }),
  );

  /** The rubric to send, or undefined for the default. */
  const value = (): RubricCriterion[] | undefined => {
    const criteria = [...rows.querySelectorAll<HTMLLIElement>('.rubric-row')].map((row) => {
      const get = (testid: string) => row.querySelector<HTMLInputElement>(`[data-testid="${testid}"]`)!;
      return {
        name: get('criterion-name').value.trim(),
        weight: Number(get('criterion-weight').value),
        mustHave: get('criterion-must-have').checked,
        description: get('criterion-description').value.trim(),
      };
    });
    return criteria.length ? criteria : undefined;
  };

  /** Shows `rubric` (none: empty, the default). */
  const reset = (rubric: RubricCriterion[] = []) => {
    rows.replaceChildren();
    rubric.forEach(addRow);
  };
  return { element, value, reset };
}
