/* Hostile target: leaves its /tmp hard to remove for whoever cleans up
 * after it (dynaudit, root in CI): a chain of nested directories far
 * deeper than PATH_MAX, a directory it made unreadable, and symlinks to a
 * host directory (argv[1], meaningless inside the sandbox) placed where a
 * remover that follows links, or chmods by path, would act on the host.
 * argv[2]: depth (default 1500). */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	const char *host = argc > 1 ? argv[1] : "/";
	int depth = argc > 2 ? atoi(argv[2]) : 1500;
	static const char name[] = "deep-directory-name-to-make-the-path-long-0123456789";

	if (symlink(host, "/tmp/host-link") < 0 || mkdir("/tmp/locked", 0700) < 0 ||
	    symlink(host, "/tmp/locked/host-link") < 0 || mkdir("/tmp/locked/sub", 0700) < 0 ||
	    chmod("/tmp/locked", 0) < 0) {
		perror("setup");
		return 1;
	}
	int fd = open("/tmp", O_RDONLY | O_DIRECTORY);
	int made = 0;
	for (; fd >= 0 && made < depth; made++) {
		if (mkdirat(fd, name, 0755) < 0)
			break;
		int next = openat(fd, name, O_RDONLY | O_DIRECTORY);
		if (made % 100 == 0)
			symlinkat(host, fd, "host-link");
		close(fd);
		fd = next;
	}
	if (fd >= 0) {
		symlinkat(host, fd, "host-link");
		close(fd);
	}
	printf("depth %d (%zu bytes of path)\n", made, (size_t)made * (sizeof name));
	return 0;
}
