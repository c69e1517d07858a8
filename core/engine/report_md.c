/*
 * report_md.c — report.md, the human report, modelled on the shared
 * reference/seed-report-impl05.txt: overview, behaviour per area, system
 * call observations, the assessment table, findings, recommendations, how
 * the score was reached, conclusion.  See report.h.
 *
 * All text that came from the target or a detector goes through one of
 * three escapers, so a hostile path or message cannot break the Markdown
 * (a '|' in a table cell, a newline in a bullet, a backtick in a code span)
 * and the file stays valid UTF-8.
 */
#include "engine/report.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "engine/json.h"

/* ---- escaping ---------------------------------------------------------- */

/* Valid UTF-8 kept, anything else (and control characters) passed to
 * `other` one byte at a time. */
static void put_clean(struct json_buf *b, const char *s, void (*other)(struct json_buf *, unsigned char),
		      const char *specials)
{
	while (*s) {
		unsigned char c = (unsigned char)*s;
		size_t n = json_utf8_seq_len(s);
		if (c < 0x20 || c == 0x7F || n == 0) {
			other(b, c);
			s++;
		} else if (n == 1 && specials && strchr(specials, c)) {
			json_buf_putc(b, '\\');
			json_buf_putc(b, (char)c);
			s++;
		} else {
			json_buf_put(b, s, n);
			s += n;
		}
	}
}

static void as_space(struct json_buf *b, unsigned char c)
{
	(void)c;
	json_buf_putc(b, ' ');
}

static void as_hex(struct json_buf *b, unsigned char c)
{
	switch (c) {
	case '\n': json_buf_puts(b, "\\n"); break;
	case '\t': json_buf_puts(b, "\\t"); break;
	case '\r': json_buf_puts(b, "\\r"); break;
	default: json_buf_printf(b, "\\x%02x", c); break;
	}
}

/* Running text (paragraphs, bullets, table cells): one line, Markdown
 * punctuation that could start emphasis, links, HTML or end a cell escaped. */
static void md_text(struct json_buf *b, const char *s)
{
	put_clean(b, s ? s : "", as_space, "\\`*[]<>|");
}

/* An inline code span that survives backticks in the text. */
static void md_code(struct json_buf *b, const char *s)
{
	if (!s)
		s = "";
	size_t longest = 0, run = 0;
	for (const char *p = s; *p; p++) {
		run = *p == '`' ? run + 1 : 0;
		if (run > longest)
			longest = run;
	}
	size_t fence = longest + 1;
	bool pad = *s == '`' || (*s && s[strlen(s) - 1] == '`') || *s == ' ';
	for (size_t i = 0; i < fence; i++)
		json_buf_putc(b, '`');
	if (pad)
		json_buf_putc(b, ' ');
	/* Inside a code span a '|' still ends a table cell, so cells never
	 * hold code spans; everywhere else only line breaks need care. */
	put_clean(b, s, as_space, NULL);
	if (pad)
		json_buf_putc(b, ' ');
	for (size_t i = 0; i < fence; i++)
		json_buf_putc(b, '`');
}

/* One line of an indented code block: literal, control bytes visible. */
static void md_code_line(struct json_buf *b, const char *s)
{
	json_buf_puts(b, "    ");
	put_clean(b, s ? s : "", as_hex, NULL);
	json_buf_putc(b, '\n');
}

/* "60", "0.412": seconds without noise, deterministic. */
static const char *secs(double v, char buf[32])
{
	snprintf(buf, 32, "%.3f", v > 0 ? v : 0);
	char *dot = strchr(buf, '.');
	if (dot) {
		size_t n = strlen(buf);
		while (buf[n - 1] == '0')
			buf[--n] = '\0';
		if (buf[n - 1] == '.')
			buf[n - 1] = '\0';
	}
	return buf;
}

static const char *status_mark(enum category_status s)
{
	switch (s) {
	case STATUS_SAFE: return "▼ Safe";
	case STATUS_INFO: return "⚠ Info";
	case STATUS_WARN: return "⚠ Warn";
	default: return "✖ Fail";
	}
}

static const char *sev_label(enum da_severity s)
{
	static const char *const labels[] = {"Info", "Low", "Medium", "High", "Critical"};
	return (unsigned)s <= DA_SEV_CRITICAL ? labels[s] : "?";
}

static const struct category_rec *find_category(const struct report_input *in, const char *id)
{
	for (size_t i = 0; i < in->n_categories; i++)
		if (in->categories[i].id && strcmp(in->categories[i].id, id) == 0)
			return &in->categories[i];
	return NULL;
}

