import fs from 'node:fs';
import Joi from 'joi';

/** The application's configuration: the only module that reads process.env (DESIGN §3). */
export interface Config {
  readonly port: number;
  readonly publicBaseUrl: string;
  readonly redisUrl?: string;
  readonly redisPrefix: string;
  /** False: a rediss:// Redis is reached over TLS without checking its certificate (Heroku Redis: self-signed). */
  readonly redisTlsRejectUnauthorized: boolean;
  readonly twilioAccountSid?: string;
  readonly twilioAuthToken?: string;
  /** A second auth token (Twilio's secondary, while rotating): webhooks signed with it pass, and REST uses it. */
  readonly twilioAuthTokenSecondary?: string;
  readonly twilioApiBaseUrl: string;
  readonly twilioValidateSignatures: boolean;
  readonly adminToken?: string;
  readonly defaultHoldMusicUrl: string;
  readonly notifyWebhookUrl?: string;
  readonly notifySigningSecret?: string;
  readonly logLevel: 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';
}

export class ConfigError extends Error {
  constructor(readonly variable: string, message: string) {
    super(`Invalid configuration: ${variable} ${message}`);
    this.name = 'ConfigError';
  }
}

const httpUrl = Joi.string().uri({ scheme: ['http', 'https'] });
const boolean = Joi.boolean().truthy('1').falsy('0');

/**
 * What each variable takes, in plain words, and an example: every start-up error about a variable says both (a
 * problem of its own, such as the example value from .env.example, is said first). Secrets get a way to make one
 * rather than a value to copy.
 */
const EXPECTED: Record<string, { takes: string; example: string }> = {
  PORT: { takes: 'a whole number from 0 to 65535 (0: any free port)', example: 'PORT=3000' },
  PUBLIC_BASE_URL: {
    takes: 'the http(s) URL Twilio reaches this app at, optionally with a path prefix, without a query, fragment or user:password',
    example: 'PUBLIC_BASE_URL=https://calls.example.com (or https://example.com/calls behind a proxy)',
  },
  REDIS_URL: {
    takes: 'a Redis URL: redis[s]://[[user]:password@]host[:port][/database number], the port up to 65535', example: 'REDIS_URL=redis://127.0.0.1:6379',
  },
  REDIS_PREFIX: { takes: 'up to 50 letters, digits and _ : . - (no spaces)', example: 'REDIS_PREFIX=chr:' },
  REDIS_TLS_REJECT_UNAUTHORIZED: { takes: 'true or false (or 1 or 0)', example: 'REDIS_TLS_REJECT_UNAUTHORIZED=false' },
  TWILIO_ACCOUNT_SID: {
    takes: 'the Account SID: AC then 32 hex digits (Twilio console, Account Info; not an SK… API key)',
    example: 'TWILIO_ACCOUNT_SID=AC0123456789abcdef0123456789abcdef',
  },
  TWILIO_AUTH_TOKEN: { takes: 'the Auth Token from the Twilio console (Account Info), at least 8 characters', example: 'TWILIO_AUTH_TOKEN=0123456789abcdef0123456789abcdef' },
  TWILIO_AUTH_TOKEN_SECONDARY: {
    takes: 'the secondary Auth Token from the Twilio console, at least 8 characters', example: 'TWILIO_AUTH_TOKEN_SECONDARY=fedcba9876543210fedcba9876543210',
  },
  TWILIO_API_BASE_URL: { takes: 'the http(s) URL of Twilio\'s REST API or a Twilio-compatible one', example: 'TWILIO_API_BASE_URL=https://api.twilio.com' },
  TWILIO_VALIDATE_SIGNATURES: { takes: 'true or false (or 1 or 0)', example: 'TWILIO_VALIDATE_SIGNATURES=true' },
  ADMIN_TOKEN: { takes: 'a random string of at least 16 characters, without spaces', example: 'the output of: openssl rand -hex 24' },
  DEFAULT_HOLD_MUSIC_URL: { takes: 'an http(s) URL of audio Twilio can fetch', example: 'DEFAULT_HOLD_MUSIC_URL=https://example.com/hold.mp3' },
  NOTIFY_WEBHOOK_URL: { takes: 'the http(s) URL notifications are POSTed to', example: 'NOTIFY_WEBHOOK_URL=https://hooks.example.com/calls' },
  NOTIFY_SIGNING_SECRET: { takes: 'a random string of at least 16 characters', example: 'the output of: openssl rand -hex 24' },
  LOG_LEVEL: { takes: 'one of fatal, error, warn, info, debug, trace or silent', example: 'LOG_LEVEL=info' },
};

/** Error codes of this module's own checks: their message says what is wrong before what is expected. */
const OWN_PROBLEM = 'config.';

/**
 * Where this app is reached: an http(s) origin (a path prefix allowed), to which the app adds `/voice/…`. A query,
 * a fragment or credentials would end up inside every callback URL the app builds (and in its log lines).
 */
