import type { Command } from 'commander';
import { describeConfig } from '../../config/load.js';
import { configFrom } from '../global-options.js';

export function registerConfig(program: Command): void {
  program
    .command('config')
    .description('print the effective configuration (secrets masked), with each key’s env var and doc')
    .option('--json', 'print as JSON')
    .action((options: { json?: boolean }, command: Command) => {
      const rows = describeConfig(configFrom(command));
      if (options.json) {
        console.log(JSON.stringify(Object.fromEntries(rows.map((r) => [r.key, r.value])), null, 2));
        return;
      }
      for (const row of rows) console.log(`${row.key.padEnd(18)} ${JSON.stringify(row.value).padEnd(44)} ${row.env}\n${' '.repeat(19)}${row.doc}`);
    });
}
