import { Router } from 'express';
import type { AppDeps } from '../deps';
import { legFallback, legFallbackStage, registerExtendRingRoutes } from './extend-ring';
import * as followMe from './follow-me';
import { onIncoming } from './incoming';
import type { WebhookParams } from './params';
import { voiceErrorHandler, voiceRoute, type RouteStage } from './route';
import { callerFallback } from './safe';
import { parseTwilioForm } from './form';
import { verifyTwilioSignature } from './signature';
import { onFallback, type StageRoute } from './fallback';
import { onStatus } from './status';
import { emptyResponse, hangupResponse } from './twiml';
import { intParam, VoicePath, VoiceUrls } from './urls';
import * as voicemail from './voicemail';

/** Mounted at /voice; paths below are relative to it (VoicePath minus the prefix). */
const at = (path: VoicePath): string => path.slice('/voice'.length);

/** A Dial action that could not be handled: a caller who was put through (their conversation is over) is hung up. */
const dialActionFallback: RouteStage = (p, ctx) => (p.form('DialBridged') === 'true' ? hangupResponse() : callerFallback(p, ctx));

/** Status and recording callbacks: Twilio ignores the body. */
const ignoredBody: RouteStage = () => emptyResponse();

/**
 * The Twilio-facing webhooks (DESIGN §5, §6). Every route: form body parsed, signature checked (403 when
 * forged or missing, before anything else runs), parameters read, one stage called, TwiML answered.
 */
export function createVoiceRouter(deps: AppDeps): Router {
  const urls = new VoiceUrls(deps.config.publicBaseUrl);
  const router = Router();
  router.use(parseTwilioForm, verifyTwilioSignature(deps.config, deps.logger));
  // every stage by its path: the number's fallback answers some of them again
  const stages = new Map<VoicePath, StageRoute>();
  const post = (path: VoicePath, stage: RouteStage, fallback: RouteStage): void => {
    stages.set(path, { stage, fallback });
    router.post(at(path), voiceRoute(deps, urls, stage, fallback));
  };

  // the number's own URLs: the console lets each be HTTP GET (parameters in the query string) as well as POST
  const number = (path: VoicePath, stage: RouteStage, fallback: RouteStage): void => {
    post(path, stage, fallback);
    router.get(at(path), voiceRoute(deps, urls, stage, fallback));
  };
  number(VoicePath.Incoming, (p, ctx) => onIncoming(incomingInput(p), ctx), callerFallback);
  number(VoicePath.Status, (p, ctx) => onStatus(statusInput(p), ctx), ignoredBody);
  // a leg's fallback names its leg in our URL; the number's own fallback does not
  number(VoicePath.Fallback,
    (p, ctx) => (p.query('leg') !== undefined ? legFallbackStage(p, ctx) : onFallback(p, ctx, stages)),
    (p, ctx) => (p.query('leg') !== undefined ? legFallback(p, ctx) : callerFallback(p, ctx)));

  post(VoicePath.FollowMeDialAction, (p, ctx) => followMe.onDialAction(dialActionInput(p), ctx), dialActionFallback);
  post(VoicePath.FollowMeWhisper, (p, ctx) => followMe.onWhisper(whisperInput(p), ctx),
    (p, ctx) => followMe.anonymousWhisper(whisperInput(p), ctx));
  post(VoicePath.FollowMeWhisperDigits, (p, ctx) => followMe.onWhisperDigits(whisperDigitsInput(p), ctx),
    (p) => (p.form('Digits') === '1' ? emptyResponse() : hangupResponse()));

  post(VoicePath.Voicemail, (p, ctx) => voicemail.onVoicemail({ callSid: p.requiredHuntCallSid() }, ctx), callerFallback);
  post(VoicePath.VoicemailRecorded, (p, ctx) => voicemail.onRecorded(recordedInput(p), ctx), () => voicemail.recordedAnswer());
  post(VoicePath.RecordingStatus, (p, ctx) => voicemail.onRecordingStatus(recordingStatusInput(p), ctx), ignoredBody);
  post(VoicePath.Transcription, (p, ctx) => voicemail.onTranscription(transcriptionInput(p), ctx), ignoredBody);

  registerExtendRingRoutes(post);

  router.use(voiceErrorHandler(deps));
  return router;
}

function incomingInput(p: WebhookParams) {
  return { callSid: p.requiredForm('CallSid'), from: p.form('From') ?? '', to: p.requiredForm('To') };
}

function statusInput(p: WebhookParams) {
  return { callSid: p.requiredForm('CallSid'), callStatus: p.requiredForm('CallStatus') };
}

function dialActionInput(p: WebhookParams): followMe.DialActionInput {
  return {
    callSid: p.requiredForm('CallSid'),
    step: p.requiredIntQuery('step'),
    dialCallStatus: p.requiredForm('DialCallStatus'),
    dialBridged: p.form('DialBridged'),
    dialCallSid: p.form('DialCallSid'),
    callStatus: p.form('CallStatus'),
    dialCallDuration: intParam(p.form('DialCallDuration')),
  };
}

/** Whisper requests come from the answered leg: its CallSid is the leg, `call` in our URL is the hunt. */
function whisperInput(p: WebhookParams): followMe.WhisperInput {
  return { callSid: p.requiredHuntCallSid(), legSid: p.form('CallSid'), to: p.form('To'), step: intParam(p.query('step')) ?? 0 };
}

function whisperDigitsInput(p: WebhookParams): followMe.WhisperDigitsInput {
  return { ...whisperInput(p), digits: p.form('Digits') };
}

function recordedInput(p: WebhookParams): voicemail.RecordedInput {
  return { callSid: p.huntCallSid(), recordingSid: p.form('RecordingSid') };
}

function recordingStatusInput(p: WebhookParams): voicemail.RecordingStatusInput {
  return {
    callSid: p.requiredHuntCallSid(),
    recordingSid: p.requiredForm('RecordingSid'),
    recordingStatus: p.requiredForm('RecordingStatus'),
    recordingUrl: httpUrl(p.form('RecordingUrl')),
    durationSeconds: intParam(p.form('RecordingDuration')) ?? 0,
  };
}

/** An absolute http(s) URL as Twilio sends them (RecordingUrl), else undefined. */
function httpUrl(value: string | undefined): string | undefined {
  if (value === undefined || !URL.canParse(value)) return undefined;
  return /^https?:$/.test(new URL(value).protocol) ? value : undefined;
}

function transcriptionInput(p: WebhookParams): voicemail.TranscriptionInput {
  return {
    recordingSid: p.requiredForm('RecordingSid'),
    callSid: p.form('CallSid'),
    transcriptionStatus: p.form('TranscriptionStatus'),
    transcriptionText: p.form('TranscriptionText'),
  };
}
