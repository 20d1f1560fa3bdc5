import { LedgerService } from '@kontor/contracts/ledger/v1/ledger_service_pb';
import { TenantService } from '@kontor/contracts/ledger/v1/tenant_service_pb';
import { PATTERN_EXTRAS_METADATA, PATTERN_METADATA } from '@nestjs/microservices/constants';
import { type AdminCallContext, type TenantCallContext } from '../call-context';
import { GRPC_BINDING, GrpcMethod } from './grpc-method.decorator';

describe(GrpcMethod.name, () => {
  it('registers the rpc path as the pattern and the access as a binding', () => {
    class TenantsController {
      @GrpcMethod(TenantService, 'createTenant', { access: 'admin' })
      createTenant(_req: unknown, _ctx: AdminCallContext) {
        return {};
      }
    }
    const handler = TenantsController.prototype.createTenant;
    expect(Reflect.getMetadata(PATTERN_METADATA, handler)).toEqual([
      '/kontor.ledger.v1.TenantService/CreateTenant',
    ]);
    expect(Reflect.getMetadata(PATTERN_EXTRAS_METADATA, handler)).toEqual({
      [GRPC_BINDING]: {
        serviceTypeName: 'kontor.ledger.v1.TenantService',
        rpcLocalName: 'createTenant',
        access: 'admin',
        handlerName: 'TenantsController.createTenant',
      },
    });
  });

  it('makes the compiler check rpc names, message types and caller kinds', () => {
    // Never called: the @ts-expect-error lines are the assertions, checked by the typecheck target.
    function compileOnly() {
      class Checked {
        // @ts-expect-error: no such rpc.
        @GrpcMethod(LedgerService, 'deleteLedger')
        deleteLedger() {}

        // @ts-expect-error: a tenant-scoped rpc gets a tenant caller, not the admin.
        @GrpcMethod(LedgerService, 'listLedgers')
        listLedgers(_req: unknown, _ctx: AdminCallContext) {
          return {};
        }

        // @ts-expect-error: the response must be a GetLedgerResponse init, not a string.
        @GrpcMethod(LedgerService, 'getLedger')
        getLedger(_req: unknown, _ctx: TenantCallContext) {
          return 'ledger';
        }
      }
      return Checked;
    }
    expect(compileOnly).toBeDefined();
  });
});
