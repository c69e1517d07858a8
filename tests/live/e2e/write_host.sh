#!/bin/sh
# Writes to /etc, /root, ~/.bashrc and /tmp stay in the sandbox: the host
# files are byte for byte the same afterwards.
. "$(dirname "$0")/lib.sh"
sums() {
	for f in /etc/passwd /root/.bashrc "$HOME/.bashrc"; do
		[ -e "$f" ] && sha256sum "$f"
	done
	ls /etc /tmp | grep -c "dynaudit-$MARK"
}
before=$(sums)
run_audit -- "$(prog host_write_host)" "$MARK"
assert_common
after=$(sums)
[ "$before" = "$after" ] || fail "host files changed: $before / $after"
assert_file_contains "$OUT/stdout.log" "/etc/passwd: "
pass "writes to host files"
