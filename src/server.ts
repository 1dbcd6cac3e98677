import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { createApp } from './app';
import { Background } from './background';
import { systemClock } from './clock';
import { ConfigError, loadConfig, publicBaseUrlWarning, restAuthToken } from './config';
import { createDeadlineSweeper } from './extend-ring/deadline';
import { createLogger } from './log';
import { notificationStartupWarning, WebhookNotifier } from './notify/notifier';
import { createStore } from './store';
import { createTwilioGateway } from './twilio/client';

/** On SIGTERM, requests in flight get this long to finish before their connections are closed (a second signal: at once). */
const DRAIN_LIMIT_MS = 10_000;

/**
 * Start-up: config → store → Twilio gateway → app → listen → deadline sweeper. SIGTERM/SIGINT stop accepting,
 * stop the sweeper, finish in-flight work, close the store.
 */
async function main(): Promise<void> {
  let config;
  try {
    config = loadConfig();
  } catch (err) {
    if (err instanceof ConfigError) {
      process.stderr.write(`${err.message}\n`);
      process.exit(1);
    }
    throw err;
  }
  const logger = createLogger(config.logLevel);
  if (!config.twilioValidateSignatures) {
    logger.warn('TWILIO_VALIDATE_SIGNATURES=false: webhook signatures are NOT checked. Never run like this in production.');
  }
  if (!restAuthToken(config) && config.twilioValidateSignatures) {
    logger.warn('TWILIO_AUTH_TOKEN is not set: every signed webhook will be refused with 403 until it is.');
  }
  if (!config.adminToken) logger.warn('ADMIN_TOKEN is not set: no administrator can use the management API.');
  if (config.redisUrl?.startsWith('rediss:') && !config.redisTlsRejectUnauthorized) {
    logger.warn('REDIS_TLS_REJECT_UNAUTHORIZED=false: the Redis connection is encrypted but its certificate is not checked.');
  }
  const urlWarning = publicBaseUrlWarning(config);
  if (urlWarning) logger.warn(urlWarning);
  const notifyWarning = notificationStartupWarning(config);
  if (notifyWarning) logger.warn(notifyWarning);

  const store = createStore(config, logger, {
    // data of a newer version: serving would misread or damage it, so the instance stops (exit code 1), the usual way
    onIncompatibleSchema: () => {
      process.exitCode = 1;
      process.kill(process.pid, 'SIGTERM');
    },
  });
  const background = new Background(logger);
  const base = { config, store, logger, clock: systemClock, background };
  const notifier = new WebhookNotifier(base);
  const twilio = createTwilioGateway(config, logger);
  if (!twilio) logger.warn('TWILIO_ACCOUNT_SID or TWILIO_AUTH_TOKEN is not set: Extend Ring rules send callers to voicemail.');
  const deps = { ...base, notifier, twilio };
  const sweeper = createDeadlineSweeper(deps);
  const app = createApp(deps);
  const server = http.createServer(app);
  server.on('error', (err: NodeJS.ErrnoException) => {
    const reason = listenFailure(err, config.port);
    // a known reason is the whole story: one line, no stack
    if (reason) logger.fatal({ port: config.port, code: err.code }, reason);
    else logger.fatal({ err, port: config.port }, 'cannot serve HTTP');
    process.exit(1);
  });
  server.listen(config.port, () => {
    // the port actually bound: PORT=0 lets the system choose one
    const { port } = server.address() as AddressInfo;
    logger.info({ port, store: store.kind, publicBaseUrl: config.publicBaseUrl }, 'listening');
  });
  sweeper.start();

  let stopping = false;
  // a connection that never finishes its request (a load balancer's pre-opened one) must not hold the stop for ever
  const closeConnections = (why: string): void => {
    logger.warn(`shutting down: ${why}: closing the connections still open`);
    server.closeAllConnections();
  };
  const stop = async (signal: string): Promise<void> => {
    if (stopping) return closeConnections(`${signal} again`);
    stopping = true;
    logger.info({ signal }, 'shutting down: no new requests, finishing those in flight');
    server.close();
    server.closeIdleConnections();
    const drainLimit = setTimeout(() => closeConnections(`requests still open after ${DRAIN_LIMIT_MS / 1000} s`), DRAIN_LIMIT_MS);
    drainLimit.unref();
    await new Promise<void>((resolve) => server.on('close', () => resolve()));
    clearTimeout(drainLimit);
    await sweeper.stop();
    background.close();
    if (background.size > 0) logger.info({ pending: background.size }, 'shutting down: waiting for background work (REST requests, notifications)');
    await background.idle();
    await store.close();
    logger.info('stopped');
    process.exit();
  };
  process.on('SIGTERM', () => void stop('SIGTERM'));
  process.on('SIGINT', () => void stop('SIGINT'));
}

/** What an operator should do when the port cannot be had, for the reasons that have a plain answer. */
function listenFailure(err: NodeJS.ErrnoException, port: number): string | undefined {
  if (err.code === 'EADDRINUSE') return `port ${port} is already in use: stop the other process or set PORT to a free port`;
  if (err.code === 'EACCES') {
    return `port ${port} needs privileges this process does not have: set PORT to 1024 or above (e.g. PORT=3000), `
      + 'and put a reverse proxy in front for port 80 or 443';
  }
  return undefined;
}

void main();
