import { type AccountSpec } from './account';

/**
 * The chart a ledger gets with create_default_chart: enough for a marketplace or a service
 * business to take payments, invoice, settle vendors and pay fees. Pure data.
 */
export const DEFAULT_CHART: readonly AccountSpec[] = [
  { code: '1000', name: 'Cash', type: 'asset', balanceLimit: 'no_negative' },
  { code: '1100', name: 'Bank', type: 'asset' },
  { code: '1200', name: 'Accounts receivable', type: 'asset', role: 'receivable' },
  { code: '1300', name: 'Payment clearing', type: 'asset', role: 'clearing' },
  { code: '2000', name: 'Accounts payable', type: 'liability', role: 'payable' },
  { code: '2100', name: 'Tax payable', type: 'liability', role: 'tax' },
  { code: '2200', name: 'Customer deposits', type: 'liability' },
  { code: '3000', name: 'Equity', type: 'equity' },
  { code: '4000', name: 'Sales revenue', type: 'revenue' },
  { code: '4100', name: 'Marketplace fee revenue', type: 'revenue' },
  { code: '5000', name: 'Cost of sales', type: 'expense' },
  { code: '5100', name: 'Payment processing fees', type: 'expense' },
];
