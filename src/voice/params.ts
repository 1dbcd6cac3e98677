import type { Request } from 'express';
import { intParam } from './urls';
import { MissingParamError } from './context';

/**
 * Reads webhook parameters: Twilio's own from the form body, the app's own (call, step) from the query of
 * the URL it handed out. Required ones throw MissingParamError, which the route answers with safe TwiML.
 */
export class WebhookParams {
  constructor(private readonly req: Request) {}

  /**
   * A parameter Twilio sends (CallSid, DialCallStatus …): in the form, or in the query string of a GET (a number set
   * to HTTP GET in the console); undefined when absent or empty.
   */
  form(name: string): string | undefined {
    const body: unknown = this.req.method === 'GET' ? this.req.query : this.req.body;
    if (typeof body !== 'object' || body === null) return undefined;
    const value = (body as Record<string, unknown>)[name];
    return typeof value === 'string' && value !== '' ? value : undefined;
  }

  requiredForm(name: string): string {
    const value = this.form(name);
    if (value === undefined) throw new MissingParamError(name);
    return value;
  }

  /** A query parameter of the app's own callback URL. */
  query(name: string): string | undefined {
    const value = this.req.query[name];
    return typeof value === 'string' && value !== '' ? value : undefined;
  }

  /** A non-negative integer query parameter (e.g. step). */
  requiredIntQuery(name: string): number {
    const value = intParam(this.req.query[name]);
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