static void put_command(struct json_buf *b, char *const *argv)
{
	/* The command as one shell-like line, for titles and the overview. */
	for (size_t i = 0; argv && argv[i]; i++) {
		if (i)
			json_buf_putc(b, ' ');
		json_buf_puts(b, argv[i]);
	}
}

/* ---- sections ---------------------------------------------------------- */

/* The verdict up top, with how much the audit saw: a reader who stops at
 * the first lines must not take "PASS, nothing ran" for "PASS, safe". */
static void md_headline(struct json_buf *b, const struct report_input *in, const struct score_result *s)
{
	bool full = !in->coverage || strcmp(in->coverage, "full") == 0;
	json_buf_printf(b, "**Verdict: %s%s** — score %.1f/100, %s risk; coverage: %s", s->pass ? "PASS" : "FAIL",
			full ? "" : " — inconclusive", s->score, s->risk ? s->risk : "critical",
			in->coverage ? in->coverage : "full");
	if (in->coverage_reason) {
		json_buf_puts(b, " (");
		md_text(b, in->coverage_reason);
		json_buf_puts(b, ")");
	}
	json_buf_puts(b, ".\n\n");
}

static void md_overview(struct json_buf *b, const struct report_input *in, const struct score_result *s)
{
	char t1[32], t2[32];
	json_buf_puts(b, "# Dynamic Security Analysis Report — ");
	if (in->title && *in->title) {
		md_text(b, in->title);
	} else if (in->command && in->command[0]) {
		struct json_buf cmd = {0};
		put_command(&cmd, in->command);
		md_text(b, cmd.data ? cmd.data : "");
		json_buf_free(&cmd);
	} else {
		json_buf_puts(b, "unnamed target");
	}
	json_buf_puts(b, "\n\n");
	md_headline(b, in, s);
	if (in->incomplete) {
		json_buf_puts(b, "> **Incomplete audit:** ");
		md_text(b, in->incomplete);
		json_buf_puts(b, ". The findings below cover only what was observed before the audit stopped.\n\n");
	}

	json_buf_puts(b, "## 1. Overview\n\n");
	if (in->live)
		json_buf_puts(b, "This dynamic analysis ran the target under dynaudit, traced with "
				 "ptrace and seccomp, in a sandbox:\n\n");
	else
		json_buf_puts(b, "This analysis replayed a recorded run of the target (no program was run "
				 "by dynaudit); the sandbox facts below are those known from the recording:\n\n");
	if (in->n_sandbox == 0)
		json_buf_puts(b, "- No sandbox facts recorded\n");
	for (size_t i = 0; i < in->n_sandbox; i++) {
		json_buf_puts(b, "- ");
		md_text(b, in->sandbox[i].key);
		json_buf_puts(b, ": ");
		md_text(b, in->sandbox[i].value);
		json_buf_putc(b, '\n');
	}
	json_buf_puts(b, "\nThe target:\n\n- Command: ");
	if (in->command && in->command[0]) {
		struct json_buf cmd = {0};
		put_command(&cmd, in->command);
		md_code(b, cmd.data ? cmd.data : "");
		json_buf_free(&cmd);
	} else {
		json_buf_puts(b, "unknown");
	}
	json_buf_puts(b, "\n- Working directory: ");
	if (in->workdir)
		md_code(b, in->workdir);
	else
		json_buf_puts(b, "unknown");
	json_buf_printf(b, "\n- Observation window: %s s configured, %s s observed\n",
			secs(in->duration_s, t1), secs(in->observed_s, t2));
	json_buf_puts(b, "- Target ended: ");
	if (in->not_started) {
		json_buf_puts(b, "never started: ");
		md_text(b, in->not_started);
	} else if (!in->exited)
		json_buf_puts(b, "still running when the observation window closed");
	else if (in->exit_signal) {
		json_buf_puts(b, "killed by ");
		md_text(b, in->exit_signal);
		if (in->core_dumped)
			json_buf_puts(b, " (core dumped)");
	} else {
		json_buf_printf(b, "exited with code %d", in->exit_code);
	}
	json_buf_printf(b, "\n- Mode: %s\n", in->live ? "run (live target)" : "replay (recorded input)");
	json_buf_puts(b, "- Configuration: ");
	md_code(b, in->config_source ? in->config_source : "<embedded default>");
	json_buf_puts(b, "\n\nTools and sources used:\n\n");
	if (in->n_sources == 0)
		json_buf_puts(b, "- none recorded\n");
	for (size_t i = 0; i < in->n_sources; i++) {
		json_buf_puts(b, "- ");
		md_text(b, in->sources[i]);
		json_buf_putc(b, '\n');
	}
	if (in->n_notes) {
		json_buf_puts(b, "\nNotes:\n\n");
		for (size_t i = 0; i < in->n_notes; i++) {
			json_buf_puts(b, "- ");
			md_text(b, in->notes[i]);
			json_buf_putc(b, '\n');
		}
	}
	if (in->n_left_behind) {
		/* report.json has the digests; here only what a reader looks for */
		json_buf_puts(b, "\nFiles left in /tmp and HOME:\n\n");
		for (size_t i = 0; i < in->n_left_behind; i++) {
			const struct left_behind_rec *f = &in->left_behind[i];
			json_buf_puts(b, "- ");
			md_code(b, f->path);
			json_buf_printf(b, " (%llu bytes%s%s%.12s)\n", (unsigned long long)f->size,
					f->executable ? ", executable" : "", f->sha256[0] ? ", sha256 " : "",
					f->sha256);
		}
	}
	json_buf_putc(b, '\n');
}

