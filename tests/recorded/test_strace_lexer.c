/*
 * test_strace_lexer.c — line shapes of every strace flag set, and the
 * argument readers.
 */
#include <criterion/criterion.h>
#include <stdlib.h>
#include <string.h>

#include "recorded/strace_args.h"
#include "recorded/strace_lexer.h"

static struct strace_rec lex(const char *line, struct strace_prefix *pfx)
{
	struct strace_rec rec;
	const char *why;
	strace_lex_prefix(line, strlen(line), pfx);
	int rc = strace_lex_body(line + pfx->body_off, strlen(line) - pfx->body_off, &rec, &why);
	cr_assert_eq(rc, 0, "%s: %s", line, why ? why : "");
	return rec;
}

static int lex_fails(const char *body)
{
	struct strace_rec rec;
	const char *why = NULL;
	int rc = strace_lex_body(body, strlen(body), &rec, &why);
	return rc < 0 && why != NULL;
}

Test(strace_lexer, prefixes_and_timestamps)
{
	struct strace_prefix p;
	struct strace_rec r = lex("[pid  123] 03:42:13.723277 close(3) = 0 <0.000012>", &p);
	cr_assert(p.has_pid && p.pid == 123 && p.has_time);
	cr_assert_float_eq(p.time, 3 * 3600 + 42 * 60 + 13.723277, 1e-6);
	cr_assert(strace_span_eq(r.name, "close"));
	cr_assert(r.has_ret && r.ret == 0);

	r = lex("7153  1795750985.124712 brk(NULL)         = 0x562008ffd000", &p);
	cr_assert(p.has_pid && p.pid == 7153 && p.has_time);
	cr_assert_float_eq(p.time, 1795750985.124712, 1e-3);
	cr_assert_eq(r.ret, 0x562008ffd000);

	r = lex("10:00:01 getpid() = 42", &p);
	cr_assert(!p.has_pid && p.has_time && p.time == 36001.0);
	r = lex("getpid() = 42", &p);
	cr_assert(!p.has_pid && !p.has_time && r.ret == 42);
}

Test(strace_lexer, results_errors_annotations)
{
	struct strace_prefix p;
	struct strace_rec r = lex("openat(AT_FDCWD</x>, \"/etc/ld.so.preload\", O_RDONLY) = -1 ENOENT (No such file or directory)", &p);
	cr_assert_eq(r.ret, -1);
	cr_assert(strace_span_eq(r.errname, "ENOENT"));
	r = lex("openat(AT_FDCWD, \"a\", O_RDONLY) = 3</etc/a\\76b>", &p);
	cr_assert(strace_span_eq(r.ret_annot, "/etc/a\\76b"));
	r = lex("accept(3<TCP:[0.0.0.0:4445]>, NULL, NULL) = 4<TCP:[127.0.0.1:4445->127.0.0.1:36348]>", &p);
	cr_assert(strace_span_eq(r.ret_annot, "TCP:[127.0.0.1:4445->127.0.0.1:36348]"));
	cr_assert(strace_span_eq(r.args, "3<TCP:[0.0.0.0:4445]>, NULL, NULL"));
	r = lex("exit_group(0)                           = ?", &p);
	cr_assert(!r.has_ret);
	r = lex("pause() = ? <unavailable>", &p);
	cr_assert(!r.has_ret);
	r = lex("wait4(-1, 0x7ffd, 0, NULL) = ? ERESTARTSYS (To be restarted if SA_RESTART is set)", &p);
	cr_assert(strace_span_eq(r.errname, "ERESTARTSYS"));
	r = lex("fcntl(3, F_GETFD) = 0x1 (flags FD_CLOEXEC)", &p);
	cr_assert_eq(r.ret, 1);
	r = lex("write(1</dev/pts/0<char 136:0>>, \"a)b\\\"(\", 5) = 5", &p);
	cr_assert(strace_span_eq(r.name, "write"));
	r = lex("clone3({flags=CLONE_VM|CLONE_THREAD, exit_signal=0} => {parent_tid=[125]}, 88) = 125", &p);
	cr_assert_eq(r.ret, 125);
	r = lex("wait4(9, [{WIFEXITED(s) && WEXITSTATUS(s) == 0}], 0, NULL) = 9", &p);
	cr_assert_eq(r.ret, 9);
	r = lex("execve(\"/bin/sh\", [\"sh\"], 0x7ffd /* 5 vars */) = 0", &p);
	cr_assert_eq(r.ret, 0);
}

