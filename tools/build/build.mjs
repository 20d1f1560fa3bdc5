// Compiles one project's TypeScript to dist/<project root>/ with swc, mirroring the source tree so
// the workspace aliases (@kontor/*) can be rewritten to relative paths between built projects.
// Type checking is a separate target (tsc --noEmit); this step only transpiles, fast.
import { readFileSync, mkdirSync, readdirSync, writeFileSync, rmSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import swc from '@swc/core';

const workspaceRoot = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const projectRoot = process.argv[2];
if (!projectRoot) {
  console.error('usage: node tools/build/build.mjs <project root, e.g. services/ledger>');
  process.exit(2);
}

const baseOptions = JSON.parse(readFileSync(join(workspaceRoot, '.swcrc.base.json'), 'utf8'));
delete baseOptions.$comment;
const tsconfig = JSON.parse(readFileSync(join(workspaceRoot, 'tsconfig.base.json'), 'utf8'));

const isSource = (name) =>
  name.endsWith('.ts') && !name.endsWith('.d.ts') && !/\.(spec|int-spec|e2e-spec)\.ts$/.test(name);

function* sourceFiles(dir) {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) {
      if (!['node_modules', 'test', '__tests__'].includes(entry.name)) yield* sourceFiles(path);
    } else if (isSource(entry.name)) {
      yield path;
    }
  }
}

const absoluteProjectRoot = join(workspaceRoot, projectRoot);
const outRoot = join(workspaceRoot, 'dist', projectRoot);
rmSync(outRoot, { recursive: true, force: true });

let count = 0;
for (const file of sourceFiles(absoluteProjectRoot)) {
  const output = swc.transformFileSync(file, {
    ...baseOptions,
    swcrc: false,
    filename: file,
    sourceFileName: relative(join(outRoot, relative(absoluteProjectRoot, dirname(file))), file),
    jsc: { ...baseOptions.jsc, baseUrl: workspaceRoot, paths: tsconfig.compilerOptions.paths },
  });
  const target = join(outRoot, relative(absoluteProjectRoot, file)).replace(/\.ts$/, '.js');
  mkdirSync(dirname(target), { recursive: true });
  writeFileSync(target, output.code + `\n//# sourceMappingURL=${target.split('/').pop()}.map\n`);
  if (output.map) writeFileSync(`${target}.map`, output.map);
  count += 1;
}
console.log(`built ${projectRoot}: ${count} files -> ${relative(workspaceRoot, outRoot)}`);
