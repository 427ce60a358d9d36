/**
 * The engine's view of I/O modules, read from the knowledge table (server/src/knowledge): kept
 * for the callers that still import it from here (rules migrate to knowledge/ directly).
 */
import { GLOBAL_MODULE, IO, ioOf, type IoFacet, type IoKind } from '../knowledge';

export { moduleKey } from '../knowledge';

export type ModuleKind = IoKind;
export type ModuleInfo = IoFacet;

/**
 * What a module's calls do: its knowledge record's I/O facet, or — for a module the settings
 * name in `externalModules` — an SDK whose every constructor makes a client. Runtime globals
 * (`fetch`) are answered by their callers, not here.
 */
export function moduleInfo(specifier: string, extra?: readonly string[]): ModuleInfo | undefined {
  if (specifier === GLOBAL_MODULE) return undefined;
  const known = ioOf(specifier);
  if (known) return known;
  if (extra && extra.includes(specifier)) return { kind: IO.sdk, factories: ['*'] };
  return undefined;
}
