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
}

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

// Decides who is calling an rpc from its `authorization` metadata, or throws a GrpcStatusError:
// UNAUTHENTICATED for missing, garbled, unknown or revoked credentials; PERMISSION_DENIED for a
// valid credential of the wrong kind (tenant key on an admin rpc, admin token on a tenant rpc).
export class Authenticator {
  private readonly logger = new Logger('GrpcAuth');
  private readonly adminDigest: Buffer | undefined;

  constructor(private readonly options: AuthOptions) {
    const { adminToken } = options;
    if (adminToken !== undefined && adminToken.length < ADMIN_TOKEN_MIN_LENGTH) {
      throw new Error(`admin token must have at least ${ADMIN_TOKEN_MIN_LENGTH} characters`);
    }
    this.adminDigest = adminToken === undefined ? undefined : sha256(adminToken);
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
