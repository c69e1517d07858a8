/*
 * test_options.c — libdynaudit-sdk's option parsers and the testkit host
 * (dynaudit/options.h, dynaudit/testkit.h): the forms the core's check and
 * the detectors' readers accept, and a tiny detector driven by the kit.
 */
#include <criterion/criterion.h>
#include <errno.h>
#include <string.h>

#include "dynaudit/options.h"
#include "dynaudit/testkit.h"

Test(options, bool_forms)
{
	static const char *const yes[] = {"true", "yes", "on", "1", " TRUE ", "Yes", NULL};
	static const char *const no[] = {"false", "no", "off", "0", "Off", NULL};
	bool b;
	for (const char *const *t = yes; *t; t++)
		cr_expect(da_parse_bool(*t, &b) == 0 && b, "%s", *t);
	for (const char *const *t = no; *t; t++)
		cr_expect(da_parse_bool(*t, &b) == 0 && !b, "%s", *t);
	cr_expect(da_parse_bool("maybe", &b) == -EINVAL);
	cr_expect(da_parse_bool("", &b) == -EINVAL);
	cr_expect(da_parse_bool(NULL, &b) == -EINVAL);
}

Test(options, int_forms_and_overflow)
{
	long long v;
	cr_expect(da_parse_int("250", &v) == 0 && v == 250);
	cr_expect(da_parse_int(" -3 ", &v) == 0 && v == -3);
	cr_expect(da_parse_int("+7", &v) == 0 && v == 7);
	cr_expect(da_parse_int("9223372036854775807", &v) == 0 && v == 9223372036854775807LL);
	cr_expect(da_parse_int("9223372036854775808", &v) == -EINVAL);
	cr_expect(da_parse_int("3.5", &v) == -EINVAL);
	cr_expect(da_parse_int("0x10", &v) == -EINVAL);
	cr_expect(da_parse_int("-", &v) == -EINVAL);
	cr_expect(da_parse_int("12abc", &v) == -EINVAL);
}

Test(options, duration_forms)
{
	double s;
	cr_expect(da_parse_duration("5", &s) == 0 && s == 5);
	cr_expect(da_parse_duration("1.5", &s) == 0 && s == 1.5);
	cr_expect(da_parse_duration("90s", &s) == 0 && s == 90);
	cr_expect(da_parse_duration("500ms", &s) == 0 && s == 0.5);
	cr_expect(da_parse_duration("2m", &s) == 0 && s == 120);
	cr_expect(da_parse_duration("1h", &s) == 0 && s == 3600);
	cr_expect(da_parse_duration("-1", &s) == -EINVAL, "not negative");
	cr_expect(da_parse_duration("1e3", &s) == -EINVAL, "no exponents");
	cr_expect(da_parse_duration("inf", &s) == -EINVAL);
	cr_expect(da_parse_duration("5 minutes", &s) == -EINVAL);
	cr_expect(da_parse_duration(".", &s) == -EINVAL);
	char huge[400];
	memset(huge, '9', sizeof(huge) - 1);
	huge[sizeof(huge) - 1] = '\0';
	cr_expect(da_parse_duration(huge, &s) == -EINVAL, "longer than any duration");
}

/* ---- a tiny detector for the testkit ---------------------------------- */
static const struct da_host *tiny_host;
static long long tiny_limit;

static int tiny_init(const struct da_host *h, const struct da_cfg *c, void **s, char *e, size_t n)
{
	(void)s;
	tiny_host = h;
	struct da_rule_decl extra = {"tiny.extra", DA_SEV_LOW, "declared in init"};
	if (h->declare_rule(h, &extra) != 0)
		return -EIO;
	return da_opt_int(h, c, "limit", 2, &tiny_limit, e, n);
}

