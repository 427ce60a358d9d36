/**
 * Project facts: what the nearest package.json says about the project's stack. The facts are
 * plain data handed to the engine; `ProjectLoader` reads them from disk (with a cache keyed by
 * directory) for the server and the CLI. Nothing in a workspace is ever executed: package.json
 * is read as JSON and nothing else.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { LOGGER_MODULES, FLAG_MODULES } from './modules';
import { cleanVersion, findLockfile, minimumVersion, readLockfileVersions } from './lockfile';
import { findLocalModules, type LocalModules } from './localModules';
import { MAX_MANIFEST_BYTES, readWorkspaceFileOrThrow, rootsOf, type RootsSource } from './readSource';

export interface ProjectFacts {
  /** Folder of the package.json the facts came from, if any. */
  root?: string;
  /** dependencies + devDependencies + peerDependencies + optionalDependencies: name → range. */
  dependencies: ReadonlyMap<string, string>;
  /** The structured logger library the project depends on, if any (first match wins). */
  loggerLibrary?: 'pino' | 'winston' | 'bunyan' | 'log4js' | 'nestjs';
  /** The feature-flag SDK the project depends on, if any. */
  flagSdk?: { provider: string; module: string };
  /**
   * 'browser' when the package depends on a UI framework and on no server framework (a frontend
   * package: its files run in the browser even when they do not import React themselves).
   */
  runtime?: 'browser' | 'server' | 'cli';
  /** The nearest package.json's "type" ("module" makes .js/.ts files ES modules). */
  moduleType?: 'module' | 'commonjs';
  /** True for a package.json that only sets a module type (no name, no dependencies). */
  marker?: boolean;
  /**
   * False for a package with dependencies but none of a server, database, cache or logger: a
   * library or tool whose console output is its interface. Undefined when unknown.
   */
  service?: boolean;
  /**
   * Project-wide signals from the project index, when one was built (CLI, workspace scan): the
   * `process.on(…)` events handled anywhere and the number of health routes. Rules that need a
   * project-wide view (process-health) stay conservative when this is absent.
   */
  signals?: { processEvents: string[]; healthRoutes: number };
  /**
   * Resolved versions ("7.1.5") of direct dependencies from the nearest lockfile, when one was
   * read. dependencyVersion() prefers these to the range in package.json.
   */
  versions?: ReadonlyMap<string, string>;
  /** The project's own logger and flags modules (see localModules.ts), when found. */
  local?: LocalModules;
}

const SERVICE_HINTS = ['@nestjs/core', 'bullmq', 'bull', 'node-cron', 'cron', 'agenda', 'amqplib', 'kafkajs', '@aws-sdk/client-sqs', 'mysql2', 'mongodb', '@temporalio/worker', 'stripe', 'nodemailer', 'socket.io', 'ws', 'graphql', '@apollo/server'];
const UI_DEPS = ['react', 'react-dom', 'vue', '@angular/core', 'svelte', 'solid-js', 'preact', '@remix-run/react'];
const SERVER_DEPS = ['express', 'fastify', 'koa', '@nestjs/core', '@nestjs/common', 'hono', 'next', '@hapi/hapi', 'restify', 'nuxt', '@sveltejs/kit', '@remix-run/node', 'pg', 'mongoose', 'mongodb', 'ioredis', 'redis', '@prisma/client', 'bullmq', 'typeorm', 'sequelize', 'knex'];

export const EMPTY_PROJECT: ProjectFacts = Object.freeze({ dependencies: new Map() });

/**
 * A package that lives in a repository's examples/playground folder (or is named like one:
 * `sample-nodejs`, `push-examples`) is a demo, not a service. A file's own path is classified
 * relative to its package, so this looks at the package root. `examplesFolder: false` leaves
 * packages under a plain examples/, templates/ or starters/ folder in: they show how to build a
 * service, and advice on running one (process-health, unmonitored-job) applies to them.
 */
