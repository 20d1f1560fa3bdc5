import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { MikroORM, type EntityManager } from '@mikro-orm/postgresql';
import { EntryPostedSchema } from '@kontor/contracts/events/v1/entry_events_pb';
import { LEDGER_ENTRIES_TOPIC } from '@kontor/events';
import { cloudEventHeaders } from '@kontor/kafka';
import {
  CLIENT_SOURCES,
  MAX_ENTRIES_PER_BATCH,
  isIsoDate,
  validateEntry,
  type EntryCommand,
  type EntryInput,
  type EntrySource,
} from './domain/entry';
import { EntryError, EntryErrorCode } from './domain/entry.errors';
import { PostCoalescer } from './post-coalescer';
import { planPosting, type AcceptedEntry, type PlannedEntry } from './domain/posting-plan';
import { type PostedEntry } from './domain/posted-entry';
import { findEntryLedger, loadEntries } from './persistence/entries.repository';
import { readLookups } from './persistence/posting.reads';
import { enqueueEvents, writeEntries } from './persistence/posting.writes';
import { encodeEntryPosted } from './transport/entry-posted.encoder';

export interface PostOptions {
  /** Who posts, e.g. `api-key:<keyId>` or `event:payments.events.v1/<event id>`. */
  postedBy: string;
  /**
   * The source every entry gets (`event`, `settlement`, … for in-process callers); an input may
   * leave it unset or name the same. Omitted: inputs choose API (default) or IMPORT.
   */
  source?: EntrySource;
  /**
   * Post inside the caller's transaction (e.g. a Kafka consumer recording its inbox row in the
   * same transaction). Omitted: the call runs its own transaction.
   */
  em?: EntityManager;
}

export type PostResult =
  { ok: true; entry: PostedEntry; replayed: boolean } | { ok: false; error: EntryError };

export interface ReverseRequest {
  ledgerId: string;
  entryId: string;
  idempotencyKey: string;
  /** '' = the original's date. */
  entryDate: string;
  description: string;
}

const notFound = (entryId: string) =>
  new EntryError(EntryErrorCode.ENTRY_NOT_FOUND, `entry ${entryId} not found in this ledger`, {
    fieldViolations: [{ field: 'entry_id', description: 'no such entry in this ledger' }],
  });

/**
 * The posting engine. One transaction per call: lock the ledgers, resolve everything with one
 * query per kind, decide each entry in memory (request order), then write all accepted entries,
 * lines, counters, running totals and EntryPosted events with a few set-based statements.
 * Callable in-process (Kafka consumers) as well as from the gRPC controller.
 */
@Injectable()
export class PostingService {
  private readonly coalescer = new PostCoalescer<PostOptions, PostResult>(
    (tenantId, inputs, options) => this.post(tenantId, inputs, options),
  );

  constructor(private readonly orm: MikroORM) {}

  /**
   * Posts up to 1000 entries; each succeeds (or replays) or is rejected on its own, results in
   * request order. Throws only for a malformed batch (0 or more than 1000 entries).
   */
  async post(
    tenantId: string,
    inputs: readonly EntryInput[],
    options: PostOptions,
  ): Promise<PostResult[]> {
    if (inputs.length === 0 || inputs.length > MAX_ENTRIES_PER_BATCH) {
      throw new EntryError(
        EntryErrorCode.INVALID_BATCH,
        `entries: must hold 1 to ${MAX_ENTRIES_PER_BATCH} entries, got ${inputs.length}`,
        {
          fieldViolations: [
            { field: 'entries', description: `1 to ${MAX_ENTRIES_PER_BATCH} entries` },
          ],
        },
      );
    }
    const allowedSources = options.source ? [options.source] : CLIENT_SOURCES;
    const validated = inputs.map((input) => {
      try {
        return validateEntry(input, { allowedSources });
      } catch (error) {
        if (error instanceof EntryError) return error;
        throw error;
      }
    });

    return this.postValidated(tenantId, validated, options.postedBy, options.em);
  }

  /** Posts one entry; a rejection is thrown as its EntryError. */
  async postOne(
    tenantId: string,
    input: EntryInput,
    options: PostOptions,
  ): Promise<{ entry: PostedEntry; replayed: boolean }> {
    // Inside a caller's transaction there is nothing to share; otherwise commit with company.
    const result = options.em
      ? (await this.post(tenantId, [input], options))[0]
      : await this.coalescer.post(tenantId, input, options);
    if (!result.ok) throw result.error;

    return result;
  }

  /**
   * Posts the reversal of an entry: every line on the other side, in the original's journal
   * symbol (of the fiscal year of the reversal date), source REVERSAL. Idempotent by key; an
   * entry is reversed at most once (ALREADY_REVERSED). A reversal may itself be reversed (that
   * reinstates the original effect), once.
   */
  async reverse(
    tenantId: string,
    request: ReverseRequest,
    postedBy: string,
  ): Promise<{ entry: PostedEntry; replayed: boolean }> {
    if (request.entryDate !== '' && !isIsoDate(request.entryDate)) {
      throw new EntryError(
        EntryErrorCode.INVALID_ENTRY,
        `entry_date: must be a real date "YYYY-MM-DD"`,
        {
          fieldViolations: [
            { field: 'entry_date', description: 'must be a real date "YYYY-MM-DD"' },
          ],
        },
      );
    }
    const original = (await loadEntries(this.orm.em.fork(), tenantId, [request.entryId])).get(
      request.entryId,
    );
    if (!original || original.ledgerId !== request.ledgerId) throw notFound(request.entryId);
    const input: EntryInput = {
      idempotencyKey: request.idempotencyKey,
      ledgerId: original.ledgerId,
      journalSymbol: original.journalSymbol,
      entryDate: request.entryDate || original.entryDate,
      transactionType: original.transactionType,
      paymentMethod: original.paymentMethod ?? '',
      reference: original.reference ?? '',
      description:
        request.description ||
        `Reversal of ${original.journalSymbol} #${original.number.toString()} (${original.id})`,
      dueDate: '',
      source: 'reversal',
      lines: original.lines.map((line) => ({
        accountCode: line.accountCode,
        side: line.side === 'debit' ? 'credit' : 'debit',
        amount: line.amount.toString(),
        currency: line.amount.currency.code,
        counterpartyId: line.counterpartyId ?? '',
        product: line.product ?? '',
        orderId: line.orderId ?? '',
        dealId: line.dealId ?? '',
        memo: line.memo ?? '',
      })),
    };
    const command = validateEntry(input, {
      allowedSources: ['reversal'],
      reversesEntryId: original.id,
    });
    const [result] = await this.postValidated(tenantId, [command], postedBy);
    if (!result.ok) throw result.error;

    return result;
  }

