import { RecordingStatus } from '../../twilio/constants';
import type { SimCall } from '../call';
import type { Core } from '../core';
import { seconds } from '../durations';
import { answer, follow, NEXT, type Flow, type VerbContext } from '../program';
import { Stopped } from '../scope';
import { newSid } from '../sids';
import { intAttr, methodAttr, resolveUrl, type TwimlNode } from '../twiml';
import type { RecordingView } from '../types';

/** Recording status callbacks arrive shortly after the recording ends; transcriptions take longer. */
const RECORDING_CALLBACK_DELAY_MS = 1000;
const TRANSCRIPTION_DELAY_MS = 10_000;

/**
 * <Record>: the party speaks (CallerScript.message), then `timeout` s of silence (default 5) ends the
 * recording; `maxLength` (default 3600) caps it. A recording → `action` (default: the current URL) with
 * RecordingUrl, RecordingSid, RecordingDuration; recordingStatusCallback (RecordingStatus=completed) and
 * transcribeCallback follow. An empty recording skips the action and continues with the next verb.
 * If the caller hangs up while recording, the action is still requested (Digits=hangup), its TwiML ignored.
 */
export async function execRecord(ctx: VerbContext, node: TwimlNode): Promise<Flow> {
  answer(ctx);
  const { core, call } = ctx;
  const maxMs = intAttr(node, 'maxLength', 3600, 1) * 1000;
  const silenceMs = intAttr(node, 'timeout', 5, 0) * 1000;
  const speech = call.party.speech();
  const talkMs = Math.min(speech ? seconds(speech.seconds) : 0, maxMs);
  const startedAt = core.clock.now();
  core.timeline.add(call.sid, call.who, 'recording-started', `beep: recording (at most ${maxMs / 1000} s)`);
  let interrupted: Stopped | undefined;
  try {
    const endsAfter = talkMs >= maxMs || silenceMs === 0 ? maxMs : talkMs + silenceMs;
    await ctx.scope.sleep(core.clock, endsAfter);
  } catch (err) {
    if (!(err instanceof Stopped)) throw err;
    interrupted = err;
  }
  const duration = Math.round(Math.min(core.clock.now() - startedAt, talkMs) / 1000);
  if (duration === 0) {
    core.timeline.add(call.sid, call.who, 'recording-empty', 'nothing recorded; the action is skipped');
    notifyAbsent(ctx, node);
    if (interrupted) throw interrupted;
    return NEXT;
  }
  const recording = addRecording(core, call, startedAt, duration, speech?.transcript);
  core.timeline.add(call.sid, call.who, 'recording', `${duration} s (${recording.sid})`);
  call.milestone = { kind: 'voicemail', recordingSid: recording.sid, seconds: duration };
  scheduleCallbacks(ctx, node, recording);
  const params: Record<string, string> = {
    RecordingUrl: recording.url, RecordingSid: recording.sid, RecordingDuration: String(duration),
  };
  if (interrupted) {
    if (interrupted.reason.kind === 'hangup') await requestIgnored(ctx, node, { ...params, Digits: 'hangup' });
    throw interrupted;
  }
  return { kind: 'goto', to: follow(ctx, node.attrs.action, methodAttr(node), params), purpose: 'action' };
}

function addRecording(core: Core, call: SimCall, startedAt: number, seconds: number, transcript?: string): RecordingView {
  const sid = newSid('RE');
  const recording: RecordingView = {
    sid, callSid: call.sid, seconds, startedAt, status: 'completed',
    url: `${core.apiBaseUrl}/2010-04-01/Accounts/${core.accountSid}/Recordings/${sid}`,
    ...(transcript !== undefined ? { transcript } : {}),
  };
  core.recordings.push(recording);
  return recording;
}

async function requestIgnored(ctx: VerbContext, node: TwimlNode, params: Record<string, string>): Promise<void> {
  const to = follow(ctx, node.attrs.action, methodAttr(node), params);
  await ctx.core.callback(ctx.call, {
    url: to.url, method: to.method, params: { ...ctx.call.params(), CallStatus: 'completed', ...params },
    purpose: 'action', callSid: ctx.call.sid,
  });
}

function statusEvents(node: TwimlNode): string[] {
  return (node.attrs.recordingStatusCallbackEvent ?? 'completed').split(/[\s,]+/).filter(Boolean);
}

function notifyAbsent(ctx: VerbContext, node: TwimlNode): void {
  const url = node.attrs.recordingStatusCallback;
  if (!url || !statusEvents(node).includes(RecordingStatus.Absent)) return;
  const params = { AccountSid: ctx.core.accountSid, CallSid: ctx.call.sid, RecordingStatus: RecordingStatus.Absent, RecordingDuration: '0' };
  sendLater(ctx, resolveUrl(url, ctx.documentUrl), methodAttr(node, 'recordingStatusCallbackMethod'), params, 'recording-status');
}

function scheduleCallbacks(ctx: VerbContext, node: TwimlNode, rec: RecordingView): void {
  const { core, call } = ctx;
  const statusUrl = node.attrs.recordingStatusCallback;
  if (statusUrl && statusEvents(node).includes(RecordingStatus.Completed)) {
    const params = {
      AccountSid: core.accountSid, CallSid: call.sid, RecordingSid: rec.sid, RecordingUrl: rec.url,
      RecordingStatus: RecordingStatus.Completed, RecordingDuration: String(rec.seconds), RecordingChannels: '1',
      RecordingSource: 'RecordVerb', RecordingStartTime: new Date(rec.startedAt).toUTCString(),
    };
    sendLater(ctx, resolveUrl(statusUrl, ctx.documentUrl), methodAttr(node, 'recordingStatusCallbackMethod'), params, 'recording-status');
  }
  const transcribeUrl = node.attrs.transcribeCallback;
  // transcribeCallback implies transcribe="true"; transcribe without a callback delivers nothing here; Twilio transcribes
  // only recordings longer than 2 s and shorter than 120 s (else warning 13617, and no callback at all)
  if (transcribeUrl && rec.seconds > 2 && rec.seconds < 120) {
    const sid = newSid('TR');
    const params = {
      ...call.params(), RecordingSid: rec.sid, RecordingUrl: rec.url, TranscriptionSid: sid,
      TranscriptionText: rec.transcript ?? '', TranscriptionStatus: 'completed', TranscriptionType: 'fast',
      TranscriptionUrl: `${core.apiBaseUrl}/2010-04-01/Accounts/${core.accountSid}/Transcriptions/${sid}`,
    };
    core.later(TRANSCRIPTION_DELAY_MS, 'transcription callback', () =>
      core.callback(call, { url: resolveUrl(transcribeUrl, ctx.documentUrl), method: 'POST', params: { ...params, CallStatus: call.status }, purpose: 'transcription', callSid: call.sid }));
  }
}

function sendLater(ctx: VerbContext, url: string, method: 'GET' | 'POST', params: Record<string, string>, purpose: 'recording-status'): void {
  const { core, call } = ctx;
  core.later(RECORDING_CALLBACK_DELAY_MS, purpose, () => core.callback(call, { url, method, params, purpose, callSid: call.sid }));
}
