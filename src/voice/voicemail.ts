import { isAudioUrl } from '../domain/rule-schema';
import { voicemailOf } from '../domain/hunt-plan';
import type { Hunt, Voicemail } from '../domain/types';
import { recordingCheckKey } from '../extend-ring/due-keys';
import { RecordingStatus, TranscriptionStatus } from '../twilio/constants';
import { logCallEvent } from './call-log';
import { loadHunt, nowIso, type VoiceContext } from './context';
import { settleCall } from './status';
import { emptyResponse, newResponse, sayAndHangup, Speech, type VoiceResponse } from './twiml';
import { VoicePath } from './urls';

/**
 * Voicemail (DESIGN §6): greeting, `<Record>`, goodbye. The voicemail is stored from the recording status
 * callback, once per RecordingSid; should that callback be lost or fail, from Twilio's record of the recording, looked
 * up two minutes after the Record action (checkRecording).
 */

export function defaultGreeting(userName: string): string {
  return `${userName} can't take your call right now. Please leave a message after the tone.`;
}

/**
 * The voicemail TwiML of a hunt: greeting, Record, then goodbye + Hangup. The verbs after Record run only when nothing
 * was recorded (Twilio then skips the action): a plain goodbye, no thanks for a message.
 */
export function voicemailTwiml(hunt: Hunt, ctx: VoiceContext): VoiceResponse {
  const settings = voicemailOf(hunt);
  const call = { call: hunt.callSid };
  const vr = newResponse();
  // only the owner's own greeting may be audio: the default one is a sentence, whatever the owner's name looks like
  if (settings.greeting !== undefined && isAudioUrl(settings.greeting)) vr.play(settings.greeting);
  else vr.say(settings.greeting ?? defaultGreeting(hunt.userName));
  vr.record({
    maxLength: settings.maxLengthSeconds,
    playBeep: true,
    action: ctx.urls.build(VoicePath.VoicemailRecorded, call),
    recordingStatusCallback: ctx.urls.build(VoicePath.RecordingStatus, call),
    recordingStatusCallbackEvent: ['completed', 'absent'],
    ...(settings.transcribe
      ? { transcribe: true, transcribeCallback: ctx.urls.build(VoicePath.Transcription, call) }
      : {}),
  });
  vr.say(Speech.goodbye);
  vr.hangup();
  return vr;
}

/** Sends the caller to voicemail and notes it in the call log (`log: false` for a repeated webhook). */
export async function enterVoicemail(hunt: Hunt, ctx: VoiceContext, options = { log: true }): Promise<VoiceResponse> {
  if (options.log) await logCallEvent(ctx, hunt.callSid, { type: 'voicemail' });
  return voicemailTwiml(hunt, ctx);
}

export interface VoicemailInput {
  callSid: string;
}

/** /voice/voicemail: the caller is sent (redirected) here to leave a message. */
export async function onVoicemail(input: VoicemailInput, ctx: VoiceContext): Promise<VoiceResponse> {
  return enterVoicemail(await loadHunt(input.callSid, ctx), ctx);
}

export interface RecordedInput {
  callSid?: string;
  recordingSid?: string;
}

/** After the Record action, the recording is looked up at Twilio this much later unless its callback stored it. */
export const RECORDING_CHECK_MS = 2 * 60_000;

/**
 * The Record action: requested only when something was recorded (also when the caller hung up while recording). The
 * message is noted in the call log at once (the recording callback, which stores it, may come much later), and a call
 * that already ended is settled as voicemail. Twilio sends the recording callback once: should it be lost or fail,
 * checkRecording stores the message from Twilio's own record of it. The caller hears goodbye, whatever fails.
 */
export async function onRecorded(input: RecordedInput, ctx: VoiceContext): Promise<VoiceResponse> {
  if (input.callSid && input.recordingSid) {
    const { callSid, recordingSid } = input;
    if (ctx.deps.twilio) {
      await ctx.deps.store.setDeadline(recordingCheckKey(callSid, recordingSid), ctx.deps.clock.now() + RECORDING_CHECK_MS)
        .catch((err: unknown) => ctx.log.warn({ err, recordingSid }, 'voicemail: could not arm the recording check'));
    }
    await logCallEvent(ctx, callSid, { type: 'voicemail-recorded', detail: recordingSid });
    await settleCall(callSid, ctx, 'record-action');
  }
  return recordedAnswer();
}

/**
 * The recording check fell due (any instance): a message its callback did not store (lost, or the store failed) is
 * looked up at Twilio and stored if Twilio has it completed; one still processing is looked at again later; one Twilio
 * found absent or failed is not a voicemail.
 */
export async function checkRecording(callSid: string, recordingSid: string, ctx: VoiceContext): Promise<void> {
  const { store, twilio, clock } = ctx.deps;
  if (!twilio || await store.getVoicemail(recordingSid)) return;
  const hunt = await store.getHunt(callSid);
  if (!hunt) return;
  const recording = await twilio.recording(recordingSid);
  const log = ctx.log.child({ recordingSid });
  if (recording && PROCESSING.has(recording.status)) {
    await store.setDeadline(recordingCheckKey(callSid, recordingSid), clock.now() + RECORDING_CHECK_MS);
    return;
  }
  if (recording?.status !== RecordingStatus.Completed || recording.durationSeconds <= 0) {
    log.info({ recordingStatus: recording?.status ?? 'unknown' }, 'voicemail: the recording is not at Twilio: nothing to keep');
    return;
  }
  log.warn('voicemail: its recording callback did not store the message: stored from Twilio\'s record of it');
  await keepVoicemail(hunt, { recordingSid, recordingUrl: recording.url, durationSeconds: recording.durationSeconds }, ctx);
}

