import { Module } from '@nestjs/common';
import { DealsService } from './deals.service';
import { ProfitSharingService } from './profit-sharing.service';
import { SettlementsService } from './settlements.service';
import { DealsGrpcController } from './transport/deals.grpc-controller';

/** Deals, versions, settlements and reports over gRPC `kontor.deals.v1`. */
@Module({
  controllers: [DealsGrpcController],
  providers: [DealsService, SettlementsService, ProfitSharingService],
})
export class SettlementsModule {}
