#!/usr/bin/env python3
"""Compare what two event logs say a program did: the execs (path, argv),
the paths it opened and the addresses it connected to.

usage: fidelity_compare.py DYNAUDIT_EVENTS STRACE_EVENTS
Both files are events.jsonl: one written by `dynaudit run` (the live
tracer), one by `dynaudit replay --strace` of a `strace -f` log of the same
program in the same sandbox layout.  Paths are compared after resolving
symlinks on the host (/lib -> /usr/lib) and folding /proc/<pid> to
/proc/PID, since a path string may name the same file two ways.
Prints the differences; exit 1 when there are any.
"""
import json
import os
import re
import sys


def canon(path):
    if not path:
        return path
    path = re.sub(r"^/proc/(self|\d+)/", "/proc/PID/", path)
    if path.startswith("/proc/") or path.startswith("/home/auditor") or path.startswith("/tmp"):
        return os.path.normpath(path)
    return os.path.realpath(path)


def load(name):
    execs, opens, connects = set(), set(), set()
    with open(name, encoding="utf-8", errors="surrogateescape") as f:
        for line in f:
            try:
                ev = json.loads(line)
            except ValueError:
                continue
            kind = ev.get("kind")
            if kind == "exec":
                execs.add((canon(ev.get("path")), tuple(ev.get("argv") or ())))
            elif kind == "open" and ev.get("path"):
                opens.add(canon(ev["path"]))
            elif kind == "connect":
                connects.add(ev.get("addr"))
    return {"exec": execs, "open": opens, "connect": connects}


def main():
    a, b = load(sys.argv[1]), load(sys.argv[2])
    bad = 0
    if not a["exec"] or not b["exec"] or not a["open"]:
        print("  only one side: an event log without execs or opens proves nothing")
        bad += 1
    for what in ("exec", "open", "connect"):
        only_a = sorted(map(str, a[what] - b[what]))
        only_b = sorted(map(str, b[what] - a[what]))
        print(f"{what}: dynaudit {len(a[what])}, strace {len(b[what])}, "
              f"only dynaudit {len(only_a)}, only strace {len(only_b)}")
        for x in only_a[:20]:
            print(f"  only dynaudit: {x}")
        for x in only_b[:20]:
            print(f"  only strace:   {x}")
        bad += len(only_a) + len(only_b)
    return 1 if bad else 0


sys.exit(main())
