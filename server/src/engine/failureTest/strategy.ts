/**
 * How the test makes the dependency fail and reaches the code, using only what the project has
 * installed, in this order: undici `MockAgent` for global fetch/undici; nock for http, axios,
 * got, node-fetch (and fetch from nock 14 on); msw (node) when installed; for DB/cache/SDK
 * clients a stub of the shared client the code imports (vi.spyOn / jest.spyOn / node:test
 * mock.method / a hand-rolled stub under mocha), an injected fake when the code takes the client
 * as a parameter, or a module mock (vi.mock / jest.mock) of the driver when the file creates the
 * client itself. When something needed is missing, `missing` names the packages to install.
 */
import { dependencyMajor, hasDependency, type ProjectFacts } from '../project';
import type { Runner } from './layout';
import type { FailureTarget } from './target';

export type Strategy =
  | { kind: 'undici' }
  | { kind: 'nock' }
  | { kind: 'msw' }
  | { kind: 'spy' }
  | { kind: 'fake' }
  | { kind: 'module-mock'; factory?: readonly string[] };

export type Plan =
  | { ok: true; strategy: Strategy }
  | { ok: false; missing: string[]; reason: string };

const FETCH_MODULES = new Set(['global', 'undici', 'ky']);

export function chooseStrategy(target: FailureTarget, project: ProjectFacts, runner: Runner, typescript: boolean, factory?: readonly string[]): Plan {
  const has = (p: string) => hasDependency(project, p);
  const missing: string[] = [];
  let strategy: Strategy | undefined;
  const dep = target.dependency;
  if (dep.kind === 'http') {
    if (FETCH_MODULES.has(dep.module)) {
      if (has('undici')) strategy = { kind: 'undici' };
      else if (has('msw')) strategy = { kind: 'msw' };
      else if (has('nock') && (dependencyMajor(project, 'nock') ?? 0) >= 14) strategy = { kind: 'nock' };
      else missing.push('undici');
    } else if (has('nock')) strategy = { kind: 'nock' };
    else if (has('msw')) strategy = { kind: 'msw' };
    else missing.push('nock');
  } else {
    switch (dep.source.kind) {
      case 'parameter': strategy = { kind: 'fake' }; break;
      case 'import': strategy = { kind: 'spy' }; break;
      case 'member':
        if (target.invoke.kind !== 'route' || target.invoke.framework !== 'nestjs') {
          return { ok: false, missing: [], reason: 'the client is a class member: only NestJS controllers are supported' };
        }
        strategy = { kind: 'fake' };
        break;
      case 'library':
        if (runner !== 'vitest' && runner !== 'jest') {
          return { ok: false, missing: [], reason: `${runner} cannot mock the ${dep.module} module: export the client or pass it as a parameter` };
        }
        strategy = { kind: 'module-mock', factory };
        break;
    }
  }
  const invoke = target.invoke;
  if (invoke.kind === 'route') {
    const needsSupertest = invoke.framework === 'nestjs' || ((invoke.framework === 'express' || invoke.framework === 'koa'));
    if (needsSupertest && !has('supertest')) missing.push('supertest', ...(typescript ? ['@types/supertest'] : []));
    if (invoke.framework === 'nestjs' && !has('@nestjs/testing')) missing.push('@nestjs/testing');
  }
  if (runner === 'node:test' && typescript && !has('tsx') && !has('ts-node') && !has('@swc-node/register')) {
    // node:test runs TypeScript tests through a loader; say which one it would use
    missing.push('tsx');
  }
  if (missing.length > 0 || !strategy) return { ok: false, missing, reason: `needs ${missing.join(', ')}` };
  return { ok: true, strategy };
}
