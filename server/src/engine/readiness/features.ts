/**
 * Features: which files belong together. From `.failpath.json` `features` when present, otherwise
 * inferred — src/features|modules|domains|services/<name>/, NestJS modules (a folder with a
 * *.module.ts), Next.js app/ and pages/ route segments, and the HTTP routes a file registers.
 * Every file belongs to one feature or to "shared".
 */
import * as path from 'node:path';
import { globMatcher } from '../glob';
import type { ProjectIndex } from './projectIndex';
import { FRAMEWORK, OPERATIONAL_SEGMENTS } from '../../knowledge';
import { isTestPath } from '../../workspace/roles';

import type { FeatureConfig } from '../configFile';
export type { FeatureConfig };

export interface Feature {
  name: string;
  /** Absolute paths. */
  files: string[];
  flags: string[];
  owner?: string;
  source: 'config' | 'folder' | 'nest-module' | 'next-route' | 'routes' | 'imports' | 'shared';
}

export const SHARED = 'shared';

const FOLDER_FEATURE = /(?:^|\/)(?:src\/)?(?:features|modules|domains|services)\/([^/]+)\//;
const NEXT_ROUTE = /(?:^|\/)(?:src\/)?(?:app|pages)\/(?:api\/)?((?:\([^/]+\)\/)*)([^/()[\]]+)\//;
const GENERIC_SEGMENTS = new Set(['api', 'v1', 'v2', 'v3', 'v4', 'internal', 'public', 'admin', '']);
/** Folders of a modules/services tree that hold code kinds, not a feature (ghostfolio: services/interfaces/). */
const GENERIC_FOLDERS = new Set(['interfaces', 'types', 'typings', 'utils', 'util', 'helpers', 'common', 'shared', 'lib', 'constants', 'models', 'dto', 'dtos', 'decorators', 'guards', 'interceptors', 'pipes']);

/**
 * A Next.js routing file: route.ts, page.tsx, layout.tsx… under an app/ folder, or anything under pages/. A plain
 * src/app/ folder (Express apps often have one) is not a Next.js app; its helpers join a feature
 * through the import pass instead.
 */
const NEXT_APP_FILE = /(?:^|\/)app\/(?:.*\/)?(?:route|page|layout|loading|error|not-found|template|default)\.[cm]?[jt]sx?$/;
const NEXT_PAGES_FILE = /(?:^|\/)pages\//;
function isNextRouteFile(rel: string): boolean {
  return NEXT_APP_FILE.test(rel) || NEXT_PAGES_FILE.test(rel);
}

/** Test code by its path (workspace/roles.ts, the one classifier). */
export function isTestFile(rel: string): boolean {
  return isTestPath(rel);
}

function firstSegment(routePath: string): string | undefined {
  for (const seg of routePath.split('/')) {
    if (!seg || seg.startsWith(':') || seg.startsWith('{') || seg.startsWith('*') || GENERIC_SEGMENTS.has(seg.toLowerCase())) continue;
    // RPC-style paths name the resource before the method (outline: /documents.list, /events.list);
    // a leading underscore marks an internal route (/_health)
    const name = seg.replace(/^_+/, '').replace(/\..*/s, '').replace(/([a-z0-9])([A-Z])/g, '$1-$2').toLowerCase();
    if (name) return name;
  }
  return undefined;
}

const ROUTER_SUFFIX = /(?:[._-](?:routes?|router|controller|handlers?|endpoints?|api)|(?:Routes?|Router|Controller|Handlers?))$/;
const ROUTER_FOLDER = /(?:^|\/)(?:routes|routers|controllers|endpoints|handlers|api)\//;
const OPERATIONAL = new Set(OPERATIONAL_SEGMENTS);
// package-literals: not a package (file stems: http.ts is a router module's name)
const GENERIC_STEMS = new Set(['index', 'routes', 'route', 'router', 'routers', 'app', 'server', 'main', 'api', 'v1', 'v2', 'controller', 'controllers', 'handlers', 'http', 'web']);

