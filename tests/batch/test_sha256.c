/* sha256.c against the FIPS 180-4 examples and a long input fed in odd pieces. */
#include <criterion/criterion.h>
#include <string.h>

#include "common/sha256.h"

static void hex_of(const void *data, size_t n, char out[65])
{
	struct sha256 s;
	sha256_init(&s);
	sha256_update(&s, data, n);
	sha256_hex(&s, out);
}

Test(sha256, fips_examples)
{
	char h[65];
	hex_of("", 0, h);
	cr_expect_str_eq(h, "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
	hex_of("abc", 3, h);
	cr_expect_str_eq(h, "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
	const char *two = "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq";
	hex_of(two, strlen(two), h);
	cr_expect_str_eq(h, "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
}

Test(sha256, a_million_a_in_odd_pieces)
{
	static char a[1000000];
	memset(a, 'a', sizeof(a));
	struct sha256 s;
	sha256_init(&s);
	for (size_t off = 0, step = 1; off < sizeof(a); off += step, step = step % 97 + 13)
		sha256_update(&s, a + off, off + step > sizeof(a) ? sizeof(a) - off : step);
	char h[65];
	sha256_hex(&s, h);
	cr_expect_str_eq(h, "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0");
}
