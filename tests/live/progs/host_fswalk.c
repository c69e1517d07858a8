/* Hostile target: tries to make the file monitor (root, outside the
 * sandbox) walk host directories.  It makes directories in /tmp and, for
 * each, a symlink to a host path ("/", "/root", "/var/tmp": meaningless
 * inside the sandbox, but the host's own directories to a monitor that
 * resolves host path strings), then swaps each pair with
 * renameat2(RENAME_EXCHANGE) in a tight loop for the whole window.  Every
 * swap makes the monitor add a watch on "the directory just moved here",
 * which by then may be the symlink; and every walk of a directory it
 * made opens its subdirectory by path.  argv[1]: seconds to run (default 4). */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#ifndef RENAME_EXCHANGE
#define RENAME_EXCHANGE (1 << 1)
#endif

#define PAIRS 12

static double now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

int main(int argc, char **argv)
{
	/* Each directory holds a subdirectory named like one below its
	 * link's target: a monitor that lists "d" and then opens "d/root"
	 * by path walks the host's /root when the swap falls in between. */
	static const char *const targets[][2] = { { "/", "root" }, { "/var", "tmp" } };
	double secs = argc > 1 ? atof(argv[1]) : 4.0;
	double end = now() + secs;
	long swaps = 0, rounds = 0;
	char d[PAIRS][64], l[PAIRS][64];

	while (now() < end) {
		for (int i = 0; i < PAIRS; i++) {
			snprintf(d[i], sizeof d[i], "/tmp/r%ld_d%d", rounds, i);
			snprintf(l[i], sizeof l[i], "/tmp/r%ld_l%d", rounds, i);
			char sub[96];
			snprintf(sub, sizeof sub, "%s/%s", d[i], targets[i % 2][1]);
			if (symlink(targets[i % 2][0], l[i]) < 0 || mkdir(d[i], 0755) < 0 ||
			    mkdir(sub, 0755) < 0) {
				perror("setup");
				return 1;
			}
		}
		/* Short rounds: each new directory is one more CREATE the
		 * monitor answers with a walk. */
		for (int k = 0; k < 60 && now() < end; k++)
			for (int i = 0; i < PAIRS; i++)
				if (syscall(SYS_renameat2, AT_FDCWD, d[i], AT_FDCWD, l[i],
					    RENAME_EXCHANGE) == 0)
					swaps++;
		rounds++;
	}
	printf("swaps %ld rounds %ld\n", swaps, rounds);
	return 0;
}
