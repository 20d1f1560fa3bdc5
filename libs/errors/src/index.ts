export {
  DomainError,
  FieldViolations,
  InvalidArgumentError,
  quoteInput,
  requireUuid,
  type DomainErrorOptions,
  type FieldViolation,
} from './domain-error';
