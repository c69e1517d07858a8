/*
 * rules.h — the rules detector's compiled form, shared by its files.
 *
 * A rules file (YAML: lists, macros, rules) is read once at init
 * (rules_load.c), each condition is compiled (rules_cond.c) into one flat
 * program of tests and jumps over event fields (rules_field.c), and every
 * event runs those programs (rules_eval.c) with the process tree it keeps
 * in a fixed table (rules_proc.c).  Nothing on the per-event path
 * allocates: every buffer is sized and allocated at init, and every table
 * has a bound (the RULES_MAX_* below), so a hostile rules file or a fork
 * storm cannot grow the detector.
 *
 * Ownership: a struct ruleset owns everything it points to;
 * ruleset_free() releases it.  Threading: none of this is shared; the
 * plugin drives it from its callbacks (see dynaudit/plugin.h).
 */
#ifndef RULES_RULES_H
#define RULES_RULES_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "dynaudit/endpoint.h"
#include "dynaudit/event.h"
#include "dynaudit/plugin.h"

/* Bounds.  A rules file beyond them is refused with file:line:column. */
#define RULES_MAX_FILE_BYTES (4u << 20) /* one rules file */
#define RULES_MAX_FILES 16
#define RULES_MAX_RULES 1024
#define RULES_MAX_LISTS 512
#define RULES_MAX_MACROS 512
#define RULES_MAX_ITEMS 65536       /* list items and operands, all files */
#define RULES_MAX_NODES 200000      /* YAML nodes visited, all files */
#define RULES_MAX_COND_BYTES 16384  /* one condition, macro or template */
#define RULES_MAX_NESTING 64        /* parentheses and not/and/or depth */
#define RULES_MAX_MACRO_DEPTH 16    /* macros using macros */
#define RULES_MAX_INSNS 262144      /* the whole program */
#define RULES_MAX_STEPS 4           /* steps of one sequence */
#define RULES_MAX_PARTIALS 32       /* open sequences of one rule (oldest go) */
#define RULES_MAX_PROCS 8192        /* processes the tree remembers */
#define RULES_MAX_ANCESTORS 16      /* ancestor.* looks this far up */
#define RULES_EXE_LEN 256
#define RULES_MSG_LEN 768
#define RULES_EVIDENCE_LEN 300

/* ---- fields (rules_field.c) ------------------------------------------- */

enum rf_type { RF_STR, RF_NUM, RF_LIST };

/* A symbolic value of a numeric field ("connect" for kind, "write" for
 * access). */
struct rf_name {
	const char *name;
	int64_t value;
};

struct rf_field {
	const char *name;           /* "parent.name" */
	enum rf_type type;
	int id;                     /* enum rf_id (rules_field.c) */
	const struct rf_name *names;/* symbolic values, NULL-name ended, or NULL */
	const char *help;
};

/* A field's value for one event: borrowed from the event or from the
 * evaluation context's buffers, never allocated. */
struct rf_value {
	bool present;
	const char *s;               /* RF_STR */
	int64_t n;                   /* RF_NUM */
	const char *const *list;     /* RF_LIST */
	int n_list;
};

/* One process the tree knows (rules_proc.c). */
struct rproc {
	int32_t pid, ppid;
	int32_t execs;               /* successful execs seen */
	char exe[RULES_EXE_LEN];     /* "" when unknown */
};

struct rproc_table {
	struct rproc *slots;         /* RULES_MAX_PROCS, open addressing */
	size_t used;
	/* The first process of each phase (0: the target, 1: target.setup)
	 * and whether its own exec, dynaudit's doing, happened. */
	int32_t first_pid[2];
	bool first_exec_seen[2];
	uint64_t dropped;            /* processes not remembered (table full) */
};

/* What one event looks like to the fields: the event, its process and
 * lazily filled buffers, reset for each event. */
