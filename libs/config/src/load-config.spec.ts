import { z } from 'zod';
import { ConfigError, loadConfig } from './load-config';
import { kafkaBrokers, port, postgresUrl } from './env-vars';

const schema = z.object({
  DATABASE_URL: postgresUrl,
  KAFKA_BROKERS: kafkaBrokers,
  GRPC_PORT: port(50051),
});

describe(loadConfig.name, () => {
  it('returns typed values with defaults applied', () => {
    const config = loadConfig('ledger', schema, {
      DATABASE_URL: 'postgres://u@h:5432/db',
      KAFKA_BROKERS: 'a:9092, b:9093',
    });
    expect(config).toEqual({
      DATABASE_URL: 'postgres://u@h:5432/db',
      KAFKA_BROKERS: ['a:9092', 'b:9093'],
      GRPC_PORT: 50051,
    });
  });

  it('reports every missing or bad variable in one error', () => {
    const attempt = () =>
      loadConfig('ledger', schema, { KAFKA_BROKERS: 'nohost', GRPC_PORT: '99999' });
    expect(attempt).toThrow(ConfigError);
    try {
      attempt();
    } catch (error) {
      const { problems } = error as ConfigError;
      expect(problems).toHaveLength(3);
      expect(problems.join('\n')).toMatch(/DATABASE_URL: is required but missing/);
      expect(problems.join('\n')).toMatch(/KAFKA_BROKERS\.0: each broker must be host:port/);
      expect(problems.join('\n')).toMatch(/GRPC_PORT/);
    }
  });
});