/* "(`rule`, pid 12, at 0.532 s, seen 3 times)" */
static void finding_facts(struct json_buf *b, const struct finding_rec *f)
{
	char t[32];
	json_buf_puts(b, "(");
	md_code(b, f->rule);
	if (f->pid > 0)
		json_buf_printf(b, ", pid %d", f->pid);
	if (f->time_s >= 0)
		json_buf_printf(b, ", at %s s", secs(f->time_s, t));
	if (f->count > 1)
		json_buf_printf(b, ", seen %u times", f->count);
	json_buf_puts(b, ")");
}

static void result_line(struct json_buf *b, const struct category_rec *c)
{
	json_buf_printf(b, "Result: %s — ", category_status_label(c->status));
	const char *r = c->remarks ? c->remarks : "";
	md_text(b, r);
	size_t n = strlen(r);
	json_buf_puts(b, n && strchr(".!?", r[n - 1]) ? "\n\n" : ".\n\n");
}

static void md_activity(struct json_buf *b, const struct category_rec *c);

/* One area of section 2: a paragraph from the category's findings. */
static void md_area(struct json_buf *b, const struct report_input *in, const char *num, const char *heading,
		    const char *id, const char *what)
{
	const struct category_rec *c = find_category(in, id);
	json_buf_printf(b, "### %s %s\n\n", num, heading);
	if (!c) {
		json_buf_printf(b, "The %s detector was not part of this audit, so %s was not checked.\n\n"
				   "Result: Not checked.\n\n", id, what);
		return;
	}
	md_activity(b, c);
	if (c->error) {
		json_buf_puts(b, "The detector failed and did not fully run: ");
		md_text(b, c->error);
		json_buf_puts(b, ".\n\n");
	}
	if (c->n_findings == 0 && c->error) {
		json_buf_puts(b, "It reported no findings before it stopped.\n\n");
	} else if (c->n_findings == 0) {
		json_buf_printf(b, "No %s of note was observed.\n\n", what);
	} else {
		json_buf_printf(b, "The detector reported %zu finding%s about %s:\n\n", c->n_findings,
				c->n_findings == 1 ? "" : "s", what);
		for (size_t i = 0; i < c->n_findings; i++) {
			const struct finding_rec *f = &c->findings[i];
			json_buf_printf(b, "- **%s** — ", sev_label(f->severity));
			md_text(b, f->message);
			json_buf_putc(b, ' ');
			finding_facts(b, f);
			json_buf_putc(b, '\n');
		}
		json_buf_putc(b, '\n');
	}
	result_line(b, c);
}

static void md_evidence(struct json_buf *b, const struct finding_rec *f)
{
	if (f->n_evidence == 0)
		return;
	for (size_t i = 0; i < f->n_evidence; i++)
		md_code_line(b, f->evidence[i]);
	json_buf_putc(b, '\n');
}

/* What was observed, before the judgement (the reference report's
 * "the application accessed local project files under ..."). */
static void md_activity(struct json_buf *b, const struct category_rec *c)
{
	if (!c->n_activity)
		return;
	json_buf_puts(b, "Observed:\n\n");
	for (size_t i = 0; i < c->n_activity; i++) {
		json_buf_puts(b, "- ");
		md_text(b, c->activity[i]);
		json_buf_putc(b, '\n');
	}
	json_buf_putc(b, '\n');
}