const OPERATIONAL_PATH = new RegExp(`^/(?:api/)?(?:v\\d+/)?(?:${[...OPERATIONAL].join('|')})(?:/|$)`);

/** A health probe, metrics or version endpoint (by its path, or by its router module's name: health.routes.js). */
export function isOperationalRoute(routePath: string, relFile: string): boolean {
  if (OPERATIONAL_PATH.test(routePath)) return true;
  const name = routerModuleName(relFile);
  return name !== undefined && OPERATIONAL.has(name);
}

/** The feature name of a router module (`server/routes/link.routes.js` → link), or undefined. */
export function routerModuleName(rel: string): string | undefined {
  let base = rel.slice(rel.lastIndexOf('/') + 1).replace(/\.[cm]?[jt]sx?$/, '');
  // routes/oauth/index.ts: the folder names the module
  if (base === 'index' && ROUTER_FOLDER.test(rel)) base = rel.split('/').slice(-2)[0];
  const stem = base.replace(ROUTER_SUFFIX, '');
  if (stem === base && !ROUTER_FOLDER.test(rel)) return undefined;
  const name = stem.replace(/([a-z0-9])([A-Z])/g, '$1-$2').toLowerCase();
  return name && !GENERIC_STEMS.has(name) && !name.includes('.') ? name : undefined;
}

export function inferFeatures(index: ProjectIndex, configured?: Record<string, FeatureConfig>): Feature[] {
  const root = index.root;
  const byName = new Map<string, Feature>();
  const owner = new Map<string, string>(); // file → feature name
  const assign = (file: string, name: string, source: Feature['source'], cfg?: FeatureConfig) => {
    if (owner.has(file)) return;
    let f = byName.get(name);
    if (!f) byName.set(name, (f = { name, files: [], flags: cfg?.flags ? [...cfg.flags] : [], owner: cfg?.owner, source }));
    f.files.push(file);
    owner.set(file, name);
  };
  const rel = (f: string) => path.relative(root, f).split(path.sep).join('/');
  // tests exercise features; they are not part of one (nor of shared): readiness is about production code
  const files = [...index.all()].map((f) => f.file).filter((f) => !isTestFile(rel(f))).sort();

  if (configured && Object.keys(configured).length > 0) {
    const matchers = Object.entries(configured).map(([name, cfg]) => ({ name, cfg, match: globMatcher(cfg.paths) }));
    for (const file of files) {
      const m = matchers.find((x) => {
        const r = x.cfg.base ? path.relative(x.cfg.base, file).split(path.sep).join('/') : rel(file);
        return !r.startsWith('../') && x.match(r);
      });
      if (m) assign(file, m.name, 'config', m.cfg);
    }
    for (const { name, cfg } of matchers) if (!byName.has(name)) byName.set(name, { name, files: [], flags: [...(cfg.flags ?? [])], owner: cfg.owner, source: 'config' });
  } else {
    // NestJS modules: the folder holding a *.module.ts
    const nestDirs = files.filter((f) => /\.module\.[cm]?[jt]s$/.test(f)).map((f) => path.dirname(f)).filter((d) => d !== root && path.basename(d) !== 'src');
    nestDirs.sort((a, b) => b.length - a.length); // deepest first
    // app/ and pages/ folders name features only in a Next.js project (ghostfolio's Angular client has app/pages/…)
    const nextApp = [...index.all()].some((e) => e.summary.routes.some((r) => r.framework === FRAMEWORK.next));
    for (const file of files) {
      const r = rel(file);
      const folder = FOLDER_FEATURE.exec(r);
      if (folder && !GENERIC_FOLDERS.has(folder[1].toLowerCase())) { assign(file, folder[1].replace(/\.[^.]+$/, ''), 'folder'); continue; }
      const nest = nestDirs.find((d) => file.startsWith(d + path.sep));
      if (nest) { assign(file, path.basename(nest), 'nest-module'); continue; }
      const next = NEXT_ROUTE.exec(r);
      if (nextApp && next && !next[2].startsWith('_') && isNextRouteFile(r)) { assign(file, next[2], 'next-route'); continue; }
    }
    // files that register routes: named by their routes' common first segment, else (a router
    // module whose paths are relative to its mount point) by the module's name: link.routes.js → link
    for (const entry of index.all()) {
      if (owner.has(entry.file) || entry.summary.routes.length === 0) continue;
      const counts = new Map<string, number>();
      for (const r of entry.summary.routes) {
        const seg = firstSegment(r.path);
        if (seg) counts.set(seg, (counts.get(seg) ?? 0) + 1);
      }
      const best = [...counts].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))[0];
      // most routes under one segment (/articles, /articles/:slug…): that is the feature; else
      // the paths are relative to a mount point (/, /:id, /admin/ban/:id) and the router module's
      // own name says more
      // (a one-letter segment like outline's /s/:shareId names nothing a reader would recognise)
      const name = best && best[1] >= 0.6 * entry.summary.routes.length ? best[0] : routerModuleName(rel(entry.file)) ?? (best && best[0].length > 1 ? best[0] : undefined);
      // operational endpoints (health probes, metrics) are not a feature anyone disables
      if (name && !OPERATIONAL.has(name)) assign(entry.file, name, 'routes');
    }
    // files imported only by one feature's files join that feature (two passes reach helpers of helpers)
    const primary = new Set(owner.keys());
    for (let pass = 0; pass < 2; pass++) {
      for (const file of files) {
        if (owner.has(file)) continue;
        // tests import what they test: they say nothing about which feature a module serves
        const feats = new Set(index.importersOf(file).filter((i) => !isTestFile(rel(i))).map((i) => owner.get(i) ?? SHARED));
        if (feats.size === 1) {
          const only = [...feats][0];
          if (only !== SHARED) assign(file, only, 'imports');
        } else if (feats.size > 1) {
          // imported from several places (a seed script, another feature): a module next to one
          // feature's files (article/article.service.ts beside article/article.controller.ts) is that feature's
          const dir = path.dirname(file);
          const near = [...feats].filter((n) => n !== SHARED && byName.get(n)!.files.some((f) => primary.has(f) && path.dirname(f) === dir));
          if (near.length === 1) assign(file, near[0], 'imports');
        }
      }
    }
  }
  for (const file of files) if (!owner.has(file)) assign(file, SHARED, 'shared');
  return [...byName.values()].sort((a, b) => (a.name === SHARED ? 1 : b.name === SHARED ? -1 : a.name.localeCompare(b.name)));
}

