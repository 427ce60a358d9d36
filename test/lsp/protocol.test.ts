/**
 * The stdio framing and the lifecycle, byte by byte: dist/server.js --stdio is spawned and fed raw
 * bytes. A malformed frame (no Content-Length, a non-numeric one, a header line without `:`, a body
 * that is not JSON, a length that is wrong) used to leave the server alive but deaf forever, so a
 * client's restart logic never fired; now the server writes one line on stderr and exits with code
 * 1. Requests after `shutdown` get InvalidRequest; `exit` exits 0 after shutdown and 1 without;
 * the end of stdin ends the process. Every wait is for an event (a frame, the exit), never a delay.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { ensureBuilt, SERVER, withTimeout } from './helpers';

const TAIL = 'Ending the connection (exit code 1) so that the client can restart the server.';

function frame(message: unknown): Buffer {
  const body = Buffer.from(JSON.stringify(message), 'utf8');
  return Buffer.concat([Buffer.from(`Content-Length: ${body.length}\r\n\r\n`, 'ascii'), body]);
}

const INITIALIZE = frame({ jsonrpc: '2.0', id: 1, method: 'initialize', params: { processId: null, rootUri: null, capabilities: {}, initializationOptions: { workspaceScan: false } } });

interface Raw {
  child: ChildProcess;
  stderr(): string;
  /** The JSON-RPC messages the server wrote so far (parsed from stdout's frames). */
  messages: Record<string, unknown>[];
  /** The first message matching `test`, now or when it comes. */
  message(test: (m: Record<string, unknown>) => boolean, what: string): Promise<Record<string, unknown>>;
  exited: Promise<number | null>;
}

function spawnRaw(): Raw {
  ensureBuilt();
  const child = spawn(process.execPath, [SERVER, '--stdio'], { stdio: ['pipe', 'pipe', 'pipe'] });
  let err = '';
  child.stderr!.on('data', (d) => { err += String(d); });
  const messages: Record<string, unknown>[] = [];
  const waiters: { test: (m: Record<string, unknown>) => boolean; resolve: (m: Record<string, unknown>) => void }[] = [];
  let buffer = Buffer.alloc(0);
  child.stdout!.on('data', (d: Buffer) => {
    buffer = Buffer.concat([buffer, d]);
    for (;;) {
      const end = buffer.indexOf('\r\n\r\n');
      if (end < 0) return;
      const length = Number(/Content-Length: (\d+)/i.exec(buffer.subarray(0, end).toString('ascii'))?.[1]);
      if (buffer.length < end + 4 + length) return;
      const m = JSON.parse(buffer.subarray(end + 4, end + 4 + length).toString('utf8')) as Record<string, unknown>;
      buffer = buffer.subarray(end + 4 + length);
      messages.push(m);
      for (const w of waiters.splice(0)) {
        if (w.test(m)) w.resolve(m);
        else waiters.push(w);
      }
    }
  });
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return {
    child, messages, exited,
    stderr: () => err,
    message: (test, what) => {
      const seen = messages.find(test);
      if (seen) return Promise.resolve(seen);
      return withTimeout(new Promise((resolve) => waiters.push({ test, resolve })), 20_000, what);
    },
  };
}

/** Feeds `bytes` to a fresh server (after a good initialize when `initialized`) and waits for its exit. */
async function feed(bytes: Buffer[], opts: { initialized?: boolean } = {}): Promise<{ code: number | null; stderr: string }> {
  const s = spawnRaw();
  try {
    if (opts.initialized) {
      s.child.stdin!.write(INITIALIZE);
      await s.message((m) => m.id === 1, 'the initialize response');
    }
    // one write (under the pipe's atomic size): the server reads the bytes as one chunk, so which
    // error it meets first does not depend on how the pipe splits them
    s.child.stdin!.write(Buffer.concat(bytes));
    const code = await withTimeout(s.exited, 20_000, 'the server to exit');
    return { code, stderr: s.stderr() };
  } finally {
    if (s.child.exitCode === null) s.child.kill();
  }
}

const line = (reason: string) => `Failpath language server: malformed message from the client: ${reason}. ${TAIL}\n`;

