# A benign client and server in one program, started in the wrong order:
# the client tries 127.0.0.1:5600 before the server binds it (with a
# connect sink, that first try reaches the sink), then the server starts
# (the sink must give the port back), and the client talks to it until
# it gets its echo.  Then it serves and idles in short sleeps.
import socket
import threading
import time

def client():
    try:
        c = socket.create_connection(("127.0.0.1", 5600), timeout=1)
        c.close()
        print("early try connected", flush=True)
    except OSError as e:
        print("early try:", e.strerror, flush=True)
    tried.set()
    ready.wait()
    for _ in range(50):
        try:
            c = socket.create_connection(("127.0.0.1", 5600), timeout=2)
            c.sendall(b"ping\n")
            print("echo", c.recv(100).decode().strip(), flush=True)
            c.close()
            return
        except OSError:
            time.sleep(0.1)
    print("no echo", flush=True)

ready = threading.Event()
tried = threading.Event()
t = threading.Thread(target=client)
t.start()
tried.wait()
srv = socket.socket()
srv.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
srv.bind(("127.0.0.1", 5600))
srv.listen(4)
print("serving", flush=True)
ready.set()
conn, _ = srv.accept()
conn.sendall(conn.recv(100))
conn.close()
t.join()
for _ in range(100):
    time.sleep(0.2)
