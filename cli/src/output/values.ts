import { type DescEnum } from '@bufbuild/protobuf';
import { type Timestamp, timestampDate } from '@bufbuild/protobuf/wkt';
import { type Money } from '@kontor/contracts/type/v1/money_pb';
import { usageError } from '../exit-codes';

// Enum values as people type and read them: ACCOUNT_TYPE_ASSET <-> "asset",
// BALANCE_LIMIT_NO_NEGATIVE <-> "no-negative". The proto enum is the single list of choices.

export function enumChoices(schema: DescEnum): string[] {
  return schema.values.filter((value) => value.number !== 0).map((value) => label(value.localName));
}

export function enumLabel(schema: DescEnum, value: number): string {
  const found = schema.values.find((candidate) => candidate.number === value);
  return found && found.number !== 0 ? label(found.localName) : '';
}

/** Parses a flag value into the enum's number, or fails naming the flag and the choices. */
export function parseEnum(schema: DescEnum, flag: string, input: string): number {
  const wanted = input.trim().toUpperCase().replace(/-/g, '_');
  const found = schema.values.find((value) => value.number !== 0 && value.localName === wanted);
  if (found) return found.number;
  throw usageError(`${flag} must be one of ${enumChoices(schema).join(', ')} (got "${input}")`);
}

function label(localName: string): string {
  return localName.toLowerCase().replace(/_/g, '-');
}

/** "1234.50 EUR", exactly as the server sent it; empty when absent. */
export function money(value: Money | undefined): string {
  return value ? `${value.amount} ${value.currency}` : '';
}

export function timestamp(value: Timestamp | undefined): string {
  return value ? timestampDate(value).toISOString() : '';
}

/** Required flags are declared with commander; this guards combinations it cannot express. */
export function requireOption<T>(value: T | undefined, flag: string): T {
  if (value === undefined || value === '') throw usageError(`${flag} is required`);
  return value;
}

/** Today's date on the user's clock, "YYYY-MM-DD" (the default of every as-of date). */
export function today(): string {
  const now = new Date();
  const pad = (value: number) => String(value).padStart(2, '0');
  return `${now.getFullYear()}-${pad(now.getMonth() + 1)}-${pad(now.getDate())}`;
}
