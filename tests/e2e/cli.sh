#!/usr/bin/env bash
# The command line contract: exit statuses, error messages with file:line,
# --help/--version, `plugins` listing and refusing a wrong-ABI detector, a
# detector that fails init reported but not fatal.
. "$(dirname "$0")/lib.sh"
: "${TEST_PLUGIN_DIR:?set by meson}"
D=$DYNAUDIT

# the ABI version is written once, in plugin.h
hdr="$DYNAUDIT_SRC/sdk/include/dynaudit/plugin.h"
abi=$(for p in MAJOR MINOR PATCH; do sed -n "s/^#define DA_PLUGIN_ABI_$p \([0-9]*\)$/\1/p" "$hdr"; done | paste -sd.)
check "plugin.h has an ABI version ($abi)" [ -n "$abi" ]
$D --version >"$TMP/v"; check "--version exits 0" [ $? = 0 ]
check "--version names the ABI $abi" grep -q "ABI $abi" "$TMP/v"
$D --help >/dev/null; check "--help exits 0" [ $? = 0 ]
for c in run replay check plugins; do
  $D $c --help >"$TMP/h" 2>&1; check "$c --help exits 0" [ $? = 0 ]
done
$D frobnicate >/dev/null 2>&1; check "unknown command exits 2" [ $? = 2 ]
$D replay --bogus >/dev/null 2>&1; check "unknown option exits 2" [ $? = 2 ]
$D replay -o "$TMP/x" >/dev/null 2>&1; check "replay without input exits 2" [ $? = 2 ]
$D replay --strace "$TMP/does-not-exist.log" -o "$TMP/x" 2>"$TMP/e"; rc=$?
check "missing strace log exits 3 (got $rc)" [ $rc = 3 ]
check "missing log named in the message" grep -q "does-not-exist.log" "$TMP/e"

printf 'target:\n  duration: 60\n  colour: blue\n' >"$TMP/bad.yaml"
$D check -c "$TMP/bad.yaml" 2>"$TMP/e"; rc=$?
check "unknown key exits 2 (got $rc)" [ $rc = 2 ]
check "error names file:line and key: $(cat "$TMP/e")" grep -Eq "bad.yaml:3:.*colour" "$TMP/e"

printf 'plugins:\n  process:\n    allow_exec: [python3]\n    no_such_option: 1\n' >"$TMP/badplug.yaml"
$D check -c "$TMP/badplug.yaml" 2>"$TMP/e"; rc=$?
check "detector rejects unknown option: exit 2 (got $rc)" [ $rc = 2 ]
check "detector error names file:line: $(cat "$TMP/e")" grep -Eq "badplug.yaml:[0-9]+:.*no_such_option" "$TMP/e"

$D check >"$TMP/default.out"; check "check of the embedded default exits 0" [ $? = 0 ]
check "embedded default loads all six detectors" [ "$(sed -n '/^plugins:/,/^[a-z]/p' "$TMP/default.out" | grep -cE '^  (process|network|file|privilege|code_integrity|backdoor):')" = 6 ]

$D plugins >"$TMP/p"; check "plugins exits 0" [ $? = 0 ]
for p in process network file privilege code_integrity backdoor; do
  check "plugins lists $p" grep -q "^$p " "$TMP/p"
done
$D plugins --plugin-path "$TEST_PLUGIN_DIR" >"$TMP/p2"
check "broken plugin flagged: $(grep bad_abi "$TMP/p2")" grep -Eq "bad_abi.*BROKEN.*99\.0\.0.*$abi" "$TMP/p2"

printf 'plugin_path: [%s]\nplugins:\n  bad_abi: {}\n' "$TEST_PLUGIN_DIR" >"$TMP/badabi.yaml"
$D check -c "$TMP/badabi.yaml" 2>"$TMP/e"; rc=$?
check "config naming a wrong-ABI detector exits 2 (got $rc)" [ $rc = 2 ]
check "refusal names both versions: $(cat "$TMP/e")" grep -q "99.0.0.*$abi" "$TMP/e"

log="$DYNAUDIT_SRC/tests/fixtures/python-imports/strace.log"
if [ -n "$log" ]; then
  printf 'plugin_path: [%s]\nplugins:\n  process: {}\n  failing: {}\n' "$TEST_PLUGIN_DIR" >"$TMP/failing.yaml"
  $D replay -c "$TMP/failing.yaml" --strace "$log" -o "$TMP/f" 2>"$TMP/e"; rc=$?
  check "failing detector does not abort the audit (exit $rc)" [ $rc = 0 -o $rc = 1 ]
  check "report says which detector did not run" grep -q "failing.*did not start.*rule database" "$TMP/f/report.json"
  check "its category is not called safe" [ "$(json "$TMP/f/report.json" '[c["status"] for c in r["categories"] if c["id"]=="failing"][0]')" != safe ]
fi
finish
