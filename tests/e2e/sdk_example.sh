#!/usr/bin/env bash
# The SDK works out of tree: install dynaudit to a temporary root, build the
# example detector against it with pkg-config, load it through plugin_path
# and see its finding in a report.
. "$(dirname "$0")/lib.sh"
: "${DYNAUDIT_BUILD:?}"
dest="$TMP/root"
meson install -C "$DYNAUDIT_BUILD" --no-rebuild --destdir "$dest" >"$TMP/install.log" 2>&1; rc=$?
check "meson install succeeds: $(tail -3 "$TMP/install.log")" [ "$rc" = 0 ]
pc=$(find "$dest" -name dynaudit.pc | head -1)
check "dynaudit.pc installed" [ -n "$pc" ]
check "SDK headers installed" [ -n "$(find "$dest" -path '*/include/dynaudit/plugin.h')" ]
check "libdynaudit-sdk headers installed" [ -n "$(find "$dest" -path '*/include/dynaudit/endpoint.h')" ]
sdklib=$(find "$dest" -name 'libdynaudit-sdk.so.1' | head -1)
check "libdynaudit-sdk installed (shared and static)" \
  [ -n "$sdklib" ] && [ -n "$(find "$dest" -name libdynaudit-sdk.a)" ]
check "dynaudit.pc links libdynaudit-sdk" grep -q -- "-ldynaudit-sdk" "$pc"
hdr="$DYNAUDIT_SRC/sdk/include/dynaudit/plugin.h"
abi=$(for p in MAJOR MINOR PATCH; do sed -n "s/^#define DA_PLUGIN_ABI_$p \([0-9]*\)$/\1/p" "$hdr"; done | paste -sd.)
check "dynaudit.pc's abi is plugin.h's ($abi): $(grep '^abi=' "$pc")" grep -qx "abi=$abi" "$pc"
check "libdynaudit-sdk's version is the ABI's" [ -n "$(find "$dest" -name "libdynaudit-sdk.so.$abi")" ]
# a staged library is not on the loader's path: the example finds it here
export LD_LIBRARY_PATH="$(dirname "$sdklib")"
bin=$(find "$dest" -type f -name dynaudit -perm -u+x | head -1)
check "binary installed" [ -n "$bin" ]
pdir=$(dirname "$(find "$dest" -name process.so | head -1)")
check "built-in plugins installed" [ -f "$pdir/process.so" ]
check "man page dynaudit(1) installed" [ -n "$(find "$dest" -path '*/man1/dynaudit.1*')" ]
check "man page dynaudit-config(5) installed" [ -n "$(find "$dest" -path '*/man5/dynaudit-config.5*')" ]
check "bash completion installed" [ -n "$(find "$dest" -path '*/bash-completion/completions/dynaudit')" ]
check "example configs installed" [ -n "$(find "$dest" -path '*/share/dynaudit/configs/default.yaml')" ]
check "the completion script loads in bash" bash -c ". '$(find "$dest" -path '*/completions/dynaudit')' && complete -p dynaudit"
# A staged install finds its own detectors (beside the binary), with no variable.
"$bin" plugins >"$TMP/staged-list" 2>&1
check "staged dynaudit finds its detectors: $(head -3 "$TMP/staged-list")" grep -q "^process .*$dest" "$TMP/staged-list"

cp -r "$DYNAUDIT_SRC/sdk/examples/fetch_tools" "$TMP/ex"
export PKG_CONFIG_PATH="$(dirname "$pc")" PKG_CONFIG_SYSROOT_DIR="$dest"
(cd "$TMP/ex" && meson setup build >"$TMP/ex.log" 2>&1 && ninja -C build >>"$TMP/ex.log" 2>&1)
check "example builds against the installed SDK: $(tail -5 "$TMP/ex.log")" [ -f "$TMP/ex/build/fetch_tools.so" ]

DYNAUDIT_PLUGIN_DIR="$pdir" "$bin" plugins --plugin-path "$TMP/ex/build" >"$TMP/list"
check "installed dynaudit lists the example" grep -q "^fetch_tools .*policy" "$TMP/list"

# A strace log in which the target runs wget.
cat >"$TMP/wget.log" <<'LOG'
100 execve("/usr/bin/python3", ["python3", "fetch.py"], 0x7ffc /* 5 vars */) = 0
100 clone(child_stack=NULL, flags=CLONE_CHILD_CLEARTID|CLONE_CHILD_SETTID|SIGCHLD, child_tidptr=0x7f) = 101
101 execve("/usr/bin/wget", ["wget", "-q", "http://127.0.0.1:8000/x"], 0x7ffd /* 5 vars */) = 0
101 +++ exited with 0 +++
100 +++ exited with 0 +++
LOG
printf 'plugin_path: [%s]\nplugins:\n  process: {allow_exec: [wget]}\n  fetch_tools: {}\n' "$TMP/ex/build" >"$TMP/cfg.yaml"
DYNAUDIT_PLUGIN_DIR="$pdir" "$bin" replay -c "$TMP/cfg.yaml" --strace "$TMP/wget.log" -o "$TMP/out" 2>"$TMP/err"
check "example detector's finding in the report: $(cat "$TMP/err")" grep -q "policy.fetch_tool" "$TMP/out/report.json"
printf 'rules:\n  policy.fetch_tool: {severity: high}\n' >>"$TMP/cfg.yaml"
DYNAUDIT_PLUGIN_DIR="$pdir" "$bin" replay -c "$TMP/cfg.yaml" --strace "$TMP/wget.log" -o "$TMP/out2" 2>"$TMP/err"
check "rules: overrides an out-of-tree detector's rule by its category id: $(cat "$TMP/err")" \
  [ "$(json "$TMP/out2/report.json" '[f["severity"] for c in r["categories"] for f in c["findings"] if f["rule"]=="policy.fetch_tool"][0]')" = high ]
# the crypto_miner example against the installed SDK, with its meson tests
# (unit tests on the testkit, scenarios through the staged dynaudit)
cp -r "$DYNAUDIT_SRC/sdk/examples/crypto_miner" "$TMP/cm"
# A sanitized dynaudit installs a sanitized libdynaudit-sdk: the example
# must then be built with the same runtime, as its own users would.
cm_opts=""
ldd "$bin" | grep -q libasan && cm_opts="-Db_sanitize=address,undefined"
(cd "$TMP/cm" && PATH="$(dirname "$bin"):$PATH" meson setup build $cm_opts >"$TMP/cm.log" 2>&1 &&
  ninja -C build >>"$TMP/cm.log" 2>&1 &&
  DYNAUDIT_PLUGIN_DIR="$pdir" meson test -C build --print-errorlogs >>"$TMP/cm.log" 2>&1)
cm_rc=$?
check "crypto_miner builds and its tests pass against the installed SDK: $(tail -40 "$TMP/cm.log")" [ "$cm_rc" = 0 ]
check "both its test suites ran" grep -Eq "^Ok: +2" "$TMP/cm.log"
check "its category is in the report" [ "$(json "$TMP/out/report.json" '[c["title"] for c in r["categories"] if c["id"]=="policy"][0]')" = "Assignment Policy" ]
finish
