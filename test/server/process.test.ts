import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { testEnvironment } from '../../src/config';
import { redisTestUrl, redisIsReachable } from '../support/redis';
import { warnSkipped } from '../support/skip-warning';

/**
 * The server as an operator runs it (`node dist/server.js`, what `npm start` and the Procfile run): configuration
 * errors name the variable, it serves on the embedded store with no Redis and no Twilio account, logs JSON
 * without secrets, and SIGTERM lets a request in flight finish before it stops.
 */
const root = path.join(__dirname, '..', '..');
const serverJs = path.join(root, 'dist', 'server.js');
const ADMIN_TOKEN = 'process-test-admin-token-0123456789';
/**
 * The server reads `.env` from its working directory: it runs in an empty one of its own, so a developer's `.env` in
 * the project (PUBLIC_BASE_URL, REDIS_URL, LOG_LEVEL…) cannot change what these tests see.
 */
let workDir = '';

beforeAll(() => {
  execFileSync('npm', ['run', 'build', '--silent'], { cwd: root, stdio: 'inherit' });
  workDir = fs.mkdtempSync(path.join(os.tmpdir(), 'chr-process-'));
}, 120_000);

/** Every server a test started: none outlives this file, whatever its test did (a timeout included). */
const started = new Set<ChildProcess>();
afterAll(() => {
  for (const child of started) if (child.exitCode === null) child.kill('SIGKILL');
  fs.rmSync(workDir, { recursive: true, force: true });
});
// a loaded machine can take many seconds to load the app: a slow start is not what these tests are about
jest.setTimeout(60_000);

interface Running {
  child: ChildProcess;
  port: number;
  output: () => string;
  exited: Promise<number | null>;
}

