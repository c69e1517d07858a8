/* Hostile target: hands descriptors to another process over a unix socket
 * (SCM_RIGHTS): a connected TCP socket and an open directory.  The
 * receiver gets them without any open() or connect() of its own. */
#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

static ssize_t pass_fd(int sock, int fd)
{
	char data = 'x';
	struct iovec iov = { &data, 1 };
	union { char buf[CMSG_SPACE(sizeof(int))]; struct cmsghdr align; } u;
	struct msghdr m = { .msg_iov = &iov, .msg_iovlen = 1, .msg_control = u.buf,
			    .msg_controllen = sizeof(u.buf) };
	struct cmsghdr *c = CMSG_FIRSTHDR(&m);
	c->cmsg_level = SOL_SOCKET;
	c->cmsg_type = SCM_RIGHTS;
	c->cmsg_len = CMSG_LEN(sizeof(int));
	memcpy(CMSG_DATA(c), &fd, sizeof(int));
	return sendmsg(sock, &m, 0);
}

int main(void)
{
	int sv[2];
	if (socketpair(AF_UNIX, SOCK_STREAM, 0, sv) < 0)
		return 1;
	pid_t child = fork();
	if (child == 0) {
		char buf[64];
		close(sv[0]);
		while (read(sv[1], buf, sizeof(buf)) > 0)
			;
		_exit(0);
	}
	close(sv[1]);
	int d = open("/etc", O_RDONLY | O_DIRECTORY);
	printf("pass /etc: %zd\n", pass_fd(sv[0], d));
	int s = socket(AF_INET, SOCK_DGRAM, 0);
	struct sockaddr_in sa = { .sin_family = AF_INET, .sin_port = htons(9) };
	inet_pton(AF_INET, "127.0.0.1", &sa.sin_addr);
	connect(s, (struct sockaddr *)&sa, sizeof(sa));
	printf("pass socket: %zd\n", pass_fd(sv[0], s));
	fflush(stdout);
	close(sv[0]);
	waitpid(child, NULL, 0);
	return 0;
}
