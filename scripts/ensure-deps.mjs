#!/usr/bin/env node
// Runs before `npm start` and `npm test` so that those two commands work on a fresh clone:
// installs the locked dependencies when node_modules is missing or older than package-lock.json.
// Plain Node with no dependencies, because it runs before any are installed.
import { spawnSync } from 'node:child_process';
import { existsSync, statSync } from 'node:fs';

const installed = 'node_modules/.package-lock.json';
const nativeSqlite = 'node_modules/better-sqlite3/build/Release/better_sqlite3.node';
const stale = !existsSync(installed) || statSync(installed).mtimeMs < statSync('package-lock.json').mtimeMs || !existsSync(nativeSqlite);
if (stale) {
  console.error('shopwise: installing dependencies (npm ci; the embedded SQLite compiles once, about a minute)…');
  const result = spawnSync('npm', ['ci', '--no-audit', '--no-fund'], { stdio: 'inherit' });
  if (result.status !== 0) process.exit(result.status ?? 1);
}
