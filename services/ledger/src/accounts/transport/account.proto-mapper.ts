import { type MessageInitShape } from '@bufbuild/protobuf';
import { timestampFromDate } from '@bufbuild/protobuf/wkt';
import {
  AccountRole as ProtoRole,
  AccountType as ProtoType,
  BalanceLimit as ProtoLimit,
  type AccountSchema,
} from '@kontor/contracts/ledger/v1/account_service_pb';
import { InvalidArgumentError } from '@kontor/errors';
import { type AccountRole, type AccountType, type BalanceLimit } from '../domain/account';
import { type AccountEntity } from '../persistence/account.entity';

const TYPES: Record<AccountType, ProtoType> = {
  asset: ProtoType.ASSET,
  liability: ProtoType.LIABILITY,
  equity: ProtoType.EQUITY,
  revenue: ProtoType.REVENUE,
  expense: ProtoType.EXPENSE,
};
const ROLES: Record<AccountRole, ProtoRole> = {
  receivable: ProtoRole.RECEIVABLE,
  payable: ProtoRole.PAYABLE,
  clearing: ProtoRole.CLEARING,
  tax: ProtoRole.TAX,
};
const LIMITS: Record<BalanceLimit, ProtoLimit> = {
  no_negative: ProtoLimit.NO_NEGATIVE,
  no_positive: ProtoLimit.NO_POSITIVE,
};

/** Domain value of a proto enum: undefined for 0 (unset), INVALID_ARGUMENT for an unknown one. */
function fromProto<T extends string>(table: Record<T, number>, field: string, value: number) {
  if (value === 0) return undefined;
  const found = (Object.keys(table) as T[]).find((key) => table[key] === value);
  if (found === undefined) throw new InvalidArgumentError(field, `unknown value ${value}`);

  return found;
}

export const typeFromProto = (value: ProtoType) => fromProto(TYPES, 'type', value);
export const roleFromProto = (value: ProtoRole) => fromProto(ROLES, 'role', value);
export const limitFromProto = (value: ProtoLimit) => fromProto(LIMITS, 'balance_limit', value);

export function toAccountMessage(account: AccountEntity): MessageInitShape<typeof AccountSchema> {
  return {
    id: account.id,
    ledgerId: account.ledgerId,
    code: account.code,
    name: account.name,
    type: TYPES[account.type],
    role: account.role ? ROLES[account.role] : ProtoRole.UNSPECIFIED,
    balanceLimit: account.balanceLimit ? LIMITS[account.balanceLimit] : ProtoLimit.UNSPECIFIED,
    createTime: timestampFromDate(account.createdAt),
  };
}
