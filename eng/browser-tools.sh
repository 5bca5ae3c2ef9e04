#!/usr/bin/env bash
# Installs what the web host's playground browser test needs, idempotently:
#   - Debian's Chromium (/usr/bin/chromium) and Node.js with npm, with apt-get when missing (as root, or through sudo -n);
#   - playwright-core from npm into tests/Aigc.WebApi.Tests/browser/node_modules, at the version of its package-lock.json
#     (it drives /usr/bin/chromium and never downloads a browser).
# Used by .ci/run and, when something is missing, by the browser test itself, so a plain `dotnet test` sets it up too.
# Progress goes to stderr.
set -euo pipefail
cd "$(dirname "$0")/.."
log() { echo "browser-tools.sh: $*" >&2; }

need_apt=()
[ -x /usr/bin/chromium ] || need_apt+=(chromium)
{ command -v node && command -v npm; } >/dev/null 2>&1 || need_apt+=(nodejs npm)
if [ ${#need_apt[@]} -gt 0 ]; then
  command -v apt-get >/dev/null 2>&1 || { log "missing ${need_apt[*]} and apt-get is not available: install them."; exit 1; }
  sudo=()
  if [ "$(id -u)" != 0 ]; then
    command -v sudo >/dev/null 2>&1 || { log "missing ${need_apt[*]}: installing them needs root (or sudo)."; exit 1; }
    sudo=(sudo -n)
  fi
  log "installing ${need_apt[*]} with apt-get"
  "${sudo[@]}" apt-get update -qq >&2
  DEBIAN_FRONTEND=noninteractive "${sudo[@]}" apt-get install -y -qq "${need_apt[@]}" >&2
fi

browser_tests=tests/Aigc.WebApi.Tests/browser
want=$(node -p "require('./$browser_tests/package-lock.json').packages['node_modules/playwright-core'].version")
have=$(node -p "require('./$browser_tests/node_modules/playwright-core/package.json').version" 2>/dev/null || true)
if [ "$want" != "$have" ]; then
  log "installing playwright-core $want"
  PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 npm ci --prefix "$browser_tests" --no-audit --no-fund >&2
fi
