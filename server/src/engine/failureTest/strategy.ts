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
import { FRAMEWORK, IO, KNOWLEDGE, LIB, RUNNER, lib, moduleOf } from '../../knowledge';
import type { Runner } from './layout';
import type { FailureTarget } from './target';

export type Strategy =
  // an HTTP mock library (knowledge/ ids: undici's MockAgent, nock, msw)
  | { kind: typeof LIB.undici }
  | { kind: typeof LIB.nock }
  | { kind: typeof LIB.msw }
  | { kind: 'spy' }
  | { kind: 'fake' }
  | { kind: 'module-mock'; factory?: readonly string[] };

export type Plan =
  | { ok: true; strategy: Strategy }
  | { ok: false; missing: string[]; reason: string };

const UNDICI = moduleOf(LIB.undici);
const NOCK = moduleOf(LIB.nock);
const MSW = moduleOf(LIB.msw);
const SUPERTEST = lib(LIB.supertest);
const NEST_TESTING = moduleOf(LIB.nestjsTesting);
/** What node:test runs TypeScript tests through; the first is the one to install. */
const TS_LOADERS = [LIB.tsx, LIB.tsNode, LIB.swcNode].map(moduleOf);

export function chooseStrategy(target: FailureTarget, project: ProjectFacts, runner: Runner, typescript: boolean, factory?: readonly string[]): Plan {
  const has = (p: string) => hasDependency(project, p);
  const missing: string[] = [];
  let strategy: Strategy | undefined;
  const dep = target.dependency;
  if (dep.kind === IO.http) {
    if (KNOWLEDGE.exactLibraryOf(dep.module)?.http?.overFetch) {
      if (has(UNDICI)) strategy = { kind: LIB.undici };
      else if (has(MSW)) strategy = { kind: LIB.msw };
      else if (has(NOCK) && (dependencyMajor(project, NOCK) ?? 0) >= (lib(LIB.nock).testing!.httpMock!.mocksFetchFrom ?? 0)) strategy = { kind: LIB.nock };
      else missing.push(UNDICI);
    } else if (has(NOCK)) strategy = { kind: LIB.nock };
    else if (has(MSW)) strategy = { kind: LIB.msw };
    else missing.push(NOCK);
  } else {
    switch (dep.source.kind) {
      case 'parameter': strategy = { kind: 'fake' }; break;
      case 'import': strategy = { kind: 'spy' }; break;
      case 'member':
        if (target.invoke.kind !== 'route' || target.invoke.framework !== FRAMEWORK.nestjs) {
          return { ok: false, missing: [], reason: 'the client is a class member: only NestJS controllers are supported' };
        }
        strategy = { kind: 'fake' };
        break;
      case 'library':
        if (runner !== RUNNER.vitest && runner !== RUNNER.jest) {
          return { ok: false, missing: [], reason: `${runner} cannot mock the ${dep.module} module: export the client or pass it as a parameter` };
        }
        strategy = { kind: 'module-mock', factory };
        break;
    }
  }
  const invoke = target.invoke;
  if (invoke.kind === 'route') {
    const needsSupertest = invoke.framework === FRAMEWORK.nestjs || ((invoke.framework === FRAMEWORK.express || invoke.framework === FRAMEWORK.koa));
    if (needsSupertest && !has(SUPERTEST.modules[0])) missing.push(SUPERTEST.modules[0], ...(typescript && SUPERTEST.testing?.types ? [SUPERTEST.testing.types] : []));
    if (invoke.framework === FRAMEWORK.nestjs && !has(NEST_TESTING)) missing.push(NEST_TESTING);
  }
  if (runner === RUNNER.nodeTest && typescript && !TS_LOADERS.some(has)) {
    // node:test runs TypeScript tests through a loader; say which one it would use
    missing.push(TS_LOADERS[0]);
  }
  if (missing.length > 0 || !strategy) return { ok: false, missing, reason: `needs ${missing.join(', ')}` };
  return { ok: true, strategy };
}
