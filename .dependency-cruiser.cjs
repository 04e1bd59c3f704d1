/**
 * DESIGN.md rule 1, enforced in CI: dependencies point one way.
 * core ← math ← nn ← (text, recommend, profiles, dialog, marketing, simulate) ← serving ← http / cli ← main.
 */
const layer = (name, mayNotImport, comment) => ({
  name, comment, severity: 'error',
  from: { path: `^src/${name}/` },
  to: { path: mayNotImport.map((m) => `^src/${m}(/|\\.ts$)`).join('|') },
});
const above = (list) => list;
const domain = ['text', 'recommend', 'profiles', 'dialog', 'marketing', 'simulate'];
const edge = ['http', 'cli', 'main'];

module.exports = {
  forbidden: [
    {
      name: 'core-imports-nothing', severity: 'error', comment: 'core/ is pure domain logic and imports nothing else in src',
      from: { path: '^src/core/' }, to: { path: '^src/', pathNot: '^src/core/' },
    },
    layer('config', above(['storage', 'ingest', 'auth', 'app', 'math', 'nn', 'serving', 'jobs', ...domain, ...edge]), 'config depends on core only'),
    layer('math', above(['storage', 'ingest', 'auth', 'app', 'nn', 'serving', 'jobs', 'config', ...domain, ...edge]), 'math depends on core only'),
    layer('nn', above(['storage', 'ingest', 'auth', 'app', 'serving', 'jobs', ...domain, ...edge]), 'nn sits below the domain modules'),
    ...domain.map((d) => layer(d, above(['serving', 'app', ...edge]), `${d} may not import serving, app, http or cli`)),
    layer('storage', above(['ingest', 'auth', 'app', 'serving', 'jobs', ...domain, ...edge]), 'storage is below every service'),
    layer('ingest', above(['app', 'serving', ...edge]), 'ingest may not import app, serving, http or cli'),
    layer('auth', above(['app', 'serving', ...edge]), 'auth may not import app, serving, http or cli'),
    layer('app', above(edge), 'app wires services; it may not import http or cli'),
    layer('serving', above(edge), 'serving may not import http or cli'),
    {
      name: 'nothing-imports-http-or-cli', severity: 'error', comment: 'only main.ts wires http and cli together',
      from: { path: '^src/', pathNot: '^src/(http|cli)/|^src/main\\.ts$' }, to: { path: '^src/(http|cli)/' },
    },
    { name: 'http-not-cli', severity: 'error', comment: 'http and cli do not import each other', from: { path: '^src/http/' }, to: { path: '^src/cli/' } },
    { name: 'cli-not-http', severity: 'error', comment: 'the CLI gets the server through CliRuntime from main.ts', from: { path: '^src/cli/' }, to: { path: '^src/http/' } },
    {
      name: 'storage-implementations-behind-the-factory', severity: 'error',
      comment: 'sqlite/ and postgres/ are imported only by storage/open-storage.ts (and their own tests)',
      from: { path: '^src/', pathNot: '^src/storage/(open-storage\\.ts|sqlite/|postgres/)|\\.test\\.ts$' },
      to: { path: '^src/storage/(sqlite|postgres)/' },
    },
    { name: 'no-circular', severity: 'error', from: {}, to: { circular: true } },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '\\.test\\.ts$|\\.contract\\.ts$' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: { extensions: ['.ts', '.js'] },
  },
};
