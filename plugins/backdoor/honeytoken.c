/*
 * honeytoken.c — see honeytoken.h.
 *
 * Matching is a plain substring search of each value (20 to 70 random
 * characters) in the text that leaves: no false positive is possible from
 * anything but this audit's decoys.  Not seen: a value transformed before
 * it leaves (base64, encryption, split over several sends), and payloads
 * the tracer does not capture (write(2) on a socket, beyond the captured
 * prefix of a send).
 */
#include "honeytoken.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_TOKENS 16
#define MAX_REPORTED 64

struct token {
	char name[64];
	char value[128];
};

struct bd_honey {
	struct token tok[MAX_TOKENS];
	size_t n_tok;
	char *reported[MAX_REPORTED]; /* "token\ndestination" already reported */
	size_t n_reported;
};

struct bd_honey *bd_honey_new(void)
{
	return calloc(1, sizeof(struct bd_honey));
}

void bd_honey_free(struct bd_honey *h)
{
	if (!h)
		return;
	for (size_t i = 0; i < h->n_reported; i++)
		free(h->reported[i]);
	free(h);
}

bool bd_honey_learn(struct bd_honey *h, const struct da_event *ev)
{
	if (ev->kind != DA_EV_SYSCALL_OTHER || !ev->syscall || strcmp(ev->syscall, "honeytoken") != 0)
		return false;
	/* shorter values could occur by chance: the core never makes them */
	if (!h || h->n_tok >= MAX_TOKENS || !ev->text || !ev->detail || strlen(ev->text) < 16 ||
	    strlen(ev->text) >= sizeof h->tok[0].value)
		return true;
	struct token *t = &h->tok[h->n_tok++];
	snprintf(t->name, sizeof t->name, "%s", ev->detail);
	snprintf(t->value, sizeof t->value, "%s", ev->text);
	return true;
}

/* The first token whose value is in s, or NULL.  DNS names compare
 * without case (resolvers and IDNA encoders may change it). */
static const struct token *find_case(const struct bd_honey *h, const char *s, bool anycase)
{
	if (!s)
		return NULL;
	for (size_t i = 0; i < h->n_tok; i++)
		if (anycase ? strcasestr(s, h->tok[i].value) != NULL : strstr(s, h->tok[i].value) != NULL)
			return &h->tok[i];
	return NULL;
}

static const struct token *find_in(const struct bd_honey *h, const char *s)
{
	return find_case(h, s, false);
}

/* Once per token and destination; false when already said (or full). */
static bool first_time(struct bd_honey *h, const struct token *t, const char *dest)
{
	char key[512];
	snprintf(key, sizeof key, "%s\n%s", t->name, dest);
	for (size_t i = 0; i < h->n_reported; i++)
		if (strcmp(h->reported[i], key) == 0)
			return false;
	if (h->n_reported < MAX_REPORTED) {
		char *k = strdup(key);
		if (k)
			h->reported[h->n_reported++] = k;
	}
	return true;
}

static const char *base_name(const char *p)
{
	const char *s = p ? strrchr(p, '/') : NULL;
	return s ? s + 1 : p ? p : "?";
}

bool bd_honey_check(struct bd_honey *h, const struct da_event *ev, char *msg, size_t msglen)
{
	const struct token *t = NULL;
	char dest[300];

	if (!h || h->n_tok == 0)
		return false;
	switch (ev->kind) {
	case DA_EV_PROC_EXEC: {
		for (int i = 0; i < ev->argc && ev->argv && !t; i++)
			t = find_in(h, ev->argv[i]);
		if (!t)
			return false;
		const char *prog = ev->path ? ev->path : ev->argc > 0 && ev->argv ? ev->argv[0] : "?";
		snprintf(dest, sizeof dest, "%s", base_name(prog));
		if (!first_time(h, t, dest))
			return false;
		snprintf(msg, msglen,
			 "honeytoken %s (a decoy credential planted for this audit) is passed on the command line of %s",
			 t->name, dest);
		return true;
	}
	case DA_EV_NET_SEND:
	case DA_EV_NET_CONNECT:
		if (!(t = find_in(h, ev->detail)) && !(t = find_in(h, ev->addr)))
			return false;
		snprintf(dest, sizeof dest, "%s", ev->addr ? ev->addr : ev->fd_desc ? ev->fd_desc : "a socket");
		if (!first_time(h, t, dest))
			return false;
		snprintf(msg, msglen,
			 "honeytoken %s (a decoy credential planted for this audit) is sent to %s",
			 t->name, dest);
		return true;
	case DA_EV_SYSCALL_OTHER:
		/* bytes the connect sink received: detail is what it kept */
		if (ev->syscall && strcmp(ev->syscall, "sink_data") == 0 && (t = find_in(h, ev->detail)) &&
		    first_time(h, t, ev->addr ? ev->addr : "a sink")) {
			snprintf(msg, msglen, "honeytoken %s (a decoy credential planted for this audit) is sent to %s "
				 "(received by the connect sink)", t->name, ev->addr ? ev->addr : "a sink");
			return true;
		}
		/* a DNS query recorded by the resolver sink: detail is the name */
		if (!ev->syscall || strcmp(ev->syscall, "dns_query") != 0 ||
		    !(t = find_case(h, ev->detail, true)))
			return false;
		snprintf(dest, sizeof dest, "DNS name %.200s", ev->detail);
		if (!first_time(h, t, dest))
			return false;
		snprintf(msg, msglen,
			 "honeytoken %s (a decoy credential planted for this audit) leaves in the %s",
			 t->name, dest);
		return true;
	default:
		return false;
	}
}
