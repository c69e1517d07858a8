/*
 * test_dns_wire.c — the sink resolver's wire parser (core/common/dns_wire.c):
 * real queries parse and are answered; hostile packets (truncated, pointer
 * loops, forward pointers, oversized names, random and mutated bytes) are
 * refused or parsed within bounds, never read past the packet.
 */
#include <criterion/criterion.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "common/dns_wire.h"

/* A query for name (dotted) of type qtype into buf; returns its length. */
static size_t make_query(uint8_t *buf, const char *name, uint16_t qtype)
{
	size_t n = 0;
	const uint8_t hdr[12] = {0x12, 0x34, 0x01, 0x00, 0, 1, 0, 0, 0, 0, 0, 0};
	memcpy(buf, hdr, 12);
	n = 12;
	for (const char *l = name; *l;) {
		size_t len = strcspn(l, ".");
		buf[n++] = (uint8_t)len;
		memcpy(buf + n, l, len);
		n += len;
		l += len;
		if (*l == '.')
			l++;
	}
	buf[n++] = 0;
	buf[n++] = 0;
	buf[n++] = (uint8_t)qtype;
	buf[n++] = 0;
	buf[n++] = 1;
	return n;
}

Test(dns_wire, parses_and_answers_an_a_query)
{
	uint8_t q[512], a[512];
	size_t n = make_query(q, "collector.invalid", 1);
	struct dns_query dq;
	cr_assert_eq(dns_parse_query(q, n, &dq), 0);
	cr_assert_str_eq(dq.name, "collector.invalid");
	cr_assert_eq(dq.qtype, 1);
	cr_assert_eq(dq.id, 0x1234);
	size_t al = dns_build_answer(q, &dq, a, sizeof a);
	cr_assert_eq(al, n + 16);
	cr_assert(a[2] & 0x80, "QR set");
	cr_assert_eq(a[7], 1, "one answer");
	uint32_t ip = (uint32_t)a[al - 4] << 24 | a[al - 3] << 16 | a[al - 2] << 8 | a[al - 1];
	cr_assert_eq(ip, dns_sink_addr("collector.invalid"));
	cr_assert_eq(ip >> 22, (127u << 2) | 1, "in 127.64.0.0/10: %08x", ip);
	cr_assert_eq(dns_sink_addr("Collector.INVALID"), ip, "stable, case-insensitive");
	cr_assert_neq(dns_sink_addr("other.invalid"), ip);
	/* AAAA: an empty NOERROR answer */
	n = make_query(q, "collector.invalid", 28);
	cr_assert_eq(dns_parse_query(q, n, &dq), 0);
	cr_assert_eq(dns_build_answer(q, &dq, a, sizeof a), n);
	cr_assert_eq(a[7], 0);
	cr_assert_eq(a[3] & 0x0f, 0);
}

Test(dns_wire, refuses_malformed_packets)
{
	uint8_t q[600];
	struct dns_query dq;
	size_t n = make_query(q, "a.invalid", 1);
	for (size_t cut = 0; cut < n; cut++)
		cr_assert_eq(dns_parse_query(q, cut, &dq), -1, "truncated at %zu", cut);
	/* a response is not answered */
	q[2] |= 0x80;
	cr_assert_eq(dns_parse_query(q, n, &dq), -1);
	q[2] &= 0x7f;
	/* a pointer to itself, and a forward pointer */
	uint8_t loop[] = {0, 1, 1, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0xc0, 12, 0, 1, 0, 1};
	cr_assert_eq(dns_parse_query(loop, sizeof loop, &dq), -1);
	uint8_t fwd[] = {0, 1, 1, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0xc0, 14, 1, 'a', 0, 0, 1, 0, 1};
	cr_assert_eq(dns_parse_query(fwd, sizeof fwd, &dq), -1);
	/* a name over 255 characters */
	char big[400];
	memset(big, 0, sizeof big);
	for (int i = 0; i < 5; i++)
		strcat(big, i ? ".aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
			      : "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa");
	n = make_query(q, big, 1);
	cr_assert_eq(dns_parse_query(q, n, &dq), -1);
	/* a reserved label type */
	n = make_query(q, "a.invalid", 1);
	q[12] = 0x41;
	cr_assert_eq(dns_parse_query(q, n, &dq), -1);
}

/* Random and mutated packets: whatever parses has a bounded name and a
 * question end inside the packet, and its answer fits the buffer.  Run
 * under the sanitizers of the build, any read past the packet aborts. */
Test(dns_wire, fuzz_random_and_mutated)
{
	uint8_t base[512], pkt[600], ans[512];
	srand(12345);
	size_t bn = make_query(base, "abc.def.collector.invalid", 1);
	for (int iter = 0; iter < 200000; iter++) {
		size_t n;
		if (iter % 2) {
			n = (size_t)rand() % sizeof pkt;
			for (size_t i = 0; i < n; i++)
				pkt[i] = (uint8_t)rand();
			if (n > 4 && iter % 4 == 1) {
				pkt[2] &= 0x7f;
				pkt[4] = 0;
				pkt[5] = 1;
			}
		} else {
			n = bn;
			memcpy(pkt, base, n);
			int flips = 1 + rand() % 6;
			for (int f = 0; f < flips; f++)
				pkt[(size_t)rand() % n] = (uint8_t)rand();
			if (rand() % 3 == 0)
				n = (size_t)rand() % (n + 1);
		}
		/* copy to an exactly sized heap block: ASan sees any over-read */
		uint8_t *exact = malloc(n ? n : 1);
		cr_assert_not_null(exact);
		memcpy(exact, pkt, n);
		struct dns_query dq;
		if (dns_parse_query(exact, n, &dq) == 0) {
			cr_assert_leq(strlen(dq.name), DNS_MAX_NAME);
			cr_assert_leq(dq.qend, n);
			size_t al = dns_build_answer(exact, &dq, ans, sizeof ans);
			cr_assert_leq(al, sizeof ans);
		}
		free(exact);
	}
}
