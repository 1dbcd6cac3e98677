import type { Request } from 'express';
import { intParam } from './urls';
import { MissingParamError } from './context';

/**
 * Twilio's SIDs, by the parameter that carries one: two letters naming the kind, then 32 hex digits. Twilio's
 * signature runs names and values together without a separator, so the same signature also covers a body with a
 * parameter merged into the one before it (`CallSid=CA…CallStatusringing`): a value of any other shape is not
 * Twilio's, and is read as absent.
 */
const SID_PREFIXES: Readonly<Record<string, string>> = {
  CallSid: 'CA', DialCallSid: 'CA', ParentCallSid: 'CA', RecordingSid: 'RE', QueueSid: 'QU', TranscriptionSid: 'TR', AccountSid: 'AC',
};

export function isTwilioSid(value: string, prefix: string): boolean {
  return value.length === 34 && value.startsWith(prefix) && /^[0-9a-fA-F]{32}$/.test(value.slice(2));
}

/**
 * Reads webhook parameters: Twilio's own from the form body, the app's own (call, step) from the query of
 * the URL it handed out. Required ones throw MissingParamError, which the route answers with safe TwiML.
 */
export class WebhookParams {
  /** Twilio's parameters (the form of a POST, the query of a GET) and the query of our own URL. */
  private readonly twilioParams: unknown;
  private readonly ownQuery: Record<string, unknown>;

  constructor(req: Pick<Request, 'method' | 'body' | 'query'>) {
    this.twilioParams = req.method === 'GET' ? req.query : req.body;
    this.ownQuery = req.query;
  }

  /**
   * The same Twilio parameters as they reached another URL of ours: the number's fallback answers the request that failed
   * (Twilio sends its parameters again) with the query of its URL (Twilio's ErrorUrl).
   */
  at(query: Record<string, string>): WebhookParams {
    return new WebhookParams({ method: 'POST', body: this.twilioParams, query });
  }

  /**
   * A parameter Twilio sends (CallSid, DialCallStatus …): in the form, or in the query string of a GET (a number set
   * to HTTP GET in the console); undefined when absent or empty, and a SID parameter when it is not shaped like one.
   */
  form(name: string): string | undefined {
    const body = this.twilioParams;
    if (typeof body !== 'object' || body === null) return undefined;
    const value = (body as Record<string, unknown>)[name];
    if (typeof value !== 'string' || value === '') return undefined;
    const prefix = SID_PREFIXES[name];
    return prefix === undefined || isTwilioSid(value, prefix) ? value : undefined;
  }

  requiredForm(name: string): string {
    const value = this.form(name);
    if (value === undefined) throw new MissingParamError(name);
    return value;
  }

  /** A query parameter of the app's own callback URL. */
  query(name: string): string | undefined {
    const value = this.ownQuery[name];
    return typeof value === 'string' && value !== '' ? value : undefined;
  }

  /** A non-negative integer query parameter (e.g. step). */
  requiredIntQuery(name: string): number {
    const value = intParam(this.ownQuery[name]);
    if (value === undefined) throw new MissingParamError(name);
    return value;
  }

  /** The inbound call a request is about: the `call` of our URL (whispers, recordings), else CallSid. */
  huntCallSid(): string | undefined {
    return this.query('call') ?? this.form('CallSid');
  }

  requiredHuntCallSid(): string {
    const value = this.huntCallSid();
    if (value === undefined) throw new MissingParamError('call');
    return value;
  }
}
