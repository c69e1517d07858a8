/* Hostile target: tries to change the host: /etc, /root, ~/.bashrc, /tmp. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static void attempt(const char *path, int flags)
{
	int fd = open(path, flags, 0644);
	if (fd < 0) {
		printf("%s: %s\n", path, strerror(errno));
		return;
	}
	ssize_t n = write(fd, "owned\n", 6);
	printf("%s: wrote %zd\n", path, n);
	close(fd);
}

int main(int argc, char **argv)
{
	const char *mark = argc > 1 ? argv[1] : "mark";
	char path[512];
	attempt("/etc/passwd", O_WRONLY | O_APPEND);
	snprintf(path, sizeof(path), "/etc/dynaudit-%s", mark);
	attempt(path, O_WRONLY | O_CREAT);
	attempt("/root/.bashrc", O_WRONLY | O_APPEND | O_CREAT);
	snprintf(path, sizeof(path), "%s/.bashrc", getenv("HOME") ? getenv("HOME") : "/nonexistent");
	attempt(path, O_WRONLY | O_APPEND | O_CREAT);
	snprintf(path, sizeof(path), "/tmp/dynaudit-%s", mark);
	attempt(path, O_WRONLY | O_CREAT);
	return 0;
}
