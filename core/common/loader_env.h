/*
 * loader_env.h — the dynamic-loader variables of an exec's environment.
 *
 * LD_PRELOAD and LD_AUDIT make every dynamically linked program load a
 * library of the caller's choice before its own code (code injection);
 * LD_LIBRARY_PATH redirects its library search.  Both the live tracer (which
 * reads the environment from the tracee) and the strace decoder (strace -v
 * prints it) keep these, one "NAME=value" per line, as the exec event's
 * loader_env.
 */
#ifndef DYNAUDIT_LOADER_ENV_H
#define DYNAUDIT_LOADER_ENV_H

#include <stdbool.h>
#include <stddef.h>

/* Longest variable prefix checked ("LD_LIBRARY_PATH="): a reader may look
 * at this many bytes first and fetch the rest only on a match. */
#define LOADER_ENV_PREFIX_MAX 16

/* var ("NAME=value", possibly cut after len bytes) is one of them. */
bool loader_env_is_loader_var(const char *var, size_t len);

/* When var is one of them, append it and '\n' to buf (NUL-terminated, cap
 * bytes; a value that does not fit is cut and ends in "...").  Returns
 * whether it was one. */
bool loader_env_append(char *buf, size_t cap, const char *var);

#endif /* DYNAUDIT_LOADER_ENV_H */
