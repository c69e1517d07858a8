/* The loader's ABI handshake and search order. */
#include <criterion/criterion.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "engine/plugin_loader.h"

static int nop_init(const struct da_host *h, const struct da_cfg *c, void **s, char *e, size_t n)
{
	return 0;
}

static int nop_event(void *s, const struct da_event *ev, char *e, size_t n)
{
	return 0;
}

static struct da_plugin good(void)
{
	struct da_plugin d = {
		DA_PLUGIN_HEADER,
		.name = "good", .version = "1.0", .category_id = "cat", .category_title = "Cat",
		.init = nop_init, .on_event = nop_event,
	};
	return d;
}

Test(loader, accepts_matching_abi)
{
	char err[256] = "";
	struct da_plugin d = good();
	cr_assert_eq(plugin_check_abi(&d, err, sizeof(err)), 0, "%s", err);
	d.abi_minor = 0;
	d.abi_patch = 77; /* patch differences never matter */
	cr_assert_eq(plugin_check_abi(&d, err, sizeof(err)), 0);
}

Test(loader, refuses_other_major_naming_both_versions)
{
	char err[256] = "";
	struct da_plugin d = good();
	d.abi_major = 2;
	d.abi_minor = 0;
	cr_assert_eq(plugin_check_abi(&d, err, sizeof(err)), -EPROTO);
	cr_assert(strstr(err, "2.0.0") && strstr(err, DA_PLUGIN_ABI_STRING), "%s", err);
}

Test(loader, refuses_newer_minor)
{
	char err[256] = "";
	struct da_plugin d = good();
	d.abi_minor = DA_PLUGIN_ABI_MINOR + 1;
	cr_assert_eq(plugin_check_abi(&d, err, sizeof(err)), -EPROTO);
}

Test(loader, refuses_truncated_descriptor_and_bad_names)
{
	char err[256] = "";
	struct da_plugin d = good();
	d.struct_size = 16;
	cr_assert_eq(plugin_check_abi(&d, err, sizeof(err)), -EPROTO);
	d = good();
	d.name = "Bad-Name";
	cr_assert_eq(plugin_check_abi(&d, err, sizeof(err)), -EINVAL);
	d = good();
	d.category_id = "";
	cr_assert_eq(plugin_check_abi(&d, err, sizeof(err)), -EINVAL);
	d = good();
	d.on_event = NULL;
	cr_assert_eq(plugin_check_abi(&d, err, sizeof(err)), -EINVAL);
	cr_assert_eq(plugin_check_abi(NULL, err, sizeof(err)), -EINVAL);
}

Test(loader, plugin_path_searched_before_builtin)
{
	char a[] = "/tmp/da-loader-XXXXXX", b[] = "/tmp/da-loader-XXXXXX";
	cr_assert(mkdtemp(a) && mkdtemp(b));
	setenv("DYNAUDIT_PLUGIN_DIR", b, 1);
	char p[512];
	snprintf(p, sizeof(p), "%s/mine.so", b);
	fclose(fopen(p, "w"));
	char *found = NULL, err[512] = "";
	char *path[] = {a, NULL};
	cr_assert_eq(plugin_find("mine", path, &found, err, sizeof(err)), 0, "%s", err);
	cr_assert_str_eq(found, p);
	free(found);
	snprintf(p, sizeof(p), "%s/mine.so", a);
	fclose(fopen(p, "w"));
	cr_assert_eq(plugin_find("mine", path, &found, err, sizeof(err)), 0);
	cr_assert_str_eq(found, p, "plugin_path must win over the built-in dir");
	free(found);
	cr_assert_eq(plugin_find("absent", path, &found, err, sizeof(err)), -ENOENT);
	cr_assert(strstr(err, a) && strstr(err, b), "the error lists where it looked: %s", err);
	cr_assert_eq(plugin_find("../evil", path, &found, err, sizeof(err)), -EINVAL,
		     "a name must not escape the plugin directories");
	unlink(p);
	snprintf(p, sizeof(p), "%s/mine.so", b);
	unlink(p);
	rmdir(a);
	rmdir(b);
}

Test(loader, dlopen_failure_is_explained)
{
	char p[] = "/tmp/da-notelf-XXXXXX.so";
	int fd = mkstemps(p, 3);
	cr_assert(fd >= 0);
	cr_assert_eq(write(fd, "garbage", 7), 7);
	close(fd);
	struct loaded_plugin lp;
	char err[512] = "";
	cr_assert_lt(plugin_load(p, &lp, err, sizeof(err)), 0);
	cr_assert(strstr(err, "cannot load"), "%s", err);
	unlink(p);
}