Test(strace_lexer, unfinished_resumed_signals_exits)
{
	struct strace_prefix p;
	struct strace_rec r = lex("[pid     8] wait4(9,  <unfinished ...>", &p);
	cr_assert_eq(r.kind, STRACE_REC_UNFINISHED);
	cr_assert(strace_span_eq(r.head, "wait4(9, "));
	r = lex("8 <... wait4 resumed>NULL, 0, NULL) = 9", &p);
	cr_assert_eq(r.kind, STRACE_REC_RESUMED);
	cr_assert(strace_span_eq(r.name, "wait4"));
	cr_assert(strace_span_eq(r.tail, "NULL, 0, NULL) = 9"));
	r = lex("11 --- SIGCHLD {si_signo=SIGCHLD, si_code=CLD_KILLED, si_pid=12} ---", &p);
	cr_assert_eq(r.kind, STRACE_REC_SIGNAL);
	cr_assert(strace_span_eq(r.name, "SIGCHLD"));
	cr_assert(strace_span_eq(r.args, "{si_signo=SIGCHLD, si_code=CLD_KILLED, si_pid=12}"));
	r = lex("12 +++ exited with 3 +++", &p);
	cr_assert_eq(r.kind, STRACE_REC_EXITED);
	cr_assert_eq(r.exit_code, 3);
	r = lex("12 +++ killed by SIGSEGV (core dumped) +++", &p);
	cr_assert_eq(r.kind, STRACE_REC_KILLED);
	cr_assert(strace_span_eq(r.name, "SIGSEGV") && r.core_dumped);
	r = lex("12 +++ killed by SIGKILL +++", &p);
	cr_assert(!r.core_dumped);
	cr_assert_eq(lex("strace: Process 9 attached", &p).kind, STRACE_REC_NOTE);
	cr_assert_eq(lex("--- stopped by SIGSTOP ---", &p).kind, STRACE_REC_NOTE);
	cr_assert_eq(lex("+++ superseded by execve in pid 5 +++", &p).kind, STRACE_REC_NOTE);
}

Test(strace_lexer, broken_lines_fail_with_a_reason)
{
	cr_assert(lex_fails("openat(AT_FDCWD, \"unterminated, O_RDONLY) = 3"));
	cr_assert(lex_fails("read(3, \"abc\", 3"));
	cr_assert(lex_fails("close(3) 0"));
	cr_assert(lex_fails("close(3) = banana"));
	cr_assert(lex_fails("%%% garbage"));
	cr_assert(lex_fails("<... read resumed"));
	cr_assert(lex_fails("+++ exited with x +++"));
	cr_assert(lex_fails(""));
}

