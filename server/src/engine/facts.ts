/**
 * Per-file facts, computed once and shared by every rule: what each name is bound to
 * (imports, requires, clients created from factories), what kind of file this is, and which
 * logger and flag SDK it uses. Module-level facts come from a scan of the top-level statements
 * (not a tree walk); clients created inside functions are recorded by the walker as it meets
 * their declarations, before rules visit what follows.
 */
import ts = require('typescript');
import { moduleInfo, moduleKey } from './modules';
import { GLOBAL_MODULE, KNOWLEDGE, LOGGER_STYLE, loggerOf, type LoggerStyle } from '../knowledge';
import type { FileKind } from './types';

export interface ImportBinding {
  local: string;
  /** Module specifier with `node:` stripped. */
  module: string;
  /** 'default', '*' (namespace or whole require), or the imported name. */
  imported: string;
  kind: 'import' | 'require';
  node: ts.Node;
}

/** A client created by a factory or constructor of a known module (`axios.create({...})`). */
export interface ClientInstance {
  /** The name it is bound to: `api`, or `this.api` for class members. */
  name: string;
  module: string;
  /** The factory path used, e.g. ['create'] or ['Pool']. */
  factory: string[];
  /** The options object literal passed to the factory, when there is one. */
  options?: ts.ObjectLiteralExpression;
  /** True when options were passed but cannot be seen (a variable, a spread, a call). */
  optionsOpaque: boolean;
  node: ts.Node;
}

/** What an expression refers to: a module member path, possibly through a client instance. */
export interface Resolved {
  module: string;
  /** Member path below the module (or below the instance), e.g. ['get'] or ['user', 'findMany']. */
  path: string[];
  instance?: ClientInstance;
}

export interface FileLogger {
  /** The binding to call, e.g. `logger` or `this.logger`. */
  name: string;
  style: LoggerStyle;
}

export class FileFacts {
  readonly bindings = new Map<string, ImportBinding>();
  readonly instances = new Map<string, ClientInstance>();
  /** Names of functions declared in this file with `async` (for floating-promise and friends). */
  readonly asyncFunctions = new Set<string>();
  /** Names declared at module level (imports, variables, functions, classes). */
  readonly moduleNames = new Set<string>();
  /** The file's role as rules' fileKinds see it: set by analyze() from the Session's view or workspace/roles.ts localRole. */
  kind: FileKind = 'server';
  readonly isModuleSyntax: boolean;
  readonly useClient: boolean;
  logger?: FileLogger;
  flagSdk?: { provider: string; module: string };
  /** The end offset of the last import/require at the top of the file (where new imports go). */
  importsEnd = 0;

  constructor(
    readonly sourceFile: ts.SourceFile,
    readonly fileName: string,
    private readonly extraModules: readonly string[] = [],
  ) {
    this.useClient = hasDirective(sourceFile, 'use client');
    let esm = false;
    for (const st of sourceFile.statements) {
      if (ts.isImportDeclaration(st) || ts.isExportDeclaration(st) || ts.isExportAssignment(st)) esm = true;
      this.scanTopLevel(st);
    }
    this.isModuleSyntax = esm || /\.(mts|tsx?)$/.test(fileName) && !this.hasRequire();
    this.detectLogger();
  }

  private hasRequire(): boolean {
    for (const b of this.bindings.values()) if (b.kind === 'require') return true;
    return false;
  }

  // ---- module-level scan -------------------------------------------------------------------

  private scanTopLevel(st: ts.Statement): void {
    if (ts.isImportDeclaration(st)) {
      if (ts.isStringLiteral(st.moduleSpecifier)) this.addImport(st, moduleKey(st.moduleSpecifier.text));
      this.importsEnd = st.end;
      return;
    }
    if (ts.isImportEqualsDeclaration(st)) {
      const ref = st.moduleReference;
      if (ts.isExternalModuleReference(ref) && ts.isStringLiteral(ref.expression)) {
        this.addBinding(st.name.text, moduleKey(ref.expression.text), '*', 'require', st);
        this.importsEnd = st.end;
      }
      return;
    }
    if (ts.isVariableStatement(st)) {
      const decls = st.declarationList.declarations;
      for (const d of decls) this.noteVariable(d);
      if (decls.length > 0 && decls.every((d) => d.initializer && requireSpecifier(d.initializer) !== undefined)) {
        this.importsEnd = st.end;
      }
      return;
    }
    if (ts.isFunctionDeclaration(st) && st.name) {
      this.moduleNames.add(st.name.text);
      if (hasModifier(st, ts.SyntaxKind.AsyncKeyword)) this.asyncFunctions.add(st.name.text);
      return;
    }
    if (ts.isClassDeclaration(st)) {
      if (st.name) this.moduleNames.add(st.name.text);
      this.scanClass(st);
      return;
    }
    if (ts.isExpressionStatement(st) && ts.isCallExpression(st.expression) && requireSpecifier(st.expression) !== undefined) {
      // require('dotenv/config') style side-effect import
      this.importsEnd = st.end;
    }
  }