/** Starts dist/server.js with exactly `env` (plus PATH, and PORT=0: a port of the system's choosing) and waits for its "listening" line. */
async function startServer(env: Record<string, string>, cwd = workDir): Promise<Running> {
  const child = spawn(process.execPath, [serverJs], {
    cwd, env: { PATH: process.env.PATH ?? '', PORT: '0', ...env }, stdio: ['ignore', 'pipe', 'pipe'],
  });
  started.add(child);
  let out = '';
  child.stdout?.on('data', (d: Buffer) => { out += d.toString(); });
  child.stderr?.on('data', (d: Buffer) => { out += d.toString(); });
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  // a loaded machine can take a while to load the app; a server that never listened is killed, never left behind
  const deadline = Date.now() + 30_000;
  while (!out.includes('"listening"') && Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`server exited early: ${out}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  const listening = logLines(out).find((l) => l.msg === 'listening');
  if (!listening) {
    child.kill('SIGKILL');
    throw new Error(`server did not start: ${out}`);
  }
  return { child, port: Number(listening.port), output: () => out, exited };
}

function logLines(output: string): Array<Record<string, unknown>> {
  return output.split('\n').filter((l) => l.startsWith('{')).map((l) => JSON.parse(l) as Record<string, unknown>);
}

interface Exited { status: number | null; stdout: string; stderr: string }

/**
 * Runs dist/server.js with `env` (and PATH) until it exits by itself (a server that starts serving is stopped after
 * 30 s): its exit code and what it wrote. `as` runs it as another user (a root test runner dropping its rights).
 */
function runUntilExit(env: Record<string, string>, as?: { uid: number; gid: number; cwd: string }): Exited {
  try {
    const stdout = execFileSync(process.execPath, [serverJs], {
      cwd: as?.cwd ?? workDir, env: { PATH: process.env.PATH ?? '', ...env }, stdio: 'pipe', timeout: 30_000, uid: as?.uid, gid: as?.gid,
    });
    return { status: 0, stdout: stdout.toString(), stderr: '' };
  } catch (err) {
    const failure = err as { status: number | null; stdout: Buffer; stderr: Buffer };
    return { status: failure.status, stdout: failure.stdout.toString(), stderr: failure.stderr.toString() };
  }
}

/** The fatal log lines of a run, and whether anything it wrote looks like a stack trace. */
function fatalLines(run: Exited): { fatal: Array<Record<string, unknown>>; stack: boolean } {
  const output = run.stdout + run.stderr;
  return { fatal: logLines(run.stdout).filter((l) => l.level === 60), stack: /"stack"|\n\s+at /.test(output) };
}

test.each([
  ['PUBLIC_BASE_URL', 'not a url', 'for example PUBLIC_BASE_URL=https://calls.example.com'],
  ['PORT', 'abc', 'PORT must be a whole number from 0 to 65535 (0: any free port), for example PORT=3000'],
  ['TWILIO_VALIDATE_SIGNATURES', 'no', 'TWILIO_VALIDATE_SIGNATURES must be true or false (or 1 or 0), for example TWILIO_VALIDATE_SIGNATURES=true'],
  ['REDIS_PREFIX', 'my app', 'REDIS_PREFIX must be up to 50 letters, digits and _ : . - (no spaces), for example REDIS_PREFIX=chr:'],
])('%s=%s stops start-up (exit 1) with one line naming the variable, what it takes and an example', (variable, value, told) => {
  const { status, stderr } = runUntilExit({ [variable]: value });
  expect(status).toBe(1);
  expect(stderr.trim().split('\n')).toHaveLength(1);
  expect(stderr).toMatch(new RegExp(`^Invalid configuration: ${variable} `));
  expect(stderr).toContain(told);
});

test('a port another process already listens on: one fatal line saying so and what to do, no stack trace, exit 1', async () => {
  const other = net.createServer();
  await new Promise<void>((resolve) => other.listen(0, () => resolve()));
  const { port } = other.address() as net.AddressInfo;
  try {
    const run = runUntilExit({ ADMIN_TOKEN, PORT: String(port) });
    expect(run.status).toBe(1);
    const { fatal, stack } = fatalLines(run);
    expect(fatal.map((l) => l.msg)).toEqual([`port ${port} is already in use: stop the other process or set PORT to a free port`]);
    expect(stack).toBe(false);
  } finally {
    other.close();
  }
});

/** Binding a port under 1024 needs rights: a root runner drops them (runs the server as nobody) to see what others see. */
const unprivileged = process.getuid?.() === 0 ? { uid: 65534, gid: 65534 } : undefined;
const PORT_START = '/proc/sys/net/ipv4/ip_unprivileged_port_start';
/** Linux says from which port anyone may bind; elsewhere (macOS lets anyone bind any port) the check is skipped. */
const lowPortsNeedRights = fs.existsSync(PORT_START) && Number(fs.readFileSync(PORT_START, 'utf8')) > 1;
const withoutRights = lowPortsNeedRights && (unprivileged || process.getuid?.() !== 0) ? test : test.skip;
if (!lowPortsNeedRights) warnSkipped('the port-without-rights start-up check: this machine lets anyone bind ports under 1024');

withoutRights('a port under 1024 without the rights for it: one fatal line saying to use a higher PORT, no stack trace, exit 1', () => {
  const cwd = fs.mkdtempSync(path.join(os.tmpdir(), 'chr-unprivileged-'));
  fs.chmodSync(cwd, 0o755);
  try {
    const run = runUntilExit({ ADMIN_TOKEN, PORT: '1' }, unprivileged && { ...unprivileged, cwd });
    expect(run.status).toBe(1);
    const { fatal, stack } = fatalLines(run);
    expect(fatal.map((l) => l.msg)).toEqual([
      'port 1 needs privileges this process does not have: set PORT to 1024 or above (e.g. PORT=3000), and put a reverse proxy in front for port 80 or 443',
    ]);
    expect(stack).toBe(false);
  } finally {
    fs.rmSync(cwd, { recursive: true, force: true });
  }
});

test('with no Redis and no Twilio account it serves on the embedded store, logging JSON without the token', async () => {
  const server = await startServer({ ADMIN_TOKEN });
  try {
    const health = await fetch(`http://127.0.0.1:${server.port}/healthz`);
    expect(await health.json()).toEqual({ status: 'ok', store: 'memory' });
    const me = await fetch(`http://127.0.0.1:${server.port}/api/me`, { headers: { Authorization: `Bearer ${ADMIN_TOKEN}` } });
    expect(me.status).toBe(200);
    server.child.kill('SIGTERM');
    expect(await server.exited).toBe(0);
    const lines = logLines(server.output());
    expect(lines.some((l) => l.msg === 'request' && l.path === '/api/me' && l.status === 200)).toBe(true);
    expect(server.output()).not.toContain(ADMIN_TOKEN);
  } finally {
    server.child.kill('SIGKILL');
  }
});

