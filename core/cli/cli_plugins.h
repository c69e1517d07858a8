/*
 * cli_plugins.h — `dynaudit plugins`: the loadable detectors, and with -v
 * what each declares (rules: id, severity, summary; options: key, type,
 * help); `--rules-markdown` writes the README's rule section from the
 * built-in detectors' declarations.
 *
 * Part of the command-line layer: prints to stdout, returns an exit status.
 */
#ifndef DYNAUDIT_CLI_PLUGINS_H
#define DYNAUDIT_CLI_PLUGINS_H

#include <stddef.h>

/* List dirs (n of them, then the built-in dir).  verbose > 0 adds the
 * declarations.  Returns 0, or 3 when no detector was found. */
int cli_plugins_list(const char *const *dirs, size_t n, int verbose);

/* The Markdown rule section of the built-in detectors: the detectors of the
 * embedded default config in its order, then any other built-in one by
 * name.  Returns 0, or 3 when one cannot be loaded (named on stderr). */
int cli_plugins_rules_markdown(void);

#endif /* DYNAUDIT_CLI_PLUGINS_H */
