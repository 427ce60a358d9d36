/**
 * Hover on a finding over LSP: the why in two sentences (the finding's first sentence, then the
 * rule's summary) and a link to the rule's documentation; nothing outside findings. Plus the
 * first-sentence splitter on the shapes rule messages take.
 */
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { HoverRequest, type Hover, type MarkupContent } from 'vscode-languageserver-protocol/node';
import { startServer, workspace, type TestClient } from './helpers';
import { firstSentence } from '../../server/src/lsp/hover';

const LOAD = `export async function load(url: string) {
  const res = await fetch(url);
  return res.json();
}
`;

describe('hover on a finding', () => {
  let client: TestClient;
  const ws = workspace({});
  before(async () => { client = await startServer({ rootUri: `file://${ws.root}` }); });
  after(async () => { await client.shutdown(); });

  const hover = (uri: string, line: number, character: number) =>
    client.connection.sendRequest(HoverRequest.type, { textDocument: { uri }, position: { line, character } }) as Promise<Hover | null>;

  it('advertises hoverProvider', () => {
    assert.equal(client.initializeResult.capabilities.hoverProvider, true);
  });

  it('inside the finding: what goes wrong here, why it matters, the rule doc link, the fix count', async () => {
    const uri = ws.uri('src/load.ts');
    client.open(uri, LOAD);
    await client.diagnosticsAt(uri, 1);
    const h = await hover(uri, 1, 22);
    assert.ok(h, 'expected a hover');
    assert.deepEqual(h.range, { start: { line: 1, character: 20 }, end: { line: 1, character: 25 } });
    assert.equal((h.contents as MarkupContent).kind, 'markdown');
    assert.equal((h.contents as MarkupContent).value, [
      '**Failpath: missing-timeout** (info)',
      '',
      'fetch() has no timeout: if the remote service hangs, this call waits forever and holds the caller, its socket and memory. ' +
        'An outbound HTTP call with no deadline hangs as long as the remote side does, holding sockets, memory and the caller.',
      '',
      '[Why this matters and how to fix it](https://github.com/failpath/failpath/blob/main/docs/rules/missing-timeout.md) · a quick fix is available',
    ].join('\n'));
  });

  it('at either end of the range too; outside every finding: null', async () => {
    const uri = ws.uri('src/load.ts');
    assert.ok(await hover(uri, 1, 20));
    assert.ok(await hover(uri, 1, 25));
    assert.equal(await hover(uri, 1, 8), null);
    assert.equal(await hover(uri, 3, 0), null);
  });

  it('a document that is not open, or not TypeScript/JavaScript: null, no error', async () => {
    assert.equal(await hover(ws.uri('src/nope.ts'), 0, 0), null);
    const md = ws.uri('README.md');
    client.open(md, '# fetch(url)\n', 'markdown');
    assert.equal(await hover(md, 0, 3), null);
  });
});

describe('firstSentence', () => {
  const cases: [string, string][] = [
    ['fetch() has no timeout: it waits. Give it a deadline.', 'fetch() has no timeout: it waits.'],
    ['Uses express-rate-limit v7.0 limits. Add one.', 'Uses express-rate-limit v7.0 limits.'],
    ['A logger, e.g. pino, is configured. `logger.error` is better.', 'A logger, e.g. pino, is configured.'],
    ['No full stop at the end', 'No full stop at the end.'],
    ['Line\nbreaks   collapse. Second', 'Line breaks collapse.'],
    [`${'word '.repeat(80)}end.`, `${'word '.repeat(56).trimEnd()}…`],
  ];
  for (const [input, expected] of cases) it(JSON.stringify(input.slice(0, 40)), () => assert.equal(firstSentence(input), expected));
});
