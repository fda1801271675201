import type * as Schemas from './schemas';

let loaded: typeof Schemas | undefined;

/**
 * The response schemas, built on the first response rather than when the extension loads. Building them (and
 * evaluating zod) took a third of the bundle's evaluation, which VS Code pays before the view can paint; a signed-out
 * window never needs them. esbuild keeps a module that is only ever required lazy until that require.
 */
export function schemas(): typeof Schemas {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return (loaded ??= require('./schemas') as typeof Schemas);
}
