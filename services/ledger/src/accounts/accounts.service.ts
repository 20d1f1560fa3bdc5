import { quoteInput } from '@kontor/errors';
import { Injectable } from '@nestjs/common';
import {
  MikroORM,
  UniqueConstraintViolationException,
  type EntityManager,
} from '@mikro-orm/postgresql';
import { LedgerEntity } from '../ledgers/persistence/ledger.entity';
import { isValidAccountCode, validateNewAccount, type NewAccount } from './domain/account';
import { AccountError, AccountErrorCode } from './domain/account.errors';
import { AccountEntity } from './persistence/account.entity';
import { enqueueAccountsCreated } from './persistence/account-events';
import { persistChart } from './persistence/chart';

@Injectable()
export class AccountsService {
  constructor(private readonly orm: MikroORM) {}

  /** Adds an account to a ledger of the tenant; its code is unique in the ledger. */
  async create(tenantId: string, ledgerId: string, input: NewAccount): Promise<AccountEntity> {
    const spec = validateNewAccount(input);
    try {
      return await this.orm.em.fork().transactional(async (em) => {
        await requireLedger(em, tenantId, ledgerId);
        const clash = await em.findOne(AccountEntity, { ledgerId, code: spec.code });
        if (clash) throw codeTaken(clash);
        const [account] = persistChart(em, tenantId, ledgerId, [spec]);
        await em.flush();
        await enqueueAccountsCreated(em, [account]);

        return account;
      });
    } catch (error) {
      if (!(error instanceof UniqueConstraintViolationException)) throw error;
      // A concurrent create with the same code won the insert.
      throw codeTaken(
        await this.orm.em.fork().findOneOrFail(AccountEntity, { ledgerId, code: spec.code }),
      );
    }
  }

  async get(tenantId: string, ledgerId: string, code: string): Promise<AccountEntity> {
    if (!isValidAccountCode(code)) {
      const problem = `must be 1-20 letters, digits, "." or "-", got ${quoteInput(code)}`;
      throw new AccountError(AccountErrorCode.INVALID_ACCOUNT, `code: ${problem}`, {
        fieldViolations: [{ field: 'code', description: problem }],
      });
    }
    const em = this.orm.em.fork();
    await requireLedger(em, tenantId, ledgerId);
    const account = await em.findOne(AccountEntity, { ledgerId, tenantId, code });
    if (!account) {
      throw new AccountError(
        AccountErrorCode.ACCOUNT_NOT_FOUND,
        `account ${quoteInput(code)} not found in ledger ${ledgerId}`,
        { fieldViolations: [{ field: 'code', description: 'no such account in this ledger' }] },
      );
    }

    return account;
  }

  /** The ledger's chart ordered by code. */
  async list(tenantId: string, ledgerId: string): Promise<AccountEntity[]> {
    const em = this.orm.em.fork();
    await requireLedger(em, tenantId, ledgerId);

    return em.find(AccountEntity, { ledgerId, tenantId }, { orderBy: { code: 'asc' } });
  }
}

async function requireLedger(em: EntityManager, tenantId: string, ledgerId: string): Promise<void> {
  // Another tenant's ledger is indistinguishable from a missing one.
  if (!(await em.findOne(LedgerEntity, { id: ledgerId, tenantId }))) {
    throw new AccountError(AccountErrorCode.LEDGER_NOT_FOUND, `ledger ${ledgerId} not found`, {
      fieldViolations: [{ field: 'ledger_id', description: 'no such ledger for this tenant' }],
    });
  }
}

function codeTaken(clash: AccountEntity): AccountError {
  return new AccountError(
    AccountErrorCode.ACCOUNT_CODE_TAKEN,
    `account code "${clash.code}" is already used by account "${clash.name}" in this ledger`,
    { fieldViolations: [{ field: 'code', description: 'already used in this ledger' }] },
  );
}
