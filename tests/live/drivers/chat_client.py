#!/usr/bin/env python3
# The staff's test client for the chat assignment (driver.command in
# tests/live/e2e/driver.sh): says hello, then tries the commands a grader
# would, and prints what came back.  Exit 0 when the server answered.
import os
import socket
import sys

host, port = os.environ.get("DYNAUDIT_WAIT_FOR", "127.0.0.1:5555").rsplit(":", 1)
lines = sys.argv[1:] or ["hello"]
s = socket.create_connection((host, int(port)), timeout=5)
got = b""
for line in lines:
    s.sendall(line.encode() + b"\n")
    try:
        got += s.recv(4096)
    except socket.timeout:
        pass
print("driver uid", os.getuid(), "sent", lines, "got", got)
sys.exit(0 if got else 1)
