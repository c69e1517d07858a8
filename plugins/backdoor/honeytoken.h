/*
 * honeytoken.h — the honeytoken part of detector "backdoor"
 * (rule backdoor.honeytoken), compiled into backdoor.so.
 *
 * The live core plants decoy credentials (sandbox.deception.honeytokens)
 * and announces each value as a DA_EV_SYSCALL_OTHER event with syscall
 * "honeytoken" (detail: the token's name, text: its value).  Any later
 * event that carries one of those values out of the process is
 * exfiltration of a credential, proven rather than inferred: the value
 * is random and unique to this audit.  Watched: exec argv (a child's
 * command line, `curl -d KEY`), send payloads the tracer captured (the
 * NET_SEND event's detail), DNS names looked up (a DNS event's detail).
 */
#ifndef DYNAUDIT_BACKDOOR_HONEYTOKEN_H
#define DYNAUDIT_BACKDOOR_HONEYTOKEN_H

#include <stdbool.h>
#include <stddef.h>

#include "dynaudit/event.h"

struct bd_honey;

struct bd_honey *bd_honey_new(void);
void bd_honey_free(struct bd_honey *h);

/* Learns a token from a "honeytoken" event; true when ev was one. */
bool bd_honey_learn(struct bd_honey *h, const struct da_event *ev);

/* When ev carries a known value out, writes the finding's message (naming
 * the token and where it goes) and returns true, once per token and
 * destination. */
bool bd_honey_check(struct bd_honey *h, const struct da_event *ev, char *msg, size_t msglen);

#endif
