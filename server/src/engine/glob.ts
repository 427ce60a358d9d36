/**
 * The one place `.failpath.json` globs (`ignore`, features' `paths`) are compiled and matched, by
 * the CLI, the scan worker and the editor alike, in time linear in the path and the pattern.
 *
 * Why not picomatch: it compiles a glob to a regular expression with a lazy group per wildcard,
 * and a backtracking engine tries every way to share the path between them. Sixteen `**`
 * segments cost 21 s per path; eight cost 8 s on a 40-folder path; four `*` in one segment 1.5 s
 * on a 255-character file name. Here a glob is split into segments at `/`; a segment is matched
 * against one path segment with the two-pointer wildcard algorithm (O(pattern × segment)); the
 * runs of segments between `**` have fixed lengths, so each is placed at its leftmost fit
 * (exact for this shape, no backtracking): O(path segments × pattern segments) in all.
 *
 * The syntax is picomatch's (with `dot: true`), minus what cannot be matched that way:
 * `*`, `?`, `[abc]`, `[a-z]`, `[!a]`/`[^a]`, `**` as a whole segment (elsewhere it is `*`), `{a,b}`
 * (nested, empty alternatives, `{1..3}`, `{a..c}`), `\` escapes, a leading `!` to negate, a
 * leading `./`. Extglobs (`@(a|b)`, `!(x)`, `+(x)`…), bare `(a|b)` groups and POSIX classes
 * (`[[:alpha:]]`) are rejected with a message (globProblem), as are patterns longer than
 * MAX_GLOB_LENGTH or with more than MAX_BRACE_ALTERNATIVES alternatives. A rejected pattern
 * matches nothing; configFile.ts reports it at its column.
 *
 * `.gitignore` files keep git's semantics through the `ignore` package; boundGitignore() drops
 * the lines that package cannot match in bounded time (see there).
 */

export const MAX_GLOB_LENGTH = 1000;
export const MAX_BRACE_ALTERNATIVES = 256;

const enum Kind { Char, Any, Class, Star }
type Token =
  | { kind: Kind.Char; code: number }
  | { kind: Kind.Any }
  | { kind: Kind.Class; negated: boolean; ranges: number[] } // [lo, hi, lo, hi, …]
  | { kind: Kind.Star };
/** The pattern of one path segment. */
type Segment = Token[];

interface Alternative {
  /** The runs of segments between `**` segments (one run when there is no `**`). */
  runs: Segment[][];
}

interface Compiled {
  negated: boolean;
  alternatives: Alternative[];
}

/** Why a glob is not accepted (unsupported syntax, too long, too many alternatives); undefined when it is. */
export function globProblem(pattern: string): string | undefined {
  if (pattern.length > MAX_GLOB_LENGTH) return `is longer than ${MAX_GLOB_LENGTH} characters`;
  const body = stripPrefix(pattern).body;
  for (let i = 0; i < body.length; i++) {
    const c = body[i];
    if (c === '\\') { i++; continue; }
    if (c === '(' || c === ')' || c === '|') return 'uses "(", ")" or "|": groups and extglobs are not supported (write alternatives in braces, {a,b}, and escape a literal parenthesis: \\()';
    if (c === '[' && body[i + 1] === '[' && body[i + 2] === ':') return 'uses a POSIX class like [[:alpha:]], which globs here do not support; write a range like [a-z]';
  }
  if (expandBraces(body) === undefined) return `expands to more than ${MAX_BRACE_ALTERNATIVES} alternatives`;
  return undefined;
}

/**
 * A matcher for `patterns` (any of them matching means a match), given paths relative to the
 * globs' folder with `/` separators. Patterns globProblem rejects match nothing. Cached: the
 * same list compiles once.
 */
export function globMatcher(patterns: readonly string[]): (relPath: string) => boolean {
  const key = patterns.join('\0');
  let m = cache.get(key);
  if (!m) {
    if (cache.size >= 500) cache.clear();
    const compiled = patterns.map(compile).filter((c): c is Compiled => c !== undefined);
    m = (relPath: string) => {
      const segments = relPath.split('/');
      return compiled.some((c) => c.alternatives.some((a) => matchAlternative(a, segments)) !== c.negated);
    };
    cache.set(key, m);
  }
  return m;
}
const cache = new Map<string, (relPath: string) => boolean>();

function stripPrefix(pattern: string): { negated: boolean; body: string } {
  // as picomatch: on Windows a backslash separates folders; elsewhere it escapes
  let body = process.platform === 'win32' ? pattern.replace(/\\/g, '/') : pattern;
  let negated = false;
  while (body.startsWith('!')) { negated = !negated; body = body.slice(1); }
  while (body.startsWith('./')) body = body.slice(2);
  return { negated, body };
}

