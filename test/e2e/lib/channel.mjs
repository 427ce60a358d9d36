// The runner's end of the channel between the suite (in the extension host) and the runner:
// the suite appends JSON lines to <dir>/events.jsonl (test results, screenshot requests, the
// summary); the runner answers a screenshot request by writing <dir>/<id>.ack.
import * as fs from 'node:fs';
import * as path from 'node:path';

export class Channel {
  /** @param {string} dir */
  constructor(dir) {
    this.dir = dir;
    this.file = path.join(dir, 'events.jsonl');
    this.offset = 0;
    this.partial = '';
    this.passed = 0;
    this.failed = 0;
    this.pending = 0;
    /** @type {{ passed: number, failed: number, pending: number } | undefined} */
    this.summary = undefined;
    /** @type {string[]} */
    this.failures = [];
    fs.rmSync(dir, { recursive: true, force: true });
    fs.mkdirSync(dir, { recursive: true });
    fs.writeFileSync(this.file, '');
  }

  /** Reads the events appended since the last call. */
  poll() {
    const size = fs.statSync(this.file).size;
    if (size <= this.offset) return [];
    const fd = fs.openSync(this.file, 'r');
    const buf = Buffer.alloc(size - this.offset);
    fs.readSync(fd, buf, 0, buf.length, this.offset);
    fs.closeSync(fd);
    this.offset = size;
    const text = this.partial + buf.toString('utf8');
    const lines = text.split('\n');
    this.partial = lines.pop() ?? '';
    return lines.filter(Boolean).map((l) => JSON.parse(l));
  }

  /** Prints a test event the way a spec reporter would; counts it. */
  report(ev) {
    const secs = ev.durationMs != null ? ` (${ev.durationMs} ms)` : '';
    if (ev.state === 'passed') {
      this.passed++;
      console.log(`  ✔ ${ev.fullTitle}${secs}`);
    } else if (ev.state === 'failed') {
      this.failed++;
      console.log(`  ✘ ${ev.fullTitle}${secs}`);
      const detail = String(ev.error ?? '').split('\n').map((l) => `      ${l}`).join('\n');
      console.log(detail);
      this.failures.push(ev.fullTitle);
    } else {
      this.pending++;
      console.log(`  - ${ev.fullTitle} (pending)`);
    }
  }

  ack(id, body) {
    fs.writeFileSync(path.join(this.dir, `${id}.ack.tmp`), JSON.stringify(body));
    fs.renameSync(path.join(this.dir, `${id}.ack.tmp`), path.join(this.dir, `${id}.ack`));
  }
}
