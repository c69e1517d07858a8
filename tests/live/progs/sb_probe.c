/*
 * sb_probe — a target for the sandbox tests: runs each command-line action
 * in order and prints one result line per action on stdout, so a test can
 * ask the sandbox questions from the inside.
 *
 *   status            the Uid, Gid, Groups, Cap..., NoNewPrivs, NSpid lines of /proc/self/status
 *   procs             "procs N N ..." : the pids visible in /proc
 *   env               every environment entry, one "env K=V" line each
 *   cwd               "cwd PATH"
 *   write:PATH        "write PATH ok" or "write PATH ERRNONAME"
 *   exists:PATH       "exists PATH yes|no"
 *   mkdir:PATH        "mkdir PATH ok|ERRNONAME"
 *   ifaces            "iface NAME up|down" for each interface
 *   loopback          listen on 127.0.0.1, connect, "loopback ok|ERRNONAME"
 *   connect:IP:PORT   "connect IP:PORT ok|ERRNONAME" (non-blocking, 2 s cap)
 *   forkloop          fork paused children until fork fails:
 *                     "forkloop N ERRNONAME" (children are then killed)
 *   sleeper           double-fork a sleeping grandchild, then sleep 60 s
 *   hostname          "hostname NAME"
 *   fill:PATH         write 64 KiB blocks until an error (at most 256 MiB):
 *                     "fill PATH BYTES ERRNONAME" (SIGXFSZ ignored)
 *   print:TEXT        "TEXT"
 *   cgroup            "cgroup LINE" for the pids line of /proc/self/cgroup
 *                     ("cgroup none" without one)
 *   memcg             "memcg LINE" for its memory line ("memcg none")
 *   read:PATH         "read PATH TEXT" (the first 4 KiB, NULs as spaces)
 *                     or "read PATH ERRNONAME"
 *   shm:NAME          shm_open(NAME), write 6 bytes: "shm NAME ok|ERRNONAME"
 */
#include <arpa/inet.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <ifaddrs.h>
#include <net/if.h>
#include <netdb.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

extern char **environ;

static const char *errname(int e)
{
	switch (e) {
	case EROFS: return "EROFS";
	case EACCES: return "EACCES";
	case EPERM: return "EPERM";
	case ENOENT: return "ENOENT";
	case EAGAIN: return "EAGAIN";
	case ENETUNREACH: return "ENETUNREACH";
	case ECONNREFUSED: return "ECONNREFUSED";
	case ETIMEDOUT: return "ETIMEDOUT";
	case EXDEV: return "EXDEV";
	case EEXIST: return "EEXIST";
	case EHOSTUNREACH: return "EHOSTUNREACH";
	case EFBIG: return "EFBIG";
	case ENOSPC: return "ENOSPC";
	case EDQUOT: return "EDQUOT";
	default: return "EOTHER";
	}
}

static void status_lines(void)
{
	static const char *const keys[] = { "Uid:", "Gid:", "Groups:", "CapInh:", "CapPrm:", "CapEff:",
					    "CapBnd:", "CapAmb:", "NoNewPrivs:", "NSpid:" };
	char line[512];
	FILE *f = fopen("/proc/self/status", "r");
	if (!f) {
		printf("status %s\n", errname(errno));
		return;
	}
	while (fgets(line, sizeof line, f))
		for (size_t i = 0; i < sizeof keys / sizeof keys[0]; i++)
			if (!strncmp(line, keys[i], strlen(keys[i])))
				fputs(line, stdout);
	fclose(f);
}

static void procs(void)
{
	DIR *d = opendir("/proc");
	struct dirent *de;
	printf("procs");
	while (d && (de = readdir(d)))
		if (de->d_name[0] >= '0' && de->d_name[0] <= '9')
			printf(" %s", de->d_name);
	printf("\n");
	if (d)
		closedir(d);
}

static int connect_to(const char *ip, int port)
{
	struct sockaddr_in sa = { .sin_family = AF_INET, .sin_port = htons((uint16_t)port) };
	inet_pton(AF_INET, ip, &sa.sin_addr);
	int s = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0);
	if (s < 0)
		return errno;
	int e = 0;
	if (connect(s, (struct sockaddr *)&sa, sizeof sa) < 0) {
		e = errno;
		if (e == EINPROGRESS) {
			struct pollfd p = { .fd = s, .events = POLLOUT };
			if (poll(&p, 1, 2000) <= 0) {
				e = ETIMEDOUT;
			} else {
				socklen_t l = sizeof e;
				getsockopt(s, SOL_SOCKET, SO_ERROR, &e, &l);
			}
		}
	}
	close(s);
	return e;
}