/** Twilio's recording statuses that are not final yet. */
const PROCESSING: ReadonlySet<string> = new Set(['in-progress', 'processing', 'paused', 'stopped']);

/** The Record action's answer, also when nothing can be looked up. */
export function recordedAnswer(): VoiceResponse {
  return sayAndHangup(Speech.voicemailGoodbye);
}

export interface RecordingStatusInput {
  callSid: string;
  recordingSid: string;
  recordingStatus: string;
  recordingUrl?: string;
  durationSeconds: number;
}

/** Stores a completed recording as the owner's voicemail, once per RecordingSid (repeats change nothing). */
export async function onRecordingStatus(input: RecordingStatusInput, ctx: VoiceContext): Promise<VoiceResponse> {
  if (input.recordingStatus !== RecordingStatus.Completed || !input.recordingUrl) {
    ctx.log.info({ recordingSid: input.recordingSid, recordingStatus: input.recordingStatus }, 'voicemail: no recording to keep');
    return emptyResponse();
  }
  const recording = { recordingSid: input.recordingSid, recordingUrl: input.recordingUrl, durationSeconds: input.durationSeconds };
  await keepVoicemail(await loadHunt(input.callSid, ctx), recording, ctx);
  return emptyResponse();
}

/** Twilio transcribes recordings longer than 2 s and shorter than 120 s (warning 13617 otherwise, and no callback). */
const TRANSCRIBED_SECONDS = { over: 2, under: 120 } as const;

/** A transcription to wait for, or, for a message Twilio does not transcribe, none ever. */
function transcriptionOf(durationSeconds: number): 'pending' | 'failed' {
  return durationSeconds > TRANSCRIBED_SECONDS.over && durationSeconds < TRANSCRIBED_SECONDS.under ? 'pending' : 'failed';
}

interface Recording {
  recordingSid: string;
  recordingUrl: string;
  durationSeconds: number;
}

/** The recording as the owner's voicemail, stored and announced once (the callback, or the check after it). */
async function keepVoicemail(hunt: Hunt, recording: Recording, ctx: VoiceContext): Promise<void> {
  const log = ctx.log.child({ recordingSid: recording.recordingSid });
  const voicemail: Voicemail = {
    id: recording.recordingSid,
    callSid: hunt.callSid,
    userId: hunt.userId,
    ...(hunt.plan?.ruleId ? { ruleId: hunt.plan.ruleId } : {}),
    from: hunt.from,
    to: hunt.to,
    durationSeconds: recording.durationSeconds,
    recordingUrl: recording.recordingUrl,
    ...(voicemailOf(hunt).transcribe ? { transcriptionStatus: transcriptionOf(recording.durationSeconds) } : {}),
    createdAt: nowIso(ctx),
  };
  if (await ctx.deps.store.saveVoicemail(voicemail)) {
    log.info({ userId: hunt.userId, durationSeconds: recording.durationSeconds }, 'voicemail stored');
    // a transcription that came first is in the stored voicemail: the notification carries it
    const stored = voicemail.transcriptionStatus ? await ctx.deps.store.getVoicemail(voicemail.id).catch(() => null) : null;
    ctx.deps.notifier?.voicemailStored(stored ?? voicemail);
    await logCallEvent(ctx, hunt.callSid, { type: 'voicemail-recorded', detail: recording.recordingSid });
  } else {
    log.debug('voicemail: recording already stored (a repeated callback), or deleted since');
  }
}

export interface TranscriptionInput {
  recordingSid: string;
  callSid?: string;
  transcriptionStatus?: string;
  transcriptionText?: string;
}

/**
 * Adds Twilio's transcription to the stored voicemail. The first result of one already stored (and so announced without
 * it) is announced on its own, once, whatever repeats of the callback land on whichever instance; one that came before
 * its recording is in the voicemail's own event.
 */
export async function onTranscription(input: TranscriptionInput, ctx: VoiceContext): Promise<VoiceResponse> {
  const completed = input.transcriptionStatus === TranscriptionStatus.Completed;
  const update = await ctx.deps.store.updateVoicemail(input.recordingSid, {
    transcriptionStatus: completed ? TranscriptionStatus.Completed : TranscriptionStatus.Failed,
    ...(completed && input.transcriptionText !== undefined ? { transcription: input.transcriptionText } : {}),
  });
  const log = ctx.log.child({ recordingSid: input.recordingSid });
  if (update === 'unknown') log.info('voicemail transcription before its recording: kept until the recording is stored');
  else log.info({ transcriptionStatus: input.transcriptionStatus }, 'voicemail transcription stored');
  if (update === 'transcribed') ctx.deps.notifier?.voicemailTranscribed(input.recordingSid, input.callSid);
  return emptyResponse();
}