function compile(pattern: string): Compiled | undefined {
  if (globProblem(pattern) !== undefined) return undefined;
  const { negated, body } = stripPrefix(pattern);
  const alternatives = expandBraces(body)!.map((alt) => {
    const runs: Segment[][] = [[]];
    let previousGlobstar = false;
    for (const part of alt.split('/')) {
      if (part === '**') {
        if (!previousGlobstar) runs.push([]); // `**/**` is one `**`
        previousGlobstar = true;
        continue;
      }
      previousGlobstar = false;
      runs[runs.length - 1].push(segmentTokens(part));
    }
    return { runs };
  });
  return { negated, alternatives };
}

function segmentTokens(s: string): Segment {
  const out: Token[] = [];
  for (let i = 0; i < s.length; i++) {
    const c = s[i];
    if (c === '\\' && i + 1 < s.length) { out.push({ kind: Kind.Char, code: s.charCodeAt(++i) }); continue; }
    if (c === '*') { if (out[out.length - 1]?.kind !== Kind.Star) out.push({ kind: Kind.Star }); continue; }
    if (c === '?') { out.push({ kind: Kind.Any }); continue; }
    if (c === '[') {
      const cls = parseClass(s, i);
      if (cls) { out.push(cls.token); i = cls.end; continue; }
    }
    out.push({ kind: Kind.Char, code: s.charCodeAt(i) });
  }
  return out;
}

/** `[...]` starting at `start`: the token and the index of its `]`; undefined when unclosed (then `[` is literal). */
function parseClass(s: string, start: number): { token: Token; end: number } | undefined {
  let i = start + 1;
  let negated = false;
  if (s[i] === '!' || s[i] === '^') { negated = true; i++; }
  const ranges: number[] = [];
  let first = true;
  for (; i < s.length; i++) {
    let c = s.charCodeAt(i);
    if (s[i] === ']' && !first) return { token: { kind: Kind.Class, negated, ranges }, end: i };
    first = false;
    if (s[i] === '\\' && i + 1 < s.length) c = s.charCodeAt(++i);
    let hi = c;
    if (s[i + 1] === '-' && i + 2 < s.length && s[i + 2] !== ']') {
      i += 2;
      hi = s[i] === '\\' && i + 1 < s.length ? s.charCodeAt(++i) : s.charCodeAt(i);
    }
    ranges.push(c, hi);
  }
  return undefined;
}

/**
 * `a{b,c{d,e}}f` → abf, acdf, acef; `{1..3}` → 1, 2, 3; a brace with no comma and no range is
 * literal, as is an unclosed one. Undefined beyond MAX_BRACE_ALTERNATIVES.
 */
function expandBraces(pattern: string): string[] | undefined {
  const open = findBrace(pattern);
  if (!open) return [pattern];
  if (open === TOO_MANY) return undefined;
  const { start, end, parts } = open;
  const head = pattern.slice(0, start);
  const tails = expandBraces(pattern.slice(end + 1));
  if (!tails) return undefined;
  const out: string[] = [];
  for (const part of parts) {
    const inner = expandBraces(part);
    if (!inner) return undefined;
    for (const i of inner) {
      for (const t of tails) {
        out.push(head + i + t);
        if (out.length > MAX_BRACE_ALTERNATIVES) return undefined;
      }
    }
  }
  return out;
}

const TOO_MANY = 'too many';

/** The first brace group that expands (has a top-level comma or is a range), with its alternatives. */
function findBrace(s: string): { start: number; end: number; parts: string[] } | typeof TOO_MANY | undefined {
  for (let i = 0; i < s.length; i++) {
    if (s[i] === '\\') { i++; continue; }
    if (s[i] !== '{') continue;
    let depth = 0;
    const commas: number[] = [];
    for (let j = i; j < s.length; j++) {
      if (s[j] === '\\') { j++; continue; }
      if (s[j] === '{') depth++;
      else if (s[j] === '}') {
        depth--;
        if (depth === 0) {
          const inner = s.slice(i + 1, j);
          if (commas.length) {
            const parts: string[] = [];
            let from = i + 1;
            for (const c of commas) { parts.push(s.slice(from, c)); from = c + 1; }
            parts.push(s.slice(from, j));
            return { start: i, end: j, parts };
          }
          const range = braceRange(inner);
          if (range === TOO_MANY) return TOO_MANY;
          if (range) return { start: i, end: j, parts: range };
          break; // `{a}` is literal: look for a later brace
        }
      } else if (s[j] === ',' && depth === 1) commas.push(j);
    }
  }
  return undefined;
}

