/*
 * dynaudit/plugin.h — the detector plugin ABI.
 *
 * A detector is a shared object that exports one function,
 *
 *     const struct da_plugin *dynaudit_plugin(void);
 *
 * (use DYNAUDIT_PLUGIN(def) below).  The core dlopen()s it, calls that
 * function, checks the ABI version the plugin was built for, then drives the
 * lifecycle:
 *
 *     init(host, cfg)      once, with the plugin's config subtree
 *                          (already checked against .options when declared)
 *     on_event(ev)         for each subscribed event, in bus order
 *     finish()             end of input: emit final / correlated findings
 *     destroy()            always, also after a failed init or on error
 *
 * THREADING: the core never calls one plugin instance concurrently, but not
 * always from the same thread: init() and finish()/destroy() run on the
 * thread that drives the audit (the main thread), on_event() runs on the
 * event bus's worker thread, and the core orders them (every on_event call
 * returns before finish is called; init returns before the first on_event).
 * So a plugin needs no locks for its own state, but must not use
 * thread-local storage across callbacks.  Host callbacks may be called only
 * from inside a lifecycle callback of the plugin that owns the host handle.
 *
 * ERRORS cross the boundary as a return code (0 ok, negative failure) plus
 * text the plugin writes into the caller-owned buffer err[errlen].  A failed
 * init or an error from on_event/finish does not stop the audit: the report
 * names the detector and the message, and the category shows it did not
 * (fully) run.
 *
 * VERSIONING: DA_PLUGIN_ABI_MAJOR changes on any incompatible change; MINOR
 * grows when members are appended.  The core loads a plugin whose major
 * equals its own and whose minor is not newer than its own, and otherwise
 * refuses it with a message naming both versions.  Structs only grow at the
 * end; every struct starts with struct_size so both sides can tell.
 */
#ifndef DYNAUDIT_PLUGIN_H
#define DYNAUDIT_PLUGIN_H

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include "dynaudit/event.h"

