/*
 * netns_sockets.h — sockets bound inside the sandbox's network namespace,
 * made by a small unprivileged helper process.
 *
 * The deception sinks (dns_sink.h, connect_sink.h) listen at addresses of
 * the sandbox's namespace, but dynaudit itself stays in the host's: a
 * socket belongs to the namespace of the process that created it, and
 * keeps it wherever its fd goes.  So a helper process enters the
 * namespace once and, on request, creates and binds a socket there and
 * hands the fd back over a unix socketpair (SCM_RIGHTS).  dynaudit then
 * reads and writes the socket itself.
 *
 * Why a process, not a thread: without root, entering the namespace needs
 * the user namespace that owns it first, and a multi-threaded process may
 * not setns() into a user namespace (a forked child may).  With root the
 * same path is taken, so both modes run the same code.
 *
 * The helper is started by a double fork (the run loop's tracer reaps with
 * waitpid(-1): the helper must not be dynaudit's child), closes every fd
 * but its end of the socketpair, drops to nobody with only
 * CAP_NET_BIND_SERVICE (root mode; a sink may need port 80), sets
 * no_new_privs, and exits when the socketpair closes.  It only ever reads
 * fixed-size requests from dynaudit; it never sees a byte of the target's.
 */
#ifndef DYNAUDIT_NETNS_SOCKETS_H
#define DYNAUDIT_NETNS_SOCKETS_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/socket.h>
#include <sys/types.h>

struct netns_sockets;

/* Starts the helper in netns_fd's namespace; via_userns: first join the
 * user namespace of init_pid (dynaudit is not root).  0 or -errno with a
 * reason in err. */
int netns_sockets_start(struct netns_sockets **out, pid_t init_pid, int netns_fd, bool via_userns,
			char *err, size_t errlen);

/* A non-blocking, close-on-exec socket of type (SOCK_STREAM: listening,
 * backlog 16; SOCK_DGRAM) bound to sa inside the namespace: its fd, or
 * -errno (EADDRINUSE: something holds the address already).  Thread-safe
 * (one request at a time). */
int netns_sockets_bind(struct netns_sockets *h, int type, const struct sockaddr *sa,
		       socklen_t salen);

/* Ends the helper; NULL is fine. */
void netns_sockets_stop(struct netns_sockets *h);

#endif