/** `1..3` → 1, 2, 3; `a..c` → a, b, c (descending too); undefined when not a range. */
function braceRange(inner: string): string[] | typeof TOO_MANY | undefined {
  const m = /^(-?\d{1,9}|[A-Za-z])\.\.(-?\d{1,9}|[A-Za-z])$/.exec(inner);
  if (!m) return undefined;
  const numeric = /\d/.test(m[1]);
  if (numeric !== /\d/.test(m[2])) return undefined;
  const a = numeric ? Number(m[1]) : m[1].charCodeAt(0);
  const b = numeric ? Number(m[2]) : m[2].charCodeAt(0);
  if (Math.abs(b - a) >= MAX_BRACE_ALTERNATIVES) return TOO_MANY;
  const step = a <= b ? 1 : -1;
  const out: string[] = [];
  for (let v = a; ; v += step) {
    out.push(numeric ? String(v) : String.fromCharCode(v));
    if (v === b) break;
  }
  return out;
}

function matchAlternative(alt: Alternative, segments: readonly string[]): boolean {
  const { runs } = alt;
  const n = segments.length;
  const first = runs[0];
  if (runs.length === 1) return first.length === n && runAt(first, segments, 0);
  const last = runs[runs.length - 1];
  const lastStart = n - last.length;
  if (lastStart < first.length || !runAt(first, segments, 0)) return false;
  let pos = first.length;
  for (let r = 1; r < runs.length - 1; r++) {
    const run = runs[r];
    let at = -1;
    for (let j = pos; j + run.length <= lastStart; j++) if (runAt(run, segments, j)) { at = j; break; }
    if (at === -1) return false;
    pos = at + run.length;
  }
  return runAt(last, segments, lastStart);
}

function runAt(run: readonly Segment[], segments: readonly string[], at: number): boolean {
  for (let k = 0; k < run.length; k++) if (!matchSegment(run[k], segments[at + k])) return false;
  return true;
}

/** Two-pointer wildcard match (one backtrack point, the last `*`): O(tokens × characters). */
function matchSegment(tokens: Segment, s: string): boolean {
  // picomatch's `*` (and `**` inside a segment) never matches an empty segment on its own
  if (s.length === 0) return tokens.length === 0;
  let t = 0;
  let i = 0;
  let starT = -1;
  let starI = 0;
  while (i < s.length) {
    const tok = tokens[t];
    if (tok && tok.kind === Kind.Star) { starT = t++; starI = i; continue; }
    if (tok && matchesOne(tok, s.charCodeAt(i))) { t++; i++; continue; }
    if (starT === -1) return false;
    t = starT + 1;
    i = ++starI;
  }
  while (t < tokens.length && tokens[t].kind === Kind.Star) t++;
  return t === tokens.length;
}

function matchesOne(tok: Token, code: number): boolean {
  switch (tok.kind) {
    case Kind.Char: return tok.code === code;
    case Kind.Any: return true;
    case Kind.Class: {
      let inside = false;
      for (let k = 0; k < tok.ranges.length; k += 2) if (code >= tok.ranges[k] && code <= tok.ranges[k + 1]) { inside = true; break; }
      return inside !== tok.negated;
    }
    default: return false;
  }
}

// ---- .gitignore ---------------------------------------------------------------------------------

/** More `**` segments than this before a line's last segment and the `ignore` package backtracks without bound. */
export const MAX_GITIGNORE_GLOBSTARS = 1;

/**
 * The lines of a `.gitignore` the `ignore` package can match in bounded time, consecutive `**`
 * segments collapsed (`a/**\/**\/b` is `a/**\/b` to git), and, when some were left out, a
 * problem naming them: lines longer than MAX_GLOB_LENGTH, or with more than
 * MAX_GITIGNORE_GLOBSTARS `**` before the last segment (`**\/a/**\/a/b`: its expression takes
 * 210 ms on a 1,000-character path and 24 s on a 4,000-character one; sixteen `**` take 25 s on a
 * 32-folder path; a trailing `/**` costs nothing).
 */
export function boundGitignore(text: string): { text: string; problem?: string } {
  const skipped: number[] = [];
  const lines = text.split(/\r?\n/).map((line, i) => {
    if (line.startsWith('#') || (!line.includes('**') && line.length <= MAX_GLOB_LENGTH)) return line;
    if (line.length > MAX_GLOB_LENGTH) { skipped.push(i + 1); return ''; }
    const parts: string[] = [];
    for (const p of line.split('/')) if (!(p === '**' && parts[parts.length - 1] === '**')) parts.push(p);
    const inner = parts.slice(0, -1).filter((p) => p.includes('**')).length;
    if (inner > MAX_GITIGNORE_GLOBSTARS) { skipped.push(i + 1); return ''; }
    return parts.join('/');
  });
  if (skipped.length === 0) return { text: lines.join('\n') };
  const which = skipped.length === 1 ? `line ${skipped[0]}` : `lines ${skipped.slice(0, 10).join(', ')}${skipped.length > 10 ? ` and ${skipped.length - 10} more` : ''}`;
  return {
    text: lines.join('\n'),
    problem: `${which} not applied: a pattern with more than ${MAX_GITIGNORE_GLOBSTARS} "**" before its last segment, or longer than ${MAX_GLOB_LENGTH} characters, cannot be matched in bounded time`,
  };
}
