// `npm run bench -- <service>`: builds the service, starts Postgres and Kafka like npm test, and
// runs services/<service>/bench/<service>.bench.ts (built) against them.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import {
  ensureDependencies,
  log,
  onShutdown,
  run,
  runAsync,
  startInfrastructure,
  workspaceRoot,
} from './setup.mjs';

async function main() {
  const service = process.argv[2];
  if (!service)
    throw Object.assign(new Error('usage: npm run bench -- <service>, e.g. ledger'), {
      exitCode: 64,
    });
  ensureDependencies();
  run('npx', ['nx', 'run', `${service}:build`, '--outputStyle=static']);
  const entry = join(workspaceRoot, 'dist', 'services', service, 'bench', `${service}.bench.js`);
  if (!existsSync(entry))
    throw Object.assign(new Error(`no benchmark for ${service} (${entry})`), { exitCode: 64 });

  const infrastructure = await startInfrastructure();
  const finish = onShutdown(infrastructure.stop);
  try {
    log(`benchmark: ${service}`);
    await runAsync(process.execPath, ['--enable-source-maps', entry], { env: infrastructure.env });
  } finally {
    await finish();
  }
}

main().catch((error) => {
  log(`\x1b[31mFAILED\x1b[0m: ${error.message}`);
  process.exit(error.exitCode ?? 1);
});
