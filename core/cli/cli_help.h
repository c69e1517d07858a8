/*
 * cli_help.h — the usage line and each command's --help text, kept apart
 * from main.c so the command line's logic reads on one screen.  The texts
 * follow docs/dynaudit.1; change both together.
 */
#ifndef DYNAUDIT_CLI_HELP_H
#define DYNAUDIT_CLI_HELP_H

extern const char usage_text[];
extern const char run_help[];
extern const char replay_help[];
extern const char batch_help[];
extern const char summarize_help[];
extern const char check_help[];
extern const char plugins_help[];
extern const char test_help[];

#endif /* DYNAUDIT_CLI_HELP_H */
