/* Hostile target: a UDP beacon that connect()s its socket once and then
 * write()s a heartbeat on it every 0.7 s (no sendto, no address per
 * datagram: only the connect names the destination). */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdio.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

int main(void)
{
	int u = socket(AF_INET, SOCK_DGRAM, 0);
	struct sockaddr_in sa = { .sin_family = AF_INET, .sin_port = htons(4444) };
	inet_pton(AF_INET, "127.0.0.1", &sa.sin_addr);
	int rc = connect(u, (struct sockaddr *)&sa, sizeof(sa));
	struct timespec gap = { 0, 700 * 1000 * 1000 };
	for (int i = 0; i < 4; i++) {
		ssize_t n = write(u, "beat", 4);
		printf("connect = %d, write = %zd\n", rc, n);
		fflush(stdout);
		nanosleep(&gap, NULL);
	}
	return 0;
}
