/* tr_tty — terminal ioctls and stat forms, for the filter's argument
 *   rules (tracer_filter.c): FIONREAD and TCGETS must run untraced; a
 *   TIOCSTI whose request has high bits set (the kernel reads an unsigned
 *   int) and a raw-mode TCSETS must stop; newfstatat of an fd with
 *   AT_EMPTY_PATH (fstat) must not, the same flag on a named path must.
 *   Everything on /dev/null: nothing is injected into a real terminal.
 */
#include <fcntl.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <termios.h>
#include <unistd.h>

int main(void)
{
	int fd = open("/dev/null", O_RDWR | O_CLOEXEC);
	int avail = 0;
	struct termios t;
	struct stat st;
	char c = 'x';
	memset(&t, 0, sizeof(t));
	ioctl(fd, FIONREAD, &avail);
	ioctl(fd, TCGETS, &t);
	syscall(SYS_ioctl, fd, 0xffffffff00000000UL | TIOCSTI, &c);
	t.c_lflag = ISIG; /* ICANON and ECHO cleared: raw mode */
	ioctl(fd, TCSETS, &t);
	syscall(SYS_newfstatat, fd, "", &st, AT_EMPTY_PATH);
	syscall(SYS_newfstatat, AT_FDCWD, "/tr_tty_probe", &st, AT_EMPTY_PATH);
	close(fd);
	return 0;
}
