# Shared by soak/run, soak/slowloris-check and soak/fd-limit-check (sourced, not run).
# Starts and stops the jepoll command pinned to CPU 0 and reads what /proc says about it.
# Only the server this file started is ever signalled, by its PID.

SOAK_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
ROOT=$(cd "$SOAK_DIR/.." && pwd)
SERVER_CPU=${SERVER_CPU:-0}
CLIENT_CPU=${CLIENT_CPU:-1}
export JEPOLL_JAVA_OPTS=${JEPOLL_JAVA_OPTS:--Xmx512m}
SERVER_PID=
SERVER_LOG=

die() { echo "$(basename "$0"): $*" >&2; exit 2; }

need() { for t in "$@"; do command -v "$t" >/dev/null 2>&1 || die "needs $t"; done; }

# Builds the jar when sources changed (the jepoll launcher does that) and caches --help.
build_jepoll() {
  JEPOLL_HELP=$("$ROOT/jepoll" --help) || die "jepoll does not build or run"
}

# True when this jepoll's --help lists the flag (flags are being added concurrently).
has_flag() { grep -q -- "$1" <<<"$JEPOLL_HELP"; }

free_port() {
  python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'
}

# start_jepoll PORT [jepoll flags...]: starts the server on 127.0.0.1:PORT pinned to SERVER_CPU, waits until it
# answers. Sets SERVER_PID (the JVM: jepoll and taskset exec) and SERVER_LOG. Prefix with SERVER_ULIMIT_N=N to
# start it under `ulimit -n N`. JEPOLL_ARGS (e.g. "--trigger edge", "--transport nio") is added to every start.
start_jepoll() {
  local port=$1; shift
  # shellcheck disable=SC2206
  set -- "$@" ${JEPOLL_ARGS:-}
  SERVER_LOG=$(mktemp /tmp/jepoll-soak-server.XXXXXX)
  if [ -n "${SERVER_ULIMIT_N:-}" ]; then
    ( ulimit -n "$SERVER_ULIMIT_N" && exec taskset -c "$SERVER_CPU" "$ROOT/jepoll" --host 127.0.0.1 --port "$port" "$@" ) \
      >"$SERVER_LOG" 2>&1 &
  else
    taskset -c "$SERVER_CPU" "$ROOT/jepoll" --host 127.0.0.1 --port "$port" "$@" >"$SERVER_LOG" 2>&1 &
  fi
  SERVER_PID=$!
  local i
  for i in $(seq 1 300); do
    if curl -s -o /dev/null --max-time 1 "http://127.0.0.1:$port/"; then return 0; fi
    kill -0 "$SERVER_PID" 2>/dev/null || { cat "$SERVER_LOG" >&2; die "jepoll exited at start"; }
    sleep 0.1
  done
  die "jepoll did not answer within 30 s"
}

# Stops the server we started (SIGTERM: graceful), waits for it; prints its exit code.
stop_jepoll() {
  [ -n "$SERVER_PID" ] || return 0
  if kill -0 "$SERVER_PID" 2>/dev/null; then
    kill -TERM "$SERVER_PID"
    local i
    for i in $(seq 1 200); do kill -0 "$SERVER_PID" 2>/dev/null || break; sleep 0.1; done
    kill -0 "$SERVER_PID" 2>/dev/null && kill -KILL "$SERVER_PID"
  fi
  wait "$SERVER_PID" 2>/dev/null
  SERVER_EXIT=$?
  SERVER_PID=
}

fd_count() { ls "/proc/$1/fd" 2>/dev/null | wc -l; }

# The descriptor count once it stopped moving (the start-up GET's connection may still be closing).
settled_fd_count() {
  local a b i
  a=$(fd_count "$1")
  for i in $(seq 1 50); do
    sleep 0.2
    b=$(fd_count "$1")
    [ "$a" = "$b" ] && break
    a=$b
  done
  echo "$a"
}

rss_kb() { awk '/^VmRSS:/ {print $2}' "/proc/$1/status" 2>/dev/null; }

# utime + stime of the process, in clock ticks
cpu_ticks() { awk '{print $14 + $15}' "/proc/$1/stat" 2>/dev/null; }

# "busy total server" ticks of SERVER_CPU and the server; two of them give other_cpu_pct
cpu_snapshot() {
  echo "$(awk -v c="cpu$SERVER_CPU" '$1 == c {t = 0; for (i = 2; i <= NF; i++) t += $i; print t - $5 - $6, t}' /proc/stat) $(cpu_ticks "$1")"
}

# other_cpu_pct "SNAPSHOT_BEFORE" "SNAPSHOT_AFTER": % of SERVER_CPU kept busy by anything but the server
other_cpu_pct() {
  python3 -c 'import sys; b0,t0,s0 = map(int, sys.argv[1].split()); b1,t1,s1 = map(int, sys.argv[2].split()); print(round(max(0, 100 * ((b1 - b0) - (s1 - s0)) / max(1, t1 - t0))))' "$1" "$2"
}
