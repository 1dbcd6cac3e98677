import { pipeline } from 'node:stream/promises';
import type { Request, RequestHandler, Response } from 'express';
import type { AppDeps } from '../deps';
import {
  fetchRecordingAudio, RecordingNotFoundError, RecordingUnavailableError, TwilioNotConfiguredError, type RecordingAudio,
} from '../twilio/recordings';
import { visibleOr404 } from './access';
import { principalOf } from './auth';
import { ApiError, NotFoundError } from './errors';

/**
 * GET /api/voicemails/:id/audio: the recording's MP3, streamed through the app (Twilio's media URLs need the
 * account's credentials, which never leave the server). Owner or administrator; anyone else 404.
 * 404 when Twilio no longer has it, 502 when Twilio does not hand it out, 503 without Twilio credentials.
 */
export function voicemailAudio(deps: AppDeps): RequestHandler {
  return async (req: Request, res: Response) => {
    const voicemail = visibleOr404(principalOf(res), await deps.store.getVoicemail(String(req.params.id)), 'voicemail');
    const listener = new AbortController();
    res.on('close', () => listener.abort());
    const audio = await openAudio(deps, voicemail.recordingUrl, listener.signal);
    res.status(200).set({ 'Content-Type': audio.contentType, 'Cache-Control': 'private, no-store' });
    if (audio.contentLength !== undefined) res.set('Content-Length', String(audio.contentLength));
    try {
      await pipeline(audio.body, res);
    } catch (err) {
      if (listener.signal.aborted) {
        deps.logger.debug({ voicemailId: voicemail.id }, 'voicemail audio: the listener went away');
        return;
      }
      deps.logger.warn({ err, voicemailId: voicemail.id }, 'voicemail audio: the recording stream broke off');
      res.destroy();
    }
  };
}

async function openAudio(deps: AppDeps, recordingUrl: string, signal: AbortSignal): Promise<RecordingAudio> {
  try {
    return await fetchRecordingAudio(deps.config, recordingUrl, signal);
  } catch (err) {
    if (err instanceof RecordingNotFoundError) throw new NotFoundError('the recording no longer exists at Twilio');
    if (err instanceof TwilioNotConfiguredError) throw new ApiError(503, 'twilio_not_configured', err.message);
    if (err instanceof RecordingUnavailableError) {
      throw new ApiError(502, 'recording_unavailable', `the recording could not be fetched: ${err.message}`);
    }
    throw err;
  }
}
