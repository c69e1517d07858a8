/* tr_fork — fork, vfork and a double-fork daemon whose grandchild outlives
 * its parent (an orphan).  Opens marker files so the test can tell which
 * process did what.  Exit code 7 when all went as expected.
 * `tr_fork many`: 200 children, one after the other, each opening a
 * marker at once (the kernel does not order a child's first stop after
 * its parent's fork event: with 200, some come first). */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>

static void touch(const char *path)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd >= 0)
		close(fd);
}

int main(int argc, char **argv)
{
	int st;
	if (argc > 1 && argv[1][0] == 'm') {
		for (int i = 0; i < 200; i++) {
			pid_t c = fork();
			if (c == 0) {
				touch("/tr_fork_many");
				_exit(0);
			}
			if (c < 0 || waitpid(c, &st, 0) != c)
				return 1;
		}
		return 7;
	}
	pid_t c = fork();
	if (c == 0) {
		touch("/tr_fork_child");
		_exit(3);
	}
	waitpid(c, &st, 0);
	if (!WIFEXITED(st) || WEXITSTATUS(st) != 3)
		return 1;

	pid_t v = vfork();
	if (v == 0) {
		execl("/bin/true", "true", (char *)NULL);
		_exit(127);
	}
	waitpid(v, &st, 0);
	if (!WIFEXITED(st) || WEXITSTATUS(st) != 0)
		return 2;

	/* double fork: the middle process exits at once, the daemon lives on */
	int p[2];
	if (pipe(p) < 0)
		return 3;
	pid_t m = fork();
	if (m == 0) {
		if (fork() == 0) {
			setsid();
			close(p[0]);
			usleep(100 * 1000);
			touch("/tr_fork_daemon");
			if (write(p[1], "d", 1) != 1)
				_exit(1);
			_exit(0);
		}
		_exit(0);
	}
	close(p[1]);
	waitpid(m, &st, 0);
	char ch;
	if (read(p[0], &ch, 1) != 1)
		return 4;
	return 7;
}
