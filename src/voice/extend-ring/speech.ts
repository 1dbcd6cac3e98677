import { spokenCaller, spokenKeyedDigits } from '../../domain/speech';

/** What callers and answering staff hear during an Extend Ring hunt. */
export const RingSpeech = {
  holdMenu: 'To leave a voicemail, press 1. To leave a number for a call back, press 2.',
  callbackPrompt: 'Please enter the number we should call you back on, followed by the pound key.',
  callbackInvalid: 'Sorry, that does not look like a phone number.',
  callbackNone: 'We did not get a number. Please continue to hold.',
  callbackNotConfirmed: 'Your number was not saved. Please continue to hold.',
  callbackThanks: 'Thank you. We will call you back as soon as we can. Goodbye.',
  alreadyAnswered: 'This call was already answered.',
  callerHungUp: 'The caller has hung up.',
  sentToVoicemail: 'The caller was sent to voicemail.',
  callerInVoicemail: 'The caller is leaving a voicemail.',
  callerLeftNumber: 'The caller left a number for a call back.',
} as const;

/** The whisper on an answered leg: who is calling whom, and the choice. */
export function whisperText(userName: string, from: string): string {
  return `Call for ${userName} from ${spokenCaller(from)}. Press 1 to talk, press 2 to send the caller to voicemail.`;
}

/** The keyed-in callback number read back digit by digit, every digit pressed, with the choice. */
export function callbackReadBack(digits: string): string {
  return `You entered ${spokenKeyedDigits(digits)}. Press 1 to confirm, or press 2 to enter it again.`;
}
