#!/usr/bin/env python3
# A "calculator" reading commands on stdin; the hidden line "!debug" opens a
# shell.  Only seen when target.stdin feeds that line (tests/live/e2e/stdin.sh),
# or, with --file NAME, when the course file NAME holds it (course_files.sh).
import os
import subprocess
import sys

src = sys.stdin
if len(sys.argv) > 2 and sys.argv[1] == "--file":
    src = open(sys.argv[2])
    for name in sorted(os.listdir("data")) if os.path.isdir("data") else []:
        path = os.path.join("data", name)
        kind = "link->" + os.readlink(path) if os.path.islink(path) else "file"
        print("data:", name, kind)
for line in src:
    line = line.strip()
    if line == "!debug":
        subprocess.run(["sh", "-c", "id"])
    elif line:
        print("result:", line)
print("done")
