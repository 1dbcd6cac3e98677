import { api, request, seg } from '../api.js';
import { confirmAction } from '../confirm.js';
import { append, h, replaceChildren, statusLine } from '../dom.js';
import { bodyFromDraft, draftFromRule, newDraft } from '../editor/draft.js';
import { clearErrors, numberTypos, showErrors } from '../editor/errors.js';
import { park, unpark } from '../editor/parked.js';
import { previewPanel } from '../editor/preview.js';
import { ruleView } from '../editor/rule-view.js';
import { scheduleSection } from '../editor/schedule.js';
import { callSection, generalSection, holdSection, showModeFields, voicemailSection } from '../editor/sections.js';
import { stepsSection } from '../editor/steps.js';
import { setFlash } from '../flash.js';
import { KEEP_DISABLED, oneAtATime } from '../one-at-a-time.js';
import { announce, report } from '../report.js';
import { href, leaveGuard, navigate, reload } from '../router.js';
import { canManageRules, currentUser, isAdmin, tokenRefused } from '../session.js';
import { loadAllUsers } from '../users-directory.js';

/**
 * Create or edit one rule: every field of the rule document. Save sends POST (new) or PUT (whole rule);
 * validation errors appear next to their fields. Without the canManageRules grant the form is read-only.
 */
export async function ruleEditorPage({ main, params, signal }) {
  const id = params.id;
  const admin = isAdmin();
  const readOnly = !canManageRules();
  if (!id && readOnly) return navigate('rules', { replace: true });
  const loaded = await load(id, admin);
  if (signal.aborted) return;
  if (loaded.missing) return notFound(main);
  if (readOnly) return readOnlyPage(main, loaded.rule);

  const { rule, users } = loaded;
  const me = currentUser()?.id;
  // changes made before the server asked this user to sign in again: back, made to the version they were made to
  const kept = unpark(me, id ?? 'new');
  if (kept) loaded.etag = kept.etag;
  const draft = kept?.draft ?? (rule ? draftFromRule(rule) : newDraft(admin ? '' : me));
  let dirty = Boolean(kept);
  leaveGuard(() => dirty);
  const body = () => bodyFromDraft(draft, { withOwner: admin });
  const ruleProblems = { clear: () => clearErrors(form, summary), show: (details) => showErrors(form, summary, { message: '', details }) };
  const preview = previewPanel({ draft, ruleId: id, isDirty: () => dirty, body, ruleProblems });
  const onChange = () => { dirty = true; preview.refresh(); };

  const summary = h('div', { class: 'error-summary', role: 'alert', tabindex: '-1', hidden: true });
  const status = statusLine('action-status');
  const submit = h('button', { type: 'submit', class: 'primary' }, rule ? 'Save changes' : 'Create rule');
  const fields = h('fieldset', { class: 'rule-fields' },
    h('legend', { class: 'visually-hidden' }, 'Rule settings'),
    generalSection(draft, { users }),
    callSection(draft),
    stepsSection(draft, { onChange }),
    holdSection(draft),
    voicemailSection(draft),
    scheduleSection(draft, { onChange }));
  const form = h('form', { class: 'rule-form', novalidate: true, 'aria-labelledby': 'editor-title' },
    summary, fields, actions(rule), status);
  showModeFields(form, draft.mode);
  form.addEventListener('input', onChange);
  form.addEventListener('change', onChange);
  form.addEventListener('change', () => showModeFields(form, draft.mode));

  /**
   * `overwrite`: save even though someone else saved the rule since it was opened (they chose to, after a 412).
   * One save at a time: a second click while one is in flight is ignored.
   */
  const save = oneAtATime(submit, async ({ overwrite = false } = {}) => {
    clearErrors(form, summary);
    const typos = numberTypos(form);
    if (typos.length) return showErrors(form, summary, { message: '', details: typos });
    announce(status, 'Saving…');
    try {
      const saved = id
        ? await api.put(`rules/${seg(id)}`, body(), overwrite || !loaded.etag ? {} : { 'If-Match': loaded.etag })
        : await api.post('rules', body());
      setFlash(`Saved rule “${saved.name}”.`);
      navigate('rules');
      return KEEP_DISABLED;
    } catch (err) {
      status.textContent = '';
      if (err.status === 400) showErrors(form, summary, err);
      else if (err.status === 412) showChangedMeanwhile();
      else failed(err, 'The rule was not saved');
      return undefined;
    }
  });
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    save();
  });

  /** Someone else saved this rule after it was opened here: nothing was saved; theirs, or overwrite it with this. */
  function showChangedMeanwhile() {
    replaceChildren(summary,
      h('h2', {}, 'Someone else changed this rule'),
      h('p', {}, 'It was saved by someone else after you opened it, so your changes were not saved. Load their version (your changes here are lost), or save yours over it.'),
      h('div', { class: 'actions' },
        h('button', { type: 'button', onclick: async () => { dirty = false; await reload(); focusHeading(); } }, 'Load their version'),
        h('button', { type: 'button', class: 'danger', onclick: () => save({ overwrite: true }) }, 'Save mine over theirs')));
    summary.hidden = false;
    summary.focus();
  }

  /** A save or delete that failed for a reason not about one field: said next to the buttons, where the focus goes. */
  function failed(err, what) {
    const plain = PLAIN_FAILURES[err?.status];
    if (plain) {
      status.classList.add('error');
      status.textContent = `${what}. ${plain}`;
    } else {
      report(status, err, what);
    }
    status.tabIndex = -1;
    status.focus();
  }

  async function remove() {
    const ok = await confirmAction({ title: 'Delete rule?', text: `The rule “${rule.name}” will be deleted. Calls already in progress are not affected.` });
    if (!ok) return;
    try {
      await api.delete(`rules/${seg(id)}`);
    } catch (err) {
      return failed(err, 'The rule was not deleted');
    }
    setFlash(`Deleted rule “${rule.name}”.`);
    navigate('rules');
  }

  function actions(existing) {
    return h('div', { class: 'actions' },
      submit,
      h('a', { href: href('rules'), class: 'button' }, 'Cancel'),
      existing ? h('button', { type: 'button', class: 'danger', onclick: remove }, 'Delete rule') : null);
  }

  // said in the page-wide flash line, which screen readers announce (a status line built with this page would not be)
  if (kept) setFlash('Your changes from before you signed in again are back, not saved yet.');
  append(main,
    h('p', { class: 'breadcrumb' }, h('a', { href: href('rules') }, '← All rules')),
    h('h1', { id: 'editor-title' }, rule ? `Edit rule: ${rule.name}` : 'New rule'),
    form, preview.element);
  // leaving because the server refused the token (not by choice): the changes wait for this user's next sign-in
  return () => {
    if (dirty && tokenRefused()) park({ userId: me, ruleKey: id ?? 'new', draft, etag: loaded.etag });
  };
}

