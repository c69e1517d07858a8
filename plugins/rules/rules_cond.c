/*
 * rules_cond.c — the condition language, compiled into the flat program.
 *
 *   cond    := or
 *   or      := and ('or' and)*
 *   and     := unary ('and' unary)*
 *   unary   := 'not' unary | '(' cond ')' | MACRO | test
 *   test    := FIELD OP value | FIELD 'exists'
 *   OP      := = != < <= > >= in glob contains startswith endswith
 *              hasbits cidr endpoint
 *   value   := WORD | "quoted" | LIST | '(' item (',' item)* ')'
 *
 * The parser emits code as it goes (no tree): a test sets the
 * accumulator, `and` jumps to its end when the accumulator is false, `or`
 * when it is true, `not` flips it; so evaluation short-circuits and needs
 * no stack.  Macros are compiled in place where they are used (with a
 * depth limit that also catches a macro using itself); list names expand
 * to their items.  Each test is typed against its field at compile time,
 * so a type mismatch is an error at file:line:column, never a silent
 * false at run time.  Alongside the code each sub-condition yields the
 * event kinds it can match, so a rule is skipped without running it for
 * the other kinds.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "rules.h"

enum tok_type { T_END, T_LP, T_RP, T_COMMA, T_OP, T_WORD, T_STR, T_BAD };

struct tok {
	enum tok_type type;
	size_t off, len;             /* in the text (T_STR: without quotes) */
	size_t at;                   /* where the token starts (for errors) */
};

struct pstate {
	struct ruleset *rs;
	const char *text;
	size_t n, pos;
	const char *file;
	int line, col, col_step;
	struct rerr *err;
	int depth, macro_depth;
	struct tok cur;
};

typedef uint64_t kmask[DA_EVMASK_WORDS];

static void mask_all(kmask m)
{
	m[0] = m[1] = ~(uint64_t)0;
}

