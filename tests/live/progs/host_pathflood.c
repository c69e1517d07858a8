/* Hostile target: drowns the audit's output files.  Eight processes open
 * paths as fast as they can until the window closes; three seconds in,
 * the first one reads /etc/shadow once: the one real finding, in the
 * middle of the flood.
 *
 *   host_pathflood MARK long    paths of 4,000 characters (16 components
 *                               of 249, all distinct): every event and
 *                               trace.log line is ~4 KiB of text
 *   host_pathflood MARK names   failed opens of short distinct names:
 *                               one kind of event floods, in numbers */
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define WORKERS 8

static double now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

static void flood(int id, int longpaths)
{
	char path[4096];
	double start = now();
	int shadow_done = id != 0;
	for (unsigned long i = 0;; i++) {
		if (longpaths) {
			/* /tmp/ then 16 components of 248 characters + '/', the
			 * first one naming the worker and the count */
			size_t n = (size_t)snprintf(path, sizeof(path), "/tmp/w%d-%lu-", id, i);
			while (n < 4000) {
				path[n] = (n % 249 == 248) ? '/' : 'p';
				n++;
			}
			path[n] = '\0';
		} else {
			snprintf(path, sizeof(path), "/tmp/missing-%d-%lu", id, i);
		}
		int fd = open(path, O_RDONLY);
		if (fd >= 0)
			close(fd);
		if (!shadow_done && now() - start >= 3.0) {
			shadow_done = 1;
			fd = open("/etc/shadow", O_RDONLY);
			if (fd >= 0)
				close(fd);
		}
	}
}

int main(int argc, char **argv)
{
	int longpaths = !(argc > 2 && strcmp(argv[2], "names") == 0);
	for (int id = 1; id < WORKERS; id++)
		if (fork() == 0)
			flood(id, longpaths);
	flood(0, longpaths);
	return 0;
}
