/*
 * dynaudit/endpoint.h — one matcher for "host:port" allow-lists
 * (libdynaudit-sdk).
 *
 * Every detector that lets an assignment allow an endpoint (network's
 * allow_connect / allow_listen, backdoor's allow_connect, a team's own)
 * parses and matches the entries here, so that one entry means the same
 * thing to all of them.  An entry is
 *
 *     HOST:PORT      "127.0.0.1:5555", "203.0.113.7:8080", "*:443"
 *     [IPV6]:PORT    "[::1]:*", "[2001:db8::1]:80"
 *     HOST           any port (only with DA_ENDPOINT_HOST_ALONE)
 *     /path, @name   a unix socket (only with DA_ENDPOINT_UNIX)
 *
 * HOST and PORT are shell globs (fnmatch) matched separately.  The host
 * "localhost" matches every loopback address (127.0.0.0/8, ::1 and
 * ::ffff:127.x).  An IPv4-mapped IPv6 address (::ffff:a.b.c.d, how a
 * dual-stack socket of Java or node reaches an IPv4 peer) is the IPv4
 * address a.b.c.d, both in an entry and in the address matched.  An entry
 * naming all interfaces (0.0.0.0, ::, *) also matches the other spellings
 * of "all interfaces".
 *
 * Every function below is documented in the same order: arguments, return
 * value, ownership, threading.  The library keeps no global state: every
 * function may run on any thread; a list must not be changed while another
 * thread matches against it.
 */
#ifndef DYNAUDIT_ENDPOINT_H
#define DYNAUDIT_ENDPOINT_H

#include <stdbool.h>
#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

/* Flags of da_endpoint_list_add. */
#define DA_ENDPOINT_UNIX 0x1       /* accept unix socket paths ("/x", "@x") */
#define DA_ENDPOINT_HOST_ALONE 0x2 /* accept "HOST" without a port: any port */

/* An allow-list: opaque, grows with da_endpoint_list_add. */
struct da_endpoint_list;

/*
 * da_endpoint_list_new — an empty list.
 * Arguments: none.
 * Returns: the list, or NULL when out of memory.
 * Ownership: the caller frees it with da_endpoint_list_free.
 * Threading: any thread.
 */
struct da_endpoint_list *da_endpoint_list_new(void);

/*
 * da_endpoint_list_free — frees a list and its entries.
 * Arguments: list (NULL is fine).
 * Returns: nothing.
 * Ownership: list is gone afterwards.
 * Threading: no other thread may use the list meanwhile.
 */
void da_endpoint_list_free(struct da_endpoint_list *list);

/*
 * da_endpoint_list_add — parses one entry and appends it.
 * Arguments: list; entry, the text of the entry (see the top of this
 *   file); flags, DA_ENDPOINT_* bits; err[errlen], where a refusal is
 *   explained ("'x' is not host:port (e.g. ...)"), without file:line (the
 *   caller knows where the entry came from and prefixes it).
 * Returns: 0; -EINVAL when entry is not an endpoint the flags accept (err
 *   says why); -ENOMEM.
 * Ownership: entry is copied; the caller keeps it.
 * Threading: no other thread may use the list meanwhile.
 */
int da_endpoint_list_add(struct da_endpoint_list *list, const char *entry, unsigned flags,
			 char *err, size_t errlen);

/*
 * da_endpoint_list_len — the number of entries.
 * Arguments: list (NULL: an empty list).
 * Returns: the count.
 * Ownership: nothing changes hands.
 * Threading: any thread.
 */
size_t da_endpoint_list_len(const struct da_endpoint_list *list);

/*
 * da_endpoint_match — the first entry that allows addr.
 * Arguments: list (NULL: an empty list); addr, an address as the events
 *   spell it: "1.2.3.4:80", "[::ffff:1.2.3.4]:80", "/run/x.sock", "@x".
 * Returns: the index of the first matching entry, or -1 (also for text
 *   that is no address).  Unix addresses match only unix entries.
 * Ownership: addr is only read.
 * Threading: any thread.
 */
long da_endpoint_match(const struct da_endpoint_list *list, const char *addr);

/*
 * da_endpoint_port_listed — does any host:port entry allow this port on
 *   some host?  (0.0.0.0:5555 when only 127.0.0.1:5555 is allowed: the port
 *   is expected, the exposure on all interfaces is not.)
 * Arguments: list (NULL: empty); port, decimal text ("5555").
 * Returns: true when some entry's port pattern matches.
 * Ownership: port is only read.
 * Threading: any thread.
 */
bool da_endpoint_port_listed(const struct da_endpoint_list *list, const char *port);

/*
 * da_endpoint_names_any_interface — does entry i itself name all
 *   interfaces (0.0.0.0, ::, *)?
 * Arguments: list; i, an index below da_endpoint_list_len.
 * Returns: true or false (false for a bad index).
 * Ownership: nothing changes hands.
 * Threading: any thread.
 */
bool da_endpoint_names_any_interface(const struct da_endpoint_list *list, size_t i);

/*
 * da_endpoint_split — splits an address into host and port text.
 * Arguments: addr ("1.2.3.4:80", "[::1]:80", "::1", "/x", "@x");
 *   host[hostlen] receives the host without IPv6 brackets (a unix path
 *   whole); port[portlen] the port ("" when there is none).
 * Returns: true, or false for empty text or an unclosed bracket.
 * Ownership: the caller owns both buffers; the text is truncated to fit.
 * Threading: any thread.
 */
bool da_endpoint_split(const char *addr, char *host, size_t hostlen, char *port, size_t portlen);

/*
 * da_endpoint_unmapped — the IPv4 address inside an IPv4-mapped one.
 * Arguments: host, without brackets ("::ffff:1.2.3.4", "1.2.3.4", "::1").
 * Returns: a pointer into host past "::ffff:" when host is IPv4-mapped,
 *   else host itself.
 * Ownership: the result points into host.
 * Threading: any thread.
 */
const char *da_endpoint_unmapped(const char *host);

/*
 * da_endpoint_is_loopback — 127.0.0.0/8, ::1, ::ffff:127.x or "localhost".
 * Arguments: host, without brackets or port.
 * Returns: true or false.
 * Ownership / threading: only reads host; any thread.
 */
bool da_endpoint_is_loopback(const char *host);

/*
 * da_endpoint_is_any_interface — "", 0.0.0.0, ::, * or ::ffff:0.0.0.0.
 * Arguments: host, without brackets or port.
 * Returns: true or false.
 * Ownership / threading: only reads host; any thread.
 */
bool da_endpoint_is_any_interface(const char *host);

/*
 * da_endpoint_is_unix — "/path" or "@abstract".
 * Arguments: addr (NULL: false).
 * Returns: true or false.
 * Ownership / threading: only reads addr; any thread.
 */
bool da_endpoint_is_unix(const char *addr);

#ifdef __cplusplus
}
#endif

#endif
