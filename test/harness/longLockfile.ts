/**
 * A pnpm workspace whose pnpm-lock.yaml holds 1 MiB lines next to valid entries (issue 18, break
 * 8a: the old line expression was quadratic; a 146 KB line held the server's first diagnostics for
 * 31 s, a 293 KB line took the CLI 63 s, so a 1 MiB line never finished). Both packages declare
 * `"express": "*"`, which names no version: only the lockfile says which Express each one runs, and
 * no-fallback reports an unhandled await in a route handler under Express 4 only. The root resolves
 * 4.21.2 (one finding), packages/api 5.1.0 (none); without the lockfile neither has a finding.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';

/** Just over 1 MiB of spaces: the shape that made the old expression backtrack. */
const SPACES = ' '.repeat(1 << 20);

export const LONG_LINE_LOCKFILE = `lockfileVersion: '9.0'

importers:

  .:
    dependencies:
      express${SPACES}x
      express:
        specifier: '*'
        version: 4.21.2
      pg:
        specifier: ^8.0.0
        version: 8.13.1

  packages/api:
    dependencies:
      express:
        specifier: '*'
        version: 5.1.0${SPACES}# pinned: Express 5 forwards rejections
      pg${SPACES}y
      pg:
        specifier: ^8.0.0
        version: 8.13.1

packages:

  express@4.21.2:
    resolution: {integrity: sha512-a${SPACES}b} # c
`;

export const HANDLER = `import express from 'express';
import { Pool } from 'pg';
const pool = new Pool({ connectionTimeoutMillis: 1000 });
const app = express();
app.get('/u', async (req, res) => {
  res.json((await pool.query('select 1')).rows);
});
`;

/** The finding in the root package's src/app.ts (Express 4.21.2 from the lockfile). */
export const EXPRESS4_MESSAGE = 'pool.query() can fail (database down, timeout, bad response) and nothing handles it — Express 4 ignores the promise a handler returns: GET /u hangs until the client gives up, and the rejection is unhandled (Node 15+ exits on it). Catch it and degrade (503, or next(err)).';

/** Writes the workspace into `root` (an empty folder): package.json ×2, src/app.ts ×2, pnpm-lock.yaml. */
export function writeLongLineLockfileWorkspace(root: string): void {
  const write = (rel: string, text: string) => {
    fs.mkdirSync(path.dirname(path.join(root, rel)), { recursive: true });
    fs.writeFileSync(path.join(root, rel), text);
  };
  const deps = { express: '*', pg: '^8.0.0' };
  write('package.json', JSON.stringify({ name: 'shop', private: true, dependencies: deps }));
  write('packages/api/package.json', JSON.stringify({ name: 'api', dependencies: deps }));
  write('src/app.ts', HANDLER);
  write('packages/api/src/app.ts', HANDLER);
  write('pnpm-lock.yaml', LONG_LINE_LOCKFILE);
}
