/*
 * links.c — links the run made, every name of a path, the event dispatch
 */
#include "file.h"

/* The first pattern of list (expanded) that lies below dir, or NULL: a
 * link at or to dir reaches that place too. */
static const char *pattern_below(const char *const *list, char *const *expanded, size_t n,
				 const char *home, const char *dir, char *buf, size_t buflen)
{
	for (size_t i = 0; list && list[i]; i++) {
		char *p = expand_home(list[i], home);
		bool hit = p && da_path_under(p, dir);
		if (hit)
			da_copy_text(buf, buflen, p);
		free(p);
		if (hit)
			return buf;
	}
	for (size_t i = 0; i < n; i++)
		if (da_path_under(expanded[i], dir)) {
			da_copy_text(buf, buflen, expanded[i]);
			return buf;
		}
	return NULL;
}

/*
 * symlink()/link(): a link to a secret (or to a directory holding secrets:
 * /etc, /root, ~/.ssh...) lets the program read it under a harmless name;
 * a link at a directory holding persistence locations (~/.ssh, ~/.config)
 * makes whatever its target holds take effect there.  Successful links are
 * remembered (see judge_aliases).
 */
static void judge_link(struct state *st, const struct da_event *ev, const char *link,
		       const char *target)
{
	char rbuf[64], found[PATH_MAX_LEN], key[2 * PATH_MAX_LEN + 4];
	const char *home = st->host->run->home;
	const char *res = result_text(ev, rbuf, sizeof(rbuf));
	bool root_home = da_path_under(home, "/root");
	const char *held = NULL;
	for (size_t i = 0; i < st->n_sensitive && !held; i++)
		if (da_path_under(st->sensitive[i], target) &&
		    !(root_home && strcmp(st->sensitive[i], "/root") == 0)) {
			da_copy_text(found, sizeof(found), st->sensitive[i]);
			held = found;
		}
	snprintf(key, sizeof(key), "%s>%s", link, target);
	bool shipped = ev->phase && strcmp(ev->phase, "submission") == 0;
	if ((is_sensitive(st, ev, target) || held) && shipped && seen_once(st, 'l', key)) {
		/* not an act of the run; a read through it is (judge_aliases) */
		report(st, "file.sensitive_read", DA_SEV_MEDIUM, ev,
		       "Find out why the submission carries a link to a secret; a read through it is judged as a read of the secret.",
		       "The submission ships a link to %s at %s: reads through it bypass path checks", target, link);
	} else if ((is_sensitive(st, ev, target) || held) && seen_once(st, 'l', key)) {
		st->n_sensitive_hits++;
		if (held && strcmp(held, target) != 0)
			report(st, "file.sensitive_read", DA_SEV_HIGH, ev,
			       "Treat the secrets below the target as read; find the code that made the link.",
			       "Creates a link to %s (which holds %s) at %s: reads through it bypass path checks%s",
			       target, held, link, res);
		else
			report(st, "file.sensitive_read", DA_SEV_HIGH, ev,
			       "Treat the secret as read; find the code that made the link.",
			       "Creates a link to %s at %s: reads through it bypass path checks%s", target,
			       link, res);
	}
	bool critical = pattern_below(da_path_persistence_globs(DA_PERSIST_CRITICAL), NULL, 0, home, link, found, sizeof(found));
	if ((critical || pattern_below(da_path_persistence_globs(DA_PERSIST_HIGH), NULL, 0, home, link, found, sizeof(found))) &&
	    da_path_persistence(link, home, st->host->run->workdir) == DA_PERSIST_NONE && seen_once(st, 'p', link)) {
		/* (a link covered by the list itself was judged by judge_write) */
		found[strcspn(found, "*?[")] = '\0'; /* "authorized_keys*": name the place */
		st->n_persistence_hits++;
		report(st, "file.persistence", critical ? DA_SEV_CRITICAL : DA_SEV_HIGH, ev,
		       "Treat as a persistence attempt: what the link's target holds takes effect.",
		       "Creates a link at %s, which holds persistence location %s, to %s%s", link, found,
		       target, res);
	}
	if (ev->err)
		return;
	if (st->n_links >= MAX_LINKS) {
		st->dropped++;
		return;
	}
	struct link_alias *l = &st->links[st->n_links];
	l->link = strdup(link);
	l->target = strdup(target);
	l->shipped = shipped;
	if (!l->link || !l->target) {
		free(l->link);
		free(l->target);
		return;
	}
	st->n_links++;
}

