/**
 * @scratchnet/preprocess for Node.js (the `node` export condition, and `@scratchnet/preprocess/node`):
 * everything of the main entry, plus reading and writing CSV files on disk.
 */
export * from './index.js';
export { readListenersCsv } from './read-file.js';
export { writeListenersCsv, writeGeneratedListenersCsv } from './write-file.js';
export type { WriteListenersOptions } from './write-file.js';
