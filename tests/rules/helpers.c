#include <string.h>

#include "helpers.h"

int fx_load(struct fixture *fx, const char *text)
{
	memset(fx, 0, sizeof(*fx));
	ruleset_init(&fx->rs, "rules");
	rproc_init(&fx->procs);
	fx->run.struct_size = sizeof(fx->run);
	fx->run.home = "/home/auditor";
	fx->run.workdir = "/home/auditor/app";
	fx->run.tmpdir = "/tmp";
	fx->ctx.procs = &fx->procs;
	fx->ctx.run = &fx->run;
	return ruleset_load_text(&fx->rs, "t.rules.yaml", text, strlen(text), &fx->err);
}

void fx_free(struct fixture *fx)
{
	ruleset_free(&fx->rs);
	rproc_free(&fx->procs);
}

bool fx_match(struct fixture *fx, size_t i, const struct da_event *ev)
{
	fx->ctx.ev = ev;
	fx->ctx.filled = 0;
	rproc_prepare(&fx->procs, ev, &fx->ctx);
	bool m = rules_eval(&fx->rs, &fx->rs.rules[i].steps[0], &fx->ctx);
	rproc_update(&fx->procs, ev);
	return m;
}

struct da_event fx_event(uint32_t kind, int32_t pid, int32_t ppid)
{
	struct da_event ev;
	memset(&ev, 0, sizeof(ev));
	ev.struct_size = sizeof(ev);
	ev.kind = kind;
	ev.pid = ev.tid = pid;
	ev.ppid = ppid;
	ev.fd = ev.target_fd = -1;
	return ev;
}
