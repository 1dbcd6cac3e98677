import { copyJson } from '../domain/copy';
import type { Voicemail } from '../domain/types';
import { ExpiringMap } from './expiring-map';
import type { VoicemailUpdate } from './store';

/** How long a transcription that came before its recording waits for it (update_voicemail.lua: the same). */
const EARLY_TRANSCRIPTION_TTL_MS = 24 * 60 * 60 * 1000;
/** How long a deleted voicemail's recording SID is remembered (delete_voicemail.lua: the same). */
const DELETED_VOICEMAIL_TTL_MS = 7 * 24 * 60 * 60 * 1000;

type Transcription = Partial<Pick<Voicemail, 'transcription' | 'transcriptionStatus'>>;

/** A transcription's outcome, as opposed to `pending` or none (update_voicemail.lua: the same). */
const isResult = (status: Voicemail['transcriptionStatus']) => status === 'completed' || status === 'failed';

/**
 * The embedded store's voicemails (MemoryStore delegates to it): stored once per recording SID, a transcription that
 * came first kept for its voicemail, and a deleted one remembered a week so that Twilio repeating the recording
 * callback does not store it again. Values are the store's own: callers copy what they hand out.
 */
export class MemoryVoicemails {
  private readonly voicemails = new Map<string, Voicemail>();
  /** Transcriptions that arrived before their recording's voicemail was stored (Twilio's callbacks have no order). */
  private readonly earlyTranscriptions: ExpiringMap<Transcription>;
  private readonly deleted: ExpiringMap<true>;

  constructor(now: () => number) {
    this.earlyTranscriptions = new ExpiringMap(now);
    this.deleted = new ExpiringMap(now);
  }

  save(voicemail: Voicemail): boolean {
    if (this.voicemails.has(voicemail.id) || this.deleted.get(voicemail.id)) return false;
    this.voicemails.set(voicemail.id, { ...copyJson(voicemail), ...this.earlyTranscriptions.get(voicemail.id) });
    this.earlyTranscriptions.delete(voicemail.id);
    return true;
  }

  update(id: string, patch: Transcription): VoicemailUpdate {
    if (this.deleted.get(id)) return 'unknown';
    const voicemail = this.voicemails.get(id);
    if (!voicemail) {
      this.earlyTranscriptions.set(id, { ...this.earlyTranscriptions.get(id), ...copyJson(patch) }, EARLY_TRANSCRIPTION_TTL_MS);
      return 'unknown';
    }
    const hadResult = isResult(voicemail.transcriptionStatus);
    if (patch.transcription !== undefined) voicemail.transcription = patch.transcription;
    if (patch.transcriptionStatus !== undefined) voicemail.transcriptionStatus = patch.transcriptionStatus;
    return !hadResult && isResult(voicemail.transcriptionStatus) ? 'transcribed' : 'updated';
  }

  get(id: string): Voicemail | undefined {
    return this.voicemails.get(id);
  }

  values(): IterableIterator<Voicemail> {
    return this.voicemails.values();
  }

  delete(id: string): boolean {
    if (!this.voicemails.delete(id)) return false;
    this.deleted.set(id, true, DELETED_VOICEMAIL_TTL_MS);
    return true;
  }
}
