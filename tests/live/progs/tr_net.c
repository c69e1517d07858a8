/* tr_net — destinations and programs the tracer must name correctly.
 *   - sendmmsg to 127.0.0.1:5353 on a UDP socket that already has a local
 *     address (an earlier sendto bound it): the destination is the
 *     message's msg_name, never the socket's own address;
 *   - send() with no address on that unconnected socket fails
 *     (EDESTADDRREQ): it has no destination at all;
 *   - write() and writev() on a UDP socket connected to 127.0.0.1:53: sends
 *     to the peer, and the DNS query they carry is decoded (its name);
 *     a write() to a memfd is no send;
 *   - prctl(PR_SET_NAME) to a kernel thread's name: the name is read;
 *   - fexecve of an empty memfd (fails, ENOEXEC), then of a memfd holding
 *     /bin/true: execveat(fd, "", AT_EMPTY_PATH) runs the memfd, not the cwd.
 */
#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/uio.h>
#include <unistd.h>

static void udp(void)
{
	int s = socket(AF_INET, SOCK_DGRAM, 0);
	struct sockaddr_in a = { .sin_family = AF_INET, .sin_port = htons(5354) };
	inet_pton(AF_INET, "127.0.0.1", &a.sin_addr);
	sendto(s, "x", 1, 0, (struct sockaddr *)&a, sizeof(a));
	a.sin_port = htons(5353);
	char buf[] = "query";
	struct iovec iov = { .iov_base = buf, .iov_len = sizeof(buf) };
	struct mmsghdr m;
	memset(&m, 0, sizeof(m));
	m.msg_hdr.msg_name = &a;
	m.msg_hdr.msg_namelen = sizeof(a);
	m.msg_hdr.msg_iov = &iov;
	m.msg_hdr.msg_iovlen = 1;
	sendmmsg(s, &m, 1, 0);
	send(s, "y", 1, 0);
	close(s);
}

static void dns_by_write(void)
{
	static const unsigned char q[] = { 0x12, 0x34, 1, 0, 0, 1, 0, 0, 0, 0, 0, 0,
		5, 't', 'r', 'n', 'e', 't', 4, 't', 'e', 's', 't', 0, 0, 1, 0, 1 };
	int s = socket(AF_INET, SOCK_DGRAM, 0);
	struct sockaddr_in a = { .sin_family = AF_INET, .sin_port = htons(53) };
	inet_pton(AF_INET, "127.0.0.1", &a.sin_addr);
	if (connect(s, (struct sockaddr *)&a, sizeof(a)) == 0) {
		(void)!write(s, q, sizeof(q));
		struct iovec v[2] = { { (void *)q, 12 }, { (void *)(q + 12), sizeof(q) - 12 } };
		(void)!writev(s, v, 2);
	}
	close(s);
}

int main(void)
{
	udp();
	dns_by_write();
	prctl(PR_SET_NAME, "kworker/0:1-events", 0, 0, 0);
	char name[] = "true";
	char *const argv[] = { name, NULL }, *const envp[] = { NULL };
	int empty = memfd_create("trnet-empty", MFD_CLOEXEC);
	fexecve(empty, argv, envp); /* ENOEXEC */
	int fd = memfd_create("trnet", MFD_CLOEXEC);
	int src = open("/bin/true", O_RDONLY | O_CLOEXEC);
	char chunk[65536];
	ssize_t n;
	while ((n = read(src, chunk, sizeof(chunk))) > 0)
		if (write(fd, chunk, (size_t)n) != n)
			return 2;
	close(src);
	fexecve(fd, argv, envp);
	return 3;
}
