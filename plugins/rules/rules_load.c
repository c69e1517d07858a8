/*
 * rules_load.c — reads a rules file (YAML) into a rule set.
 *
 *   lists:   {NAME: [item, ...]}          items may name earlier lists
 *   macros:  {NAME: condition}            usable in any later condition
 *   rules:
 *     - id: reverse_shell                 -> "<category>.reverse_shell"
 *       severity: critical                info, low, medium, high, critical
 *       condition: ...                    or sequence: [cond, ...] + within
 *       within: 5s                        sequences only (default 10s)
 *       by: tree                          tree (default) or process
 *       message: "... %{field} ..."
 *       summary: one line                 optional (declared rule)
 *       recommendation: ...               optional
 *       tags: [...]                       optional, free text
 *       enabled: false                    optional
 *
 * Every error is "file:line:column: what is wrong" and returns -EINVAL.
 * The only file of the detector that includes libyaml.  Hostile input is
 * bounded: the file size, the nodes visited (aliases included), and the
 * counts in rules.h; libyaml's own errors keep their position.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <yaml.h>

#include "rules.h"

struct loader {
	struct ruleset *rs;
	yaml_document_t doc;
	const char *file;            /* arena copy */
	const char *text;
	size_t len;
	struct rerr *err;
};

static int fail_node(struct loader *ld, const yaml_node_t *n, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
static int fail_node(struct loader *ld, const yaml_node_t *n, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	int rc = rerr_vat(ld->err, ld->file, n ? (int)n->start_mark.line + 1 : 1,
			  n ? (int)n->start_mark.column + 1 : 1, fmt, ap);
	va_end(ap);
	return rc;
}

static yaml_node_t *node(struct loader *ld, int id)
{
	if (++ld->rs->n_nodes > RULES_MAX_NODES)
		return NULL;
	return yaml_document_get_node(&ld->doc, id);
}

/* A scalar's text, NULL (with the error set) when n is not a scalar. */
static const char *scalar(struct loader *ld, const yaml_node_t *n, const char *what)
{
	if (!n || n->type != YAML_SCALAR_NODE) {
		fail_node(ld, n, "%s must be a single value", what);
		return NULL;
	}
	if (strlen((const char *)n->data.scalar.value) != n->data.scalar.length) {
		fail_node(ld, n, "%s contains a NUL byte", what);
		return NULL;
	}
	return (const char *)n->data.scalar.value;
}

/* Where the text of a scalar starts: line, column, and whether columns
 * follow the text (not for block scalars, whose lines are re-indented). */
static void text_pos(const struct loader *ld, const yaml_node_t *n, int *line, int *col,
		     int *step)
{
	*line = (int)n->start_mark.line + 1;
	*col = (int)n->start_mark.column + 1;
	*step = 1;
	yaml_scalar_style_t st = n->data.scalar.style;
	if (st == YAML_SINGLE_QUOTED_SCALAR_STYLE || st == YAML_DOUBLE_QUOTED_SCALAR_STYLE)
		(*col)++;
	if (st == YAML_LITERAL_SCALAR_STYLE || st == YAML_FOLDED_SCALAR_STYLE) {
		/* content starts on the next line, at its indentation */
		size_t i = n->start_mark.index;
		while (i < ld->len && ld->text[i] != '\n')
			i++;
		size_t indent = 0;
		while (i + 1 + indent < ld->len && ld->text[i + 1 + indent] == ' ')
			indent++;
		*line += 1;
		*col = (int)indent + 1;
		*step = 0;
	}
}

static bool valid_name(const char *s)
{
	if (!s || !(*s >= 'a' && *s <= 'z'))
		return false;
	for (; *s; s++)
		if (!((*s >= 'a' && *s <= 'z') || (*s >= '0' && *s <= '9') || *s == '_'))
			return false;
	return true;
}

/* ---- lists and macros ------------------------------------------------------ */

static const struct rlist *list_named(const struct ruleset *rs, const char *name)
{
	for (size_t i = 0; i < rs->n_lists; i++)
		if (strcmp(rs->lists[i].name, name) == 0)
			return &rs->lists[i];
	return NULL;
}

static int load_lists(struct loader *ld, const yaml_node_t *map)
{
	struct ruleset *rs = ld->rs;
	if (map->type != YAML_MAPPING_NODE)
		return fail_node(ld, map, "lists: must be a map of NAME: [items]");
	for (yaml_node_pair_t *p = map->data.mapping.pairs.start; p < map->data.mapping.pairs.top; p++) {
		yaml_node_t *k = node(ld, p->key), *v = node(ld, p->value);
		if (!k || !v)
			return fail_node(ld, map, "the rules file is too large (over %d YAML nodes)",
					 RULES_MAX_NODES);
		const char *name = scalar(ld, k, "a list name");
		if (!name)
			return -EINVAL;
		if (!valid_name(name))
			return fail_node(ld, k, "list name '%s' must match [a-z][a-z0-9_]*", name);
		if (list_named(rs, name))
			return fail_node(ld, k, "list '%s' is defined twice", name);
		if (v->type != YAML_SEQUENCE_NODE)
			return fail_node(ld, v, "list '%s' must be a list of values ([a, b])", name);
		if (rs->n_lists >= RULES_MAX_LISTS)
			return fail_node(ld, k, "too many lists (at most %d)", RULES_MAX_LISTS);
		size_t cap = 0;
		for (yaml_node_item_t *it = v->data.sequence.items.start; it < v->data.sequence.items.top; it++) {
			yaml_node_t *in = node(ld, *it);
			const char *s = in && in->type == YAML_SCALAR_NODE ? (const char *)in->data.scalar.value : NULL;
			const struct rlist *inner = s ? list_named(rs, s) : NULL;
			cap += inner ? inner->n : 1;
		}
		if (rs->n_items + cap > RULES_MAX_ITEMS)
			return fail_node(ld, v, "too many list items (at most %d in all)", RULES_MAX_ITEMS);
		struct rlist *l = &rs->lists[rs->n_lists];
		l->name = rarena_strdup(rs, name);
		l->items = rarena_alloc(rs, (cap ? cap : 1) * sizeof(*l->items));
		if (!l->name || !l->items)
			return -ENOMEM;
		l->n = 0;
		for (yaml_node_item_t *it = v->data.sequence.items.start; it < v->data.sequence.items.top; it++) {
			yaml_node_t *in = node(ld, *it);
			const char *s = scalar(ld, in, "a list item");
			if (!s)
				return -EINVAL;
			const struct rlist *inner = list_named(rs, s);
			for (size_t j = 0; inner && j < inner->n && l->n < cap; j++)
				l->items[l->n++] = inner->items[j];
			if (!inner && l->n < cap && !(l->items[l->n++] = rarena_strdup(rs, s)))
				return -ENOMEM;
		}
		rs->n_items += l->n;
		rs->n_lists++;
	}
	return 0;
}

static int load_macros(struct loader *ld, const yaml_node_t *map)
{
	struct ruleset *rs = ld->rs;
	if (map->type != YAML_MAPPING_NODE)
		return fail_node(ld, map, "macros: must be a map of NAME: condition");
	for (yaml_node_pair_t *p = map->data.mapping.pairs.start; p < map->data.mapping.pairs.top; p++) {
		yaml_node_t *k = node(ld, p->key), *v = node(ld, p->value);
		if (!k || !v)
			return fail_node(ld, map, "the rules file is too large");
		const char *name = scalar(ld, k, "a macro name");
		const char *text = name ? scalar(ld, v, "a macro") : NULL;
		if (!text)
			return -EINVAL;
		if (!valid_name(name))
			return fail_node(ld, k, "macro name '%s' must match [a-z][a-z0-9_]*", name);
		if (rf_lookup(name, strlen(name)) || list_named(rs, name))
			return fail_node(ld, k, "macro '%s' has the name of a field or a list", name);
		for (size_t i = 0; i < rs->n_macros; i++)
			if (strcmp(rs->macros[i].name, name) == 0)
				return fail_node(ld, k, "macro '%s' is defined twice", name);
		if (rs->n_macros >= RULES_MAX_MACROS)
			return fail_node(ld, k, "too many macros (at most %d)", RULES_MAX_MACROS);
		struct rmacro *m = &rs->macros[rs->n_macros];
		memset(m, 0, sizeof(*m));
		m->name = rarena_strdup(rs, name);
		m->text = rarena_strdup(rs, text);
		m->file = (char *)ld->file;
		text_pos(ld, v, &m->line, &m->col, &m->col_step);
		if (!m->name || !m->text)
			return -ENOMEM;
		rs->n_macros++;
	}
	return 0;
}

/* ---- rules ---------------------------------------------------------------- */

static int parse_seconds(const char *s, double *out)
{
	char *end;
	double v = strtod(s, &end);
	if (end == s || v < 0)
		return -1;
	if (strcmp(end, "ms") == 0)
		v /= 1000;
	else if (strcmp(end, "m") == 0)
		v *= 60;
	else if (*end && strcmp(end, "s") != 0)
		return -1;
	*out = v;
	return 0;
}

static int compile_cond_node(struct loader *ld, const yaml_node_t *n, struct rcond *c,
			     uint64_t kinds[DA_EVMASK_WORDS])
{
	const char *text = scalar(ld, n, "a condition");
	if (!text)
		return -EINVAL;
	int line, col, step;
	text_pos(ld, n, &line, &col, &step);
	return rules_compile_cond(ld->rs, text, ld->file, line, col, step, c, kinds, ld->err);
}

static const char *const rule_keys[] = {"id", "severity", "condition", "sequence", "within", "by",
					"message", "summary", "recommendation", "tags", "enabled"};

static int load_rule(struct loader *ld, const yaml_node_t *map)
{
	struct ruleset *rs = ld->rs;
	if (map->type != YAML_MAPPING_NODE)
		return fail_node(ld, map, "each rule must be a map (id:, severity:, condition:, message:)");
	const yaml_node_t *val[sizeof(rule_keys) / sizeof(rule_keys[0])] = {0};
	for (yaml_node_pair_t *p = map->data.mapping.pairs.start; p < map->data.mapping.pairs.top; p++) {
		yaml_node_t *k = node(ld, p->key), *v = node(ld, p->value);
		if (!k || !v)
			return fail_node(ld, map, "the rules file is too large");
		const char *key = scalar(ld, k, "a rule key");
		if (!key)
			return -EINVAL;
		size_t i = 0;
		while (i < sizeof(rule_keys) / sizeof(rule_keys[0]) && strcmp(rule_keys[i], key) != 0)
			i++;
		if (i == sizeof(rule_keys) / sizeof(rule_keys[0]))
			return fail_node(ld, k, "unknown rule key '%s' (expected id, severity, condition "
					 "or sequence, within, by, message, summary, recommendation, "
					 "tags, enabled)", key);
		if (val[i])
			return fail_node(ld, k, "rule key '%s' is given twice", key);
		val[i] = v;
	}
	enum { K_ID, K_SEV, K_COND, K_SEQ, K_WITHIN, K_BY, K_MSG, K_SUMMARY, K_REC, K_TAGS, K_ENABLED };
	if (!val[K_ID])
		return fail_node(ld, map, "rule without id:");
	const char *id = scalar(ld, val[K_ID], "id");
	if (!id)
		return -EINVAL;
	size_t cl = strlen(rs->category);
	const char *local = strncmp(id, rs->category, cl) == 0 && id[cl] == '.' ? id + cl + 1 : id;
	if (!valid_name(local))
		return fail_node(ld, val[K_ID], "rule id '%s' must be [a-z][a-z0-9_]* (it becomes "
				 "%s.ID)", id, rs->category);
	char full[256];
	snprintf(full, sizeof(full), "%s.%s", rs->category, local);
	for (size_t i = 0; i < rs->n_rules; i++)
		if (strcmp(rs->rules[i].id, full) == 0)
			return fail_node(ld, val[K_ID], "rule %s is defined twice (first at %s)", full,
					 rs->rules[i].where);
	if (val[K_ENABLED]) {
		const char *e = scalar(ld, val[K_ENABLED], "enabled");
		if (!e)
			return -EINVAL;
		if (strcmp(e, "false") == 0 || strcmp(e, "no") == 0 || strcmp(e, "off") == 0)
			return 0;
		if (strcmp(e, "true") != 0 && strcmp(e, "yes") != 0 && strcmp(e, "on") != 0)
			return fail_node(ld, val[K_ENABLED], "enabled: expects true or false");
	}
	if (rs->n_rules >= RULES_MAX_RULES)
		return fail_node(ld, map, "too many rules (at most %d)", RULES_MAX_RULES);
	struct rrule *r = &rs->rules[rs->n_rules];
	memset(r, 0, sizeof(*r));
	char where[600];
	snprintf(where, sizeof(where), "%s:%zu", ld->file, map->start_mark.line + 1);
	r->id = rarena_strdup(rs, full);
	r->where = rarena_strdup(rs, where);
	if (!r->id || !r->where)
		return -ENOMEM;

	if (!val[K_SEV])
		return fail_node(ld, map, "rule %s has no severity: (info, low, medium, high, critical)", full);
	const char *sev = scalar(ld, val[K_SEV], "severity");
	if (!sev)
		return -EINVAL;
	int s = 0;
	while (s < 5 && strcmp(da_severity_name((enum da_severity)s), sev) != 0)
		s++;
	if (s == 5)
		return fail_node(ld, val[K_SEV], "unknown severity '%s' (info, low, medium, high, "
				 "critical)", sev);
	r->severity = (enum da_severity)s;

	if (!val[K_MSG])
		return fail_node(ld, map, "rule %s has no message:", full);
	const char *msg = scalar(ld, val[K_MSG], "message");
	if (!msg)
		return -EINVAL;
	int line, col, step;
	text_pos(ld, val[K_MSG], &line, &col, &step);
	int rc = rules_compile_tmpl(rs, msg, ld->file, line, col, &r->message, ld->err);
	if (rc)
		return rc;
	const char *summary = val[K_SUMMARY] ? scalar(ld, val[K_SUMMARY], "summary") : msg;
	const char *rec = val[K_REC] ? scalar(ld, val[K_REC], "recommendation") : NULL;
	if (!summary || (val[K_REC] && !rec))
		return -EINVAL;
	r->summary = rarena_strdup(rs, summary);
	r->recommendation = rec ? rarena_strdup(rs, rec) : NULL;
	if (val[K_TAGS] && val[K_TAGS]->type != YAML_SEQUENCE_NODE && !scalar(ld, val[K_TAGS], "tags"))
		return -EINVAL;

	if (!!val[K_COND] == !!val[K_SEQ])
		return fail_node(ld, map, "rule %s needs exactly one of condition: and sequence:", full);
	if (!val[K_SEQ] && (val[K_WITHIN] || val[K_BY]))
		return fail_node(ld, val[K_WITHIN] ? val[K_WITHIN] : val[K_BY],
				 "within: and by: belong to a sequence: rule");
	uint64_t kinds[DA_EVMASK_WORDS];
	if (val[K_COND]) {
		r->n_steps = 1;
		rc = compile_cond_node(ld, val[K_COND], &r->steps[0], kinds);
		if (rc)
			return rc;
		memcpy(r->kinds, kinds, sizeof(kinds));
	} else {
		const yaml_node_t *seq = val[K_SEQ];
		if (seq->type != YAML_SEQUENCE_NODE)
			return fail_node(ld, seq, "sequence: must be a list of conditions");
		long n = seq->data.sequence.items.top - seq->data.sequence.items.start;
		if (n < 2 || n > RULES_MAX_STEPS)
			return fail_node(ld, seq, "a sequence has 2 to %d steps, not %ld",
					 RULES_MAX_STEPS, n);
		for (long i = 0; i < n; i++) {
			yaml_node_t *st = node(ld, seq->data.sequence.items.start[i]);
			if (st && st->type == YAML_MAPPING_NODE && st->data.mapping.pairs.top -
				  st->data.mapping.pairs.start == 1) {
				yaml_node_t *k = node(ld, st->data.mapping.pairs.start->key);
				const char *key = k ? scalar(ld, k, "a step key") : NULL;
				if (!key || strcmp(key, "condition") != 0)
					return key ? fail_node(ld, k, "a step is a condition or "
							       "{condition: ...}, not '%s'", key) : -EINVAL;
				st = node(ld, st->data.mapping.pairs.start->value);
			}
			rc = compile_cond_node(ld, st, &r->steps[i], kinds);
			if (rc)
				return rc;
			if (i == 0)
				memcpy(r->kinds, kinds, sizeof(kinds));
			for (int w = 0; w < DA_EVMASK_WORDS; w++)
				rs->kinds[w] |= kinds[w];
		}
		r->n_steps = (int)n;
		r->within = 10;
		if (val[K_WITHIN]) {
			const char *w = scalar(ld, val[K_WITHIN], "within");
			if (!w)
				return -EINVAL;
			if (parse_seconds(w, &r->within) < 0)
				return fail_node(ld, val[K_WITHIN], "within: '%s' is not a duration "
						 "(5, 5s, 500ms, 2m)", w);
		}
		r->scope = SCOPE_TREE;
		if (val[K_BY]) {
			const char *b = scalar(ld, val[K_BY], "by");
			if (!b)
				return -EINVAL;
			if (strcmp(b, "process") == 0)
				r->scope = SCOPE_PROCESS;
			else if (strcmp(b, "tree") != 0)
				return fail_node(ld, val[K_BY], "by: is tree or process, not '%s'", b);
		}
		r->partials = calloc(RULES_MAX_PARTIALS, sizeof(*r->partials));
		if (!r->partials)
			return -ENOMEM;
	}
	for (int w = 0; w < DA_EVMASK_WORDS; w++)
		rs->kinds[w] |= r->kinds[w];
	rs->n_rules++;
	return 0;
}

static int load_doc(struct loader *ld)
{
	struct ruleset *rs = ld->rs;
	yaml_node_t *root = yaml_document_get_root_node(&ld->doc);
	if (!root)
		return 0; /* an empty file: no rules */
	if (root->type != YAML_MAPPING_NODE)
		return fail_node(ld, root, "a rules file is a map with lists:, macros: and rules:");
	if (!rs->rules) {
		rs->rules = calloc(RULES_MAX_RULES, sizeof(*rs->rules));
		rs->lists = calloc(RULES_MAX_LISTS, sizeof(*rs->lists));
		rs->macros = calloc(RULES_MAX_MACROS, sizeof(*rs->macros));
		if (!rs->rules || !rs->lists || !rs->macros)
			return -ENOMEM;
	}
	static const char *const order[] = {"lists", "macros", "rules"};
	/* lists, then macros, then rules, whatever order the file uses */
	for (size_t pass = 0; pass < 3; pass++)
		for (yaml_node_pair_t *p = root->data.mapping.pairs.start; p < root->data.mapping.pairs.top; p++) {
			yaml_node_t *k = node(ld, p->key), *v = node(ld, p->value);
			if (!k || !v)
				return fail_node(ld, root, "the rules file is too large");
			const char *key = scalar(ld, k, "a top-level key");
			if (!key)
				return -EINVAL;
			if (strcmp(key, order[0]) && strcmp(key, order[1]) && strcmp(key, order[2]))
				return fail_node(ld, k, "unknown key '%s' (a rules file has lists:, "
						 "macros: and rules:)", key);
			if (strcmp(key, order[pass]) != 0)
				continue;
			int rc = 0;
			if (pass == 0)
				rc = load_lists(ld, v);
			else if (pass == 1)
				rc = load_macros(ld, v);
			else if (v->type != YAML_SEQUENCE_NODE)
				rc = fail_node(ld, v, "rules: must be a list of rules");
			for (yaml_node_item_t *it = pass == 2 && !rc ? v->data.sequence.items.start : NULL;
			     it && it < v->data.sequence.items.top && !rc; it++) {
				yaml_node_t *r = node(ld, *it);
				rc = r ? load_rule(ld, r) : fail_node(ld, v, "the rules file is too large");
			}
			if (rc)
				return rc;
		}
	return 0;
}

/* A first pass over the YAML events that stops at a nesting deeper than
 * any rules file needs: libyaml's document loader takes quadratic time on
 * a few MB of "[[[[...". */
static int check_depth(const char *name, const char *text, size_t len, struct rerr *err)
{
	yaml_parser_t parser;
	if (!yaml_parser_initialize(&parser))
		return -ENOMEM;
	yaml_parser_set_input_string(&parser, (const unsigned char *)text, len);
	int depth = 0, rc = 0;
	for (;;) {
		yaml_event_t ev;
		if (!yaml_parser_parse(&parser, &ev))
			break; /* the loader reports it, with its position */
		yaml_event_type_t t = ev.type;
		if (t == YAML_SEQUENCE_START_EVENT || t == YAML_MAPPING_START_EVENT)
			depth++;
		else if (t == YAML_SEQUENCE_END_EVENT || t == YAML_MAPPING_END_EVENT)
			depth--;
		if (depth > RULES_MAX_NESTING) {
			snprintf(err->msg, sizeof(err->msg), "%s:%zu:%zu: the YAML nests deeper than %d "
				 "levels", name, ev.start_mark.line + 1, ev.start_mark.column + 1,
				 RULES_MAX_NESTING);
			rc = -EINVAL;
		}
		yaml_event_delete(&ev);
		if (rc || t == YAML_STREAM_END_EVENT)
			break;
	}
	yaml_parser_delete(&parser);
	return rc;
}

int ruleset_load_text(struct ruleset *rs, const char *name, const char *text, size_t len,
		      struct rerr *err)
{
	struct loader ld = {.rs = rs, .text = text, .len = len, .err = err};
	ld.file = rarena_strdup(rs, name);
	if (!ld.file)
		return -ENOMEM;
	if (len > RULES_MAX_FILE_BYTES) {
		snprintf(err->msg, sizeof(err->msg), "%s:1:1: the rules file is larger than %u bytes",
			 name, RULES_MAX_FILE_BYTES);
		return -EINVAL;
	}
	int rc = check_depth(name, text, len, err);
	if (rc)
		return rc;
	yaml_parser_t parser;
	if (!yaml_parser_initialize(&parser))
		return -ENOMEM;
	yaml_parser_set_input_string(&parser, (const unsigned char *)text, len);
	if (!yaml_parser_load(&parser, &ld.doc)) {
		snprintf(err->msg, sizeof(err->msg), "%s:%zu:%zu: not valid YAML: %s%s%s", name,
			 parser.problem_mark.line + 1, parser.problem_mark.column + 1,
			 parser.problem ? parser.problem : "parse error",
			 parser.context ? " " : "", parser.context ? parser.context : "");
		yaml_parser_delete(&parser);
		return -EINVAL;
	}
	rc = load_doc(&ld);
	yaml_document_delete(&ld.doc);
	yaml_parser_delete(&parser);
	return rc;
}

int ruleset_load_file(struct ruleset *rs, const char *path, struct rerr *err)
{
	FILE *f = fopen(path, "rb");
	if (!f) {
		snprintf(err->msg, sizeof(err->msg), "%s: cannot open the rules file: %s", path,
			 strerror(errno));
		return -ENOENT;
	}
	char *buf = malloc(RULES_MAX_FILE_BYTES + 1);
	size_t n = buf ? fread(buf, 1, RULES_MAX_FILE_BYTES + 1, f) : 0;
	fclose(f);
	if (!buf)
		return -ENOMEM;
	int rc = ruleset_load_text(rs, path, buf, n, err);
	free(buf);
	return rc;
}
