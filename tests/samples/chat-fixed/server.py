# Team-33 CodingGeeks chat server (sample submission bundled with dynaudit).
# The impl05 server with its indentation fixed: a well-behaved chat server
# that listens on 127.0.0.1:5555 only.
import socket
import threading

HOST = "127.0.0.1"
PORT = 5555

def handle_client(conn, addr):
    """Relay every message to every other client."""
    with conn:
        while True:
            data = conn.recv(1024)
            if not data:
                break
            for other in list(clients):
                if other is not conn:
                    other.sendall(data)

clients = []

def main():
    srv = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    srv.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    srv.bind((HOST, PORT))
    srv.listen()
    while True:
        conn, addr = srv.accept()
        clients.append(conn)
        threading.Thread(target=handle_client, args=(conn, addr), daemon=True).start()

if __name__ == "__main__":
    main()
