// Builds the bundles the extension ships: the extension host bundle (Node, CommonJS, `vscode` external), the part of
// undici it uses in a bundle of its own that the host bundle requires on the first request, and one bundle per
// webview page, consumption and session (browser, IIFE). `--production` minifies and drops source maps; `--watch`
// rebuilds on change. Bundle sizes are printed so growth is noticed.
const esbuild = require('esbuild');
const fs = require('node:fs');
const path = require('node:path');

const production = process.argv.includes('--production');
const watch = process.argv.includes('--watch');

// undici is most of the host code. Even unevaluated inside the host bundle, V8 would still read through it when VS
// Code loads the extension, which would cost more than everything else activation does; so src/api/http.ts's require
// of the transport stays a require, of dist/undici.js beside the host bundle.
const transportBeside = {
  name: 'transport-beside',
  setup(build) {
    build.onResolve({ filter: /^\.\/undiciTransport$/ }, (args) =>
      args.kind === 'require-call' ? { path: './undici.js', external: true } : undefined,
    );
  },
};

/** @type {import('esbuild').BuildOptions[]} */
const bundles = [
  {
    entryPoints: ['src/extension.ts'],
    outfile: 'dist/extension.js',
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    external: ['vscode'],
    mainFields: ['module', 'main'],
    plugins: [transportBeside],
  },
  {
    entryPoints: ['src/api/undiciTransport.ts'],
    outfile: 'dist/undici.js',
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node20',
  },
  {
    entryPoints: ['src/webview-ui/consumptionPage.ts'],
    outfile: 'dist/webview/consumption.js',
    bundle: true,
    platform: 'browser',
    format: 'iife',
    target: 'es2022',
  },
  {
    entryPoints: ['src/webview-ui/session.ts'],
    outfile: 'dist/webview/session.js',
    bundle: true,
    platform: 'browser',
    format: 'iife',
    target: 'es2022',
  },
];

const reportSizes = {
  name: 'report-sizes',
  setup(build) {
    build.onEnd((result) => {
      if (result.errors.length > 0) return;
      const file = build.initialOptions.outfile;
      const kib = (fs.statSync(file).size / 1024).toFixed(1);
      console.log(`[esbuild] ${path.relative(process.cwd(), file)} ${kib} KiB${production ? ' (minified)' : ''}`);
    });
  },
};

async function main() {
  // A production build must not ship source maps left by an earlier development build.
  if (production) fs.rmSync('dist', { recursive: true, force: true });
  const contexts = await Promise.all(
    bundles
      .filter((options) => fs.existsSync(options.entryPoints[0]))
      .map((options) =>
        esbuild.context({
          ...options,
          minify: production,
          sourcemap: !production,
          sourcesContent: false,
          logLevel: 'warning',
          plugins: [...(options.plugins ?? []), reportSizes],
        }),
      ),
  );
  if (watch) {
    await Promise.all(contexts.map((context) => context.watch()));
    console.log('[esbuild] watching for changes');
    return;
  }
  await Promise.all(contexts.map((context) => context.rebuild()));
  await Promise.all(contexts.map((context) => context.dispose()));
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
