/**
 * Builds every callback URL the app hands to Twilio (absolute, from PUBLIC_BASE_URL). Routes are mounted
 * at the same paths, so a URL built here is exactly what Twilio will request (and sign).
 */
export const VoicePath = {
  Incoming: '/voice/incoming',
  Status: '/voice/status',
  Fallback: '/voice/fallback',
  FollowMeDialAction: '/voice/follow-me/dial-action',
  FollowMeWhisper: '/voice/follow-me/whisper',
  FollowMeWhisperDigits: '/voice/follow-me/whisper-digits',
  Voicemail: '/voice/voicemail',
  VoicemailRecorded: '/voice/voicemail/recorded',
  RecordingStatus: '/voice/voicemail/recording-status',
  Transcription: '/voice/voicemail/transcription',
  ExtendRingHold: '/voice/extend-ring/hold',
  ExtendRingHoldDigits: '/voice/extend-ring/hold-digits',
  ExtendRingCallbackNumber: '/voice/extend-ring/callback-number',
  ExtendRingCallbackConfirm: '/voice/extend-ring/callback-confirm',
  ExtendRingQueueExit: '/voice/extend-ring/queue-exit',
  ExtendRingWhisper: '/voice/extend-ring/whisper',
  ExtendRingWhisperDigits: '/voice/extend-ring/whisper-digits',
  ExtendRingLegStatus: '/voice/extend-ring/leg-status',
} as const;
export type VoicePath = (typeof VoicePath)[keyof typeof VoicePath];

const VOICE_PATHS: readonly VoicePath[] = Object.values(VoicePath);

export type UrlParams = Record<string, string | number | undefined>;

export class VoiceUrls {
  constructor(private readonly publicBaseUrl: string) {}

  /** Absolute URL of a voice path with a query (undefined values are left out; keys sorted for stable URLs). */
  build(path: VoicePath, params: UrlParams = {}): string {
    const query = new URLSearchParams();
    for (const key of Object.keys(params).sort()) {
      const value = params[key];
      if (value !== undefined) query.set(key, String(value));
    }
    const qs = query.toString();
    return `${this.publicBaseUrl}${path}${qs ? `?${qs}` : ''}`;
  }

  /** The URL Twilio signed for a request that reached `originalUrl` (path + query as received). */
  signedUrlOf(originalUrl: string): string {
    return `${this.publicBaseUrl}${originalUrl}`;
  }

  /**
   * One of our own stage URLs (Twilio's ErrorUrl names the request that failed): its voice path and its query. Undefined
   * for a URL that is not under PUBLIC_BASE_URL (another origin or path prefix), names no voice path, or is no URL.
   */
  parse(url: string | undefined): OwnUrl | undefined {
    if (!url || !URL.canParse(url)) return undefined;
    const parsed = new URL(url);
    const base = new URL(this.publicBaseUrl);
    const prefix = base.pathname.replace(/\/+$/, '');
    if (parsed.origin !== base.origin || !parsed.pathname.startsWith(`${prefix}/`)) return undefined;
    const path = VOICE_PATHS.find((known) => known === parsed.pathname.slice(prefix.length));
    return path ? { path, query: Object.fromEntries(parsed.searchParams) } : undefined;
  }
}

/** A URL of ours, parsed: which stage, and the query we built it with (`step`, `call` …). */
export interface OwnUrl {
  path: VoicePath;
  query: Record<string, string>;
}

/**
 * The voice path a URL of ours points at (Twilio's ErrorUrl names the request that failed), whatever path prefix
 * PUBLIC_BASE_URL puts before it; undefined for anything else.
 */
export function voicePathOf(url: string | undefined): VoicePath | undefined {
  if (!url || !URL.canParse(url)) return undefined;
  const { pathname } = new URL(url);
  return VOICE_PATHS.find((path) => pathname.endsWith(path));
}

/** Reads a non-negative integer query parameter; undefined when absent or malformed. */
export function intParam(value: unknown): number | undefined {
  if (typeof value !== 'string' || !/^\d{1,6}$/.test(value)) return undefined;
  return Number(value);
}