static bool builtin_area(const char *id)
{
	return id && (!strcmp(id, "process") || !strcmp(id, "file") || !strcmp(id, "network"));
}

static void md_syscalls(struct json_buf *b, const struct report_input *in)
{
	json_buf_puts(b, "## 3. System Call and API Observations\n\n");
	static const char *const ids[] = {"privilege", "code_integrity", "backdoor"};
	int sub = 0;
	/* The three built-in areas first (even when absent), then any custom
	 * detector's category, in report order. */
	for (size_t k = 0; k < 3 + in->n_categories; k++) {
		const struct category_rec *c;
		const char *id;
		if (k < 3) {
			id = ids[k];
			c = find_category(in, id);
		} else {
			c = &in->categories[k - 3];
			id = c->id;
			if (!id || builtin_area(id) || !strcmp(id, "privilege") ||
			    !strcmp(id, "code_integrity") || !strcmp(id, "backdoor"))
				continue;
		}
		json_buf_printf(b, "### 3.%d ", ++sub);
		if (!c) {
			json_buf_printf(b, "%s\n\nThe %s detector was not part of this audit.\n\n"
					   "Result: Not checked.\n\n",
					k == 0 ? "Privilege Use" : k == 1 ? "Code Integrity" : "Backdoor Indicators", id);
			continue;
		}
		md_text(b, c->title ? c->title : id);
		json_buf_puts(b, "\n\n");
		md_activity(b, c);
		if (c->error) {
			json_buf_puts(b, "The detector failed and did not fully run: ");
			md_text(b, c->error);
			json_buf_puts(b, ".\n\n");
		}
		if (c->n_findings == 0)
			json_buf_puts(b, c->error ? "It reported no findings before it stopped.\n\n"
						  : "No system calls of note were observed.\n\n");
		for (size_t i = 0; i < c->n_findings; i++) {
			const struct finding_rec *f = &c->findings[i];
			json_buf_printf(b, "**%s** — ", sev_label(f->severity));
			md_text(b, f->message);
			json_buf_putc(b, ' ');
			finding_facts(b, f);
			json_buf_puts(b, "\n\n");
			md_evidence(b, f);
		}
		result_line(b, c);
	}
}

static void md_table(struct json_buf *b, const struct report_input *in)
{
	json_buf_puts(b, "## 4. Security Assessment\n\n");
	json_buf_puts(b, "| Category | Observation | Status | Remarks |\n");
	json_buf_puts(b, "|----------|-------------|--------|---------|\n");
	for (size_t i = 0; i < in->n_categories; i++) {
		const struct category_rec *c = &in->categories[i];
		json_buf_puts(b, "| ");
		md_text(b, c->title ? c->title : c->id);
		json_buf_puts(b, " | ");
		md_text(b, c->observation);
		json_buf_printf(b, " | %s | ", status_mark(c->status));
		md_text(b, c->remarks);
		json_buf_puts(b, " |\n");
	}
	json_buf_putc(b, '\n');
}

static void md_findings(struct json_buf *b, const struct report_input *in)
{
	char t[32];
	int n = 0;
	json_buf_puts(b, "## 5. Findings\n\n");
	for (size_t i = 0; i < in->n_categories; i++) {
		const struct category_rec *c = &in->categories[i];
		for (size_t j = 0; j < c->n_findings; j++) {
			const struct finding_rec *f = &c->findings[j];
			json_buf_printf(b, "### 5.%d %s: ", ++n, sev_label(f->severity));
			md_code(b, f->rule);
			json_buf_puts(b, "\n\n- Message: ");
			md_text(b, f->message);
			json_buf_puts(b, "\n- Category: ");
			md_text(b, c->title ? c->title : c->id);
			json_buf_printf(b, "\n- Severity: %s\n- Occurrences: %u\n", da_severity_name(f->severity),
					f->count);
			if (f->pid > 0)
				json_buf_printf(b, "- Process: pid %d\n", f->pid);
			if (f->time_s >= 0)
				json_buf_printf(b, "- Time: %s s after start\n", secs(f->time_s, t));
			if (f->recommendation) {
				json_buf_puts(b, "- Recommendation: ");
				md_text(b, f->recommendation);
				json_buf_putc(b, '\n');
			}
			json_buf_putc(b, '\n');
			if (f->n_evidence) {
				json_buf_puts(b, "Evidence:\n\n");
				md_evidence(b, f);
			}
		}
	}
	if (n == 0)
		json_buf_puts(b, "No findings.\n\n");
}

