"""End-to-end target: a small TCP server on 127.0.0.1:5555 that also writes
a file in /tmp and in HOME, then serves until the window closes."""
import os
import socket
import sys

srv = socket.socket()
srv.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
srv.bind(("127.0.0.1", 5555))
srv.listen(5)
with open("/tmp/server-state", "w") as f:
    f.write("up\n")
os.makedirs(os.path.expanduser("~/cache"), exist_ok=True)
with open(os.path.expanduser("~/cache/seen"), "w") as f:
    f.write("x\n")
client = socket.create_connection(("127.0.0.1", 5555))
conn, _ = srv.accept()
print("serving", sys.argv[1:], flush=True)
while True:
    conn.recv(1)
