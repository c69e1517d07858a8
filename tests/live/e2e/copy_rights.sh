#!/bin/sh
# Issue 8, attack 6: the workdir copy (root in CI) must not hand the target
# what the invoking user could not read.  A secret 0600 root file outside
# the submission, hard-linked into it:
#   - root with SUDO_UID (sudo from dyntest): refused, exit 3, named;
#   - plain root, submission owned by dyntest: read as dyntest, refused;
#   - plain root, root-owned submission: a hard link not readable by all
#     is refused too (root's own rights vouch for nothing);
#   - as dyntest itself (no root): refused (the kernel says no);
# and the secret's text reaches no output.  A hard link between two
# world-readable files of the submission is still copied (the audit
# runs), and a 500 MiB sparse file is refused at once for its apparent
# size (exit 3, "larger than"), not copied into tmpfs memory.
. "$(dirname "$0")/lib.sh"
[ "$(id -u)" -eq 0 ] || { echo "skip: needs root"; exit 77; }
uid=$(id -u dyntest 2>/dev/null) || { echo "skip: no user dyntest"; exit 77; }
gid=$(id -g dyntest)
secret="topsecret$(od -An -N6 -tx1 /dev/urandom | tr -d ' \n')"
mkdir -m 700 "$tmp/vault"
printf '%s\n' "$secret" >"$tmp/vault/shadow"
chmod 600 "$tmp/vault/shadow"
chmod 755 "$tmp/work"
DUR=2

no_secret() {
	! grep -rqs "$secret" "$OUT" "$tmp/dyn.out" "$tmp/dyn.err" || fail "$1: the secret reached the audit's output"
}
expect_refused() { # CASE PATTERN
	[ "$RC" -eq 3 ] || fail "$1: exit $RC, expected 3 (copy refused): $(tail -n 2 "$tmp/dyn.err")"
	grep -q "$2" "$tmp/dyn.err" || fail "$1: no '$2' in: $(cat "$tmp/dyn.err")"
	no_secret "$1"
}

# 1. root under sudo from dyntest.
ln "$tmp/vault/shadow" "$tmp/work/leak"
SUDO_UID=$uid SUDO_GID=$gid run_audit -- /bin/cat leak
expect_refused "sudo" "leak"
rm -rf "$OUT"

# 2. plain root, the submission is dyntest's.
rm -f "$tmp/work/leak" # first: chown -R would give the secret itself away
chown -R "$uid:$gid" "$tmp/work"
ln "$tmp/vault/shadow" "$tmp/work/leak"
run_audit -- /bin/cat leak
expect_refused "root, dyntest's submission" "leak"
rm -rf "$OUT"

# 3. plain root, root's submission.
rm -f "$tmp/work/leak"
chown -R 0:0 "$tmp/work"
ln "$tmp/vault/shadow" "$tmp/work/leak"
run_audit -- /bin/cat leak
expect_refused "root, root's submission" "hard link"
rm -rf "$OUT"

# 4. dyntest itself (no root), when it may run this binary.
if su dyntest -s /bin/sh -c "test -x '$DYNAUDIT'" 2>/dev/null; then
	mkdir -m 777 "$tmp/asuser"
	su dyntest -s /bin/sh -c "cd '$tmp/asuser' && timeout -s KILL 60 '$DYNAUDIT' run -o '$tmp/asuser/out' --target '$tmp/work' --set target.duration=2 -- /bin/cat leak" >"$tmp/dyn.out" 2>"$tmp/dyn.err"
	RC=$?
	OUT="$tmp/asuser/out"
	expect_refused "dyntest" "leak"
	OUT="$tmp/out"
fi

# 5. a hard link inside the submission between readable files is fine.
rm -f "$tmp/work/leak"
echo shared >"$tmp/work/a" && chmod 644 "$tmp/work/a" && ln "$tmp/work/a" "$tmp/work/b"
SUDO_UID=$uid SUDO_GID=$gid run_audit -- /bin/cat b
[ "$RC" -eq 0 ] || [ "$RC" -eq 1 ] || fail "readable hard link: exit $RC: $(tail -n 2 "$tmp/dyn.err")"
assert_file_contains "$OUT/stdout.log" shared
rm -rf "$OUT"

# 6. sparse: 500 MiB apparent, nothing allocated.
truncate -s 500M "$tmp/work/sparse.img"
run_audit -- /bin/true
[ "$RC" -eq 3 ] || fail "sparse: exit $RC, expected 3: $(tail -n 2 "$tmp/dyn.err")"
grep -q "larger than" "$tmp/dyn.err" || fail "sparse: no reason: $(cat "$tmp/dyn.err")"
grep -q "sparse.img" "$tmp/dyn.err" || fail "sparse: file not named: $(cat "$tmp/dyn.err")"
[ "$ELAPSED" -le 10 ] || fail "sparse: took ${ELAPSED}s"
RC=0
pass "copy reads with the invoking user's rights; sparse refused"
