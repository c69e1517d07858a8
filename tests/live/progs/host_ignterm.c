/* Hostile target: ignores SIGTERM (and SIGINT, SIGHUP), as do its children. */
#include <signal.h>
#include <unistd.h>

int main(void)
{
	signal(SIGTERM, SIG_IGN);
	signal(SIGINT, SIG_IGN);
	signal(SIGHUP, SIG_IGN);
	if (fork() == 0)
		for (;;)
			pause();
	for (;;)
		pause();
}
