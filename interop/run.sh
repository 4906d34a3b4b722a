#!/usr/bin/env bash
# Builds the melo-testkit standalone jar, starts it on a free loopback port, runs the matrix-nio and
# matrix-js-sdk sessions against it, stops it. Exit code 0 only if both sessions pass every step.
# Not part of `mvn verify` or CI: it needs python3-matrix-nio (Debian) and node 20+ with npm.
#
#   interop/run.sh              build, then run both
#   SKIP_BUILD=1 interop/run.sh reuse melo-testkit/target/melo-testkit-standalone.jar
#   TRACE=1 interop/run.sh      also print every HTTP request the clients send (tokens redacted)
#   JSSDK_DIR=/some/dir         use the matrix-js-sdk installed there instead of interop/node_modules
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/.." && pwd)"
jar="$root/melo-testkit/target/melo-testkit-standalone.jar"
trace=()
[[ "${TRACE:-}" == 1 ]] && trace=(--trace)

if [[ "${SKIP_BUILD:-}" != 1 ]]; then
  echo "== building $jar"
  (cd "$root" && mvn -B -q -o -pl melo-testkit -am package -DskipTests)
fi
[[ -f "$jar" ]] || { echo "missing $jar (build it first)"; exit 2; }

python=/usr/bin/python3
if ! "$python" -c 'import nio' 2>/dev/null; then
  echo "matrix-nio is missing: apt-get install -y python3-matrix-nio"; exit 2
fi
jssdk_dir="${JSSDK_DIR:-$here}"
if [[ ! -d "$jssdk_dir/node_modules/matrix-js-sdk" ]]; then
  echo "== installing matrix-js-sdk into $jssdk_dir"
  (cd "$jssdk_dir" && npm install --no-audit --no-fund --loglevel=error)
fi

# A free port chosen by the kernel (never one of the ports Node's fetch refuses: those are all < 10000
# except 10080, and the ephemeral range starts far above).
port="$("$python" -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')"
log="$(mktemp -t melo-testkit-interop.XXXXXX.log)"
java -jar "$jar" --port "$port" >"$log" 2>&1 &
server_pid=$!
cleanup() {
  kill "$server_pid" 2>/dev/null || true
  wait "$server_pid" 2>/dev/null || true
}
trap cleanup EXIT

for _ in $(seq 1 150); do   # up to 30 s for "listening on"
  grep -q '^listening on ' "$log" && break
  kill -0 "$server_pid" 2>/dev/null || { echo "server exited:"; cat "$log"; exit 2; }
  sleep 0.2
done
grep -q '^listening on ' "$log" || { echo "server did not report listening within 30 s:"; cat "$log"; exit 2; }
base="$(sed -n 's/^listening on //p' "$log" | head -1)"
echo "== server: $base (log: $log)"

status=0
echo "== matrix-nio $(dpkg-query -W -f='${Version}' python3-matrix-nio 2>/dev/null || echo '?')"
timeout 300 "$python" "$here/nio_session.py" "$base" "${trace[@]}" || status=1
echo "== matrix-js-sdk"
JSSDK_DIR="$jssdk_dir" timeout 300 node "$here/jssdk_session.mjs" "$base" "${trace[@]}" || status=1

if [[ $status == 0 ]]; then echo "== interop: both clients passed every step"; else echo "== interop: FAILURES (see FAIL lines above)"; fi
exit $status
