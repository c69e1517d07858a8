#!/bin/sh
# Attempts the sandbox makes fail (issue 13 §1): a hidden directory and a
# file planted under a place the sandbox does not show (/run/lock on the
# real machine; the sandbox's /run is empty) fail with ENOENT, and are
# still attempts outside allow_write: file.write_outside medium, not the
# low "nothing was written".  The other direction: hidden files in /tmp
# (allowed) and an ordinary refused create (EROFS, not hidden) stay
# quiet or low.
. "$(dirname "$0")/lib.sh"
rules() { json '"\n".join("%s %s %s" % (f["rule"], f["severity"], f["message"]) for c in r["categories"] for f in c["findings"])'; }

cat > "$tmp/work/plant.sh" <<'EOF2'
mkdir /run/lock/.cache 2>/dev/null
echo payload > /run/lock/.cache/p 2>/dev/null
echo done
EOF2
run_audit --set plugins.process.allow_exec=sh,mkdir -- sh plant.sh "$MARK"
assert_common
rules > "$tmp/rules.txt"
grep -q '^file.write_outside medium .*/run/lock/.cache.*ENOENT.*hidden name' "$tmp/rules.txt" ||
	fail "no medium write_outside for the hidden attempt: $(cat "$tmp/rules.txt")"
grep -q '^file.write_outside low .*/run/lock/.cache' "$tmp/rules.txt" &&
	fail "the hidden attempt is still low: $(cat "$tmp/rules.txt")"

cat > "$tmp/work/benign.sh" <<'EOF2'
mkdir -p /tmp/.cache && echo x > /tmp/.cache/state
echo y > out.txt
touch /usr/x-$$ 2>/dev/null
echo done
EOF2
rm -rf "$OUT"
run_audit --set plugins.process.allow_exec=sh,mkdir,touch -- sh benign.sh "$MARK"
assert_common
rules > "$tmp/rules2.txt"
sev=$(json 'max([f["severity"] for c in r["categories"] if c["id"] == "file" for f in c["findings"]] or ["none"], key=["none","info","low","medium","high","critical"].index)')
case "$sev" in none|info|low) ;; *) fail "benign writes weigh $sev: $(cat "$tmp/rules2.txt")" ;; esac
pass "a hidden attempt the sandbox makes fail is medium; /tmp and refused creates stay low"
