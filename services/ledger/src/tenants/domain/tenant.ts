import { FieldViolations } from '@kontor/errors';
import { TenantError, TenantErrorCode } from './tenant.errors';

export interface NewTenant {
  slug: string;
  name: string;
}

const SLUG = /^[a-z0-9](?:[a-z0-9-]{1,61}[a-z0-9])$/;
const NAME_LENGTH_MAX = 200;
const LABEL_LENGTH_MAX = 100;

export function validateNewTenant(input: NewTenant): NewTenant {
  const violations = new FieldViolations();
  const slug = input.slug.trim();
  if (!SLUG.test(slug)) {
    violations.add(
      'slug',
      '3-63 lowercase letters, digits or dashes, not starting or ending with a dash',
    );
  }
  const name = input.name.trim();
  if (name.length === 0 || name.length > NAME_LENGTH_MAX) {
    violations.add('name', `must be 1-${NAME_LENGTH_MAX} characters, got ${name.length}`);
  }
  if (!violations.isEmpty) {
    throw new TenantError(
      TenantErrorCode.INVALID_TENANT,
      `invalid tenant: ${violations.summary()}`,
      { fieldViolations: violations.all },
    );
  }

  return { slug, name };
}

export function validateApiKeyLabel(label: string): string {
  const trimmed = label.trim();
  if (trimmed.length === 0 || trimmed.length > LABEL_LENGTH_MAX) {
    throw new TenantError(
      TenantErrorCode.INVALID_API_KEY_LABEL,
      `label must be 1-${LABEL_LENGTH_MAX} characters saying what the key is for, e.g. "billing-service"`,
      {
        fieldViolations: [
          { field: 'label', description: `must be 1-${LABEL_LENGTH_MAX} characters` },
        ],
      },
    );
  }

  return trimmed;
}