static int fail_at(struct pstate *ps, size_t at, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
static int fail_at(struct pstate *ps, size_t at, const char *fmt, ...)
{
	int line = ps->line, col = ps->col;
	size_t last_nl = 0;
	bool nl = false;
	for (size_t i = 0; i < at && i < ps->n; i++)
		if (ps->text[i] == '\n') {
			line++;
			last_nl = i + 1;
			nl = true;
		}
	if (nl || !ps->col_step)
		col = ps->col + (int)(at - last_nl);
	else
		col = ps->col + (int)at;
	va_list ap;
	va_start(ap, fmt);
	int rc = rerr_vat(ps->err, ps->file, line, col, fmt, ap);
	va_end(ap);
	return rc;
}

static bool word_char(char c)
{
	return c && !strchr(" \t\r\n(),=!<>\"'", c);
}

static void next(struct pstate *ps)
{
	const char *t = ps->text;
	while (ps->pos < ps->n && strchr(" \t\r\n", t[ps->pos]))
		ps->pos++;
	struct tok *k = &ps->cur;
	k->at = k->off = ps->pos;
	k->len = 0;
	if (ps->pos >= ps->n) {
		k->type = T_END;
		return;
	}
	char c = t[ps->pos];
	if (c == '(' || c == ')' || c == ',') {
		k->type = c == '(' ? T_LP : c == ')' ? T_RP : T_COMMA;
		k->len = 1;
		ps->pos++;
	} else if (strchr("=!<>", c)) {
		k->type = T_OP;
		size_t l = (ps->pos + 1 < ps->n && t[ps->pos + 1] == '=') ? 2 : 1;
		k->len = l;
		ps->pos += l;
		if (c == '!' && l == 1)
			k->type = T_BAD;
	} else if (c == '"' || c == '\'') {
		size_t e = ps->pos + 1;
		while (e < ps->n && t[e] != c && t[e] != '\n')
			e++;
		if (e >= ps->n || t[e] != c) {
			k->type = T_BAD;
			k->len = 1;
			ps->pos = ps->n;
			return;
		}
		k->type = T_STR;
		k->off = ps->pos + 1;
		k->len = e - ps->pos - 1;
		ps->pos = e + 1;
	} else {
		size_t e = ps->pos;
		while (e < ps->n && word_char(t[e]))
			e++;
		k->type = e > ps->pos ? T_WORD : T_BAD;
		k->len = e > ps->pos ? e - ps->pos : 1;
		ps->pos = e > ps->pos ? e : ps->pos + 1;
	}
}

static bool is_word(const struct pstate *ps, const char *w)
{
	return ps->cur.type == T_WORD && strlen(w) == ps->cur.len &&
	       memcmp(ps->text + ps->cur.off, w, ps->cur.len) == 0;
}

/* ---- code ----------------------------------------------------------------- */

static int emit(struct pstate *ps, struct rinsn in, size_t *at)
{
	struct rprog *p = &ps->rs->prog;
	if (p->n_insns >= RULES_MAX_INSNS)
		return fail_at(ps, ps->cur.at, "the rules are too large (more than %d tests)",
			       RULES_MAX_INSNS);
	if (p->n_insns == p->cap_insns) {
		size_t cap = p->cap_insns ? p->cap_insns * 2 : 256;
		struct rinsn *ni = realloc(p->insns, cap * sizeof(*ni));
		if (!ni)
			return -ENOMEM;
		p->insns = ni;
		p->cap_insns = cap;
	}
	if (at)
		*at = p->n_insns;
	p->insns[p->n_insns++] = in;
	return 0;
}

static struct roperand *new_operand(struct pstate *ps, uint32_t *index)
{
	struct rprog *p = &ps->rs->prog;
	if (p->n_operands == p->cap_operands) {
		size_t cap = p->cap_operands ? p->cap_operands * 2 : 64;
		struct roperand *no = realloc(p->operands, cap * sizeof(*no));
		if (!no)
			return NULL;
		p->operands = no;
		p->cap_operands = cap;
	}
	*index = (uint32_t)p->n_operands;
	struct roperand *o = &p->operands[p->n_operands++];
	memset(o, 0, sizeof(*o));
	return o;
}

/* ---- operands --------------------------------------------------------------- */

static const struct rlist *find_list(const struct ruleset *rs, const char *s, size_t len)
{
	for (size_t i = 0; i < rs->n_lists; i++)
		if (strlen(rs->lists[i].name) == len && memcmp(rs->lists[i].name, s, len) == 0)
			return &rs->lists[i];
	return NULL;
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* Collect the value of a test as strings (with where each came from). */
struct items {
	const char *s[256];
	size_t at[256];
	size_t n;
	const struct rlist *lists[64];
	size_t n_lists;
};

static int add_item(struct pstate *ps, struct items *it, const char *s, size_t at)
{
	if (it->n >= sizeof(it->s) / sizeof(it->s[0]))
		return fail_at(ps, at, "too many values in one test (at most 256; use a list)");
	it->s[it->n] = s;
	it->at[it->n++] = at;
	return 0;
}

static int read_item(struct pstate *ps, struct items *it, bool lists_ok)
{
	struct tok k = ps->cur;
	if (k.type == T_BAD && (ps->text[k.at] == '"' || ps->text[k.at] == '\''))
		return fail_at(ps, k.at, "unterminated quoted string");
	if (k.type != T_WORD && k.type != T_STR)
		return fail_at(ps, k.at, "expected a value here");
	const struct rlist *l = lists_ok && k.type == T_WORD
					? find_list(ps->rs, ps->text + k.off, k.len) : NULL;
	next(ps);
	if (l) {
		if (it->n_lists < sizeof(it->lists) / sizeof(it->lists[0]))
			it->lists[it->n_lists++] = l;
		else
			return fail_at(ps, k.at, "too many lists in one test (at most 64)");
		return 0;
	}
	char *s = rarena_strndup(ps->rs, ps->text + k.off, k.len);
	return s ? add_item(ps, it, s, k.at) : -ENOMEM;
}

static int read_value(struct pstate *ps, struct items *it, bool many)
{
	if (ps->cur.type != T_LP)
		return read_item(ps, it, many);
	size_t open = ps->cur.at;
	if (!many)
		return fail_at(ps, open, "this operator takes one value, not a list");
	next(ps);
	if (ps->cur.type == T_RP)
		return fail_at(ps, ps->cur.at, "empty list of values");
	for (;;) {
		int rc = read_item(ps, it, true);
		if (rc)
			return rc;
		if (ps->cur.type == T_RP)
			break;
		if (ps->cur.type != T_COMMA)
			return ps->cur.type == T_END
				       ? fail_at(ps, open, "unbalanced parentheses: this '(' is not closed")
				       : fail_at(ps, ps->cur.at, "expected ',' or ')' in the list of values");
		next(ps);
	}
	next(ps);
	return 0;
}

static bool parse_num(const struct rf_field *f, const char *s, int64_t *out)
{
	for (const struct rf_name *n = f->names; n && n->name; n++)
		if (strcmp(n->name, s) == 0) {
			*out = n->value;
			return true;
		}
	if (!*s)
		return false;
	char *end;
	errno = 0;
	long long v = strtoll(s, &end, 0);
	if (*end || errno)
		return false;
	*out = v;
	return true;
}

/* Turn the collected items into the operand of op on field f. */
static int build_operand(struct pstate *ps, const struct rf_field *f, enum rop op,
			 struct items *it, struct roperand *o, kmask kinds)
{
	size_t total = it->n;
	for (size_t i = 0; i < it->n_lists; i++)
		total += it->lists[i]->n;
	if (ps->rs->n_items + total > RULES_MAX_ITEMS)
		return fail_at(ps, ps->cur.at, "too many values in the rules (at most %d)",
			       RULES_MAX_ITEMS);
	ps->rs->n_items += total;
	const char **all = rarena_alloc(ps->rs, (total ? total : 1) * sizeof(*all));
	size_t *at = rarena_alloc(ps->rs, (total ? total : 1) * sizeof(*at));
	if (!all || !at)
		return -ENOMEM;
	size_t n = 0;
	for (size_t i = 0; i < it->n; i++, n++) {
		all[n] = it->s[i];
		at[n] = it->at[i];
	}
	for (size_t i = 0; i < it->n_lists; i++)
		for (size_t j = 0; j < it->lists[i]->n; j++, n++) {
			all[n] = it->lists[i]->items[j];
			at[n] = ps->cur.at;
		}
	if (f->type == RF_NUM) {
		o->nums = rarena_alloc(ps->rs, (n ? n : 1) * sizeof(*o->nums));
		if (!o->nums)
			return -ENOMEM;
		for (size_t i = 0; i < n; i++) {
			if (!parse_num(f, all[i], &o->nums[i]))
				return fail_at(ps, at[i], "type mismatch: '%s' is a number%s; '%s' is not",
					       f->name, f->names ? " or a name of one" : "", all[i]);
			o->mask |= o->nums[i];
		}
		o->n_nums = n;
		if (strcmp(f->name, "kind") == 0 && (op == OP_EQ || op == OP_IN)) {
			kinds[0] = kinds[1] = 0;
			for (size_t i = 0; i < n; i++)
				DA_EVMASK_SET(kinds, (uint64_t)o->nums[i] % DA_EV_KIND_MAX);
		}
		return 0;
	}
	if (op == OP_CIDR) {
		o->cidrs = rarena_alloc(ps->rs, (n ? n : 1) * sizeof(*o->cidrs));
		if (!o->cidrs)
			return -ENOMEM;
		for (size_t i = 0; i < n; i++)
			if (!rules_parse_cidr(all[i], &o->cidrs[i]))
				return fail_at(ps, at[i], "'%s' is not an address or a CIDR block "
					       "(10.0.0.0/8, 2001:db8::/32)", all[i]);
		o->n_cidrs = n;
		return 0;
	}
	if (op == OP_ENDPOINT) {
		o->endpoints = da_endpoint_list_new();
		if (!o->endpoints)
			return -ENOMEM;
		for (size_t i = 0; i < n; i++) {
			char why[256];
			if (da_endpoint_list_add(o->endpoints, all[i],
						 DA_ENDPOINT_UNIX | DA_ENDPOINT_HOST_ALONE, why,
						 sizeof(why)) < 0)
				return fail_at(ps, at[i], "%s", why);
		}
		return 0;
	}
	o->strs = all;
	o->n_strs = n;
	if (op == OP_IN)
		qsort(o->strs, n, sizeof(*o->strs), cmp_str);
	return 0;
}

/* ---- tests ------------------------------------------------------------------ */

static const struct {
	const char *name;
	enum rop op;
} ops[] = {
	{"=", OP_EQ}, {"==", OP_EQ}, {"!=", OP_NE}, {"<", OP_LT}, {"<=", OP_LE}, {">", OP_GT},
	{">=", OP_GE}, {"in", OP_IN}, {"glob", OP_GLOB}, {"contains", OP_CONTAINS},
	{"startswith", OP_STARTSWITH}, {"endswith", OP_ENDSWITH}, {"hasbits", OP_HASBITS},
	{"cidr", OP_CIDR}, {"endpoint", OP_ENDPOINT}, {"exists", OP_EXISTS},
};

static int find_op(const struct pstate *ps)
{
	if (ps->cur.type != T_OP && ps->cur.type != T_WORD)
		return -1;
	for (size_t i = 0; i < sizeof(ops) / sizeof(ops[0]); i++)
		if (strlen(ops[i].name) == ps->cur.len &&
		    memcmp(ops[i].name, ps->text + ps->cur.off, ps->cur.len) == 0)
			return (int)ops[i].op;
	return -1;
}

static int parse_test(struct pstate *ps, const struct rf_field *f, int idx, size_t field_at,
		      kmask kinds)
{
	mask_all(kinds);
	size_t op_at = ps->cur.at;
	int op = find_op(ps);
	if (op < 0)
		return fail_at(ps, op_at, "bad operator '%.*s' after field '%s' (expected =, !=, <, "
			       "<=, >, >=, in, glob, contains, startswith, endswith, hasbits, cidr, "
			       "endpoint or exists)", (int)ps->cur.len, ps->text + ps->cur.off, f->name);
	next(ps);
	enum rf_type type = idx >= 0 ? RF_STR : f->type;
	bool numeric_op = op == OP_LT || op == OP_LE || op == OP_GT || op == OP_GE || op == OP_HASBITS;
	bool string_op = op == OP_GLOB || op == OP_CONTAINS || op == OP_STARTSWITH ||
			 op == OP_ENDSWITH || op == OP_CIDR || op == OP_ENDPOINT;
	if (type != RF_NUM && numeric_op)
		return fail_at(ps, op_at, "type mismatch: '%.*s' compares numbers and '%s' is %s",
			       (int)(ps->text[op_at] == 'h' ? 7 : ps->text[op_at + 1] == '=' ? 2 : 1),
			       ps->text + op_at, f->name, type == RF_LIST ? "a list of strings" : "a string");
	if (type == RF_NUM && string_op)
		return fail_at(ps, op_at, "type mismatch: this operator works on strings and '%s' is a "
			       "number", f->name);
	uint32_t index = 0;
	struct roperand *o = new_operand(ps, &index);
	if (!o)
		return -ENOMEM;
	if (op != OP_EXISTS) {
		struct items it;
		it.n = it.n_lists = 0;
		bool many = op == OP_IN || string_op || op == OP_HASBITS;
		if (ps->cur.type == T_END || ps->cur.type == T_RP)
			return fail_at(ps, ps->cur.at, "operator needs a value after it");
		bool paren = ps->cur.type == T_LP;
		size_t value_at = ps->cur.at;
		int rc = read_value(ps, &it, many);
		if (rc)
			return rc;
		/* `x in name` must name a list; `x in (a)` is one value */
		if (op == OP_IN && !paren && it.n_lists == 0)
			return fail_at(ps, value_at, "unknown list '%s' (write in (a, b) or define it "
				       "under lists:)", it.s[0]);
		o = &ps->rs->prog.operands[index]; /* new_operand may have moved it */
		rc = build_operand(ps, f, (enum rop)op, &it, o, kinds);
		if (rc)
			return rc;
	}
	(void)field_at;
	struct rinsn in = {.code = I_TEST, .op = (uint8_t)op, .argv_idx = (int16_t)idx, .arg = index,
			   .field = f};
	return emit(ps, in, NULL);
}

static int bool_test(struct pstate *ps, const struct rf_field *f, kmask kinds)
{
	mask_all(kinds);
	uint32_t index = 0;
	struct roperand *o = new_operand(ps, &index);
	int64_t *one = rarena_alloc(ps->rs, sizeof(*one));
	if (!o || !one)
		return -ENOMEM;
	*one = 1;
	o->nums = one;
	o->n_nums = 1;
	o->mask = 1;
	return emit(ps, (struct rinsn){.code = I_TEST, .op = OP_EQ, .argv_idx = -1, .arg = index,
				       .field = f}, NULL);
}

/* ---- logic --------------------------------------------------------------- */

static int parse_or(struct pstate *ps, kmask kinds);

static int parse_macro(struct pstate *ps, struct rmacro *m, size_t at, kmask kinds)
{
	if (m->expanding || ps->macro_depth >= RULES_MAX_MACRO_DEPTH)
		return fail_at(ps, at, "macro '%s' uses itself (or macros nest deeper than %d)",
			       m->name, RULES_MAX_MACRO_DEPTH);
	struct pstate sub = {.rs = ps->rs, .text = m->text, .n = strlen(m->text), .file = m->file,
			     .line = m->line, .col = m->col, .col_step = m->col_step, .err = ps->err,
			     .depth = ps->depth, .macro_depth = ps->macro_depth + 1};
	m->expanding = true;
	next(&sub);
	int rc = parse_or(&sub, kinds);
	if (!rc && sub.cur.type != T_END)
		rc = sub.cur.type == T_RP ? fail_at(&sub, sub.cur.at, "unbalanced parentheses: ')' "
						    "without '('")
					  : fail_at(&sub, sub.cur.at, "expected 'and', 'or' or the end");
	m->expanding = false;
	if (rc == -EINVAL) { /* say where the macro was used, too */
		char use[1100];
		struct rerr keep = *ps->err;
		fail_at(ps, at, "in macro '%s': ", m->name);
		snprintf(use, sizeof(use), "%s%s", ps->err->msg, keep.msg);
		snprintf(ps->err->msg, sizeof(ps->err->msg), "%s", use);
	}
	return rc;
}

static int parse_unary(struct pstate *ps, kmask kinds)
{
	if (++ps->depth > RULES_MAX_NESTING)
		return fail_at(ps, ps->cur.at, "condition nests deeper than %d levels",
			       RULES_MAX_NESTING);
	int rc;
	struct tok k = ps->cur;
	if (is_word(ps, "not")) {
		next(ps);
		rc = parse_unary(ps, kinds);
		mask_all(kinds);
		if (!rc)
			rc = emit(ps, (struct rinsn){.code = I_NOT}, NULL);
	} else if (k.type == T_LP) {
		next(ps);
		rc = parse_or(ps, kinds);
		if (!rc && ps->cur.type != T_RP)
			rc = ps->cur.type == T_END
				     ? fail_at(ps, k.at, "unbalanced parentheses: this '(' is not closed")
				     : fail_at(ps, ps->cur.at, "expected ')', 'and' or 'or'");
		if (!rc)
			next(ps);
	} else if (k.type == T_WORD) {
		const char *s = ps->text + k.off;
		int idx;
		const struct rf_field *f = rf_parse(s, k.len, &idx);
		next(ps);
		bool has_op = find_op(ps) >= 0 || ps->cur.type == T_OP ||
			      (ps->cur.type == T_WORD && !is_word(ps, "and") && !is_word(ps, "or"));
		struct rmacro *m = NULL;
		for (size_t i = 0; !f && i < ps->rs->n_macros; i++) /* no macro is named like a field */
			if (strlen(ps->rs->macros[i].name) == k.len &&
			    memcmp(ps->rs->macros[i].name, s, k.len) == 0)
				m = &ps->rs->macros[i];
		if (m)
			rc = parse_macro(ps, m, k.at, kinds);
		else if (!f)
			rc = fail_at(ps, k.at, has_op ? "unknown field '%.*s'"
					       : "unknown macro or field '%.*s'", (int)k.len, s);
		else if (!has_op && f->type == RF_NUM && f->names && strcmp(f->names[0].name, "true") == 0)
			rc = bool_test(ps, f, kinds); /* `initial_exec` alone means = true */
		else if (!has_op)
			rc = fail_at(ps, ps->cur.at, "field '%s' needs an operator and a value "
				     "(e.g. %s exists)", f->name, f->name);
		else
			rc = parse_test(ps, f, idx, k.at, kinds);
	} else if (k.type == T_RP) {
		rc = fail_at(ps, k.at, "unbalanced parentheses: ')' without '('");
	} else if (k.type == T_END) {
		rc = fail_at(ps, k.at, "condition ends where a test was expected");
	} else if (k.type == T_BAD && (ps->text[k.at] == '"' || ps->text[k.at] == '\'')) {
		rc = fail_at(ps, k.at, "unterminated quoted string");
	} else {
		rc = fail_at(ps, k.at, "expected a field, a macro, 'not' or '(' here, not '%.*s'",
			     (int)k.len, ps->text + k.off);
	}
	ps->depth--;
	return rc;
}

/* a (and|or) b ...: jumps to the end when the accumulator decides it. */
static int parse_chain(struct pstate *ps, kmask kinds, bool is_and)
{
	size_t patches[256];
	size_t n_patch = 0;
	int rc = is_and ? parse_unary(ps, kinds) : parse_chain(ps, kinds, true);
	while (!rc && is_word(ps, is_and ? "and" : "or")) {
		if (n_patch >= sizeof(patches) / sizeof(patches[0]))
			return fail_at(ps, ps->cur.at, "too many '%s' in one chain (at most 256; "
				       "group them with parentheses)", is_and ? "and" : "or");
		rc = emit(ps, (struct rinsn){.code = is_and ? I_JF : I_JT}, &patches[n_patch++]);
		if (rc)
			return rc;
		next(ps);
		kmask rhs;
		rc = is_and ? parse_unary(ps, rhs) : parse_chain(ps, rhs, true);
		for (int w = 0; !rc && w < DA_EVMASK_WORDS; w++)
			kinds[w] = is_and ? kinds[w] & rhs[w] : kinds[w] | rhs[w];
	}
	for (size_t i = 0; !rc && i < n_patch; i++)
		ps->rs->prog.insns[patches[i]].arg = (uint32_t)ps->rs->prog.n_insns;
	return rc;
}

static int parse_or(struct pstate *ps, kmask kinds)
{
	return parse_chain(ps, kinds, false);
}

int rules_compile_cond(struct ruleset *rs, const char *text, const char *file, int line, int col,
		       int col_step, struct rcond *out, uint64_t kinds[DA_EVMASK_WORDS],
		       struct rerr *err)
{
	struct pstate ps = {.rs = rs, .text = text, .n = strlen(text), .file = file, .line = line,
			    .col = col, .col_step = col_step, .err = err};
	if (ps.n > RULES_MAX_COND_BYTES)
		return fail_at(&ps, 0, "condition is longer than %d bytes", RULES_MAX_COND_BYTES);
	out->start = (uint32_t)rs->prog.n_insns;
	next(&ps);
	if (ps.cur.type == T_END)
		return fail_at(&ps, 0, "empty condition");
	int rc = parse_or(&ps, kinds);
	if (!rc && ps.cur.type != T_END)
		rc = ps.cur.type == T_RP
			     ? fail_at(&ps, ps.cur.at, "unbalanced parentheses: ')' without '('")
			     : fail_at(&ps, ps.cur.at, "expected 'and', 'or' or the end, not '%.*s'",
				       (int)ps.cur.len, ps.text + ps.cur.off);
	out->end = (uint32_t)rs->prog.n_insns;
	return rc;
}
