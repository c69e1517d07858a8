/*
 * chain.c — delayed shell chains: a shell -c string that would be a mere
 * habit (os.system("clear")) weighs more when the program first stayed
 * quiet for a while, and the string then writes a hidden file or lists
 * the system.  Each step is ordinary; the chain is how a dropper waits out
 * a short audit, leaves a marker and surveys the machine.
 *
 * The delay is the time between the shell's exec and the run's last
 * observable activity before it (output, a connect, a listen), or the
 * start of the run when there was none.  A hidden file is a redirection
 * target, or a touch/tee/cp/mv destination, with a "." component.  Listing
 * the system is a reconnaissance command (recon_name) or ls/find/du/tree/
 * stat of / or a system directory.
 */
#include "process.h"

#define CHAIN_DELAY_S 2.0 /* quiet this long before the shell is a delay */

static bool names_system_dir(const char *w)
{
	static const char *const dirs[] = {"/etc", "/home", "/root", "/proc", "/sys", "/var",
					   "/usr", "/opt", "/boot", "/srv", "/mnt", NULL};
	if (strcmp(w, "/") == 0)
		return true;
	for (const char *const *d = dirs; *d; d++)
		if (da_path_under(w, *d))
			return true;
	return false;
}

/* The first hidden file the words write, or NULL. */
static const char *hidden_target(const struct words *ws)
{
	for (size_t i = 0; i < ws->n; i++) {
		const char *w = ws->w[i];
		if (strcmp(w, ">") == 0) {
			size_t j = i + 1;
			while (j < ws->n && strcmp(ws->w[j], ">") == 0)
				j++;
			if (j < ws->n && !is_separator_word(ws->w[j]) && strncmp(ws->w[j], "/dev/", 5) != 0 &&
			    da_path_has_hidden(ws->w[j]))
				return ws->w[j];
			continue;
		}
		size_t c = command_word(ws, i);
		if (c != i || c >= ws->n)
			continue;
		const char *cmd = da_prog_base_name(ws->w[c]);
		bool dest_last = strcmp(cmd, "cp") == 0 || strcmp(cmd, "mv") == 0;
		bool any_arg = strcmp(cmd, "touch") == 0 || strcmp(cmd, "tee") == 0;
		if (!dest_last && !any_arg)
			continue;
		const char *last = NULL;
		for (size_t j = c + 1; j < ws->n && !is_separator_word(ws->w[j]) &&
				       strcmp(ws->w[j], ">") != 0 && strcmp(ws->w[j], "<") != 0; j++) {
			if (ws->w[j][0] == '-')
				continue;
			if (any_arg && da_path_has_hidden(ws->w[j]))
				return ws->w[j];
			last = ws->w[j];
		}
		if (dest_last && last && da_path_has_hidden(last))
			return last;
	}
	return NULL;
}

/* What of the words lists the system ("uname", "ls /"), or NULL. */
static const char *listing(const struct words *ws)
{
	static const char *const listers[] = {"ls", "find", "du", "tree", "stat", NULL};
	for (size_t i = 0; i < ws->n; i++) {
		if (i > 0 && !is_separator_word(ws->w[i - 1]))
			continue;
		size_t c = command_word(ws, i);
		if (c >= ws->n)
			continue;
		size_t end = c;
		while (end < ws->n && !is_separator_word(ws->w[end]) && strcmp(ws->w[end], ">") != 0 &&
		       strcmp(ws->w[end], "<") != 0)
			end++;
		const char *label = recon_name(ws->w + c, end - c);
		if (label)
			return label;
		if (!in_list(da_prog_base_name(ws->w[c]), listers))
			continue;
		for (size_t j = c + 1; j < end; j++)
			if (names_system_dir(ws->w[j]))
				return ws->w[c];
	}
	return NULL;
}

enum da_severity shell_chain(const struct state *st, const struct da_event *ev, const char *script,
			     char *what, size_t len)
{
	double since = st->activity_seen && st->last_activity_s <= ev->time_s ? st->last_activity_s
									     : st->start_s;
	double quiet = ev->time_s - since;
	if (ev->time_s < 0 || since < 0 || quiet < CHAIN_DELAY_S)
		return DA_SEV_LOW;
	struct words *ws = malloc(sizeof(*ws));
	if (!ws)
		return DA_SEV_LOW;
	split_words(script, ws);
	const char *hidden = hidden_target(ws);
	const char *lists = listing(ws);
	enum da_severity sev = DA_SEV_LOW;
	if (hidden && lists) {
		snprintf(what, len, " after %.0f s of quiet, writing a hidden file (%.80s) and listing the system (%s)",
			 quiet, hidden, lists);
		sev = DA_SEV_HIGH;
	} else if (hidden) {
		snprintf(what, len, " after %.0f s of quiet, writing a hidden file (%.80s)", quiet, hidden);
		sev = DA_SEV_MEDIUM;
	} else if (lists) {
		snprintf(what, len, " after %.0f s of quiet, listing the system (%s)", quiet, lists);
		sev = DA_SEV_MEDIUM;
	}
	free(ws);
	return sev;
}
