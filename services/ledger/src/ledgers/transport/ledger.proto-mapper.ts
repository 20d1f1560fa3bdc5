import { type MessageInitShape } from '@bufbuild/protobuf';
import { timestampFromDate } from '@bufbuild/protobuf/wkt';
import { type LedgerSchema } from '@kontor/contracts/ledger/v1/ledger_service_pb';
import { type LedgerEntity } from '../persistence/ledger.entity';

export function toLedgerMessage(ledger: LedgerEntity): MessageInitShape<typeof LedgerSchema> {
  return {
    id: ledger.id,
    name: ledger.name,
    baseCurrency: ledger.baseCurrency,
    createTime: timestampFromDate(ledger.createdAt),
    ownerOrganizationId: ledger.ownerOrganizationId ?? '',
  };
}
