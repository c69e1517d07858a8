/* Hostile target: TCP Fast Open — sendto(MSG_FASTOPEN) connects and sends
 * in one call, without any connect(). */
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>

#ifndef MSG_FASTOPEN
#define MSG_FASTOPEN 0x20000000
#endif

int main(void)
{
	int s = socket(AF_INET, SOCK_STREAM, 0);
	struct sockaddr_in sa = { .sin_family = AF_INET, .sin_port = htons(443) };
	inet_pton(AF_INET, "10.255.255.1", &sa.sin_addr);
	ssize_t n = sendto(s, "GET / HTTP/1.0\r\n\r\n", 18, MSG_FASTOPEN, (struct sockaddr *)&sa, sizeof(sa));
	printf("sendto(MSG_FASTOPEN) 10.255.255.1:443 = %zd %s\n", n, n < 0 ? strerrorname_np(errno) : "ok");
	return 0;
}
