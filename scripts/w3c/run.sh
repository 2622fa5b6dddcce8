#!/usr/bin/env bash
# `make w3c`: run the four W3C VC test suites offline against `ecvet serve` on 127.0.0.1 (HTTPS,
# --dev-tls) with the documented interop configuration, examples/serve-interop.toml.
#
#   scripts/w3c/run.sh [eddsa] [ecdsa] [vc2] [bitstring]      (default: all four)
#
# Needs node 20+ and npm (the suites' npm dependencies come from the npm registry), python3, curl, tar,
# and the suites' source trees as tarballs <owner>+<name>.tar.gz with a COMMITS file in SUITES_DIR.
# Variables:
#   SUITES_DIR  the tarballs                                  [../shared/w3c-suites next to the project]
#   WORK_DIR    suites, node_modules, keys, results (outside the repo)   [${TMPDIR:-/tmp}/ecvet-w3c-work]
#   FRESH=1     re-extract and re-install the suites
#   PORT_ED25519 PORT_P256 PORT_P384   server ports            [free ports on 127.0.0.1]
#   ECVET_W3C_VERIFY_CHECKS  e.g. "proof,credentialStatus": sent as options.checks by every verifier entry
#                            (default: none, so the service's [verify] checks apply)
#   W3C_POLICY=ecvet  run the servers without the [verify] section (the default ECVET policy: every
#                     check, pinned contexts only) to list what the default policy refuses
#   SUITE_TIMEOUT  seconds per suite                            [1200]
# Exit status: 0 when every test of the suites run passed (pending tests aside), 1 otherwise, 2 on setup errors.
set -euo pipefail

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
PROJECT_DIR=$(cd "$HERE/../.." && pwd)
SUITES_DIR=${SUITES_DIR:-$PROJECT_DIR/../shared/w3c-suites}
WORK_DIR=${WORK_DIR:-${TMPDIR:-/tmp}/ecvet-w3c-work}
free_port() { python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }
PORT_ED25519=${PORT_ED25519:-$(free_port)}
PORT_P256=${PORT_P256:-$(free_port)}
PORT_P384=${PORT_P384:-$(free_port)}
SUITE_TIMEOUT=${SUITE_TIMEOUT:-1200}
ECVET="$PROJECT_DIR/.venv/bin/ecvet"
TEMPLATE="$PROJECT_DIR/examples/serve-interop.toml"
SUITES=("$@")
[ ${#SUITES[@]} -gt 0 ] || SUITES=(eddsa ecdsa vc2 bitstring)

log() { printf '[w3c %s] %s\n' "$(date +%H:%M:%S)" "$*" >&2; }
die() { log "ERROR: $*"; exit 2; }

for tool in node npm python3 curl tar; do command -v "$tool" >/dev/null || die "$tool is not installed (make w3c needs it)"; done
[ -d "$SUITES_DIR" ] && [ -f "$SUITES_DIR/COMMITS" ] ||
  die "the W3C suites are not in SUITES_DIR=$SUITES_DIR (expected <owner>+<name>.tar.gz files and COMMITS); set SUITES_DIR"
[ -x "$ECVET" ] || die "$ECVET missing: run 'make install' first"
"$PROJECT_DIR/.venv/bin/python" -c 'import starlette, uvicorn' 2>/dev/null || die "the serve extra is missing: make install"
case "$WORK_DIR" in "$PROJECT_DIR"|"$PROJECT_DIR"/*) die "WORK_DIR must be outside the project tree";; esac
mkdir -p "$WORK_DIR"
WORK_DIR=$(cd "$WORK_DIR" && pwd)

declare -A REPO=(
  [eddsa]=w3c/vc-di-eddsa-test-suite [ecdsa]=w3c/vc-di-ecdsa-test-suite
  [vc2]=w3c/vc-data-model-2.0-test-suite [bitstring]=w3c/vc-bitstring-status-list-test-suite
)
HELPERS=(w3c/vc-test-suite-implementations w3c-ccg/data-integrity-test-suite-assertion)

extract() {   # REPO DEST: the tarball's tree into a fresh DEST, and its commit into commits.txt
  local repo=$1 dest=$2 tarball="$SUITES_DIR/${1%%/*}+${1##*/}.tar.gz"
  [ -f "$tarball" ] || die "missing $tarball"
  rm -rf "$dest"; mkdir -p "$dest"
  tar -xzf "$tarball" -C "$dest"
  echo "$repo $(awk -v r="$repo" '$1 == r {print $2, $3}' "$SUITES_DIR/COMMITS")" >> "$WORK_DIR/commits.txt"
}

