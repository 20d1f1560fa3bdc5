// Shared helpers of the contracts scripts: paths, and running buf from node_modules so that every
// step works offline on a clean clone after `npm ci`.
import { spawnSync } from 'node:child_process';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const workspaceRoot = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
export const protoDir = 'proto';
export const templatePath = 'proto/buf.gen.yaml';
export const generatedDir = 'libs/contracts/src/gen';
export const bufPath = join(workspaceRoot, 'node_modules/.bin/buf');

// Runs a command from the workspace root with inherited output; returns its exit code.
export function run(command, args) {
  const result = spawnSync(command, args, { cwd: workspaceRoot, stdio: 'inherit' });
  if (result.error) throw result.error;
  return result.status ?? 1;
}

// Runs a command from the workspace root and returns its stdout, or null when it fails.
export function capture(command, args) {
  const result = spawnSync(command, args, { cwd: workspaceRoot, encoding: 'utf8' });
  if (result.error) throw result.error;
  return result.status === 0 ? result.stdout : null;
}