test('a .env in the working directory is read at start-up, and the environment wins over it', async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'chr-dotenv-'));
  const dotenvToken = 'token-from-dot-env-0123456789';
  fs.writeFileSync(path.join(dir, '.env'), `PORT=1\nADMIN_TOKEN=${dotenvToken}\n`);
  const server = await startServer({}, dir);
  try {
    const me = await fetch(`http://127.0.0.1:${server.port}/api/me`, { headers: { Authorization: `Bearer ${dotenvToken}` } });
    expect(me.status).toBe(200);
  } finally {
    server.child.kill('SIGKILL');
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('with a Twilio account but no PUBLIC_BASE_URL, start-up warns that every webhook would be refused', async () => {
  const server = await startServer({ ADMIN_TOKEN, TWILIO_ACCOUNT_SID: 'AC00000000000000000000000000000001', TWILIO_AUTH_TOKEN: 'a-real-looking-token' });
  try {
    const warning = logLines(server.output()).find((l) => String(l.msg).startsWith('PUBLIC_BASE_URL is http://localhost'));
    expect(warning).toMatchObject({ level: 40, msg: expect.stringContaining('403') });
  } finally {
    server.child.kill('SIGKILL');
  }
});

test('with signature checking switched off, start-up warns loudly, and unsigned webhooks are then answered', async () => {
  const server = await startServer({ ADMIN_TOKEN, TWILIO_VALIDATE_SIGNATURES: 'false' });
  try {
    const warning = logLines(server.output()).find((l) => String(l.msg).startsWith('TWILIO_VALIDATE_SIGNATURES=false'));
    expect(warning).toMatchObject({ level: 40, msg: expect.stringContaining('NOT checked') });
    const res = await fetch(`http://127.0.0.1:${server.port}/voice/incoming`, {
      method: 'POST', headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ CallSid: 'CA1', From: '+15557654321', To: '+15550009999' }).toString(),
    });
    expect(res.status).toBe(200);
  } finally {
    server.child.kill('SIGKILL');
  }
});

test('SIGTERM: a request already being received is answered, new connections are refused, then the process exits', async () => {
  const server = await startServer({ ADMIN_TOKEN });
  try {
    const socket = net.connect(server.port, '127.0.0.1');
    await new Promise<void>((resolve) => socket.once('connect', () => resolve()));
    const body = JSON.stringify({ name: 'Late Larry' });
    socket.write(`POST /api/users HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer ${ADMIN_TOKEN}\r\n`
      + `Content-Type: application/json\r\nContent-Length: ${body.length}\r\n\r\n${body.slice(0, 5)}`);
    let answer = '';
    socket.on('data', (d: Buffer) => { answer += d.toString(); });
    await new Promise((resolve) => setTimeout(resolve, 200));
    server.child.kill('SIGTERM');
    // once it has taken the signal (however busy the machine), a new connection is refused
    while (!server.output().includes('shutting down')) await new Promise((resolve) => setTimeout(resolve, 20));
    await expect(fetch(`http://127.0.0.1:${server.port}/healthz`)).rejects.toThrow();
    socket.end(body.slice(5));
    expect(await server.exited).toBe(0);
    expect(answer).toMatch(/^HTTP\/1\.1 201/);
    expect(logLines(server.output()).map((l) => l.msg)).toContain('stopped');
  } finally {
    server.child.kill('SIGKILL');
  }
});

