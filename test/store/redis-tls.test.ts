import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import tls from 'node:tls';
import { silentLogger } from '../../src/log';
import { RedisStore } from '../../src/store/redis';
import { StoreUnavailableError } from '../../src/store/store';
import { describeRedis } from '../support/redis';

/**
 * A Redis behind TLS with a self-signed certificate, as Heroku Redis is (its URL is rediss://, and no CA file is
 * handed out): a TLS relay, with a certificate made for the test, in front of the real Redis.
 */
async function startTlsRelay(redisUrl: string): Promise<{ port: number; close: () => Promise<void> }> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'chr-tls-'));
  const key = path.join(dir, 'key.pem');
  const cert = path.join(dir, 'cert.pem');
  execFileSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', key, '-out', cert, '-days', '1',
    '-subj', '/CN=localhost', '-addext', 'subjectAltName=IP:127.0.0.1'], { stdio: 'ignore' });
  const target = new URL(redisUrl);
  const sockets = new Set<net.Socket>();
  const server = tls.createServer({ key: fs.readFileSync(key), cert: fs.readFileSync(cert) }, (client) => {
    const upstream = net.connect(Number(target.port || 6379), target.hostname || '127.0.0.1');
    for (const socket of [client, upstream]) {
      sockets.add(socket);
      socket.on('error', () => undefined);
      socket.on('close', () => sockets.delete(socket));
    }
    client.pipe(upstream).pipe(client);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    port: (server.address() as net.AddressInfo).port,
    async close() {
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

describeRedis('Redis over TLS with a self-signed certificate', (redis) => {
  let relay: Awaited<ReturnType<typeof startTlsRelay>>;
  beforeAll(async () => {
    relay = await startTlsRelay(redis.url);
  });
  afterAll(() => relay.close());

  it('is refused by default: the certificate is checked', async () => {
    const store = new RedisStore({ url: `rediss://127.0.0.1:${relay.port}`, prefix: redis.subPrefix(), logger: silentLogger });
    try {
      await expect(store.ping()).rejects.toBeInstanceOf(StoreUnavailableError);
    } finally {
      await store.close();
    }
  });

  it('serves with REDIS_TLS_REJECT_UNAUTHORIZED=false (encrypted, the certificate not checked)', async () => {
    const store = new RedisStore({ url: `rediss://127.0.0.1:${relay.port}`, prefix: redis.subPrefix(), logger: silentLogger, tlsRejectUnauthorized: false });
    try {
      await store.ping();
      await store.createUser({ id: 'usr_tls', name: 'Over TLS', role: 'user', numbers: [], canManageRules: false, tokenHash: 'x', createdAt: 'x', updatedAt: 'x' });
      expect((await store.getUser('usr_tls'))?.name).toBe('Over TLS');
    } finally {
      await store.close();
    }
  });
});
