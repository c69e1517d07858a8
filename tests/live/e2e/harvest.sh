#!/bin/sh
# Secrets harvested to local files (issue 13 §1): the environment and
# /proc/self/environ filtered for credential names into hidden files in
# the workdir and /tmp are process.secret_harvest high.  The other
# direction: env and grep on a pipe (recon at most), and sort/grep of an
# ordinary word into a file, are no harvest.
. "$(dirname "$0")/lib.sh"
rules() { json '"\n".join("%s %s %s" % (f["rule"], f["severity"], f["message"]) for c in r["categories"] for f in c["findings"])'; }
cat > "$tmp/work/h.sh" <<'EOF2'
env | grep -E 'TOKEN|SECRET|PASS|KEY' > .envdump
tr '\0' '\n' < /proc/self/environ > /tmp/.e
echo ok
EOF2
run_audit --set plugins.process.allow_exec=sh,grep,tr,env -- sh h.sh "$MARK"
assert_common
rules > "$tmp/rules.txt"
grep -q '^process.secret_harvest high .*lines naming credentials into a hidden file .*/.envdump' "$tmp/rules.txt" ||
	fail "no harvest for grep TOKEN > .envdump: $(cat "$tmp/rules.txt")"
grep -q '^process.secret_harvest high .*environ.* into a hidden file /tmp/.e' "$tmp/rules.txt" ||
	fail "no harvest for /proc/self/environ > /tmp/.e: $(cat "$tmp/rules.txt")"

cat > "$tmp/work/b.sh" <<'EOF2'
printf 'b\na\n' > keys.txt
sort keys.txt > sorted.txt
grep -c a keys.txt > count.txt
env | grep -c PATH
echo ok
EOF2
rm -rf "$OUT"
run_audit --set plugins.process.allow_exec=sh,grep,sort,env -- sh b.sh "$MARK"
assert_common
rules > "$tmp/rules2.txt"
grep -q '^process.secret_harvest' "$tmp/rules2.txt" && fail "benign filters judged a harvest: $(cat "$tmp/rules2.txt")"
pass "credentials filtered into hidden files are a harvest; sorting and counting are not"
