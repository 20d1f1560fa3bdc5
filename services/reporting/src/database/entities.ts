import { LedgerSummaryEntity } from '../ledgers/persistence/ledger-summary.entity';

export const REPORTING_ENTITIES = [LedgerSummaryEntity];
