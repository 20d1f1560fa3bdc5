import { type Command } from 'commander';
import { Connection } from './connection/connection';
import { resolveSettings, type ConnectionFlags } from './connection/settings';
import { QuietExit } from './exit-codes';
import { Output, type Printable, type Stream } from './output/output';

/** The process's outside world, injectable so tests can run the CLI in-process too. */
export interface Io {
  stdout: Stream;
  stderr: Stream;
  env: NodeJS.ProcessEnv;
  cwd: string;
}

export interface GlobalOptions extends ConnectionFlags {
  output: string;
  json?: boolean;
}

export interface CommandContext {
  readonly io: Io;
  readonly out: Output;
  /** Connection settings resolved on first use, so `--help` never needs a config. */
  connection(): Connection;
}

export type Handler<O> = (
  ctx: CommandContext,
  options: O,
  args: string[],
) => Promise<Printable | undefined> | Printable | undefined;

/**
 * Adapts a handler to commander: resolves output and connection from the global flags, prints
 * what the handler returns and closes the connection whatever happens.
 */
export function action<O>(io: Io, handler: Handler<O>) {
  return async (...commanderArgs: unknown[]): Promise<void> => {
    const command = commanderArgs[commanderArgs.length - 1] as Command;
    const options = command.optsWithGlobals<O & GlobalOptions>();
    const out = new Output(
      options.json ? 'json' : Output.parseFormat(options.output),
      io.stdout,
      io.stderr,
      io.env,
    );
    let connection: Connection | undefined;
    const ctx: CommandContext = {
      io,
      out,
      connection: () =>
        (connection ??= new Connection(
          resolveSettings({ flags: options, env: io.env, cwd: io.cwd }),
        )),
    };
    try {
      const result = await handler(ctx, options, command.processedArgs as string[]);
      if (result) out.print(result);
      if (result?.exitCode) throw new QuietExit(result.exitCode);
    } finally {
      connection?.close();
    }
  };
}

/** The "Examples:" section every command's --help ends with. */
export function examples(...lines: string[]): string {
  return `\nExamples:\n${lines.map((line) => `  $ ${line}`).join('\n')}\n`;
}
