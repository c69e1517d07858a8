/*
 * cli_help.c — the texts of `dynaudit --help` and `dynaudit COMMAND --help`
 * (see cli_help.h).
 */
#include "cli/cli_help.h"

const char usage_text[] =
	"usage:\n"
	"  dynaudit run    [-c CONFIG] [--target DIR] [--set KEY=VALUE]... [-o OUTDIR] [-- COMMAND [ARG]...]\n"
	"  dynaudit replay [-c CONFIG] (--strace FILE [--ss FILE] | --events FILE) [--set KEY=VALUE]... [-o OUTDIR]\n"
	"  dynaudit check  [-c CONFIG] [--set KEY=VALUE]...\n"
	"  dynaudit plugins [-v] [--plugin-path DIR]... | --rules-markdown\n"
	"  dynaudit batch  [-c CONFIG] [-j JOBS] [--shard K/N] [--set KEY=VALUE]... [-o OUTDIR] SUBMISSION_DIR...\n"
	"  dynaudit summarize [-o OUTDIR] AUDIT_DIR...\n"
	"  dynaudit test   [--tap] [--junit FILE] [-o DIR] [--set KEY=VALUE]... SCENARIO...\n"
	"  dynaudit --version | --help | <command> --help\n";

const char run_help[] =
	"dynaudit run — audit a live target in a sandbox\n\n"
	"  -c, --config FILE    pipeline config (YAML or INI); default: the embedded default\n"
	"      --target DIR     submission directory (target.workdir); default: the current dir\n"
	"      --set KEY=VALUE  override a config key after all files are merged (repeatable)\n"
	"  -o, --output DIR     output directory (default ./dynaudit-out, or SUBMISSION.dynaudit-out\n"
	"                       beside the submission when run from inside it; never inside it)\n"
	"      --force          write into a non-empty directory that holds no earlier audit\n"
	"      --fail-on LIST   exit 1 on any of: fail (default), warn, inconclusive (comma list)\n"
	"  -q, --quiet          print nothing but errors\n"
	"  -v, --verbose        more diagnostics on stderr, detector logs included (repeatable)\n"
	"  -- COMMAND [ARG]...  the target command (target.command)\n\n"
	"Exit status: 0 PASS, 1 FAIL (or a --fail-on condition), 2 usage/config error,\n"
	"3 the audit could not run, 130/143 interrupted by SIGINT/SIGTERM (report still written).\n";

const char replay_help[] =
	"dynaudit replay — run the pipeline on recorded input\n\n"
	"  -c, --config FILE    pipeline config (YAML or INI); default: the embedded default\n"
	"      --strace FILE    a `strace -f` log (any of -tt/-ttt/-T/-y/-yy/-s N; -ff -o PREFIX: give PREFIX)\n"
	"      --ss FILE        an `ss -tunap` listing taken during the run (with --strace)\n"
	"      --events FILE    an events.jsonl written by an earlier run\n"
	"      --set KEY=VALUE  override a config key (repeatable)\n"
	"  -o, --output DIR     output directory (default ./dynaudit-out; never inside target.workdir)\n"
	"      --force          write into a non-empty directory that holds no earlier audit\n"
	"      --fail-on LIST   exit 1 on any of: fail (default), warn, inconclusive (comma list)\n"
	"  -q, --quiet          print nothing but errors\n"
	"  -v, --verbose        more diagnostics on stderr (repeatable)\n\n"
	"Exit status: 0 PASS, 1 FAIL (or a --fail-on condition), 2 usage/config error,\n"
	"3 the input could not be read.\n";

const char batch_help[] =
	"dynaudit batch — audit every submission of an assignment with one config\n\n"
	"  -c, --config FILE    pipeline config (target.command must be set); default: the embedded default\n"
	"  -j, --jobs N         audits at a time (default: 4 x CPUs, capped by available memory / 1.5 GiB)\n"
	"      --shard K/N      audit only the submissions whose index in name order is K mod N\n"
	"      --set KEY=VALUE  override a config key for every audit (repeatable)\n"
	"  -o, --output DIR     batch directory (default ./dynaudit-batch): DIR/<name>/ per submission,\n"
	"                       DIR/summary.json, summary.md, summary.csv\n"
	"      --force          audit again submissions that are unchanged since their audit;\n"
	"                       write into a non-empty directory that is no batch's\n"
	"      --fail-on LIST   exit 1 when any submission meets: fail (default), warn, inconclusive\n"
	"  -q, --quiet          print nothing but errors\n\n"
	"Exit status: 1 any submission FAILs (or meets --fail-on), else 3 any could not be audited,\n"
	"else 0; 2 usage/config error; 130/143 interrupted (the summary is still written).\n";

const char summarize_help[] =
	"dynaudit summarize — rebuild the summary from audit directories, running nothing\n\n"
	"  -o, --output DIR     where summary.json/.md/.csv go (default: the one batch directory\n"
	"                       given, else ./dynaudit-summary)\n"
	"      --fail-on LIST   as for batch\n"
	"  -q, --quiet          print nothing but errors\n\n"
	"AUDIT_DIR: an audit (holding report.json) or a batch directory (its audits are taken).\n"
	"The same audits give a byte-identical summary. Exit status as for batch.\n";

const char check_help[] =
	"dynaudit check — validate a config and print it merged and normalized\n\n"
	"  -c, --config FILE    pipeline config (YAML or INI); default: the embedded default\n"
	"      --set KEY=VALUE  override a config key (repeatable)\n\n"
	"Exit status: 0 valid, 2 invalid (the message names file, line and key).\n";

const char plugins_help[] =
	"dynaudit plugins — list loadable detectors\n\n"
	"      --plugin-path DIR  also search DIR (repeatable)\n"
	"  -v, --verbose          also each detector's declared rules (id, severity, summary)\n"
	"                         and options (key, type, help)\n"
	"      --rules-markdown   write the README's rule section from the built-in detectors'\n"
	"                         declarations (tests/e2e/readme_rules.sh --update uses it)\n\n"
	"Prints name, version, ABI, category and path of every detector found in the\n"
	"built-in directory and the given directories; broken ones are flagged with the reason.\n";

const char test_help[] =
	"dynaudit test — the detector test kit: run scenario files, check what they expect\n\n"
	"      --tap            write a TAP version 13 stream instead of one line per scenario\n"
	"      --junit FILE     also write a JUnit XML file\n"
	"  -o, --output DIR     keep each scenario's audit in DIR/NNN/audit (default: a temporary\n"
	"                       directory, removed at the end)\n"
	"      --set KEY=VALUE  override a key of every scenario's config (repeatable)\n\n"
	"A scenario (YAML) names a config (inline or a file), one input (input.strace,\n"
	"input.events or input.command for a live run) and what to expect (expect.verdict,\n"
	"expect.findings: {RULE: COUNT | {min: N}}, expect.must_not_fire: [RULE...]).\n\n"
	"Exit status: 0 every scenario holds, 1 one does not, 2 a scenario (or its config)\n"
	"is malformed (the message names file and line).\n";