  async get(tenantId: string, ledgerId: string, entryId: string): Promise<PostedEntry> {
    const em = this.orm.em.fork();
    const ledger = await findEntryLedger(em, tenantId, entryId);
    if (ledger !== ledgerId) throw notFound(entryId);
    const entry = (await loadEntries(em, tenantId, [entryId])).get(entryId);
    if (!entry) throw notFound(entryId);

    return entry;
  }

  private async postValidated(
    tenantId: string,
    validated: readonly (EntryCommand | EntryError)[],
    postedBy: string,
    outer?: EntityManager,
  ): Promise<PostResult[]> {
    const commands = validated.filter((v): v is EntryCommand => !(v instanceof EntryError));
    const run = (em: EntityManager) => this.postCommands(em, tenantId, commands, postedBy);
    const decided =
      commands.length === 0
        ? []
        : outer?.isInTransaction()
          ? await run(outer)
          : await (outer ?? this.orm.em.fork()).transactional(run);
    let next = 0;

    return validated.map((v) =>
      v instanceof EntryError ? { ok: false, error: v } : decided[next++],
    );
  }

  private async postCommands(
    em: EntityManager,
    tenantId: string,
    commands: readonly EntryCommand[],
    postedBy: string,
  ): Promise<PostResult[]> {
    const postedAt = new Date();
    const lookups = await readLookups(em, { tenantId, commands });
    const plan = planPosting(commands, lookups, randomUUID);
    const accepted = plan.filter((p): p is AcceptedEntry => p.kind === 'accepted');
    const written = writeEntries(em, { tenantId, postedBy, postedAt, accepted });
    written.catch(() => undefined); // awaited below; not "unhandled" while we encode
    // While the database writes, encode the events (CPU): the two overlap.
    const posted = new Map(accepted.map((a) => [a.entryId, toPosted(a, postedBy, postedAt)]));
    const events = await encodeInSlices([...posted.values()], (entry) =>
      entryPostedRow(tenantId, entry),
    );
    await written;
    await enqueueEvents(em, LEDGER_ENTRIES_TOPIC.name, EntryPostedSchema.typeName, events);
    const replayIds = plan.flatMap((p) =>
      p.kind === 'replayed' && !posted.has(p.entryId) ? [p.entryId] : [],
    );
    const replayed = await loadEntries(em, tenantId, replayIds);

    return plan.map((p: PlannedEntry): PostResult => {
      switch (p.kind) {
        case 'accepted':
          return { ok: true, entry: posted.get(p.entryId)!, replayed: false };
        case 'replayed':
          return {
            ok: true,
            entry: (posted.get(p.entryId) ?? replayed.get(p.entryId))!,
            replayed: true,
          };
        case 'rejected':
          return { ok: false, error: p.error };
      }
    });
  }
}

const yieldToEventLoop = () => new Promise<void>((resolve) => setImmediate(resolve));

/**
 * Maps in slices of 100, yielding between them: the write statement's large parameters keep
 * streaming to the database (and its answer can be read) while the CPU encodes.
 */
async function encodeInSlices<T, R>(items: readonly T[], encode: (item: T) => R): Promise<R[]> {
  const out: R[] = [];
  for (let start = 0; start < items.length; start += 100) {
    await yieldToEventLoop();
    for (const item of items.slice(start, start + 100)) out.push(encode(item));
  }

  return out;
}

function toPosted(a: AcceptedEntry, postedBy: string, postedAt: Date): PostedEntry {
  const c = a.command;

  return {
    id: a.entryId,
    ledgerId: c.ledgerId,
    journalSymbol: a.journalSymbol,
    number: a.number,
    ledgerSequence: a.ledgerSequence,
    entryDate: c.entryDate,
    transactionType: c.transactionType,
    paymentMethod: c.paymentMethod,
    reference: c.reference,
    description: c.description,
    dueDate: c.dueDate,
    source: c.source,
    idempotencyKey: c.idempotencyKey,
    postedBy,
    reversesEntryId: c.reversesEntryId,
    postedAt,
    lines: c.lines,
  };
}

/** EntryPosted for the outbox: event id = entry id, key = ledger id (one ledger stays in order). */
function entryPostedRow(tenantId: string, entry: PostedEntry) {
  return {
    eventId: entry.id,
    key: entry.ledgerId,
    payload: encodeEntryPosted(tenantId, entry),
    headers: cloudEventHeaders({
      id: entry.id,
      type: EntryPostedSchema.typeName,
      time: entry.postedAt,
    }),
  };
}
