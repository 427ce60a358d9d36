/**
 * What the Session's file roles (ctx.view) mean for server-side rules: browser code (a browser
 * module, or a React component/hook span inside a server module) and test helpers are not
 * server code, wherever they live and whatever they are named.
 */
import type * as ts from 'typescript';
import type { FileRole, ProjectView } from '../view';

/** The whole file is not server code: a browser module, a test helper, or (when listed) another role. */
export function notServerFile(view: ProjectView, also: readonly FileRole[] = []): boolean {
  return view.role === 'browser' || view.role === 'test' || also.includes(view.role);
}

/** `node` lies in browser code inside a server module (a component or hook the Session found). */
export function inBrowserSpan(view: ProjectView, node: ts.Node): boolean {
  if (!view.browserSpans.length) return false;
  const pos = node.pos;
  return view.browserSpans.some((s) => s.pos <= pos && pos < s.end);
}
