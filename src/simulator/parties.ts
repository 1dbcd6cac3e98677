import type { Party, SimCall } from './call';
import type { Core } from './core';
import { seconds } from './durations';
import type { CalleeScript, CallerScript } from './types';

export const DEFAULT_MESSAGE = { seconds: 10, transcript: 'Hello, this is a test message. Please call me back.' };
export const DEFAULT_TALK_SECONDS = 60;
export const DEFAULT_GREETING_SECONDS = 10;
export const DEFAULT_VOICEMAIL_RECORD_SECONDS = 30;
/** A person presses this long after the whisper prompt finished, when the script gives no `pressAfter`. */
const DEFAULT_PRESS_DELAY_S = 1;

/** The inbound caller: speaks into Record; hangs up and keys digits at fixed times (scheduled by the emulator). */
export function callerParty(script: CallerScript = {}): Party {
  return {
    gatherStarted: () => undefined,
    speech: () => (script.message === 'none' ? undefined : { ...DEFAULT_MESSAGE, ...script.message }),
    bridged: () => undefined,
  };
}

/** Keys the caller's holdDigits and hangs up at hangUpAfter, counted from the moment the call was placed. */
export function scheduleCaller(core: Core, call: SimCall, script: CallerScript = {}): void {
  for (const { at, digits } of script.holdDigits ?? []) {
    const timer = core.clock.setTimeout(() => pressDigits(core, call, digits, 'digits'), seconds(at));
    call.onEnd(() => core.clock.clearTimeout(timer));
  }
  if (script.hangUpAfter !== undefined) {
    const timer = core.clock.setTimeout(() => call.hangup('caller'), seconds(script.hangUpAfter));
    call.onEnd(() => core.clock.clearTimeout(timer));
  }
}

/** A called person or voicemail box, per its script. */
export function calleeParty(core: Core, script: CalleeScript | undefined): Party {
  let pressed = false;
  return {
    answeredBy: script?.kind === 'voicemail' ? 'machine' : script?.kind === 'answer' ? 'human' : undefined,
    gatherStarted(call, promptsDone) {
      if (script?.kind !== 'answer' || script.press === undefined || pressed) return;
      pressed = true;
      const digits = script.press;
      const press = (delayS: number) => {
        const timer = core.clock.setTimeout(() => pressDigits(core, call, digits, 'whisper-digits'), seconds(delayS));
        call.onEnd(() => core.clock.clearTimeout(timer));
      };
      if (script.pressAfter !== undefined) press(script.pressAfter);
      else void promptsDone.then(() => press(DEFAULT_PRESS_DELAY_S));
    },
    speech: () => undefined,
    bridged(call) {
      if (script?.kind !== 'answer') return;
      hangUpAfter(core, call, script.talkSeconds ?? DEFAULT_TALK_SECONDS);
    },
  };
}

/** A voicemail box hangs up after its greeting and recording time, whatever it is connected to. */
export function voicemailBoxAnswered(core: Core, call: SimCall, script: Extract<CalleeScript, { kind: 'voicemail' }>): void {
  hangUpAfter(core, call, (script.greetingSeconds ?? DEFAULT_GREETING_SECONDS) + (script.recordSeconds ?? DEFAULT_VOICEMAIL_RECORD_SECONDS));
}

function hangUpAfter(core: Core, call: SimCall, s: number): void {
  const timer = core.clock.setTimeout(() => call.hangup('callee'), seconds(s));
  call.onEnd(() => core.clock.clearTimeout(timer));
}

function pressDigits(core: Core, call: SimCall, digits: string, event: 'digits' | 'whisper-digits'): void {
  if (call.ended) return;
  const heard = call.dtmf.press(digits);
  call.digitsPressed += digits;
  core.timeline.add(call.sid, call.who, heard ? event : 'digits-lost', heard ? `pressed ${digits}` : `pressed ${digits}, nobody listening`);
}