/* One file event at one name of the file.  second: the rename's new name. */
static void judge_at(struct state *st, const struct da_event *ev, const char *path, bool second)
{
	switch (ev->kind) {
	case DA_EV_FILE_OPEN: {
		note_home_lookup(st, path);
		if (ev->access & DA_ACC_PATH) {
			/* O_PATH touches no data, but probing a secret is still reaching for it */
			if (is_sensitive(st, ev, path))
				judge_read(st, ev, path);
			return;
		}
		bool creates = ev->access & DA_ACC_CREATE;
		/* write access (O_WRONLY or O_RDWR): a write, whatever the path
		 * holds; the write rules word and weigh it */
		bool writes = ev->access & DA_ACC_WRITE;
		if (!writes)
			judge_read(st, ev, path);
		if (ev->access & (DA_ACC_WRITE | DA_ACC_CREATE | DA_ACC_TRUNC | DA_ACC_APPEND)) {
			enum write_action action = (ev->access & DA_ACC_APPEND) ? W_APPEND
						   : creates ? W_CREATE : W_OPEN;
			bool persistence = judge_write(st, ev, path, action);
			if (writes && !persistence)
				judge_sensitive_write(st, ev, path,
						      (ev->access & DA_ACC_READ) && action == W_OPEN
						      ? "Opens for reading and writing" : action_verbs[action]);
		}
		if (creates)
			judge_exec_bits(st, ev, path);
		return;
	}
	case DA_EV_FILE_WRITE:
		judge_write(st, ev, path, W_OPEN);
		return;
	case DA_EV_FILE_UNLINK:
		judge_write(st, ev, path, W_UNLINK);
		return;
	case DA_EV_FILE_RENAME:
		judge_write(st, ev, path, second ? W_RENAME_TO : W_RENAME_FROM);
		return;
	case DA_EV_FILE_CHMOD:
		judge_write(st, ev, path, W_CHMOD);
		judge_exec_bits(st, ev, path);
		return;
	case DA_EV_FILE_CHOWN:
		judge_write(st, ev, path, W_CHOWN);
		return;
	case DA_EV_FILE_LINK:
		judge_write(st, ev, path, W_LINK);
		return;
	case DA_EV_FILE_MKDIR:
		if (ev->err == EEXIST)
			return; /* `mkdir -p` probing every parent: nothing was created */
		if (!ev->err)
			seen_once(st, 'd', path);
		judge_write(st, ev, path, W_MKDIR);
		return;
	case DA_EV_SYSCALL_OTHER:
		if (ev->syscall && strcmp(ev->syscall, "honeytoken_file") == 0 && ev->path &&
		    st->n_decoys < sizeof(st->decoys) / sizeof(st->decoys[0])) {
			char *d = strdup(ev->path);
			if (d)
				st->decoys[st->n_decoys++] = d;
			return;
		}
		if (ev->syscall && strcmp(ev->syscall, "truncate") == 0)
			judge_write(st, ev, path, W_TRUNCATE);
		return;
	case DA_EV_FS_MONITOR:
		if (ev->detail && (strstr(ev->detail, "CREATE") || strstr(ev->detail, "MODIFY") ||
				   strstr(ev->detail, "CLOSE_WRITE") || strstr(ev->detail, "MOVED_TO") ||
				   strstr(ev->detail, "DELETE") || strstr(ev->detail, "ATTRIB")))
			judge_write(st, ev, path, W_MONITOR);
		return;
	default:
		return;
	}
}

