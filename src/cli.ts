/**
 * `amparo <command>` (bin/amparo.js, `npm run amparo -- <command>`): operator commands. See
 * src/cli/commands.ts for the commands; `amparo --help` lists them.
 */
import { runCli } from './cli/commands.ts';

const code = await runCli(process.argv.slice(2), {
  out: (line) => process.stdout.write(`${line}\n`),
  err: (line) => process.stderr.write(`${line}\n`),
  // On a terminal a status line is redrawn in place (import progress).
  ...(process.stderr.isTTY ? { progress: (line: string) => process.stderr.write(`\r${line}\u001b[K`) } : {}),
});
// Exit explicitly (tsx does not pass process.exitCode on), once what was written has been flushed.
process.stdout.write('', () => process.stderr.write('', () => process.exit(code)));
