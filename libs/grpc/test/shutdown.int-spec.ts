import {
  credentials,
  makeGenericClientConstructor,
  type ClientReadableStream,
} from '@grpc/grpc-js';
import { LedgerService } from '@kontor/contracts/ledger/v1/ledger_service_pb';
import { createClient, type GrpcCallError, GrpcStatus } from '../src';
import { service as healthService } from 'grpc-health-check';
import { FakeLedgerController } from './support/fake-ledger';
import { startTestApp, type TestApp } from './support/test-app';

const HealthClient = makeGenericClientConstructor(healthService, 'grpc.health.v1.Health');

describe('shutting down gracefully', () => {
  let sut: TestApp;

  afterEach(async () => {
    await sut.app.close();
  });

  it('lets an in-flight call finish while refusing new connections', async () => {
    sut = await startTestApp({ controllers: [FakeLedgerController], services: [LedgerService] });
    const token = sut.tenantToken('tenant-a');
    const client = createClient(LedgerService, sut.address, { token, defaultDeadlineMs: 10_000 });
    const inFlight = client.createLedger({ requestId: 'r', name: 'hold', baseCurrency: 'EUR' });
    await sut.probe.handlerEntered;

    const closing = sut.app.close();
    await new Promise((resolve) => setTimeout(resolve, 100));
    const latecomer = createClient(LedgerService, sut.address, { token, defaultDeadlineMs: 1_000 });
    await expect(latecomer.listLedgers({})).rejects.toMatchObject({ code: GrpcStatus.UNAVAILABLE });
    latecomer.close();

    sut.probe.releaseHeld();
    await expect(inFlight).resolves.toMatchObject({ ledger: { name: 'hold' } });
    await closing;
    client.close();
  });

  it('announces NOT_SERVING to health watchers and ends their watch so it does not delay shutdown', async () => {
    sut = await startTestApp({ controllers: [FakeLedgerController], services: [LedgerService] });
    const health = new HealthClient(sut.address, credentials.createInsecure());
    const watch = (health['watch'] as (req: { service: string }) => ClientReadableStream<unknown>)({
      service: 'kontor.ledger.v1.LedgerService',
    });
    const statuses: string[] = [];
    const ended = new Promise<string>((resolve) => {
      watch.on('data', (m: { status: string }) => statuses.push(m.status));
      watch.on('error', (e: Error) => resolve(`error: ${e.message}`));
      watch.on('end', () => resolve('end'));
    });
    await waitFor(() => statuses.length > 0);

    const started = Date.now();
    await sut.app.close();
    await expect(ended).resolves.toBe('end');
    expect(statuses).toEqual(['SERVING', 'NOT_SERVING']);
    expect(Date.now() - started).toBeLessThan(1_000);
    health.close();
  });

  it('cancels calls still running after the grace period', async () => {
    sut = await startTestApp({
      controllers: [FakeLedgerController],
      services: [LedgerService],
      shutdownGraceMs: 300,
    });
    const client = createClient(LedgerService, sut.address, {
      token: sut.tenantToken('tenant-a'),
      defaultDeadlineMs: 10_000,
    });
    const stuck = client.createLedger({ requestId: 'r', name: 'hold', baseCurrency: 'EUR' });
    const outcome = stuck.then(
      () => 'resolved',
      (e: GrpcCallError) => e.codeName,
    );
    await sut.probe.handlerEntered;

    const started = Date.now();
    await sut.app.close();
    expect(Date.now() - started).toBeGreaterThanOrEqual(250);
    expect(await outcome).not.toBe('resolved');
    expect(sut.logger.lines.some((l) => l.text.includes('cancelling them'))).toBe(true);
    sut.probe.releaseHeld();
    client.close();
  });
});

async function waitFor(condition: () => boolean, timeoutMs = 3_000): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > until) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}
