// Types for scripts/docs-modules.mjs (plain ESM JavaScript, so `npm run docs:modules` needs no build),
// for the tests that import it.

export interface PatternInfo {
  pattern: string;
  /** `IdentityPatterns.registerUser` */
  constant: string;
  file: string;
  /** From QUERY_VERBS in libs/contracts/src/messaging/pattern-kind.ts, when that rule exists. */
  kind?: 'query' | 'command';
}

export interface EventInfo {
  name: string;
  source: string;
  constant?: string;
  file: string;
}

export interface ContextInfo {
  name: string;
  inLibs: boolean;
  known: boolean;
  extracted: boolean;
  patterns: PatternInfo[];
  publishes: Array<EventInfo & { consumers: string[] }>;
  consumes: Array<{ name: string; source?: string }>;
}

export interface ModulesModel {
  contexts: ContextInfo[];
  events: EventInfo[];
  planned: string[];
  subscriptionsWithoutEvent: string[];
}

export interface Log {
  log(message: string): void;
  error(message: string): void;
}

export const REPO_ROOT: string;
export const DOC_PATH: string;
export function collectModules(root?: string): ModulesModel;
export function renderModulesDoc(model: ModulesModel): string;
export function generateModulesDoc(root?: string): string;
export function runDocsModules(argv?: string[], options?: { root?: string; out?: string; log?: Log }): number;
