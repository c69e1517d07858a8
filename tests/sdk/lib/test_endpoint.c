/*
 * test_endpoint.c — the allow-list matcher of libdynaudit-sdk: entry
 * syntax and refusals, IPv4, IPv6 in brackets, IPv4-mapped addresses,
 * globs on each side, "localhost", all-interface spellings, unix paths.
 * Documentation addresses (192.0.2.0/24, 203.0.113.0/24, 2001:db8::/32)
 * as strings only.
 */
#include <criterion/criterion.h>
#include <errno.h>
#include <string.h>

#include "dynaudit/endpoint.h"

static struct da_endpoint_list *list_of(const char *const *entries, unsigned flags)
{
	struct da_endpoint_list *l = da_endpoint_list_new();
	cr_assert_not_null(l);
	char err[256];
	for (; *entries; entries++)
		cr_assert_eq(da_endpoint_list_add(l, *entries, flags, err, sizeof(err)), 0, "%s: %s",
			     *entries, err);
	return l;
}

Test(endpoint, ipv4_entry_matches_its_ipv4_mapped_form)
{
	static const char *const e[] = {"203.0.113.7:8080", NULL};
	struct da_endpoint_list *l = list_of(e, 0);
	cr_expect_eq(da_endpoint_match(l, "203.0.113.7:8080"), 0);
	cr_expect_eq(da_endpoint_match(l, "[::ffff:203.0.113.7]:8080"), 0);
	cr_expect_eq(da_endpoint_match(l, "[::FFFF:203.0.113.7]:8080"), 0);
	cr_expect_eq(da_endpoint_match(l, "[::ffff:203.0.113.7]:8081"), -1);
	cr_expect_eq(da_endpoint_match(l, "203.0.113.8:8080"), -1);
	cr_expect_eq(da_endpoint_match(l, "[2001:db8::7]:8080"), -1);
	da_endpoint_list_free(l);
}

Test(endpoint, mapped_entry_is_the_ipv4_entry)
{
	static const char *const e[] = {"[::ffff:192.0.2.1]:80", NULL};
	struct da_endpoint_list *l = list_of(e, 0);
	cr_expect_eq(da_endpoint_match(l, "192.0.2.1:80"), 0);
	cr_expect_eq(da_endpoint_match(l, "[::ffff:192.0.2.1]:80"), 0);
	da_endpoint_list_free(l);
}

Test(endpoint, ipv6_brackets_globs_and_first_match)
{
	static const char *const e[] = {"[2001:db8::1]:443", "*:53", "192.0.2.*:1[0-9]", "[::1]:*", NULL};
	struct da_endpoint_list *l = list_of(e, 0);
	cr_expect_eq(da_endpoint_match(l, "[2001:db8::1]:443"), 0);
	cr_expect_eq(da_endpoint_match(l, "[2001:db8::2]:443"), -1);
	cr_expect_eq(da_endpoint_match(l, "198.51.100.4:53"), 1);
	cr_expect_eq(da_endpoint_match(l, "[2001:db8::9]:53"), 1);
	cr_expect_eq(da_endpoint_match(l, "192.0.2.200:15"), 2);
	cr_expect_eq(da_endpoint_match(l, "192.0.2.200:25"), -1);
	cr_expect_eq(da_endpoint_match(l, "[::1]:9000"), 3);
	cr_expect_eq(da_endpoint_match(l, "/run/x.sock"), -1, "unix addresses need unix entries");
	cr_expect_eq(da_endpoint_list_len(l), 4);
	da_endpoint_list_free(l);
}

Test(endpoint, localhost_is_every_loopback_address)
{
	static const char *const e[] = {"localhost:8080", NULL};
	struct da_endpoint_list *l = list_of(e, 0);
	cr_expect_eq(da_endpoint_match(l, "127.0.0.1:8080"), 0);
	cr_expect_eq(da_endpoint_match(l, "127.1.2.3:8080"), 0);
	cr_expect_eq(da_endpoint_match(l, "[::1]:8080"), 0);
	cr_expect_eq(da_endpoint_match(l, "[::ffff:127.0.0.1]:8080"), 0);
	cr_expect_eq(da_endpoint_match(l, "192.0.2.1:8080"), -1);
	cr_expect_eq(da_endpoint_match(l, "127.0.0.1:8081"), -1);
	da_endpoint_list_free(l);
}

