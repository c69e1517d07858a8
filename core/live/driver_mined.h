/*
 * driver_mined.h — the built-in line driver of driver.mined: candidate
 * trigger strings mined from the submission's sources (Python, C,
 * JavaScript, Java, Perl, shell ...), sent to the target line by line on
 * fresh connections.  Bounded in count (MINED_MAX), size and time.
 */
#ifndef DYNAUDIT_DRIVER_MINED_H
#define DYNAUDIT_DRIVER_MINED_H

#include <stddef.h>

#define MINED_MAX 48 /* candidates kept */

struct mined {
	char *lines[MINED_MAX];
	size_t n;
};

/* Candidates from the source files under workdir (the workdir copy):
 * string literals that look like commands ("!exec ", "/admin") or that a
 * line compares input with.  Never follows a link. */
void mined_collect(struct mined *m, const char *workdir);
void mined_free(struct mined *m);
/* Child side: send each candidate as a line, then with an argument
 * ("!exec id"), a new connection every few lines; what was sent and what
 * came back goes to log as "> " and "< " lines. */
void mined_send(const struct mined *m, const unsigned char addr[4], unsigned port, int log);

#endif /* DYNAUDIT_DRIVER_MINED_H */
