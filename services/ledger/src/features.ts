import { ACCOUNTS_FEATURE } from './accounts/accounts.module';
import { BALANCES_FEATURE } from './balances/balances.module';
import { ENTRIES_FEATURE } from './entries/entries.module';
import { type LedgerFeature } from './ledger-feature';
import { LEDGERS_FEATURE } from './ledgers/ledgers.module';
import { ORGANIZATIONS_FEATURE } from './organizations/organizations.module';
import { PERIODS_FEATURE } from './periods/periods.module';
import { POSTING_RULES_FEATURE } from './posting-rules/posting-rules.module';
import { SETTLEMENTS_FEATURE } from './settlements/settlements.module';
import { TENANTS_FEATURE } from './tenants/tenants.module';

export const LEDGER_FEATURES: readonly LedgerFeature[] = [
  TENANTS_FEATURE,
  LEDGERS_FEATURE,
  ORGANIZATIONS_FEATURE,
  ACCOUNTS_FEATURE,
  PERIODS_FEATURE,
  ENTRIES_FEATURE,
  BALANCES_FEATURE,
  POSTING_RULES_FEATURE,
  SETTLEMENTS_FEATURE,
];

export const LEDGER_ENTITIES = LEDGER_FEATURES.flatMap((feature) => feature.entities);
