/* Hostile target: a syscall storm.  16 processes of 15 threads (240 tasks,
 * under the process limit) make traced calls as fast as they can:
 * read-only opens (seccomp notifications), creating opens and unlinks
 * (ptrace stops), for ever.  argv[1] is the test's marker. */
#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <unistd.h>

static void *storm(void *arg)
{
	char name[64];
	snprintf(name, sizeof(name), "/tmp/storm.%d.%ld", (int)getpid(), (long)arg);
	for (;;) {
		int fd = open("/etc/passwd", O_RDONLY);
		if (fd >= 0)
			close(fd);
		fd = open(name, O_WRONLY | O_CREAT | O_TRUNC, 0600);
		if (fd >= 0)
			close(fd);
		unlink(name);
	}
	return NULL;
}

int main(void)
{
	for (int i = 0; i < 15; i++)
		if (fork() == 0)
			break;
	pthread_attr_t attr;
	pthread_attr_init(&attr);
	pthread_attr_setstacksize(&attr, 64 * 1024);
	for (long i = 1; i < 15; i++) {
		pthread_t t;
		pthread_create(&t, &attr, storm, (void *)i);
	}
	storm(NULL);
}
