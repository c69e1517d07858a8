/*
 * state.c — small helpers, paths already judged, pid -> program, report()
 */
#include "file.h"

/* ---- helpers ------------------------------------------------------------------ */

bool seen_has(const struct state *st, const char *key)
{
	return da_strset_has(st->seen, key);
}

/* Remembers key; returns true when it was new (or could not be stored:
 * better a repeated finding than a lost one). */
static bool seen_add(struct state *st, const char *key)
{
	int rc = da_strset_add(st->seen, key);
	if (rc < 0 && da_strset_len(st->seen) >= MAX_SEEN)
		st->dropped++;
	return rc != 0;
}

bool seen_once(struct state *st, char tag, const char *path)
{
	char key[PATH_MAX_LEN + 4];
	snprintf(key, sizeof(key), "%c:%s", tag, path);
	return seen_add(st, key);
}

/* "~/x" -> HOME/x; anything else copied. */
char *expand_home(const char *pattern, const char *home)
{
	char buf[PATH_MAX_LEN];
	if (pattern[0] == '~' && (pattern[1] == '/' || pattern[1] == '\0'))
		snprintf(buf, sizeof(buf), "%s%s", home ? home : "", pattern + 1);
	else
		snprintf(buf, sizeof(buf), "%s", pattern);
	return strdup(buf);
}

/* A pattern covers the path itself and everything below it
 * (patterns here are already expanded: no HOME needed). */
bool pattern_covers(const char *pattern, const char *path)
{
	return da_path_covers(pattern, NULL, path);
}

const char *proc_name(const struct state *st, int pid)
{
	for (size_t i = st->n_procs; i-- > 0;)
		if (st->procs[i].pid == pid)
			return st->procs[i].name;
	return "";
}

void remember_exec(struct state *st, const struct da_event *ev)
{
	const char *path = ev->path ? ev->path : ev->raw_path;
	if (!path || ev->err)
		return;
	const char *slash = strrchr(path, '/');
	const char *name = slash ? slash + 1 : path;
	struct proc_name *p = NULL;
	for (size_t i = st->n_procs; i-- > 0 && !p;)
		if (st->procs[i].pid == ev->pid)
			p = &st->procs[i];
	if (!p && st->n_procs < MAX_PROCS)
		p = &st->procs[st->n_procs++];
	if (!p) {
		st->dropped++;
		return;
	}
	p->pid = ev->pid;
	da_copy_text(p->name, sizeof(p->name), name);
	p->script[0] = '\0';
	const char *script = ev->argc > 1 && ev->argv ? ev->argv[1] : NULL;
	if (script && strcmp(script, "-m") == 0)
		script = ev->argc > 2 ? ev->argv[2] : NULL;
	if (script && script[0] != '-') {
		slash = strrchr(script, '/');
		da_copy_text(p->script, sizeof(p->script), slash ? slash + 1 : script);
	}
}

/* Tool configuration holding tokens that the tool itself reads on every run
 * (npm its .npmrc, Maven its settings.xml...): not a secret read when that
 * tool reads it, or in the setup phase (the build). */
static const struct {
	const char *pattern;
	const char *const tools[6];
} tool_config[] = {
	{"~/.npmrc", {"npm", "npx", "npm-cli.js", "npx-cli.js", "yarn", "pnpm"}},
	{"~/.pypirc", {"twine", NULL}},
	{"~/.m2/settings.xml", {"mvn", "mvnd", NULL}},
	{"~/.gradle/gradle.properties", {"gradle", "gradlew", NULL}},
	{"~/.cargo/credentials*", {"cargo", NULL}},
	{"~/.local/bin", {"pip", "pip3", "pipx", NULL}},
};

/* Is path a tool's own configuration read (or written) by that tool, or
 * touched during the setup phase (the build)?  See tool_config. */
bool tool_own_config(const struct state *st, const struct da_event *ev, const char *path)
{
	const char *home = st->host->run->home;
	bool setup = ev->phase && strcmp(ev->phase, "setup") == 0;
	const struct proc_name *p = NULL;
	for (size_t i = st->n_procs; i-- > 0 && !p;)
		if (st->procs[i].pid == ev->pid)
			p = &st->procs[i];
	for (size_t i = 0; i < sizeof(tool_config) / sizeof(tool_config[0]); i++) {
		const char *const list[] = {tool_config[i].pattern, NULL};
		if (!da_path_covered_by(list, home, path))
			continue;
		if (setup)
			return true;
		for (size_t t = 0; p && t < 6 && tool_config[i].tools[t]; t++)
			if (strcmp(p->name, tool_config[i].tools[t]) == 0 ||
			    strcmp(p->script, tool_config[i].tools[t]) == 0)
				return true;
	}
	return false;
}

const char *result_text(const struct da_event *ev, char *buf, size_t len)
{
	if (!ev->err)
		return "";
	snprintf(buf, len, " (failed: %s)", ev->errname ? ev->errname : "error");
	return buf;
}

__attribute__((format(printf, 6, 7)))
void report(struct state *st, const char *rule, enum da_severity sev,
	    const struct da_event *ev, const char *recommendation, const char *fmt, ...)
{
	char message[600], tail[600] = "";
	if (st->via)
		snprintf(tail, sizeof(tail), ", as %s through a link %s", st->via,
			 st->via_shipped ? "the submission ships" : "the run made");
	/* A planted decoy (or the directory holding one): the read is real,
	 * the secret is not, and the user should know which. */
	for (size_t i = 0; ev->path && i < st->n_decoys && strcmp(rule, "file.sensitive_read") == 0; i++)
		if (da_path_under(st->decoys[i], ev->path)) {
			size_t used = strlen(tail);
			snprintf(tail + used, sizeof(tail) - used,
				 " (a decoy credential dynaudit planted: sandbox.deception.honeytokens)");
			break;
		}
	const char *evidence[1] = {ev->text ? ev->text : ev->detail};
	struct da_finding f = {.rule = rule, .severity = sev, .message = tail, .pid = ev->pid,
			       .time_s = ev->time_s, .evidence = evidence,
			       .n_evidence = evidence[0] ? 1 : 0, .recommendation = recommendation};
	va_list ap;
	va_start(ap, fmt);
	da_emit_findingv(st->host, &f, message, sizeof(message), fmt, ap);
	va_end(ap);
	if (sev >= DA_SEV_LOW && !st->first_flagged[0])
		da_copy_text(st->first_flagged, sizeof(st->first_flagged), message);
}

