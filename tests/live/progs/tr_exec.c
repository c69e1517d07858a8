/* tr_exec MODE
 *   at       a failed execve (ENOENT), then execveat(dirfd of /bin, "true")
 *   stdio    fds 0 and 1 become a connected loopback TCP socket, then
 *            execve /bin/true (stdio[] must describe the socket)
 *   bigargv  execve /bin/true with 1000 arguments of 1000 bytes
 *   preload  execve /bin/true with LD_PRELOAD and LD_AUDIT (missing
 *            libraries: the loader warns and goes on) among other variables
 */
#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <unistd.h>

extern char **environ;

int main(int argc, char **argv)
{
	const char *mode = argc > 1 ? argv[1] : "at";
	if (strcmp(mode, "at") == 0) {
		char *a[] = { (char *)"nope", NULL };
		execve("/nonexistent/tr_exec_missing", a, environ);
		int d = open("/bin", O_RDONLY | O_DIRECTORY);
		char *b[] = { (char *)"true", (char *)"via-execveat", NULL };
		syscall(SYS_execveat, d, "true", b, environ, 0);
		return 1;
	}
	if (strcmp(mode, "stdio") == 0) {
		int l = socket(AF_INET, SOCK_STREAM, 0);
		struct sockaddr_in a = { .sin_family = AF_INET, .sin_addr.s_addr = htonl(0x7f000001) };
		socklen_t al = sizeof(a);
		if (bind(l, (struct sockaddr *)&a, sizeof(a)) < 0 || listen(l, 1) < 0 ||
		    getsockname(l, (struct sockaddr *)&a, &al) < 0)
			return 1;
		int c = socket(AF_INET, SOCK_STREAM, 0);
		if (connect(c, (struct sockaddr *)&a, sizeof(a)) < 0)
			return 2;
		dup2(c, 0);
		dup2(c, 1);
		/* l stays open: closing it would reset the pending connection */
		execl("/bin/true", "true", (char *)NULL);
		return 3;
	}
	if (strcmp(mode, "bigargv") == 0) {
		enum { N = 1000, L = 1000 };
		char **a = calloc(N + 2, sizeof(char *));
		a[0] = (char *)"true";
		for (int i = 1; i <= N; i++) {
			a[i] = malloc(L);
			memset(a[i], 'x', L - 1);
			a[i][L - 1] = '\0';
		}
		execv("/bin/true", a);
		return 4;
	}
	if (strcmp(mode, "preload") == 0) {
		char *a[] = { (char *)"true", NULL };
		char *e[] = { (char *)"PATH=/usr/bin:/bin", (char *)"LD_PRELOAD=/nonexistent/tr_hook.so",
			      (char *)"XLD_PRELOAD=no", (char *)"LD_PRELOADX", (char *)"HOME=/",
			      (char *)"LD_AUDIT=/tmp/a.so", NULL };
		execve("/bin/true", a, e);
		return 6;
	}
	return 5;
}
