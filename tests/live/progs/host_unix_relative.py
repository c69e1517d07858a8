# A local server and client on a unix socket named by a relative path
# (srv.sock in the cwd, the workdir) and on an abstract socket; with
# "docker" it moves to /var/run and tries the relative "docker.sock".
import os, socket, sys
if len(sys.argv) > 2 and sys.argv[2] == "docker":
    os.chdir("/var/run")
    s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    try:
        s.connect("docker.sock")
    except OSError as e:
        print("connect:", e.strerror)
    sys.exit(0)
for name in ("srv.sock", "\0dynaudit-live-rel"):
    srv = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    srv.bind(name)
    srv.listen(1)
    cli = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    cli.connect(name)
    conn, _ = srv.accept()
    cli.sendall(b"ping")
    print("got", conn.recv(4).decode())
    for s in (conn, cli, srv):
        s.close()
os.unlink("srv.sock")