  private addImport(decl: ts.ImportDeclaration, module: string): void {
    const clause = decl.importClause;
    if (!clause) return;
    if (clause.name) this.addBinding(clause.name.text, module, 'default', 'import', decl);
    const nb = clause.namedBindings;
    if (nb && ts.isNamespaceImport(nb)) this.addBinding(nb.name.text, module, '*', 'import', decl);
    if (nb && ts.isNamedImports(nb)) {
      for (const el of nb.elements) {
        const imported = (el.propertyName ?? el.name).text;
        this.addBinding(el.name.text, module, imported, 'import', decl);
      }
    }
  }

  private addBinding(local: string, module: string, imported: string, kind: 'import' | 'require', node: ts.Node): void {
    this.bindings.set(local, { local, module, imported, kind, node });
    this.moduleNames.add(local);
    if (!this.flagSdk) {
      const provider = KNOWLEDGE.flagProviderOf(module);
      if (provider) this.flagSdk = { provider, module };
    }
  }

  private scanClass(cls: ts.ClassLikeDeclaration): void {
    for (const m of cls.members) {
      if (ts.isPropertyDeclaration(m) && ts.isIdentifier(m.name)) {
        const name = `this.${m.name.text}`;
        if (m.initializer) this.noteInstance(name, m.initializer, m);
        else if (m.type) this.noteTypedMember(name, m.type, m);
      } else if (ts.isConstructorDeclaration(m)) {
        for (const p of m.parameters) {
          if (ts.isIdentifier(p.name) && p.type && ts.getModifiers(p)?.some(isAccessModifier)) {
            this.noteTypedMember(`this.${p.name.text}`, p.type, p);
          }
        }
        // this.client = axios.create(...) inside the constructor
        for (const st of m.body?.statements ?? []) {
          if (ts.isExpressionStatement(st) && ts.isBinaryExpression(st.expression) &&
            st.expression.operatorToken.kind === ts.SyntaxKind.EqualsToken &&
            ts.isPropertyAccessExpression(st.expression.left) &&
            st.expression.left.expression.kind === ts.SyntaxKind.ThisKeyword) {
            this.noteInstance(`this.${st.expression.left.name.text}`, st.expression.right, st);
          }
        }
      } else if (ts.isMethodDeclaration(m) && ts.isIdentifier(m.name) && hasModifier(m, ts.SyntaxKind.AsyncKeyword)) {
        this.asyncFunctions.add(`this.${m.name.text}`);
      }
    }
  }

  /** `private readonly redis: Redis` where Redis comes from ioredis → an ioredis client. */
  private noteTypedMember(name: string, type: ts.TypeNode, node: ts.Node): void {
    if (!ts.isTypeReferenceNode(type)) return;
    const tn = type.typeName;
    const first = ts.isIdentifier(tn) ? tn.text : ts.isIdentifier(tn.left) ? tn.left.text : undefined;
    if (!first) return;
    const b = this.bindings.get(first);
    if (!b) return;
    const info = moduleInfo(b.module, this.extraModules);
    if (!info) return;
    const factory = b.imported === '*' || b.imported === 'default' ? [b.imported] : [b.imported];
    this.instances.set(name, { name, module: b.module, factory, optionsOpaque: true, node });
  }

  /** Records `const x = require('m')`, destructured requires and client creations. */
  noteVariable(d: ts.VariableDeclaration): void {
    const init = d.initializer;
    if (ts.isIdentifier(d.name)) {
      if (d.parent.parent && ts.isVariableStatement(d.parent.parent) && d.parent.parent.parent === this.sourceFile) {
        this.moduleNames.add(d.name.text);
      }
      if (!init) return;
      const spec = requireSpecifier(init);
      if (spec !== undefined) {
        const member = requireMember(init);
        this.addBinding(d.name.text, moduleKey(spec), member ?? '*', 'require', d);
        return;
      }
      if ((ts.isArrowFunction(init) || ts.isFunctionExpression(init)) && hasModifier(init, ts.SyntaxKind.AsyncKeyword)) {
        this.asyncFunctions.add(d.name.text);
        return;
      }
      this.noteInstance(d.name.text, init, d);
      return;
    }
    if (ts.isObjectBindingPattern(d.name) && init) {
      const spec = requireSpecifier(init);
      if (spec === undefined) return;
      for (const el of d.name.elements) {
        if (!ts.isIdentifier(el.name)) continue;
        const imported = el.propertyName && ts.isIdentifier(el.propertyName) ? el.propertyName.text : el.name.text;
        this.addBinding(el.name.text, moduleKey(spec), imported, 'require', d);
      }
    }
  }

