import { defineConfig } from 'vite';

export default defineConfig({
  // Relative URLs: the built page works from any folder or static server, offline.
  base: './',
  worker: { format: 'es' },
  build: { target: 'es2022' },
});
