import { spawn } from 'node:child_process';
import { databaseUrl, localServiceRole } from '@kontor/db';
import { builtServiceEntry, serverAdminUrl, testKafkaBrokers } from '@kontor/testing';

/** Runs the built `reporting rebuild` command against a platform's database. */
export function runRebuild(database: string): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [builtServiceEntry('reporting'), 'rebuild'], {
      env: {
        PATH: process.env['PATH'] ?? '',
        DATABASE_URL: databaseUrl(
          serverAdminUrl(),
          database,
          localServiceRole(database, 'reporting'),
        ),
        KAFKA_BROKERS: testKafkaBrokers().join(','),
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.on('error', reject);
    child.on('exit', (code) => resolve({ code, output }));
  });
}
