import { compileDateFormat, parseDate } from './date-format';

const parse = (raw: string, ...formats: string[]) => parseDate(raw, formats.map(compileDateFormat));

describe('date formats', () => {
  it.each([
    ['2026-03-31', 'YYYY-MM-DD', '2026-03-31'],
    ['31.03.2026', 'DD.MM.YYYY', '2026-03-31'],
    ['3/9/2026', 'M/D/YYYY', '2026-03-09'],
    ['09/03/2026', 'DD/MM/YYYY', '2026-03-09'],
    ['20260331', 'YYYYMMDD', '2026-03-31'],
    [' 2026-03-31 ', 'YYYY-MM-DD', '2026-03-31'],
  ])('reads %s as %s', (raw, format, expected) => {
    expect(parse(raw, format)).toBe(expected);
  });

  it('tries the formats in order', () => {
    expect(parse('31.03.2026', 'YYYY-MM-DD', 'DD.MM.YYYY')).toBe('2026-03-31');
  });

  it.each(['2026-02-29', '2026-13-01', '31.04.2026', '2026-3-1', 'yesterday'])(
    'refuses %s (not a real date or not the format)',
    (raw) => {
      expect(parse(raw, 'YYYY-MM-DD', 'DD.MM.YYYY')).toBeUndefined();
    },
  );

  it('accepts 29 February in a leap year', () => {
    expect(parse('2028-02-29', 'YYYY-MM-DD')).toBe('2028-02-29');
  });

  it.each(['YYYY-MM', 'DD.MM.YY', 'YYYY-MM-DD-DD', ''])('refuses the pattern %p', (format) => {
    expect(compileDateFormat(format).problem).toBeDefined();
  });
});
