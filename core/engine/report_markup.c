/*
 * report_markup.c — the one escaper of the markup writers (report.html,
 * report.junit.xml).  See report.h (markup_text).
 *
 * Everything a target controls (argv, paths, output lines, and detector
 * messages quoting them) goes through here.  Escaping & < > " ' makes the
 * text inert in element content and in quoted attributes alike, so callers
 * need only one function.  Characters that XML 1.0 forbids (C0 controls but
 * for none, U+FFFE/U+FFFF) and that HTML reports as parse errors (C1
 * controls, DEL) are shown as \xNN / \uNNNN instead of being written, and
 * so is every byte that does not start a valid UTF-8 sequence: a consumer
 * never sees a character it would reject, and a reader sees what was there.
 */
#include "engine/report.h"

#include <string.h>

#include "engine/json.h"

/* The code point of the valid sequence of n bytes at s. */
static unsigned code_point(const unsigned char *s, size_t n)
{
	static const unsigned char lead_mask[] = {0, 0x7F, 0x1F, 0x0F, 0x07};
	unsigned cp = s[0] & lead_mask[n];
	for (size_t i = 1; i < n; i++)
		cp = (cp << 6) | (s[i] & 0x3F);
	return cp;
}

/* One character (n bytes at s, valid UTF-8 or n == 0 for a bad byte). */
static void put_char(struct json_buf *b, const char *s, size_t n)
{
	unsigned char c = (unsigned char)*s;
	if (n == 0) {
		json_buf_printf(b, "\\x%02x", c);
		return;
	}
	unsigned cp = code_point((const unsigned char *)s, n);
	if (cp < 0x20 || cp == 0x7F) {
		json_buf_printf(b, "\\x%02x", cp);
		return;
	}
	if ((cp >= 0x80 && cp <= 0x9F) || cp == 0xFFFE || cp == 0xFFFF) {
		json_buf_printf(b, "\\u%04x", cp);
		return;
	}
	switch (c) {
	case '&': json_buf_puts(b, "&amp;"); return;
	case '<': json_buf_puts(b, "&lt;"); return;
	case '>': json_buf_puts(b, "&gt;"); return;
	case '"': json_buf_puts(b, "&quot;"); return;
	case '\'': json_buf_puts(b, "&#39;"); return;
	default: json_buf_put(b, s, n); return;
	}
}

void markup_text_max(struct json_buf *b, const char *s, size_t max)
{
	if (!s)
		return;
	size_t used = 0;
	while (*s) {
		size_t n = json_utf8_seq_len(s);
		size_t step = n ? n : 1;
		if (used + step > max) {
			json_buf_puts(b, "…");
			return;
		}
		put_char(b, s, n);
		s += step;
		used += step;
	}
}

void markup_text(struct json_buf *b, const char *s)
{
	markup_text_max(b, s, (size_t)-1);
}