Test(endpoint, all_interfaces_entry_covers_its_spellings)
{
	static const char *const e[] = {"0.0.0.0:5555", "127.0.0.1:6000", NULL};
	struct da_endpoint_list *l = list_of(e, 0);
	cr_expect_eq(da_endpoint_match(l, "[::]:5555"), 0);
	cr_expect_eq(da_endpoint_match(l, "*:5555"), 0);
	cr_expect(da_endpoint_names_any_interface(l, 0));
	cr_expect_not(da_endpoint_names_any_interface(l, 1));
	cr_expect_not(da_endpoint_names_any_interface(l, 7));
	cr_expect(da_endpoint_port_listed(l, "6000"));
	cr_expect_not(da_endpoint_port_listed(l, "6001"));
	da_endpoint_list_free(l);
}

Test(endpoint, host_alone_and_unix_entries_only_when_asked)
{
	char err[256];
	struct da_endpoint_list *l = da_endpoint_list_new();
	cr_expect_eq(da_endpoint_list_add(l, "192.0.2.1", 0, err, sizeof(err)), -EINVAL);
	cr_expect(strstr(err, "192.0.2.1") && strstr(err, "host:port"), "%s", err);
	cr_expect_eq(da_endpoint_list_add(l, "/run/app.sock", 0, err, sizeof(err)), -EINVAL);
	cr_expect_eq(da_endpoint_list_add(l, "192.0.2.1", DA_ENDPOINT_HOST_ALONE, err, sizeof(err)), 0);
	cr_expect_eq(da_endpoint_list_add(l, "/run/app*.sock", DA_ENDPOINT_UNIX, err, sizeof(err)), 0);
	cr_expect_eq(da_endpoint_list_add(l, "@abstract", DA_ENDPOINT_UNIX, err, sizeof(err)), 0);
	cr_expect_eq(da_endpoint_match(l, "192.0.2.1:1"), 0);
	cr_expect_eq(da_endpoint_match(l, "192.0.2.1:65535"), 0);
	cr_expect_eq(da_endpoint_match(l, "/run/app1.sock"), 1);
	cr_expect_eq(da_endpoint_match(l, "@abstract"), 2);
	cr_expect_eq(da_endpoint_match(l, "/run/other.sock"), -1);
	da_endpoint_list_free(l);
}

Test(endpoint, malformed_entries_are_refused)
{
	static const char *const bad[] = {"", "192.0.2.1:http", "[::1:80", "a b:80", "192.0.2.1:", NULL};
	char err[256];
	struct da_endpoint_list *l = da_endpoint_list_new();
	for (const char *const *b = bad; *b; b++)
		cr_expect_eq(da_endpoint_list_add(l, *b, DA_ENDPOINT_UNIX, err, sizeof(err)), -EINVAL,
			     "'%s' accepted", *b);
	cr_expect_eq(da_endpoint_list_add(l, NULL, 0, err, sizeof(err)), -EINVAL);
	cr_expect_eq(da_endpoint_list_len(l), 0);
	cr_expect_eq(da_endpoint_match(l, "192.0.2.1:80"), -1);
	cr_expect_eq(da_endpoint_match(NULL, "192.0.2.1:80"), -1);
	cr_expect_eq(da_endpoint_match(l, NULL), -1);
	da_endpoint_list_free(l);
	da_endpoint_list_free(NULL);
}

Test(endpoint, address_classes)
{
	char host[64], port[16];
	cr_expect(da_endpoint_split("[2001:db8::1]:80", host, sizeof(host), port, sizeof(port)));
	cr_expect_str_eq(host, "2001:db8::1");
	cr_expect_str_eq(port, "80");
	cr_expect(da_endpoint_split("2001:db8::1", host, sizeof(host), port, sizeof(port)));
	cr_expect_str_eq(host, "2001:db8::1");
	cr_expect_str_eq(port, "");
	cr_expect_not(da_endpoint_split("", host, sizeof(host), port, sizeof(port)));
	cr_expect_str_eq(da_endpoint_unmapped("::ffff:192.0.2.1"), "192.0.2.1");
	cr_expect_str_eq(da_endpoint_unmapped("::ffff:1:2"), "::ffff:1:2");
	cr_expect(da_endpoint_is_loopback("::ffff:127.0.0.1"));
	cr_expect_not(da_endpoint_is_loopback("::12"));
	cr_expect(da_endpoint_is_any_interface("::"));
	cr_expect(da_endpoint_is_any_interface(""));
	cr_expect_not(da_endpoint_is_any_interface("192.0.2.1"));
	cr_expect(da_endpoint_is_unix("@x"));
	cr_expect_not(da_endpoint_is_unix(NULL));
}
