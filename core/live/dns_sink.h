/*
 * dns_sink.h — the sandbox's resolver (sandbox.deception.dns: sink).
 *
 * A UDP socket on 127.0.0.53:53 inside the sandbox's network namespace
 * (the sandbox's /etc/resolv.conf names it), served by a thread of
 * dynaudit: every A query is answered with a stable loopback address
 * (dns_wire.h), every other type with an empty NOERROR, and every query
 * is published as DA_EV_SYSCALL_OTHER with syscall "dns_query" (detail:
 * the name, arg[0]: the type, pid 0: the sender is not known) for the
 * detectors (network.dns_tunnel, backdoor.honeytoken).
 *
 * The socket is made by the caller inside the namespace (netns_sockets.h:
 * a helper process that joins it, with or without root) and handed in.  The serving thread handles one
 * datagram at a time, bounded (512-byte answers, at most
 * DNS_SINK_MAX_EVENTS published; later queries answered but counted
 * only), and never blocks on the target: sends are MSG_DONTWAIT.
 */
#ifndef DYNAUDIT_DNS_SINK_H
#define DYNAUDIT_DNS_SINK_H

#include <stddef.h>
#include <stdint.h>

struct bus;
struct dns_sink;

#define DNS_SINK_ADDR "127.0.0.53"
#define DNS_SINK_MAX_EVENTS 4096

/* Serves sock (a UDP socket bound to DNS_SINK_ADDR:53 in the sandbox's
 * namespace; owned from now on, also on failure).  clock gives the event
 * times.  0, or -errno with a reason in err. */
int dns_sink_start(struct dns_sink **out, int sock, struct bus *bus,
		   double (*clock)(void *ctx), void *clock_ctx, char *err, size_t errlen);

/* Queries seen, and those not published (over the cap). */
void dns_sink_counts(const struct dns_sink *s, uint64_t *queries, uint64_t *unpublished);

/* Stops the thread and closes the socket; NULL is fine. */
void dns_sink_stop(struct dns_sink *s);

#endif
