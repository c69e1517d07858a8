# Resolves each argument through the sandbox's resolver and tries to
# connect to the address it gets (port 80: nobody listens there).
# "@AWS_ACCESS_KEY_ID" is replaced by that variable's value (a honeytoken
# leaving in a DNS label).
import os
import socket
import sys

for name in sys.argv[1:]:
    if name.startswith("dynamark"):
        continue
    name = name.replace("@AWS_ACCESS_KEY_ID", os.environ.get("AWS_ACCESS_KEY_ID", "none"))
    try:
        ip = socket.getaddrinfo(name, 80, socket.AF_INET, socket.SOCK_STREAM)[0][4][0]
    except OSError as e:
        print("lookup", name, "failed:", e)
        continue
    print("resolved", name, ip)
    s = socket.socket()
    try:
        s.connect((ip, 80))
        print("connected?")
    except OSError as e:
        print("connect", ip, e.strerror)
    s.close()