/**
 * The rule of a user without the canManageRules grant, read-only: as text (editor/rule-view.js), with "Test this rule"
 * (which runs the saved rule and changes nothing).
 */
function readOnlyPage(main, rule) {
  const noRuleProblems = { clear: () => {}, show: () => {} }; // a saved rule is valid: the test's problems are its choices
  const preview = previewPanel({ draft: draftFromRule(rule), ruleId: rule.id, isDirty: () => false, body: () => null, ruleProblems: noRuleProblems });
  append(main,
    h('p', { class: 'breadcrumb' }, h('a', { href: href('rules') }, '← All rules')),
    h('h1', {}, `Rule: ${rule.name}`),
    h('p', { class: 'notice' }, 'Read-only: an administrator has not given you the right to change rules.'),
    ruleView(rule),
    preview.element);
}

/** What a failed save or delete means to the rule's owner, for the answers that are not about one field. */
const PLAIN_FAILURES = {
  403: 'Your administrator has taken away your permission to change rules.',
  404: 'This rule no longer exists: someone deleted it after you opened it.',
  409: 'Someone else was changing this rule at the same moment. Try again.',
  413: 'The rule is too large to save: shorten its texts, or remove some steps or time windows.',
};

async function load(id, admin) {
  try {
    const [response, users] = await Promise.all([id ? request('GET', `rules/${seg(id)}`, { raw: true }) : null, admin ? loadAllUsers() : null]);
    // the rule's version (ETag): a save sends it back, so as not to overwrite a change someone saved meanwhile
    return { rule: response ? await response.json() : null, etag: response?.headers.get('ETag') ?? null, users };
  } catch (err) {
    if (err.status === 404) return { missing: true };
    throw err;
  }
}

function notFound(main) {
  append(main, 
    h('h1', {}, 'Rule not found'),
    h('p', {}, 'This rule does not exist, or it is not yours to see.'),
    h('p', {}, h('a', { href: href('rules') }, 'Back to the rules')));
}

/** After the page was shown again in place, the keyboard focus goes to its heading (not lost on the document). */
function focusHeading() {
  const heading = document.querySelector('main h1');
  if (!heading) return;
  heading.tabIndex = -1;
  heading.focus();
}
