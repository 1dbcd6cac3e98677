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

/**
 * Where this app is reached: an http(s) origin (a path prefix allowed), to which the app adds `/voice/…`. A query,
 * a fragment or credentials would end up inside every callback URL the app builds (and in its log lines).
 */
const baseUrl = httpUrl.custom((value: string, helpers) => {
  const url = new URL(value);
  return url.search || url.hash || url.username || url.password || value.includes('?') || value.includes('#')
    ? helpers.error('baseUrl.notOrigin') : value;
}).messages({ 'baseUrl.notOrigin': '{{#label}} must be an origin such as https://calls.example.com (no query, fragment or user:password)' });

/** A secret of at least 16 characters that is not `placeholder` (the example value in .env.example, public by nature). */
const secret = (placeholder: string) => Joi.string().min(16).invalid(placeholder)
  .messages({ 'any.invalid': 'is still the example value from .env.example: set a long random string of your own' });

const schema = Joi.object({
  PORT: Joi.number().integer().min(0).max(65535).default(3000).description('HTTP port'),
  PUBLIC_BASE_URL: baseUrl.description('public origin Twilio uses to reach this app; callback URLs and signature checks use it'),
  REDIS_URL: Joi.string().uri({ scheme: ['redis', 'rediss'] }).custom((value: string, helpers) => {
    // ioredis would crash on a database that is not a number, or throw a stack on a port URL refuses
    const path = URL.canParse(value) ? new URL(value).pathname : undefined;
    return path !== undefined && /^(\/\d*)?$/.test(path) ? value : helpers.error('redisUrl.shape');
  }).messages({ 'redisUrl.shape': '{{#label}} must be redis[s]://[[user]:password@]host[:port][/database number], with a port up to 65535' })
    .description('Redis URL; unset = embedded in-process store'),
  REDIS_PREFIX: Joi.string().max(50).pattern(/^[\w:.-]*$/).default('chr:').description('prefix of every Redis key'),
  REDIS_TLS_REJECT_UNAUTHORIZED: Joi.boolean().truthy('1').falsy('0').default(true)
    .description('false: reach a rediss:// Redis without checking its certificate (a self-signed one, e.g. Heroku Redis)'),
  // copied from the console, a value may bring a space or a line break along: no SID or token has one
  TWILIO_ACCOUNT_SID: Joi.string().trim().pattern(/^AC[0-9a-fA-F]{32}$/)
    .messages({ 'string.pattern.base': 'must be the Account SID: AC then 32 hex digits (Twilio console, Account Info; not an SK… API key)' })
    .description('Twilio account SID (AC…)'),
  TWILIO_AUTH_TOKEN: Joi.string().trim().min(8).description('Twilio auth token: signs webhooks, authenticates REST calls'),
  TWILIO_AUTH_TOKEN_SECONDARY: Joi.string().trim().min(8)
    .description('while rotating the auth token: the secondary one; webhooks signed with either pass, REST calls use it'),
  TWILIO_API_BASE_URL: httpUrl.default('https://api.twilio.com').description('where Twilio REST calls go'),
  TWILIO_VALIDATE_SIGNATURES: Joi.boolean().truthy('1').falsy('0').default(true).description('check X-Twilio-Signature'),
  // a bearer token ends at the first space (RFC 6750): one with spaces could never sign in (a line break or spaces at
  // the ends, as a secret read from a file has, are trimmed)
  ADMIN_TOKEN: secret('change-me-to-a-long-random-string').trim().pattern(/^\S+$/)
    .messages({ 'string.pattern.base': 'must not contain spaces or other white space: a bearer token cannot carry them' })
    .description('bootstrap administrator bearer token'),
  DEFAULT_HOLD_MUSIC_URL: httpUrl
    .default('http://com.twilio.music.classical.s3.amazonaws.com/BusyStrings.mp3')
    .description('hold music when a rule names none'),
  NOTIFY_WEBHOOK_URL: httpUrl.description('where voicemail/callback/missed-call events are POSTed when the owner has no notifyUrl'),
  NOTIFY_SIGNING_SECRET: secret('change-me-to-another-long-random-string').description('HMAC-SHA256 key signing notification bodies (X-Notify-Signature)'),
  LOG_LEVEL: Joi.string().valid('fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent').default('info'),
}).unknown(true);

/** Loads ./.env when present (Node's own loader), then validates. Throws ConfigError naming the bad variable. */
export function loadConfig(env: NodeJS.ProcessEnv = readProcessEnv()): Config {
  const cleaned = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined && v !== ''));
  const { value, error } = schema.validate(cleaned, { abortEarly: true, convert: true });
  if (error) {
    const detail = error.details[0];
    throw new ConfigError(String(detail?.path[0] ?? 'environment'), detail?.message.replace(/^"[^"]*"\s*/, '') ?? error.message);
  }
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
