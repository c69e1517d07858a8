/*
 * config.h — the pipeline configuration: one format-neutral model, two
 * loaders (INI via inih, YAML via libyaml), merging, overrides, validation
 * and the typed view the engine uses.
 *
 * Life of a configuration:
 *   1. config_load_file() or config_load_default() parses a file (and every
 *      file it `extends`, in either format) into a tree of struct cfg_node;
 *      later files override earlier ones: maps merge key by key, lists and
 *      scalars replace.  Relative paths (extends, target.workdir,
 *      plugin_path entries) are resolved against the file that names them.
 *   2. config_set() applies each `--set a.b.c=VALUE` after all files.
 *   3. config_resolve() checks every key and type against the schema and
 *      fills struct audit_config.  plugins.NAME subtrees are free-form
 *      here; each detector validates its own in init().
 *   4. config_print() writes the merged, normalized config (`dynaudit
 *      check`): the same bytes for a YAML file and its INI twin.
 *
 * Errors: every function returning int returns 0 on success or a negative
 * errno and fills struct cfg_error; cfg_error_format() gives the one-line
 * "file:line: key: what is wrong" message.  Nothing here prints or exits.
 *
 * Ownership: a cfg_node tree is owned by its root; config_free() frees it.
 * struct audit_config borrows plugin subtrees (plugins[i].node) from the
 * tree it was resolved from: free the audit_config first, then the tree.
 */
#ifndef DYNAUDIT_CONFIG_H
#define DYNAUDIT_CONFIG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

enum cfg_type { CFG_NULL, CFG_SCALAR, CFG_LIST, CFG_MAP };

/* A node of the model: a scalar, a list or a map, with where it was set. */
struct cfg_node {
	enum cfg_type type;
	char *key;                  /* key in the parent map, NULL for list items/root */
	char *value;                /* CFG_SCALAR only */
	char *file;                 /* file that set it ("<embedded default>", "--set") */
	int line;                   /* 1-based line, 0 when none */
	struct cfg_node **children; /* map entries (insertion order) or list items */
	size_t n_children;
	const char **list_cache;    /* NULL-terminated strings, built on demand */
	char *where_cache;          /* "file:line", built on demand */
};

struct cfg_error {
	char file[512];
	int line;        /* 0 when unknown */
	char key[256];   /* dotted key, "" when none */
	char msg[512];
};

/* "file:line: key: msg" (parts omitted when empty) into buf. */
const char *cfg_error_format(const struct cfg_error *err, char *buf, size_t len);

/* Loading.  path may be .yaml/.yml (YAML) or .ini/.conf (INI); any other
 * extension is sniffed (a line starting with '[' means INI). */
int config_load_file(const char *path, struct cfg_node **root, struct cfg_error *err);
/* The embedded copy of configs/default.yaml.  Relative paths in it are
 * resolved against the current directory. */
int config_load_default(struct cfg_node **root, struct cfg_error *err);
/* Text of the embedded default (for tests and `check`). */
extern const char config_default_yaml[];

/* Apply "a.b.c=VALUE" (a list value is comma-separated; a key under
 * plugins.* may create the plugin).  Fails on a malformed assignment. */
int config_set(struct cfg_node *root, const char *assignment, struct cfg_error *err);
/* Set a dotted key to exactly the strings in items (NULL-terminated), no
 * splitting on blanks or commas: for argv-like values such as
 * `-- COMMAND [ARG]...` -> target.command.  Values count as from --set
 * (relative paths against the current directory).  0, -EINVAL (bad key,
 * or a non-map on the way) or -ENOMEM. */
int config_set_list(struct cfg_node *root, const char *key, const char *const *items,
		    struct cfg_error *err);

void config_free(struct cfg_node *root);

/* Tree access (used by the engine and by the plugin host API).
 * cfg_list_strings: count and NULL-terminated items of a list of scalars
 * (a scalar is a one-item list); 0 and *items = NULL for anything else. */
const struct cfg_node *cfg_map_get(const struct cfg_node *map, const char *key);
const char *cfg_scalar(const struct cfg_node *node);            /* NULL unless scalar */
size_t cfg_list_strings(const struct cfg_node *node, const char *const **items);
const char *cfg_map_key_at(const struct cfg_node *map, size_t i);
const char *cfg_where(const struct cfg_node *node);             /* "file:line" */

/* Parsers for values, exported for tests.  Return 0 or -EINVAL. */
int cfg_parse_duration(const char *text, double *seconds);   /* "60", "90s", "2m", "1h", "500ms" */
int cfg_parse_size(const char *text, long long *bytes);      /* "1024", "64K", "64M", "1G" */
int cfg_parse_bool(const char *text, bool *out);             /* true/false/yes/no/on/off/1/0 */
/* Split like a POSIX shell would (quotes, backslashes; no expansion). */
int cfg_split_command(const char *text, char ***argv);
/* Free a NULL-terminated string vector such as cfg_split_command()'s. */
void cfg_strv_free(char **strv);

enum sandbox_network { NETWORK_NONE, NETWORK_HOST };

struct plugin_config {
	char *name;                  /* key under plugins: */
	const struct cfg_node *node; /* its subtree (a map; borrowed) */
};

