/**
 * The branch report's pure parts: new versus pre-existing findings, and the markdown escaping of
 * file content (route paths, messages quoting code) so a report cannot inject links or HTML.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { classifyFindings, codeSpan, escapeMarkdown, messageMarkdown } from '../../server/src/engine/readiness/report';
import type { IndexedFinding } from '../../server/src/engine/readiness/projectIndex';

function finding(ruleId: string, line: number, message = `${ruleId} message`): IndexedFinding {
  return { ruleId, start: line * 100, end: line * 100 + 5, line, column: 1, endLine: line, endColumn: 6, severity: 'warning', checklist: 'recover', message, fixable: true };
}
const names = (fs: IndexedFinding[]) => fs.map((f) => `${f.ruleId}@${f.line}`);

describe('classifyFindings', () => {
  const base = { text: 'a\nconst x = await fetch(u);\nb\nconst y = await fetch(v);\n', findings: [finding('missing-timeout', 2, 'fetch u'), finding('missing-timeout', 4, 'fetch v')] };

  it('keeps findings whose line moved down the file as pre-existing', () => {
    const head = { text: 'a\nnew\nnew\nconst x = await fetch(u);\nb\nconst y = await fetch(v);\n', findings: [finding('missing-timeout', 4, 'fetch u'), finding('missing-timeout', 6, 'fetch v')] };
    const r = classifyFindings(head, base);
    assert.deepEqual([names(r.fresh), names(r.existing), names(r.fixed)], [[], ['missing-timeout@4', 'missing-timeout@6'], []]);
  });

  it('a second identical line is one new finding (multiset), a removed one is fixed', () => {
    const head = { text: 'const x = await fetch(u);\nconst x = await fetch(u);\n', findings: [finding('missing-timeout', 1, 'fetch u'), finding('missing-timeout', 2, 'fetch u')] };
    const r = classifyFindings(head, base);
    assert.deepEqual([names(r.fresh), names(r.existing), names(r.fixed)], [['missing-timeout@2'], ['missing-timeout@1'], ['missing-timeout@4']]);
  });

  it('an edited flagged line saying the same thing is pre-existing; a different message is new', () => {
    const head = { text: 'a\nconst x = await fetch(u, opts);\nb\nconst z = await fetch(w);\n', findings: [finding('missing-timeout', 2, 'fetch u'), finding('missing-timeout', 4, 'fetch w')] };
    const r = classifyFindings(head, base);
    assert.deepEqual([names(r.fresh), names(r.existing), names(r.fixed)], [['missing-timeout@4'], ['missing-timeout@2'], ['missing-timeout@4']]);
  });

  it('a new call beside an edited one: the edited line keeps its finding, the new one is new', () => {
    const before = { text: 'const res = await fetch(`${U}/reservations`, opts);\n', findings: [finding('missing-timeout', 1, 'fetch')] };
    const after = { text: 'await fetch(`${U}/ping`);\nconst res = await fetch (  `${U}/reservations`, opts);\n', findings: [finding('missing-timeout', 1, 'fetch'), finding('missing-timeout', 2, 'fetch')] };
    const r = classifyFindings(after, before);
    assert.deepEqual([names(r.fresh), names(r.existing), names(r.fixed)], [['missing-timeout@1'], ['missing-timeout@2'], []]);
  });

  it('everything is new in a file that did not exist on the base', () => {
    const r = classifyFindings({ text: 'x', findings: [finding('no-fallback', 1)] });
    assert.deepEqual(names(r.fresh), ['no-fallback@1']);
  });
});

describe('markdown escaping', () => {
  it('neutralises HTML, links, emphasis, table cells and list starts', () => {
    assert.equal(escapeMarkdown('<img src=x onerror=alert(1)>'), '&lt;img src=x onerror=alert(1)&gt;');
    assert.equal(escapeMarkdown('[click](https://evil)'), '\\[click\\](https://evil)');
    assert.equal(escapeMarkdown('a|b *c* _d_ `e`'), 'a\\|b \\*c\\* \\_d\\_ \\`e\\`');
    assert.equal(escapeMarkdown('1. item\nnext'), '1\\. item next');
    assert.equal(escapeMarkdown('- x'), '\\- x');
  });

  it('code spans hold any text literally with a longer fence', () => {
    assert.equal(codeSpan('GET /a'), '`GET /a`');
    assert.equal(codeSpan('a`b'), '``a`b``');
    assert.equal(codeSpan('`x`'), '`` `x` ``');
    assert.equal(codeSpan('a|b'), '`a\\|b`');
  });

  it('keeps a message\'s code spans and escapes the rest; an unbalanced backtick is text', () => {
    assert.equal(messageMarkdown('`pool.query()` is <slow>'), '`pool.query()` is &lt;slow&gt;');
    assert.equal(messageMarkdown('a ` b'), 'a \\` b');
  });
});
