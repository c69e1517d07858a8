/* Hostile target: fills /tmp, HOME and the workdir until the writes fail,
 * then makes thousands of files and a deep directory chain, then exits. */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static void fill(const char *path)
{
	static char chunk[1 << 16];
	memset(chunk, 'F', sizeof(chunk));
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
	if (fd < 0) {
		printf("open %s: %s\n", path, strerror(errno));
		return;
	}
	long long total = 0;
	for (;;) {
		ssize_t n = write(fd, chunk, sizeof(chunk));
		if (n <= 0) {
			printf("fill %s stopped after %lld bytes: %s\n", path, total, strerror(errno));
			break;
		}
		total += n;
		if (total > (2LL << 30))
			break;
	}
	close(fd);
}

int main(int argc, char **argv)
{
	const char *mark = argc > 1 ? argv[1] : "mark";
	char path[4096];
	const char *home = getenv("HOME");

	signal(SIGXFSZ, SIG_IGN);
	snprintf(path, sizeof(path), "/tmp/fill-%s", mark);
	fill(path);
	if (home) {
		snprintf(path, sizeof(path), "%s/fill-%s", home, mark);
		fill(path);
	}
	snprintf(path, sizeof(path), "fill-%s", mark);
	fill(path);
	for (int i = 0; i < 3000; i++) {
		snprintf(path, sizeof(path), "/tmp/many-%d", i);
		int fd = open(path, O_WRONLY | O_CREAT, 0644);
		if (fd >= 0)
			close(fd);
	}
	if (chdir("/tmp") == 0)
		for (int i = 0; i < 200; i++)
			if (mkdir("d", 0755) < 0 || chdir("d") < 0)
				break;
	printf("fill done\n");
	return 0;
}
