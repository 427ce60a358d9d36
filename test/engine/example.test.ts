/**
 * examples/shop-api is the example input of `npm run demo`. Every line ending in
 * `// planted: <rule>[, <rule>…]` is a failure path Failpath must report at that line (a rule
 * listed twice reports twice there), and nothing else may be reported anywhere in the example:
 * the fixed twins must stay silent. Runs the same scan as `failpath check` (project-level pass
 * and .failpath.json included).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { discoverFiles } from '../../server/src/engine/files';
import { runScan } from '../../server/src/cli/runScan';
import { RULE_IDS } from '../../server/src/rules';

const root = path.join(__dirname, '..', '..', 'examples', 'shop-api');

test('shop-api: every planted failure path is found, and nothing else', async () => {
  const { files, problems } = discoverFiles([root]);
  assert.deepEqual(problems, []);
  const expected: string[] = [];
  for (const file of files) {
    const rel = path.relative(root, file);
    fs.readFileSync(file, 'utf8').split('\n').forEach((line, i) => {
      const m = /\/\/ planted: ([\w-]+(?:, [\w-]+)*)/.exec(line);
      if (m) for (const id of m[1].split(', ')) if (RULE_IDS.has(id)) expected.push(`${rel}:${i + 1} ${id}`);
    });
  }
  const scanned = await runScan(files, {});
  const actual = scanned.flatMap((f) => f.findings.map((x) => `${path.relative(root, f.file)}:${x.line} ${x.ruleId}`));
  assert.ok(expected.length >= 10, 'the example plants failure paths for the core rules and the catalog');
  assert.deepEqual(actual.sort(), expected.sort());
});
