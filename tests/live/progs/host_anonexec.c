/* Target: machine code copied into anonymous memory made executable
 * (mprotect PROT_READ|PROT_EXEC), then called.  argv[1] says where the
 * code comes from:
 *   serve   received on a loopback TCP port (argv[2]) from a client (the
 *           audit's driver): a stager's download;
 *   file    written to /tmp, read back (a dropped payload);
 *   jit     generated in place, as a JIT does; it also writes and reads
 *           a temp data file and receives unrelated bytes (benign: the
 *           chain's parts without the code passing through them).
 * Prints "code returned 42".  The last argument is the test's marker.
 * x86-64 only. */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

/* 40 nops, mov eax, 42, ret */
static unsigned char code[47];

static void make_code(void)
{
	memset(code, 0x90, 40);
	static const unsigned char tail[] = {0xb8, 0x2a, 0x00, 0x00, 0x00, 0xc3, 0x90};
	memcpy(code + 40, tail, sizeof tail);
}

/* A child serves buf on a loopback port; the parent receives it in got. */
static ssize_t loopback(const void *buf, size_t len, void *got, size_t cap)
{
	int ls = socket(AF_INET, SOCK_STREAM, 0);
	struct sockaddr_in a = {.sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
	socklen_t al = sizeof a;
	if (ls < 0 || bind(ls, (struct sockaddr *)&a, sizeof a) < 0 || listen(ls, 1) < 0 ||
	    getsockname(ls, (struct sockaddr *)&a, &al) < 0)
		return -1;
	pid_t pid = fork();
	if (pid == 0) {
		int c = accept(ls, NULL, NULL);
		if (c >= 0 && send(c, buf, len, 0) == (ssize_t)len)
			_exit(0);
		_exit(1);
	}
	int s = socket(AF_INET, SOCK_STREAM, 0);
	if (s < 0 || connect(s, (struct sockaddr *)&a, sizeof a) < 0)
		return -1;
	ssize_t n = 0, r;
	while ((size_t)n < cap && (r = recv(s, (char *)got + n, cap - (size_t)n, 0)) > 0)
		n += r;
	close(s);
	close(ls);
	waitpid(pid, NULL, 0);
	return n;
}

/* Listen on 127.0.0.1:port, receive what the first client sends. */
static ssize_t serve(int port, void *got, size_t cap)
{
	int ls = socket(AF_INET, SOCK_STREAM, 0), one = 1;
	struct sockaddr_in a = {.sin_family = AF_INET, .sin_port = htons((uint16_t)port),
				.sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
	setsockopt(ls, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
	if (ls < 0 || bind(ls, (struct sockaddr *)&a, sizeof a) < 0 || listen(ls, 1) < 0)
		return -1;
	int c = accept(ls, NULL, NULL);
	ssize_t n = 0, r;
	while (c >= 0 && (size_t)n < cap && (r = recv(c, (char *)got + n, cap - (size_t)n, 0)) > 0)
		n += r;
	return n;
}

static ssize_t through_file(const void *buf, size_t len, void *got, size_t cap)
{
	const char *path = "/tmp/.cache.bin";
	FILE *f = fopen(path, "wb");
	if (!f || fwrite(buf, 1, len, f) != len || fclose(f) != 0)
		return -1;
	f = fopen(path, "rb");
	if (!f)
		return -1;
	size_t n = fread(got, 1, cap, f);
	fclose(f);
	return (ssize_t)n;
}

int main(int argc, char **argv)
{
	const char *mode = argc > 1 ? argv[1] : "jit";
	make_code();
	unsigned char *mem = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (mem == MAP_FAILED)
		return 2;
	ssize_t n;
	if (strcmp(mode, "serve") == 0) {
		n = serve(argc > 2 ? atoi(argv[2]) : 5556, mem, sizeof code);
	} else if (strcmp(mode, "file") == 0) {
		n = through_file(code, sizeof code, mem, sizeof code);
	} else {
		char data[64], back[64];
		memset(data, 'd', sizeof data);
		if (through_file(data, sizeof data, back, sizeof back) < 0 ||
		    loopback("hello, this is just some data\n", 30, back, sizeof back) < 0)
			return 3;
		memcpy(mem, code, sizeof code);
		mem[0] = 0x55; /* push rbp; pop rbp: not the bytes that came in */
		mem[1] = 0x5d;
		n = sizeof code;
	}
	if (n != (ssize_t)sizeof code) {
		fprintf(stderr, "got %zd bytes\n", n);
		return 4;
	}
	if (mprotect(mem, 4096, PROT_READ | PROT_EXEC) < 0)
		return 5;
	int (*fn)(void) = (int (*)(void))mem;
	printf("code returned %d\n", fn());
	return 0;
}