/* rules.ID: off, or a severity replacing the detector's (config_rules.c). */
struct rule_override {
	char *rule;                  /* "process.shell" */
	bool off;                    /* findings of the rule are dropped */
	int severity;                /* enum da_severity to record, -1 when off */
	const char *file;            /* where it was set (borrowed from the tree) */
	int line;
};

/* The typed, validated view of a configuration. */
struct audit_config {
	const char *source;          /* top config file, or "<embedded default>" */
	/* target */
	char **command;              /* NULL-terminated; NULL when not set */
	char *workdir;               /* absolute path; NULL when not set */
	double duration_s;           /* default 60 */
	char **env;                  /* "KEY=VALUE", NULL-terminated (may be empty) */
	char **setup;                /* argv or NULL */
	char *stdin_path;            /* target.stdin: absolute path, or NULL (empty stdin) */
	char **files;                /* target.files: absolute paths copied into the workdir
				      * copy before the setup, NULL-terminated, may be empty */
	/* driver (core/live/driver.h) */
	char **driver_command;       /* driver.command: argv or NULL */
	char *driver_wait_for;       /* driver.wait_for: "A.B.C.D:PORT" or a duration; NULL */
	bool driver_mined;           /* driver.mined: the built-in line driver (default false) */
	/* sandbox */
	enum sandbox_network network;/* default none */
	char *user;                  /* default "nobody" */
	char *home;                  /* sandbox.home, default "/home/auditor" */
	char **ro_paths;             /* sandbox.ro_paths: host paths shown read-only at the same
				      * place (a course toolchain), NULL-terminated, may be empty */
	bool no_new_privs;           /* default true */
	bool drop_caps;              /* default true */
	bool seccomp;                /* "default" -> true, "off" -> false */
	long limit_processes;        /* default 256 */
	long long limit_file_size;   /* bytes, default 64M */
	long long limit_memory;      /* bytes, default 1G */
	long limit_open_files;       /* default 1024 */
	long long limit_tmpfs;       /* bytes, sandbox.limits.tmpfs, default 64M */
	bool honeytokens;            /* sandbox.deception.honeytokens: decoy credentials in HOME
				      * and the environment (honeytokens.h), default true */
	bool dns_sink;               /* sandbox.deception.dns: sink (dns_sink.h); default off */
	bool connect_sink;           /* sandbox.deception.connect: sink (connect_sink.h); default off */
	double skip_sleeps_s;        /* sandbox.time.skip_sleeps: seconds, 0 off; default 10 */
	/* replay: where a strace log was recorded; NULL: inferred from the log
	 * (recorded/strace_context.h), else the sandbox layout HOME/app */
	char *replay_cwd;            /* replay.cwd: absolute */
	char *replay_home;           /* replay.home: absolute */
	char *replay_user;           /* replay.user */
	/* monitors */
	bool monitor_fs;             /* default true */
	double snapshot_interval;    /* seconds, default 1 */
	/* plugins, in config order */
	struct plugin_config *plugins;
	size_t n_plugins;
	char **plugin_path;          /* absolute dirs, NULL-terminated */
	/* report */
	char **report_formats;       /* NULL-terminated, default markdown,json */
	char *report_title;          /* may be NULL */
	/* report.limits: caps on the output files (bytes; see artifacts.h) */
	long long limit_events;      /* events.jsonl, default 64M */
	long long limit_trace;       /* trace.log, default 16M */
	long long limit_fs_events;   /* fs-events.log, default 8M */
	long long limit_snapshots;   /* each of processes.txt and sockets.txt, default 8M */
	long limit_text;             /* one string of an event in events.jsonl/trace.log, default 1024 */
	/* scoring */
	double pass_score;           /* default 70 */
	double weights[5];           /* per da_severity: scoring.weights.{info,low,medium,high,critical};
	                                defaults 0, 5, 15, 40, 60 */
	/* rules: per-rule overrides, in config order */
	struct rule_override *rules;
	size_t n_rules;
};

/* Check root against the schema and fill *out (zeroed first; on failure
 * nothing needs freeing).  Notes: a null value means the default; with no
 * `plugins` key at all (or `plugins: null`) the six built-in detectors are
 * loaded with no options, `plugins: {}` loads none; plugins[i].node is
 * always a map (a shared empty one for `NAME: null`); out->source borrows
 * root's file name. */
int config_resolve(const struct cfg_node *root, struct audit_config *out, struct cfg_error *err);
void audit_config_free(struct audit_config *cfg);

/* `rules:` of root checked (ids, values) and filled into out->rules
 * (called by config_resolve; the detector part is checked by the audit
 * once detectors are loaded).  0, or -EINVAL/-ENOMEM with err at the
 * entry's file:line. */
int config_rules_resolve(const struct cfg_node *root, struct audit_config *out,
			 struct cfg_error *err);
/* The override of rule, or NULL. */
const struct rule_override *config_rule_override(const struct rule_override *rules, size_t n,
						 const char *rule);

/* The merged, normalized config, deterministic, YAML-like. */
void config_print(const struct cfg_node *root, FILE *out);

#endif /* DYNAUDIT_CONFIG_H */
