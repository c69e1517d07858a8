/*
 * host_keylog.c — terminal and console ioctls, hostile and benign
 * (tests/live/e2e/keylog_ioctl.sh, bench of the ioctl filter).
 *
 *   inject           TIOCSTI on fd 0 (keystroke injection; fails with
 *                    ENOTTY when stdin is no terminal, EIO/EPERM when the
 *                    kernel restricts it: still an attempt)
 *   linux            TIOCLINUX paste-selection on fd 0
 *   kbd              KDGKBMODE, then KDSKBMODE K_RAW on fd 0
 *   hold SECONDS     create a pseudo-terminal and keep it open
 *   snoop            raw mode on every /dev/pts/N it did not create
 *   ownpty           create a pseudo-terminal and put its slave in raw
 *                    mode (what expect or script do: benign)
 *   stdin            raw mode and no echo on its own stdin (an editor,
 *                    a REPL, a password prompt: benign)
 *   loop N           N x ioctl(0, FIONREAD) + N x TCGETS (the cost of the
 *                    filter on ordinary ioctls)
 * Prints what each call returned.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <linux/kd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <termios.h>
#include <time.h>
#include <unistd.h>

static void said(const char *what, int rc)
{
	printf("%s: %s\n", what, rc < 0 ? strerror(errno) : "ok");
}

static int make_raw(int fd)
{
	struct termios t;
	if (tcgetattr(fd, &t) < 0)
		memset(&t, 0, sizeof(t)); /* not a terminal: the set still says "raw" */
	cfmakeraw(&t);
	return tcsetattr(fd, TCSANOW, &t);
}

/* Raw mode on every terminal in /dev/pts; waits (up to 3 s) for one to
 * appear, since the process that makes it runs beside this one. */
static int snoop(void)
{
	for (int tries = 0; tries < 30; tries++) {
		if (access("/dev/pts/0", F_OK) == 0)
			break;
		usleep(100000);
	}
	DIR *d = opendir("/dev/pts");
	if (!d) {
		said("opendir /dev/pts", -1);
		return 1;
	}
	struct dirent *de;
	while ((de = readdir(d)) != NULL) {
		if (de->d_name[0] < '0' || de->d_name[0] > '9')
			continue;
		char path[64];
		snprintf(path, sizeof(path), "/dev/pts/%.32s", de->d_name);
		int fd = open(path, O_RDWR | O_NOCTTY);
		if (fd < 0) {
			said(path, -1);
			continue;
		}
		said(path, make_raw(fd));
		close(fd);
	}
	closedir(d);
	return 0;
}

static int own_pty(int *slave)
{
	int m = posix_openpt(O_RDWR | O_NOCTTY);
	if (m < 0 || grantpt(m) < 0 || unlockpt(m) < 0) {
		said("posix_openpt", -1);
		return -1;
	}
	const char *name = ptsname(m);
	*slave = name ? open(name, O_RDWR | O_NOCTTY) : -1;
	printf("pty %s\n", name ? name : "?");
	return m;
}

int main(int argc, char **argv)
{
	const char *mode = argc > 1 ? argv[1] : "";
	setvbuf(stdout, NULL, _IONBF, 0);
	if (!strcmp(mode, "inject")) {
		char c = 'x';
		said("TIOCSTI", ioctl(0, TIOCSTI, &c));
	} else if (!strcmp(mode, "linux")) {
		char sub = 3; /* TIOCL_PASTESEL */
		said("TIOCLINUX", ioctl(0, TIOCLINUX, &sub));
	} else if (!strcmp(mode, "kbd")) {
		int kb = 0;
		said("KDGKBMODE", ioctl(0, KDGKBMODE, &kb));
		said("KDSKBMODE", ioctl(0, KDSKBMODE, K_RAW));
	} else if (!strcmp(mode, "hold")) {
		int s = -1;
		if (own_pty(&s) < 0)
			return 1;
		sleep(argc > 2 ? (unsigned)atoi(argv[2]) : 2);
	} else if (!strcmp(mode, "snoop")) {
		return snoop();
	} else if (!strcmp(mode, "ownpty")) {
		int s = -1;
		if (own_pty(&s) < 0)
			return 1;
		said("raw slave", make_raw(s));
	} else if (!strcmp(mode, "stdin")) {
		said("raw stdin", make_raw(0));
		struct termios t;
		memset(&t, 0, sizeof(t));
		t.c_lflag = ICANON | ISIG; /* echo off, as getpass does */
		said("no echo", tcsetattr(0, TCSAFLUSH, &t));
	} else if (!strcmp(mode, "loop")) {
		long n = argc > 2 ? atol(argv[2]) : 100000;
		struct termios t;
		struct timespec a, b;
		int avail = 0, ok = 0;
		clock_gettime(CLOCK_MONOTONIC, &a);
		for (long i = 0; i < n; i++) {
			ok += ioctl(0, FIONREAD, &avail) == 0;
			ok += tcgetattr(0, &t) == 0;
		}
		clock_gettime(CLOCK_MONOTONIC, &b);
		printf("loop %ld: %d ok, %.1f ms\n", n, ok,
		       (double)(b.tv_sec - a.tv_sec) * 1e3 + (double)(b.tv_nsec - a.tv_nsec) / 1e6);
	} else {
		fprintf(stderr, "usage: host_keylog inject|linux|kbd|hold S|snoop|ownpty|stdin|loop N\n");
		return 2;
	}
	return 0;
}
