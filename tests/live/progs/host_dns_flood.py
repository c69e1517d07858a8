# Hostile client of the sink resolver: garbage datagrams, pointer loops and
# 5000 distinct queries, sent as fast as possible, then an ordinary lookup
# that must still be answered.
import os
import socket
import struct

s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
dst = ("127.0.0.53", 53)
for i in range(100):
    s.sendto(os.urandom(i * 14), dst)
loop = struct.pack(">HHHHHH", 1, 0x100, 1, 0, 0, 0) + b"\xc0\x0c\x00\x01\x00\x01"
for i in range(30):
    s.sendto(loop, dst)
for i in range(20):
    name = b"n%d.flood.invalid" % i
    q = struct.pack(">HHHHHH", i & 0xffff, 0x100, 1, 0, 0, 0)
    q += b"".join(bytes([len(l)]) + l for l in name.split(b".")) + b"\x00\x00\x01\x00\x01"
    s.sendto(q, dst)
print("resolved", socket.getaddrinfo("collector.invalid", 80, socket.AF_INET)[0][4][0])
