/**
 * The line the Readiness view shows above its tree (scan progress, the server's notice — e.g. why
 * "changed on this branch" is off in an untrusted workspace —, what the filter shows). No vscode
 * import, so that the unit tests can check it.
 */
import type { ReadinessResult } from '../../../shared/protocol';

export function viewMessage(result: ReadinessResult, onlyChanged: boolean): string | undefined {
  const messages: string[] = [];
  if (result.state === 'scanning') messages.push(`Indexing the workspace: ${result.scanned}/${result.total} files…`);
  if (result.notice) messages.push(result.notice);
  if (onlyChanged && !result.notice) messages.push(result.features.length ? 'Features changed on this branch' : 'No feature changed on this branch');
  return messages.join(' · ') || undefined;
}
