/*
 * dns_wire.h — the little of the DNS wire format (RFC 1035) the sink
 * resolver needs: read the question of a query, write its answer.
 *
 * Hostile input: the packet comes from the audited program.  Everything is
 * bounded by the packet length and by the RFC limits (63-byte labels,
 * 255-byte names); compression pointers (legal, if odd, in a question) are
 * followed at most DNS_MAX_JUMPS times and only backwards, so a loop ends.
 * No allocation, no recursion.
 */
#ifndef DYNAUDIT_DNS_WIRE_H
#define DYNAUDIT_DNS_WIRE_H

#include <stddef.h>
#include <stdint.h>

#define DNS_MAX_NAME 255   /* dotted text, without the final dot */
#define DNS_MAX_JUMPS 8
#define DNS_HEADER 12

struct dns_query {
	uint16_t id;
	uint16_t flags;
	uint16_t qtype;          /* 1 A, 28 AAAA ... */
	uint16_t qclass;
	char name[DNS_MAX_NAME + 1]; /* "collector.invalid"; bytes outside [!-~] as '?' */
	size_t qend;             /* offset just past the question */
};

/* Parses the first question of a query.  0, or -1 when pkt is not a
 * well-formed query (a response, no question, truncated, bad name). */
int dns_parse_query(const uint8_t *pkt, size_t len, struct dns_query *q);

/* The sink's address for a name: 127.64.0.0/10 (127.64.0.1 to
 * 127.127.255.254), stable per name (case-insensitive FNV-1a). */
uint32_t dns_sink_addr(const char *name);

/* Writes the answer to q (which came from pkt): the header and question
 * echoed, one A record (ttl 60) for an A question of class IN, no record
 * (NOERROR) for anything else.  Returns its length, 0 when cap is too
 * small. */
size_t dns_build_answer(const uint8_t *pkt, const struct dns_query *q, uint8_t *out, size_t cap);

#endif
