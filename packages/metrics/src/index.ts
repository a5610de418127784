/** Work in progress: see README.md. */
export const packageName = '@scratchnet/metrics';
