import { runRuleTests } from '../harness/ruleTester';
import { missingTimeout } from '../../server/src/rules/missing-timeout';

runRuleTests(missingTimeout, {
  valid: [
    `await fetch(url, { signal: AbortSignal.timeout(5000) });`,
    `import axios from 'axios';\nawait axios.get(url, { timeout: 3000 });`,
  ],
  invalid: [
    {
      code: `export async function load(url: string) {\n  return fetch(url);\n}\n`,
      errors: [{ line: 2, column: 10, endLine: 2, endColumn: 15, message: 'fetch() has no timeout' }],
      output: `export async function load(url: string) {\n  return fetch(url, { signal: AbortSignal.timeout(10000) });\n}\n`,
    },
  ],
});
