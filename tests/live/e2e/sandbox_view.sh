#!/bin/sh
# The sandbox's view of the host (issue 13 §2): /var read-only with a
# private, watched /var/tmp; an empty /run and /srv; sandbox.ro_paths shows
# a course toolchain read-only at its own path and refuses places that
# hold secrets (exit 2 with the key).
. "$(dirname "$0")/lib.sh"
cat > "$tmp/work/view.sh" <<EOF2
test -d /var/lib && echo "var-lib-ok"
touch /var/tmp/cache-$MARK && echo "var-tmp-ok"
touch /var/x-$MARK 2>/dev/null || echo "var-ro-ok"
test -z "\$(ls -A /run)" && echo "run-empty-ok"
test -d /srv && echo "srv-ok"
EOF2
tool=""
if [ "$(id -u)" -eq 0 ]; then
	tool="/srv/dynaudit-e2e-$MARK"
	mkdir -p "$tool" && printf '#!/bin/sh\necho tool-ran\n' > "$tool/tool.sh" && chmod 755 "$tool/tool.sh"
	echo "sh $tool/tool.sh; touch $tool/new 2>/dev/null || echo tool-ro-ok" >> "$tmp/work/view.sh"
	trap 'rm -rf "$tool"; cleanup' EXIT
fi
if [ -n "$tool" ]; then
	run_audit --set sandbox.ro_paths="$tool" -- sh view.sh
else
	run_audit -- sh view.sh
fi
assert_common
for w in var-lib-ok var-tmp-ok var-ro-ok run-empty-ok srv-ok; do
	assert_file_contains "$OUT/stdout.log" "$w"
done
assert_file_contains "$OUT/fs-events.log" "cache-$MARK"
[ ! -e "/var/tmp/cache-$MARK" ] || fail "the target wrote the host's /var/tmp"
if [ -n "$tool" ]; then
	assert_file_contains "$OUT/stdout.log" "tool-ran"
	assert_file_contains "$OUT/stdout.log" "tool-ro-ok"
	[ ! -e "$tool/new" ] || fail "the target wrote into a ro_paths directory"
fi
for bad in /root /home/someone /etc /run/docker.sock /; do
	"$DYNAUDIT" check --set sandbox.ro_paths="$bad" >/dev/null 2>"$tmp/check.err"
	[ $? -eq 2 ] || fail "sandbox.ro_paths=$bad was not refused"
	grep -q "sandbox.ro_paths" "$tmp/check.err" || fail "the refusal does not name the key: $(cat "$tmp/check.err")"
done
pass "sandbox view: /var, /run, /srv, ro_paths"
