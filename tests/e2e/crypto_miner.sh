#!/usr/bin/env bash
# The out-of-tree example detector sdk/examples/crypto_miner, built as a
# team would (cc + pkg-config, here on meson's uninstalled dynaudit.pc):
# its testkit unit tests pass, its scenarios hold under `dynaudit test`,
# dynaudit loads it and lists its declared rules and options, and a config
# mistake in its options is caught before init.
. "$(dirname "$0")/lib.sh"
: "${DYNAUDIT_BUILD:?}"
D=$DYNAUDIT
EX="$DYNAUDIT_SRC/sdk/examples/crypto_miner"
export PKG_CONFIG_PATH="$DYNAUDIT_BUILD/meson-uninstalled"
export LD_LIBRARY_PATH="$DYNAUDIT_BUILD/sdk${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}"
flags=$(pkg-config --cflags --libs dynaudit)
# a sanitized dynaudit build has a sanitized libdynaudit-sdk: build the same way
ldd "$DYNAUDIT_BUILD/sdk/libdynaudit-sdk.so" 2>/dev/null | grep -q libasan &&
  flags="$flags -fsanitize=address,undefined"
check "pkg-config finds the uninstalled SDK" [ -n "$flags" ]
mkdir -p "$TMP/build"
cc -std=gnu11 -Wall -Wextra -Werror -shared -fPIC -fvisibility=hidden -o "$TMP/build/crypto_miner.so" \
  "$EX/crypto_miner.c" $flags 2>"$TMP/cc.log"
check "the detector builds out of tree: $(cat "$TMP/cc.log")" [ -f "$TMP/build/crypto_miner.so" ]
cc -std=gnu11 -Wall -Wextra -Werror -o "$TMP/test_crypto_miner" "$EX/test_crypto_miner.c" \
  "$EX/crypto_miner.c" $flags 2>"$TMP/cc.log"
check "its unit tests build: $(cat "$TMP/cc.log")" [ -x "$TMP/test_crypto_miner" ]
"$TMP/test_crypto_miner" >"$TMP/unit" 2>&1; rc=$?
check "its testkit unit tests pass (exit $rc): $(cat "$TMP/unit")" [ $rc = 0 ]
check "five unit tests ran" [ "$(grep -c '^ok ' "$TMP/unit")" = 5 ]

$D test --tap --set plugin_path="$TMP/build" "$EX"/scenarios/*.yaml >"$TMP/tap" 2>&1; rc=$?
check "its scenarios hold under dynaudit test (exit $rc): $(cat "$TMP/tap")" [ $rc = 0 ]
check "three scenarios" grep -q "^1\.\.3$" "$TMP/tap"

# a scenario that would pass without the detector must fail with it gone
$D test --set plugin_path="$TMP/nowhere" "$EX/scenarios/miner.yaml" >"$TMP/out" 2>&1; rc=$?
check "without the detector the scenario cannot hold (exit $rc)" [ $rc != 0 ]

$D plugins -v --plugin-path "$TMP/build" >"$TMP/list"
check "plugins -v lists its rules" grep -Eq "^ +crypto_miner.pool_connect +high +a connection to a mining-pool port" "$TMP/list"
check "plugins -v lists its options" grep -Eq "^ +include_loopback +bool" "$TMP/list"
printf 'plugin_path: [%s]\nplugins:\n  crypto_miner: {pool_port: 3333}\n' "$TMP/build" >"$TMP/typo.yaml"
$D check -c "$TMP/typo.yaml" >"$TMP/out" 2>&1; rc=$?
check "a typo'd option is refused before init (exit $rc): $(cat "$TMP/out")" \
  bash -c '[ "$1" = 2 ] && grep -q "typo.yaml:3: plugins.crypto_miner.pool_port: unknown key (known: allow_connect, pool_ports, miners, include_loopback)" "$2"' _ $rc "$TMP/out"
printf 'plugin_path: [%s]\nplugins:\n  crypto_miner: {}\nrules:\n  crypto_miner.pool_conect: off\n' "$TMP/build" >"$TMP/rule.yaml"
$D check -c "$TMP/rule.yaml" >"$TMP/out" 2>&1; rc=$?
check "a typo'd rule override names the closest rule (exit $rc): $(cat "$TMP/out")" \
  bash -c '[ "$1" = 2 ] && grep -q "did you mean crypto_miner.pool_connect?" "$2"' _ $rc "$TMP/out"
finish
