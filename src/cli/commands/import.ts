import type { Command } from 'commander';

/** Placeholder: being written (importers). */
export function registerImport(_program: Command): void {}
