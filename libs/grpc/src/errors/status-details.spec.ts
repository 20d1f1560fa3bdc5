import { Metadata, status } from '@grpc/grpc-js';
import { decodeStatusDetails, richStatusMetadata, STATUS_DETAILS_KEY } from './status-details';

describe(decodeStatusDetails.name, () => {
  it('reads back ErrorInfo and BadRequest written by richStatusMetadata', () => {
    const metadata = richStatusMetadata({
      code: status.INVALID_ARGUMENT,
      message: 'bad',
      reason: 'UNBALANCED_ENTRY',
      domain: 'ledger.kontor',
      fieldViolations: [
        { field: 'lines[0].amount', description: 'must be positive' },
        { field: 'lines', description: 'debits must equal credits in EUR' },
      ],
    });
    expect(decodeStatusDetails(metadata)).toEqual({
      reason: 'UNBALANCED_ENTRY',
      domain: 'ledger.kontor',
      fieldViolations: [
        { field: 'lines[0].amount', description: 'must be positive' },
        { field: 'lines', description: 'debits must equal credits in EUR' },
      ],
    });
  });

  it('yields no details for a missing or garbled trailer', () => {
    const garbled = new Metadata();
    garbled.set(STATUS_DETAILS_KEY, Buffer.from([0xff, 0xff, 0xff]));
    expect(decodeStatusDetails(garbled)).toEqual({ fieldViolations: [] });
    expect(decodeStatusDetails(new Metadata())).toEqual({ fieldViolations: [] });
  });
});
