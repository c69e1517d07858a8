#!/bin/sh
# bench/run.sh — overhead of the live tracer against untraced runs and strace.
#
#   bench/run.sh                 # from the repository root (or anywhere)
#   RUNS=9 DYNAUDIT=./build/core/dynaudit DYNAUDIT_ARGS='--set plugin_path=./build/plugins' bench/run.sh
#
# For each workload: untraced, `dynaudit run` (when the binary exists and
# runs), the tracer alone (bench/tracer_bench.c: the tracer on the command
# without the sandbox; "tracer" = ptrace stops only, "tracer_fast" = with
# fast_notify, as `dynaudit run` uses it), strace -f, strace -f
# --seccomp-bpf, and two kernel floors (bench/floor.c): "floor_filter", an
# allow-all seccomp filter (what every untraced syscall pays once any
# filter exists), and "floor_notify", every open answered by a supervisor
# that does nothing else (the least one notification per open can cost).
# No seccomp-based tracer can beat the floors on the machine measured.
# Variants: VARIANTS="untraced tracer_fast" bench/run.sh  Runs of the
# variants alternate; each cell is the median wall time of RUNS runs,
# printed as a ratio to the untraced median.  Peak RSS: the tracer's own
# (tracer_bench reports getrusage(RUSAGE_SELF)); for the others, GNU time's
# %M of the whole tree (it includes the workload).
#
# Workloads: (a) 1,000,000 reads of /dev/zero over 1,000 opens;
# (b) 100,000 opens of one file + 200 fork+exec of /bin/true;
# (c) python3 -c 'import json, email, http.server, asyncio'.
# Not a test: timings depend on the machine.  Needs cc, libseccomp, strace.
set -eu

here=$(cd "$(dirname "$0")" && pwd)
src=$(cd "$here/.." && pwd)
RUNS=${RUNS:-5}
KINDS=${KINDS:-all}
out="$here/.build"          # inside the tree: visible in the sandbox (read-only host)
mkdir -p "$out" "$out/target"
DYNAUDIT=${DYNAUDIT:-$src/build/core/dynaudit}
DYNAUDIT_ARGS=${DYNAUDIT_ARGS:-}
PY=/usr/bin/python3

cc -O2 -o "$out/workload_a" "$here/workload_a.c"
cc -O2 -o "$out/workload_b" "$here/workload_b.c"
cp "$out/workload_a" "$out/workload_b" "$out/target/"
cc -O2 -std=gnu11 -D_GNU_SOURCE -I"$src/sdk/include" -I"$src/core" \
   -o "$out/tracer_bench" "$here/tracer_bench.c" \
   "$src"/core/live/tracer.c "$src"/core/live/tracer_filter.c "$src"/core/live/tracer_mem.c \
   "$src"/core/live/tracer_decode.c "$src"/core/live/tracer_capture.c "$src"/core/live/tracer_event.c "$src"/core/live/tracer_dec_file.c "$src"/core/live/tracer_dec_net.c "$src"/core/live/tracer_dec_priv.c "$src"/core/live/tracer_dec_proc.c "$src"/core/common/syscall_shapes.c "$src"/core/common/dns_wire.c "$src"/core/live/tracer_text.c "$src"/core/live/tracer_fd.c "$src"/core/live/tracer_syscalls.c "$src"/core/live/tracer_probe.c "$src"/core/live/tracer_notify.c "$src"/core/live/tracer_oracle.c "$src"/core/live/tracer_waits.c "$src"/core/live/tracer_timeskip.c "$src"/core/live/tracer_taint.c \
   "$src"/core/common/procstate.c "$src"/core/common/fdtab.c "$src"/core/common/loader_env.c "$src"/core/engine/bus.c "$src"/core/engine/event_copy.c -lseccomp -lpthread -lm

cc -O2 -o "$out/floor" "$here/floor.c" -lseccomp

have_dynaudit=0
if [ -x "$DYNAUDIT" ]; then
	# exit 0 (PASS) or 1 (FAIL) both mean the audit ran
	rc=0
	# shellcheck disable=SC2086 # DYNAUDIT_ARGS is a list of words
	"$DYNAUDIT" run $DYNAUDIT_ARGS -o "$out/da-out" --target "$out/target" -- /bin/true >/dev/null 2>&1 || rc=$?
	[ $rc -le 1 ] && have_dynaudit=1
