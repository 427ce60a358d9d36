/**
 * Issue 13: no package-name literal outside server/src/knowledge. Library facts live in one table;
 * code outside it reads the table (KNOWLEDGE, FRAMEWORK.*, IO.*) instead of naming packages.
 * scripts/package-literals.ts lists them (`--list` for file:line:column).
 */
import { describe, it } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { findPackageLiterals } from '../../scripts/package-literals';

describe('package-name literals', () => {
  it('none in server/src (outside knowledge/), client/src or shared', () => {
    assert.deepEqual(findPackageLiterals().map((l) => `${l.file}:${l.line}:${l.column} ${l.text}`), []);
  });

  it('the check finds strings, templates, regexes and embedded imports, and leaves imports and marked words alone', () => {
    const root = fs.mkdtempSync(path.join(os.tmpdir(), 'failpath-literals-'));
    try {
      const write = (rel: string, text: string) => {
        fs.mkdirSync(path.dirname(path.join(root, rel)), { recursive: true });
        fs.writeFileSync(path.join(root, rel), text);
      };
      write('server/src/rules/a.ts', [
        "import axios from 'axios';",
        "const lib = require('pino');",
        "if (mod === 'axios') {}",
        'const t = `ioredis`;',
        'const re = /^(pino|winston)$/;',
        "const fix = \"import { Logger } from '@nestjs/common'\";",
        '// package-literals: not a package (a method name)',
        "const methods = new Set(['next']);",
        "const scoped = '@acme/http';",
        '',
      ].join('\n'));
      write('server/src/knowledge/table.ts', "export const NAMES = ['axios', 'pino'];\n");
      const found = findPackageLiterals({ root }).map((l) => `${l.file}:${l.line} ${l.kind} ${l.module}`);
      assert.deepEqual(found, [
        'server/src/rules/a.ts:3 string axios',
        'server/src/rules/a.ts:4 template ioredis',
        'server/src/rules/a.ts:5 regex pino',
        'server/src/rules/a.ts:6 embedded @nestjs/common',
        'server/src/rules/a.ts:9 string @acme/http',
      ]);
    } finally {
      fs.rmSync(root, { recursive: true, force: true });
    }
  });
});
