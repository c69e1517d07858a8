/*
 * sha256.h — SHA-256 (FIPS 180-4), used by the batch to recognise a
 * submission and a configuration it has already audited.  Why SHA-256 and
 * not a quick checksum: the bytes hashed are the submission's, and a
 * student must not be able to make a changed submission look unchanged.
 */
#ifndef DYNAUDIT_SHA256_H
#define DYNAUDIT_SHA256_H

#include <stddef.h>
#include <stdint.h>

struct sha256 {
	uint32_t h[8];
	uint64_t len;         /* bytes hashed so far */
	unsigned char blk[64];
	size_t fill;
};

void sha256_init(struct sha256 *s);
void sha256_update(struct sha256 *s, const void *data, size_t n);
/* Finish and write the digest as 64 lowercase hex digits + NUL. */
void sha256_hex(struct sha256 *s, char out[65]);

#endif /* DYNAUDIT_SHA256_H */
