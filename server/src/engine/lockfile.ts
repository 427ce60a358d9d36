/**
 * Resolved dependency versions from the project's lockfile (package-lock.json,
 * npm-shrinkwrap.json, pnpm-lock.yaml, yarn.lock — classic and berry), for the few fixes whose
 * code depends on a library's major version (express-rate-limit `max` → `limit`, p-retry ESM-only,
 * cockatiel's functional API, the LaunchDarkly context shape).
 *
 * Deliberately minimal: only the versions of the package's own direct dependencies are read, by
 * line-oriented extraction rather than a full YAML parser (no dependency, bounded work). A
 * malformed or unknown lockfile yields no versions, never an exception: callers then fall back to
 * the minimum of the semver range in package.json.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { readWorkspaceText } from './readSource';

export const LOCKFILES = ['package-lock.json', 'npm-shrinkwrap.json', 'pnpm-lock.yaml', 'yarn.lock'] as const;

/** Lockfiles larger than this are not read (a version falls back to package.json's range). */
const MAX_LOCKFILE_BYTES = 32 * 1024 * 1024;

const VERSION = /^v?(\d+)\.(\d+)\.(\d+)(?:[-+][0-9A-Za-z.+-]*)?/;

/** "7.1.5", "7.1.5(express@4.19.2)", "7.1.5_express@4.19.2" → "7.1.5"; anything else → undefined. */
export function cleanVersion(raw: string | undefined): string | undefined {
  if (!raw) return undefined;
  const m = VERSION.exec(raw.trim().replace(/^['"]|['"]$/g, ''));
  return m ? `${m[1]}.${m[2]}.${m[3]}` : undefined;
}

/**
 * The lowest version a semver range admits, as "major.minor.patch": "^7.2.0" → "7.2.0",
 * ">=6 <8" → "6.0.0", "6.x || 7" → "6.0.0", "~4.1" → "4.1.0", "npm:p-retry@^6" → "6.0.0".
 * Undefined for "*", "latest", tags, URLs, git, file:, link: and workspace: ranges.
 */
export function minimumVersion(range: string | undefined): string | undefined {
  if (!range) return undefined;
  let r = range.trim();
  const alias = /^npm:(?:@[^/@\s]+\/)?[^@\s]+@(.*)$/.exec(r);
  if (alias) r = alias[1];
  // git, file:, link:, workspace:, URLs, paths and GitHub shorthands name no version
  if (/^(?:[a-z][a-z0-9+.-]*:|\.{0,2}\/|~\/)/i.test(r) || /^[\w.-]+\/[\w.-]+/.test(r)) return undefined;
  let best: [number, number, number] | undefined;
  for (const alternative of r.split('||')) {
    // in a hyphen range "1.2 - 2" or a comparator set ">=6 <8" the first bound is the lowest
    const bound = /(?:^|\s|>=?|\^|~|=|v)(\d+)(?:\.(\d+|x|\*))?(?:\.(\d+|x|\*))?/i.exec(alternative.trim());
    if (!bound || /^\s*</.test(alternative)) continue;
    const part = (s: string | undefined) => (s === undefined || s === 'x' || s === 'X' || s === '*' ? 0 : Number(s));
    let v: [number, number, number] = [Number(bound[1]), part(bound[2]), part(bound[3])];
    // ">6" admits 7.0.0 and up: bump the major when the bound is exclusive and has no minor
    if (/^\s*>(?!=)/.test(alternative) && bound[2] === undefined) v = [v[0] + 1, 0, 0];
    if (!best || v[0] < best[0] || (v[0] === best[0] && (v[1] < best[1] || (v[1] === best[1] && v[2] < best[2])))) best = v;
  }
  return best ? best.join('.') : undefined;
}

/** The nearest lockfile at or above `dir` (a workspace package uses the repository's). */
export function findLockfile(dir: string, maxLevels = 8): string | undefined {
  let current = dir;
  for (let i = 0; i <= maxLevels; i++) {
    for (const name of LOCKFILES) {
      const candidate = path.join(current, name);
      try {
        if (fs.statSync(candidate).isFile()) return candidate;
      } catch {
        // not here
      }
    }
    const parent = path.dirname(current);
    if (parent === current) break;
    current = parent;
  }
  return undefined;
}

/**
 * Resolved versions of `wanted` (name → range from package.json) for the package in
 * `packageDir`, read from the lockfile's text. Names the lockfile does not resolve are absent.
 */
export function versionsFromLockfile(lockfile: string, text: string, packageDir: string, wanted: ReadonlyMap<string, string>): Map<string, string> {
  const rel = path.relative(path.dirname(lockfile), packageDir).split(path.sep).join('/');
  try {
    const base = path.basename(lockfile);
    if (base === 'pnpm-lock.yaml') return fromPnpm(text, rel, wanted);
    if (base === 'yarn.lock') return fromYarn(text, wanted);
    return fromNpm(text, rel, wanted);
  } catch {
    return new Map();
  }
}

/** Reads the lockfile and extracts the versions; a missing, huge or unreadable file gives none. */
export function readLockfileVersions(lockfile: string, packageDir: string, wanted: ReadonlyMap<string, string>, roots?: readonly string[]): Map<string, string> {
  // size-checked before it is read, never through a link out of the roots (readSource.ts)
  const text = readWorkspaceText(lockfile, { maxBytes: MAX_LOCKFILE_BYTES, roots });
  return text === undefined ? new Map() : versionsFromLockfile(lockfile, text, packageDir, wanted);
}

// ---- npm ---------------------------------------------------------------------------------------

function fromNpm(text: string, rel: string, wanted: ReadonlyMap<string, string>): Map<string, string> {
  const out = new Map<string, string>();
  const lock = JSON.parse(text) as unknown;
  if (!lock || typeof lock !== 'object') return out;
  const record = lock as { packages?: Record<string, { version?: unknown }>; dependencies?: Record<string, { version?: unknown }> };
  const packages = record.packages && typeof record.packages === 'object' ? record.packages : undefined;
  const legacy = record.dependencies && typeof record.dependencies === 'object' ? record.dependencies : undefined;
  for (const name of wanted.keys()) {
    // lockfile v2/v3: a workspace package's own copy first, then the hoisted one
    const keys = rel && rel !== '.' ? [`${rel}/node_modules/${name}`, `node_modules/${name}`] : [`node_modules/${name}`];
    let version: string | undefined;
    for (const key of keys) {
      const entry = packages?.[key];
      version = entry && typeof entry === 'object' && typeof entry.version === 'string' ? cleanVersion(entry.version) : undefined;
      if (version) break;
    }
    // lockfile v1
    if (!version) {
      const entry = legacy?.[name];
      version = entry && typeof entry === 'object' && typeof entry.version === 'string' ? cleanVersion(entry.version) : undefined;
    }
    if (version) out.set(name, version);
  }
  return out;
}

// ---- pnpm --------------------------------------------------------------------------------------

const DEP_SECTIONS = new Set(['dependencies', 'devDependencies', 'optionalDependencies', 'peerDependencies']);

function unquote(s: string): string {
  const t = s.trim();
  return /^(['"]).*\1$/.test(t) ? t.slice(1, -1) : t;
}

/** JavaScript's `\s`: the whitespace and line terminators that String.prototype.trim removes. */
function isSpace(c: number): boolean {
  return c === 32 || (c >= 9 && c <= 13) || c === 0xa0 || c === 0x1680 || (c >= 0x2000 && c <= 0x200a) ||
    c === 0x2028 || c === 0x2029 || c === 0x202f || c === 0x205f || c === 0x3000 || c === 0xfeff;
}

/**
 * Splits `key: value` (key possibly quoted, value without its ` # comment`); undefined for lines
 * that are not a mapping entry. A scanner, one pass over the line: a regular expression with a
 * lazy key followed by `\s*:` backtracked quadratically on long lines (a 146 KB line took 31 s).
 * Exported for tests.
 */
export function yamlEntry(line: string): { indent: number; key: string; value: string } | undefined {
  const n = line.length;
  let i = 0;
  while (i < n && line.charCodeAt(i) === 32) i++;
  const indent = i;
  if (i === n) return undefined;
  let key: string;
  let colon: number;
  const first = line[i];
  if (first === "'" || first === '"') {
    const close = line.indexOf(first, i + 1);
    if (close === -1) return undefined;
    key = line.slice(i + 1, close);
    colon = close + 1;
    while (colon < n && isSpace(line.charCodeAt(colon))) colon++;
    if (line[colon] !== ':') return undefined;
  } else {
    if (isSpace(line.charCodeAt(i)) || first === ':' || first === '#') return undefined;
    colon = i + 1;
    while (colon < n && line[colon] !== ':' && line[colon] !== '#') colon++;
    if (line[colon] !== ':') return undefined;
    let end = colon;
    while (end > i + 1 && isSpace(line.charCodeAt(end - 1))) end--;
    key = line.slice(i, end);
  }
  // after the colon: nothing, or whitespace and then the value (`key:value` is not an entry)
  const rest = line.slice(colon + 1);
  if (rest.length > 0 && !isSpace(rest.charCodeAt(0))) return undefined;
  let value = rest.trim();
  // a comment starts at a `#` preceded by whitespace; the whitespace before it goes too
  for (let h = value.indexOf('#'); h !== -1; h = value.indexOf('#', h + 1)) {
    if (h > 0 && isSpace(value.charCodeAt(h - 1))) {
      let s = h - 1;
      while (s > 0 && isSpace(value.charCodeAt(s - 1))) s--;
      value = value.slice(0, s);
      break;
    }
  }
  return { indent, key, value };
}

function fromPnpm(text: string, rel: string, wanted: ReadonlyMap<string, string>): Map<string, string> {
  const out = new Map<string, string>();
  const importer = rel === '' ? '.' : rel;
  const lines = text.split(/\r?\n/);
  // where we are: top-level key, importer key, dependency section, current package (v6+ nests { specifier, version })
  let top = '';
  let inImporter = false;
  let importerIndent = -1;
  let section = false;
  let sectionIndent = -1;
  let current: { name: string; indent: number } | undefined;
  const packagesSeen = new Map<string, Set<string>>();
  for (const line of lines) {
    if (line.trim() === '' || line.trimStart().startsWith('#')) continue;
    const e = yamlEntry(line);
    if (!e) continue;
    if (e.indent === 0) {
      top = e.key;
      inImporter = top !== 'importers' && DEP_SECTIONS.has(top) && importer === '.'; // lockfile v5 without workspaces
      section = inImporter;
      sectionIndent = 0;
      importerIndent = -1;
      current = undefined;
      continue;
    }
    if (top === 'importers') {
      if (importerIndent === -1 || e.indent <= importerIndent) {
        importerIndent = e.indent;
        inImporter = e.key === importer;
        section = false;
        current = undefined;
        continue;
      }
      if (!inImporter) continue;
      if (DEP_SECTIONS.has(e.key) && (sectionIndent === -1 || e.indent <= sectionIndent || !section)) {
        section = true;
        sectionIndent = e.indent;
        current = undefined;
        continue;
      }
    }
    if (section && (top === 'importers' || DEP_SECTIONS.has(top))) {
      if (e.indent <= sectionIndent) { section = false; current = undefined; continue; }
      if (current && e.indent > current.indent) {
        if (e.key === 'version' && !out.has(current.name)) {
          const v = cleanVersion(unquote(e.value));
          if (v) out.set(current.name, v);
        }
        continue;
      }
      if (wanted.has(e.key)) {
        current = { name: e.key, indent: e.indent };
        const v = e.value ? cleanVersion(unquote(e.value)) : undefined; // v5: `name: 1.2.3`
        if (v && !out.has(e.key)) out.set(e.key, v);
      } else current = undefined;
      continue;
    }
    if ((top === 'packages' || top === 'snapshots') && e.indent > 0) {
      // keys: "/name@1.2.3", "/name/1.2.3" (v5), "name@1.2.3(peer@x)" (v9), "/@scope/name@1.2.3"
      const m = /^\/?((?:@[^/@]+\/)?[^/@(]+)[@/](\d[^(_/]*)/.exec(e.key);
      if (m && wanted.has(m[1])) {
        const v = cleanVersion(m[2]);
        if (v) {
          const set = packagesSeen.get(m[1]) ?? new Set<string>();
          set.add(v);
          packagesSeen.set(m[1], set);
        }
      }
    }
  }
  // a name the importer did not list: the packages section decides when it holds one version only
  for (const [name, versions] of packagesSeen) if (!out.has(name) && versions.size === 1) out.set(name, [...versions][0]);
  return out;
}

// ---- yarn --------------------------------------------------------------------------------------

function fromYarn(text: string, wanted: ReadonlyMap<string, string>): Map<string, string> {
  const out = new Map<string, string>();
  const byName = new Map<string, { ranges: string[]; version: string }[]>();
  let heads: { name: string; range: string }[] = [];
  for (const line of text.split(/\r?\n/)) {
    if (line.trim() === '' || line.startsWith('#')) continue;
    if (!line.startsWith(' ') && line.trimEnd().endsWith(':')) {
      // `"a@^1.0.0", a@^1.2.0:` (classic) or `"a@npm:^1.0.0, a@npm:^1.2.0":` (berry)
      heads = [];
      for (const raw of line.trimEnd().slice(0, -1).split(',')) {
        const spec = unquote(raw.trim());
        const at = spec.indexOf('@', 1);
        if (at <= 0) continue;
        const name = spec.slice(0, at);
        if (wanted.has(name)) heads.push({ name, range: spec.slice(at + 1).replace(/^npm:/, '') });
      }
      continue;
    }
    if (heads.length === 0) continue;
    const m = /^\s+version:?\s+"?([^"\s]+)"?\s*$/.exec(line);
    if (!m) continue;
    const version = cleanVersion(m[1]);
    if (version) {
      for (const h of heads) {
        const list = byName.get(h.name) ?? [];
        list.push({ ranges: [h.range], version });
        byName.set(h.name, list);
      }
    }
    heads = [];
  }
  for (const [name, entries] of byName) {
    const range = wanted.get(name) ?? '';
    const exact = entries.find((x) => x.ranges.includes(range) || x.ranges.includes(`npm:${range}`));
    const distinct = new Set(entries.map((x) => x.version));
    if (exact) out.set(name, exact.version);
    else if (distinct.size === 1) out.set(name, entries[0].version);
  }
  return out;
}
