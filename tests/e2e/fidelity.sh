#!/usr/bin/env bash
# Fidelity: on real programs, the execs, opened paths and connect addresses
# the live tracer records equal those `strace -f` records for the same
# program run in the same sandbox layout (bwrap: read-only host, private
# /tmp, HOME=/home/auditor, the workdir at /home/auditor/app, uid nobody,
# clean environment, own network namespace).  Both logs go through the same
# event model (dynaudit replay --strace writes events.jsonl too), so the
# comparison is of what each source saw, not of text formats.
. "$(dirname "$0")/lib.sh"
command -v bwrap >/dev/null || { echo "bwrap missing"; exit 77; }

work="$TMP/work"
mkdir -p "$work"
printf 'hello\nworld\n' >"$work/in.txt"
printf 'out.txt: in.txt\n\tcp in.txt out.txt\n\twc -l out.txt\n' >"$work/Makefile"
(cd "$work" && git init -q repo && cd repo && echo x >f && git add f &&
  git -c user.email=a@b -c user.name=a commit -qm init) >/dev/null 2>&1
chmod -R a+rwX "$work"

agree() { ! grep -q '^  only' "$1"; }

run_case() { # NAME COMMAND...
  local name=$1; shift
  # dynaudit, live
  "$DYNAUDIT" run --target "$work" -o "$TMP/$name-d" --set target.duration=30 -- "$@" >/dev/null 2>"$TMP/$name-d.err"
  # strace -f in the same layout, then through the same decoder
  local copy="$TMP/$name-s-work"
  rm -rf "$copy"; cp -a "$work" "$copy"; chmod -R a+rwX "$copy"
  bwrap --ro-bind /usr /usr --ro-bind /etc /etc --symlink usr/bin /bin --symlink usr/lib /lib \
    --symlink usr/lib64 /lib64 --symlink usr/sbin /sbin --proc /proc --dev /dev --tmpfs /tmp \
    --tmpfs /home --dir /home/auditor --bind "$copy" /home/auditor/app --chdir /home/auditor/app \
    --unshare-all --uid 65534 --gid 65534 --hostname dynaudit-sandbox --clearenv \
    --setenv PATH /usr/local/bin:/usr/bin:/bin --setenv HOME /home/auditor --setenv LANG C.UTF-8 \
    --setenv TERM dumb --setenv USER nobody --setenv LOGNAME nobody \
    -- strace -f -qq -s 4096 -o /home/auditor/app/strace.log -e trace=%process,%file,%network "$@" \
    </dev/null >/dev/null 2>"$TMP/$name-s.err"
  "$DYNAUDIT" replay --strace "$copy/strace.log" -o "$TMP/$name-s" >/dev/null 2>&1
  if [ ! -f "$TMP/$name-d/events.jsonl" ] || [ ! -f "$TMP/$name-s/events.jsonl" ]; then
    fail "$name: missing events ($(head -c 200 "$TMP/$name-d.err") $(head -c 200 "$TMP/$name-s.err"))"
    return
  fi
  echo "== $name: $*"
  python3 "$DYNAUDIT_SRC/tests/e2e/fidelity_compare.py" "$TMP/$name-d/events.jsonl" "$TMP/$name-s/events.jsonl" \
    | tee "$TMP/$name.cmp"
  check "$name: dynaudit and strace -f agree" agree "$TMP/$name.cmp"
}

run_case python python3 -c 'import json, email, http.server'
run_case pipeline sh -c 'sort in.txt | head -1 > first.txt; cat first.txt | wc -c'
run_case make make
run_case git git -C repo -c safe.directory='*' status --short
run_case connect python3 -c 'import socket; s = socket.socket(); print(s.connect_ex(("127.0.0.1", 9)))'
finish
