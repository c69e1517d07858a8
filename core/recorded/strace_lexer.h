/*
 * strace_lexer.h — one line of strace output -> a call record.
 *
 * A line is  [PREFIX] [TIMESTAMP] [NR] [IP] BODY  where PREFIX is "[pid  123] "
 * (strace -f writing to stderr) or "123 " (strace -f -o FILE), either with
 * -Y's "<comm>" after the pid ("123<sh> "); TIMESTAMP is -t "HH:MM:SS", -tt
 * "HH:MM:SS.uuuuuu", -ttt "SECONDS.uuuuuu" or -r "  SECONDS.uuuuuu" (the
 * time since the previous line); NR is -n's "[ 59]", IP -i's
 * "[00007f5af1deaad7]" (both skipped); and BODY is a
 * call "name(args) = ret [ERRNO (text)] [(note)] [<duration>]", an
 * unfinished first half "name(args <unfinished ...>" (or "<detached ...>":
 * strace lost the thread inside the call), a resumed second half
 * "<... name resumed>rest", a signal "--- SIGX {...} ---", or an end
 * "+++ exited with N +++" / "+++ killed by SIGX [(core dumped)] +++".
 *
 * The lexer never allocates and never copies: every span points into the
 * caller's line, which must outlive the record.  Every function is linear in
 * the line length, whatever the line contains (NUL bytes included: lengths,
 * not terminators, bound every scan).
 */
#ifndef DYNAUDIT_STRACE_LEXER_H
#define DYNAUDIT_STRACE_LEXER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct strace_span {
	const char *p;
	size_t n;
};

struct strace_prefix {
	bool has_pid;
	int pid;
	bool has_time;
	double time;        /* seconds (of the day for -t/-tt, epoch for -ttt) */
	bool time_is_delta; /* -r: seconds since the previous line */
	size_t body_off;    /* where BODY starts in the line */
};

enum strace_rec_kind {
	STRACE_REC_CALL,        /* a complete call */
	STRACE_REC_UNFINISHED,  /* first half: name, head = text before "<unfinished ...>";
				 * detached when it ended in "<detached ...>" */
	STRACE_REC_RESUMED,     /* second half: name, tail = text after "resumed>" */
	STRACE_REC_SIGNAL,      /* name = "SIGCHLD", args = the {...} siginfo or empty */
	STRACE_REC_EXITED,      /* exit_code */
	STRACE_REC_KILLED,      /* name = signal, core_dumped */
	STRACE_REC_NOTE         /* strace's own chatter ("Process 12 attached"): nothing to do */
};

struct strace_rec {
	enum strace_rec_kind kind;
	struct strace_span name;
	struct strace_span args;      /* CALL: between the parentheses */
	struct strace_span head;      /* UNFINISHED */
	struct strace_span tail;      /* RESUMED */
	bool has_ret;                 /* false for "= ?" */
	int64_t ret;
	struct strace_span ret_annot; /* "-y" annotation of the result, without <> */
	struct strace_span errname;   /* "ENOENT", empty when none */
	int exit_code;
	bool core_dumped;
	bool detached;                /* UNFINISHED: "<detached ...>", never resumed */
};

/* Split off the pid prefix and timestamp. */
void strace_lex_prefix(const char *line, size_t len, struct strace_prefix *out);

/* Lex BODY.  Returns 0, or -1 with *why set to a static description of what
 * is wrong ("unbalanced parentheses", "no '=' after the call"...). */
int strace_lex_body(const char *body, size_t len, struct strace_rec *out, const char **why);

/* Where the argument list of a call body ends: the offset of the ')' that
 * closes the '(' at open_off, skipping strings, brackets and annotations;
 * len when it is not closed. */
size_t strace_match_paren(const char *s, size_t len, size_t open_off);

/* Whether name[0..n) is a syscall name strace prints (strace_names.c):
 * tells a call from program output glued in front of it ("xexecve("). */
bool strace_known_syscall(const char *name, size_t n);

/* The opaque tokens every scan of strace text steps over: a "string" (with
 * \-escapes), a C comment, and with use_annot a -y "<...>" annotation (which
 * may nest and hold "->" inside its [...]).  When one starts at s[i],
 * returns the offset just past it (len when unterminated); else returns i. */
size_t strace_skip_token_at(const char *s, size_t len, size_t i, bool use_annot);
/* Inline: every bracket search asks this once per byte, and most bytes
 * start no token. */
static inline size_t strace_skip_token(const char *s, size_t len, size_t i, bool use_annot)
{
	char c = s[i];
	if (c != '"' && c != '/' && c != '<')
		return i;
	return strace_skip_token_at(s, len, i, use_annot);
}

#endif /* DYNAUDIT_STRACE_LEXER_H */