Test(strace_args, split_nested_strings_annotations_comments)
{
	const char *a = "3<TCP:[1.2.3.4:5->6.7.8.9:10]>, {sa_family=AF_INET, sin_port=htons(80)}, "
			"\"a,b\\\"c\"..., [1, 2], 0x7ffd /* 5, vars */";
	struct strace_span s = {a, strlen(a)}, out[8];
	size_t n = strace_split(s, out, 8);
	cr_assert_eq(n, 5);
	cr_assert(strace_span_eq(out[0], "3<TCP:[1.2.3.4:5->6.7.8.9:10]>"));
	cr_assert(strace_span_eq(out[2], "\"a,b\\\"c\"..."));
	cr_assert(strace_span_eq(out[3], "[1, 2]"));
	int64_t v;
	cr_assert(strace_arg_int(out[0], &v) && v == 3);
	struct strace_span an;
	cr_assert(strace_arg_annot(out[0], &an));
	cr_assert(strace_span_eq(an, "TCP:[1.2.3.4:5->6.7.8.9:10]"));
	size_t len;
	bool trunc;
	char *str = strace_unquote(out[2], &len, &trunc);
	cr_assert_str_eq(str, "a,b\"c");
	cr_assert(trunc);
	free(str);
	struct strace_span f;
	cr_assert(strace_field(out[1], "sin_port", &f));
	cr_assert(strace_span_eq(f, "htons(80)"));
	cr_assert(!strace_field(out[1], "port", &f));
	cr_assert_eq(strace_split((struct strace_span){"", 0}, out, 8), 0);
}

Test(strace_args, escapes_numbers_flags)
{
	const char *q = "\"\\x41\\102\\n\\t\\\\\\\"\\0z\"";
	size_t len;
	bool trunc;
	char *s = strace_unquote((struct strace_span){q, strlen(q)}, &len, &trunc);
	cr_assert_eq(len, 8);
	cr_assert(memcmp(s, "AB\n\t\\\"\0z", 8) == 0);
	cr_assert(!trunc);
	free(s);
	cr_assert_null(strace_unquote((struct strace_span){"NULL", 4}, &len, &trunc));
	cr_assert_null(strace_unquote((struct strace_span){"\"open", 5}, &len, &trunc));
	int64_t v;
	cr_assert(strace_arg_int((struct strace_span){"0755", 4}, &v) && v == 0755);
	cr_assert(strace_arg_int((struct strace_span){"-1", 2}, &v) && v == -1);
	cr_assert(strace_arg_int((struct strace_span){"AT_FDCWD</x>", 12}, &v) && v == -100);
	cr_assert(!strace_arg_int((struct strace_span){"O_RDONLY", 8}, &v));
	static const struct strace_flag t[] = {{"A", 1}, {"B", 4}, {NULL, 0}};
	cr_assert_eq(strace_flags((struct strace_span){"A|B|0x10", 8}, t), 0x15);
	cr_assert(strace_has_word((struct strace_span){"O_RDWR|O_CREAT", 14}, "O_CREAT"));
	cr_assert(!strace_has_word((struct strace_span){"O_CREATX", 8}, "O_CREAT"));
}

/* The opaque tokens of strace text: a comma, bracket or ')' inside a string,
 * a comment or a -y annotation never splits arguments or closes a call. */
Test(strace_lexer, opaque_tokens_hide_separators)
{
	const char *s = "\"a,b)\" /* 5 vars, x) */ 3</tmp/a,b(c>, 4<TCP:[1.2.3.4:5->6.7.8.9:10]>";
	size_t n = strlen(s);
	cr_assert_eq(strace_skip_token(s, n, 0, true), 6, "string");
	cr_assert_eq(strace_skip_token(s, n, 7, true), 23, "comment");
	cr_assert_eq(strace_skip_token(s, n, 24, true), 24, "not a token start: unchanged");
	cr_assert_eq(strace_skip_token(s, n, 25, true), 37, "annotation");
	cr_assert_eq(strace_skip_token(s, n, 25, false), 25, "annotations off");
	cr_assert_eq(strace_skip_token("\"open", 5, 0, true), 5, "unterminated runs to the end");

	struct strace_span parts[4];
	struct strace_span all = {s, n};
	cr_assert_eq(strace_split(all, parts, 4), 2, "the annotation's comma must not split");
	cr_assert_eq(parts[1].n, strlen("4<TCP:[1.2.3.4:5->6.7.8.9:10]>"));

	const char *call = "f(3</x(y>, \"q)\") = 0";
	cr_assert_eq(strace_match_paren(call, strlen(call), 1), strlen("f(3</x(y>, \"q)\""));
}
