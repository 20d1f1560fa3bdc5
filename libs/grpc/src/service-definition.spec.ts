import { timestampDate, timestampFromDate } from '@bufbuild/protobuf/wkt';
import {
  type CreateLedgerResponse,
  LedgerService,
} from '@kontor/contracts/ledger/v1/ledger_service_pb';
import { CounterService } from '../test/support/counter-service';
import { createServiceDefinition, methodPath } from './service-definition';

describe(createServiceDefinition.name, () => {
  it('keys methods by local name and routes them by /package.Service/Rpc', () => {
    const sut = createServiceDefinition(LedgerService);
    expect(Object.keys(sut)).toEqual(['createLedger', 'getLedger', 'listLedgers']);
    expect(sut['getLedger']?.path).toBe('/kontor.ledger.v1.LedgerService/GetLedger');
    expect(methodPath(LedgerService.method.getLedger)).toBe(
      '/kontor.ledger.v1.LedgerService/GetLedger',
    );
  });

  it('derives the stream flags from the method kind', () => {
    const unary = createServiceDefinition(LedgerService)['getLedger'];
    const streams = createServiceDefinition(CounterService);
    expect([unary?.requestStream, unary?.responseStream]).toEqual([false, false]);
    expect([streams['count']?.requestStream, streams['count']?.responseStream]).toEqual([
      false,
      true,
    ]);
    expect([streams['sum']?.requestStream, streams['sum']?.responseStream]).toEqual([true, false]);
  });

  it('serializes plain init objects and deserializes typed messages, Timestamp included', () => {
    const sut = createServiceDefinition(LedgerService)['createLedger'];
    const createTime = timestampFromDate(new Date('2026-01-02T03:04:05.678Z'));
    const bytes = sut?.responseSerialize({ ledger: { id: 'l1', createTime }, replayed: true });
    const decoded = sut?.responseDeserialize(bytes ?? Buffer.alloc(0)) as CreateLedgerResponse;
    expect(decoded.$typeName).toBe('kontor.ledger.v1.CreateLedgerResponse');
    expect(decoded.replayed).toBe(true);
    expect(timestampDate(decoded.ledger?.createTime ?? timestampFromDate(new Date(0)))).toEqual(
      new Date('2026-01-02T03:04:05.678Z'),
    );
  });
});
