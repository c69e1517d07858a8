/*
 * test_rules_plugin.c — rules.so through its descriptor with a fake host:
 * it declares every rule of its files (host->declare_rule, ABI 1.2), turns
 * a refused declaration into a configuration error, still works with a
 * host that has no declare_rule (a 1.1 core), resolves files against the
 * config's directory, and emits findings with rendered messages.
 */
#include <criterion/criterion.h>
#include <dlfcn.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dynaudit/plugin.h"

static char declared[16][128];
static int n_declared, refuse_with;
static char emitted[16][256];
static int n_emitted;
static char where[600];
static const char *files[2];

static int fake_declare(const struct da_host *h, const struct da_rule_decl *r)
{
	(void)h;
	if (refuse_with)
		return refuse_with;
	snprintf(declared[n_declared++ % 16], 128, "%s %s", r->id, da_severity_name(r->severity));
	return 0;
}

static int fake_emit(const struct da_host *h, const struct da_finding *f)
{
	(void)h;
	snprintf(emitted[n_emitted++ % 16], 256, "%s %s pid %d", f->rule, f->message, f->pid);
	return 0;
}

static void fake_summary(const struct da_host *h, const char *o, const char *r)
{
	(void)h, (void)o, (void)r;
}

static const char *fake_string(const struct da_host *h, const struct da_cfg *n, const char *k)
{
	(void)h, (void)n, (void)k;
	return NULL;
}

static size_t fake_list(const struct da_host *h, const struct da_cfg *n, const char *k,
			const char *const **items)
{
	(void)h, (void)n;
	*items = strcmp(k, "files") == 0 ? files : NULL;
	return *items ? 1 : 0;
}

static const struct da_cfg *fake_child(const struct da_host *h, const struct da_cfg *n, const char *k)
{
	(void)h, (void)n, (void)k;
	return NULL;
}

static const char *fake_key_at(const struct da_host *h, const struct da_cfg *n, size_t i)
{
	(void)h, (void)n;
	return i == 0 ? "files" : NULL;
}

static const char *fake_where(const struct da_host *h, const struct da_cfg *n, const char *k)
{
	(void)h, (void)n, (void)k;
	return where;
}

static void fake_log(const struct da_host *h, int level, const char *fmt, ...)
{
	(void)h, (void)level, (void)fmt;
}

static const struct da_plugin *load_plugin(void)
{
	void *so = dlopen(PLUGIN_BUILD_DIR "/rules.so", RTLD_NOW | RTLD_LOCAL);
	cr_assert(so, "%s", dlerror());
	const struct da_plugin *(*entry)(void) =
		(const struct da_plugin *(*)(void))dlsym(so, DA_PLUGIN_ENTRY_SYMBOL);
	cr_assert(entry);
	return entry();
}

static struct da_run_info run = {.struct_size = sizeof(run), .workdir = "/home/auditor/app",
				 .home = "/home/auditor", .tmpdir = "/tmp"};

static struct da_host make_host(bool with_declare)
{
	struct da_host h = {.struct_size = sizeof(h), .run = &run, .emit = fake_emit,
			    .set_summary = fake_summary, .cfg_string = fake_string,
			    .cfg_list = fake_list, .cfg_child = fake_child, .cfg_key_at = fake_key_at,
			    .cfg_where = fake_where, .log = fake_log,
			    .declare_rule = with_declare ? fake_declare : NULL};
	if (!with_declare) /* a 1.1 core: the struct ends before declare_rule */
		h.struct_size = (uint32_t)offsetof(struct da_host, declare_rule);
	return h;
}

static char dir[] = "/tmp/rules-plugin-XXXXXX";

static void write_rules(void)
{
	cr_assert(mkdtemp(dir));
	char path[128];
	snprintf(path, sizeof(path), "%s/course.rules.yaml", dir);
	FILE *f = fopen(path, "w");
	fputs("rules:\n  - {id: a, severity: high, message: \"open %{path}\", condition: kind = open}\n"
	      "  - {id: b, severity: low, message: m, summary: the b rule, condition: kind = exec}\n", f);
	fclose(f);
	snprintf(where, sizeof(where), "%s/audit.yaml:3", dir);
	files[0] = "course.rules.yaml"; /* relative: taken from audit.yaml's directory */
}

Test(plugin, declares_rules_and_emits)
{
	write_rules();
	const struct da_plugin *d = load_plugin();
	cr_assert_str_eq(d->category_id, "rules");
	cr_assert_str_eq(d->category_title, "Custom Rules");
	struct da_host h = make_host(true);
	void *st = NULL;
	char err[512] = "";
	cr_assert_eq(d->init(&h, NULL, &st, err, sizeof(err)), 0, "%s", err);
	cr_assert_eq(n_declared, 2);
	cr_assert_str_eq(declared[0], "rules.a high");
	cr_assert_str_eq(declared[1], "rules.b low");
	struct da_event ev = {.struct_size = sizeof(ev), .kind = DA_EV_FILE_OPEN, .pid = 7,
			      .path = "/etc/hosts", .fd = 3, .text = "openat(...) = 3"};
	cr_assert_eq(d->on_event(st, &ev, err, sizeof(err)), 0);
	cr_assert_eq(d->finish(st, err, sizeof(err)), 0);
	d->destroy(st);
	cr_assert_eq(n_emitted, 1);
	cr_assert_str_eq(emitted[0], "rules.a open /etc/hosts pid 7");
}

Test(plugin, refused_declaration_is_a_config_error)
{
	write_rules();
	const struct da_plugin *d = load_plugin();
	struct da_host h = make_host(true);
	refuse_with = -EEXIST;
	void *st = NULL;
	char err[512] = "";
	cr_assert_eq(d->init(&h, NULL, &st, err, sizeof(err)), -EINVAL);
	cr_assert(strstr(err, "course.rules.yaml:2: rule rules.a: another detector already reports"),
		  "%s", err);
	d->destroy(st);
}

Test(plugin, works_without_declare_rule)
{
	write_rules();
	const struct da_plugin *d = load_plugin();
	struct da_host h = make_host(false);
	h.declare_rule = fake_declare; /* past struct_size: must not be called */
	void *st = NULL;
	char err[512] = "";
	cr_assert_eq(d->init(&h, NULL, &st, err, sizeof(err)), 0, "%s", err);
	cr_assert_eq(n_declared, 0);
	d->destroy(st);
}
