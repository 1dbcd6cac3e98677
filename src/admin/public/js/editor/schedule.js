import { append, h, replaceChildren, uid } from '../dom.js';
import { newWindow } from './draft.js';
import { checkbox, select, textInput } from './fields.js';

/**
 * When the rule applies: no schedule = always; otherwise a time zone and day/time windows
 * (`from` inclusive, `to` exclusive, equal = whole day, `to` before `from` = runs past midnight).
 */
export const DAY_NAMES = [['mon', 'Mon'], ['tue', 'Tue'], ['wed', 'Wed'], ['thu', 'Thu'], ['fri', 'Fri'], ['sat', 'Sat'], ['sun', 'Sun']];
export const MAX_WINDOWS = 20;

/** Every IANA zone the browser knows (plus UTC and the current value, which the list may lack). */
export function timeZones(current) {
  const zones = typeof Intl.supportedValuesOf === 'function' ? Intl.supportedValuesOf('timeZone') : [];
  return [...new Set([...zones, 'UTC', current].filter(Boolean))].sort();
}

export function scheduleSection(draft, { onChange }) {
  const schedule = draft.schedule;
  const details = h('div', { class: 'schedule-details', hidden: !draft.scheduleOn });
  const toggle = checkbox({ label: 'Only at certain times', path: 'schedule',
    hint: 'Without a schedule the rule applies at any time.',
    get: () => draft.scheduleOn, set: (on) => { draft.scheduleOn = on; details.hidden = !on; } });
  const zone = select({ label: 'Time zone', path: 'schedule.timezone', get: () => schedule.timezone,
    set: (v) => (schedule.timezone = v), options: timeZones(schedule.timezone).map((z) => [z, z.replaceAll('_', ' ')]) });
  const list = h('ol', { class: 'windows' });
  const add = h('button', { type: 'button', onclick: () => change(() => schedule.windows.push(newWindow()), schedule.windows.length) }, 'Add time window');
  append(details, zone, h('div', { 'data-path': 'schedule.windows' }, list), add);

  function change(mutate, focusIndex) {
    mutate();
    render();
    onChange();
    const target = focusIndex === null ? null : list.querySelector(`[data-window="${focusIndex}"] input`);
    (target ?? add)?.focus();
  }

  function render() {
    replaceChildren(list, schedule.windows.map((w, i) => windowItem(w, i)));
    add.disabled = schedule.windows.length >= MAX_WINDOWS;
  }

  function windowItem(w, i) {
    const path = `schedule.windows.${i}`;
    const name = `time window ${i + 1}`; // in each control's name: two windows' "From" fields and errors differ
    const remove = h('button', { type: 'button', class: 'small danger', disabled: schedule.windows.length === 1,
      'aria-label': `Remove time window ${i + 1}`, onclick: () => change(() => schedule.windows.splice(i, 1), null) }, 'Remove');
    return h('li', { dataset: { window: String(i) } },
      h('fieldset', { class: 'window', 'data-path': path },
        h('legend', {}, `Time window ${i + 1}`),
        dayPicker(w, path, name),
        h('div', { class: 'row' },
          textInput({ label: 'From', path: `${path}.from`, type: 'time', get: () => w.from, set: (v) => (w.from = v),
            attrs: { 'aria-label': `From (${name})` } }),
          textInput({ label: 'To', path: `${path}.to`, type: 'time', get: () => w.to, set: (v) => (w.to = v),
            hint: 'not included; same as From = all day; earlier than From = past midnight', attrs: { 'aria-label': `To (${name})` } })),
        remove));
  }

  render();
  return h('fieldset', { class: 'section' }, h('legend', {}, 'Schedule'), toggle, details);
}

function dayPicker(w, path, name) {
  return h('fieldset', { class: 'days', 'data-path': `${path}.days`, 'aria-label': `Days (${name})` },
    h('legend', {}, 'Days'),
    DAY_NAMES.map(([day, name]) => {
      const id = uid('day');
      const box = h('input', { id, type: 'checkbox', value: day, checked: w.days.includes(day) });
      box.addEventListener('change', () => {
        const chosen = new Set(w.days);
        if (box.checked) chosen.add(day);
        else chosen.delete(day);
        w.days = DAY_NAMES.map(([d]) => d).filter((d) => chosen.has(d));
      });
      return h('span', { class: 'check' }, box, h('label', { for: id }, name));
    }));
}
