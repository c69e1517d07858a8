/* Hostile target: the tightest fork bomb, `for (;;) fork();`.  Unlike
 * host_forkbomb it never pauses: at the process limit every process keeps
 * failing forks, and a failing fork still copies the address space under
 * the process's mmap lock (the pids charge comes late in fork), so reading
 * /proc/PID/cmdline of any of them waits.  argv[1] is the test's marker. */
#include <unistd.h>

int main(void)
{
	for (;;)
		fork();
}
