import { DomainError, FieldViolations } from './domain-error';

class SampleError extends DomainError<'BAD_NAME'> {
  readonly domain = 'kontor.sample';
}

describe(DomainError.name, () => {
  it('carries its code, message, field violations and concrete class name', () => {
    const sut = new SampleError('BAD_NAME', 'name is empty', [
      { field: 'name', description: 'must not be empty' },
    ]);
    expect(sut).toBeInstanceOf(Error);
    expect(sut.name).toBe('SampleError');
    expect(sut.code).toBe('BAD_NAME');
    expect(sut.domain).toBe('kontor.sample');
    expect(sut.fieldViolations).toEqual([{ field: 'name', description: 'must not be empty' }]);
  });
});

describe(FieldViolations.name, () => {
  it('summarizes every collected violation in order', () => {
    const sut = new FieldViolations().add('name', 'must not be empty').add('currency', 'unknown');
    expect(sut.isEmpty).toBe(false);
    expect(sut.summary()).toBe('name: must not be empty; currency: unknown');
  });
});
