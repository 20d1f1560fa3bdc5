import { Controller } from '@nestjs/common';
import { Payload } from '@nestjs/microservices';
import { LedgerService } from '@kontor/contracts/ledger/v1/ledger_service_pb';
import { TenantService } from '@kontor/contracts/ledger/v1/tenant_service_pb';
import { GrpcMethod, type GrpcMicroservice, type TenantCallContext } from '../src';
import { FakeLedgerController, FakeTenantController } from './support/fake-ledger';
import { createTestApp } from './support/test-app';

describe('binding handlers at startup', () => {
  let created: GrpcMicroservice | undefined;

  afterEach(async () => {
    await created?.app.close();
    created = undefined;
  });

  it('refuses to start when an rpc of a served service has no handler', async () => {
    created = await createTestApp({
      controllers: [FakeLedgerController],
      services: [LedgerService, TenantService],
    });
    const listening = created.app.listen();
    await expect(listening).rejects.toThrow(
      "kontor.ledger.v1.TenantService.CreateTenant has no handler: add @GrpcMethod(TenantService, 'createTenant')",
    );
    await expect(listening).rejects.toThrow(
      'kontor.ledger.v1.TenantService.RevokeApiKey has no handler',
    );
    expect(created.server.boundPort).toBeUndefined();
  });

  it('fails as soon as a class binds a handler to an rpc the descriptor does not declare', () => {
    expect(() => {
      @Controller()
      class TypoController {
        // @ts-expect-error: the compiler refuses the typo too; this proves the runtime check.
        @GrpcMethod(LedgerService, 'getLedgr')
        getLedger(): void {}
      }
      return TypoController;
    }).toThrow(
      "@GrpcMethod on TypoController.getLedger: kontor.ledger.v1.LedgerService has no rpc 'getLedgr' (it has: createLedger, getLedger, listLedgers)",
    );
  });

  it('refuses to start when a handler is bound to a service this server does not serve', async () => {
    created = await createTestApp({
      controllers: [FakeLedgerController, FakeTenantController],
      services: [LedgerService],
    });
    await expect(created.app.listen()).rejects.toThrow(
      'FakeTenantController.createTenant handles /kontor.ledger.v1.TenantService/CreateTenant, which this server does not serve',
    );
  });

  it('refuses to start when two handlers claim the same rpc', async () => {
    @Controller()
    class SecondLedgerController {
      @GrpcMethod(LedgerService, 'listLedgers')
      listLedgers(_req: unknown, _ctx: TenantCallContext) {
        return { ledgers: [] };
      }
    }
    created = await createTestApp({
      controllers: [FakeLedgerController, SecondLedgerController],
      services: [LedgerService],
    });
    await expect(created.app.listen()).rejects.toThrow(
      'both handle /kontor.ledger.v1.LedgerService/ListLedgers',
    );
  });

  it('refuses a handler that uses Nest parameter decorators, which could drop the call context', () => {
    expect(() => {
      @Controller()
      class DecoratedController {
        @GrpcMethod(LedgerService, 'listLedgers')
        listLedgers(@Payload() _req: unknown) {
          return { ledgers: [] };
        }
      }
      return DecoratedController;
    }).toThrow('remove the parameter decorators');
  });
});
