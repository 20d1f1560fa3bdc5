import { runCli } from './cli';

void runCli(process.argv.slice(2), {
  stdout: process.stdout,
  stderr: process.stderr,
  env: process.env,
  cwd: process.cwd(),
}).then((code) => {
  // Every client and producer is closed by now; exit at once rather than wait on idle sockets.
  process.exit(code);
});