  /** If `init` creates a client of a known module, remember it under `name`. */
  noteInstance(name: string, init: ts.Expression, node: ts.Node): void {
    const expr = skipOuter(init);
    // `await mysql.createConnection()` / `new Pool()` / `axios.create()`
    const inner = ts.isAwaitExpression(expr) ? skipOuter(expr.expression) : expr;
    if (!ts.isCallExpression(inner) && !ts.isNewExpression(inner)) return;
    const callee = this.resolve(inner.expression);
    if (!callee) return;
    const info = moduleInfo(callee.module, this.extraModules);
    if (!info) return;
    let factoryPath = callee.path;
    if (callee.instance) {
      // got.extend() on an instance made by got.extend(): inherits options from both
      if (!info.factories.includes(callee.path.join('.'))) return;
    } else {
      const key = factoryPath.length === 0 ? 'default' : factoryPath.join('.');
      const isFactory = info.factories.includes(key) || (ts.isNewExpression(inner) && info.factories.includes('*')) ||
        (factoryPath.length === 0 && info.factories.includes('default')) ||
        (factoryPath.length === 1 && info.factories.includes(`*.${factoryPath[0]}`));
      if (!isFactory) {
        // A call to a module function that is not a factory (e.g. `await axios.get()`) is no client.
        return;
      }
      if (factoryPath.length === 0) factoryPath = ['default'];
    }
    const arg = inner.arguments?.[0];
    const opts = arg ? skipOuter(arg) : undefined;
    const options = opts && ts.isObjectLiteralExpression(opts) ? opts : undefined;
    const optionsOpaque = !!arg && (!options || options.properties.some((p) => ts.isSpreadAssignment(p)));
    const parentOptions = callee.instance?.options;
    this.resolved.clear();
    this.instances.set(name, {
      name,
      module: callee.module,
      factory: factoryPath,
      options: options ?? parentOptions,
      optionsOpaque: optionsOpaque || (callee.instance?.optionsOpaque ?? false),
      node,
    });
  }

  // ---- resolution --------------------------------------------------------------------------

  /**
   * Resolves an expression to a module member path. `axios.get` → {axios, [get]};
   * `api.get` (api = axios.create()) → {axios, [get], instance}; `this.redis.get` → ioredis;
   * unbound `fetch` → {global, [fetch]}. Returns undefined for anything else.
   */
  resolve(expr: ts.Expression): Resolved | undefined {
    // many rules ask about the same callee: answer each node once
    const hit = this.resolved.get(expr);
    if (hit !== undefined) return hit ?? undefined;
    const r = this.resolveUncached(expr);
    this.resolved.set(expr, r ?? null);
    return r;
  }

  private readonly resolved = new Map<ts.Node, Resolved | null>();

  private resolveUncached(expr: ts.Expression): Resolved | undefined {
    const e = skipOuter(expr);
    if (ts.isIdentifier(e)) {
      const inst = this.instances.get(e.text);
      if (inst) return { module: inst.module, path: [], instance: inst };
      const b = this.bindings.get(e.text);
      if (b) return { module: b.module, path: b.imported === '*' || b.imported === 'default' ? [] : [b.imported] };
      if (e.text === 'fetch' && !this.moduleNames.has('fetch')) return { module: GLOBAL_MODULE, path: ['fetch'] };
      return undefined;
    }
    if (ts.isPropertyAccessExpression(e)) {
      const name = e.name.text;
      if (e.expression.kind === ts.SyntaxKind.ThisKeyword) {
        const inst = this.instances.get(`this.${name}`);
        return inst ? { module: inst.module, path: [], instance: inst } : undefined;
      }
      if (ts.isIdentifier(e.expression) && (e.expression.text === 'globalThis' || e.expression.text === 'window') && name === 'fetch') {
        return { module: GLOBAL_MODULE, path: ['fetch'] };
      }
      const base = this.resolve(e.expression);
      if (!base) return undefined;
      // `axios.default.get` (CJS interop) is axios.get
      if (base.path.length === 0 && name === 'default' && !base.instance) return base;
      return { ...base, path: [...base.path, name] };
    }
    if (ts.isElementAccessExpression(e) && ts.isStringLiteralLike(e.argumentExpression)) {
      const base = this.resolve(e.expression);
      return base ? { ...base, path: [...base.path, e.argumentExpression.text] } : undefined;
    }
    if (ts.isConditionalExpression(e)) {
      // `(secure ? https : http).request(…)`: two modules of one library, the same member
      const a = this.resolve(e.whenTrue);
      const b = this.resolve(e.whenFalse);
      if (!a || !b || a.instance || b.instance || a.path.join('.') !== b.path.join('.')) return undefined;
      const lib = KNOWLEDGE.libraryOf(a.module);
      return lib && lib === KNOWLEDGE.libraryOf(b.module) ? a : undefined;
    }
    return undefined;
  }