struct rctx {
	const struct da_event *ev;
	const struct da_run_info *run;
	struct rproc_table *procs;
	const struct rproc *proc;    /* NULL when not tracked */
	bool initial_exec;           /* this exec is the target's first */
	unsigned filled;             /* bits: which buffers below are valid */
	const char *anc_exe[RULES_MAX_ANCESTORS];
	const char *anc_name[RULES_MAX_ANCESTORS];
	int n_anc;
	char cmdline[1024];
	char host[256];
	char argn[64];               /* scratch for argv[N] */
};

const struct rf_field *rf_lookup(const char *name, size_t len);
/* A field name or argv[N] (*idx = N, else -1); NULL when unknown. */
const struct rf_field *rf_parse(const char *s, size_t len, int *idx);
/* The i-th field of the table (for docs and tests), NULL past the end. */
const struct rf_field *rf_at(size_t i);
/* value of field f (argv index idx for argv[N], else -1) in ctx. */
void rf_get(struct rctx *ctx, const struct rf_field *f, int idx, struct rf_value *out);
/* Text of a value for messages, into buf. */
const char *rf_text(const struct rf_field *f, const struct rf_value *v, char *buf, size_t len);

/* ---- compiled program (rules_cond.c, rules_eval.c) -------------------- */

enum rop {
	OP_EQ, OP_NE, OP_LT, OP_LE, OP_GT, OP_GE, OP_IN, OP_GLOB, OP_CONTAINS,
	OP_STARTSWITH, OP_ENDSWITH, OP_HASBITS, OP_CIDR, OP_ENDPOINT, OP_EXISTS
};

enum rinsn_code { I_TEST, I_JF, I_JT, I_NOT };

struct rcidr {
	int family;                  /* 4 or 6 */
	uint8_t addr[16];
	int prefix;
};

/* The right-hand side of one test. */
struct roperand {
	const char **strs;           /* string values (sorted for OP_IN) */
	size_t n_strs;
	int64_t *nums;               /* numeric values */
	size_t n_nums;
	int64_t mask;                /* OP_HASBITS: the OR of nums */
	struct rcidr *cidrs;
	size_t n_cidrs;
	struct da_endpoint_list *endpoints;
};

struct rinsn {
	uint8_t code;                /* enum rinsn_code */
	uint8_t op;                  /* enum rop (I_TEST) */
	int16_t argv_idx;            /* argv[N], else -1 */
	uint32_t arg;                /* I_TEST: operand index; jumps: target */
	const struct rf_field *field;/* I_TEST */
};

struct rprog {
	struct rinsn *insns;
	size_t n_insns, cap_insns;
	struct roperand *operands;
	size_t n_operands, cap_operands;
};

/* A message template: literal text and fields, in order. */
struct rtmpl_part {
	const char *lit;             /* literal (not NUL-ended: lit_len) */
	size_t lit_len;
	const struct rf_field *field;/* or a field */
	int argv_idx;
};

struct rtmpl {
	struct rtmpl_part *parts;
	size_t n_parts;
};

/* A condition: a range of the program. */
struct rcond {
	uint32_t start, end;
};

enum rscope { SCOPE_TREE, SCOPE_PROCESS };

/* An open sequence of one rule: anchored at the process that matched the
 * first step. */
struct rpartial {
	bool used;
	int32_t anchor;
	int next;                    /* index of the next step to match */
	double t0;
	char evidence[RULES_MAX_STEPS][RULES_EVIDENCE_LEN];
};

struct rrule {
	char *id;                    /* "<category>.<id>" */
	enum da_severity severity;
	char *summary;
	char *recommendation;
	char *where;                 /* "file:line" of the rule */
	struct rtmpl message;
	struct rcond steps[RULES_MAX_STEPS];
	int n_steps;                 /* 1: a plain rule */
	double within;               /* sequence window, seconds */
	enum rscope scope;
	uint64_t kinds[DA_EVMASK_WORDS]; /* kinds step 0 can match (0: any) */
	struct rpartial *partials;   /* RULES_MAX_PARTIALS, sequences only */
	uint64_t fired, evicted;
};

struct rlist {
	char *name;
	const char **items;
	size_t n;
};

