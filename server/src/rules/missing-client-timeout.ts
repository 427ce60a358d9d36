/**
 * missing-client-timeout — a database, cache or framework HTTP module constructed without a deadline.
 *
 * Before:  const pool = new Pool({ connectionString: process.env.DATABASE_URL });
 * After:   const pool = new Pool({ connectionString: process.env.DATABASE_URL, connectionTimeoutMillis: 10000 });
 *
 * Before:  const redis = new Redis(process.env.REDIS_URL);
 * After:   const redis = new Redis(process.env.REDIS_URL, { commandTimeout: 10000 });
 *
 * Before:  await mongoose.connect(uri);
 * After:   await mongoose.connect(uri, { serverSelectionTimeoutMS: 10000, socketTimeoutMS: 45000 });
 *
 * Before:  @Module({ imports: [HttpModule] })
 * After:   @Module({ imports: [HttpModule.register({ timeout: 10000 })] })
 *
 * Which factories take a deadline, in which argument, under which option names (and in which
 * connection-string parameters) comes from the knowledge table (`clientDeadlineOf`): only clients
 * whose library default is "wait forever" have records there (pg, ioredis, MongoDB/mongoose,
 * NestJS's HttpModule). mysql2 and node-redis have deadlines by default. Options that cannot be
 * seen (a variable, a spread, a call) keep the rule silent.
 *
 * HTTP client instances (`axios.create()`) are missing-timeout's: a client made without a
 * deadline and the calls through it are one problem, reported there once.
 */
import ts = require('typescript');
import { createRule, type Fix, type TextEdit } from '../engine/types';
import { skipOuter } from '../engine/facts';
import { propertyName } from '../engine/ast';
import { enclosingHandler, fileFramework } from '../engine/frameworks';
import { insertProperty, appendArguments } from '../fixes/edits';
import { KNOWLEDGE, SUBSCRIBER_NAME, type ClientFactoryDeadline } from '../knowledge';
import { bindingName, bindingNodeOf, constObjectLiteral, hasAnyKey, httpInstanceFactory, lastProperty, literalText, optionProperties, propValue, visibleKeys } from '../engine/queries/http';

/** A value that is a connection string (not an options object): literals, env vars, `*Url` names. */
function isStringish(e: ts.Expression): boolean {
  const x = skipOuter(e);
  if (literalText(x) !== undefined) return true;
  if (ts.isPropertyAccessExpression(x) && ts.isPropertyAccessExpression(x.expression) &&
    ts.isIdentifier(x.expression.expression) && x.expression.expression.text === 'process' && x.expression.name.text === 'env') return true;
  if (ts.isElementAccessExpression(x) && ts.isPropertyAccessExpression(x.expression) && x.expression.name.text === 'env') return true;
  const name = ts.isIdentifier(x) ? x.text : ts.isPropertyAccessExpression(x) ? x.name.text : undefined;
  return !!name && /(url|uri|connectionstring|dsn)$/i.test(name);
}

function isNumberish(e: ts.Expression): boolean {
  const x = skipOuter(e);
  return ts.isNumericLiteral(x) || (ts.isIdentifier(x) && /port$/i.test(x.text)) || (ts.isPropertyAccessExpression(x) && /port$/i.test(x.name.text));
}

/** Does a connection string set one of the factory's deadline parameters (`?connect_timeout=5`)? */
function urlSetsDeadline(text: string | undefined, params: readonly string[] | undefined): boolean {
  if (text === undefined || !params?.length) return false;
  const lower = text.toLowerCase();
  return params.some((p) => lower.includes(p.toLowerCase()));
}

type EditContext = Parameters<typeof insertProperty>[0];

/** A name that says it holds options, not an args array (`execFile(file, opts)`). */
const OPTIONS_NAME = /(opt|options|config|settings)$/i;

const isFunction = (e: ts.Expression): boolean => ts.isArrowFunction(e) || ts.isFunctionExpression(e);

/**
 * Does the options object set one of the deadline options — or may it, through what cannot be
 * seen? `a.b` looks inside the object (or `new X({…})`) that option `a` holds.
 */
function setsDeadline(obj: ts.ObjectLiteralExpression, keys: readonly string[]): boolean {
  const plain = keys.filter((k) => !k.includes('.'));
  if (hasAnyKey(obj, plain)) return true;
  const props = optionProperties(obj);
  if (props === 'opaque') return true;
  for (const key of keys) {
    const dot = key.indexOf('.');
    if (dot < 0) continue;
    const holder = lastProperty(props, key.slice(0, dot));
    if (!holder) continue;
    if (!ts.isPropertyAssignment(holder)) return true;
    const v = skipOuter(holder.initializer);
    const inner = ts.isNewExpression(v) ? v.arguments?.[0] : v;
    if (!inner) continue; // new Handler(): its defaults
    const innerProps = optionProperties(inner);
    if (innerProps === 'opaque' || lastProperty(innerProps, key.slice(dot + 1))) return true;
  }
  return false;
}

