import { DomainError, FieldViolations, quoteInput, requireUuid } from './domain-error';

class SampleError extends DomainError<'BAD_NAME'> {}

describe(DomainError.name, () => {
  it('carries its code, message, field violations and concrete class name', () => {
    const sut = new SampleError('BAD_NAME', 'name is empty', {
      fieldViolations: [{ field: 'name', description: 'must not be empty' }],
    });
    expect(sut).toBeInstanceOf(Error);
    expect(sut.name).toBe('SampleError');
    expect(sut.code).toBe('BAD_NAME');
    expect(sut.reason).toBe('BAD_NAME');
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

describe(requireUuid.name, () => {
  it('lower-cases a valid UUID', () => {
    expect(requireUuid('id', 'A0EEBC99-9C0B-4EF8-BB6D-6BB9BD380A11')).toBe(
      'a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11',
    );
  });

  it('rejects anything else as INVALID_ARGUMENT naming the field', () => {
    let caught: unknown;
    try {
      requireUuid('ledger_id', 'abc');
    } catch (error) {
      caught = error;
    }
    expect(caught).toMatchObject({
      code: 'INVALID_ARGUMENT',
      fieldViolations: [{ field: 'ledger_id', description: 'must be a UUID, got "abc"' }],
    });
  });
});

describe(quoteInput.name, () => {
  it('quotes short input whole', () => {
    expect(quoteInput('EURO')).toBe('"EURO"');
  });

  it('cuts long input at 40 code points and says how long it was', () => {
    expect(quoteInput('€'.repeat(10_000))).toBe(`"${'€'.repeat(40)}…" (10000 characters)`);
  });
});
