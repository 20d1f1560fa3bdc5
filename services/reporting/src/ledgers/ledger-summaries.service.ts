import { Injectable } from '@nestjs/common';
import { type EntityManager, MikroORM } from '@mikro-orm/postgresql';
import { timestampDate } from '@bufbuild/protobuf/wkt';
import { type LedgerCreated } from '@kontor/contracts/events/v1/ledger_events_pb';
import { afterPosition, decodePageToken, toPage } from '@kontor/db';
import { LedgerSummaryEntity } from './persistence/ledger-summary.entity';

export interface LedgerSummaryPage {
  ledgers: LedgerSummaryEntity[];
  nextPageToken: string;
}

@Injectable()
export class LedgerSummariesService {
  constructor(private readonly orm: MikroORM) {}

  /** Applies LedgerCreated inside the consumer's transaction; a replay is a no-op. */
  async applyLedgerCreated(em: EntityManager, event: LedgerCreated): Promise<void> {
    await em.upsert(
      LedgerSummaryEntity,
      {
        id: event.ledgerId,
        tenantId: event.tenantId,
        name: event.name,
        baseCurrency: event.baseCurrency,
        createdAt: event.createTime ? timestampDate(event.createTime) : new Date(),
      },
      { onConflictAction: 'ignore' },
    );
  }

  async list(tenantId: string, size: number, pageToken: string): Promise<LedgerSummaryPage> {
    const rows = await this.orm.em
      .fork()
      .find(
        LedgerSummaryEntity,
        { tenantId, ...afterPosition(decodePageToken(pageToken)) },
        { orderBy: { createdAt: 'asc', id: 'asc' }, limit: size + 1 },
      );
    const page = toPage(rows, size);

    return { ledgers: page.rows, nextPageToken: page.nextPageToken };
  }
}
