import 'reflect-metadata';
import { ConfigError, ContractCallError } from '@ficus/platform';
import { runCli, UsageError } from './cli-commands.js';

/** `npm run cli -- <command>`: operator commands; `--help` lists them. */
runCli(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error: unknown) => {
    if (error instanceof UsageError || error instanceof ConfigError) {
      process.stderr.write(`${error.message}\n\nRun with --help for usage.\n`);
      process.exit(2);
    }
    if (error instanceof ContractCallError) {
      process.stderr.write(`${error.code}: ${error.message}\n`);
      process.exit(1);
    }
    process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exit(1);
  },
);
