/**
 * Preloaded (`node --require`) into the language server or the CLI by the security tests: records
 * to $FAILPATH_SANDBOX_LOG (one JSON line each) every attempt to reach the network (net/tls
 * connect, UDP sockets, DNS, http/https requests, fetch, WebSocket), to start a process
 * (child_process; commands in $FAILPATH_SANDBOX_ALLOW_SPAWN run and are recorded as `allowed`),
 * and every module loaded from inside $FAILPATH_SANDBOX_ROOT (the workspace).
 * Attempts are recorded and then refused with an error, so nothing leaves the machine even if the
 * code under test tries. A `preload` line per thread proves the recorder ran (workers inherit
 * --require through their execArgv).
 */
'use strict';
const fs = require('node:fs');
const path = require('node:path');
const Module = require('node:module');
const { isMainThread, threadId } = require('node:worker_threads');

const LOG = process.env.FAILPATH_SANDBOX_LOG;
const ROOT = process.env.FAILPATH_SANDBOX_ROOT ? fs.realpathSync(process.env.FAILPATH_SANDBOX_ROOT) : undefined;
if (!LOG) throw new Error('sandbox-preload: FAILPATH_SANDBOX_LOG is not set');

function record(kind, detail) {
  fs.appendFileSync(LOG, `${JSON.stringify({ kind, detail: String(detail), pid: process.pid, thread: threadId })}\n`);
}
function refuse(kind, describe) {
  return function refused(...args) {
    let detail = '';
    try { detail = describe(...args); } catch { detail = '?'; }
    record(kind, detail);
    throw new Error(`sandbox: ${kind} refused (${detail})`);
  };
}
const target = (a, b) => (typeof a === 'object' && a !== null ? `${a.host ?? a.hostname ?? ''}:${a.port ?? a.path ?? ''}` : `${b ?? ''}:${a}`);

record('preload', isMainThread ? 'main' : 'worker');

const net = require('node:net');
net.connect = net.createConnection = refuse('net.connect', target);
net.Socket.prototype.connect = refuse('net.Socket.connect', target);
const tls = require('node:tls');
tls.connect = refuse('tls.connect', target);
const dgram = require('node:dgram');
dgram.createSocket = refuse('dgram.createSocket', (t) => (typeof t === 'object' ? t.type : t));
const dns = require('node:dns');
for (const fn of ['lookup', 'resolve', 'resolve4', 'resolve6', 'resolveAny', 'lookupService']) dns[fn] = refuse(`dns.${fn}`, (h) => h);
for (const fn of ['lookup', 'resolve', 'resolve4', 'resolve6', 'resolveAny']) dns.promises[fn] = refuse(`dns.promises.${fn}`, (h) => h);
for (const name of ['http', 'https', 'http2']) {
  const m = require(`node:${name}`);
  if (m.request) m.request = refuse(`${name}.request`, (u) => (typeof u === 'string' ? u : u?.href ?? u?.host ?? u?.hostname));
  if (m.get) m.get = refuse(`${name}.get`, (u) => (typeof u === 'string' ? u : u?.href ?? u?.host ?? u?.hostname));
  if (m.connect) m.connect = refuse(`${name}.connect`, (u) => String(u));
}
globalThis.fetch = refuse('fetch', (u) => (typeof u === 'string' ? u : u?.url ?? u?.href));
if (globalThis.WebSocket) globalThis.WebSocket = refuse('WebSocket', (u) => u);
if (globalThis.EventSource) globalThis.EventSource = refuse('EventSource', (u) => u);

// $FAILPATH_SANDBOX_ALLOW_SPAWN: commands that may run (recorded as `allowed`), e.g. git for `failpath report`
const allowed = new Set((process.env.FAILPATH_SANDBOX_ALLOW_SPAWN || '').split(',').filter(Boolean));
const cp = require('node:child_process');
for (const fn of ['spawn', 'spawnSync', 'exec', 'execSync', 'execFile', 'execFileSync', 'fork']) {
  const real = cp[fn];
  const describe = (cmd, args) => [cmd, ...(Array.isArray(args) ? args : [])].join(' ');
  const refused = refuse(`child_process.${fn}`, describe);
  cp[fn] = function sandboxedSpawn(cmd, args) {
    if (fn !== 'exec' && fn !== 'execSync' && allowed.has(path.basename(String(cmd)))) {
      record('allowed', describe(cmd, args));
      return real.apply(this, arguments);
    }
    return refused.apply(this, arguments);
  };
}

if (ROOT) {
  const load = Module._load;
  Module._load = function sandboxedLoad(request, parent, isMain) {
    let file = request;
    try { file = Module._resolveFilename(request, parent, isMain); } catch { /* let the real load throw */ }
    if (typeof file === 'string' && path.isAbsolute(file)) {
      let real = file;
      try { real = fs.realpathSync(file); } catch { /* not on disk */ }
      if (real === ROOT || real.startsWith(ROOT + path.sep)) record('require', real);
    }
    return load.apply(this, arguments);
  };
}
