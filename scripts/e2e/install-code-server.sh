#!/usr/bin/env bash
# Installs what the offline VS Code integration tests need (test/e2e/run-code-server.mjs):
#   - Debian packages: the native-module build deps of code-server, ripgrep and chromium
#     (installed only when `dpkg -s` says they are missing);
#   - code-server@4.100.3 (VS Code 1.100.3, the last line that runs on Node 20) into its own
#     cache folder .vscode-test/code-server/ — never as a dependency of the extension, so its
#     heavy postinstall does not run on every `npm ci`.
# Idempotent: a warm cache is checked (native modules present, `code-server --version` works)
# and left alone. Offline: @vscode/ripgrep's postinstall would download ripgrep from GitHub;
# it is fed Debian's /usr/bin/rg through its download cache instead.
# Usage: scripts/e2e/install-code-server.sh [--force]
set -euo pipefail

CODE_SERVER_VERSION="${CODE_SERVER_VERSION:-4.100.3}"
RIPGREP_PKG_VERSION="1.15.11"
RIPGREP_ARCHIVE="ripgrep-v13.0.0-10-x86_64-unknown-linux-musl.tar.gz"
APT_PACKAGES=(libkrb5-dev libsecret-1-dev libx11-dev libxkbfile-dev pkg-config ripgrep chromium
  build-essential python3)
# npm 11 skips the install scripts of dependencies not listed in the project's allowScripts
# (and rejects --allow-scripts, flag or env, in project-scoped installs). code-server's own
# postinstall runs `npm install` again in lib/vscode, a project of its own: without an
# allowScripts there, node-pty, spdlog, ripgrep, ... would be skipped silently and code-server
# would install "fine" and then fail to load them. So: install with --ignore-scripts, write
# allowScripts into the three package.json files, then `npm rebuild` with strict-allow-scripts
# (an uncovered install script is then an error, not a silent skip).
OUTER_SCRIPTS=(code-server argon2)
EXTENSIONS_SCRIPTS=(@parcel/watcher esbuild)
VSCODE_SCRIPTS=(@parcel/watcher @vscode/deviceid @vscode/ripgrep @vscode/spdlog kerberos native-watchdog node-pty
  # Windows-only modules: denied (their scripts would do nothing here)
  '!@vscode/windows-process-tree' '!@vscode/windows-registry' '!@vscode/windows-ca-certs')

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
PREFIX="$ROOT/.vscode-test/code-server"
PKG="$PREFIX/node_modules/code-server"
MARKER="$PREFIX/.installed-$CODE_SERVER_VERSION"
FORCE=0
[[ "${1:-}" == "--force" ]] && FORCE=1

log() { printf '[install-code-server] %s\n' "$*"; }
die() { printf '[install-code-server] ERROR: %s\n' "$*" >&2; exit 1; }

# ---- system packages -------------------------------------------------------------------
missing=()
for p in "${APT_PACKAGES[@]}"; do
  dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p")