static void md_recommendations(struct json_buf *b, const struct score_result *s)
{
	json_buf_puts(b, "## 6. Recommendations\n\n");
	for (size_t i = 0; i < s->n_recommendations; i++) {
		json_buf_printf(b, "%zu. ", i + 1);
		md_text(b, s->recommendations[i]);
		json_buf_putc(b, '\n');
	}
	json_buf_putc(b, '\n');
}

static void md_score(struct json_buf *b, const struct report_input *in, const struct score_result *s)
{
	json_buf_puts(b, "## 7. Score\n\n");
	json_buf_printf(b, "Score %.1f of 100 (100 = no risk observed), pass score %.1f, risk %s. "
			   "Each finding costs the weight of its severity per occurrence, at most three "
			   "occurrences counted; any category with status Fail fails the audit.\n\n",
			s->score, in->pass_score, s->risk ? s->risk : "?");
	for (size_t i = 0; i < s->n_explanation; i++)
		md_code_line(b, s->explanation[i]);
	json_buf_putc(b, '\n');
}

static void md_conclusion(struct json_buf *b, const struct report_input *in, const struct score_result *s)
{
	json_buf_puts(b, "## 8. Conclusion\n\n");
	size_t n_fail = 0;
	for (size_t i = 0; i < in->n_categories; i++)
		n_fail += in->categories[i].status == STATUS_FAIL;
	bool inconclusive = in->coverage && strcmp(in->coverage, "full") != 0;
	json_buf_printf(b, "Result: %s — ", s->pass ? "PASS" : "FAIL");
	if (inconclusive) {
		/* The verdict stays, but says first what it is worth. */
		json_buf_printf(b, "inconclusive (coverage %s): ", in->coverage);
		md_text(b, in->coverage_reason ? in->coverage_reason : "");
		json_buf_puts(b, ". ");
	}
	if (s->pass) {
		json_buf_printf(b, "No security violation was detected%s: no category failed and "
				   "the score %.1f reaches the pass score %.1f. The target shows %s runtime risk",
				inconclusive ? " in what was observed" : "", s->score, in->pass_score, s->risk);
	} else {
		if (n_fail) {
			json_buf_puts(b, n_fail == 1 ? "Category " : "Categories ");
			size_t k = 0;
			for (size_t i = 0; i < in->n_categories; i++) {
				const struct category_rec *c = &in->categories[i];
				if (c->status != STATUS_FAIL)
					continue;
				if (k++)
					json_buf_puts(b, ", ");
				md_text(b, c->title ? c->title : c->id);
			}
			json_buf_puts(b, " failed");
			json_buf_printf(b, "; score %.1f (pass score %.1f)", s->score, in->pass_score);
		} else {
			json_buf_printf(b, "The score %.1f is below the pass score %.1f", s->score, in->pass_score);
		}
		json_buf_printf(b, ". The target shows %s runtime risk", s->risk);
	}
	if (in->incomplete) {
		json_buf_puts(b, "; the audit was incomplete (");
		md_text(b, in->incomplete);
		json_buf_puts(b, "), so this covers only what was observed");
	}
	json_buf_puts(b, ".\n");
	if (inconclusive)
		json_buf_puts(b, strcmp(in->coverage, "none") == 0
				 ? "\nNothing of the submission's own behaviour was observed: fix what stopped it "
				   "and re-run the audit before relying on this verdict.\n"
				 : "\nOnly part of the submission's behaviour was observed: re-run the audit once "
				   "it runs for the whole window.\n");
}

int report_write_md(const struct report_input *in, const struct score_result *s,
		    int dirfd, const char *path, char *err, size_t errlen)
{
	struct json_buf b = {0};
	md_overview(&b, in, s);
	json_buf_puts(&b, "## 2. Runtime Behaviour Summary\n\n");
	md_area(&b, in, "2.1", "Process Behaviour", "process", "process behaviour");
	md_area(&b, in, "2.2", "File Access Behaviour", "file", "file access");
	md_area(&b, in, "2.3", "Network Activity", "network", "network activity");
	md_syscalls(&b, in);
	md_table(&b, in);
	md_findings(&b, in);
	md_recommendations(&b, s);
	md_score(&b, in, s);
	md_conclusion(&b, in, s);
	return report_buf_write(&b, dirfd, path, err, errlen);
}
