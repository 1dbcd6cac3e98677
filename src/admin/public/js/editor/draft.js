/**
 * The rule editor's working copy, and its conversion to and from the rule document (DESIGN §4).
 * Number fields are kept as the strings the inputs hold; bodyFromDraft turns them into numbers and
 * leaves out empty optional fields, so the server applies its defaults and does all the validating — except for
 * text the browser cannot read as a number ("3e"), which it gives as empty: the editor stops that first (numberTypos).
 */

export const WEEKDAYS = ['mon', 'tue', 'wed', 'thu', 'fri'];

export function newDestination() {
  return { type: 'number', to: '', label: '' };
}

export function newStep() {
  return { ringSeconds: '30', destinations: [newDestination()] };
}

export function newWindow() {
  return { days: [...WEEKDAYS], from: '09:00', to: '17:00' };
}

export function localTimeZone() {
  return Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC';
}

export function newDraft(userId = '') {
  return {
    userId, name: '', enabled: true, priority: '0', mode: 'followMe',
    steps: [newStep()],
    scheduleOn: false,
    schedule: { timezone: localTimeZone(), windows: [newWindow()] },
    confirm: false, callerId: 'caller', detectVoicemail: false,
    maxHoldMinutes: '10', holdMusicUrl: '', holdAnnouncement: '',
    voicemail: { greeting: '', maxLengthSeconds: '120', transcribe: false },
  };
}

export function draftFromRule(rule) {
  const draft = newDraft(rule.userId);
  return {
    ...draft,
    name: rule.name, enabled: rule.enabled, priority: String(rule.priority ?? 0), mode: rule.mode,
    steps: rule.steps.map((step) => ({
      ringSeconds: String(step.ringSeconds ?? 30),
      destinations: step.destinations.map((d) => ({ type: d.type, to: d.to, label: d.label ?? '' })),
    })),
    scheduleOn: Boolean(rule.schedule),
    schedule: rule.schedule
      ? { timezone: rule.schedule.timezone, windows: rule.schedule.windows.map((w) => ({ ...w, days: [...w.days] })) }
      : draft.schedule,
    confirm: rule.confirm ?? false, callerId: rule.callerId ?? 'caller', detectVoicemail: rule.detectVoicemail ?? false,
    maxHoldMinutes: String(rule.maxHoldMinutes ?? 10), holdMusicUrl: rule.holdMusicUrl ?? '', holdAnnouncement: rule.holdAnnouncement ?? '',
    voicemail: {
      greeting: rule.voicemail?.greeting ?? '',
      maxLengthSeconds: String(rule.voicemail?.maxLengthSeconds ?? 120),
      transcribe: rule.voicemail?.transcribe ?? false,
    },
  };
}

/** The rule body to send. `withOwner`: administrators name the owner (userId); users leave it out. */
export function bodyFromDraft(draft, { withOwner }) {
  return prune({
    userId: withOwner ? draft.userId : undefined,
    name: draft.name.trim(),
    enabled: draft.enabled,
    priority: number(draft.priority),
    mode: draft.mode,
    steps: draft.steps.map((step) => prune({
      destinations: step.destinations.map((d) => prune({ type: d.type, to: targetOf(d), label: text(d.label) })),
      ringSeconds: number(step.ringSeconds),
    })),
    schedule: draft.scheduleOn ? { timezone: draft.schedule.timezone, windows: draft.schedule.windows.map((w) => ({ ...w })) } : undefined,
    confirm: draft.confirm,
    callerId: draft.callerId,
    detectVoicemail: draft.detectVoicemail,
    maxHoldMinutes: number(draft.maxHoldMinutes),
    holdMusicUrl: text(draft.holdMusicUrl),
    holdAnnouncement: text(draft.holdAnnouncement),
    voicemail: prune({
      greeting: text(draft.voicemail.greeting),
      maxLengthSeconds: number(draft.voicemail.maxLengthSeconds),
      transcribe: draft.voicemail.transcribe,
    }),
  });
}

/** Every distinct destination target in the draft, in step order: [{ to, name, type }]. */
export function draftTargets(draft) {
  const seen = new Map();
  for (const step of draft.steps) {
    for (const d of step.destinations) {
      const to = targetOf(d);
      if (to && !seen.has(to)) seen.set(to, { to, type: d.type, label: d.label.trim() });
    }
  }
  return [...seen.values()];
}

/** What a destination rings, as sent: a phone number without the spaces, dashes, dots and brackets people type in it. */
export function targetOf(destination) {
  const to = destination.to.trim();
  return destination.type === 'number' ? withoutSeparators(to) : to;
}

/** "+1 (555) 123-4567" → "+15551234567" (anything else in it is left for the API to point out). */
export function withoutSeparators(phoneNumber) {
  return phoneNumber.replace(/[\s().-]/g, '');
}

function number(value) {
  const trimmed = String(value ?? '').trim();
  return trimmed === '' ? undefined : Number(trimmed);
}

function text(value) {
  const trimmed = (value ?? '').trim();
  return trimmed === '' ? undefined : trimmed;
}

function prune(object) {
  return Object.fromEntries(Object.entries(object).filter(([, v]) => v !== undefined));
}
