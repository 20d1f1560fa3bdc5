import { type Metadata } from '@grpc/grpc-js';

// Who may call an rpc. Tenant-scoped is the default: the handler then always knows the tenant.
// Health and reflection are public by construction (they never reach this transport's auth).
export type Access = 'public' | 'tenant' | 'admin';

export interface TenantCaller {
  readonly kind: 'tenant';
  readonly tenantId: string;
  readonly keyId: string;
}

// The platform admin credential: acts for the platform, not for any tenant.
export interface AdminCaller {
  readonly kind: 'admin';
}

export interface AnonymousCaller {
  readonly kind: 'anonymous';
}

export type Caller = TenantCaller | AdminCaller | AnonymousCaller;

export type CallerFor<A extends Access> = {
  public: AnonymousCaller;
  tenant: TenantCaller;
  admin: AdminCaller;
}[A];

// What a handler knows about its call besides the request message.
export interface GrpcCallContext<C extends Caller = Caller> {
  readonly caller: C;
  // Fully qualified service name, e.g. "kontor.ledger.v1.LedgerService".
  readonly service: string;
  // Rpc name as declared in the proto, e.g. "CreateLedger".
  readonly rpc: string;
  readonly metadata: Metadata;
  readonly peer: string;
  // When the client stops waiting; undefined when it set no deadline.
  readonly deadline: Date | undefined;
  // Aborted when the client cancels or the deadline passes: pass it to I/O to stop wasted work.
  readonly signal: AbortSignal;
  // Milliseconds until the deadline (Infinity without one, 0 once passed); use it to bound
  // downstream calls, e.g. createClient(...).getLedger(req, { deadline: ctx.deadline }).
  remainingMs(): number;
}

export type TenantCallContext = GrpcCallContext<TenantCaller>;
export type AdminCallContext = GrpcCallContext<AdminCaller>;
export type PublicCallContext = GrpcCallContext<AnonymousCaller>;
