/*
 * honeytokens.c — draw, plant, describe and publish the decoy credentials
 * of one audit (see honeytokens.h for the contract).
 *
 * The files imitate what the real tools write closely enough that a
 * credential stealer parses them (aws' INI, gh's YAML, git's credential
 * store URLs, netrc lines, an OpenSSH private key block); none of the
 * values is valid anywhere.  HOME is a fresh directory dynaudit made and the
 * target has not started, so nothing races the writes; O_EXCL|O_NOFOLLOW
 * anyway, as everywhere dynaudit writes into the sandbox's trees.
 */
#include "live/honeytokens.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <sys/stat.h>
#include <unistd.h>

#include "engine/bus.h"

static const char ALNUM[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
static const char UPPER[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
static const char B64[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

/* prefix + n random characters of set (n < sizeof value - strlen(prefix)). */
static int draw(char *out, size_t outlen, const char *prefix, const char *set, size_t n)
{
	unsigned char rnd[80];
	size_t setlen = strlen(set), pl = strlen(prefix);
	if (n > sizeof rnd || pl + n + 1 > outlen)
		return -EINVAL;
	size_t got = 0;
	while (got < n) {
		ssize_t r = getrandom(rnd + got, n - got, 0);
		if (r < 0) {
			if (errno == EINTR)
				continue;
			return -errno;
		}
		got += (size_t)r;
	}
	memcpy(out, prefix, pl);
	for (size_t i = 0; i < n; i++)
		out[pl + i] = set[rnd[i] % setlen]; /* a slight bias is fine for a decoy */
	out[pl + n] = '\0';
	return 0;
}

/* Token indexes: the env variables first (ENV_TOKENS of them). */
enum { T_AWS_ID, T_AWS_SECRET, T_GITHUB, T_DB_PASS, T_NETRC, T_SSH, N_TOKENS };
#define ENV_TOKENS 4

int honeytokens_generate(struct honeytokens *ht)
{
	static const struct { const char *name, *where, *prefix, *set; size_t n; } spec[N_TOKENS] = {
		[T_AWS_ID] = {"AWS_ACCESS_KEY_ID", "~/.aws/credentials, environment", "AKIA", UPPER, 16},
		[T_AWS_SECRET] = {"AWS_SECRET_ACCESS_KEY", "~/.aws/credentials, environment", "", B64, 40},
		[T_GITHUB] = {"GITHUB_TOKEN", "~/.config/gh/hosts.yml, ~/.git-credentials, environment",
			      "ghp_", ALNUM, 36},
		[T_DB_PASS] = {"DATABASE_URL password", "environment", "", ALNUM, 24},
		[T_NETRC] = {"~/.netrc password", "~/.netrc", "", ALNUM, 32},
		[T_SSH] = {"~/.ssh/id_rsa key material", "~/.ssh/id_rsa", "", B64, 70},
	};
	memset(ht, 0, sizeof *ht);
	for (size_t i = 0; i < N_TOKENS; i++) {
		int rc = draw(ht->tok[i].value, sizeof ht->tok[i].value, spec[i].prefix, spec[i].set,
			      spec[i].n);
		if (rc < 0)
			return rc;
		ht->tok[i].name = spec[i].name;
		ht->tok[i].where = spec[i].where;
	}
	ht->n_tok = N_TOKENS;
	const char *envname[ENV_TOKENS] = {"AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "GITHUB_TOKEN",
					   "DATABASE_URL"};
	for (size_t i = 0; i < ENV_TOKENS; i++) {
		int n = i == T_DB_PASS ?
			asprintf(&ht->env[i], "DATABASE_URL=postgres://app:%s@db.invalid:5432/app",
				 ht->tok[i].value) :
			asprintf(&ht->env[i], "%s=%s", envname[i], ht->tok[i].value);
		if (n < 0) {
			ht->env[i] = NULL;
			honeytokens_free(ht);
			return -ENOMEM;
		}
	}
	return 0;
}

static int write_file(int dirfd, const char *name, const char *text, int chown_them, uid_t uid,
		      gid_t gid)
{
	unlinkat(dirfd, name, 0);
	int fd = openat(dirfd, name, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
	if (fd < 0)
		return -errno;
	size_t len = strlen(text), off = 0;
	int rc = 0;
	while (off < len) {
		ssize_t w = write(fd, text + off, len - off);
		if (w < 0) {
			if (errno == EINTR)
				continue;
			rc = -errno;
			break;
		}
		off += (size_t)w;
	}
	if (rc == 0 && chown_them && fchown(fd, uid, gid) < 0)
		rc = -errno;
	close(fd);
	return rc;
}

/* mkdir name under dirfd (0700, chowned) and open it. */
static int sub_dir(int dirfd, const char *name, int chown_them, uid_t uid, gid_t gid)
{
	if (mkdirat(dirfd, name, 0700) < 0 && errno != EEXIST)
		return -errno;
	int fd = openat(dirfd, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	if (chown_them && fchown(fd, uid, gid) < 0) {
		int e = errno;
		close(fd);
		return -e;
	}
	return fd;
}

int honeytokens_plant(struct honeytokens *ht, const char *home_host, int chown_them, uid_t uid,
		      gid_t gid, char *err, size_t errlen)
{
	const struct honeytoken *t = ht->tok;
	char text[1024], line[96];
	int rc = 0, home = -1, d = -1, d2 = -1;
	const char *step = home_host;

	home = open(home_host, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	if (home < 0) {
		rc = -errno;
		goto out;
	}
	ht->n_files = 0;
#define PLANT(dir, name, shown)                                                   \
	do {                                                                      \
		step = shown;                                                     \
		if ((rc = write_file(dir, name, text, chown_them, uid, gid)) < 0) \
			goto out;                                                 \
		ht->files[ht->n_files++] = shown;                                 \
	} while (0)

	/* ~/.ssh: a private key block whose base64 lines are random (the second
	 * line is the token), its .pub and a known_hosts line. */
	step = "~/.ssh";
	if ((d = sub_dir(home, ".ssh", chown_them, uid, gid)) < 0) {
		rc = d;
		goto out;
	}
	int n = snprintf(text, sizeof text, "-----BEGIN OPENSSH PRIVATE KEY-----\n"
			 "b3BlbnNzaC1rZXktdjEAAAAABG5vbmUAAAAEbm9uZQAAAAAAAAABAAABlwAAAAdzc2gtcn\n%s\n",
			 t[T_SSH].value);
	for (int i = 0; i < 3 && n > 0 && (size_t)n < sizeof text; i++) {
		if ((rc = draw(line, sizeof line, "", B64, 70)) < 0)
			goto out;
		n += snprintf(text + n, sizeof text - (size_t)n, "%s\n", line);
	}
	if (n > 0 && (size_t)n < sizeof text)
		snprintf(text + n, sizeof text - (size_t)n, "-----END OPENSSH PRIVATE KEY-----\n");
	PLANT(d, "id_rsa", "~/.ssh/id_rsa");
	if ((rc = draw(line, sizeof line, "", B64, 68)) < 0)
		goto out;
	snprintf(text, sizeof text, "ssh-rsa AAAAB3NzaC1yc2EAAAADAQABAAABgQ%s auditor@workstation\n", line);
	PLANT(d, "id_rsa.pub", "~/.ssh/id_rsa.pub");
	snprintf(text, sizeof text, "git.invalid ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAI%.43s\n", line);
	PLANT(d, "known_hosts", "~/.ssh/known_hosts");
	close(d);
	d = -1;

	step = "~/.aws";
	if ((d = sub_dir(home, ".aws", chown_them, uid, gid)) < 0) {
		rc = d;
		goto out;
	}
	snprintf(text, sizeof text, "[default]\naws_access_key_id = %s\naws_secret_access_key = %s\n"
		 "region = us-east-1\n", t[T_AWS_ID].value, t[T_AWS_SECRET].value);
	PLANT(d, "credentials", "~/.aws/credentials");
	close(d);
	d = -1;

	snprintf(text, sizeof text, "machine api.git.invalid\n  login auditor\n  password %s\n",
		 t[T_NETRC].value);
	PLANT(home, ".netrc", "~/.netrc");
	snprintf(text, sizeof text, "https://auditor:%s@git.invalid\n", t[T_GITHUB].value);
	PLANT(home, ".git-credentials", "~/.git-credentials");

	step = "~/.config/gh";
	if ((d = sub_dir(home, ".config", chown_them, uid, gid)) < 0 ||
	    (d2 = sub_dir(d, "gh", chown_them, uid, gid)) < 0) {
		rc = d < 0 ? d : d2;
		goto out;
	}
	snprintf(text, sizeof text, "github.com:\n    user: auditor\n    oauth_token: %s\n"
		 "    git_protocol: https\n", t[T_GITHUB].value);
	PLANT(d2, "hosts.yml", "~/.config/gh/hosts.yml");
#undef PLANT
out:
	ht->files[ht->n_files] = NULL;
	if (rc < 0)
		snprintf(err, errlen, "honeytokens: %s: %s", step, strerror(-rc));
	if (d2 >= 0)
		close(d2);
	if (d >= 0)
		close(d);
	if (home >= 0)
		close(home);
	return rc;
}

void honeytokens_describe(const struct honeytokens *ht, char *out, size_t outlen)
{
	size_t n = 0;
#define ADD(...)                                                             \
	do {                                                                     \
		int w = snprintf(out + n, outlen > n ? outlen - n : 0, __VA_ARGS__); \
		if (w > 0)                                                           \
			n += (size_t)w;                                              \
	} while (0)
	if (!outlen)
		return;
	out[0] = '\0';
	ADD("decoy credentials, unique to this audit: files ");
	for (size_t i = 0; i < ht->n_files; i++)
		ADD("%s%s", i ? ", " : "", ht->files[i]);
	ADD("; environment ");
	for (size_t i = 0; ht->env[i]; i++)
		ADD("%s%.*s", i ? ", " : "", (int)strcspn(ht->env[i], "="), ht->env[i]);
#undef ADD
}

int honeytokens_publish(const struct honeytokens *ht, struct bus *bus, const char *home)
{
	int n = 0;
	for (size_t i = 0; home && i < ht->n_files; i++) {
		char path[512];
		struct da_event ev;
		snprintf(path, sizeof path, "%s%s", home, ht->files[i] + 1); /* "~/x" */
		da_event_init(&ev, DA_EV_SYSCALL_OTHER);
		ev.syscall = "honeytoken_file";
		ev.path = path;
		ev.text = "decoy file planted by dynaudit (sandbox.deception.honeytokens)";
		if (bus_publish(bus, &ev) == 0)
			n++;
	}
	for (size_t i = 0; i < ht->n_tok; i++) {
		struct da_event ev;
		da_event_init(&ev, DA_EV_SYSCALL_OTHER);
		ev.syscall = "honeytoken";
		ev.detail = ht->tok[i].name;
		ev.text = ht->tok[i].value;
		if (bus_publish(bus, &ev) == 0)
			n++;
	}
	return n;
}

void honeytokens_free(struct honeytokens *ht)
{
	for (size_t i = 0; i < HT_MAX_TOKENS; i++) {
		free(ht->env[i]);
		ht->env[i] = NULL;
	}
}
