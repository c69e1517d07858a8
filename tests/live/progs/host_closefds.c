/* Hostile target: closes every fd (stdout and stderr included), then keeps
 * working: files, a child, an exec. */
#include <fcntl.h>
#include <sys/wait.h>
#include <unistd.h>

int main(void)
{
	for (int fd = 0; fd < 4096; fd++)
		close(fd);
	int fd = open("/tmp/after-close", O_WRONLY | O_CREAT, 0600);
	if (fd >= 0)
		close(fd);
	pid_t p = fork();
	if (p == 0) {
		execl("/bin/true", "true", (char *)0);
		_exit(127);
	}
	waitpid(p, 0, 0);
	return 0;
}
