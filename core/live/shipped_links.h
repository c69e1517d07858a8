/*
 * shipped_links.h — the symbolic links a submission ships, as events.
 *
 * The copy keeps a submission's links as links (never followed by
 * dynaudit), so inside the sandbox `secret -> /etc/shadow` opens
 * /etc/shadow under a harmless name, and the tracer only sees "secret".
 * The file detector already judges paths again through links the run
 * makes; this makes the links the submission ships known the same way:
 * one DA_EV_FILE_LINK per link (detail "symlink", phase "submission",
 * path: the link as the target sees it, path2: its text, pid 0, time 0),
 * published before the target starts.
 *
 * The walk is fd-relative below the workdir copy (fs_beneath.h), bounded
 * in depth and entries, and runs before the target exists.
 */
#ifndef DYNAUDIT_SHIPPED_LINKS_H
#define DYNAUDIT_SHIPPED_LINKS_H

#include <stddef.h>

#include "engine/bus.h"

#define SHIPPED_LINKS_MAX 512 /* links published at the most (the rest counted) */

/* Publish the links below workdir_host (the host path of the copy), named
 * as below workdir_view (the path the target sees).  Returns how many
 * links were found (published or not); *dropped gets those beyond the cap. */
long shipped_links_publish(struct bus *bus, const char *workdir_host, const char *workdir_view,
			   long *dropped);

#endif /* DYNAUDIT_SHIPPED_LINKS_H */
