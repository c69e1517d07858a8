/*
 * endpoint.c — the "host:port" allow-list matcher of libdynaudit-sdk
 * (see dynaudit/endpoint.h for what an entry means).
 */
#include <errno.h>
#include <fnmatch.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dynaudit/endpoint.h"

struct entry {
	char *host;         /* fnmatch pattern, brackets removed, ::ffff: unmapped */
	char *port;         /* fnmatch pattern; NULL: unix path entry */
	bool any_interface; /* host names 0.0.0.0 / :: / * itself */
};

struct da_endpoint_list {
	struct entry *v;
	size_t n, cap;
};

struct da_endpoint_list *da_endpoint_list_new(void)
{
	return calloc(1, sizeof(struct da_endpoint_list));
}

void da_endpoint_list_free(struct da_endpoint_list *list)
{
	if (!list)
		return;
	for (size_t i = 0; i < list->n; i++) {
		free(list->v[i].host);
		free(list->v[i].port);
	}
	free(list->v);
	free(list);
}

size_t da_endpoint_list_len(const struct da_endpoint_list *list)
{
	return list ? list->n : 0;
}

bool da_endpoint_is_unix(const char *addr)
{
	return addr && (addr[0] == '/' || addr[0] == '@');
}

bool da_endpoint_split(const char *addr, char *host, size_t hostlen, char *port, size_t portlen)
{
	host[0] = port[0] = '\0';
	if (!addr || !*addr)
		return false;
	if (da_endpoint_is_unix(addr)) {
		snprintf(host, hostlen, "%s", addr);
		return true;
	}
	const char *colon;
	if (addr[0] == '[') {
		const char *close = strchr(addr, ']');
		if (!close)
			return false;
		snprintf(host, hostlen, "%.*s", (int)(close - addr - 1), addr + 1);
		colon = close[1] == ':' ? close + 1 : NULL;
	} else {
		colon = strrchr(addr, ':');
		/* a bare IPv6 address without brackets has several colons */
		if (colon && strchr(addr, ':') != colon)
			colon = NULL;
		snprintf(host, hostlen, "%.*s", colon ? (int)(colon - addr) : (int)strlen(addr), addr);
	}
	if (colon)
		snprintf(port, portlen, "%s", colon + 1);
	return *host != '\0';
}

const char *da_endpoint_unmapped(const char *host)
{
	if (host && strncasecmp(host, "::ffff:", 7) == 0 && strchr(host + 7, '.') &&
	    !strchr(host + 7, ':'))
		return host + 7;
	return host;
}

bool da_endpoint_is_any_interface(const char *host)
{
	return !*host || strcmp(host, "0.0.0.0") == 0 || strcmp(host, "::") == 0 ||
	       strcmp(host, "*") == 0 || strcmp(host, "::ffff:0.0.0.0") == 0;
}

bool da_endpoint_is_loopback(const char *host)
{
	host = da_endpoint_unmapped(host);
	return strncmp(host, "127.", 4) == 0 || strcmp(host, "::1") == 0 ||
	       strcmp(host, "localhost") == 0;
}

static int refuse(char *err, size_t errlen, const char *entry, unsigned flags)
{
	snprintf(err, errlen, "'%s' is not host:port (e.g. 127.0.0.1:5555, *:8080, [::1]:*)%s%s", entry,
		 flags & DA_ENDPOINT_HOST_ALONE ? ", a host alone" : "",
		 flags & DA_ENDPOINT_UNIX ? " or a unix path" : "");
	return -EINVAL;
}

int da_endpoint_list_add(struct da_endpoint_list *list, const char *entry, unsigned flags,
			 char *err, size_t errlen)
{
	char host[256], port[32];
	if (!entry)
		entry = "";
	bool unix_entry = da_endpoint_is_unix(entry);
	if ((unix_entry && !(flags & DA_ENDPOINT_UNIX)) || strlen(entry) >= sizeof(host) ||
	    strpbrk(entry, " \t\n") || !da_endpoint_split(entry, host, sizeof(host), port, sizeof(port)))
		return refuse(err, errlen, entry, flags);
	if (!unix_entry) {
		if (!*port && !(flags & DA_ENDPOINT_HOST_ALONE))
			return refuse(err, errlen, entry, flags);
		if (!*port)
			snprintf(port, sizeof(port), "*");
		if (strspn(port, "0123456789*?[]-!") != strlen(port))
			return refuse(err, errlen, entry, flags);
	}
	if (list->n == list->cap) {
		size_t cap = list->cap ? list->cap * 2 : 8;
		struct entry *v = realloc(list->v, cap * sizeof(*v));
		if (!v)
			goto oom;
		list->v = v;
		list->cap = cap;
	}
	struct entry *e = &list->v[list->n];
	/* "[::ffff:203.0.113.7]:8080" is the IPv4 entry 203.0.113.7:8080 */
	e->host = strdup(unix_entry ? host : da_endpoint_unmapped(host));
	e->port = unix_entry ? NULL : strdup(port);
	if (!e->host || (!unix_entry && !e->port)) {
		free(e->host);
		free(e->port);
		goto oom;
	}
	e->any_interface = !unix_entry && da_endpoint_is_any_interface(host);
	list->n++;
	return 0;
oom:
	snprintf(err, errlen, "out of memory");
	return -ENOMEM;
}

long da_endpoint_match(const struct da_endpoint_list *list, const char *addr)
{
	char buf[256], port[32];
	if (!list || !da_endpoint_split(addr, buf, sizeof(buf), port, sizeof(port)))
		return -1;
	bool unix_addr = da_endpoint_is_unix(addr);
	/* A dual-stack socket (Java, node) reaches 127.0.0.1 as
	 * ::ffff:127.0.0.1: judge the IPv4 address the entry names. */
	const char *host = unix_addr ? buf : da_endpoint_unmapped(buf);
	for (size_t i = 0; i < list->n; i++) {
		const struct entry *e = &list->v[i];
		if (unix_addr != (e->port == NULL))
			continue;
		if (unix_addr) {
			if (fnmatch(e->host, host, 0) == 0)
				return (long)i;
			continue;
		}
		bool host_ok = fnmatch(e->host, host, 0) == 0 ||
			       (strcmp(e->host, "localhost") == 0 && da_endpoint_is_loopback(host)) ||
			       /* an entry for 0.0.0.0 also covers a wildcard written as "*" */
			       (e->any_interface && da_endpoint_is_any_interface(host));
		if (host_ok && fnmatch(e->port, port, 0) == 0)
			return (long)i;
	}
	return -1;
}

bool da_endpoint_port_listed(const struct da_endpoint_list *list, const char *port)
{
	for (size_t i = 0; list && i < list->n; i++)
		if (list->v[i].port && fnmatch(list->v[i].port, port, 0) == 0)
			return true;
	return false;
}

bool da_endpoint_names_any_interface(const struct da_endpoint_list *list, size_t i)
{
	return list && i < list->n && list->v[i].any_interface;
}
