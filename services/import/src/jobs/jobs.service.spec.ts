import { csvLine } from './jobs.service';

describe('csvLine', () => {
  it('quotes only the fields that need it, doubling quotes', () => {
    expect(csvLine(['a', 'b,c', 'say "hi"', 'two\nlines', ''], ',')).toBe(
      'a,"b,c","say ""hi""","two\nlines",\n',
    );
    expect(csvLine(['1,5', 'x;y'], ';')).toBe('1,5;"x;y"\n');
  });
});