#ifdef __cplusplus
extern "C" {
#endif

#define DA_PLUGIN_ABI_MAJOR 1
#define DA_PLUGIN_ABI_MINOR 2
#define DA_PLUGIN_ABI_PATCH 0
#define DA__STR2(x) #x
#define DA__STR(x) DA__STR2(x)
/* Derived from the three numbers above, so the version is written once. */
#define DA_PLUGIN_ABI_STRING                                                   \
	DA__STR(DA_PLUGIN_ABI_MAJOR) "." DA__STR(DA_PLUGIN_ABI_MINOR) "." DA__STR(DA_PLUGIN_ABI_PATCH)

/* Name of the symbol the loader looks up. */
#define DA_PLUGIN_ENTRY_SYMBOL "dynaudit_plugin"

/* Severities, lowest first.  Category status = worst severity:
 * high/critical -> fail, low/medium -> warn, info -> info, none -> safe. */
enum da_severity {
	DA_SEV_INFO = 0,
	DA_SEV_LOW = 1,
	DA_SEV_MEDIUM = 2,
	DA_SEV_HIGH = 3,
	DA_SEV_CRITICAL = 4
};

/* Levels of host->log(), most important first.  -v shows info, -vv debug;
 * errors and warnings are shown unless -q. */
enum da_log_level {
	DA_LOG_ERROR = 0,
	DA_LOG_WARNING = 1,
	DA_LOG_INFO = 2,
	DA_LOG_DEBUG = 3
};

/*
 * struct da_rule_decl (ABI 1.2) — one rule a detector can report.
 *
 * A detector lists its rules in its descriptor (struct da_plugin.rules), so
 * the core can validate `rules:` overrides before anything runs, `dynaudit
 * plugins -v` can list them and the README table is generated from them.
 * A detector that declares rules may emit only those ids: emit() of an
 * undeclared id returns -EINVAL.  Arrays end with an all-zero entry.
 */
struct da_rule_decl {
	const char *id;              /* Required: "<category>.<rule>", rule [a-z][a-z0-9_]* */
	enum da_severity severity;   /* Required: the usual (highest) severity it emits */
	const char *summary;         /* Required: one line, what it detects */
};

/*
 * struct da_option_decl (ABI 1.2) — one key of the detector's config subtree.
 *
 * With a declared option list (struct da_plugin.options) the core checks the
 * subtree before init(): unknown keys and values of the wrong type are
 * configuration errors with file:line (exit 2), also in `dynaudit check`,
 * which never runs init().  init() then reads the values with the host's
 * cfg_* callbacks (or the typed readers of libdynaudit-sdk) and checks only
 * what a type cannot say (an endpoint pattern's syntax, say).
 * Arrays end with an all-zero entry.
 */
enum da_option_type {
	DA_OPT_STRING = 1,   /* a scalar */
	DA_OPT_BOOL = 2,     /* true/false, yes/no, on/off, 1/0 */
	DA_OPT_INT = 3,      /* a decimal integer */
	DA_OPT_DURATION = 4, /* seconds: "5", "1.5", "90s", "2m" */
	DA_OPT_LIST = 5,     /* a list of scalars (a single scalar reads as one item) */
	DA_OPT_MAP = 6       /* a map; its keys are the detector's business */
};

struct da_option_decl {
	const char *key;             /* Required: [a-z][a-z0-9_]* */
	enum da_option_type type;    /* Required: how the core checks the value */
	const char *help;            /* Required: one line, with the default */
};

/* A static, NULL-safe list of event kinds for struct da_plugin.kinds:
 *     .kinds = DA_KINDS(DA_EV_PROC_EXEC, DA_EV_NET_CONNECT),
 * The core turns it into the subscription mask and refuses kinds it does
 * not know, so no plugin writes mask words by hand. */
#define DA_KINDS(...) ((const uint16_t[]){__VA_ARGS__, DA_EV_NONE})

/*
 * struct da_finding — one detection, handed to host->emit().
 *
 * OWNERSHIP: every pointer is owned by the plugin and need only be valid
 * during the emit() call; the core copies what it keeps.
 *
 * The core de-duplicates findings with the same (rule, message): the first
 * one's pid, time and evidence are kept and a count is kept.  So put the
 * varying part (which pid, which time) in pid/time_s, not in the message,
 * unless each occurrence is a separate finding worth listing.
 */
struct da_finding {
	uint32_t struct_size;       /* Required: sizeof(struct da_finding) of the plugin */
	const char *rule;           /* Required: stable id "<category>.<rule>"; a declared
	                               one when the detector declares .rules */
	enum da_severity severity;  /* Required */
	const char *message;        /* Required: one sentence for people */
	int32_t pid;                /* Optional: process concerned, 0 when none */
	double time_s;              /* Optional: when, seconds since start; < 0 when none */
	const char *const *evidence;/* Optional: evidence lines (strace-style), NULL for none */
	size_t n_evidence;          /* Optional: number of evidence lines (0 with NULL) */
	const char *recommendation; /* Optional: what to do about it, NULL for none */
	/* ABI 1.0 ends here. */
};

/* Opaque handle to a node of the pipeline configuration. */
struct da_cfg;

/* What the core knows about the audited run.  Owned by the core, valid from
 * init until destroy returns. */
struct da_run_info {
	/* Every member is set by the core (Required: always present). */
	uint32_t struct_size;       /* Required: sizeof(struct da_run_info) of the core */
	const char *workdir;        /* Required: the submission dir as the target sees it */
	const char *home;           /* Required: HOME of the target ("/home/auditor") */
	const char *tmpdir;         /* Required: "/tmp" */
	const char *const *command; /* Required: target command argv, NULL-terminated
	                               (may be empty: {NULL} when not known yet) */
	double duration_s;          /* Required: configured window, seconds */
	int live;                   /* Required: 1 for `dynaudit run`, 0 for replay */
	/* ABI 1.0 ends here. */
};

/*
 * struct da_host — services the core offers one plugin instance.
 *
 * OWNERSHIP: the host struct and everything it returns are owned by the
 * core and stay valid until the plugin's destroy() returns.
 */
struct da_host {
	/* Every member is set by the core (Required: always present in a host
	 * of the ABI the plugin was built for; the ABI 1.1 and 1.2 members
	 * exist whenever the core accepted a 1.1 / 1.2 plugin). */
	uint32_t struct_size;            /* Required: sizeof(struct da_host) of the core */
	void *core;                      /* Required: core-private; do not touch */
	const struct da_run_info *run;   /* Required: the run being audited */

	/* emit — Required.  Record a finding.
	 * Arguments: f (see struct da_finding).  Returns 0, or -EINVAL when
	 * rule/message are missing or severity is out of range (the finding is
	 * then dropped and the error is shown in the report). */
	int (*emit)(const struct da_host *host, const struct da_finding *f);

	/* set_summary — Required.  The category row of the assessment table.
	 * observation: short phrase ("Local only", "None");
	 * remarks: one sentence.  Either may be NULL to keep the default.
	 * The last call wins.  Strings are copied. */
	void (*set_summary)(const struct da_host *host, const char *observation,
			    const char *remarks);

	/* cfg_string — Required.  Scalar value of key in node, NULL when absent or not a
	 * scalar.  node NULL means the plugin's own subtree. */
	const char *(*cfg_string)(const struct da_host *host, const struct da_cfg *node,
				  const char *key);

	/* cfg_list — Required.  Items of a list (a scalar reads as a one-item list).
	 * Stores a NULL-terminated array in *items and returns the count; 0 and
	 * *items = NULL when absent. */
	size_t (*cfg_list)(const struct da_host *host, const struct da_cfg *node,
			   const char *key, const char *const **items);

	/* cfg_child — Required.  Map child of node, NULL when absent. */
	const struct da_cfg *(*cfg_child)(const struct da_host *host, const struct da_cfg *node,
					  const char *key);

	/* cfg_key_at — Required.  Name of the i-th key of a map node, NULL past the end.
	 * Lets init() reject keys it does not know. */
	const char *(*cfg_key_at)(const struct da_host *host, const struct da_cfg *node, size_t i);

	/* cfg_where — Required.  "file:line" where key (or the node when key is NULL) was
	 * set, for error messages. */
	const char *(*cfg_where)(const struct da_host *host, const struct da_cfg *node,
				 const char *key);

	/* log — Required.  A diagnostic line on dynaudit's stderr; level is an
	 * enum da_log_level (shown by verbosity). */
	void (*log)(const struct da_host *host, int level, const char *fmt, ...)
		__attribute__((format(printf, 3, 4)));
	/* ABI 1.0 ends here. */

	/* unsubscribe (ABI 1.1) — Required.  From init() only: stop receiving the kinds
	 * set in kinds (DA_EVMASK_SET bits) for this run, when their form in
	 * this run carries nothing the detector uses (e.g. live stat events,
	 * which never carry a result).  It matters for speed: the live tracer
	 * stops the target only for kinds some detector still wants.  Returns
	 * 0, or -EPERM when called outside init().  A core that loaded a 1.1
	 * plugin always has this member. */
	int (*unsubscribe)(const struct da_host *host, const uint64_t kinds[DA_EVMASK_WORDS]);
	/* ABI 1.1 ends here. */

	/* declare_rule (ABI 1.2) — Required.  From init() only: add a rule to the ones the
	 * descriptor declares, for detectors whose rules come from their config
	 * (the rules detector).  The core copies it.  Returns 0, -EEXIST when
	 * another loaded detector owns the id, -EINVAL for a malformed id, or
	 * -EPERM outside init(). */
	int (*declare_rule)(const struct da_host *host, const struct da_rule_decl *rule);
	/* ABI 1.2 ends here. */
};

/*
 * struct da_plugin — a detector's descriptor.  Static storage in the plugin;
 * the core never writes to it.
 */
struct da_plugin {
	/* DA_PLUGIN_HEADER fills the first four. */
	uint32_t struct_size;     /* Required: sizeof(struct da_plugin); the core reads no
	                             member past it (a 1.1 descriptor ends before .kinds) */
	uint32_t abi_major;       /* Required: DA_PLUGIN_ABI_MAJOR at build time */
	uint32_t abi_minor;       /* Required: DA_PLUGIN_ABI_MINOR at build time */
	uint32_t abi_patch;       /* Required: DA_PLUGIN_ABI_PATCH at build time */
	const char *name;         /* Required: config key under plugins:, [a-z][a-z0-9_]*,
	                             the file name NAME.so */
	const char *version;      /* Optional: the detector's own version, "1.2.0" (NULL: "?") */
	const char *description;  /* Optional: one line (NULL: none) */
	const char *category_id;  /* Required: report category id, [a-z][a-z0-9_]* */
	const char *category_title; /* Optional: "Process Spawning" (NULL: the id) */
	/* Optional: subscription mask (ABI 1.0); leave zero and use .kinds
	 * (ABI 1.2).  Ignored when .kinds is set. */
	uint64_t subscriptions[DA_EVMASK_WORDS];

	/* init — Required.  host: valid until destroy; cfg: the plugin's
	 * subtree (may be an empty map).  Validate the config here and reject
	 * unknown keys or bad values: return -EINVAL and write a message that
	 * starts with host->cfg_where(...) ("file:line: key: what is wrong");
	 * the core treats -EINVAL as a configuration error (exit status 2).
	 * Any other negative return means the detector could not start: the
	 * audit goes on and the report says this detector did not run.  *state: the plugin's own
	 * context, passed back to every other callback (may stay NULL). */
	int (*init)(const struct da_host *host, const struct da_cfg *cfg, void **state,
		    char *err, size_t errlen);

	/* on_event — Required.  ev is valid only during the call (see
	 * dynaudit/event.h OWNERSHIP).  Return 0, or negative with a message;
	 * the core then stops feeding this plugin and reports it. */
	int (*on_event)(void *state, const struct da_event *ev, char *err, size_t errlen);

	/* finish — Optional (NULL).  End of input: emit correlated/summary
	 * findings and call set_summary.  Return as on_event. */
	int (*finish)(void *state, char *err, size_t errlen);

	/* destroy — Optional (NULL).  Free state.  Called exactly once after
	 * init was called, whatever happened. */
	void (*destroy)(void *state);
	/* ABI 1.0 ends here. */

	/* kinds (ABI 1.2) — Optional: the subscribed kinds, written with
	 * DA_KINDS(...).  When set it replaces .subscriptions; a kind >=
	 * DA_EV_KIND_MAX is refused at load with a message. */
	const uint16_t *kinds;
	/* rules (ABI 1.2) — Optional but expected: every rule id the detector
	 * emits, ending with {0}; an id another loaded detector declares is
	 * refused.  NULL: any "<category>.<rule>" id is
	 * accepted (ABI 1.1 behaviour) and `rules:` overrides cannot be
	 * checked against it. */
	const struct da_rule_decl *rules;
	/* options (ABI 1.2) — Optional: the keys of the detector's config
	 * subtree, ending with {0}.  NULL: init() validates the subtree itself
	 * (ABI 1.1 behaviour). */
	const struct da_option_decl *options;
	/* ABI 1.2 ends here. */
};

/* Declares the entry point of a plugin whose descriptor is `def`. */
#define DYNAUDIT_PLUGIN(def)                                                   \
	__attribute__((visibility("default"))) const struct da_plugin *dynaudit_plugin(void); \
	const struct da_plugin *dynaudit_plugin(void) { return &(def); }

/* Fills the version members of a struct da_plugin initialiser. */
#define DA_PLUGIN_HEADER                                                        \
	.struct_size = sizeof(struct da_plugin), .abi_major = DA_PLUGIN_ABI_MAJOR, \
	.abi_minor = DA_PLUGIN_ABI_MINOR, .abi_patch = DA_PLUGIN_ABI_PATCH

/* Small helpers for detectors (static inline, no ABI impact). */
static inline const char *da_severity_name(enum da_severity s)
{
	static const char *const names[] = {"info", "low", "medium", "high", "critical"};
	return (unsigned)s < 5 ? names[s] : "?";
}

#ifdef __cplusplus
}
#endif
#endif /* DYNAUDIT_PLUGIN_H */