done
if ((${#missing[@]})); then
  log "installing Debian packages: ${missing[*]}"
  SUDO=""
  if [[ "$(id -u)" != 0 ]]; then
    command -v sudo >/dev/null || die "need root or sudo to install: ${missing[*]}"
    SUDO="sudo"
  fi
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi
command -v chromium >/dev/null || die "chromium is not on PATH after installing the Debian package"

# ---- node version ----------------------------------------------------------------------
node_major="$(node -p 'process.versions.node.split(".")[0]')"
[[ "$node_major" == 20 ]] || die "code-server@$CODE_SERVER_VERSION needs Node 20 (found $(node -v))"

# ---- verification of an installed tree -------------------------------------------------
verify() {
  local vs="$PKG/lib/vscode/node_modules" f
  for f in \
    "$PKG/out/node/entry.js" \
    "$vs/@vscode/ripgrep/bin/rg" \
    "$vs/node-pty/build/Release/pty.node" \
    "$vs/@vscode/spdlog/build/Release/spdlog.node" \
    "$vs/native-watchdog/build/Release/watchdog.node" \
    "$vs/kerberos/build/Release/kerberos.node" \
    "$PKG/lib/vscode/node_modules.asar" \
    "$PKG/lib/vscode/extensions/node_modules/typescript/lib/typescript.js"; do
    [[ -e "$f" ]] || { log "missing: ${f#$ROOT/}"; return 1; }
  done
  ls "$vs"/@parcel/watcher/build/Release/*.node >/dev/null 2>&1 \
    || ls "$vs"/@parcel/watcher-linux-x64-glibc/*.node >/dev/null 2>&1 \
    || { log "missing: @parcel/watcher native module"; return 1; }
  local v
  # XDG_*: keep code-server from writing ~/.config/code-server/config.yaml
  v="$(XDG_CONFIG_HOME="$PREFIX/.xdg/config" XDG_DATA_HOME="$PREFIX/.xdg/data" \
    node "$PKG/out/node/entry.js" --version 2>/dev/null | grep -E '^[0-9]+\.' | head -1)" \
    || { log "code-server --version failed"; return 1; }
  [[ "$v" == "$CODE_SERVER_VERSION"* ]] || { log "unexpected version: $v"; return 1; }
  return 0
}

# one install at a time per checkout (two runners started together wait for each other)
mkdir -p "$ROOT/.vscode-test"
exec 9>"$ROOT/.vscode-test/.install-code-server.lock"
flock 9

if ((!FORCE)) && [[ -f "$MARKER" ]] && verify; then
  log "code-server $CODE_SERVER_VERSION already installed in ${PREFIX#$ROOT/} (warm cache)"
  exit 0
fi

# ---- ripgrep from Debian instead of GitHub ---------------------------------------------
TMP_NODE="$(node -p 'require("os").tmpdir()')"
RG_CACHE="$TMP_NODE/vscode-ripgrep-cache-$RIPGREP_PKG_VERSION"
if [[ ! -s "$RG_CACHE/$RIPGREP_ARCHIVE" ]]; then
  log "seeding @vscode/ripgrep's cache with /usr/bin/rg"
  mkdir -p "$RG_CACHE"
  tar czf "$RG_CACHE/$RIPGREP_ARCHIVE" -C /usr/bin rg
fi

# ---- code-server ------------------------------------------------------------------------
log "installing code-server@$CODE_SERVER_VERSION into ${PREFIX#$ROOT/} (takes a few minutes)"
rm -rf "$PREFIX"
mkdir -p "$PREFIX"
cat >"$PREFIX/package.json" <<JSON
{
  "name": "failpath-e2e-code-server",
  "private": true,
  "description": "Cache folder for the offline VS Code integration tests (scripts/e2e/install-code-server.sh)",
  "dependencies": { "code-server": "$CODE_SERVER_VERSION" }
}
JSON
allow_scripts() { # <package.json> <name|!name>... : sets "allowScripts": { name: true, name2: false }
  node -e '
    const fs = require("fs"); const [file, ...names] = process.argv.slice(1);
    const pkg = JSON.parse(fs.readFileSync(file, "utf8"));
    pkg.allowScripts = Object.fromEntries(names.map((n) => (n.startsWith("!") ? [n.slice(1), false] : [n, true])));
    fs.writeFileSync(file, JSON.stringify(pkg, null, 2) + "\n");' "$@"
}
LOG="$PREFIX/install.log"
quiet_npm() { # npm, output to $LOG; its tail is shown when it fails
  echo "\$ npm $*" >>"$LOG"
  npm "$@" >>"$LOG" 2>&1 && return 0
  local rc=$?
  grep -v -e 'Unknown user config' -e 'Unknown env config' -e 'Unknown cli config' "$LOG" | tail -60 >&2
  log "npm $1 failed (exit $rc); full log: ${LOG#$ROOT/}"
  return "$rc"
}
started=$(date +%s)
cd "$PREFIX"
allow_scripts package.json "${OUTER_SCRIPTS[@]}"
# unsafe_perm: code-server's postinstall refuses to run as root without it.
export npm_config_unsafe_perm=true npm_config_yes=true npm_config_update_notifier=false
export npm_config_fund=false npm_config_audit=false
# Offline native builds: node-pre-gyp (argon2) and prebuild-install (kerberos) first try a
# prebuilt binary from GitHub; build from source straight away instead (no download attempt).
export npm_config_build_from_source=true
# node-gyp downloads the Node headers unless nodedir points at local ones. This machine's
# ~/.npmrc sets nodedir=/usr; without it (a fresh user config) use the headers of Debian's nodejs.
if [[ -z "$(npm config get nodedir 2>/dev/null | grep -v -x -e undefined -e null)" ]]; then
  [[ -f /usr/include/node/common.gypi ]] \
    || die "npm's nodedir is not set and /usr/include/node has no Node headers: node-gyp would download them"
  export npm_config_nodedir=/usr
fi
quiet_npm install --no-package-lock --ignore-scripts \
  || die "npm install of code-server@$CODE_SERVER_VERSION failed"
allow_scripts "$PKG/lib/vscode/package.json" "${VSCODE_SCRIPTS[@]}"
allow_scripts "$PKG/lib/vscode/extensions/package.json" "${EXTENSIONS_SCRIPTS[@]}"
log "building native modules (code-server's postinstall: node-gyp for node-pty, spdlog, kerberos, ...)"
npm_config_strict_allow_scripts=true quiet_npm rebuild --foreground-scripts \
  || die "code-server's postinstall failed (native module builds)"
cd "$ROOT"

verify || die "code-server installed but its native modules are missing: were install scripts skipped?"
touch "$MARKER"
log "done in $(( $(date +%s) - started ))s"
