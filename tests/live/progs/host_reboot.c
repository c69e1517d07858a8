/* Hostile target: asks the kernel to reboot (the harmless "Ctrl-Alt-Del
 * off" command) and renames the machine (sethostname, setdomainname). */
#include <linux/reboot.h>
#include <stdio.h>
#include <sys/syscall.h>
#include <unistd.h>

int main(void)
{
	long r = syscall(SYS_reboot, LINUX_REBOOT_MAGIC1, LINUX_REBOOT_MAGIC2, LINUX_REBOOT_CMD_CAD_OFF, 0);
	int h = sethostname("pwned", 5);
	int d = setdomainname("evil.example", 12);
	printf("reboot = %ld, sethostname = %d, setdomainname = %d\n", r, h, d);
	return 0;
}