describe('language server: malformed frames end the connection (exit 1, one line on stderr)', () => {
  const body = JSON.stringify({ jsonrpc: '2.0', id: 2, method: 'shutdown' });
  const cases: [string, Buffer[], string][] = [
    ['no Content-Length header', [Buffer.from(`Content-Type: application/vscode-jsonrpc; charset=utf-8\r\n\r\n${body}`)], 'Header must provide a Content-Length property'],
    ['a non-numeric Content-Length', [Buffer.from(`Content-Length: many\r\n\r\n${body}`)], 'Content-Length value must be a number. Got many'],
    ['a header block with garbage', [Buffer.from(`Content-Length: ${body.length}\r\nthis is not a header\r\n\r\n${body}`)], "Message header must separate key and value using ':'"],
    ['a body that is not JSON', [Buffer.from('Content-Length: 12\r\n\r\n{"jsonrpc":,'), frame({ jsonrpc: '2.0', id: 2, method: 'shutdown' })], 'a message body is not valid JSON'],
    ['a Content-Length one byte short', [Buffer.from(`Content-Length: ${body.length - 1}\r\n\r\n${body}`)], 'a message body is not valid JSON'],
    ['a Content-Length too long (the next frame is swallowed into the body)', [Buffer.from(`Content-Length: ${body.length + 30}\r\n\r\n${body}`), frame({ jsonrpc: '2.0', id: 3, method: 'shutdown' })], 'a message body is not valid JSON'],
    ['a negative Content-Length', [Buffer.from(`Content-Length: -5\r\n\r\n${body}`)], 'a message body is not valid JSON'],
    ['raw JSON without headers', [Buffer.from(`${body}\r\n\r\n`)], 'Header must provide a Content-Length property'],
  ];
  for (const [name, bytes, reason] of cases) {
    it(`${name}, as the first frame`, async () => {
      assert.deepEqual(await feed(bytes), { code: 1, stderr: line(reason) });
    });
  }

  it('a malformed frame after a working session: exit 1 as well', async () => {
    assert.deepEqual(await feed([Buffer.from('Content-Length: x\r\n\r\n{}')], { initialized: true }), { code: 1, stderr: line('Content-Length value must be a number. Got x') });
  });

  it('a valid frame that is no JSON-RPC message ([], null) keeps the stream in step: the server still answers', async () => {
    const s = spawnRaw();
    try {
      s.child.stdin!.write(Buffer.concat([frame([]), frame(null), INITIALIZE]));
      const init = await s.message((m) => m.id === 1, 'the initialize response');
      assert.equal((init.result as { serverInfo: { name: string } }).serverInfo.name, 'failpath');
      assert.equal(s.child.exitCode, null);
    } finally {
      s.child.kill();
    }
  });
});

describe('language server: lifecycle over raw stdio', () => {
  it('requests after shutdown get InvalidRequest (-32600); exit then ends with 0', async () => {
    const s = spawnRaw();
    try {
      s.child.stdin!.write(INITIALIZE);
      await s.message((m) => m.id === 1, 'the initialize response');
      s.child.stdin!.write(frame({ jsonrpc: '2.0', id: 2, method: 'shutdown' }));
      assert.deepEqual(await s.message((m) => m.id === 2, 'the shutdown response'), { jsonrpc: '2.0', id: 2, result: null });
      s.child.stdin!.write(frame({ jsonrpc: '2.0', id: 3, method: 'textDocument/hover', params: { textDocument: { uri: 'file:///x.ts' }, position: { line: 0, character: 0 } } }));
      s.child.stdin!.write(frame({ jsonrpc: '2.0', id: 4, method: 'shutdown' }));
      assert.deepEqual(await s.message((m) => m.id === 3, 'the hover refusal'), {
        jsonrpc: '2.0', id: 3, error: { code: -32600, message: 'The server is shutting down: textDocument/hover is not served after shutdown.' },
      });
      assert.deepEqual(await s.message((m) => m.id === 4, 'the second shutdown refusal'), {
        jsonrpc: '2.0', id: 4, error: { code: -32600, message: 'The server is shutting down: shutdown is not served after shutdown.' },
      });
      s.child.stdin!.write(frame({ jsonrpc: '2.0', method: 'exit' }));
      assert.equal(await withTimeout(s.exited, 20_000, 'exit'), 0);
      assert.equal(s.stderr(), '');
    } finally {
      if (s.child.exitCode === null) s.child.kill();
    }
  });

  it('exit without shutdown ends with 1', async () => {
    assert.deepEqual(await feed([frame({ jsonrpc: '2.0', method: 'exit' })], { initialized: true }), { code: 1, stderr: '' });
  });

  it('the end of stdin ends the process: 1 without shutdown, 0 after it', async () => {
    const s = spawnRaw();
    s.child.stdin!.write(INITIALIZE);
    await s.message((m) => m.id === 1, 'the initialize response');
    s.child.stdin!.end();
    assert.equal(await withTimeout(s.exited, 20_000, 'exit'), 1);

    const t = spawnRaw();
    t.child.stdin!.write(Buffer.concat([INITIALIZE, frame({ jsonrpc: '2.0', id: 2, method: 'shutdown' })]));
    await t.message((m) => m.id === 2, 'the shutdown response');
    t.child.stdin!.end();
    assert.equal(await withTimeout(t.exited, 20_000, 'exit'), 0);
  });

  it('stdout closed by the client: the first answer cannot be written, exit 1 with the reason', async () => {
    const s = spawnRaw();
    try {
      s.child.stdout!.destroy();
      s.child.stdin!.write(INITIALIZE);
      assert.equal(await withTimeout(s.exited, 20_000, 'exit'), 1);
      assert.equal(s.stderr(), `Failpath language server: cannot write to the client: write EPIPE. ${TAIL}\n`);
    } finally {
      if (s.child.exitCode === null) s.child.kill();
    }
  });
});