/**
 * The features configured in every .failpath.json above the given files, each with the folder its
 * globs are relative to. A deeper file's feature of the same name wins. Undefined when none is
 * configured (features are then inferred). `load` returns a parsed config file or undefined.
 */
export function configuredFeatures(files: Iterable<string>, load: (configPath: string) => { features?: Record<string, FeatureConfig> } | undefined): Record<string, FeatureConfig> | undefined {
  const memo = new Map<string, { dir: string; features: Record<string, FeatureConfig> }[]>();
  const above = (dir: string): { dir: string; features: Record<string, FeatureConfig> }[] => {
    const hit = memo.get(dir);
    if (hit) return hit;
    const parent = path.dirname(dir);
    const outer = parent === dir ? [] : above(parent);
    const here = load(path.join(dir, '.failpath.json'))?.features;
    const list = here && Object.keys(here).length ? [...outer, { dir, features: here }] : outer;
    memo.set(dir, list);
    return list;
  };
  const found = new Map<string, { dir: string; features: Record<string, FeatureConfig> }>();
  for (const file of files) for (const c of above(path.dirname(file))) found.set(c.dir, c);
  if (found.size === 0) return undefined;
  const out: Record<string, FeatureConfig> = {};
  // outermost first, so deeper definitions override
  for (const c of [...found.values()].sort((a, b) => a.dir.length - b.dir.length)) {
    for (const [name, f] of Object.entries(c.features)) out[name] = { ...f, base: c.dir };
  }
  return out;
}
