/*
 * rules_eval.c — runs the compiled program for one event, and renders
 * messages.
 *
 * Everything here works on memory that exists before the event arrives:
 * field values borrow from the event or from the context's buffers, the
 * operands were built at init, and addresses are parsed into stack
 * buffers.  So evaluation allocates nothing (tests/rules/test_rules_alloc.c
 * counts it).  Semantics a rules author relies on:
 *   - an absent field (no path on a fork) fails every test but `!=`;
 *   - a list field (argv, ancestor.*) passes when any element passes;
 *     `!=` passes when no element is equal;
 *   - glob is fnmatch without FNM_PATHNAME: '*' also matches '/'.
 */
#include <arpa/inet.h>
#include <fnmatch.h>
#include <stdlib.h>
#include <string.h>

#include "rules.h"

bool rules_parse_cidr(const char *s, struct rcidr *c)
{
	char host[64];
	const char *slash = strchr(s, '/');
	size_t hl = slash ? (size_t)(slash - s) : strlen(s);
	if (hl == 0 || hl >= sizeof(host))
		return false;
	memcpy(host, s, hl);
	host[hl] = '\0';
	memset(c, 0, sizeof(*c));
	if (inet_pton(AF_INET, host, c->addr) == 1)
		c->family = 4;
	else if (inet_pton(AF_INET6, host, c->addr) == 1)
		c->family = 6;
	else
		return false;
	int max = c->family == 4 ? 32 : 128;
	c->prefix = max;
	if (slash) {
		char *end;
		long p = strtol(slash + 1, &end, 10);
		if (!slash[1] || *end || p < 0 || p > max)
			return false;
		c->prefix = (int)p;
	}
	return true;
}

static bool in_cidr(const struct roperand *o, const char *s)
{
	char host[128], port[16];
	uint8_t a[16];
	int fam;
	if (!da_endpoint_split(s, host, sizeof(host), port, sizeof(port)))
		return false;
	const char *h = da_endpoint_unmapped(host);
	if (inet_pton(AF_INET, h, a) == 1)
		fam = 4;
	else if (inet_pton(AF_INET6, h, a) == 1)
		fam = 6;
	else if (inet_pton(AF_INET6, s, a) == 1) /* a bare IPv6 address split at a ':' */
		fam = 6;
	else
		return false;
	for (size_t i = 0; i < o->n_cidrs; i++) {
		const struct rcidr *c = &o->cidrs[i];
		if (c->family != fam)
			continue;
		int bits = c->prefix, byte = 0;
		for (; bits >= 8 && a[byte] == c->addr[byte]; bits -= 8, byte++)
			;
		if (bits >= 8)
			continue;
		uint8_t m = (uint8_t)(0xff00u >> bits);
		if (bits == 0 || (a[byte] & m) == (c->addr[byte] & m))
			return true;
	}
	return false;
}

static bool ends_with(const char *s, const char *suffix)
{
	size_t n = strlen(s), m = strlen(suffix);
	return n >= m && memcmp(s + n - m, suffix, m) == 0;
}

static int cmp_key(const void *key, const void *item)
{
	return strcmp(key, *(const char *const *)item);
}

/* One string against a positive operator. */
static bool test_str(enum rop op, const struct roperand *o, const char *s)
{
	if (!s)
		return false;
	switch (op) {
	case OP_EQ: return strcmp(s, o->strs[0]) == 0;
	case OP_IN: return bsearch(s, o->strs, o->n_strs, sizeof(*o->strs), cmp_key) != NULL;
	case OP_GLOB:
		for (size_t i = 0; i < o->n_strs; i++)
			if (fnmatch(o->strs[i], s, 0) == 0)
				return true;
		return false;
	case OP_CONTAINS:
		for (size_t i = 0; i < o->n_strs; i++)
			if (strstr(s, o->strs[i]))
				return true;
		return false;
	case OP_STARTSWITH:
		for (size_t i = 0; i < o->n_strs; i++)
			if (strncmp(s, o->strs[i], strlen(o->strs[i])) == 0)
				return true;
		return false;
	case OP_ENDSWITH:
		for (size_t i = 0; i < o->n_strs; i++)
			if (ends_with(s, o->strs[i]))
				return true;
		return false;
	case OP_CIDR: return in_cidr(o, s);
	case OP_ENDPOINT: return da_endpoint_match(o->endpoints, s) >= 0;
	default: return false;
	}
}

static bool test_num(enum rop op, const struct roperand *o, int64_t n)
{
	switch (op) {
	case OP_EQ: return n == o->nums[0];
	case OP_NE: return n != o->nums[0];
	case OP_LT: return n < o->nums[0];
	case OP_LE: return n <= o->nums[0];
	case OP_GT: return n > o->nums[0];
	case OP_GE: return n >= o->nums[0];
	case OP_HASBITS: return (n & o->mask) != 0;
	case OP_IN:
		for (size_t i = 0; i < o->n_nums; i++)
			if (n == o->nums[i])
				return true;
		return false;
	default: return false;
	}
}

static bool run_test(const struct ruleset *rs, const struct rinsn *in, struct rctx *ctx)
{
	struct rf_value v;
	rf_get(ctx, in->field, in->argv_idx, &v);
	enum rop op = (enum rop)in->op;
	if (op == OP_EXISTS)
		return v.present;
	if (!v.present)
		return op == OP_NE;
	const struct roperand *o = &rs->prog.operands[in->arg];
	if (in->field->type == RF_NUM && in->argv_idx < 0)
		return test_num(op, o, v.n);
	bool negate = op == OP_NE;
	if (negate)
		op = OP_EQ;
	bool any;
	if (in->field->type == RF_LIST && in->argv_idx < 0) {
		any = false;
		for (int i = 0; i < v.n_list && !any; i++)
			any = test_str(op, o, v.list[i]);
	} else {
		any = test_str(op, o, v.s);
	}
	return negate ? !any : any;
}

bool rules_eval(const struct ruleset *rs, const struct rcond *c, struct rctx *ctx)
{
	bool acc = false;
	const struct rinsn *code = rs->prog.insns;
	for (uint32_t pc = c->start; pc < c->end;) {
		const struct rinsn *in = &code[pc];
		switch (in->code) {
		case I_TEST: acc = run_test(rs, in, ctx); pc++; break;
		case I_NOT: acc = !acc; pc++; break;
		case I_JF: pc = acc ? pc + 1 : in->arg; break;
		case I_JT: pc = acc ? in->arg : pc + 1; break;
		default: return false;
		}
	}
	return acc;
}

const char *rules_render(const struct rtmpl *t, struct rctx *ctx, char *buf, size_t len)
{
	size_t used = 0;
	buf[0] = '\0';
	for (size_t i = 0; i < t->n_parts && used + 1 < len; i++) {
		const struct rtmpl_part *p = &t->parts[i];
		const char *s;
		size_t n;
		char tmp[512];
		if (p->field) {
			struct rf_value v;
			rf_get(ctx, p->field, p->argv_idx, &v);
			s = p->argv_idx >= 0 ? (v.present ? v.s : "") : rf_text(p->field, &v, tmp, sizeof(tmp));
			n = strlen(s);
		} else {
			s = p->lit;
			n = p->lit_len;
		}
		if (n > len - 1 - used)
			n = len - 1 - used;
		memcpy(buf + used, s, n);
		used += n;
		buf[used] = '\0';
	}
	return buf;
}
