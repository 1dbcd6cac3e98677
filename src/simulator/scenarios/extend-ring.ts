import type { RuleDocument, Scenario } from './types';

/** John's business line and phones (DESIGN §1). */
const JOHNS_NUMBER = '+15550001000';
const OFFICE = '+15551230001';
const HOME = '+15551230002';
const CELL = '+15551230003';
const CUSTOMER = { from: '+15557654321', label: 'Customer' };
const john = { name: 'John', numbers: [JOHNS_NUMBER] as [string] };

/** The office for 20 s, then cell and home together for 20 s, over and over; at most 3 minutes on hold. */
function extendRing(overrides: Partial<RuleDocument> = {}): RuleDocument {
  return {
    name: 'Extend Ring',
    mode: 'extendRing',
    steps: [
      { destinations: [{ type: 'number', to: OFFICE, label: 'Office' }], ringSeconds: 20 },
      { destinations: [{ type: 'number', to: CELL, label: 'Cell' }, { type: 'number', to: HOME, label: 'Home' }], ringSeconds: 20 },
    ],
    maxHoldMinutes: 3,
    holdAnnouncement: 'Thank you for calling. John will be with you shortly.',
    voicemail: { greeting: "John can't take your call. Leave a message after the tone." },
    ...overrides,
  };
}

/** Extend Ring: the caller holds in a queue while John's phones are called, each answered phone hears a whisper. */
export const scenarios: Scenario[] = [
  {
    name: 'extend-ring',
    description: 'Extend Ring: office 20 s, then cell and home 20 s, round after round; nobody answers, at 3:00 the caller leaves a voicemail',
    user: john,
    rules: [extendRing()],
    callees: {},
    caller: CUSTOMER,
  },
  {
    name: 'extend-ring-home-accepts',
    description: 'Extend Ring: home answers, hears who is calling, presses 1 and talks to the caller; the cell stops ringing',
    user: john,
    rules: [extendRing()],
    callees: { [HOME]: { kind: 'answer', after: 6, press: '1', talkSeconds: 45 } },
    caller: CUSTOMER,
  },
  {
    name: 'extend-ring-send-to-voicemail',
    description: 'Extend Ring: the cell answers and presses 2; the caller goes to voicemail at once and every phone stops',
    user: john,
    rules: [extendRing()],
    callees: { [CELL]: { kind: 'answer', after: 4, press: '2' } },
    caller: CUSTOMER,
  },
  {
    name: 'extend-ring-carrier-voicemail',
    description: 'Extend Ring: the cell\'s carrier voicemail picks up and presses nothing; the hunt goes on and the office accepts',
    user: john,
    rules: [extendRing()],
    callees: {
      [CELL]: { kind: 'voicemail', after: 5 },
      [OFFICE]: [{ kind: 'no-answer' }, { kind: 'answer', after: 5, press: '1', talkSeconds: 30 }],
    },
    caller: CUSTOMER,
  },
  {
    name: 'extend-ring-caller-voicemail',
    description: 'Extend Ring: the caller presses 1 while on hold and leaves a voicemail right away',
    user: john,
    rules: [extendRing()],
    callees: {},
    caller: { ...CUSTOMER, holdDigits: [{ at: 12, digits: '1' }] },
  },
  {
    name: 'extend-ring-callback',
    description: 'Extend Ring: the caller presses 2 on hold, keys in a number, hears it read back and confirms; the hunt ends',
    user: john,
    rules: [extendRing()],
    callees: {},
    caller: { ...CUSTOMER, holdDigits: [{ at: 12, digits: '2' }, { at: 16, digits: '5551234567#' }, { at: 20, digits: '1' }] },
  },
  {
    name: 'extend-ring-hangup',
    description: 'Extend Ring: the caller gives up after 30 s on hold; every phone stops and John sees a missed call',
    user: john,
    rules: [extendRing()],
    callees: {},
    caller: { ...CUSTOMER, hangUpAfter: 30 },
  },
];
