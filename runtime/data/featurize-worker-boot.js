// Worker bootstrap in plain JS: registers tsx's loader inside the worker thread (a parent's
// --import hooks do not reach workers started from vitest or other hosts), then loads the TS entry.
import { register } from 'tsx/esm/api';
register();
await import('./featurize-worker.ts');
