/*
 * dns.h — the names a run looks up, judged (part of detector
 * "network", compiled into network.so).
 *
 * Names arrive from the sink resolver (sandbox.deception.dns: sink) as
 * DA_EV_SYSCALL_OTHER events with syscall "dns_query" and the name in
 * detail.  Rules:
 *   network.dns_query   info  a name looked up (one finding per distinct
 *        name, the first ND_MAX_NAMES; later ones are counted in the last).
 *   network.dns_tunnel  high  a name that carries data: a label longer than
 *        40 characters, a label of 16+ characters with the character
 *        entropy of encoded data (>= 3.5 bits per character over hex,
 *        base32 or base64 alphabets), or more than 10 distinct names under
 *        one parent domain (the last two labels): one finding per parent.
 */
#ifndef DYNAUDIT_NETWORK_DNS_H
#define DYNAUDIT_NETWORK_DNS_H

#include <stdbool.h>
#include <stddef.h>

struct nd_state;

#define ND_MAX_NAMES 32

struct nd_state *nd_new(void);
void nd_free(struct nd_state *s);

/* What one query shows.  The strings point into s (valid until the next
 * call). */
struct nd_verdict {
	bool first_seen;         /* a new name: report it (network.dns_query) */
	bool tunnel;             /* report network.dns_tunnel */
	const char *why;         /* "a 60-character label", "12 distinct names under x.invalid" */
};

void nd_judge(struct nd_state *s, const char *name, struct nd_verdict *v);

#endif
