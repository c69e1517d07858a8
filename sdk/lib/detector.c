/*
 * detector.c — see dynaudit/detector.h.
 */
#include "dynaudit/detector.h"

#include <stdio.h>
#include <string.h>

#include "dynaudit/pathclass.h"

const char *const da_temp_dirs[] = {"/tmp", "/var/tmp", "/dev/shm", NULL};

bool da_path_in_temp(const char *path)
{
	for (const char *const *d = da_temp_dirs; path && *d; d++)
		if (da_path_under(path, *d))
			return true;
	return false;
}

bool da_path_has_hidden(const char *path)
{
	for (const char *c = path; c && *c; c = strchr(c, '/')) {
		while (*c == '/')
			c++;
		if (c[0] == '.' && c[1] && c[1] != '/' && !(c[1] == '.' && (!c[2] || c[2] == '/')))
			return true;
	}
	return false;
}

const struct da_option_decl da_no_options[] = {{0}};

int da_emit_finding(const struct da_host *host, const char *rule, enum da_severity severity,
		    const char *message, int pid, double time_s, const char *const *evidence,
		    size_t n_evidence, const char *recommendation)
{
	struct da_finding f = {
		.struct_size = sizeof(f),
		.rule = rule,
		.severity = severity,
		.message = message,
		.pid = pid,
		.time_s = time_s,
		.evidence = n_evidence ? evidence : NULL,
		.n_evidence = n_evidence,
		.recommendation = recommendation,
	};
	return host->emit(host, &f);
}

int da_emit_findingv(const struct da_host *host, const struct da_finding *finding, char *buf,
		     size_t size, const char *fmt, va_list ap)
{
	char own[DA_FINDING_MESSAGE_MAX];
	if (!buf) {
		buf = own;
		size = sizeof(own);
	}
	int n = vsnprintf(buf, size, fmt, ap);
	if (n < 0)
		buf[0] = '\0';
	size_t used = strlen(buf);
	if (finding->message)
		snprintf(buf + used, size - used, "%s", finding->message);
	struct da_finding f = *finding;
	f.struct_size = sizeof(f);
	f.message = buf;
	if (!f.n_evidence)
		f.evidence = NULL;
	return host->emit(host, &f);
}

int da_emit_findingf(const struct da_host *host, const struct da_finding *finding, char *buf,
		     size_t size, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	int rc = da_emit_findingv(host, finding, buf, size, fmt, ap);
	va_end(ap);
	return rc;
}

uint64_t da_hash_str(const char *s)
{
	uint64_t h = 1469598103934665603ull;
	for (; *s; s++)
		h = (h ^ (unsigned char)*s) * 1099511628211ull;
	return h;
}

void da_copy_text(char *dst, size_t size, const char *src)
{
	size_t n = strlen(src);
	if (n >= size)
		n = size - 1;
	memcpy(dst, src, n);
	dst[n] = '\0';
}

bool da_str_starts_with(const char *s, const char *prefix)
{
	return s && strncmp(s, prefix, strlen(prefix)) == 0;
}

bool da_str_ends_with(const char *s, const char *suffix)
{
	if (!s)
		return false;
	size_t n = strlen(s), m = strlen(suffix);
	return n >= m && strcmp(s + n - m, suffix) == 0;
}
