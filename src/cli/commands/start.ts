import type { Command } from 'commander';
import type { CliRuntime } from '../program.js';

/** Placeholder: start and demo commands. */
export function registerStart(_program: Command, _runtime: CliRuntime): void {}
