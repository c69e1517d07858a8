/*
 * host_leaks — a target that looks for the grader's context from inside
 * the sandbox and prints everything it finds on stdout, one labelled line
 * per item, so the e2e test (tests/live/e2e/leaks.sh) can grep the capture
 * for host paths and markers:
 *
 *   cmdline1 / environ1   the init's command line and environment
 *   proc1 FILE ...        whether /proc/1/FILE opens (environ, mem, maps,
 *                         fd, root, cwd, status, oom_score_adj)
 *   oom1 ...              writing 1000 to /proc/1/oom_score_adj
 *   oomself-down / -up    lowering / raising its own oom_score_adj
 *   cgroup ...            each line of /proc/self/cgroup
 *   mountinfo ...         each line of /proc/self/mountinfo
 *   shm-file / shm-open / sem-open   a file in /dev/shm, shm_open, sem_open
 *   procs ...             the pids it can see in /proc
 *
 * argv[1] is the test's marker (names the /dev/shm objects, and lets the
 * test find survivors).
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <semaphore.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

static void dump(const char *label, const char *path)
{
	char buf[65536];
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		printf("%s open: %s\n", label, strerror(errno));
		return;
	}
	ssize_t n = read(fd, buf, sizeof buf - 1);
	int e = errno;
	close(fd);
	if (n < 0) {
		printf("%s read: %s\n", label, strerror(e));
		return;
	}
	for (ssize_t i = 0; i < n; i++)
		if (buf[i] == '\0')
			buf[i] = ' ';
	buf[n] = '\0';
	printf("%s (%zd bytes): %s\n", label, n, buf);
}

static void lines(const char *label, const char *path)
{
	char line[4096];
	FILE *f = fopen(path, "re");
	if (!f) {
		printf("%s open: %s\n", label, strerror(errno));
		return;
	}
	while (fgets(line, sizeof line, f)) {
		line[strcspn(line, "\n")] = '\0';
		printf("%s %s\n", label, line);
	}
	fclose(f);
}

static void write_value(const char *label, const char *path, const char *value)
{
	int fd = open(path, O_WRONLY | O_CLOEXEC);
	if (fd < 0) {
		printf("%s open: %s\n", label, strerror(errno));
		return;
	}
	ssize_t n = write(fd, value, strlen(value));
	int e = errno;
	close(fd);
	printf("%s %s\n", label, n == (ssize_t)strlen(value) ? "ok" : strerror(e));
}

int main(int argc, char **argv)
{
	const char *mark = argc > 1 ? argv[1] : "nomark";
	char path[256], link[4096];

	dump("cmdline1", "/proc/1/cmdline");
	dump("environ1", "/proc/1/environ");
	static const char *const files[] = { "environ", "mem", "maps", "status", "oom_score_adj" };
	for (size_t i = 0; i < sizeof files / sizeof files[0]; i++) {
		snprintf(path, sizeof path, "/proc/1/%s", files[i]);
		int fd = open(path, O_RDONLY | O_CLOEXEC);
		printf("proc1 %s %s\n", files[i], fd >= 0 ? "readable" : strerror(errno));
		if (fd >= 0)
			close(fd);
	}
	DIR *d = opendir("/proc/1/fd");
	printf("proc1 fd %s\n", d ? "listable" : strerror(errno));
	if (d)
		closedir(d);
	static const char *const links[] = { "root", "cwd", "exe" };
	for (size_t i = 0; i < sizeof links / sizeof links[0]; i++) {
		snprintf(path, sizeof path, "/proc/1/%s", links[i]);
		ssize_t n = readlink(path, link, sizeof link - 1);
		if (n >= 0)
			link[n] = '\0';
		printf("proc1 %s %s\n", links[i], n >= 0 ? link : strerror(errno));
	}
	write_value("oom1", "/proc/1/oom_score_adj", "1000");
	write_value("oomself-down", "/proc/self/oom_score_adj", "-500");
	write_value("oomself-up", "/proc/self/oom_score_adj", "500");
	lines("cgroup", "/proc/self/cgroup");
	lines("mountinfo", "/proc/self/mountinfo");

	/* /dev/shm: a plain file, a POSIX shared memory object, a semaphore
	 * (what Python's multiprocessing needs). */
	snprintf(path, sizeof path, "/dev/shm/leakfile-%s", mark);
	int fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
	printf("shm-file %s\n", fd >= 0 && write(fd, "x\n", 2) == 2 ? "ok" : strerror(errno));
	if (fd >= 0)
		close(fd);
	snprintf(path, sizeof path, "/leakshm-%s", mark);
	fd = shm_open(path, O_RDWR | O_CREAT | O_EXCL, 0600);
	printf("shm-open %s\n", fd >= 0 && ftruncate(fd, 4096) == 0 ? "ok" : strerror(errno));
	if (fd >= 0)
		close(fd);
	snprintf(path, sizeof path, "/leaksem-%s", mark);
	sem_t *s = sem_open(path, O_CREAT | O_EXCL, 0600, 1);
	printf("sem-open %s\n", s != SEM_FAILED ? "ok" : strerror(errno));
	if (s != SEM_FAILED)
		sem_close(s);

	d = opendir("/proc");
	struct dirent *de;
	printf("procs");
	while (d && (de = readdir(d)))
		if (de->d_name[0] >= '0' && de->d_name[0] <= '9')
			printf(" %s", de->d_name);
	printf("\n");
	if (d)
		closedir(d);
	printf("self %ld\n", (long)getpid());
	return 0;
}
