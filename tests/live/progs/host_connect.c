/* Hostile target: connects out (10.255.255.1:9, TCP and UDP) and to
 * 127.0.0.1; in its own network namespace nothing may leave the host. */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

static void try_connect(const char *ip, int port)
{
	int s = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0);
	struct sockaddr_in sa = { .sin_family = AF_INET, .sin_port = htons((unsigned short)port) };
	inet_pton(AF_INET, ip, &sa.sin_addr);
	int rc = connect(s, (struct sockaddr *)&sa, sizeof(sa));
	int e = errno;
	if (rc < 0 && e == EINPROGRESS) {
		struct pollfd p = { .fd = s, .events = POLLOUT };
		poll(&p, 1, 1000);
		socklen_t l = sizeof(e);
		getsockopt(s, SOL_SOCKET, SO_ERROR, &e, &l);
		rc = e ? -1 : 0;
	}
	printf("connect %s:%d = %d %s\n", ip, port, rc, rc ? strerrorname_np(e) : "ok");
	close(s);
}

int main(void)
{
	try_connect("10.255.255.1", 9);
	try_connect("127.0.0.1", 9);
	int u = socket(AF_INET, SOCK_DGRAM, 0);
	struct sockaddr_in sa = { .sin_family = AF_INET, .sin_port = htons(9) };
	inet_pton(AF_INET, "10.255.255.1", &sa.sin_addr);
	ssize_t n = sendto(u, "x", 1, 0, (struct sockaddr *)&sa, sizeof(sa));
	printf("sendto 10.255.255.1:9 = %zd %s\n", n, n < 0 ? strerrorname_np(errno) : "ok");
	fflush(stdout);
	return 0;
}
