// Worker threads do not inherit the TypeScript loader of the thread that starts them (Node 20), so a
// training worker starts here in plain JavaScript, registers tsx, then loads its TypeScript body.
import { register } from 'tsx/esm/api';

register();
await import(new URL('./training-worker-thread.ts', import.meta.url).href);