const baseUrl = httpUrl.custom((value: string, helpers) => {
  const url = new URL(value);
  return url.search || url.hash || url.username || url.password || value.includes('?') || value.includes('#')
    ? helpers.error('config.notOrigin') : value;
}).messages({ 'config.notOrigin': 'has a query, a fragment or user:password, which would end up inside every callback URL' });

/** A secret of at least 16 characters that is not `placeholder` (the example value in .env.example, public by nature). */
const secret = (placeholder: string) => Joi.string().min(16).custom((value: string, helpers) => (value === placeholder ? helpers.error('config.example') : value))
  .messages({ 'config.example': 'is still the example value from .env.example, which anyone can read' });

const schema = Joi.object({
  PORT: Joi.number().integer().min(0).max(65535).default(3000).description('HTTP port'),
  PUBLIC_BASE_URL: baseUrl.description('public URL (origin, or origin + path prefix) Twilio uses to reach this app; callback URLs and signature checks use it'),
  REDIS_URL: Joi.string().uri({ scheme: ['redis', 'rediss'] }).custom((value: string, helpers) => {
    // ioredis would crash on a database that is not a number, or throw a stack on a port URL refuses
    const path = URL.canParse(value) ? new URL(value).pathname : undefined;
    return path !== undefined && /^(\/\d*)?$/.test(path) ? value : helpers.error('any.invalid');
  }).description('Redis URL; unset = embedded in-process store'),
  REDIS_PREFIX: Joi.string().max(50).pattern(/^[\w:.-]*$/).default('chr:').description('prefix of every Redis key'),
  REDIS_TLS_REJECT_UNAUTHORIZED: boolean.default(true)
    .description('false: reach a rediss:// Redis without checking its certificate (a self-signed one, e.g. Heroku Redis)'),
  // copied from the console, a value may bring a space or a line break along: no SID or token has one
  TWILIO_ACCOUNT_SID: Joi.string().trim().pattern(/^AC[0-9a-fA-F]{32}$/).description('Twilio account SID (AC…)'),
  TWILIO_AUTH_TOKEN: Joi.string().trim().min(8).description('Twilio auth token: signs webhooks, authenticates REST calls'),
  TWILIO_AUTH_TOKEN_SECONDARY: Joi.string().trim().min(8)
    .description('while rotating the auth token: the secondary one; webhooks signed with either pass, REST calls use it'),
  TWILIO_API_BASE_URL: httpUrl.default('https://api.twilio.com').description('where Twilio REST calls go'),
  TWILIO_VALIDATE_SIGNATURES: boolean.default(true).description('check X-Twilio-Signature'),
  // a bearer token ends at the first space (RFC 6750): one with spaces could never sign in (a line break or spaces at
  // the ends, as a secret read from a file has, are trimmed)
  ADMIN_TOKEN: secret('change-me-to-a-long-random-string').trim()
    .custom((value: string, helpers) => (/\s/.test(value) ? helpers.error('config.whiteSpace') : value))
    .messages({ 'config.whiteSpace': 'contains a space or other white space, which no Authorization header can carry' })
    .description('bootstrap administrator bearer token'),
  DEFAULT_HOLD_MUSIC_URL: httpUrl
    .default('http://com.twilio.music.classical.s3.amazonaws.com/BusyStrings.mp3')
    .description('hold music when a rule names none'),
  NOTIFY_WEBHOOK_URL: httpUrl.description('where voicemail/callback/missed-call events are POSTed when the owner has no notifyUrl'),
  NOTIFY_SIGNING_SECRET: secret('change-me-to-another-long-random-string').description('HMAC-SHA256 key signing notification bodies (X-Notify-Signature)'),
  LOG_LEVEL: Joi.string().valid('fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent').default('info'),
}).unknown(true);

/**
 * The message of a bad variable: what is wrong when one of this module's checks says so (`contains a space…`), then
 * what the variable takes and an example. Joi's own wording (a pattern, "must be a boolean") is never shown.
 */
function problemWith(detail: Joi.ValidationErrorItem): ConfigError {
  const variable = String(detail.path[0] ?? 'environment');
  const expected = EXPECTED[variable];
  const joiMessage = detail.message.replace(/^"[^"]*"\s*/, '');
  if (!expected) return new ConfigError(variable, joiMessage);
  const own = detail.type.startsWith(OWN_PROBLEM) ? `${joiMessage}: it ` : '';
  return new ConfigError(variable, `${own}must be ${expected.takes}, for example ${expected.example}`);
}

