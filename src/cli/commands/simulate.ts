import type { Command } from 'commander';

/** Placeholder: being written (demo shop simulator). */
export function registerSimulate(_program: Command): void {}
