/*
 * helpers.h — shared by the config tests: where the sources are, and
 * one-call load/print/error helpers.
 */
#ifndef DYNAUDIT_TESTS_CONFIG_HELPERS_H
#define DYNAUDIT_TESTS_CONFIG_HELPERS_H

#include <stddef.h>

#include "config/config.h"

/* Absolute path of a file in the source tree ("configs/base.yaml"). */
const char *src_path(const char *rel);
/* chdir into tests/config/fixtures, so error messages name fixtures by
 * their bare file name. */
void enter_fixtures(void);
/* This test process's private temporary directory, created on first use
 * and removed (with its contents) when the process exits. */
const char *make_temp_dir(void);
/* Write text to a file named name in that directory; returns its path. */
const char *write_temp(const char *name, const char *text);

/* Load path; on failure return NULL and the formatted error in msg. */
struct cfg_node *load_or_error(const char *path, char *msg, size_t len);
/* The error text of loading + resolving path ("" when it is valid). */
const char *error_of(const char *path);
/* config_resolve / config_set that must succeed (the test stops with the
 * error otherwise). */
void must_resolve(const struct cfg_node *root, struct audit_config *c);
void must_set(struct cfg_node *root, const char *assignment);
/* config_print() of a tree, as a malloc'ed string. */
char *print_to_string(const struct cfg_node *root);
/* Whole file as a malloc'ed NUL-terminated string (len bytes, may contain
 * NULs); NULL when unreadable. */
char *slurp(const char *path, size_t *len);
/* In a sanitizer build, fail the current test if memory has leaked so far
 * (Criterion only warns about leaks found when a test process exits). */
void assert_no_leaks(void);

#endif
