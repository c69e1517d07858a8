/* Hostile target: execs with a huge argv and environment (as large as the
 * kernel takes, then too large: E2BIG). */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

static int try_exec(size_t n_args, size_t arg_len, size_t n_env)
{
	char **argv = calloc(n_args + 2, sizeof(char *));
	char **envp = calloc(n_env + 1, sizeof(char *));
	char *arg = malloc(arg_len + 1);
	if (!argv || !envp || !arg)
		return -1;
	memset(arg, 'a', arg_len);
	arg[arg_len] = '\0';
	static char true_path[] = "/bin/true";
	argv[0] = true_path;
	for (size_t i = 1; i <= n_args; i++)
		argv[i] = arg;
	char *env = malloc(1000);
	memset(env, 'e', 999);
	env[999] = '\0';
	env[1] = '=';
	for (size_t i = 0; i < n_env; i++)
		envp[i] = env;
	pid_t p = fork();
	if (p == 0) {
		execve("/bin/true", argv, envp);
		printf("execve: %s\n", strerror(errno));
		fflush(stdout);
		_exit(errno == E2BIG ? 7 : 8);
	}
	int st = 0;
	while (waitpid(p, &st, 0) < 0)
		;
	return st;
}

int main(void)
{
	printf("big ok: %d\n", try_exec(20000, 60, 1000));     /* ~2 MiB */
	printf("too big: %d\n", try_exec(200000, 100, 10000)); /* E2BIG */
	return 0;
}
