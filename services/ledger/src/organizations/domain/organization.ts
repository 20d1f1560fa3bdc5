import { FieldViolations } from '@kontor/errors';
import { OrganizationError, OrganizationErrorCode } from './organization.errors';

export const ORGANIZATION_KINDS = [
  'vendor',
  'customer',
  'supplier',
  'partner',
  'operator',
] as const;
export type OrganizationKind = (typeof ORGANIZATION_KINDS)[number];

export interface NewOrganization {
  externalId: string;
  /** Undefined when the caller did not say. */
  kind: OrganizationKind | undefined;
  name: string;
}

export interface ValidOrganization {
  externalId: string;
  kind: OrganizationKind;
  name: string;
}

const TEXT_LENGTH_MAX = 200;

/** Counts code points, so a name of 200 emoji is as long as a name of 200 letters. */
export function textLength(text: string): number {
  return [...text].length;
}

/** Validates an organization to create (trimmed); INVALID_ORGANIZATION lists every bad field. */
export function validateNewOrganization(input: NewOrganization): ValidOrganization {
  const violations = new FieldViolations();
  const externalId = input.externalId.trim();
  const externalIdLength = textLength(externalId);
  if (externalIdLength === 0 || externalIdLength > TEXT_LENGTH_MAX) {
    violations.add(
      'external_id',
      `must be 1-${TEXT_LENGTH_MAX} characters, got ${externalIdLength}`,
    );
  }
  if (input.kind === undefined) {
    violations.add('kind', `is required: one of ${ORGANIZATION_KINDS.join(', ')}`);
  }
  const name = input.name.trim();
  const nameLength = textLength(name);
  if (nameLength === 0 || nameLength > TEXT_LENGTH_MAX) {
    violations.add('name', `must be 1-${TEXT_LENGTH_MAX} characters, got ${nameLength}`);
  }
  if (!violations.isEmpty || input.kind === undefined) {
    throw new OrganizationError(
      OrganizationErrorCode.INVALID_ORGANIZATION,
      `invalid organization: ${violations.summary()}`,
      { fieldViolations: violations.all },
    );
  }

  return { externalId, kind: input.kind, name };
}
