// Worker threads do not inherit the TypeScript loader of the thread that starts them (Node 20), so a
// pool worker starts here in plain JavaScript, registers tsx, then loads its TypeScript body.
import { register } from 'tsx/esm/api';

register();
await import(new URL('./worker-pool-thread.ts', import.meta.url).href);