export function isExampleProject(project: ProjectFacts, opts: { examplesFolder?: boolean } = {}): boolean {
  const root = project.root;
  if (!root) return false;
  const named = /[\\/]((playgrounds?|sandbox(es)?|demos?|samples?)|(examples?|samples?|demos?)-[\w.-]+|[\w.-]+-(examples?|samples?|demos?))([\\/]|$)/i;
  return named.test(root) || (opts.examplesFolder !== false && /[\\/](examples?|starters?|templates?)([\\/]|$)/i.test(root));
}

export function hasDependency(project: ProjectFacts, name: string): boolean {
  return project.dependencies.has(name);
}

/**
 * The version of a dependency fixes should write code for: the lockfile's resolved version, else
 * the lowest version package.json's range admits ("^7.2.0" → "7.2.0", ">=6 <8" → "6.0.0").
 * Undefined when neither says (not a dependency, "*", "latest", a git URL).
 */
export function dependencyVersion(project: ProjectFacts, name: string): string | undefined {
  const locked = cleanVersion(project.versions?.get(name));
  if (locked) return locked;
  return minimumVersion(project.dependencies.get(name));
}

/** Major version of a dependency (see dependencyVersion), when it can be known. */
export function dependencyMajor(project: ProjectFacts, name: string): number | undefined {
  const v = dependencyVersion(project, name);
  return v === undefined ? undefined : Number(v.split('.')[0]);
}

const LOGGER_ORDER = ['pino', 'winston', 'bunyan', 'log4js'] as const;

export function projectFactsFromPackageJson(pkg: unknown, root?: string): ProjectFacts {
  const deps = new Map<string, string>();
  if (pkg && typeof pkg === 'object') {
    for (const key of ['peerDependencies', 'optionalDependencies', 'devDependencies', 'dependencies']) {
      const section = (pkg as Record<string, unknown>)[key];
      if (section && typeof section === 'object') {
        for (const [name, range] of Object.entries(section as Record<string, unknown>)) {
          deps.set(name, typeof range === 'string' ? range : '*');
        }
      }
    }
  }
  let loggerLibrary: ProjectFacts['loggerLibrary'];
  for (const lib of LOGGER_ORDER) if (deps.has(lib)) { loggerLibrary = LOGGER_MODULES[lib] as ProjectFacts['loggerLibrary']; break; }
  if (!loggerLibrary && deps.has('@nestjs/common')) loggerLibrary = 'nestjs';
  let flagSdk: ProjectFacts['flagSdk'];
  for (const [module, provider] of Object.entries(FLAG_MODULES)) {
    if (deps.has(module)) { flagSdk = { provider, module }; break; }
  }
  const serverish = SERVER_DEPS.some((d) => deps.has(d));
  const hasBin = !!pkg && typeof pkg === 'object' && (pkg as Record<string, unknown>).bin !== undefined;
  // a UI package runs in the browser; a package that ships a `bin` and no server is a command-line tool
  const runtime = !serverish && UI_DEPS.some((d) => deps.has(d)) ? 'browser' : !serverish && hasBin ? 'cli' : undefined;
  const obj = pkg && typeof pkg === 'object' ? (pkg as Record<string, unknown>) : {};
  // what the package runs with: its own dependencies (peers and dev tools say what it supports or builds with)
  const prodSection = obj.dependencies && typeof obj.dependencies === 'object' ? Object.keys(obj.dependencies as object) : [];
  const prod = new Set(prodSection);
  const service = deps.size === 0 ? undefined
    : prod.size === 0 ? serverish || loggerLibrary !== undefined
      : [...SERVER_DEPS, ...SERVICE_HINTS, ...LOGGER_ORDER, '@nestjs/common'].some((d) => prod.has(d));
  const marker = obj.name === undefined && deps.size === 0 ? true : undefined;
  const moduleType = obj.type === 'module' || obj.type === 'commonjs' ? obj.type : undefined;
  return { root, dependencies: deps, loggerLibrary, flagSdk, runtime, marker, service, ...(moduleType ? { moduleType } : {}) };
}

