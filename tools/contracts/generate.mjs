// Regenerates libs/contracts/src/gen from proto/. The output directory is removed first so that a
// deleted or renamed .proto file leaves no stale *_pb.ts behind (buf.gen.yaml's `clean: true` does
// the same; removing it here keeps that guarantee even if the template changes).
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { bufPath, generatedDir, protoDir, run, templatePath, workspaceRoot } from './shared.mjs';

rmSync(join(workspaceRoot, generatedDir), { recursive: true, force: true });
const code = run(bufPath, ['generate', protoDir, '--template', templatePath]);
if (code !== 0) {
  console.error('buf generate failed');
  process.exit(code);
}
console.log(`generated ${generatedDir} from ${protoDir}/`);
