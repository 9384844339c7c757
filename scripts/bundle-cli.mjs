#!/usr/bin/env node
// Bundles the compiled CLI (dist/cli/main.js, after tsc) into dist/bin/: one
// file per lazily loaded part (esbuild splits at each dynamic import). Node
// resolves, reads and compiles each ES module on its own; the ~230 modules of a
// plan cost ~150 ms of CPU at every start, the bundle a fraction of that.
// The library (dist/index.js) stays as tsc wrote it.
import { rmSync } from 'node:fs';
import { build } from 'esbuild';

const outdir = 'dist/bin';
rmSync(outdir, { recursive: true, force: true });
await build({
  entryPoints: {
    lockplane: 'dist/cli/main.js',
    // Spawned by path from the bundle's directory (see src/shadow/pglite-server.ts).
    'pglite-server-process': 'dist/shadow/pglite-server-process.js',
  },
  outdir,
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  // ES module builds first: jsonc-parser's `main` is a UMD file whose requires esbuild cannot follow.
  mainFields: ['module', 'main'],
  // Packages with WebAssembly, native code or files of their own stay in
  // node_modules; so do those only `mcp` or `convert` load, and ajv, which
  // json-schema.ts requires by path on first use.
  external: [
    '@electric-sql/*',
    'libpg-query',
    '@libsql/*',
    '@modelcontextprotocol/*',
    'zod',
    '@mrleebo/prisma-ast',
    'ajv',
    'ajv/*',
    'pg-native',
  ],
  // Bundled CommonJS packages (pg, commander) call require for Node's own modules.
  banner: { js: "import { createRequire as __lockplaneCreateRequire } from 'node:module'; const require = __lockplaneCreateRequire(import.meta.url);" },
  logLevel: 'warning',
});
