/**
 * STUB (helper "session"): the signature the Session calls. Helper "conventions" writes the real
 * learner with this same signature; the lead keeps theirs when merging. Returns empty values.
 */
import type { FlagHelper, FunctionSummary, HttpWrapper, LimiterBinding, LoggerConvention } from '../../engine/view';
import type { ModuleGraph } from '../moduleGraph';

export interface Conventions {
  logger?: LoggerConvention;
  requestLoggers: string[];
  httpWrappers: HttpWrapper[];
  flagHelpers: FlagHelper[];
  limiters: LimiterBinding[];
  healthRoutes: string[];
  /** file → export name → summary. */
  summaries: Record<string, Record<string, FunctionSummary>>;
}

export function learnConventions(input: { root: string; files: readonly string[]; graph: ModuleGraph; readText(file: string): string | undefined }): Conventions {
  void input;
  return { requestLoggers: [], httpWrappers: [], flagHelpers: [], limiters: [], healthRoutes: [], summaries: {} };
}
