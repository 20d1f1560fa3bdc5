// Fails when the committed generated code differs from what the current protos produce. It
// regenerates into a temporary directory and compares file lists and contents, so it needs neither
// network nor a clean git worktree (it works the same in CI and with local uncommitted changes).
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { bufPath, generatedDir, protoDir, run, templatePath, workspaceRoot } from './shared.mjs';

function listFiles(root) {
  if (!existsSync(root)) return [];
  const files = [];
  const walk = (dir) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) walk(path);
      else files.push(relative(root, path));
    }
  };
  walk(root);
  return files.sort();
}

const scratch = mkdtempSync(join(tmpdir(), 'kontor-contracts-'));
try {
  const code = run(bufPath, [
    'generate',
    protoDir,
    '--template',
    templatePath,
    '--output',
    scratch,
  ]);
  if (code !== 0) {
    console.error('buf generate failed; cannot check the generated code');
    process.exit(code);
  }
  const expectedRoot = join(scratch, generatedDir);
  const committedRoot = join(workspaceRoot, generatedDir);
  const expected = listFiles(expectedRoot);
  const committed = listFiles(committedRoot);
  const problems = [
    ...expected.filter((f) => !committed.includes(f)).map((f) => `missing: ${generatedDir}/${f}`),
    ...committed
      .filter((f) => !expected.includes(f))
      .map((f) => `no longer generated: ${generatedDir}/${f}`),
    ...expected
      .filter((f) => committed.includes(f))
      .filter(
        (f) => !readFileSync(join(expectedRoot, f)).equals(readFileSync(join(committedRoot, f))),
      )
      .map((f) => `differs: ${generatedDir}/${f}`),
  ];
  if (problems.length > 0) {
    console.error('generated code is stale: run npx nx run contracts:generate');
    for (const problem of problems) console.error(`  ${problem}`);
    process.exit(1);
  }
  console.log(`${generatedDir} is up to date (${expected.length} files)`);
} finally {
  rmSync(scratch, { recursive: true, force: true });
}
