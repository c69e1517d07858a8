/* tr_threads MODE
 *   burst      300 threads created at once, each opens a marker and exits
 *   exec       a non-leader thread execs /bin/true (tid changes to the leader)
 *   exitgroup  threads blocked in syscalls while main calls exit_group(5)
 *   leader     main thread exits first (pthread_exit); the last thread exits 9
 */
#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <netinet/in.h>
#include <unistd.h>

static void *opener(void *arg)
{
	(void)arg;
	int fd = open("/tr_thread_marker", O_RDONLY);
	if (fd >= 0)
		close(fd);
	return NULL;
}

static void *execer(void *arg)
{
	(void)arg;
	usleep(20 * 1000);
	char *argv[] = { (char *)"true", (char *)"from-thread", NULL };
	execv("/bin/true", argv);
	_exit(126);
}

static void *blocker(void *arg)
{
	int s = *(int *)arg;
	accept(s, NULL, NULL); /* blocks until exit_group */
	return NULL;
}

static void *last(void *arg)
{
	(void)arg;
	usleep(100 * 1000);
	opener(NULL);
	exit(9);
}

int main(int argc, char **argv)
{
	const char *mode = argc > 1 ? argv[1] : "burst";
	if (strcmp(mode, "burst") == 0) {
		enum { N = 300 };
		static pthread_t th[N];
		int made = 0;
		for (int i = 0; i < N; i++)
			if (pthread_create(&th[i], NULL, opener, NULL) == 0)
				made++;
		for (int i = 0; i < made; i++)
			pthread_join(th[i], NULL);
		return made == N ? 0 : 1;
	}
	if (strcmp(mode, "exec") == 0) {
		pthread_t t;
		pthread_create(&t, NULL, execer, NULL);
		for (;;)
			pause();
	}
	if (strcmp(mode, "exitgroup") == 0) {
		int s = socket(AF_INET, SOCK_STREAM, 0);
		struct sockaddr_in a = { .sin_family = AF_INET, .sin_addr.s_addr = htonl(0x7f000001) };
		if (bind(s, (struct sockaddr *)&a, sizeof(a)) < 0 || listen(s, 1) < 0)
			return 1;
		pthread_t t[4];
		for (int i = 0; i < 4; i++)
			pthread_create(&t[i], NULL, blocker, &s);
		usleep(50 * 1000);
		exit(5);
	}
	if (strcmp(mode, "leader") == 0) {
		pthread_t t;
		pthread_create(&t, NULL, last, NULL);
		pthread_exit(NULL);
	}
	return 2;
}
