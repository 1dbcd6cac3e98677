/**
 * The app's only way to act on Twilio through REST (Extend Ring). Implementations: the real `twilio` client
 * pointed at TWILIO_API_BASE_URL (production, and the emulator in tests). No method throws for the expected
 * case of a call that already ended: it resolves false and the caller moves on.
 */
export interface PlaceCallRequest {
  /** E.164 number, `client:<identity>` or a `sip:` URI. */
  to: string;
  /** The business number the caller dialled. */
  from: string;
  /** Whisper stage URL requested when the leg answers. */
  url: string;
  /** Where Twilio asks again when it could not use one of our answers on this call (ErrorUrl names which). */
  fallbackUrl?: string;
  /** Ring timeout in seconds. */
  timeout: number;
  /** Leg status URL for the terminal events (and ringing/answered). */
  statusCallback: string;
  /** Answering-machine detection: the whisper request then carries AnsweredBy. */
  machineDetection?: boolean;
}

export interface TwilioGateway {
  /** Places an outbound call; rejects (RestError) when Twilio refuses it after retries. */
  placeCall(request: PlaceCallRequest): Promise<{ sid: string }>;
  /**
   * `canceled` stops a queued/ringing call, `completed` hangs up a live one. Resolves with the call's status as Twilio
   * answered the change (final when it took effect at once: `canceled`, `completed`), or false when it had already ended.
   */
  endCall(callSid: string, status: 'canceled' | 'completed'): Promise<string | false>;
  /** Moves a live call (e.g. a queued caller) to new TwiML at `url`; false when it had already ended. */
  redirectCall(callSid: string, url: string): Promise<boolean>;
  /**
   * Takes one caller out of a queue (QU… SID) to new TwiML at `url`; false when they are no longer in it (left,
   * bridged, hung up) or the queue is gone. Unlike redirectCall, it cannot move a caller who has already left.
   */
  dequeueCaller(queueSid: string, callSid: string, url: string): Promise<boolean>;
  /** A call's current status (queued, ringing, in-progress, completed, …); undefined when Twilio does not know it. */
  callStatus(callSid: string): Promise<string | undefined>;
  /** A recording as Twilio has it (status, length, URL without extension); undefined when Twilio does not know it. */
  recording(recordingSid: string): Promise<{ status: string; durationSeconds: number; url: string } | undefined>;
  /** Deletes a queue (QU… SID); false when it no longer exists. */
  deleteQueue(queueSid: string): Promise<boolean>;
}

/** Twilio refused a REST request for a reason other than "that call already ended". */
export class RestError extends Error {
  /** Twilio's own words for the failure (its error message), when it answered. */
  readonly reason?: string;

  constructor(message: string, readonly status: number, readonly code?: number, options?: { cause?: unknown; reason?: string }) {
    super(message, options);
    this.name = 'RestError';
    if (options?.reason) this.reason = options.reason;
  }
}
