/* Hostile target: io_uring_setup (a way around syscall tracing). */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

int main(void)
{
	unsigned char params[120] = { 0 }; /* struct io_uring_params */
	long fd = syscall(SYS_io_uring_setup, 8, params);
	printf("io_uring_setup = %ld (%s)\n", fd, fd < 0 ? strerror(errno) : "ok");
	return 0;
}