  /** The resolved callee of a call, e.g. for `axios.get(url)`. */
  resolveCall(call: ts.CallExpression | ts.NewExpression): Resolved | undefined {
    return this.resolve(call.expression);
  }

  // ---- logger ------------------------------------------------------------------------------

  private detectLogger(): void {
    // 1. a logger created in this file: const logger = pino() / winston.createLogger()
    for (const [name, b] of this.bindings) {
      // a module that is itself a logger factory (pino, winston…), not one exporting a logger class
      const lib = loggerOf(b.module);
      if (lib && !lib.export) {
        const created = this.findCreatedLogger(name);
        if (created) { this.logger = { name: created, style: lib.style }; return; }
      }
    }
    // 2. a NestJS Logger member: private readonly logger = new Logger(X.name)
    for (const st of this.sourceFile.statements) {
      if (!ts.isClassDeclaration(st)) continue;
      for (const m of st.members) {
        if (ts.isPropertyDeclaration(m) && ts.isIdentifier(m.name) && m.initializer && ts.isNewExpression(m.initializer) &&
          ts.isIdentifier(m.initializer.expression)) {
          const b = this.bindings.get(m.initializer.expression.text);
          const lib = b && loggerOf(b.module);
          if (lib?.export && lib.export === b!.imported) {
            this.logger = { name: `this.${m.name.text}`, style: lib.style };
            return;
          }
        }
      }
    }
    // 3. an imported project logger: import { logger } from './logger'
    for (const name of ['logger', 'log', 'LOGGER']) {
      const b = this.bindings.get(name);
      if (b && (b.module.startsWith('.') || b.module.startsWith('@/') || b.module.startsWith('~/'))) {
        // assumed object-first until the project says otherwise (fixes/logger.ts refines it)
        this.logger = { name, style: LOGGER_STYLE.pino };
        return;
      }
    }
  }

  private findCreatedLogger(libBinding: string): string | undefined {
    for (const st of this.sourceFile.statements) {
      const decls = ts.isVariableStatement(st) ? st.declarationList.declarations : [];
      for (const d of decls) {
        if (!ts.isIdentifier(d.name) || !d.initializer) continue;
        const init = skipOuter(d.initializer);
        if (!ts.isCallExpression(init)) continue;
        const root = rootIdentifier(init.expression);
        if (root === libBinding) return d.name.text;
      }
    }
    return undefined;
  }
}

// ---- helpers -------------------------------------------------------------------------------

export function skipOuter(e: ts.Expression): ts.Expression {
  let x = e;
  for (;;) {
    if (ts.isParenthesizedExpression(x) || ts.isAsExpression(x) || ts.isNonNullExpression(x) ||
      ts.isSatisfiesExpression(x) || ts.isTypeAssertionExpression(x)) x = x.expression;
    else return x;
  }
}

export function rootIdentifier(e: ts.Expression): string | undefined {
  let x = skipOuter(e);
  while (ts.isPropertyAccessExpression(x) || ts.isCallExpression(x) || ts.isElementAccessExpression(x)) x = skipOuter(x.expression);
  return ts.isIdentifier(x) ? x.text : undefined;
}

/** `require('m')`, `require('m').x`, `require('m').default` → 'm'. */
export function requireSpecifier(e: ts.Expression): string | undefined {
  let x = skipOuter(e);
  while (ts.isPropertyAccessExpression(x)) x = skipOuter(x.expression);
  if (ts.isCallExpression(x) && ts.isIdentifier(x.expression) && x.expression.text === 'require' &&
    x.arguments.length === 1 && ts.isStringLiteralLike(x.arguments[0])) return x.arguments[0].text;
  return undefined;
}

function requireMember(e: ts.Expression): string | undefined {
  const x = skipOuter(e);
  return ts.isPropertyAccessExpression(x) ? (x.name.text === 'default' ? 'default' : x.name.text) : undefined;
}

export function hasModifier(node: ts.Node, kind: ts.SyntaxKind): boolean {
  return (ts.canHaveModifiers(node) ? ts.getModifiers(node) : undefined)?.some((m) => m.kind === kind) ?? false;
}

function isAccessModifier(m: ts.ModifierLike): boolean {
  return m.kind === ts.SyntaxKind.PrivateKeyword || m.kind === ts.SyntaxKind.ProtectedKeyword ||
    m.kind === ts.SyntaxKind.PublicKeyword || m.kind === ts.SyntaxKind.ReadonlyKeyword;
}

function hasDirective(sf: ts.SourceFile, directive: string): boolean {
  for (const st of sf.statements) {
    if (ts.isExpressionStatement(st) && ts.isStringLiteral(st.expression)) {
      if (st.expression.text === directive) return true;
    } else return false;
  }
  return false;
}
