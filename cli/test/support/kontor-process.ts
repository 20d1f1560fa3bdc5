import { spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { stripVTControlCharacters } from 'node:util';

// The real `kontor` binary (cli/bin/kontor.js → dist/cli), spawned as a user would run it.
const BINARY = join(__dirname, '..', '..', 'bin', 'kontor.js');

export interface KontorResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

export interface KontorHome {
  /** A HOME of its own, so no test reads or writes the real ~/.config/kontor. */
  home: string;
  configFile: string;
  env: Record<string, string>;
}

export function newKontorHome(): KontorHome {
  const home = mkdtempSync(join(tmpdir(), 'kontor-cli-'));
  const configFile = join(home, '.config', 'kontor', 'config.yaml');
  return {
    home,
    configFile,
    env: { PATH: process.env['PATH'] ?? '', HOME: home, KONTOR_CONFIG: configFile },
  };
}

export interface RunOptions {
  env: Record<string, string>;
  /** Runs under a pseudo-terminal (util-linux `script`), as in an interactive shell. */
  tty?: boolean;
  cwd?: string;
}

export function kontor(args: string[], options: RunOptions): Promise<KontorResult> {
  const [command, commandArgs] = options.tty
    ? [
        'script',
        [
          '--quiet',
          '--return',
          '--command',
          shellLine([process.execPath, BINARY, ...args]),
          '/dev/null',
        ],
      ]
    : [process.execPath, [BINARY, ...args]];
  return new Promise((resolve, reject) => {
    const child = spawn(command, commandArgs, {
      env: options.env,
      cwd: options.cwd ?? options.env['HOME'],
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

const shellLine = (words: string[]) =>
  words.map((word) => `'${word.replace(/'/g, `'\\''`)}'`).join(' ');

/** stdout of a successful `--json` run, parsed; fails the test with stderr otherwise. */
export async function kontorJson<T>(args: string[], options: RunOptions): Promise<T> {
  const result = await kontor([...args, '--json'], options);
  if (result.code !== 0) {
    throw new Error(`kontor ${args.join(' ')} exited ${result.code}: ${result.stderr}`);
  }
  return JSON.parse(result.stdout) as T;
}

/** Terminal output without its colour and cursor escapes, to assert on the text. */
export const plainText = (text: string) => stripVTControlCharacters(text).replace(/\r/g, '');
