/*
 * dynaudit/options.h — typed readers of a detector's options
 * (libdynaudit-sdk).
 *
 * A detector that declares its options (struct da_plugin.options, ABI
 * 1.2) has its config subtree checked by the core before init(): unknown
 * keys and values of the wrong type never reach it.  init() then reads the
 * values with the readers below, which parse exactly what the core's check
 * accepted (the core uses the same parsers), so a value the check let
 * through always reads.
 *
 *   bool      true/false, yes/no, on/off, 1/0
 *   int       a decimal integer, optional sign ("-3", "250")
 *   duration  seconds: "5", "1.5", "90s", "500ms", "2m", "1h"; not negative
 *   list      a list of scalars; a single scalar reads as one item
 *
 * Every reader takes the host and node (NULL: the plugin's own subtree) as
 * the host's cfg_* callbacks do, a key, and a default used when the key is
 * absent.  On a malformed value it returns -EINVAL and writes
 * "file:line: KEY: what is wrong" into err[errlen] (the form init() returns
 * for a configuration error).
 *
 * Ownership: strings and lists returned are the host's and stay valid until
 * the plugin's destroy() returns.  Threading: call them where host
 * callbacks may be called (inside a lifecycle callback, usually init()).
 */
#ifndef DYNAUDIT_OPTIONS_H
#define DYNAUDIT_OPTIONS_H

#include <stdbool.h>
#include <stddef.h>

#include "dynaudit/plugin.h"

#ifdef __cplusplus
extern "C" {
#endif

/*
 * da_parse_bool / da_parse_int / da_parse_duration — the value parsers.
 * Arguments: text (NULL is malformed); out, set only on success.
 * Returns: 0, or -EINVAL when text is not a value of the type.
 */
int da_parse_bool(const char *text, bool *out);
int da_parse_int(const char *text, long long *out);
int da_parse_duration(const char *text, double *seconds);

/*
 * da_option_type_name — "string", "bool", "int", "duration", "list",
 * "map" ("?" for anything else).  Static storage.
 */
const char *da_option_type_name(enum da_option_type type);

/*
 * da_opt_bool / da_opt_int / da_opt_duration — read KEY of node.
 * Arguments: host; node (NULL: own subtree); key; def, the value when KEY
 *   is absent; out; err[errlen] for the message.
 * Returns: 0 (out set: the value or def), -EINVAL (malformed; err says
 *   where and why, out untouched).
 */
int da_opt_bool(const struct da_host *host, const struct da_cfg *node, const char *key,
		bool def, bool *out, char *err, size_t errlen);
int da_opt_int(const struct da_host *host, const struct da_cfg *node, const char *key,
	       long long def, long long *out, char *err, size_t errlen);
int da_opt_duration(const struct da_host *host, const struct da_cfg *node, const char *key,
		    double def, double *out, char *err, size_t errlen);

/*
 * da_opt_string — the scalar of KEY, or def when absent.
 */
const char *da_opt_string(const struct da_host *host, const struct da_cfg *node,
			  const char *key, const char *def);

/*
 * da_opt_list — the items of KEY (NULL-terminated in *items) and their
 * count; 0 and *items = NULL when absent.
 */
size_t da_opt_list(const struct da_host *host, const struct da_cfg *node, const char *key,
		   const char *const **items);

/*
 * da_opt_find — the declaration of key in decls (ending with {0}), or NULL.
 */
const struct da_option_decl *da_opt_find(const struct da_option_decl *decls, const char *key);

#ifdef __cplusplus
}
#endif
#endif /* DYNAUDIT_OPTIONS_H */