test('SIGTERM with a connection that never finishes its request: a second SIGTERM closes it, and the process stops', async () => {
  const server = await startServer({ ADMIN_TOKEN });
  try {
    const socket = net.connect(server.port, '127.0.0.1');
    await new Promise<void>((resolve) => socket.once('connect', () => resolve()));
    socket.on('error', () => undefined);
    socket.write('POST /api/users HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{');
    server.child.kill('SIGTERM');
    while (!server.output().includes('shutting down')) await new Promise((resolve) => setTimeout(resolve, 20));
    server.child.kill('SIGTERM');
    expect(await server.exited).toBe(0);
    expect(logLines(server.output()).map((l) => l.msg)).toEqual(expect.arrayContaining([
      'shutting down: SIGTERM again: closing the connections still open', 'stopped',
    ]));
    socket.destroy();
  } finally {
    server.child.kill('SIGKILL');
  }
});

/** Without Redis: skipped with a warning on a developer machine, a failure under CI. */
const withRedis = redisIsReachable() || testEnvironment().ci ? test : test.skip;
if (!redisIsReachable() && !testEnvironment().ci) warnSkipped(`the Redis start-up check: no Redis answers at ${redisTestUrl}`);

withRedis('with REDIS_URL it serves on Redis and closes it on SIGTERM', async () => {
  if (!redisIsReachable()) throw new Error(`Redis is required under CI: nothing answers at ${redisTestUrl}`);
  const server = await startServer({ ADMIN_TOKEN, REDIS_URL: redisTestUrl, REDIS_PREFIX: `test:process:${process.pid}:` });
  try {
    const health = await fetch(`http://127.0.0.1:${server.port}/healthz`);
    expect(await health.json()).toEqual({ status: 'ok', store: 'redis' });
    server.child.kill('SIGTERM');
    expect(await server.exited).toBe(0);
  } finally {
    server.child.kill('SIGKILL');
  }
});

withRedis('Redis holding data of a newer schema (a rollback): the server stops with exit code 1 and says why', async () => {
  if (!redisIsReachable()) throw new Error(`Redis is required under CI: nothing answers at ${redisTestUrl}`);
  const prefix = `test:process-schema:${process.pid}:`;
  const { Redis } = await import('ioredis');
  const client = new Redis(redisTestUrl);
  try {
    await client.set(`${prefix}schema`, '2');
    const child = spawn(process.execPath, [serverJs], {
      cwd: workDir, env: { PATH: process.env.PATH ?? '', PORT: '0', REDIS_URL: redisTestUrl, REDIS_PREFIX: prefix }, stdio: ['ignore', 'pipe', 'pipe'],
    });
    started.add(child);
    let out = '';
    child.stdout?.on('data', (d: Buffer) => { out += d.toString(); });
    child.stderr?.on('data', (d: Buffer) => { out += d.toString(); });
    const code = await new Promise<number | null>((resolve) => {
      const timer = setTimeout(() => {
        child.kill('SIGKILL');
        resolve(-1);
      }, 45_000);
      child.on('exit', (exitCode) => {
        clearTimeout(timer);
        resolve(exitCode);
      });
    });
    expect(code).toBe(1);
    expect(logLines(out)).toContainEqual(expect.objectContaining({ level: 60, msg: expect.stringMatching(/schema version "2".*REDIS_PREFIX/) }));
    expect(await client.get(`${prefix}schema`)).toBe('2');
  } finally {
    await client.del(`${prefix}schema`);
    client.disconnect();
  }
});
