/**
 * What the campaign's main-thread channel runs, bundled by `engine.ts` the way esbuild.mjs bundles
 * dist/ (one scope, `require('typescript')` as is): the code users run, not tsx's per-module output.
 */
export { analyze, parse, syntaxErrorCount } from '../../server/src/engine/analyze';
export { fixAll } from '../../server/src/engine/fixAll';
export { applyEdits } from '../../server/src/fixes/edits';
export { Scanner } from '../../server/src/engine/scan';