static int tiny_event(void *s, const struct da_event *ev, char *e, size_t n)
{
	(void)s; (void)e; (void)n;
	struct da_finding f = {.struct_size = sizeof(f), .rule = "tiny.exec",
			       .severity = ev->pid > tiny_limit ? DA_SEV_HIGH : DA_SEV_LOW,
			       .message = "exec", .pid = ev->pid};
	tiny_host->emit(tiny_host, &f);
	f.rule = "tiny.extra";
	tiny_host->emit(tiny_host, &f);
	f.rule = "tiny.nope";
	cr_expect(tiny_host->emit(tiny_host, &f) == -EINVAL, "an undeclared rule is refused");
	struct da_rule_decl late = {"tiny.late", DA_SEV_LOW, "too late"};
	cr_expect(tiny_host->declare_rule(tiny_host, &late) == -EPERM);
	return 0;
}

static const struct da_rule_decl tiny_rules[] = {{"tiny.exec", DA_SEV_HIGH, "an exec"}, {0}};
static const struct da_option_decl tiny_options[] = {{"limit", DA_OPT_INT, "a pid"}, {0}};
static const struct da_plugin tiny = {
	DA_PLUGIN_HEADER, .name = "tiny", .category_id = "tiny",
	.init = tiny_init, .on_event = tiny_event,
	.kinds = DA_KINDS(DA_EV_PROC_EXEC), .rules = tiny_rules, .options = tiny_options,
};

Test(testkit, records_merges_and_filters)
{
	char err[256];
	struct da_testkit *tk = da_testkit_new(&tiny);
	cr_assert(tk);
	cr_assert(da_testkit_set(tk, "limit", "5") == 0);
	cr_assert(da_testkit_init(tk, err, sizeof(err)) == 0, "%s", err);
	cr_expect(tiny_limit == 5);
	struct da_event ev = da_testkit_event(DA_EV_PROC_EXEC, 3, 0.1);
	da_testkit_send(tk, &ev);
	ev.pid = 9;
	da_testkit_send(tk, &ev);
	struct da_event open = da_testkit_event(DA_EV_FILE_OPEN, 3, 0.2);
	da_testkit_send(tk, &open);
	cr_expect(da_testkit_delivered(tk) == 2, "an unsubscribed kind is not delivered");
	cr_expect(da_testkit_count(tk, "tiny.exec") == 2);
	cr_expect(da_testkit_n_findings(tk) == 2, "merged by rule and message");
	const struct da_testkit_finding *f = da_testkit_find(tk, "tiny.exec", NULL);
	cr_expect(f && f->count == 2 && f->severity == DA_SEV_HIGH && f->pid == 3);
	cr_expect(da_testkit_emit_errors(tk) == 2);
	cr_expect(da_testkit_finish(tk) == 0);
	cr_expect(da_testkit_send(tk, &ev) == -EPERM, "nothing after finish");
	da_testkit_free(tk);
}

Test(testkit, checks_declared_options_like_the_core)
{
	char err[256];
	struct da_testkit *tk = da_testkit_new(&tiny);
	da_testkit_set(tk, "limit", "many");
	cr_expect(da_testkit_init(tk, err, sizeof(err)) == -EINVAL);
	cr_expect(strstr(err, "testkit:limit: plugins.tiny.limit: not an integer"), "%s", err);
	da_testkit_free(tk);
	tk = da_testkit_new(&tiny);
	da_testkit_set(tk, "colour", "blue");
	cr_expect(da_testkit_init(tk, err, sizeof(err)) == -EINVAL);
	cr_expect(strstr(err, "plugins.tiny.colour: unknown key"), "%s", err);
	da_testkit_free(tk);
	tk = da_testkit_new(&tiny);
	const char *const items[] = {"1", "2", NULL};
	da_testkit_set_list(tk, "limit", items);
	cr_expect(da_testkit_init(tk, err, sizeof(err)) == -EINVAL);
	cr_expect(strstr(err, "expected a single value"), "%s", err);
	da_testkit_free(tk);
}
