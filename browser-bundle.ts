// Shared by the packages' browser tests: bundles an entry the way a page's bundler would
// (esbuild, platform browser, our other packages through their `exports` maps) and names every
// Node.js built-in the bundle reaches, so a Node-only import on the browser path fails CI.
import { builtinModules } from 'node:module';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const NODE_BUILTINS = new Set([...builtinModules, ...builtinModules.map((m) => `node:${m}`)]);

/** What bundling `entry` for a browser reached that a browser lacks, as `importer → module`. */
export async function nodeImportsOnBrowserPath(entry: URL): Promise<string[]> {
  const found: string[] = [];
  const result = await build({
    entryPoints: [fileURLToPath(entry)],
    bundle: true,
    platform: 'browser',
    format: 'esm',
    write: false,
    logLevel: 'silent',
    plugins: [
      {
        name: 'node-builtins',
        setup(plugin) {
          plugin.onResolve({ filter: /.*/ }, (args) => {
            if (!NODE_BUILTINS.has(args.path)) return undefined;
            found.push(`${args.importer} → ${args.path}`);
            return { path: args.path, external: true };
          });
        },
      },
    ],
  });
  if (result.errors.length > 0) {
    throw new Error(result.errors.map((e) => e.text).join('\n'));
  }
  return found;
}
