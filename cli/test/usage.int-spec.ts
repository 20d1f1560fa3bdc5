import { type Command } from 'commander';
import { buildProgram } from '../src/cli';
import { kontor, newKontorHome } from './support/kontor-process';

// Every runnable command path, e.g. ["entries", "post"], from the program's own tree.
function commandPaths(command: Command, prefix: string[] = []): string[][] {
  const children = command.commands.filter((child) => child.name() !== 'help');
  if (children.length === 0) return [prefix];
  return children.flatMap((child) => commandPaths(child, [...prefix, child.name()]));
}

const noStackTrace = /\n\s+at /;

describe('kontor used wrongly or without a platform', () => {
  const { env } = newKontorHome();
  const sink = { write: () => true };
  const paths = commandPaths(
    buildProgram({ stdout: sink, stderr: sink, env: {}, cwd: process.cwd() }),
  );

  it('knows the commands a finance or ops person needs', () => {
    const names = paths.map((path) => path.join(' '));
    expect(names).toEqual(
      expect.arrayContaining([
        'tenants create',
        'tenants list',
        'tenants show',
        'keys issue',
        'keys list',
        'orgs create',
        'ledgers create',
        'accounts create',
        'periods close',
        'periods reopen',
        'journals show',
        'entries post',
        'entries reverse',
        'balance customer',
        'general-ledger',
        'customer-ledger',
        'events publish payment',
        'events dlq replay',
      ]),
    );
  });

  // Each --help is a node process loading the whole CLI (~1.5 s of CPU on this 2-core machine):
  // sixty of them take a while on a busy machine, so this test gets its own time budget.
  it('prints usage with examples for every command, exit code 0', async () => {
    // A few at a time: each is a node process.
    for (let start = 0; start < paths.length; start += 6) {
      const batch = paths.slice(start, start + 6);
      const results = await Promise.all(batch.map((path) => kontor([...path, '--help'], { env })));
      results.forEach((result, index) => {
        const name = (batch[index] ?? []).join(' ');
        expect({ name, code: result.code }).toEqual({ name, code: 0 });
        expect(result.stdout).toContain(`Usage: kontor ${name}`);
        expect(result.stdout).toContain('Examples:\n  $ kontor');
      });
    }
  }, 300_000);

  it('rejects a missing required flag in one line with exit code 64', async () => {
    const result = await kontor(['ledgers', 'create', '--currency', 'EUR'], { env });

    expect(result.code).toBe(64);
    expect(result.stderr).toContain("error: required option '--name <name>' not specified");
    expect(result.stderr).not.toMatch(noStackTrace);
    expect(result.stdout).toBe('');
  });

  it('rejects a bad enum value naming the flag and the choices, exit 64', async () => {
    const result = await kontor(
      ['accounts', 'create', '--ledger', 'l', '--code', '1', '--name', 'n', '--type', 'assets'],
      { env: { ...env, KONTOR_API_KEY: 'kontor_x_y' } },
    );

    expect(result.code).toBe(64);
    expect(result.stderr).toBe(
      'kontor: --type must be one of asset, liability, equity, revenue, expense (got "assets")\n',
    );
  });

  it('says in one line that an unreachable server cannot be reached, exit 69', async () => {
    const result = await kontor(
      ['--address', '127.0.0.1:1', '--api-key', 'kontor_x_y', 'ledgers', 'list'],
      { env },
    );

    expect(result.code).toBe(69);
    expect(result.stderr.trim().split('\n')).toHaveLength(1);
    expect(result.stderr).toMatch(/^kontor: cannot reach the ledger service at 127\.0\.0\.1:1 /);
    expect(result.stderr).toContain('npm start');
  });

  it('says how to give an API key when there is none, exit 78', async () => {
    const result = await kontor(['--address', '127.0.0.1:1', 'ledgers', 'list'], { env });

    expect(result.code).toBe(78);
    expect(result.stderr).toMatch(/^kontor: no API key: pass --api-key, set KONTOR_API_KEY/);
  });

  it('refuses an unknown profile, listing the known ones, exit 78', async () => {
    const result = await kontor(['--profile', 'nope', 'ledgers', 'list'], { env });

    expect(result.code).toBe(78);
    expect(result.stderr).toContain('no profile "nope"');
  });

  it('reads an entry file and names the bad field with its path, exit 65', async () => {
    const { writeFileSync } = await import('node:fs');
    const file = `${env['HOME']}/bad-entry.yaml`;
    writeFileSync(
      file,
      'ledger: l\njournal: SALES\ndate: 2026-01-01\ntype: invoice\nlines:\n  - account: "1200"\n    debit: 12,50\n  - account: "4000"\n    credit: "12.50"\n',
    );

    const result = await kontor(['--api-key', 'kontor_x_y', 'entries', 'post', '--file', file], {
      env,
    });

    expect(result.code).toBe(65);
    expect(result.stderr).toContain(`${file}: lines.0.debit:`);
  });

  it('says in one line that a CSV to import is missing, exit 65, before it calls anything', async () => {
    const missing = `${env['HOME']}/no-such-statement.csv`;
    const result = await kontor(
      [
        '--address',
        '127.0.0.1:1',
        '--api-key',
        'kontor_x_y',
        'import',
        'run',
        missing,
        '--import-profile',
        'p1',
      ],
      { env: { ...env } },
    );

    expect(result.code).toBe(65);
    expect(result.stderr).toBe(
      `kontor: cannot read ${missing}: ENOENT: no such file or directory, stat '${missing}'\n`,
    );
  });
});
