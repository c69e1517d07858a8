# A time bomb behind a timed wait that is not a sleep: argv[1] says which
# (select, poll, epoll, event: threading.Event.wait, timer:
# threading.Timer, queue: queue.Queue.get), argv[2] how many seconds.
# After the wait it prints "payload" and runs sh -c id.
import os
import queue
import select
import sys
import threading

how, secs = sys.argv[1], float(sys.argv[2])

def payload():
    print("payload", flush=True)
    os.system("id")

print("waiting", how, secs, flush=True)
if how == "select":
    select.select([], [], [], secs)
elif how == "poll":
    r, w = os.pipe()
    p = select.poll()
    p.register(r, select.POLLIN)
    p.poll(secs * 1000)
elif how == "epoll":
    r, w = os.pipe()
    e = select.epoll()
    e.register(r, select.EPOLLIN)
    e.poll(secs)
elif how == "event":
    threading.Event().wait(secs)
elif how == "timer":
    t = threading.Timer(secs, payload)
    t.start()
    t.join()
    sys.exit(0)
elif how == "queue":
    try:
        queue.Queue().get(timeout=secs)
    except queue.Empty:
        pass
payload()
