#!/usr/bin/env python3
# A "calculator" reading commands on stdin; the hidden line "!debug" opens a
# shell.  Only seen when target.stdin feeds that line (tests/live/e2e/stdin.sh).
import subprocess
import sys

for line in sys.stdin:
    line = line.strip()
    if line == "!debug":
        subprocess.run(["sh", "-c", "id"])
    elif line:
        print("result:", line)
print("done")
