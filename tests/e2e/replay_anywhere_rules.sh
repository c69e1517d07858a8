#!/usr/bin/env bash
# Detector judgements on strace logs recorded outside dynaudit's sandbox
# (issue 13 §3), on real logs recorded for this test (tests/fixtures/
# anywhere/, see its README): each benign log has no finding of the rule
# any more, and a malicious counter-log shows the rule still fires.
#   unix sockets named by a relative path (and abstract ones);
#   git's chmod-and-back file-mode probe and a private 0700 temp file
#   (file.exec_created);
#   tar run as root restoring 0:0 ownership (privilege.chown_root);
#   tools installed under the user's own HOME (process.exec_writable,
#   backdoor.writable_library).
. "$(dirname "$0")/lib.sh"
FIX="$DYNAUDIT_SRC/tests/fixtures/anywhere"

# replay LOG: report in $TMP/LOG/
replay() {
  "$DYNAUDIT" replay --strace "$FIX/$1" -o "$TMP/$1" >"$TMP/$1.out" 2>&1
  [ -f "$TMP/$1/report.json" ] || fail "$1: no report: $(head -c 300 "$TMP/$1.out")"
}
verdict() { json "$TMP/$1/report.json" 'r["verdict"]'; }
# sev LOG RULE: the worst severity of RULE's findings ("none" when none)
sev() {
  json "$TMP/$1/report.json" "max([f['severity'] for c in r['categories'] for f in c.get('findings', []) if f['rule'] == '$2'], key=['info','low','medium','high','critical'].index, default='none')"
}
# msgs LOG RULE: the messages of RULE's findings, one a line
msgs() {
  json "$TMP/$1/report.json" "'\n'.join(f['message'] for c in r['categories'] for f in c.get('findings', []) if f['rule'] == '$2')"
}
# above_info LOG RULE: true when RULE has a finding above info
above_info() { case $(sev "$1" "$2") in none|info) return 1 ;; *) return 0 ;; esac; }
gone() { ! above_info "$1" "$2"; }

for l in unix-relative.log unix-docker-relative.log git-init-tmp.log tmp700-scratch.log \
         tmp700-run.log tar-root.log tar-root-setuid.log chown-root-unprivileged.log \
         home-tools.log home-dropped-exec.log; do
  replay "$l"
done

# --- a unix socket named by a relative path is judged where it lies -------
check "unix relative: PASS (got $(verdict unix-relative.log))" [ "$(verdict unix-relative.log)" = PASS ]
check "unix relative: no network.connect to srv.sock" gone unix-relative.log network.connect
check "unix relative: no network.listen above info" gone unix-relative.log network.listen
check "unix relative: the connect names the socket below the cwd" \
  grep -q "local unix socket /root/rfp/srv.sock" <<<"$(msgs unix-relative.log network.unix_connect)"
check "unix abstract: a local socket" \
  grep -q "local unix socket @dynaudit-fp-test" <<<"$(msgs unix-relative.log network.unix_connect)"
# chdir("/var/run") then connect("docker.sock"): the docker socket
check "unix relative to /var/run: docker.sock is critical (got $(sev unix-docker-relative.log network.unix_sensitive))" \
  [ "$(sev unix-docker-relative.log network.unix_sensitive)" = critical ]
check "unix relative to /var/run: named /var/run/docker.sock" \
  grep -q /var/run/docker.sock <<<"$(msgs unix-docker-relative.log network.unix_sensitive)"

# --- executables outside the workdir: probes and private temp files -------
check "git init /tmp/x: PASS (got $(verdict git-init-tmp.log))" [ "$(verdict git-init-tmp.log)" = PASS ]
check "git init /tmp/x: no file.exec_created (filemode probe, sample hooks)" gone git-init-tmp.log file.exec_created
check "0700 O_EXCL scratch file: PASS (got $(verdict tmp700-scratch.log))" [ "$(verdict tmp700-scratch.log)" = PASS ]
check "0700 O_EXCL scratch file: no file.exec_created" gone tmp700-scratch.log file.exec_created
# the same file filled with a program and run
check "0700 temp file run: file.exec_created high (got $(sev tmp700-run.log file.exec_created))" \
  [ "$(sev tmp700-run.log file.exec_created)" = high ]
check "0700 temp file run: the message says it ran" \
  grep -q "and runs it" <<<"$(msgs tmp700-run.log file.exec_created)"
check "0700 temp file run: FAIL" [ "$(verdict tmp700-run.log)" = FAIL ]

# --- chown to 0:0 by a process that is root --------------------------------
check "tar xf as root: PASS (got $(verdict tar-root.log))" [ "$(verdict tar-root.log)" = PASS ]
check "tar xf as root: chown_root is info (got $(sev tar-root.log privilege.chown_root))" \
  [ "$(sev tar-root.log privilege.chown_root)" = info ]
check "tar xpf of a setuid file as root: privilege.setuid_bit critical" \
  [ "$(sev tar-root-setuid.log privilege.setuid_bit)" = critical ]
check "chown 0 by uid 65534: privilege.chown_root high (got $(sev chown-root-unprivileged.log privilege.chown_root))" \
  [ "$(sev chown-root-unprivileged.log privilege.chown_root)" = high ]

# --- the user's own tools under HOME ---------------------------------------
check "pyenv python + ~/.local/bin tool: no process.exec_writable" gone home-tools.log process.exec_writable
check "pyenv python: no backdoor.writable_library" gone home-tools.log backdoor.writable_library
check "home tools: PASS (got $(verdict home-tools.log))" [ "$(verdict home-tools.log)" = PASS ]
# a program the run wrote into HOME and ran
check "dropped in HOME and run: process.exec_writable high" \
  [ "$(sev home-dropped-exec.log process.exec_writable)" = high ]
check "dropped in HOME and run: backdoor.dropped_payload critical" \
  [ "$(sev home-dropped-exec.log backdoor.dropped_payload)" = critical ]
check "dropped in HOME and run: still no writable_library for pyenv's own modules" \
  gone home-dropped-exec.log backdoor.writable_library

finish
