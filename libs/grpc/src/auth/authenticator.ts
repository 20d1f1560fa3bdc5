import { createHash } from 'node:crypto';
import { Logger } from '@nestjs/common';
import { status, type Metadata } from '@grpc/grpc-js';
import { type Access, type Caller } from '../call-context';
import { GrpcStatusError } from '../errors/grpc-status-error';
import { API_KEY_FORMAT, hashSecret, parseApiKey, secretDigestsEqual } from './api-key';
import { type ApiKeyVerifier } from './api-key-verifier';

export const AUTH_ERROR_DOMAIN = 'auth.kontor';
// Shorter admin tokens are rejected at startup: they could be guessed.
export const ADMIN_TOKEN_MIN_LENGTH = 32;

export interface AuthOptions {
  readonly verifier: ApiKeyVerifier;
  // The platform admin credential (plain token from config); without it admin rpcs refuse all.
  readonly adminToken?: string;
  // A secret shared by Kontor's own services (INTERNAL_SERVICE_TOKEN): a call bearing it acts
  // for the tenant named in `kontor-tenant-id` metadata, as the service in `kontor-service`.
  // Without it, no call can act as a service.
  readonly internalServiceToken?: string;
}

// Metadata of a service-to-service call (see AuthOptions.internalServiceToken).
export const TENANT_ID_METADATA = 'kontor-tenant-id';
export const SERVICE_METADATA = 'kontor-service';
const UUID_PATTERN = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const SERVICE_NAME_PATTERN = /^[a-z][a-z0-9-]{0,39}$/;

const BEARER_PATTERN = /^Bearer ([\x21-\x7e]+)$/i;
const EXPECTED = `expected metadata 'authorization: Bearer <token>' with a tenant API key (${API_KEY_FORMAT})`;

function unauthenticated(reason: string, message: string): GrpcStatusError {
  return new GrpcStatusError(status.UNAUTHENTICATED, message, {
    reason,
    domain: AUTH_ERROR_DOMAIN,
  });
}

function permissionDenied(reason: string, message: string): GrpcStatusError {
  return new GrpcStatusError(status.PERMISSION_DENIED, message, {
    reason,
    domain: AUTH_ERROR_DOMAIN,
  });
}

function sha256(text: string): Buffer {
  return createHash('sha256').update(text, 'utf8').digest();
}

function singleValue(metadata: Metadata, key: string): string | undefined {
  const values = metadata.get(key);

  return values.length === 1 ? String(values[0]) : undefined;
}

// A Kontor service acting for one tenant: a TenantCaller whose keyId names the service.
function serviceCaller(metadata: Metadata, access: Access, rpc: string): Caller {
  if (access === 'admin') {
    throw permissionDenied(
      'ADMIN_ONLY',
      `${rpc} is reserved for the platform admin credential; services cannot call it`,
    );
  }
  const tenantId = singleValue(metadata, TENANT_ID_METADATA);
  const service = singleValue(metadata, SERVICE_METADATA);
  if (tenantId === undefined || !UUID_PATTERN.test(tenantId)) {
    throw unauthenticated(
      'SERVICE_TENANT_MISSING',
      `a service call must name its tenant: metadata '${TENANT_ID_METADATA}: <tenant uuid>'`,
    );
  }
  if (service === undefined || !SERVICE_NAME_PATTERN.test(service)) {
    throw unauthenticated(
      'SERVICE_NAME_MISSING',
      `a service call must name its service: metadata '${SERVICE_METADATA}: <name>' (lowercase)`,
    );
  }

  return { kind: 'tenant', tenantId: tenantId.toLowerCase(), keyId: `service:${service}` };
}

// Decides who is calling an rpc from its `authorization` metadata, or throws a GrpcStatusError:
// UNAUTHENTICATED for missing, garbled, unknown or revoked credentials; PERMISSION_DENIED for a
// valid credential of the wrong kind (tenant key on an admin rpc, admin token on a tenant rpc).
export class Authenticator {
  private readonly logger = new Logger('GrpcAuth');
  private readonly adminDigest: Buffer | undefined;
  private readonly serviceDigest: Buffer | undefined;

  constructor(private readonly options: AuthOptions) {
    const { adminToken, internalServiceToken } = options;
    if (adminToken !== undefined && adminToken.length < ADMIN_TOKEN_MIN_LENGTH) {
      throw new Error(`admin token must have at least ${ADMIN_TOKEN_MIN_LENGTH} characters`);
    }
    if (internalServiceToken !== undefined) {
      if (internalServiceToken.length < ADMIN_TOKEN_MIN_LENGTH) {
        throw new Error(
          `internal service token must have at least ${ADMIN_TOKEN_MIN_LENGTH} characters`,
        );
      }
      if (internalServiceToken === adminToken) {
        throw new Error('the internal service token must differ from the admin token');
      }
    }
    this.adminDigest = adminToken === undefined ? undefined : sha256(adminToken);
    this.serviceDigest =
      internalServiceToken === undefined ? undefined : sha256(internalServiceToken);
  }

  async authenticate(metadata: Metadata, access: Access, rpc: string): Promise<Caller> {
    if (access === 'public') return { kind: 'anonymous' };
    const token = this.bearerToken(metadata);
    // Digests have a fixed length, so the comparison time says nothing about the admin token.
    const isAdmin =
      this.adminDigest !== undefined && secretDigestsEqual(sha256(token), this.adminDigest);
    if (isAdmin) {
      if (access === 'admin') return { kind: 'admin' };
      throw permissionDenied(
        'TENANT_KEY_REQUIRED',
        `${rpc} acts on a tenant's data: call it with that tenant's API key, not the admin credential`,
      );
    }
    const isService =
      this.serviceDigest !== undefined && secretDigestsEqual(sha256(token), this.serviceDigest);
    if (isService) return serviceCaller(metadata, access, rpc);
    const parsed = parseApiKey(token);
    if (parsed === null) {
      throw unauthenticated('CREDENTIALS_MALFORMED', `malformed API key: ${EXPECTED}`);
    }
    const verified = await this.verify(parsed.keyId, hashSecret(parsed.secret));
    if (verified === null) {
      throw unauthenticated('API_KEY_INVALID', `API key ${parsed.keyId} is unknown or revoked`);
    }
    if (access === 'admin') {
      throw permissionDenied(
        'ADMIN_ONLY',
        `${rpc} is reserved for the platform admin credential; tenant API keys cannot call it`,
      );
    }
    return { kind: 'tenant', tenantId: verified.tenantId, keyId: parsed.keyId };
  }

  private bearerToken(metadata: Metadata): string {
    const values = metadata.get('authorization');
    if (values.length === 0) {
      throw unauthenticated('CREDENTIALS_MISSING', `missing credentials: ${EXPECTED}`);
    }
    const match = values.length === 1 ? BEARER_PATTERN.exec(String(values[0])) : null;
    if (match === null) {
      throw unauthenticated(
        'CREDENTIALS_MALFORMED',
        `malformed authorization metadata: ${EXPECTED}`,
      );
    }
    return match[1];
  }

  private async verify(keyId: string, secretSha256: Buffer) {
    try {
      return await this.options.verifier.verify(keyId, secretSha256);
    } catch (error) {
      this.logger.error(`API key verification failed for key ${keyId}`, error);
      // A verifier outage is not the caller's fault: let clients retry instead of re-keying.
      throw new GrpcStatusError(status.UNAVAILABLE, 'cannot verify credentials right now; retry', {
        reason: 'CREDENTIALS_UNVERIFIABLE',
        domain: AUTH_ERROR_DOMAIN,
      });
    }
  }
}
