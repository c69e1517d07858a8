/*
 * connect_sink.h — sandbox.deception.connect: sink.  A connect (or a UDP
 * send) to a loopback address and port nobody listens on is accepted by a
 * socket dynaudit opens just in time, so the target goes on as if it had
 * reached its server: a reverse shell reaches its exec, an exfiltration
 * shows its bytes.
 *
 * When: the tracer calls connect_sink_at_call() at the seccomp stop of a
 * connect, of a sendto/sendmsg naming an address, and of a bind, before
 * the call runs.  For a connect or send to 127.0.0.0/8 or ::1 (port not
 * 0), the socket's type is read from the target's fd (pidfd_getfd), and
 * a listening TCP socket or a bound UDP socket is made at that address in
 * the sandbox's namespace (netns_sockets.h: the bind fails when anything
 * holds the address, and then nothing is done).  The target's connect,
 * resumed right after, finds a listener with a backlog.  A bind by the
 * target to a port a sink holds releases that sink first (the target's
 * own server starting after its client tried it must still work), its
 * connections closed with a reset so no TIME_WAIT keeps the port.
 *
 * What: one thread polls the sink sockets, accepts, and reads.  Each
 * connection (or datagram) keeps its first CONNECT_SINK_KEEP bytes (more
 * is read and counted, never kept) and is published when it ends, when
 * the cap is reached, or when the sink stops: DA_EV_SYSCALL_OTHER with
 * syscall "sink_data", pid 0, addr/port the sink's address, sock_type,
 * detail the kept bytes with non-printable bytes as \xNN, arg[0] the bytes
 * kept, arg[1] all bytes received, arg[2] the connection's number, text a
 * printable preview plus a hex dump of the first bytes.  Opening a sink
 * is published too (syscall "sink_open").  Nothing is sent back, except
 * one answer where a client waits for its protocol's first reply: an
 * HTTP request gets "200 OK" with an empty body, a TLS ClientHello a
 * handshake_failure alert.
 *
 * Bounds (the target controls every byte): CONNECT_SINK_LISTENERS sinks,
 * CONNECT_SINK_CONNS connections open at once (more are accepted and
 * closed at once, counted), CONNECT_SINK_EVENTS events, all sockets
 * non-blocking, sends MSG_DONTWAIT.
 */
#ifndef DYNAUDIT_CONNECT_SINK_H
#define DYNAUDIT_CONNECT_SINK_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

struct bus;
struct netns_sockets;
struct connect_sink;

#define CONNECT_SINK_KEEP (64 * 1024)
#define CONNECT_SINK_LISTENERS 64
#define CONNECT_SINK_CONNS 64
#define CONNECT_SINK_EVENTS 1024

/* Starts the thread; sockets come from ns (not owned).  0 or -errno. */
int connect_sink_start(struct connect_sink **out, struct netns_sockets *ns, struct bus *bus,
		       double (*clock)(void *ctx), void *clock_ctx, char *err, size_t errlen);

/* At a stopped call of host process tgid on its fd: is_bind false for a
 * connect or a send to sa, true for a bind to sa.  NULL s is fine. */
void connect_sink_at_call(struct connect_sink *s, bool is_bind, pid_t tgid, int fd, const void *sa,
			  size_t salen);

/* Sinks opened, connections accepted, and those not recorded (caps). */
void connect_sink_counts(const struct connect_sink *s, uint64_t *sinks, uint64_t *conns,
			 uint64_t *unrecorded);

/* Is ino (a socket inode from a socket snapshot) one of the sink's own
 * listeners or connections?  They are dynaudit's, not the target's, and
 * must not be judged.  Thread-safe; NULL s is fine. */
bool connect_sink_owns(struct connect_sink *s, uint64_t ino);

/* Publishes what is still kept, stops the thread, closes everything. */
void connect_sink_stop(struct connect_sink *s);

/* For tests and the fuzzer: the preview text of a sink_data event for
 * data (len bytes) into out (always NUL-terminated). */
void connect_sink_preview(const uint8_t *data, size_t len, char *out, size_t outlen);
/* The protocol answer for the first bytes of a connection: the bytes to
 * send, or NULL when none is due (yet). */
const char *connect_sink_answer(const uint8_t *data, size_t len, size_t *answer_len);

#endif
