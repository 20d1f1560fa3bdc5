/** Kafka brokers of the test run; npm test starts a broker and sets KAFKA_BROKERS. */
export function testKafkaBrokers(): string[] {
  const brokers = process.env['KAFKA_BROKERS'];
  if (!brokers) {
    throw new Error(
      'KAFKA_BROKERS is not set: run integration tests through `npm test`, or start a broker with ' +
        '`node tools/infra/kafka.mjs start` and export the KAFKA_BROKERS it prints.',
    );
  }

  return brokers.split(',').map((broker) => broker.trim());
}
