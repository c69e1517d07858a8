/* workload_a — 1,000,000 reads of /dev/zero through 1,000 opens: the
 * untraced-syscall case (reads must cost nothing under the tracer). */
#include <fcntl.h>
#include <unistd.h>

int main(void)
{
	char buf[64];
	for (int i = 0; i < 1000; i++) {
		int fd = open("/dev/zero", O_RDONLY);
		if (fd < 0)
			return 1;
		for (int j = 0; j < 1000; j++)
			if (read(fd, buf, sizeof(buf)) != (ssize_t)sizeof(buf))
				return 2;
		close(fd);
	}
	return 0;
}
