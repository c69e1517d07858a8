/*
 * harvest.c — secrets harvested to local files (rule process.secret_harvest).
 *
 * Credentials are gathered before they are sent: the environment dumped,
 * or filtered for the names credentials go by, into a file the run keeps
 * (often a hidden one, for a later step or another process to send).
 * Judged at the exec of the program doing it, from its argv and where its
 * stdin and stdout lead (the exec's stdio descriptions):
 *   - env / printenv (no command to run), or a reader of /proc/PID/environ
 *     (argv or stdin), whose stdout is a file;
 *   - a filter (grep, awk, sed) whose pattern or program names credentials
 *     (TOKEN, SECRET, PASS, KEY, CRED, AWS_) and whose stdout is a file.
 * high when the file has a hidden name, medium otherwise.  Output to a
 * pipe or a terminal is recon (process.recon), not a harvest.
 */
#include "process.h"

#include <ctype.h>

/* Whether stdout description d is a file of the run: a path, not a device,
 * pipe, socket or terminal. */
static bool is_file_out(const char *d)
{
	return d && d[0] == '/' && !da_path_under(d, "/dev") && !da_path_under(d, "/proc");
}

static bool names_credentials(const char *w)
{
	static const char *const words[] = {"token", "secret", "pass", "key", "cred", "aws_", NULL};
	char low[256];
	size_t n = 0;
	for (; w[n] && n + 1 < sizeof(low); n++)
		low[n] = (char)tolower((unsigned char)w[n]);
	low[n] = '\0';
	for (const char *const *k = words; *k; k++)
		if (strstr(low, *k))
			return true;
	return false;
}

static bool is_environ(const char *path)
{
	if (!path || !da_str_starts_with(path, "/proc/"))
		return false;
	const char *slash = strchr(path + 6, '/');
	return slash && strcmp(slash, "/environ") == 0;
}

/* What the exec harvests ("the environment", "credential names"), or NULL. */
static const char *harvest_of(const struct da_event *ev)
{
	static const char *const filters[] = {"grep", "egrep", "fgrep", "rg", "awk", "gawk", "mawk",
					      "sed", NULL};
	const char *base = da_prog_base_name(ev->path ? ev->path : (ev->argc > 0 && ev->argv ? ev->argv[0] : NULL));
	if (is_environ(ev->stdio[0]))
		return "another process's or its own environment (/proc/PID/environ)";
	for (int i = 1; ev->argv && i < ev->argc; i++)
		if (ev->argv[i] && is_environ(ev->argv[i]))
			return "the environment (/proc/PID/environ)";
	if (strcmp(base, "env") == 0 || strcmp(base, "printenv") == 0) {
		for (int i = 1; ev->argv && i < ev->argc; i++)
			if (ev->argv[i] && ev->argv[i][0] != '-' && !strchr(ev->argv[i], '='))
				return NULL; /* env VAR=x prog: it runs prog */
		return "the environment";
	}
	if (!in_list(base, filters))
		return NULL;
	/* the pattern (or program): -e's value, else the first operand; the
	 * file operands after it are what it reads ("sort keys.txt" is no harvest) */
	for (int i = 1; ev->argv && i < ev->argc && ev->argv[i]; i++) {
		const char *a = ev->argv[i];
		if ((strcmp(a, "-e") == 0 || strcmp(a, "--regexp") == 0) && i + 1 < ev->argc) {
			if (ev->argv[i + 1] && names_credentials(ev->argv[i + 1]))
				return "lines naming credentials";
			i++;
			continue;
		}
		if (a[0] == '-')
			continue;
		return names_credentials(a) ? "lines naming credentials" : NULL;
	}
	return NULL;
}

void check_harvest(struct state *st, const struct da_event *ev)
{
	if (ev->err || !is_file_out(ev->stdio[1]) || (ev->phase && strcmp(ev->phase, "setup") == 0))
		return;
	const char *what = harvest_of(ev);
	if (!what)
		return;
	bool hidden = da_path_has_hidden(ev->stdio[1]);
	char cmd[256];
	join_argv(ev, da_prog_base_name(ev->path), cmd, sizeof(cmd));
	report(st, "process.secret_harvest", hidden ? DA_SEV_HIGH : DA_SEV_MEDIUM, ev,
	       "Find out what reads that file next: credentials gathered into a file are staged for sending.",
	       "Harvests %s into %s%s: %s", what, hidden ? "a hidden file " : "", ev->stdio[1], cmd);
}
