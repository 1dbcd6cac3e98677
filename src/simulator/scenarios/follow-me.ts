import type { RuleDocument, Scenario } from './types';

/** John's phones and his business line, as in the product manual's example (DESIGN §1). */
const JOHNS_NUMBER = '+15550001000';
const OFFICE = '+15551230001';
const HOME = '+15551230002';
const CELL = '+15551230003';
const CUSTOMER = { from: '+15557654321', label: 'Customer' };
const john = { name: 'John', numbers: [JOHNS_NUMBER] as [string] };

const greeting = { greeting: "John can't take your call. Leave a message after the tone." };

/** Office 40 s, home 30 s, then cell and John's app together for the default 30 s, then voicemail. */
function johnsRule(overrides: Partial<RuleDocument> = {}): RuleDocument {
  return {
    name: 'Weekday hunting',
    mode: 'followMe',
    steps: [
      { destinations: [{ type: 'number', to: OFFICE, label: 'Office' }], ringSeconds: 40 },
      { destinations: [{ type: 'number', to: HOME, label: 'Home' }], ringSeconds: 30 },
      { destinations: [{ type: 'number', to: CELL, label: 'Cell' }, { type: 'client', to: 'john', label: 'John’s app' }] },
    ],
    voicemail: { ...greeting },
    ...overrides,
  };
}

/** Cell first (25 s), then the office (20 s), then voicemail. */
function cellFirst(confirm: boolean): RuleDocument {
  return {
    name: confirm ? 'Cell first, press 1 to accept' : 'Cell first',
    mode: 'followMe',
    confirm,
    steps: [
      { destinations: [{ type: 'number', to: CELL, label: 'Cell' }], ringSeconds: 25 },
      { destinations: [{ type: 'number', to: OFFICE, label: 'Office' }], ringSeconds: 20 },
    ],
    voicemail: { ...greeting },
  };
}

/** Follow Me: the caller hears ringing while John's phones are tried (DESIGN §1, §6). */
export const scenarios: Scenario[] = [
  {
    name: 'john',
    description: 'John’s example: office 40 s, home 30 s, cell and app 30 s; nobody answers, the caller leaves a voicemail',
    user: john,
    rules: [johnsRule()],
    callees: {},
    caller: CUSTOMER,
  },
  {
    name: 'john-home-answers',
    description: 'John’s example: the office does not answer, the home phone answers after 10 s; the cell never rings',
    user: john,
    rules: [johnsRule()],
    callees: { [HOME]: { kind: 'answer', after: 10, talkSeconds: 45 } },
    caller: CUSTOMER,
  },
  {
    name: 'simulring',
    description: 'Cell and John’s app ring together; the app answers after 6 s and the cell stops ringing',
    user: john,
    rules: [{
      name: 'Cell and app together',
      mode: 'followMe',
      steps: [{
        destinations: [{ type: 'number', to: CELL, label: 'Cell' }, { type: 'client', to: 'john', label: 'John’s app' }],
        ringSeconds: 30,
      }],
      voicemail: { ...greeting },
    }],
    callees: { 'client:john': { kind: 'answer', after: 6, talkSeconds: 40 } },
    caller: CUSTOMER,
  },
  {
    name: 'carrier-voicemail',
    description: 'The cell’s carrier voicemail picks up after 15 s; without confirm that counts as an answer',
    user: john,
    rules: [cellFirst(false)],
    callees: { [CELL]: { kind: 'voicemail', after: 15 } },
    caller: CUSTOMER,
  },
  {
    name: 'carrier-voicemail-confirm',
    description: 'The same with confirm on: the voicemail box never presses 1, so the office rings and its user accepts',
    user: john,
    rules: [cellFirst(true)],
    callees: {
      [CELL]: { kind: 'voicemail', after: 15 },
      [OFFICE]: { kind: 'answer', after: 5, press: '1', talkSeconds: 40 },
    },
    caller: CUSTOMER,
  },
  {
    name: 'busy',
    description: 'The office is busy, so the home phone rings at once and answers after 8 s',
    user: john,
    rules: [johnsRule()],
    callees: { [OFFICE]: { kind: 'busy' }, [HOME]: { kind: 'answer', after: 8, talkSeconds: 30 } },
    caller: CUSTOMER,
  },
];
