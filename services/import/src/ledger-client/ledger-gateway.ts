import { Inject, Injectable, type OnModuleDestroy } from '@nestjs/common';
import { type MessageInitShape } from '@bufbuild/protobuf';
import {
  AccountService,
  BalanceLimit as ProtoBalanceLimit,
} from '@kontor/contracts/ledger/v1/account_service_pb';
import { BalanceService } from '@kontor/contracts/ledger/v1/balance_service_pb';
import {
  EntryService,
  type EntryInputSchema,
  type PostEntryResult,
} from '@kontor/contracts/ledger/v1/entry_service_pb';
import { OrganizationService } from '@kontor/contracts/ledger/v1/organization_service_pb';
import { MonthStatus, PeriodService } from '@kontor/contracts/ledger/v1/period_service_pb';
import {
  createClient,
  GrpcCallError,
  GrpcStatus,
  Metadata,
  SERVICE_METADATA,
  TENANT_ID_METADATA,
} from '@kontor/grpc';
import { Money } from '@kontor/money';
import { type BalanceLimit, type LimitedAccount } from '../jobs/domain/balance-projection';
import { ImportError, ImportErrorCode } from '../profiles/domain/import.errors';

export const IMPORT_ENV_LEDGER = Symbol('IMPORT_ENV_LEDGER');

export interface LedgerConnection {
  address: string;
  /** INTERNAL_SERVICE_TOKEN; undefined when not configured. */
  token: string | undefined;
}

export type EntryInput = MessageInitShape<typeof EntryInputSchema>;

/** A ledger's months ("YYYY-MM") with whether they are open and their year's journal symbols. */
export type LedgerCalendar = Map<string, { open: boolean; journals: Set<string> }>;

export interface Organization {
  id: string;
  primaryLedgerId: string;
}

const CALL_DEADLINE_MS = 120_000;
const TRANSIENT = new Set<number>([
  GrpcStatus.UNAVAILABLE,
  GrpcStatus.DEADLINE_EXCEEDED,
  GrpcStatus.RESOURCE_EXHAUSTED,
  GrpcStatus.ABORTED,
  GrpcStatus.INTERNAL,
]);

const LIMITS = new Map<ProtoBalanceLimit, BalanceLimit>([
  [ProtoBalanceLimit.NO_NEGATIVE, 'no_negative'],
  [ProtoBalanceLimit.NO_POSITIVE, 'no_positive'],
]);

/** A failure of a whole ledger call that a retry may cure (ledger restarting, overloaded). */
export function isTransient(error: unknown): boolean {
  return error instanceof GrpcCallError && TRANSIENT.has(error.code);
}

/**
 * The ledger as the import service sees it, called with the internal service credential on
 * behalf of a job's tenant (no caller token is needed, so restarted jobs carry on).
 */
@Injectable()
export class LedgerGateway implements OnModuleDestroy {
  private readonly entries;
  private readonly organizations;
  private readonly accounts;
  private readonly periods;
  private readonly balances;

  constructor(@Inject(IMPORT_ENV_LEDGER) private readonly connection: LedgerConnection) {
    const options = { token: connection.token, defaultDeadlineMs: CALL_DEADLINE_MS };
    this.entries = createClient(EntryService, connection.address, options);
    this.organizations = createClient(OrganizationService, connection.address, options);
    this.accounts = createClient(AccountService, connection.address, options);
    this.periods = createClient(PeriodService, connection.address, options);
    this.balances = createClient(BalanceService, connection.address, options);
  }

  onModuleDestroy(): void {
    this.entries.close();
    this.organizations.close();
    this.accounts.close();
    this.periods.close();
    this.balances.close();
  }

  private metadata(tenantId: string): Metadata {
    if (this.connection.token === undefined) {
      throw new ImportError(
        ImportErrorCode.LEDGER_UNAVAILABLE,
        'the import service has no INTERNAL_SERVICE_TOKEN: it cannot call the ledger',
      );
    }
    const metadata = new Metadata();
    metadata.set(TENANT_ID_METADATA, tenantId);
    metadata.set(SERVICE_METADATA, 'import');

    return metadata;
  }

  async postEntries(tenantId: string, entries: EntryInput[]): Promise<PostEntryResult[]> {
    const { results } = await this.entries.postEntries(
      { entries },
      { metadata: this.metadata(tenantId) },
    );

    return results;
  }

  /** Every organization of the tenant by external id. */
  async organizationsByExternalId(tenantId: string): Promise<Map<string, Organization>> {
    const found = new Map<string, Organization>();
    let pageToken = '';
    do {
      const page = await this.organizations.listOrganizations(
        { pageSize: 1000, pageToken },
        { metadata: this.metadata(tenantId) },
      );
      for (const o of page.organizations) {
        found.set(o.externalId, { id: o.id, primaryLedgerId: o.primaryLedgerId });
      }
      pageToken = page.nextPageToken;
    } while (pageToken !== '');

    return found;
  }

  /** The months of a ledger's fiscal years and their journals (symbols upper-cased). */
  async calendar(tenantId: string, ledgerId: string): Promise<LedgerCalendar> {
    const metadata = this.metadata(tenantId);
    const { fiscalYears } = await this.periods.listFiscalYears({ ledgerId }, { metadata });
    const calendar: LedgerCalendar = new Map();
    for (const year of fiscalYears) {
      const { journals } = await this.periods.listJournals({ fiscalYearId: year.id }, { metadata });
      const symbols = new Set(journals.map((j) => j.symbol.toUpperCase()));
      for (const month of year.months) {
        calendar.set(month.month, { open: month.status === MonthStatus.OPEN, journals: symbols });
      }
    }

    return calendar;
  }

  /**
   * The ledger's accounts that have a balance limit, with their balances now (debit − credit per
   * currency); empty when the ledger has none or does not exist.
   */
  async limitedAccounts(tenantId: string, ledgerId: string): Promise<Map<string, LimitedAccount>> {
    const metadata = this.metadata(tenantId);
    const limited = new Map<string, LimitedAccount>();
    const accounts = await this.accounts.listAccounts({ ledgerId }, { metadata }).catch((error) => {
      if (error instanceof GrpcCallError && error.code === GrpcStatus.NOT_FOUND) return undefined;
      throw error;
    });
    for (const account of accounts?.accounts ?? []) {
      const limit = LIMITS.get(account.balanceLimit);
      if (limit === undefined) continue;
      const { balances } = await this.balances.getAccountBalance(
        { ledgerId, accountCode: account.code },
        { metadata },
      );
      limited.set(account.code, {
        limit,
        balances: new Map(
          balances.map((b) => [b.currency, Money.parse(b.balance!.amount, b.balance!.currency)]),
        ),
      });
    }

    return limited;
  }

  /** Account codes of a ledger, or undefined when the ledger does not exist for the tenant. */
  async accountCodes(tenantId: string, ledgerId: string): Promise<Set<string> | undefined> {
    try {
      const { accounts } = await this.accounts.listAccounts(
        { ledgerId },
        { metadata: this.metadata(tenantId) },
      );

      return new Set(accounts.map((a) => a.code));
    } catch (error) {
      if (error instanceof GrpcCallError && error.code === GrpcStatus.NOT_FOUND) return undefined;
      throw error;
    }
  }
}
