import { timestampDate } from '@bufbuild/protobuf/wkt';
import { LedgerService } from '@kontor/contracts/ledger/v1/ledger_service_pb';
import { TenantService } from '@kontor/contracts/ledger/v1/tenant_service_pb';
import { checkHealth, createClient, GrpcStatus } from '../src';
import { CounterService } from './support/counter-service';
import {
  FakeCounterController,
  FakeLedgerController,
  FakeTenantController,
} from './support/fake-ledger';
import { reflect } from './support/reflection-client';
import { startTestApp, type TestApp } from './support/test-app';

describe('serving calls through KontorGrpcServer', () => {
  let sut: TestApp;

  beforeAll(async () => {
    sut = await startTestApp({
      controllers: [FakeLedgerController, FakeTenantController, FakeCounterController],
      services: [LedgerService, TenantService, CounterService],
    });
  });

  afterAll(async () => {
    await sut.app.close();
  });

  it('round-trips typed protobuf-es messages, including a Timestamp', async () => {
    const client = createClient(LedgerService, sut.address, {
      token: sut.tenantToken('tenant-a'),
      defaultDeadlineMs: 5_000,
    });
    try {
      const created = await client.createLedger({
        requestId: 'r1',
        name: 'Main',
        baseCurrency: 'EUR',
      });
      expect(created.$typeName).toBe('kontor.ledger.v1.CreateLedgerResponse');
      expect(created.ledger?.name).toBe('Main');
      expect(created.ledger?.createTime && timestampDate(created.ledger.createTime)).toEqual(
        new Date('2026-03-01T12:34:56.789Z'),
      );
      const fetched = await client.getLedger({ ledgerId: created.ledger?.id });
      expect(fetched.ledger).toEqual(created.ledger);
    } finally {
      client.close();
    }
  });

  it('gives the handler the tenant of the calling API key, so data stays scoped to it', async () => {
    const alice = createClient(LedgerService, sut.address, {
      token: sut.tenantToken('tenant-alice'),
      defaultDeadlineMs: 5_000,
    });
    const bob = createClient(LedgerService, sut.address, {
      token: sut.tenantToken('tenant-bob'),
      defaultDeadlineMs: 5_000,
    });
    try {
      const { ledger } = await alice.createLedger({
        requestId: 'a',
        name: 'Alice',
        baseCurrency: 'EUR',
      });
      expect(sut.probe.observed.at(-1)).toMatchObject({
        rpc: 'CreateLedger',
        tenantId: 'tenant-alice',
      });
      expect((await bob.listLedgers({})).ledgers.map((l) => l.name)).not.toContain('Alice');
      await expect(bob.getLedger({ ledgerId: ledger?.id })).rejects.toMatchObject({
        code: GrpcStatus.NOT_FOUND,
      });
    } finally {
      alice.close();
      bob.close();
    }
  });

  it('streams server-streaming responses to the client as an AsyncIterable', async () => {
    const client = createClient(CounterService, sut.address, {
      token: sut.tenantToken('tenant-a'),
      defaultDeadlineMs: 5_000,
    });
    try {
      const values: number[] = [];
      for await (const response of client.count({ upTo: 5 })) values.push(response.value);
      expect(values).toEqual([1, 2, 3, 4, 5]);
    } finally {
      client.close();
    }
  });

  it('ends a server stream with the mapped status when the handler throws midway', async () => {
    const client = createClient(CounterService, sut.address, {
      token: sut.tenantToken('tenant-fails-midway'),
      defaultDeadlineMs: 5_000,
    });
    const values: number[] = [];
    try {
      await expect(
        (async () => {
          for await (const response of client.count({ upTo: 10 })) values.push(response.value);
        })(),
      ).rejects.toMatchObject({ code: GrpcStatus.INVALID_ARGUMENT, message: 'stopped at 4' });
      expect(values).toEqual([1, 2, 3]);
    } finally {
      client.close();
    }
  });

  it('hands a client-streaming upload to the handler as an AsyncIterable', async () => {
    const client = createClient(CounterService, sut.address, {
      token: sut.tenantToken('tenant-a'),
      defaultDeadlineMs: 5_000,
    });
    async function* chunks() {
      for (let value = 1; value <= 100; value++) {
        // Chunks arrive over time, as they would when read from a file.
        await Promise.resolve();
        yield { value };
      }
    }
    try {
      expect(await client.sum(chunks())).toMatchObject({ total: 5050, count: 100 });
    } finally {
      client.close();
    }
  });

  it('treats a client-streaming upload the client gave up on as cancelled, not as an incident', async () => {
    const client = createClient(CounterService, sut.address, {
      token: sut.tenantToken('tenant-a'),
      defaultDeadlineMs: 300,
    });
    async function* stalledChunks() {
      yield { value: 1 };
      // The client stops sending; its deadline ends the call while the handler still reads.
      await new Promise((resolve) => setTimeout(resolve, 2_000));
      yield { value: 2 };
    }
    const loggedBefore = sut.logger.lines.length;
    try {
      await expect(client.sum(stalledChunks())).rejects.toMatchObject({
        code: GrpcStatus.DEADLINE_EXCEEDED,
      });
      // Give the handler time to see its request stream close.
      await new Promise((resolve) => setTimeout(resolve, 200));
      const logged = sut.logger.lines.slice(loggedBefore);
      expect(logged.filter((line) => line.level === 'error')).toEqual([]);
      expect(logged.some((line) => line.text.includes('/kontor.test.v1.CounterService/Sum'))).toBe(
        true,
      );
    } finally {
      client.close();
    }
  });

  it('reports SERVING for the server and for each served service over grpc.health.v1', async () => {
    await expect(checkHealth(sut.address)).resolves.toBe('SERVING');
    await expect(checkHealth(sut.address, 'kontor.ledger.v1.LedgerService')).resolves.toBe(
      'SERVING',
    );
    await expect(checkHealth(sut.address, 'kontor.ledger.v1.TenantService')).resolves.toBe(
      'SERVING',
    );
  });

  it('reports NOT_SERVING for a service the server marks unhealthy', async () => {
    sut.server.setServingStatus('NOT_SERVING', 'kontor.test.v1.CounterService');
    try {
      await expect(checkHealth(sut.address, 'kontor.test.v1.CounterService')).resolves.toBe(
        'NOT_SERVING',
      );
      await expect(checkHealth(sut.address)).resolves.toBe('SERVING');
    } finally {
      sut.server.setServingStatus('SERVING', 'kontor.test.v1.CounterService');
    }
  });

  it.each(['v1', 'v1alpha'] as const)(
    'lists the served services over reflection %s',
    async (version) => {
      const { services } = await reflect(sut.address, { listServices: true }, version);
      expect(services).toEqual(
        expect.arrayContaining([
          'kontor.ledger.v1.LedgerService',
          'kontor.ledger.v1.TenantService',
          'kontor.test.v1.CounterService',
          'grpc.health.v1.Health',
        ]),
      );
    },
  );

  it('describes a service over reflection with its file and its imports, like grpcurl describe', async () => {
    const { files, error } = await reflect(sut.address, {
      fileContainingSymbol: 'kontor.ledger.v1.LedgerService',
    });
    expect(error).toBeUndefined();
    const names = files.map((f) => f.name);
    expect(names).toEqual(
      expect.arrayContaining([
        'kontor/ledger/v1/ledger_service.proto',
        'google/protobuf/timestamp.proto',
      ]),
    );
    const ledgerFile = files.find((f) => f.name === 'kontor/ledger/v1/ledger_service.proto');
    expect(ledgerFile?.service[0]?.method.map((m) => m.name)).toEqual([
      'CreateLedger',
      'GetLedger',
      'ListLedgers',
    ]);
  });

  it('serves health and reflection without credentials', async () => {
    await expect(checkHealth(sut.address)).resolves.toBe('SERVING');
    await expect(reflect(sut.address, { listServices: true })).resolves.toBeDefined();
  });
});
