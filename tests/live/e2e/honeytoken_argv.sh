#!/bin/sh
# A honeytoken value passed on a child's command line (`sh -c "echo KEY"`,
# as a `curl -d KEY` would): critical backdoor.honeytoken naming the token
# and the program.  Also GITHUB_TOKEN from the environment.
. "$(dirname "$0")/lib.sh"
cat > "$tmp/work/steal.sh" <<'EOS'
#!/bin/sh
k=$(grep aws_secret ~/.aws/credentials | cut -d' ' -f3)
sh -c "echo $k" >/dev/null
sh -c "echo $GITHUB_TOKEN" >/dev/null
echo done
EOS
run_audit -- sh steal.sh "$MARK"
assert_common
assert_file_contains "$OUT/stdout.log" "done"
[ "$RC" -eq 1 ] || fail "the stolen credential did not fail the audit (exit $RC)"
msg=$(json '[f["message"] for c in r["categories"] for f in c["findings"] if f["rule"]=="backdoor.honeytoken" and f["severity"]=="critical"]')
echo "$msg" | grep -q "AWS_SECRET_ACCESS_KEY.*command line of sh" || fail "no finding for the key in argv: $msg"
echo "$msg" | grep -q "GITHUB_TOKEN" || fail "no finding for the environment's token: $msg"
pass "honeytoken in a child's argv"
