/**
 * The nesting limit every analysis applies, on every thread, before anything recursive runs.
 *
 * TypeScript's parser, our walker and some rule helpers recurse once per level of syntax. The
 * main thread has a 984 KB stack and the scan workers had 4 MB, so a deeply nested file was
 * skipped on the main thread (stack overflow caught) and analysed, slowly, on a worker: the same
 * file got two answers depending on how many files were checked with it. Now:
 *  - before parsing, the bracket depth is counted in one pass over the text (brackets inside
 *    strings and comments count too: only hundreds of unbalanced ones would matter);
 *  - after parsing, the depth of the syntax tree is measured without recursion;
 *  - a stack overflow anywhere in the analysis gets the same reason (a safety net: none is
 *    expected below the limits).
 * The limits leave room on the main thread's 984 KB stack: the costliest shape measured at the
 * limits (395 nested generic type arguments, parsed cold) needs between 720 and 984 KB, the
 * others (395 `async () =>` in a row, 255 nested calls or arrays, if/try/arrow mixes) less
 * than 600 KB. Scan workers get the main thread's stack size (WORKER_STACK_MB), so a shape
 * nobody measured overflows on both threads or on neither.
 * Real code stays far below the limits: across 7,819 files of node_modules (bundles included)
 * the deepest syntax tree is 180 levels and the most nested brackets 120.
 */
import ts = require('typescript');

export const MAX_BRACKET_DEPTH = 256;
export const MAX_SYNTAX_DEPTH = 400;

/** Stack of the scan workers: the main thread's (V8's default 984 KB; a worker's default is 4 MB). */
export const WORKER_STACK_MB = 984 / 1024;

/** The one reason a file too deeply nested is skipped with, whichever limit it hit. */
export const TOO_DEEP = `nested too deeply to analyse (more than ${MAX_BRACKET_DEPTH} levels of brackets or ${MAX_SYNTAX_DEPTH} levels of syntax)`;

/** Deepest nesting of ( [ { in the text, counted naively (a closer with no opener is ignored). */
export function bracketDepth(text: string): number {
  let depth = 0;
  let max = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 40 || c === 91 || c === 123) {
      if (++depth > max) max = depth;
    } else if ((c === 41 || c === 93 || c === 125) && depth > 0) depth--;
  }
  return max;
}

/** Whether the syntax tree is deeper than `max` levels (measured with an explicit stack). */
export function deeperThan(root: ts.Node, max: number): boolean {
  const nodes: ts.Node[] = [root];
  const depths: number[] = [0];
  let depth = 0;
  const push = (child: ts.Node): undefined => {
    nodes.push(child);
    depths.push(depth + 1);
    return undefined;
  };
  while (nodes.length > 0) {
    const node = nodes.pop()!;
    depth = depths.pop()!;
    if (depth > max) return true;
    ts.forEachChild(node, push);
  }
  return false;
}

export function isStackOverflow(err: unknown): boolean {
  return err instanceof RangeError && /call stack/i.test(err.message);
}

/**
 * Parses `text` when it is within the nesting limits: the source file, or the reason it was not
 * parsed (TOO_DEEP, or the parser's error).
 */
export function parseWithinLimits(text: string, fileName: string, kind: ts.ScriptKind): { sf: ts.SourceFile } | { skipped: string } {
  if (bracketDepth(text) > MAX_BRACKET_DEPTH) return { skipped: TOO_DEEP };
  let sf: ts.SourceFile;
  try {
    sf = ts.createSourceFile(fileName, text, ts.ScriptTarget.Latest, true, kind);
  } catch (err) {
    return { skipped: isStackOverflow(err) ? TOO_DEEP : `could not parse: ${(err as Error).message}` };
  }
  if (deeperThan(sf, MAX_SYNTAX_DEPTH)) return { skipped: TOO_DEEP };
  return { sf };
}
