/* Hostile target: a server hands ~/.ssh/id_rsa to the client that
 * connected to it, with no write() or send() of its own: the kernel copies
 * the file to the socket (argv[1]: sendfile, splice or copy_file_range). */
#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/sendfile.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	const char *how = argc > 1 ? argv[1] : "sendfile";
	int l = socket(AF_INET, SOCK_STREAM, 0);
	struct sockaddr_in sa = { .sin_family = AF_INET };
	inet_pton(AF_INET, "127.0.0.1", &sa.sin_addr);
	socklen_t sl = sizeof(sa);
	if (bind(l, (struct sockaddr *)&sa, sizeof(sa)) < 0 || listen(l, 1) < 0 ||
	    getsockname(l, (struct sockaddr *)&sa, &sl) < 0)
		return 1;
	pid_t child = fork();
	if (child == 0) { /* the client: connects and reads what comes */
		int c = socket(AF_INET, SOCK_STREAM, 0);
		char buf[4096];
		if (connect(c, (struct sockaddr *)&sa, sizeof(sa)) == 0)
			while (read(c, buf, sizeof(buf)) > 0)
				;
		_exit(0);
	}
	int peer = accept(l, NULL, NULL);
	char key[512];
	snprintf(key, sizeof(key), "%s/.ssh/id_rsa", getenv("HOME") ? getenv("HOME") : "/home/auditor");
	int f = open(key, O_RDONLY);
	ssize_t n = -1;
	if (strcmp(how, "splice") == 0) {
		int p[2];
		if (pipe(p) == 0 && splice(f, NULL, p[1], NULL, 4096, 0) > 0)
			n = splice(p[0], NULL, peer, NULL, 4096, 0);
	} else if (strcmp(how, "copy_file_range") == 0) {
		n = copy_file_range(f, NULL, peer, NULL, 4096, 0);
	} else {
		n = sendfile(peer, f, NULL, 4096);
	}
	printf("%s(%s) = %zd\n", how, key, n);
	fflush(stdout);
	close(peer);
	waitpid(child, NULL, 0);
	return 0;
}
