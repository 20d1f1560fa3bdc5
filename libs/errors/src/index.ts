export {
  DomainError,
  FieldViolations,
  InvalidArgumentError,
  requireUuid,
  type DomainErrorOptions,
  type FieldViolation,
} from './domain-error';
