/**
 * "Failpath: Find Route Handler" (a quick pick of every route, matched on method and path) and
 * "Failpath: Who Reaches This Function" (the routes whose handlers reach the function at the
 * cursor, each with its call chain). Both ask the server (failpath/routes, failpath/whoReaches).
 */
import * as vscode from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';
import { Requests, type RouteListItem, type WhoReachesParams, type WhoReachesResult } from '../../../shared/protocol';

interface RoutePick extends vscode.QuickPickItem {
  uri: string;
  line: number;
}

async function open(uri: string, line: number): Promise<void> {
  const pos = new vscode.Position(line, 0);
  const editor = await vscode.window.showTextDocument(vscode.Uri.parse(uri), { selection: new vscode.Range(pos, pos) });
  editor.revealRange(new vscode.Range(pos, pos), vscode.TextEditorRevealType.InCenterIfOutsideViewport);
}

function relative(uri: string): string {
  return vscode.workspace.asRelativePath(vscode.Uri.parse(uri), false);
}

/** Returns the picked route (for the integration tests), after revealing it. */
export async function findRouteHandler(client: LanguageClient, pick?: (items: RoutePick[]) => Thenable<RoutePick | undefined>): Promise<RouteListItem | undefined> {
  const routes = await client.sendRequest<RouteListItem[]>(Requests.routes);
  if (routes.length === 0) {
    void vscode.window.showInformationMessage('Failpath found no HTTP route in this workspace (yet: the workspace may still be indexing).');
    return undefined;
  }
  const items: RoutePick[] = routes.map((r) => ({
    label: r.label,
    description: r.feature,
    detail: `${relative(r.uri)}:${r.line + 1}`,
    uri: r.uri,
    line: r.line,
  }));
  const chosen = await (pick ?? ((list) => vscode.window.showQuickPick(list, { placeHolder: 'Route (method and path)', matchOnDescription: true, matchOnDetail: true })))(items);
  if (!chosen) return undefined;
  await open(chosen.uri, chosen.line);
  return routes.find((r) => r.uri === chosen.uri && r.line === chosen.line && r.label === chosen.label);
}

export async function whoReachesThisFunction(client: LanguageClient, pick?: (items: RoutePick[]) => Thenable<RoutePick | undefined>): Promise<WhoReachesResult | undefined> {
  const editor = vscode.window.activeTextEditor;
  if (!editor) {
    void vscode.window.showInformationMessage('Failpath: put the cursor in a function first.');
    return undefined;
  }
  const params: WhoReachesParams = {
    uri: editor.document.uri.toString(),
    position: { line: editor.selection.active.line, character: editor.selection.active.character },
  };
  const result = await client.sendRequest<WhoReachesResult>(Requests.whoReaches, params);
  if (!result.function) {
    void vscode.window.showInformationMessage('Failpath: the cursor is not in a function.');
    return result;
  }
  if (result.routes.length === 0) {
    void vscode.window.showInformationMessage(`Failpath: no route reaches ${result.function}.`);
    return result;
  }
  const items: RoutePick[] = result.routes.map((r) => ({
    label: r.label,
    description: `${r.chain.length} call${r.chain.length === 1 ? '' : 's'} deep`,
    detail: r.chain.map((c) => c.name).join(' → '),
    uri: r.uri,
    line: r.line,
  }));
  const chosen = await (pick ?? ((list) => vscode.window.showQuickPick(list, { placeHolder: `Routes that reach ${result.function}`, matchOnDetail: true })))(items);
  if (chosen) await open(chosen.uri, chosen.line);
  return result;
}
