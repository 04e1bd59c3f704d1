// Worker threads do not inherit the TypeScript loader of the thread that starts them (Node 20), so the
// photo-search training worker starts here in plain JavaScript, registers tsx, then loads its body.
import { register } from 'tsx/esm/api';

register();
await import(new URL('./train-worker-thread.ts', import.meta.url).href);
