/**
 * Each core rule on the fixture workspace: the diagnostic (range, code, source, severity), the
 * quick fix vscode.executeCodeActionProvider offers for it, the exact text after VS Code
 * applies it, and the diagnostic going away.
 */
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import {
  applyCodeAction, assertRange, closeAll, codeActions, codeOf, openFixture, rangeOf, waitForCode, waitForNoCode, SOURCE,
} from './helpers';

interface RuleCase {
  rule: string;
  file: string;
  /** The text the diagnostic covers (its first occurrence unless `occurrence`). */
  range: string;
  occurrence?: number;
  message: RegExp;
  /** The rule's default severity (docs/precision.md: below 90 % real on unseen services ships at info). */
  severity: vscode.DiagnosticSeverity;
  fixTitle: string;
  expected: string;
}

const cases: RuleCase[] = [
  {
    rule: 'missing-timeout',
    severity: vscode.DiagnosticSeverity.Information,
    file: 'src/users.ts',
    range: 'fetch',
    message: /^fetch\(\) has no timeout/,
    fixTitle: 'Add signal: AbortSignal.timeout(10000)',
    expected: `export async function loadUser(id: string) {
  const res = await fetch(\`https://users.internal/api/users/\${id}\`, { signal: AbortSignal.timeout(10000) });
  return res.json();
}
`,
  },
  {
    rule: 'unstructured-log',
    severity: vscode.DiagnosticSeverity.Information,
    file: 'src/charge.ts',
    range: 'console.error',
    message: /^console\.error\(\) writes an unstructured line/,
    fixTitle: "Log with logger (the project's logger, object-first calls)",
    expected: `import { logger } from './lib/logger';

export function reportChargeFailure(orderId: string, err: unknown) {
  logger.error({ err, orderId }, 'charge failed');
}

export function reportChargeSuccess(orderId: string) {
  logger.info({ orderId }, 'charged');
}
`,
  },
  {
    rule: 'swallowed-error',
    severity: vscode.DiagnosticSeverity.Information,
    file: 'src/inventory.ts',
    range: 'catch (err)',
    message: /^This empty catch drops the error/,
    fixTitle: "Log the error with logger (the project's logger, object-first calls) and continue",
    expected: `import axios from 'axios';
import { logger } from './lib/logger';

export async function syncInventory(skus: string[]) {
  logger.debug({ count: skus.length }, 'syncing inventory');
  try {
    await axios.post('https://warehouse.internal/sync', { skus }, { timeout: 5000 });
  } catch (err) { logger.error({ err }, 'syncInventory failed'); }
}
`,
  },
  {
    rule: 'no-fallback',
    severity: vscode.DiagnosticSeverity.Warning,
    file: 'src/rates.ts',
    range: 'axios.get',
    message: /^axios\.get\(\) can fail .* GET \/rates hangs/,
    fixTitle: "Wrap in try/catch: log with logger (the project's logger, object-first calls) and respond 502",
    expected: `import express from 'express';
import axios from 'axios';
import { logger } from './lib/logger';

export const router = express.Router();

router.get('/rates', async (req, res) => {
  const currency = String(req.query.c);
  try {
    const { data } = await axios.get(\`https://rates.internal/\${currency}\`, { timeout: 2000 });
    res.json(data);
  } catch (err) {
    logger.error({ err }, 'GET /rates failed');
    res.status(502).json({ error: 'Upstream service temporarily unavailable' });
  }
});
`,
  },
];

describe('core rules in the editor', () => {
  afterEach(closeAll);

  for (const c of cases) {
    it(`${c.rule}: diagnostic, quick fix, exact fixed text, diagnostic gone`, async () => {
      const { doc } = await openFixture(c.file);
      const diag = await waitForCode(doc.uri, c.rule);

      assert.equal(diag.source, SOURCE);
      assert.equal(codeOf(diag), c.rule);
      assert.equal(diag.severity, c.severity);
      assert.match(diag.message, c.message);
      assertRange(diag.range, rangeOf(doc, c.range, c.occurrence));
      // the code links to the rule's documentation
      assert.ok(typeof diag.code === 'object' && String(diag.code.target).includes(c.rule), `code target: ${JSON.stringify(diag.code)}`);

      const actions = await codeActions(doc.uri, diag.range);
      const fix = actions.find((a) => a.kind?.value === vscode.CodeActionKind.QuickFix.value && a.title === c.fixTitle);
      assert.ok(fix, `quick fix "${c.fixTitle}" offered; got: ${JSON.stringify(actions.map((a) => `${a.kind?.value} ${a.title}`))}`);
      // (vscode.executeCodeActionProvider does not hand back the actions' diagnostics; the
      // server's link between fix and diagnostic is covered by test/lsp)
      assert.ok(actions.some((a) => a.title === `Disable ${c.rule} for this line`), 'the disable-for-this-line action comes with it');
      assert.equal(fix.isPreferred, true, 'the safe fix is the preferred one');

      await applyCodeAction(fix);
      assert.equal(doc.getText(), c.expected);
      assert.equal(doc.isDirty, true);
      await waitForNoCode(doc.uri, c.rule);
    });
  }
});
