/* tr_signals MODE
 *   stop     the child SIGSTOPs itself and is SIGCONTed by the parent; the
 *            parent SIGSTOPs itself and is SIGCONTed by a helper child
 *   restart  accept() interrupted by SIGALRM: with SA_RESTART it restarts
 *            (and is then released by a connect), without it fails EINTR
 *   kill     a child blocked in a traced accept() is SIGKILLed
 * Exit 0 when everything behaved.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

static void on_alarm(int sig)
{
	(void)sig;
}

static int listener(struct sockaddr_in *a)
{
	int l = socket(AF_INET, SOCK_STREAM, 0);
	socklen_t al = sizeof(*a);
	memset(a, 0, sizeof(*a));
	a->sin_family = AF_INET;
	a->sin_addr.s_addr = htonl(0x7f000001);
	if (bind(l, (struct sockaddr *)a, sizeof(*a)) < 0 || listen(l, 4) < 0 ||
	    getsockname(l, (struct sockaddr *)a, &al) < 0)
		exit(90);
	return l;
}

int main(int argc, char **argv)
{
	const char *mode = argc > 1 ? argv[1] : "stop";
	int st;
	if (strcmp(mode, "stop") == 0) {
		pid_t c = fork();
		if (c == 0) {
			raise(SIGSTOP);
			_exit(4);
		}
		if (waitpid(c, &st, WUNTRACED) != c || !WIFSTOPPED(st))
			return 1;
		kill(c, SIGCONT);
		if (waitpid(c, &st, 0) != c || !WIFEXITED(st) || WEXITSTATUS(st) != 4)
			return 2;
		pid_t me = getpid();
		pid_t h = fork();
		if (h == 0) {
			usleep(100 * 1000);
			kill(me, SIGCONT);
			_exit(0);
		}
		raise(SIGSTOP);
		waitpid(h, &st, 0);
		return 0;
	}
	if (strcmp(mode, "restart") == 0) {
		struct sockaddr_in a;
		int l = listener(&a);
		struct sigaction sa;
		memset(&sa, 0, sizeof(sa));
		sa.sa_handler = on_alarm;
		sa.sa_flags = 0;
		sigaction(SIGALRM, &sa, NULL);
		ualarm(50 * 1000, 0);
		int r = accept(l, NULL, NULL);
		if (r != -1 || errno != EINTR)
			return 3;
		sa.sa_flags = SA_RESTART;
		sigaction(SIGALRM, &sa, NULL);
		pid_t c = fork();
		if (c == 0) {
			usleep(150 * 1000);
			int s = socket(AF_INET, SOCK_STREAM, 0);
			_exit(connect(s, (struct sockaddr *)&a, sizeof(a)) == 0 ? 0 : 1);
		}
		ualarm(50 * 1000, 0);
		r = accept(l, NULL, NULL); /* interrupted, restarted, then accepted */
		waitpid(c, &st, 0);
		return r >= 0 ? 0 : 4;
	}
	if (strcmp(mode, "kill") == 0) {
		struct sockaddr_in a;
		int l = listener(&a);
		pid_t c = fork();
		if (c == 0) {
			accept(l, NULL, NULL);
			_exit(1);
		}
		usleep(100 * 1000);
		kill(c, SIGKILL);
		if (waitpid(c, &st, 0) != c || !WIFSIGNALED(st) || WTERMSIG(st) != SIGKILL)
			return 5;
		return 0;
	}
	return 9;
}
