import { type Type } from '@nestjs/common';
import { type DescService } from '@bufbuild/protobuf';
import { type DomainErrorMapping } from '@kontor/grpc';

/**
 * A slice of the ledger service (tenants, ledgers, entries, …): its Nest module, the gRPC
 * services it serves, how its domain errors map to status codes, and its ORM entities. main.ts
 * and app.module.ts assemble the features, so adding one touches only its own folder and
 * features.ts.
 */
export interface LedgerFeature {
  module: Type<unknown>;
  services: readonly DescService[];
  errors: readonly DomainErrorMapping[];
  entities: readonly Type<unknown>[];
}
