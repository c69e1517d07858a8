/* tr_oracle — read-only opens whose outcome the tracer must tell without
 * seeing their result (notified opens, tracer_oracle.c):
 *   missing -> ENOENT; created -> not a failure (the remembered ENOENT
 *   must be forgotten after the create); removed -> ENOENT again.
 * argv[1]: the path to use (a fresh name under /tmp).
 */
#include <fcntl.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	if (argc < 2)
		return 2;
	const char *p = argv[1];
	if (open(p, O_RDONLY | O_CLOEXEC) >= 0)
		return 3;
	int fd = open(p, O_WRONLY | O_CREAT | O_CLOEXEC, 0644);
	if (fd < 0)
		return 4;
	close(fd);
	fd = open(p, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return 5;
	close(fd);
	unlink(p);
	if (open(p, O_RDONLY | O_CLOEXEC) >= 0)
		return 6;
	return 0;
}
