// Runs `buf breaking` for proto/ against the same directory on the main branch.
//
// The baseline is extracted with `git archive` rather than buf's `.git#branch=main,subdir=proto`
// input: it is the same comparison, but it also works from git worktrees (where .git is a file),
// and it lets us tell "main has no protos yet" (nothing to break: pass) from a real failure.
// Usage: node tools/contracts/breaking.mjs [ref]   (default: $PROTO_BREAKING_BASE, main, origin/main)
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { bufPath, capture, protoDir, run, workspaceRoot } from './shared.mjs';

function resolveBaseRef() {
  const candidates = [process.argv[2], process.env.PROTO_BREAKING_BASE, 'main', 'origin/main'];
  for (const ref of candidates.filter(Boolean)) {
    if (capture('git', ['rev-parse', '--verify', '--quiet', `${ref}^{commit}`]) !== null)
      return ref;
  }
  return null;
}

const ref = resolveBaseRef();
if (ref === null) {
  console.error(
    'proto-breaking: no baseline ref found (tried main and origin/main); fetch main first',
  );
  process.exit(1);
}
const tracked = capture('git', ['ls-tree', '-r', '--name-only', ref, '--', protoDir]) ?? '';
if (!tracked.split('\n').some((path) => path.endsWith('.proto'))) {
  console.log(
    `proto-breaking: ${ref} has no .proto files under ${protoDir}/ yet; nothing can break`,
  );
  process.exit(0);
}

const scratch = mkdtempSync(join(tmpdir(), 'kontor-breaking-'));
try {
  const archive = execFileSync('git', ['archive', '--format=tar', ref, protoDir], {
    cwd: workspaceRoot,
    maxBuffer: 512 * 1024 * 1024,
  });
  execFileSync('tar', ['-x', '-C', scratch], { input: archive });
  const code = run(bufPath, ['breaking', protoDir, '--against', join(scratch, protoDir)]);
  if (code !== 0) {
    console.error(`proto-breaking: the changes above break compatibility with ${ref}`);
    process.exit(code);
  }
  console.log(`proto-breaking: no breaking changes against ${ref}`);
} finally {
  rmSync(scratch, { recursive: true, force: true });
}