/** Loads ./.env when present (Node's own loader), then validates. Throws ConfigError naming the bad variable. */
export function loadConfig(env: NodeJS.ProcessEnv = readProcessEnv()): Config {
  const cleaned = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined && v !== ''));
  const { value, error } = schema.validate(cleaned, { abortEarly: true, convert: true });
  const detail = error?.details[0];
  if (detail) throw problemWith(detail);
  const port: number = value.PORT;
  return Object.freeze({
    port,
    publicBaseUrl: String(value.PUBLIC_BASE_URL ?? `http://localhost:${port}`).replace(/\/+$/, ''),
    redisUrl: value.REDIS_URL,
    redisPrefix: value.REDIS_PREFIX,
    redisTlsRejectUnauthorized: value.REDIS_TLS_REJECT_UNAUTHORIZED,
    twilioAccountSid: value.TWILIO_ACCOUNT_SID,
    twilioAuthToken: value.TWILIO_AUTH_TOKEN,
    twilioAuthTokenSecondary: value.TWILIO_AUTH_TOKEN_SECONDARY,
    twilioApiBaseUrl: String(value.TWILIO_API_BASE_URL).replace(/\/+$/, ''),
    twilioValidateSignatures: value.TWILIO_VALIDATE_SIGNATURES,
    adminToken: value.ADMIN_TOKEN,
    defaultHoldMusicUrl: value.DEFAULT_HOLD_MUSIC_URL,
    notifyWebhookUrl: value.NOTIFY_WEBHOOK_URL,
    notifySigningSecret: value.NOTIFY_SIGNING_SECRET,
    logLevel: value.LOG_LEVEL,
  });
}

/**
 * The auth token REST requests authenticate with: the secondary while one is set (Twilio accepts it before it is
 * promoted, and only it after), else the primary.
 */
export function restAuthToken(config: Pick<Config, 'twilioAuthToken' | 'twilioAuthTokenSecondary'>): string | undefined {
  return config.twilioAuthTokenSecondary ?? config.twilioAuthToken;
}

/** Twilio's own REST API: a PUBLIC_BASE_URL it cannot reach only matters when the calls come from the real Twilio. */
const TWILIO_API = 'https://api.twilio.com';

/**
 * The start-up warning about PUBLIC_BASE_URL, if any (server.ts logs it): with a Twilio account configured, a host
 * the internet cannot reach (the default localhost when it is unset, a private address) gets no webhook, and, when
 * signatures are checked, makes every check fail; plain http sends webhooks unencrypted. A Twilio-compatible API of
 * one's own (TWILIO_API_BASE_URL, e.g. the emulator) may well reach a local address: no warning then.
 */
export function publicBaseUrlWarning(
  config: Pick<Config, 'publicBaseUrl' | 'twilioAccountSid' | 'twilioAuthToken' | 'twilioAuthTokenSecondary' | 'twilioApiBaseUrl' | 'twilioValidateSignatures'>,
): string | undefined {
  if (!config.twilioAccountSid && !restAuthToken(config)) return undefined;
  const url = new URL(config.publicBaseUrl);
  if (config.twilioApiBaseUrl === TWILIO_API && isPrivateHost(url.hostname)) {
    const refused = config.twilioValidateSignatures
      ? ', and webhook signatures are checked against it, so any webhook that does arrive will be refused with 403'
      : '';
    return `PUBLIC_BASE_URL is ${config.publicBaseUrl}: Twilio cannot reach it${refused}. Set it to the public https origin Twilio calls.`;
  }
  if (url.protocol === 'http:' && !isPrivateHost(url.hostname)) {
    return `PUBLIC_BASE_URL is ${config.publicBaseUrl}: Twilio's webhooks (caller numbers, recordings) would travel unencrypted. Use https.`;
  }
  return undefined;
}

/** Loopback, unspecified, *.localhost, RFC 1918 and IPv6 unique-local or link-local hosts: not reachable from the internet. */
function isPrivateHost(hostname: string): boolean {
  const host = hostname.toLowerCase().replace(/^\[|\]$/g, '').replace(/\.$/, '');
  if (host === 'localhost' || host.endsWith('.localhost')) return true;
  // an IPv4-mapped IPv6 address, as URL writes it (::ffff:7f00:1): its IPv4 address
  const mapped = /^::ffff:([0-9a-f]{1,4}):([0-9a-f]{1,4})$/.exec(host);
  const v4 = mapped ? [parseInt(mapped[1]!, 16) >> 8, parseInt(mapped[1]!, 16) & 255] : /^(\d+)\.(\d+)\.\d+\.\d+$/.exec(host)?.slice(1, 3).map(Number);
  if (v4) {
    const [a, b] = v4 as [number, number];
    return a === 0 || a === 10 || a === 127 || (a === 169 && b === 254) || (a === 172 && b >= 16 && b <= 31) || (a === 192 && b === 168);
  }
  return host === '::' || host === '::1' || /^f[cd][0-9a-f]{2}:/.test(host) || /^fe[89ab][0-9a-f]:/.test(host);
}

function readProcessEnv(): NodeJS.ProcessEnv {
  if (fs.existsSync('.env')) process.loadEnvFile('.env');
  return process.env;
}

/** Reads the environment for test infrastructure (Redis URL, CI flag) — tests must not read process.env themselves. */
export function testEnvironment(): { redisUrl: string; ci: boolean } {
  return {
    redisUrl: process.env.REDIS_URL || 'redis://127.0.0.1:6379',
    ci: process.env.CI === 'true' || process.env.CI === '1',
  };
}
