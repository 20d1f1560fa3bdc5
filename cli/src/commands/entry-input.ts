import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { type MessageInitShape } from '@bufbuild/protobuf';
import { parse } from 'yaml';
import { z } from 'zod';
import {
  EntrySide,
  type EntryInputSchema,
  TransactionTypeSchema,
} from '@kontor/contracts/ledger/v1/entry_service_pb';
import { inputError, usageError } from '../exit-codes';
import { parseEnum } from '../output/values';

export type EntryInputInit = MessageInitShape<typeof EntryInputSchema>;

// An entry as people write it in a YAML or JSON file; amounts are strings so no digit is lost.
const amount = z
  .string()
  .regex(/^\d+(\.\d+)?$/, 'an amount is a positive decimal string such as "12.50"');

const LineSchema = z
  .object({
    account: z.string().min(1),
    debit: amount.optional(),
    credit: amount.optional(),
    currency: z.string().length(3).optional(),
    counterparty: z.string().optional(),
    product: z.string().optional(),
    order: z.string().optional(),
    deal: z.string().optional(),
    memo: z.string().optional(),
  })
  .strict()
  .refine((line) => (line.debit === undefined) !== (line.credit === undefined), {
    message: 'a line has either debit or credit',
  });

const EntryFileSchema = z
  .object({
    ledger: z.string().min(1),
    journal: z.string().min(1),
    date: z.string().min(1),
    type: z.string().min(1),
    currency: z.string().length(3).optional(),
    reference: z.string().optional(),
    description: z.string().optional(),
    paymentMethod: z.string().optional(),
    dueDate: z.string().optional(),
    idempotencyKey: z.string().optional(),
    lines: z.array(LineSchema).min(2),
  })
  .strict();

const BatchFileSchema = z.object({ entries: z.array(EntryFileSchema).min(1) }).strict();

type EntryFile = z.infer<typeof EntryFileSchema>;

/** Entries of a .yaml/.yml/.json file (one entry, or `entries:` for a batch). */
export function readEntryFile(path: string): EntryInputInit[] {
  let raw: unknown;
  try {
    raw = parse(readFileSync(path, 'utf8'));
  } catch (error) {
    throw inputError(`cannot read ${path}: ${(error as Error).message}`);
  }
  const isBatch = typeof raw === 'object' && raw !== null && 'entries' in raw;
  const parsed = isBatch
    ? BatchFileSchema.safeParse(raw)
    : EntryFileSchema.transform((entry) => ({ entries: [entry] })).safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw inputError(`${path}: ${issue?.path.join('.') || '(top level)'}: ${issue?.message}`);
  }
  const entries = parsed.data.entries;
  return entries.map((entry, index) =>
    withDefaultKey(toEntryInput(entry, `${path}: entries.${index}`)),
  );
}

function toEntryInput(entry: EntryFile, where: string): EntryInputInit {
  return {
    idempotencyKey: entry.idempotencyKey ?? '',
    ledgerId: entry.ledger,
    journalSymbol: entry.journal,
    entryDate: entry.date,
    transactionType: parseEnum(TransactionTypeSchema, `${where}.type`, entry.type),
    paymentMethod: entry.paymentMethod ?? '',
    reference: entry.reference ?? '',
    description: entry.description ?? '',
    dueDate: entry.dueDate ?? '',
    lines: entry.lines.map((line, index) => {
      const currency = line.currency ?? entry.currency;
      if (!currency) throw inputError(`${where}.lines.${index}: no currency (line or entry)`);
      return {
        accountCode: line.account,
        side: line.debit !== undefined ? EntrySide.DEBIT : EntrySide.CREDIT,
        amount: { amount: line.debit ?? line.credit ?? '', currency },
        counterpartyId: line.counterparty ?? '',
        product: line.product ?? '',
        orderId: line.order ?? '',
        dealId: line.deal ?? '',
        memo: line.memo ?? '',
      };
    }),
  };
}

/** One `--debit`/`--credit` flag: ACCOUNT=AMOUNT[:COUNTERPARTY_ID]. */
export function parseLineFlag(side: EntrySide, value: string, currency: string) {
  const match = /^([^=]+)=(\d+(?:\.\d+)?)(?::(.+))?$/.exec(value);
  if (!match) {
    const flag = side === EntrySide.DEBIT ? '--debit' : '--credit';
    throw usageError(`${flag} "${value}" is not ACCOUNT=AMOUNT[:COUNTERPARTY], e.g. 1200=50.00`);
  }
  return {
    accountCode: match[1] ?? '',
    side,
    amount: { amount: match[2] ?? '', currency },
    counterpartyId: match[3] ?? '',
  };
}

/**
 * Without an explicit key, the key is a digest of the entry's content: running the same command
 * twice posts once (the second run reports a replay). Pass a distinct key to post a twin entry.
 */
export function withDefaultKey(entry: EntryInputInit): EntryInputInit {
  if (entry.idempotencyKey) return entry;
  const digest = createHash('sha256')
    .update(JSON.stringify({ ...entry, idempotencyKey: '' }))
    .digest('hex');
  return { ...entry, idempotencyKey: `cli:${digest.slice(0, 40)}` };
}
