/*
 * dns_wire.c — see dns_wire.h.  Every read checks the offset against len
 * first; a name's text length is checked before each label is copied.
 */
#include "common/dns_wire.h"

#include <ctype.h>
#include <stdbool.h>
#include <string.h>

static uint16_t get16(const uint8_t *p)
{
	return (uint16_t)(p[0] << 8 | p[1]);
}

static void put16(uint8_t *p, uint16_t v)
{
	p[0] = (uint8_t)(v >> 8);
	p[1] = (uint8_t)v;
}

/* Reads the name at *off; on success *off is past it (past the first
 * pointer when the name jumps). */
static int read_name(const uint8_t *pkt, size_t len, size_t *off, char *out)
{
	size_t pos = *off, n = 0, end = 0;
	int jumps = 0;
	for (;;) {
		if (pos >= len)
			return -1;
		uint8_t l = pkt[pos];
		if ((l & 0xc0) == 0xc0) {
			if (pos + 1 >= len || ++jumps > DNS_MAX_JUMPS)
				return -1;
			size_t to = (size_t)(l & 0x3f) << 8 | pkt[pos + 1];
			if (!end)
				end = pos + 2;
			if (to >= pos) /* only backwards: no loop, no forward tricks */
				return -1;
			pos = to;
			continue;
		}
		if (l & 0xc0) /* 0x40, 0x80: reserved label types */
			return -1;
		if (l == 0) {
			pos++;
			break;
		}
		if (pos + 1 + l > len || n + (n ? 1 : 0) + l > DNS_MAX_NAME)
			return -1;
		if (n)
			out[n++] = '.';
		for (size_t i = 0; i < l; i++) {
			unsigned char c = pkt[pos + 1 + i];
			out[n++] = c > ' ' && c < 0x7f && c != '.' ? (char)c : '?';
		}
		pos += 1 + (size_t)l;
	}
	out[n] = '\0';
	*off = end ? end : pos;
	return 0;
}

int dns_parse_query(const uint8_t *pkt, size_t len, struct dns_query *q)
{
	memset(q, 0, sizeof *q);
	if (!pkt || len < DNS_HEADER)
		return -1;
	q->id = get16(pkt);
	q->flags = get16(pkt + 2);
	if (q->flags & 0x8000) /* QR: a response, never answered */
		return -1;
	if (get16(pkt + 4) < 1)
		return -1;
	size_t off = DNS_HEADER;
	if (read_name(pkt, len, &off, q->name) < 0 || off + 4 > len)
		return -1;
	q->qtype = get16(pkt + off);
	q->qclass = get16(pkt + off + 2);
	q->qend = off + 4;
	return 0;
}

uint32_t dns_sink_addr(const char *name)
{
	uint32_t h = 2166136261u;
	for (const char *p = name; *p; p++) {
		h ^= (uint8_t)tolower((unsigned char)*p);
		h *= 16777619u;
	}
	/* 127.64.0.0/10: 22 host bits; avoid the all-zero and all-one hosts */
	uint32_t host = h & 0x3fffff;
	if (host == 0 || host == 0x3fffff)
		host = 1;
	return (127u << 24) | (64u << 16) | host;
}

size_t dns_build_answer(const uint8_t *pkt, const struct dns_query *q, uint8_t *out, size_t cap)
{
	int a = q->qtype == 1 && q->qclass == 1;
	size_t need = q->qend + (a ? 16 : 0);
	if (q->qend < DNS_HEADER || need > cap)
		return 0;
	memcpy(out, pkt, q->qend);
	/* QR, the opcode and RD kept, AA and RA set, RCODE 0 */
	put16(out + 2, (uint16_t)(0x8000 | (q->flags & 0x7900) | 0x0400 | 0x0080));
	put16(out + 4, 1);
	put16(out + 6, a ? 1 : 0);
	put16(out + 8, 0);
	put16(out + 10, 0);
	if (!a)
		return q->qend;
	uint8_t *r = out + q->qend;
	put16(r, 0xc000 | DNS_HEADER); /* the question's name */
	put16(r + 2, 1);
	put16(r + 4, 1);
	put16(r + 6, 0);
	put16(r + 8, 60);
	put16(r + 10, 4);
	uint32_t ip = dns_sink_addr(q->name);
	r[12] = (uint8_t)(ip >> 24);
	r[13] = (uint8_t)(ip >> 16);
	r[14] = (uint8_t)(ip >> 8);
	r[15] = (uint8_t)ip;
	return need;
}
