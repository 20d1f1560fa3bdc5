import { create } from '@bufbuild/protobuf';
import { timestampFromDate } from '@bufbuild/protobuf/wkt';
import { SettlementFinalizedSchema } from '@kontor/contracts/events/v1/settlement_events_pb';
import { PermanentEventError } from '@kontor/kafka';
import { settlementRecord } from './settlement-record.mapper';

const ORG_A = '11111111-1111-4111-8111-111111111111';
const ORG_B = '22222222-2222-4222-8222-222222222222';

function event(total: string, amounts: [string, string], currencies = ['EUR', 'EUR']) {
  return create(SettlementFinalizedSchema, {
    tenantId: '00000000-0000-4000-8000-000000000001',
    settlementId: '00000000-0000-4000-8000-000000000002',
    dealId: '00000000-0000-4000-8000-000000000003',
    dealName: 'Reseller',
    payerOrganizationId: '00000000-0000-4000-8000-000000000004',
    periodStart: '2026-03-01',
    periodEnd: '2026-03-31',
    periodLabel: '2026-03',
    total: { amount: total, currency: 'EUR' },
    shares: [
      {
        organizationId: ORG_A,
        role: 'partner',
        amount: { amount: amounts[0], currency: currencies[0] },
      },
      {
        organizationId: ORG_B,
        role: 'supplier',
        amount: { amount: amounts[1], currency: currencies[1] },
      },
    ],
    finalizeTime: timestampFromDate(new Date('2026-04-02T10:00:00.123Z')),
  });
}

describe('settlementRecord', () => {
  it('keeps shares that sum exactly to the total, in their order', () => {
    const record = settlementRecord(event('333.33', ['233.33', '100.00']));

    expect(record.shares).toEqual([
      { share_no: 0, organization_id: ORG_A, role: 'partner', amount: '233.33' },
      { share_no: 1, organization_id: ORG_B, role: 'supplier', amount: '100.00' },
    ]);
    expect([record.total, record.currency, record.finalize_time]).toEqual([
      '333.33',
      'EUR',
      '2026-04-02T10:00:00.123Z',
    ]);
  });

  it('accepts a claw-back: negative shares summing to a negative total', () => {
    expect(settlementRecord(event('-200.00', ['-140.00', '-60.00'])).total).toBe('-200.00');
  });

  it('rejects shares that miss the total by a cent as a permanent error', () => {
    expect(() => settlementRecord(event('333.33', ['233.33', '99.99']))).toThrow(
      PermanentEventError,
    );
    expect(() => settlementRecord(event('333.33', ['233.33', '99.99']))).toThrow(
      /sum to 333.32, not to the total 333.33/,
    );
  });

  it('rejects a share in another currency and amounts with too many decimals', () => {
    expect(() => settlementRecord(event('2.00', ['1.00', '1.00'], ['EUR', 'USD']))).toThrow(
      PermanentEventError,
    );
    expect(() => settlementRecord(event('2.00', ['1.001', '0.999']))).toThrow(PermanentEventError);
  });

  it('rejects an event without a UUID tenant or with an inverted period', () => {
    const noTenant = event('1.00', ['0.50', '0.50']);
    noTenant.tenantId = 'acme';
    const inverted = event('1.00', ['0.50', '0.50']);
    inverted.periodEnd = '2026-02-28';

    expect(() => settlementRecord(noTenant)).toThrow(/tenant_id/);
    expect(() => settlementRecord(inverted)).toThrow(/period_end/);
  });
});