static void loopback(void)
{
	struct sockaddr_in sa = { .sin_family = AF_INET };
	socklen_t l = sizeof sa;
	inet_pton(AF_INET, "127.0.0.1", &sa.sin_addr);
	int s = socket(AF_INET, SOCK_STREAM, 0);
	if (s < 0 || bind(s, (struct sockaddr *)&sa, sizeof sa) < 0 || listen(s, 1) < 0 ||
	    getsockname(s, (struct sockaddr *)&sa, &l) < 0) {
		printf("loopback %s\n", errname(errno));
		return;
	}
	int e = connect_to("127.0.0.1", ntohs(sa.sin_port));
	printf("loopback %s\n", e ? errname(e) : "ok");
	close(s);
}

static void forkloop(void)
{
	pid_t kids[4096];
	int n = 0, e = 0;
	while (n < 4096) {
		pid_t p = fork();
		if (p < 0) {
			e = errno;
			break;
		}
		if (p == 0) {
			pause();
			_exit(0);
		}
		kids[n++] = p;
	}
	printf("forkloop %d %s\n", n, e ? errname(e) : "none");
	for (int i = 0; i < n; i++)
		kill(kids[i], SIGKILL);
	for (int i = 0; i < n; i++)
		waitpid(kids[i], NULL, 0);
}

static void sleeper(void)
{
	pid_t p = fork();
	if (p == 0) {
		if (fork() == 0) {
			/* the grandchild: an orphan of the init */
			int nul = open("/dev/null", O_WRONLY);
			dup2(nul, 1);
			dup2(nul, 2);
			sleep(60);
			_exit(0);
		}
		_exit(0);
	}
	waitpid(p, NULL, 0);
	printf("sleeper started\n");
	fflush(stdout);
	int nul = open("/dev/null", O_WRONLY);
	dup2(nul, 1);
	sleep(60);
}