prepare() {
  if [ "${FRESH:-0}" != 1 ] && [ -f "$WORK_DIR/.prepared" ]; then
    log "reusing the suites in $WORK_DIR/suites (FRESH=1 to rebuild)"; return
  fi
  rm -rf "$WORK_DIR/src" "$WORK_DIR/deps" "$WORK_DIR/suites" "$WORK_DIR/.prepared" "$WORK_DIR/commits.txt"
  mkdir -p "$WORK_DIR/src" "$WORK_DIR/deps" "$WORK_DIR/suites"
  local repo name dir
  for repo in "${HELPERS[@]}"; do   # the suites name these as github: dependencies: pack them locally
    name=${repo##*/}; extract "$repo" "$WORK_DIR/src/$name"
    (cd "$WORK_DIR/src/$name" && npm pack --silent --pack-destination "$WORK_DIR/deps" >/dev/null)
  done
  extract w3c/vc-di-ecdsa "$WORK_DIR/src/vc-di-ecdsa"   # what the ECDSA suite's postinstall would git clone
  for name in eddsa ecdsa vc2 bitstring; do
    dir="$WORK_DIR/suites/$name"
    extract "${REPO[$name]}" "$dir"
    node "$HERE/tools/patch-package.cjs" "$dir/package.json" "$WORK_DIR/deps" >/dev/null
    rm -f "$dir/package-lock.json"   # its github: entries would send npm to GitHub
    if [ "$name" = ecdsa ]; then mkdir -p "$dir/tests/input" && cp -a "$WORK_DIR/src/vc-di-ecdsa" "$dir/tests/input/vc-di-ecdsa"; fi
    log "npm install ($name)"
    (cd "$dir" && timeout 900 npm install --ignore-scripts --no-audit --no-fund > "$WORK_DIR/npm-install-$name.log" 2>&1) ||
      die "npm install failed for $name: see $WORK_DIR/npm-install-$name.log"
  done
  touch "$WORK_DIR/.prepared"
}

PIDS=()
stop_servers() {
  local pid i
  for pid in "${PIDS[@]}"; do kill "$pid" 2>/dev/null || true; done
  for pid in "${PIDS[@]}"; do
    for i in $(seq 1 40); do kill -0 "$pid" 2>/dev/null || break; sleep 0.25; done
    kill -0 "$pid" 2>/dev/null && { log "server $pid did not stop on TERM; killing it"; kill -9 "$pid" 2>/dev/null || true; }
  done
  PIDS=()
}
trap stop_servers EXIT
trap 'exit 130' INT TERM

RUN_DIR="$WORK_DIR/runs/$(date +%Y%m%d-%H%M%S)"
mkdir -p "$RUN_DIR"
export ECVET_PASSPHRASE=${ECVET_PASSPHRASE:-$(python3 -c 'import secrets; print(secrets.token_urlsafe(18))')}
export ECVET_API_TOKEN=${ECVET_API_TOKEN:-$(python3 -c 'import secrets; print(secrets.token_urlsafe(24))')}

start_server() {   # NAME KEYTYPE PORT: a fresh key and HOME, the interop config with this port and key
  local name=$1 type=$2 port=$3 dir="$RUN_DIR/$1" did code i
  mkdir -p "$dir"
  if (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then die "port $port is already in use"; fi
  did=$("$ECVET" keys generate --type "$type" --out "$dir/$name.key" --json | python3 -c 'import json,sys; print(json.load(sys.stdin)["did"])')
  sed -e "s|^port = .*|port = $port|" -e "s|^key = .*|key = \"$name.key\"|" \
      -e "s|^base_url = .*|base_url = \"https://127.0.0.1:$port/status\"|" "$TEMPLATE" > "$dir/serve.toml"
  if [ "${W3C_POLICY:-interop}" = ecvet ]; then sed -i -e '/^checks = /d' -e '/^inline_contexts = /d' "$dir/serve.toml"; fi
  "$ECVET" --home "$dir/home" serve --config "$dir/serve.toml" --dev-tls > "$dir/server.log" 2>&1 &
  PIDS+=($!)
  for i in $(seq 1 120); do
    code=$(curl -sk -o /dev/null -w '%{http_code}' "https://127.0.0.1:$port/openapi.json" || true)
    [ "$code" = 200 ] && break
    kill -0 "${PIDS[-1]}" 2>/dev/null || { cat "$dir/server.log" >&2; die "ecvet serve ($name) exited"; }
    sleep 0.5
  done
  [ "$code" = 200 ] || { cat "$dir/server.log" >&2; die "ecvet serve ($name) did not answer on port $port"; }
  local upper; upper=$(echo "$name" | tr a-z A-Z)
  export "ECVET_W3C_${upper}_DID=$did" "ECVET_W3C_${upper}_URL=https://127.0.0.1:$port"
  log "ecvet serve $name ($type) on https://127.0.0.1:$port as $did"
}

FAILED=0
run_suite() {
  local name=$1 dir="$WORK_DIR/suites/$1" out="$RUN_DIR/results/$1" rc=0
  mkdir -p "$out"
  cp "$HERE/localConfig/_common.cjs" "$dir/_common.cjs"
  cp "$HERE/localConfig/$name.localConfig.cjs" "$dir/localConfig.cjs"
  rm -f "$dir/reports/index.html" "$dir/reports/index.json"
  log "running $name (log: $out/mocha.log)"
  # the suite's own test script (its pre-scripts would reach GitHub), plus an outcome recorder
  (cd "$dir" && W3C_CAPTURE_FILE="$out/outcomes.jsonl" timeout "$SUITE_TIMEOUT" \
     npm run test --ignore-scripts -- --require "$HERE/tools/capture.cjs" --reporter-option stats=true \
     > "$out/mocha.log" 2>&1) || rc=$?
  [ -s "$out/outcomes.jsonl" ] || { log "$name recorded no test outcome (see $out/mocha.log)"; : > "$out/outcomes.jsonl"; rc=1; }
  python3 "$HERE/tools/summarize.py" "$name" "$out/outcomes.jsonl" "$out/mocha.log" > "$out/summary.md"
  [ "$rc" = 0 ] || FAILED=1
  log "$name: $(grep -m1 '^| \*\*total' "$out/summary.md" || echo 'no total') (mocha exit $rc)"
}

prepare
{
  echo "date: $(date -u +%Y-%m-%dT%H:%M:%SZ)"
  echo "project: $(git -C "$PROJECT_DIR" rev-parse HEAD 2>/dev/null || echo '?') ($("$ECVET" --version 2>/dev/null))"
  echo "config: examples/serve-interop.toml (policy ${W3C_POLICY:-interop}); options.checks sent: ${ECVET_W3C_VERIFY_CHECKS:-none}"
  echo "node: $(node --version) npm: $(npm --version)"
  echo "suites:"; sed 's/^/  /' "$WORK_DIR/commits.txt"
} > "$RUN_DIR/run-info.txt"

start_server ed25519 ed25519 "$PORT_ED25519"
start_server p256 p256 "$PORT_P256"
start_server p384 p384 "$PORT_P384"
for s in "${SUITES[@]}"; do
  [ -n "${REPO[$s]:-}" ] || die "unknown suite $s (eddsa, ecdsa, vc2, bitstring)"
  run_suite "$s"
done
stop_servers
{ cat "$RUN_DIR/run-info.txt"; echo; for s in "${SUITES[@]}"; do cat "$RUN_DIR/results/$s/summary.md"; done; } > "$RUN_DIR/SUMMARY.md"
log "summary: $RUN_DIR/SUMMARY.md"
exit "$FAILED"
