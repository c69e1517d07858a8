#!/bin/bash
# `extends:` of a file that is not a configuration must not print that
# file's content: a submitted config saying `extends: /etc/shadow`, checked
# by a grader running as root, would otherwise show the hashes in the CI
# log.  Each secret below is root-only (when run as root) and holds a
# marker; `dynaudit check -c` must refuse it (exit 2), name the file and a
# line, and never print the marker.  A real base config keeps its key names.
. "$(dirname "$0")/lib.sh"
D=$DYNAUDIT
MARK="secretmark$$x$RANDOM"

secret() { # secret NAME TEXT: a root-only file (0600) with TEXT
  printf '%b' "$2" >"$TMP/$1"
  chmod 600 "$TMP/$1"
}
secret shadow "root:\$6\$${MARK}hash:19000:0:99999:7:::\nauditor:${MARK}2:19000::::::\n"
secret token.env "TOKEN_${MARK}=${MARK}\nOTHER=${MARK}x\n"
secret creds "[${MARK}]\naws_secret_access_key = ${MARK}\n[${MARK}]\n"
secret kube.yaml "${MARK}apiVersion: v1\nusers:\n- name: ${MARK}\n  client-key-data: ${MARK}\n"
secret app.conf "${MARK}_password = ${MARK}\n  ${MARK}continued\n"
secret dup.yaml "${MARK}: 1\n${MARK}: 2\n"

for s in shadow token.env creds kube.yaml app.conf dup.yaml; do
  printf '# submitted with the code\nextends: %s\n' "$TMP/$s" >"$TMP/c-$s.yaml"
  $D check -c "$TMP/c-$s.yaml" >"$TMP/out" 2>&1; rc=$?
  check "extends of $s: exit 2 (got $rc)" [ $rc = 2 ]
  check "extends of $s: the secret is not printed: $(head -c 300 "$TMP/out")" \
    bash -c '! grep -q "$1" "$2"' _ "$MARK" "$TMP/out"
  check "extends of $s: the error names the file and a line: $(cat "$TMP/out")" \
    grep -q "$TMP/$s:[0-9]" "$TMP/out"
  check "extends of $s: the error names the extending file" grep -q "c-$s.yaml:2" "$TMP/out"
done

# The same through `run`: the config is refused before anything runs.
$D run -c "$TMP/c-shadow.yaml" -o "$TMP/run-out" -- /bin/true >"$TMP/out" 2>&1; rc=$?
check "run with extends of a secret: exit 2 (got $rc)" [ $rc = 2 ]
check "run with extends of a secret: not printed" bash -c '! grep -q "$1" "$2"' _ "$MARK" "$TMP/out"

# A real base configuration still reports its keys.
printf 'target:\n  duration: 5\n  colour: blue\n' >"$TMP/base.yaml"
printf 'extends: base.yaml\n' >"$TMP/child.yaml"
$D check -c "$TMP/child.yaml" >"$TMP/out" 2>&1; rc=$?
check "typo in a real base: exit 2 (got $rc)" [ $rc = 2 ]
check "typo in a real base: key named: $(cat "$TMP/out")" grep -q "base.yaml:3: target.colour: unknown key" "$TMP/out"
finish