int main(int argc, char **argv)
{
	for (int i = 1; i < argc; i++) {
		const char *a = argv[i];
		errno = 0;
		if (!strcmp(a, "status")) {
			status_lines();
		} else if (!strcmp(a, "procs")) {
			procs();
		} else if (!strcmp(a, "env")) {
			for (char **e = environ; *e; e++)
				printf("env %s\n", *e);
		} else if (!strcmp(a, "cwd")) {
			char buf[4096];
			printf("cwd %s\n", getcwd(buf, sizeof buf) ? buf : "?");
		} else if (!strncmp(a, "write:", 6)) {
			int fd = open(a + 6, O_WRONLY | O_CREAT | O_TRUNC, 0644);
			int e = fd < 0 ? errno : 0;
			if (fd >= 0 && write(fd, "probe\n", 6) != 6)
				e = errno;
			if (fd >= 0)
				close(fd);
			printf("write %s %s\n", a + 6, e ? errname(e) : "ok");
		} else if (!strncmp(a, "exists:", 7)) {
			struct stat st;
			printf("exists %s %s\n", a + 7, lstat(a + 7, &st) == 0 ? "yes" : "no");
		} else if (!strncmp(a, "mkdir:", 6)) {
			printf("mkdir %s %s\n", a + 6, mkdir(a + 6, 0755) == 0 ? "ok" : errname(errno));
		} else if (!strcmp(a, "ifaces")) {
			struct ifaddrs *ifa = NULL, *it;
			if (getifaddrs(&ifa) == 0) {
				for (it = ifa; it; it = it->ifa_next)
					if (it->ifa_addr && it->ifa_addr->sa_family == AF_PACKET)
						printf("iface %s %s\n", it->ifa_name,
						       (it->ifa_flags & IFF_UP) ? "up" : "down");
				freeifaddrs(ifa);
			}
		} else if (!strcmp(a, "loopback")) {
			loopback();
		} else if (!strncmp(a, "connect:", 8)) {
			char ip[64];
			snprintf(ip, sizeof ip, "%s", a + 8);
			char *colon = strrchr(ip, ':');
			int port = colon ? atoi(colon + 1) : 9;
			if (colon)
				*colon = '\0';
			int e = connect_to(ip, port);
			printf("connect %s %s\n", a + 8, e ? errname(e) : "ok");
		} else if (!strcmp(a, "nproc")) {
			struct rlimit rl;
			getrlimit(RLIMIT_NPROC, &rl);
			if (rl.rlim_cur == RLIM_INFINITY)
				printf("nproc unlimited\n");
			else
				printf("nproc %llu\n", (unsigned long long)rl.rlim_cur);
		} else if (!strcmp(a, "cgroup") || !strcmp(a, "memcg")) {
			char line[512];
			bool found = false;
			const char *ctl = !strcmp(a, "cgroup") ? ":pids:" : ":memory:";
			FILE *f = fopen("/proc/self/cgroup", "r");
			while (f && fgets(line, sizeof line, f))
				if (strstr(line, ctl) || !strncmp(line, "0::", 3)) {
					line[strcspn(line, "\n")] = '\0';
					printf("%s %s\n", a, line);
					found = true;
					break;
				}
			if (f)
				fclose(f);
			if (!found)
				printf("%s none\n", a);
		} else if (!strcmp(a, "forkloop")) {
			forkloop();
		} else if (!strcmp(a, "sleeper")) {
			sleeper();
		} else if (!strcmp(a, "hostname")) {
			char h[256] = "";
			gethostname(h, sizeof h - 1);
			printf("hostname %s\n", h);
		} else if (!strcmp(a, "resolvehost")) {
			/* its own name must resolve without DNS (there is none) */
			char h[256] = "", ip[64] = "";
			gethostname(h, sizeof h - 1);
			struct addrinfo hints = { .ai_family = AF_INET, .ai_socktype = SOCK_STREAM }, *res = NULL;
			int rc = getaddrinfo(h, NULL, &hints, &res);
			if (rc == 0 && res)
				inet_ntop(AF_INET, &((struct sockaddr_in *)res->ai_addr)->sin_addr, ip, sizeof ip);
			printf("resolvehost %s\n", rc == 0 ? ip : gai_strerror(rc));
			if (res)
				freeaddrinfo(res);
		} else if (!strncmp(a, "fill:", 5)) {
			static char block[65536];
			long long total = 0;
			int e = 0;
			signal(SIGXFSZ, SIG_IGN);
			int fd = open(a + 5, O_WRONLY | O_CREAT | O_TRUNC, 0644);
			if (fd < 0)
				e = errno;
			while (fd >= 0 && total < (256LL << 20)) {
				ssize_t n = write(fd, block, sizeof block);
				if (n <= 0) {
					e = n < 0 ? errno : EIO;
					break;
				}
				total += n;
			}
			if (fd >= 0)
				close(fd);
			unlink(a + 5);
			printf("fill %s %lld %s\n", a + 5, total, e ? errname(e) : "none");
		} else if (!strncmp(a, "read:", 5)) {
			char buf[4097];
			int fd = open(a + 5, O_RDONLY);
			ssize_t n = fd < 0 ? -1 : read(fd, buf, sizeof buf - 1);
			int e = errno;
			if (fd >= 0)
				close(fd);
			for (ssize_t k = 0; k < n; k++)
				if (buf[k] == '\0' || buf[k] == '\n')
					buf[k] = ' ';
			if (n >= 0)
				buf[n] = '\0';
			printf("read %s %s\n", a + 5, n >= 0 ? buf : errname(e));
		} else if (!strncmp(a, "shm:", 4)) {
			int fd = shm_open(a + 4, O_RDWR | O_CREAT | O_TRUNC, 0600);
			int e = fd < 0 ? errno : 0;
			if (fd >= 0 && write(fd, "probe\n", 6) != 6)
				e = errno;
			if (fd >= 0)
				close(fd);
			printf("shm %s %s\n", a + 4, e ? errname(e) : "ok");
		} else if (!strncmp(a, "print:", 6)) {
			printf("%s\n", a + 6);
		} else {
			printf("unknown %s\n", a);
		}
		fflush(stdout);
	}
	return 0;
}
