import twilio from 'twilio';

export type VoiceResponse = twilio.twiml.VoiceResponse;

/** Short texts the caller hears outside a rule's own settings. */
export const Speech = {
  unknownNumber: 'Sorry, the number you have called cannot take calls. Goodbye.',
  unavailable: 'Sorry, we cannot take your call right now. Please try again later. Goodbye.',
  voicemailGoodbye: 'Thank you for your message. Goodbye.',
  /** After a Record that captured nothing: Twilio skips the action and runs the next verb, so there is no message to thank for. */
  goodbye: 'Goodbye.',
} as const;

export function newResponse(): VoiceResponse {
  return new twilio.twiml.VoiceResponse();
}

/** `<Response/>`: the answer to callbacks whose body Twilio ignores, and a whisper's "connect". */
export function emptyResponse(): VoiceResponse {
  return newResponse();
}

export function hangupResponse(): VoiceResponse {
  const vr = newResponse();
  vr.hangup();
  return vr;
}

/** A spoken sentence, then hang up. */
export function sayAndHangup(text: string): VoiceResponse {
  const vr = newResponse();
  vr.say(text);
  vr.hangup();
  return vr;
}
