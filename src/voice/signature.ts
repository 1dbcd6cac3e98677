import { timingSafeEqual } from 'node:crypto';
import type { RequestHandler } from 'express';
import twilio from 'twilio';
import type { Config } from '../config';
import type { Logger } from '../log';
import { TWILIO_SIGNATURE_HEADER } from '../twilio/constants';

/**
 * Rejects any request not signed by Twilio with our auth token (DESIGN §5): the signature covers
 * PUBLIC_BASE_URL + path and query as received, plus the form parameters. Missing or wrong → 403 plain
 * text, and nothing after this middleware runs. No auth token configured → every request is refused.
 * TWILIO_VALIDATE_SIGNATURES=false skips the check (start-up already warns loudly).
 */
export function verifyTwilioSignature(config: Config, logger: Logger): RequestHandler {
  return (req, res, next) => {
    if (!config.twilioValidateSignatures) return next();
    const signature = req.get(TWILIO_SIGNATURE_HEADER);
    const url = config.publicBaseUrl + req.originalUrl;
    const params = isFormBody(req.body) ? req.body : {};
    // while rotating, Twilio signs with the primary token until the secondary is promoted, then with that one
    const tokens = [config.twilioAuthToken, config.twilioAuthTokenSecondary].filter((t): t is string => t !== undefined);
    // Twilio requests a path; a request line with an absolute URL (or `*`) was not sent by Twilio
    const signed = signature && req.originalUrl.startsWith('/') && tokens.some((t) => isSignedBy(t, signature, url, params));
    if (signed) return next();
    const callSid = typeof params.CallSid === 'string' ? params.CallSid : undefined;
    const path = req.originalUrl.split('?')[0];
    // the URL the signature was checked against (without its query): a wrong PUBLIC_BASE_URL shows here
    const checkedAgainst = config.publicBaseUrl + path;
    logger.warn(
      { callSid, path, checkedAgainst, reason: tokens.length === 0 ? 'no auth token configured' : !signature ? 'no signature' : 'bad signature' },
      'voice webhook refused: not signed by Twilio',
    );
    res.status(403).type('text/plain').send('Forbidden: invalid Twilio signature');
  };
}

/**
 * Twilio signs the URL exactly as configured on the number, which is PUBLIC_BASE_URL + path: checked first with one
 * HMAC. Anything else goes through the twilio package's check, which also accepts the URL with the default port
 * added or removed and in its normalised forms (Twilio's own signing is not consistent there).
 */
function isSignedBy(token: string, signature: string, url: string, params: Record<string, unknown>): boolean {
  const expected = Buffer.from(twilio.getExpectedTwilioSignature(token, url, params));
  const given = Buffer.from(signature);
  if (expected.length === given.length && timingSafeEqual(expected, given)) return true;
  try {
    return twilio.validateRequest(token, signature, url, params);
  } catch {
    // the package parses the URL: one that does not parse was not signed
    return false;
  }
}

function isFormBody(body: unknown): body is Record<string, unknown> {
  return typeof body === 'object' && body !== null;
}
