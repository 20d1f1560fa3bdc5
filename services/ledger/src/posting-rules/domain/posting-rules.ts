// Which accounts and journals automatic postings use. Every ledger gets the defaults, which match
// the default chart of accounts; a ledger may override any of them.
export interface PostingAccounts {
  /** Money in transit from the payment provider (debited on capture). */
  clearing: string;
  /** What customers owe; every line on it names the customer. */
  receivable: string;
  /** Sales revenue, one credit line per product. */
  revenue: string;
  /** Tax collected and owed. */
  tax: string;
  /** Marketplace fees the vendor pays the operator. */
  marketplaceFees: string;
  /** Fees the payment provider charges for a chargeback. */
  chargebackFees: string;
}

export interface PostingJournals {
  /** Captures, refunds and chargebacks. */
  payments: string;
  /** Invoices, credit notes and the sale side of captured orders. */
  sales: string;
}

export interface PostingRules {
  accounts: PostingAccounts;
  journals: PostingJournals;
}

export const DEFAULT_POSTING_RULES: PostingRules = {
  accounts: {
    clearing: '1300',
    receivable: '1200',
    revenue: '4000',
    tax: '2100',
    marketplaceFees: '5100',
    chargebackFees: '5100',
  },
  journals: { payments: 'BANK', sales: 'SALES' },
};

export type PostingRulesChange = {
  accounts?: Partial<PostingAccounts>;
  journals?: Partial<PostingJournals>;
};

/** The settings actually given: empty or missing values mean "unchanged". */
export function givenSettings<T extends object>(values: Partial<T> | undefined): Partial<T> {
  return Object.fromEntries(
    Object.entries(values ?? {}).filter(([, value]) => typeof value === 'string' && value !== ''),
  ) as Partial<T>;
}

/** `base` (the defaults unless given) overlaid with the settings given in `own`. */
export function effectiveRules(
  own: PostingRulesChange,
  base: PostingRules = DEFAULT_POSTING_RULES,
): PostingRules {
  return {
    accounts: { ...base.accounts, ...givenSettings(own.accounts) },
    journals: { ...base.journals, ...givenSettings(own.journals) },
  };
}