export const missingClientTimeout = createRule({
  meta: {
    id: 'missing-client-timeout',
    checklist: 'recover',
    severity: 'info',
    summary: 'A database, cache or HTTP client created without a deadline makes every call through it wait forever when the dependency stalls.',
    fixable: true,
    fileKinds: ['server'],
    messages: {
      noDeadline: '{{factory}}() has no {{options}}: {{why}}. When the dependency stalls, every call through this client waits forever. Add {{options}} ({{ms}} ms, setting failpath.timeoutMs).',
      bareImport: '{{name}} is imported without options ({{why}}), so every request through it waits forever. Register it with a deadline ({{ms}} ms, setting failpath.timeoutMs).',
    },
  },
  defaultOptions: {},
  create(ctx) {
    const sf = ctx.sourceFile;
    const ms = ctx.config.timeoutMs;
    const edit = ctx as unknown as EditContext; // the edit helpers read sourceFile, text and style only

    const value = (w: ClientFactoryDeadline['write'][number]) => Math.max(ms, w.atLeastMs ?? 0);
    const props = (f: ClientFactoryDeadline) => f.write.map((w) => w.inner
      ? `${w.option}: { ${w.inner.map((k) => `${k}: ${value(w)}`).join(', ')} }`
      : `${w.option}: ${value(w)}`).join(', ');
    const names = (f: ClientFactoryDeadline) => f.write.flatMap((w) => w.inner ? w.inner.map((k) => `${w.option}.${k}`) : [w.option]).join('/');
    const whyOf = (module: string) => KNOWLEDGE.libraryOf(module)?.clientDeadlines?.withoutDeadline ?? 'the library sets no deadline by default';
    const insertFix = (obj: ts.ObjectLiteralExpression, text: string): Fix => ({ title: `Add ${text}`, edits: [insertProperty(edit, obj, text)], isPreferred: true, safe: true });
    const appendFix = (call: ts.CallExpression | ts.NewExpression, text: string): Fix => {
      const e: TextEdit = call.arguments === undefined
        ? { start: call.expression.getEnd(), end: call.expression.getEnd(), newText: `({ ${text} })` }
        : appendArguments(edit, call, [`{ ${text} }`]);
      return { title: `Add { ${text} }`, edits: [e], isPreferred: true, safe: true };
    };
    /** `fix` absent: the options sit in a const literal that other code may share; the finding alone. */
    const report = (call: ts.CallExpression | ts.NewExpression, module: string, f: ClientFactoryDeadline, fix?: () => Fix) => {
      const label = ts.isNewExpression(call) ? `new ${call.expression.getText(sf)}` : call.expression.getText(sf);
      ctx.report({
        node: call.expression, messageId: 'noDeadline',
        data: { factory: label, options: f.label ?? names(f), why: whyOf(module), ms },
        // a fix that needs more than the library (a version) is offered, not preferred, and says so
        ...(fix ? { fix: () => { const x = fix(); return [f.fixNeeds ? { ...x, title: `${x.title} (${f.fixNeeds})`, isPreferred: false } : x]; } } : {}),
      });
    };

    /** One factory call against its record: options slot, deadline options, connection strings, exemptions. */
    function check(call: ts.CallExpression | ts.NewExpression, module: string, f: ClientFactoryDeadline): void {
      const args = call.arguments ?? ts.factory.createNodeArray<ts.Expression>();
      if (args.some((a) => ts.isSpreadElement(a))) return;
      if (f.maxArgs !== undefined && args.length > f.maxArgs) return;
      const text = props(f);
      const keys = f.deadlineOptions;

      if (f.options === 'last') {
        // new Redis(url | port, host?, options?): a trailing options object, everything before it plain values
        const name = bindingName(sf, bindingNodeOf(call));
        if (name && SUBSCRIBER_NAME.test(name)) return; // pub/sub: nothing awaits its commands
        let obj: ts.ObjectLiteralExpression | undefined;
        let held = false;
        for (let i = 0; i < args.length; i++) {
          const x = skipOuter(args[i]);
          const lit = ts.isIdentifier(x) ? constObjectLiteral(x) : undefined;
          if (ts.isObjectLiteralExpression(x) || lit) {
            if (i !== args.length - 1) return;
            obj = lit ?? (x as ts.ObjectLiteralExpression);
            held = !!lit;
          } else if (!isStringish(x) && !isNumberish(x)) {
            return; // new Redis(config): cannot see the options
          }
        }
        if (obj) {
          if (setsDeadline(obj, keys)) return;
          if (f.exempt) {
            const v = propValue(obj, f.exempt.option);
            if (v && skipOuter(v).kind === ts.SyntaxKind.NullKeyword) return;
          }
        }
        report(call, module, f, held ? undefined : () => (obj ? insertFix(obj, text) : appendFix(call, text)));
        return;
      }

      let slot = f.options;
      if (f.optionalArrayAt !== undefined) {
        // execFile(file, args?, options?, callback?): without the args array, the options come first
        const a = args[f.optionalArrayAt] && skipOuter(args[f.optionalArrayAt]);
        if (!a || ts.isObjectLiteralExpression(a) || isFunction(a) || (ts.isIdentifier(a) && constObjectLiteral(a))) slot = f.optionalArrayAt;
        else if (!ts.isArrayLiteralExpression(a) && (!ts.isIdentifier(a) || OPTIONS_NAME.test(a.text))) return; // cannot tell args from options
      }
      if (slot > 0) {
        // connect(uri, options?): the first argument is the connection string
        if (args.length < slot) return;
        if (urlSetsDeadline(literalText(args[0]), f.urlParams)) return;
      }
      const arg = args[slot];
      if (!arg) {
        if (args.length !== slot) return;
        report(call, module, f, () => appendFix(call, text));
        return;
      }
      const x = skipOuter(arg);
      if (f.callback && isFunction(x)) {
        // exec(cmd, callback): the options go before the callback
        report(call, module, f, () => ({ title: `Add { ${text} }`, edits: [{ start: arg.getStart(sf), end: arg.getStart(sf), newText: `{ ${text} }, ` }], isPreferred: true, safe: true }));
        return;
      }
      const lit = ts.isIdentifier(x) ? constObjectLiteral(x) : undefined;
      const obj = lit ?? (ts.isObjectLiteralExpression(x) ? x : undefined);
      if (obj) {
        if (setsDeadline(obj, keys)) return;
        for (const key of f.connectionStringOptions ?? []) {
          const v = propValue(obj, key);
          if (v && urlSetsDeadline(literalText(v), f.urlParams)) return;
        }
        // no fix into a const's literal (it may be shared), nor beside an option the fix would write again
        const clash = f.write.some((w) => visibleKeys(obj) !== 'opaque' && (visibleKeys(obj) as Set<string>).has(w.option));
        report(call, module, f, lit || clash ? undefined : () => insertFix(obj, text));
        return;
      }
      // a connection string where the options go: new Pool(process.env.DATABASE_URL)
      if (!f.stringArgumentAs || !isStringish(x)) return; // a config variable: cannot see it
      if (urlSetsDeadline(literalText(x), f.urlParams)) return;
      const as = f.stringArgumentAs;
      report(call, module, f, () => ({
        title: `Use { ${as}, ${text} }`,
        edits: [{ start: arg.getStart(sf), end: arg.getEnd(), newText: `{ ${as}: ${arg.getText(sf)}, ${text} }` }],
        isPreferred: true,
        safe: true,
      }));
    }

    function visit(call: ts.CallExpression | ts.NewExpression, kind: 'new' | 'call'): void {
      const r = ctx.facts.resolveCall(call);
      if (!r || r.instance) return;
      if (httpInstanceFactory(r.module, r.path)) return; // axios.create(): missing-timeout's
      const f = KNOWLEDGE.clientDeadlineOf(r.module, r.path, kind);
      if (!f) return;
      // child processes: on a request's path only (tooling scripts run them too, with a person waiting)
      if (KNOWLEDGE.libraryOf(r.module)?.clientDeadlines?.requestPathOnly && !fileFramework(ctx.facts) && !enclosingHandler(call, ctx.facts, ctx.project)) return;
      check(call, r.module, f);
    }

    return {
      NewExpression(node) { visit(node, 'new'); },
      CallExpression(node) { visit(node, 'call'); },
      Identifier(node) {
        // `imports: [HttpModule]` — the module registered with its library's defaults (no deadline)
        const p = node.parent;
        if (!p || !ts.isArrayLiteralExpression(p)) return;
        const b = ctx.facts.bindings.get(node.text);
        if (!b) return;
        const f = KNOWLEDGE.libraryOf(b.module)?.clientDeadlines?.factories.find((x) => x.bareImport === b.imported);
        if (!f) return;
        const holder = p.parent;
        const inImports = (ts.isPropertyAssignment(holder) && propertyName(holder.name) === 'imports') ||
          (ts.isVariableDeclaration(holder) && holder.initializer === p);
        if (!inImports) return;
        const member = f.path.slice(1).join('.');
        const text = props(f);
        ctx.report({
          node, messageId: 'bareImport', data: { name: node.text, why: whyOf(b.module), ms },
          fix: () => [{ title: `Use ${node.text}.${member}({ ${text} })`, edits: [{ start: node.getStart(sf), end: node.getEnd(), newText: `${node.text}.${member}({ ${text} })` }], isPreferred: true, safe: true }],
        });
      },
    };
  },
});
