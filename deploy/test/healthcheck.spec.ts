import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import { Server, ServerCredentials } from '@grpc/grpc-js';
import { HealthImplementation } from 'grpc-health-check';
import { DEPLOY_ROOT } from './support/render';

// The image's HEALTHCHECK script, run as the image runs it (node, GRPC_PORT from the environment)
// against a real grpc.health.v1 server on a loopback port.

const SCRIPT = path.join(DEPLOY_ROOT, 'docker/healthcheck.js');

async function runHealthcheck(
  env: Record<string, string>,
): Promise<{ code: number; stderr: string }> {
  try {
    const { stderr } = await promisify(execFile)(process.execPath, [SCRIPT], {
      env: { PATH: process.env.PATH ?? '', ...env },
    });
    return { code: 0, stderr };
  } catch (error) {
    const failed = error as { code?: number; stderr?: string };
    return { code: failed.code ?? -1, stderr: failed.stderr ?? '' };
  }
}

describe('docker/healthcheck.js', () => {
  const health = new HealthImplementation({ '': 'SERVING' });
  const server = new Server();
  let port = 0;

  beforeAll(async () => {
    health.addToServer(server);
    port = await new Promise<number>((resolve, reject) =>
      server.bindAsync('127.0.0.1:0', ServerCredentials.createInsecure(), (error, bound) =>
        error ? reject(error) : resolve(bound),
      ),
    );
  });

  afterAll(() => new Promise<void>((resolve) => server.tryShutdown(() => resolve())));

  it('exits 0 when the server answers SERVING', async () => {
    health.setStatus('', 'SERVING');
    expect(await runHealthcheck({ GRPC_PORT: String(port) })).toEqual({ code: 0, stderr: '' });
  });

  it('exits 1 and says why when the server is draining (NOT_SERVING)', async () => {
    health.setStatus('', 'NOT_SERVING');
    expect(await runHealthcheck({ GRPC_PORT: String(port) })).toEqual({
      code: 1,
      stderr: expect.stringContaining('NOT_SERVING'),
    });
  });

  it('exits 1 when nothing listens on the port', async () => {
    const closed = new Server();
    const unusedPort = await new Promise<number>((resolve, reject) =>
      closed.bindAsync('127.0.0.1:0', ServerCredentials.createInsecure(), (error, bound) =>
        error ? reject(error) : resolve(bound),
      ),
    );
    closed.forceShutdown();
    const result = await runHealthcheck({
      GRPC_PORT: String(unusedPort),
      HEALTHCHECK_DEADLINE_MS: '1000',
    });
    expect(result.code).toBe(1);
  });

  it('falls back to the service’s default port from KONTOR_SERVICE, and refuses to guess otherwise', async () => {
    const unknown = await runHealthcheck({ KONTOR_SERVICE: 'nope' });
    expect(unknown).toEqual({ code: 2, stderr: expect.stringContaining('set GRPC_PORT') });
  });
});