/*
 * The event paths are the names the program used, not what they resolve
 * to: open("cfg/gshadow") with cfg -> /etc reads /etc/gshadow, and a file
 * written in /tmp/st/ssh lands in ~/.ssh when ~/.ssh -> /tmp/st/ssh.  For
 * each link the run made, path below the link is judged again at the
 * target, and path below the target again at the link.
 */
static void judge_aliases(struct state *st, const struct da_event *ev, const char *path, bool second)
{
	char alias[PATH_MAX_LEN], joined[PATH_MAX_LEN];
	size_t n = 0;
	for (size_t i = 0; i < st->n_links && n < MAX_ALIASES; i++) {
		const struct link_alias *l = &st->links[i];
		const char *from, *to;
		/* unlinking, renaming or seeing (inotify) the link itself acts
		 * on the link, not on what it names */
		bool on_name = ev->kind == DA_EV_FILE_UNLINK || ev->kind == DA_EV_FILE_RENAME ||
			       ev->kind == DA_EV_FS_MONITOR || ev->kind == DA_EV_FILE_MKDIR;
		if (on_name && (strcmp(path, l->link) == 0 || strcmp(path, l->target) == 0))
			continue;
		if (da_path_under(path, l->link) && strcmp(l->link, "/") != 0) {
			from = l->link;
			to = l->target;
		} else if (da_path_under(path, l->target) && strcmp(l->target, "/") != 0) {
			from = l->target;
			to = l->link;
		} else {
			continue;
		}
		snprintf(joined, sizeof(joined), "%s/%s", to, path + strlen(from));
		da_path_normalize(joined, NULL, alias, sizeof(alias));
		if (strcmp(alias, path) == 0)
			continue;
		n++;
		st->via = path;
		st->via_shipped = l->shipped;
		judge_at(st, ev, alias, second);
		st->via = NULL;
		st->via_shipped = false;
	}
}

void on_file_event(struct state *st, const struct da_event *ev)
{
	const char *base = st->host->run->workdir;
	char path[PATH_MAX_LEN], path2[PATH_MAX_LEN];
	const char *raw = ev->path ? ev->path : ev->raw_path;
	if (ev->kind == DA_EV_FILE_WRITE)
		raw = (ev->fd_desc && ev->fd_desc[0] == '/') ? ev->fd_desc : NULL;
	if (!raw || !*raw)
		return;
	st->n_events++;
	da_path_normalize(raw, base, path, sizeof(path));

	/* a link the submission ships was not written by the run */
	bool shipped = ev->phase && strcmp(ev->phase, "submission") == 0;
	if (!shipped)
		judge_at(st, ev, path, false);
	if (ev->kind == DA_EV_FILE_LINK) {
		if (ev->path2 && *ev->path2) {
			/* a symlink's relative target is relative to the link's directory */
			bool sym = ev->detail && strcmp(ev->detail, "symlink") == 0;
			char dir[PATH_MAX_LEN];
			da_copy_text(dir, sizeof(dir), path);
			char *slash = strrchr(dir, '/');
			if (slash)
				slash[slash == dir ? 1 : 0] = '\0';
			da_path_normalize(ev->path2, sym ? dir : base, path2, sizeof(path2));
			judge_link(st, ev, path, path2);
		}
		return;
	}
	judge_aliases(st, ev, path, false);
	if (ev->kind == DA_EV_FILE_RENAME && ev->path2) {
		da_path_normalize(ev->path2, base, path2, sizeof(path2));
		judge_at(st, ev, path2, true);
		judge_aliases(st, ev, path2, true);
		note_deletion(st, ev, path, path2);
		if (!ev->err)
			exec_bits_renamed(st, path, path2);
	} else {
		note_deletion(st, ev, path, NULL);
	}
}

