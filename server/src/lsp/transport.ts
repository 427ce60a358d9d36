/**
 * The server's end of the connection, built here rather than by `createConnection()` from the
 * command line, so that a broken connection ends the process:
 *
 * - A malformed frame (no or a non-numeric Content-Length, a header line without `:`, a body that
 *   is not JSON) leaves vscode-jsonrpc's stream reader out of step with the stream for good: it
 *   reports the error on `onError`, which nothing listened to, and every later message was lost —
 *   the server stayed alive and never answered again, so the client's restart logic never fired.
 *   Now a read error (or a write error: nobody can hear us) is written to stderr and the process
 *   exits with code 1; clients restart a server that exits.
 * - Requests after `shutdown` are answered InvalidRequest (-32600), as the specification asks;
 *   `exit` keeps the library's codes (0 after shutdown, 1 without).
 *
 * Over stdio this also does what `createConnection()` does for `--stdio` itself: `console.*` goes
 * to the client's log (a stray `console.log` on stdout would corrupt the stream), and the end of
 * stdin ends the process.
 */
import { inspect } from 'node:util';
import {
  ErrorCodes, IPCMessageReader, IPCMessageWriter, Message, StreamMessageReader, StreamMessageWriter,
  type DataCallback, type Disposable, type MessageReader, type MessageWriter, type ResponseMessage,
} from 'vscode-languageserver/node';

export interface Transport {
  reader: MessageReader;
  writer: MessageWriter;
  stdio: boolean;
}

export interface TransportOptions {
  argv?: readonly string[];
  /** Ends the process (tests replace it). */
  exit?: (code: number) => void;
  /** Where the fatal line goes (tests replace it). */
  stderr?: (line: string) => void;
}

/** What went wrong, in one line (vscode-jsonrpc appends the offending headers on a second line). */
function firstLine(err: unknown): string {
  // JSON.parse's wording changes between Node versions: say it in ours
  if (err instanceof SyntaxError) return 'a message body is not valid JSON';
  const message = err instanceof Error ? err.message : String(err);
  return message.split('\n')[0].trim().replace(/\.$/, '') || 'unknown error';
}

/** Passes messages through; answers requests that arrive after `shutdown` with InvalidRequest. */
class ShutdownGuard implements MessageReader {
  shutdown = false;

  constructor(private readonly inner: MessageReader, private readonly writer: MessageWriter) {}

  get onError() { return this.inner.onError; }
  get onClose() { return this.inner.onClose; }
  get onPartialMessage() { return this.inner.onPartialMessage; }

  listen(callback: DataCallback): Disposable {
    return this.inner.listen((message) => {
      if (Message.isRequest(message)) {
        if (this.shutdown) {
          const refusal: ResponseMessage = {
            jsonrpc: '2.0', id: message.id,
            error: { code: ErrorCodes.InvalidRequest, message: `The server is shutting down: ${message.method} is not served after shutdown.` },
          };
          void this.writer.write(refusal).catch(() => undefined);
          return;
        }
        if (message.method === 'shutdown') this.shutdown = true;
      }
      callback(message);
    });
  }

  dispose(): void {
    this.inner.dispose();
  }
}

/**
 * The reader and writer for `--stdio` or `--node-ipc`, guarded as above; undefined for other
 * command lines (`createConnection()` then reports what is missing).
 */
export function serverTransport(options: TransportOptions = {}): Transport | undefined {
  const argv = options.argv ?? process.argv;
  const exit = options.exit ?? ((code: number) => process.exit(code));
  const stderr = options.stderr ?? ((line: string) => process.stderr.write(line));
  const at = (flag: string) => argv.indexOf(flag);
  const stdioAt = at('--stdio');
  const ipcAt = at('--node-ipc');
  if (stdioAt < 0 && ipcAt < 0) return undefined;
  // the first of the two wins, as in createConnection()
  const stdio = stdioAt >= 0 && (ipcAt < 0 || stdioAt < ipcAt);
  const inner = stdio ? new StreamMessageReader(process.stdin) : new IPCMessageReader(process);
  const writer = stdio ? new StreamMessageWriter(process.stdout) : new IPCMessageWriter(process);
  const reader = new ShutdownGuard(inner, writer);
  let ended = false;
  const fatal = (what: string, err: unknown) => {
    if (ended) return;
    ended = true;
    stderr(`Failpath language server: ${what}: ${firstLine(err)}. Ending the connection (exit code 1) so that the client can restart the server.\n`);
    exit(1);
  };
  inner.onError((err) => fatal('malformed message from the client', err));
  writer.onError(([err]) => fatal('cannot write to the client', err));
  if (stdio) {
    inner.onClose(() => {
      if (ended) return;
      ended = true;
      exit(reader.shutdown ? 0 : 1);
    });
  }
  return { reader, writer, stdio };
}

/** Over stdio, `console.*` must not write to stdout: send it to the client's log, as createConnection() does. */
export function redirectConsole(logger: { log(m: string): void; info(m: string): void; warn(m: string): void; error(m: string): void }): void {
  const text = (args: unknown[]) => args.map((a) => (typeof a === 'string' ? a : inspect(a))).join(' ');
  console.log = (...args: unknown[]) => logger.log(text(args));
  console.debug = (...args: unknown[]) => logger.log(text(args));
  console.info = (...args: unknown[]) => logger.info(text(args));
  console.warn = (...args: unknown[]) => logger.warn(text(args));
  console.error = (...args: unknown[]) => logger.error(text(args));
  console.trace = (...args: unknown[]) => logger.log(`Trace: ${text(args)}\n${new Error().stack?.split('\n').slice(2).join('\n') ?? ''}`);
  console.dir = (arg: unknown) => logger.log(inspect(arg));
}
