import { DEFAULT_POSTING_RULES, effectiveRules } from './posting-rules';

describe(effectiveRules.name, () => {
  it('is the defaults for a ledger without settings', () => {
    expect(effectiveRules({})).toEqual(DEFAULT_POSTING_RULES);
  });

  it('overlays only the non-empty settings', () => {
    const rules = effectiveRules({
      accounts: { revenue: '4010', tax: '' },
      journals: { sales: 'SHOP' },
    });

    expect(rules.accounts).toEqual({ ...DEFAULT_POSTING_RULES.accounts, revenue: '4010' });
    expect(rules.journals).toEqual({ payments: 'BANK', sales: 'SHOP' });
  });

  it('keeps the current value of a setting left empty in a change', () => {
    const current = effectiveRules({ accounts: { revenue: '4010' } });
    const rules = effectiveRules({ accounts: { revenue: '', tax: '2110' } }, current);

    expect(rules.accounts).toMatchObject({ revenue: '4010', tax: '2110' });
  });
});
