/**
 * The project's conventions, learned from its own code (issue 13): its logger and call shape,
 * request-scoped loggers, HTTP wrappers and whether they set a deadline, flag helpers, limiter
 * middleware held in bindings, health routes through constants and prefixes, and cross-file
 * summaries of exported functions.
 *
 * Pure functions over the file texts and the module graph. The result is plain data (it crosses
 * to worker threads by structured clone) and never depends on which host asked. Each part is
 * bounded (the graph picks the files worth reading) and fails alone: a part that meets input it
 * cannot handle answers "nothing learned", never an exception.
 */
import type { FlagHelper, FunctionSummary, HttpWrapper, LimiterBinding, LoggerConvention } from '../../engine/view';
import type { ModuleGraph } from '../moduleGraph';
import { ProjectReader } from './reader';
import { learnLogger, learnRequestLoggers } from './logger';
import { learnHttpWrappers } from './http';
import { learnFlagHelpers } from './flags';
import { learnLimiters } from './limiters';
import { learnHealthRoutes } from './health';
import { learnSummaries } from '../summaries';
import { learnDevOnly, type DevOnlyFunction } from './devOnly';

export interface Conventions {
  logger?: LoggerConvention;
  requestLoggers: string[];
  httpWrappers: HttpWrapper[];
  flagHelpers: FlagHelper[];
  limiters: LimiterBinding[];
  healthRoutes: string[];
  /** Absolute file → export name → summary (barrels carry the summaries of what they re-export). */
  summaries: Record<string, Record<string, FunctionSummary>>;
  /** Exported functions called only inside development-only branches (a debug router mounted under a NODE_ENV guard elsewhere). */
  devOnly: DevOnlyFunction[];
}

export interface ConventionsInput {
  root: string;
  files: readonly string[];
  graph: ModuleGraph;
  readText(file: string): string | undefined;
}

function attempt<T>(part: () => T, fallback: T): T {
  try {
    return part();
  } catch {
    return fallback;
  }
}

export function learnConventions(input: ConventionsInput): Conventions {
  const reader = attempt(() => new ProjectReader(input), undefined);
  if (!reader) return { requestLoggers: [], httpWrappers: [], flagHelpers: [], limiters: [], healthRoutes: [], summaries: {}, devOnly: [] };
  const logger = attempt(() => learnLogger(reader), undefined);
  return {
    ...(logger ? { logger } : {}),
    requestLoggers: attempt(() => learnRequestLoggers(reader), []),
    httpWrappers: attempt(() => learnHttpWrappers(reader), []),
    flagHelpers: attempt(() => learnFlagHelpers(reader), []),
    limiters: attempt(() => learnLimiters(reader), []),
    healthRoutes: attempt(() => learnHealthRoutes(reader), []),
    summaries: attempt(() => learnSummaries(reader), {} as Record<string, Record<string, FunctionSummary>>),
    devOnly: attempt(() => learnDevOnly(reader), []),
  };
}

/**
 * One package of a monorepo, for the conventions learned per package: its files read once, each
 * convention learned from the same reader on first use (texts and parses are shared).
 */
export class PackageConventions {
  private readonly reader: ProjectReader | undefined;
  private logger?: { value: LoggerConvention | undefined };
  private requestLoggersValue?: string[];

  constructor(input: ConventionsInput) {
    this.reader = attempt(() => new ProjectReader(input), undefined);
  }

  get learnedLogger(): LoggerConvention | undefined {
    this.logger ??= { value: this.reader ? attempt(() => learnLogger(this.reader!), undefined) : undefined };
    return this.logger.value;
  }

  get requestLoggers(): string[] {
    return (this.requestLoggersValue ??= this.reader ? attempt(() => learnRequestLoggers(this.reader!), []) : []);
  }
}