/** Finds and reads the nearest package.json above a file, caching per directory. */
export class ProjectLoader {
  private readonly byDir = new Map<string, ProjectFacts>();
  private readonly byPackageJson = new Map<string, { mtimeMs: number; lock?: string; lockMtimeMs?: number; facts: ProjectFacts }>();

  /**
   * `roots`: the folders being checked, as containmentRoots gives them (a function when they
   * change, as workspace folders do): package.json, the lockfile and local modules are never read
   * through a link that leads out of them (readSource.ts). A package.json above the folders that
   * is not itself a link is still read (a monorepo's root package.json).
   */
  constructor(
    private readonly onProblem: (message: string) => void = () => {},
    private readonly roots?: RootsSource,
  ) {}

  forFile(filePath: string): ProjectFacts {
    return this.forDirectory(path.dirname(path.resolve(filePath)));
  }

  forDirectory(dir: string): ProjectFacts {
    const cached = this.byDir.get(dir);
    if (cached) return cached;
    let facts: ProjectFacts = EMPTY_PROJECT;
    let current = dir;
    let nearestType: ProjectFacts['moduleType'] | null = null;
    for (;;) {
      const candidate = path.join(current, 'package.json');
      const read = this.read(candidate);
      // a package.json with no name and no dependencies only marks a module type ({ "type": "module" }):
      // the project is further up, but the nearest "type" is the one Node applies
      if (read && nearestType === null) nearestType = read.moduleType;
      if (read && !read.marker) {
        facts = nearestType === read.moduleType || nearestType === null ? read : { ...read, moduleType: nearestType };
        break;
      }
      const parent = path.dirname(current);
      if (parent === current || path.basename(current) === 'node_modules') break;
      current = parent;
    }
    this.byDir.set(dir, facts);
    return facts;
  }

  /** Forget cached facts (e.g. a package.json changed). */
  invalidate(): void {
    this.byDir.clear();
    this.byPackageJson.clear();
  }

  private read(file: string): ProjectFacts | undefined {
    let stat: fs.Stats;
    try {
      stat = fs.statSync(file);
      if (!stat.isFile()) return undefined;
    } catch {
      return undefined;
    }
    const dir = path.dirname(file);
    const lock = findLockfile(dir);
    const lockMtimeMs = lock ? mtimeOf(lock) : undefined;
    const hit = this.byPackageJson.get(file);
    if (hit && hit.mtimeMs === stat.mtimeMs && hit.lock === lock && hit.lockMtimeMs === lockMtimeMs) return hit.facts;
    let facts: ProjectFacts;
    const roots = rootsOf(this.roots);
    try {
      facts = projectFactsFromPackageJson(JSON.parse(readWorkspaceFileOrThrow(file, { maxBytes: MAX_MANIFEST_BYTES, roots })), dir);
    } catch (err) {
      this.onProblem(`Could not read ${file}: ${(err as Error).message}; dependencies from it are ignored.`);
      facts = { ...EMPTY_PROJECT, root: dir };
    }
    if (lock && facts.dependencies.size > 0 && !facts.marker) {
      // a malformed lockfile gives no versions; fixes then use the ranges' minimum versions
      const versions = readLockfileVersions(lock, dir, facts.dependencies, roots);
      if (versions.size > 0) facts = { ...facts, versions };
    }
    if (!facts.marker) {
      const local = findLocalModules(dir, roots);
      if (local.logger || local.flags) facts = { ...facts, local };
    }
    this.byPackageJson.set(file, { mtimeMs: stat.mtimeMs, lock, lockMtimeMs, facts });
    return facts;
  }
}

function mtimeOf(file: string): number | undefined {
  try {
    return fs.statSync(file).mtimeMs;
  } catch {
    return undefined;
  }
}
