// `npm test`: everything CI checks, on a fresh clone: install, contracts, lint, types, unit tests,
// then integration and end-to-end tests against the real Postgres and Kafka this script starts.
import {
  ensureDependencies,
  log,
  onShutdown,
  run,
  runAsync,
  startInfrastructure,
} from './setup.mjs';

const nx = (args) => ['nx', ...args, '--outputStyle=stream'];

async function main() {
  const started = Date.now();
  ensureDependencies();

  log('contracts: generated code is current, protos lint clean and compatible with main');
  run(
    'npx',
    nx(['run-many', '-t', 'check-generated', 'proto-lint', 'proto-breaking', '--parallel=1']),
  );

  log('static checks and unit tests');
  run(
    'npx',
    nx(['run-many', '-t', 'format-check', 'lint', 'typecheck', 'test', 'build', '--parallel=2']),
  );

  const infrastructure = await startInfrastructure();
  const finish = onShutdown(infrastructure.stop);
  try {
    log('integration and end-to-end tests (real Postgres, real Kafka, real gRPC)');
    await runAsync('npx', nx(['run-many', '-t', 'int-test', 'e2e', '--parallel=1']), {
      env: infrastructure.env,
    });
  } finally {
    await finish();
  }
  log(`all tests passed in ${((Date.now() - started) / 1000).toFixed(0)} s`);
}

main().catch((error) => {
  log(`\x1b[31mFAILED\x1b[0m: ${error.message}`);
  process.exit(error.exitCode ?? 1);
});