struct rmacro {
	char *name;
	char *text;
	char *file;
	int line, col;               /* of the text */
	int col_step;                /* 0 for block scalars (column unknown) */
	bool expanding;              /* recursion guard while compiling */
};

struct ruleset {
	const char *category;        /* rule id prefix, not owned */
	struct rule_arena *arena;    /* strings and arrays, freed together */
	struct rprog prog;
	struct rrule *rules;
	size_t n_rules;
	struct rlist *lists;
	size_t n_lists;
	struct rmacro *macros;
	size_t n_macros;
	size_t n_items, n_nodes;
	uint64_t kinds[DA_EVMASK_WORDS]; /* union of what the rules need */
};

/* Errors: "file:line:column: what is wrong". */
struct rerr {
	char msg[1024];
};
/* rules_err.c: write that into err (what cut at 767 bytes); returns -EINVAL.
 * rerr_vat takes the arguments as a va_list (va_end is the caller's). */
int rerr_at(struct rerr *err, const char *file, int line, int col, const char *fmt, ...)
	__attribute__((format(printf, 5, 6)));
int rerr_vat(struct rerr *err, const char *file, int line, int col, const char *fmt, va_list ap)
	__attribute__((format(printf, 5, 0)));

/* rules_load.c: read one rules file into rs (rules, lists, macros).
 * 0, or -EINVAL with err filled; -ENOENT (err: "path: cannot open...")
 * when the file cannot be read; -ENOMEM. */
int ruleset_load_file(struct ruleset *rs, const char *path, struct rerr *err);
/* The same from memory (tests); name is used in messages. */
int ruleset_load_text(struct ruleset *rs, const char *name, const char *text, size_t len,
		      struct rerr *err);
void ruleset_init(struct ruleset *rs, const char *category);
void ruleset_free(struct ruleset *rs);

/* rules_cond.c: compile text (from file:line:col; col_step 1 when columns
 * follow the text, 0 when unknown) into the program.  0 or -EINVAL. */
int rules_compile_cond(struct ruleset *rs, const char *text, const char *file, int line, int col,
		       int col_step, struct rcond *out, uint64_t kinds[DA_EVMASK_WORDS],
		       struct rerr *err);
/* rules_tmpl.c */
int rules_compile_tmpl(struct ruleset *rs, const char *text, const char *file, int line, int col,
		       struct rtmpl *out, struct rerr *err);

/* rules_arena.c: allocation for the compiled form. */
void *rarena_alloc(struct ruleset *rs, size_t n);
char *rarena_strndup(struct ruleset *rs, const char *s, size_t n);
char *rarena_strdup(struct ruleset *rs, const char *s);

/* rules_eval.c */
/* "10.0.0.0/8", "2001:db8::/32" or an address: true when valid. */
bool rules_parse_cidr(const char *s, struct rcidr *c);
bool rules_eval(const struct ruleset *rs, const struct rcond *c, struct rctx *ctx);
/* Render a template for ctx into buf (never allocates). */
const char *rules_render(const struct rtmpl *t, struct rctx *ctx, char *buf, size_t len);

/* rules_seq.c: feed one event to sequence rule r; fire(arg, r, evidence,
 * n) for each sequence it completes (evidence: one line per step). */
typedef void (*rules_fire_fn)(void *arg, struct rrule *r, const char *const *evidence, size_t n);
void rules_seq_advance(const struct ruleset *rs, struct rrule *r, struct rctx *ctx,
		       rules_fire_fn fire, void *arg);

/* rules_proc.c: the process tree. */
int rproc_init(struct rproc_table *t);
void rproc_free(struct rproc_table *t);
/* Before the rules see ev: the process it concerns (created when new). */
void rproc_prepare(struct rproc_table *t, const struct da_event *ev, struct rctx *ctx);
/* After the rules saw ev: forks, execs. */
void rproc_update(struct rproc_table *t, const struct da_event *ev);
struct rproc *rproc_find(const struct rproc_table *t, int32_t pid);
/* pid is anchor or one of its descendants (bounded walk). */
bool rproc_descends(const struct rproc_table *t, int32_t pid, int32_t anchor);

#endif
