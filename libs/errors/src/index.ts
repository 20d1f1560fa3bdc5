export { DomainError, FieldViolations, type FieldViolation } from './domain-error';
