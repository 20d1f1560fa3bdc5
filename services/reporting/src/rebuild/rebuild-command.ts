import { MikroORM } from '@mikro-orm/postgresql';
import { z } from 'zod';
import { ConfigError, kafkaBrokers, loadConfig, postgresUrl } from '@kontor/config';
import { migrateUp } from '@kontor/db';
import { createKafka, nestLogger } from '@kontor/kafka';
import { ormOptions } from '@kontor/service-kit';
import { REPORTING_ENTITIES } from '../database/entities';
import { REPORTING_MIGRATIONS } from '../database/migrations';
import { LedgerSummariesService } from '../ledgers/ledger-summaries.service';
import { ProfitSharingService } from '../profit-sharing/profit-sharing.service';
import { ReadModelService } from '../read-model/read-model.service';
import { rebuildReadModels, RebuildSupersededError } from './rebuild';

const EXIT_CONFIG = 78;
// sysexits EX_TEMPFAIL: run it again once the other rebuild is done.
const EXIT_TEMPFAIL = 75;

/**
 * `node main.js rebuild`: rebuilds the read models from the topics' beginning into a new version
 * and swaps it in, while the service keeps serving (and feeding the new version) meanwhile.
 */
export async function runRebuildCommand(): Promise<void> {
  let env: { DATABASE_URL: string; KAFKA_BROKERS: string[] };
  try {
    env = loadConfig(
      'reporting',
      z.object({ DATABASE_URL: postgresUrl, KAFKA_BROKERS: kafkaBrokers }),
    );
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    console.error(error.message);
    process.exitCode = EXIT_CONFIG;

    return;
  }
  const logger = nestLogger('Rebuild');
  const orm = await MikroORM.init(
    ormOptions({
      service: 'reporting',
      databaseUrl: env.DATABASE_URL,
      entities: REPORTING_ENTITIES,
      migrations: REPORTING_MIGRATIONS,
    }),
  );
  try {
    await migrateUp(orm);
    const readModel = new ReadModelService(orm);
    const result = await rebuildReadModels({
      orm,
      kafka: createKafka({ clientId: 'reporting-rebuild', brokers: env.KAFKA_BROKERS, logger }),
      readModel,
      summaries: new LedgerSummariesService(orm),
      profitSharing: new ProfitSharingService(orm, readModel),
      logger,
    });
    const rate = Math.round((result.events * 1000) / Math.max(result.millis, 1));
    logger.info('rebuild: done', { ...result, eventsPerSecond: rate });
  } catch (error) {
    if (!(error instanceof RebuildSupersededError)) throw error;
    console.error(error.message);
    process.exitCode = EXIT_TEMPFAIL;
  } finally {
    await orm.close();
  }
}
