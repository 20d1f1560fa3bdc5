import { Injectable } from '@nestjs/common';
import { MikroORM } from '@mikro-orm/postgresql';
import { type MessageInitShape } from '@bufbuild/protobuf';
import {
  type GetProfitSharingReportResponseSchema,
  type ProfitSharingRowSchema,
  SettlementStatus,
} from '@kontor/contracts/deals/v1/deal_service_pb';
import { InvalidArgumentError } from '@kontor/errors';
import { Money } from '@kontor/money';
import { parseDate } from './domain/period';
import { dealNotFound } from './deals.service';
import { type DealRecord, listDeals, loadDeal } from './persistence/deals.repository';
import { SettlementsService } from './settlements.service';
import { moneyMessage, roleToProto } from './transport/deal.proto-mapper';

/** At most this many deals go into one organization's report. */
const MAX_REPORT_DEALS = 500;

export interface ReportQuery {
  dealId: string | null;
  organizationId: string | null;
  fromDate: string;
  toDate: string;
}

type ReportResponse = MessageInitShape<typeof GetProfitSharingReportResponseSchema>;

/**
 * Profit-sharing report: every payee's share per deal and period between two dates, finalized
 * where finalized and previewed otherwise, with totals per organization and currency.
 */
@Injectable()
export class ProfitSharingService {
  constructor(
    private readonly orm: MikroORM,
    private readonly settlements: SettlementsService,
  ) {}

  async report(tenantId: string, query: ReportQuery): Promise<ReportResponse> {
    for (const [field, value] of [
      ['from_date', query.fromDate],
      ['to_date', query.toDate],
    ] as const) {
      if (!parseDate(value))
        throw new InvalidArgumentError(field, `must be a date "YYYY-MM-DD", got "${value}"`);
    }
    if (query.fromDate > query.toDate)
      throw new InvalidArgumentError('to_date', 'is before from_date');
    if (!query.dealId && !query.organizationId) {
      throw new InvalidArgumentError('deal_id', 'give a deal_id, an organization_id or both');
    }
    const em = this.orm.em.fork();
    let deals: DealRecord[];
    if (query.dealId) {
      const deal = await loadDeal(em, tenantId, query.dealId);
      if (!deal) throw dealNotFound(query.dealId);
      deals = [deal];
    } else {
      deals = await listDeals(em, tenantId, query.organizationId, null, MAX_REPORT_DEALS);
    }
    const rows: MessageInitShape<typeof ProfitSharingRowSchema>[] = [];
    const totals = new Map<string, { organizationId: string; received: Money; paid: Money }>();
    const total = (organizationId: string, currency: string) => {
      const key = `${organizationId}|${currency}`;
      let found = totals.get(key);
      if (!found) {
        found = { organizationId, received: Money.zero(currency), paid: Money.zero(currency) };
        totals.set(key, found);
      }

      return found;
    };
    for (const deal of deals) {
      for (const settlement of await this.settlements.periodsOf(
        em,
        deal,
        query.fromDate,
        query.toDate,
      )) {
        const status = settlement.stored ? SettlementStatus.FINALIZED : SettlementStatus.PREVIEW;
        const payer = total(deal.payerOrganizationId, deal.currency);
        payer.paid = payer.paid.plus(settlement.result.total);
        for (const party of settlement.result.parties) {
          if (
            query.organizationId &&
            query.dealId === null &&
            ![party.organizationId, deal.payerOrganizationId].includes(query.organizationId)
          ) {
            continue;
          }
          const payee = total(party.organizationId, deal.currency);
          payee.received = payee.received.plus(party.amount);
          rows.push({
            dealId: deal.id,
            dealName: deal.name,
            payerOrganizationId: deal.payerOrganizationId,
            periodStart: settlement.period.start,
            periodLabel: settlement.period.label,
            status,
            organizationId: party.organizationId,
            role: roleToProto(party.role),
            basisAmount: moneyMessage(settlement.result.basisAmount),
            total: moneyMessage(settlement.result.total),
            amount: moneyMessage(party.amount),
          });
        }
      }
    }

    return {
      rows,
      totals: [...totals.values()]
        .filter((item) => !query.organizationId || item.organizationId === query.organizationId)
        .map((item) => ({
          organizationId: item.organizationId,
          received: moneyMessage(item.received),
          paid: moneyMessage(item.paid),
        })),
    };
  }
}
