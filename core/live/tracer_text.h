/*
 * tracer_text.h — strace-style text of a traced syscall: the evidence line
 * of every live event (`openat(AT_FDCWD, "/etc/passwd", O_RDONLY) = 3`).
 * A fixed buffer that silently stops growing at its end: a hostile
 * argument can make a line long, never unbounded.
 */
#ifndef DYNAUDIT_TRACER_TEXT_H
#define DYNAUDIT_TRACER_TEXT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "live/tracer_priv.h"

#define STEXT_MAX 8192

struct stext {
	char buf[STEXT_MAX];
	size_t len;
};

struct stext_flag {
	uint64_t bit;
	const char *name;
};

extern const struct stext_flag stext_clone_flags[]; /* CLONE_* (without the exit signal) */
extern const struct stext_flag stext_ns_flags[];    /* CLONE_NEW* */
extern const struct stext_flag stext_prot_flags[];  /* PROT_* */

__attribute__((format(printf, 2, 3)))
void stext_printf(struct stext *t, const char *fmt, ...);
void stext_char(struct stext *t, char ch);
/* A quoted string with C escapes; "..." after it when trunc or cut at max. */
void stext_str(struct stext *t, const char *s, bool trunc, size_t max);
void stext_dirfd(struct stext *t, int64_t fd);          /* AT_FDCWD or the number */
/* names of the set bits joined by '|', leftovers in hex, zero when none */
void stext_flags(struct stext *t, uint64_t v, const struct stext_flag *names, const char *zero);
void stext_open_flags(struct stext *t, uint64_t flags); /* O_RDONLY|O_CLOEXEC */
void stext_family(struct stext *t, int fam);            /* AF_INET */
void stext_socktype(struct stext *t, uint64_t type);    /* SOCK_STREAM|SOCK_CLOEXEC */
void stext_sockaddr(struct stext *t, const struct sc_call *c); /* {sa_family=AF_INET, ...} */
/* " = 3", " = -1 ENOENT (No such file or directory)", " = ?" (unknown) */
void stext_result(struct stext *t, const struct sc_call *c);

#endif /* DYNAUDIT_TRACER_TEXT_H */