fi
STRACE_SET='trace=%process,%network,%file'

now() { date +%s.%N; }

# run_variant NAME WORKLOAD... : one timed run; appends "seconds rss_kb"
run_variant() {
	v=$1; shift
	t0=$(now)
	case $v in
	untraced) /usr/bin/time -f %M -o "$out/rss" "$@" >/dev/null 2>&1 || true ;;
	dynaudit) # the workloads are in the submission dir: the sandbox's cwd
		  first=$1; shift
		  case $first in "$out"/*) first="./${first#"$out"/}" ;; esac
		  # shellcheck disable=SC2086 # DYNAUDIT_ARGS is a list of words
		  /usr/bin/time -f %M -o "$out/rss" "$DYNAUDIT" run $DYNAUDIT_ARGS -o "$out/da-out" \
			--target "$out/target" -- "$first" "$@" >/dev/null 2>&1 || true ;;
	tracer)   "$out/tracer_bench" -k "$KINDS" -- "$@" >/dev/null 2>"$out/tb.err" || true
		  sed -n 's/.*maxrss_kb=\([0-9]*\).*/\1/p' "$out/tb.err" > "$out/rss" ;;
	tracer_fast) "$out/tracer_bench" -f -k "$KINDS" -- "$@" >/dev/null 2>"$out/tb.err" || true
		  sed -n 's/.*maxrss_kb=\([0-9]*\).*/\1/p' "$out/tb.err" > "$out/rss" ;;
	floor_filter) /usr/bin/time -f %M -o "$out/rss" "$out/floor" -a -- "$@" >/dev/null 2>&1 || true ;;
	floor_notify) /usr/bin/time -f %M -o "$out/rss" "$out/floor" -n -- "$@" >/dev/null 2>&1 || true ;;
	strace)   /usr/bin/time -f %M -o "$out/rss" strace -f -e "$STRACE_SET" -o /dev/null "$@" >/dev/null 2>&1 || true ;;
	strace_bpf) /usr/bin/time -f %M -o "$out/rss" strace -f --seccomp-bpf -e "$STRACE_SET" -o /dev/null "$@" >/dev/null 2>&1 || true ;;
	esac
	t1=$(now)
	echo "$(echo "$t1 - $t0" | bc -l) $(tail -n1 "$out/rss")" >> "$out/times.$v"
}

median() { sort -n | awk '{ v[NR] = $1 } END { if (NR % 2) print v[(NR + 1) / 2]; else print (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }

variants="untraced tracer tracer_fast strace strace_bpf floor_filter floor_notify"
[ $have_dynaudit = 1 ] && variants="untraced dynaudit tracer tracer_fast strace strace_bpf floor_filter floor_notify"
variants=${VARIANTS:-$variants}

printf '%-4s %-12s %10s %8s %10s\n' wl variant median_s ratio peak_rss_kb
for wl in a b c; do
	case $wl in
	a) set -- "$out/workload_a" ;;
	b) set -- "$out/workload_b" ;;
	c) set -- "$PY" -c 'import json, email, http.server, asyncio' ;;
	esac
	for v in $variants; do rm -f "$out/times.$v"; done
	i=0
	while [ $i -lt "$RUNS" ]; do
		for v in $variants; do run_variant "$v" "$@"; done
		i=$((i + 1))
	done
	base=$(cut -d' ' -f1 "$out/times.untraced" | median)
	for v in $variants; do
		m=$(cut -d' ' -f1 "$out/times.$v" | median)
		rss=$(cut -d' ' -f2 "$out/times.$v" | sort -n | tail -n1)
		printf '%-4s %-12s %10.3f %7.2fx %10s\n' "$wl" "$v" "$m" "$(echo "$m / $base" | bc -l)" "${rss:-?}"
	done
done
[ $have_dynaudit = 1 ] || echo "(dynaudit run unavailable at $DYNAUDIT: tracer line = tracer alone, no sandbox)"
