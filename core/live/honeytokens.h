/*
 * honeytokens.h — decoy credentials planted in the sandbox's HOME and
 * environment (sandbox.deception.honeytokens).
 *
 * Every audit draws fresh random values (getrandom), so a value seen
 * anywhere outside the file it was planted in came from this run's target:
 * there is no false positive from a real credential that happens to look
 * alike.  The files are written into the host directory backing HOME
 * before the target starts, owned by the target's user, mode 0600; the
 * variables are appended to the target's environment (a target.env entry
 * of the same name wins).  The values are published to the detectors as
 * DA_EV_SYSCALL_OTHER events with syscall "honeytoken" (see
 * honeytokens_publish): they are decoys, so events.jsonl may hold them.
 */
#ifndef DYNAUDIT_HONEYTOKENS_H
#define DYNAUDIT_HONEYTOKENS_H

#include <stddef.h>
#include <sys/types.h>

struct bus;

#define HT_MAX_TOKENS 8
#define HT_MAX_FILES 8

struct honeytoken {
	const char *name;   /* "AWS_SECRET_ACCESS_KEY": what evidence calls it */
	const char *where;  /* where it is planted: "~/.aws/credentials, environment" */
	char value[96];     /* the random value (printable, no spaces) */
};

struct honeytokens {
	struct honeytoken tok[HT_MAX_TOKENS];
	size_t n_tok;
	char *env[HT_MAX_TOKENS + 1];       /* "NAME=value" (malloc'd), NULL-terminated */
	const char *files[HT_MAX_FILES + 1]; /* planted files, "~/..." form, NULL-terminated */
	size_t n_files;
};

/* Draws the values.  0, or -errno (getrandom failing). */
int honeytokens_generate(struct honeytokens *ht);

/* Writes the decoy files under home_host (making ~/.ssh, ~/.aws,
 * ~/.config/gh), chowned to uid:gid when chown_them.  Returns 0 or -errno
 * with a reason in err; files already present (shipped by the
 * submission's HOME? never: HOME starts empty) are replaced. */
int honeytokens_plant(struct honeytokens *ht, const char *home_host, int chown_them, uid_t uid,
		      gid_t gid, char *err, size_t errlen);

/* "files: ~/.ssh/id_rsa, ...; environment: AWS_ACCESS_KEY_ID, ..." for the
 * report's sandbox facts (names only, never values). */
void honeytokens_describe(const struct honeytokens *ht, char *out, size_t outlen);

/* Publishes one event per planted file (syscall "honeytoken_file", path:
 * the file as the target sees it below home) and one per token (syscall
 * "honeytoken", detail: the name, text: the value).  Returns how many. */
int honeytokens_publish(const struct honeytokens *ht, struct bus *bus, const char *home);

void honeytokens_free(struct honeytokens *ht);

#endif
