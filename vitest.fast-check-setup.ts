/** Vitest setup file: every fast-check property in the worker starts from the run's seed. */
import fc from 'fast-check';
import { inject } from 'vitest';
import type {} from './vitest.fast-check-seed.ts';

const { seed, path } = inject('fastCheck');
fc.configureGlobal({ ...fc.readConfigureGlobal(), seed, ...(path === undefined ? {} : { path }) });
