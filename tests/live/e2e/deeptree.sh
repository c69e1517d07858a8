#!/bin/sh
# Issue 8, removal: the scratch tree (the target's /tmp and HOME) is removed
# by dynaudit with its own rights, root in CI.  The target leaves a chain of
# directories far deeper than PATH_MAX, a directory of mode 0, and symlinks
# to a host directory everywhere.  Afterwards the scratch dir is gone and
# the host directory and its file are untouched (content and modes).  Run
# as root and, when possible, as dyntest (no root: /tmp is a plain
# directory there, so the removal really walks the target's tree).
. "$(dirname "$0")/lib.sh"
host="$tmp/host"
mkdir -m 755 "$host"
echo keep >"$host/f"
chmod 644 "$host/f"
scr="$tmp/scr"
mkdir -m 1777 "$scr"
chmod 755 "$tmp/work"
p=$(prog host_deeptree)
chmod 755 "$tmp/work/host_deeptree"
DUR=5

check_after() { # WHO
	left=$(ls -A "$scr")
	[ -z "$left" ] || fail "$1: scratch left behind in $scr: $left"
	[ "$(cat "$host/f" 2>/dev/null)" = keep ] || fail "$1: host file changed or gone"
	[ "$(stat -c %a "$host")" = 755 ] || fail "$1: host dir mode now $(stat -c %a "$host")"
	[ "$(stat -c %a "$host/f")" = 644 ] || fail "$1: host file mode now $(stat -c %a "$host/f")"
	grep -q "depth" "$2" || fail "$1: the target did not run: $(head -c 300 "$2")"
}

TMPDIR="$scr" run_audit -- "$p" "$host"
[ "$RC" -eq 0 ] || [ "$RC" -eq 1 ] || fail "root: exit $RC: $(tail -n 3 "$tmp/dyn.err")"
check_after root "$OUT/stdout.log"
who=root
if id dyntest >/dev/null 2>&1 && su dyntest -s /bin/sh -c "test -x '$DYNAUDIT'" 2>/dev/null; then
	mkdir -m 777 "$tmp/asuser"
	su dyntest -s /bin/sh -c "cd '$tmp/asuser' && TMPDIR='$scr' timeout -s KILL 60 '$DYNAUDIT' run -o '$tmp/asuser/out' --target '$tmp/work' --set target.duration=$DUR -- '$p' '$host'" >"$tmp/dyn.out" 2>"$tmp/dyn.err"
	RC=$?
	[ "$RC" -eq 0 ] || [ "$RC" -eq 1 ] || fail "dyntest: exit $RC: $(tail -n 3 "$tmp/dyn.err")"
	check_after dyntest "$tmp/asuser/out/stdout.log"
	who="root and dyntest"
fi
pass "deep, locked, link-strewn /tmp removed; host untouched ($who)"
