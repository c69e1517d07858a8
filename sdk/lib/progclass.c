/*
 * progclass.c — the program lists of libdynaudit-sdk (see
 * dynaudit/progclass.h).  Each list exists here once.
 */
#include <string.h>

#include "dynaudit/progclass.h"

/* name equals one of exact[] or starts with one of prefixes[] (NULL-ended). */
static bool name_in(const char *name, const char *const *exact, const char *const *prefixes)
{
	if (!name)
		return false;
	for (; exact && *exact; exact++)
		if (strcmp(name, *exact) == 0)
			return true;
	for (; prefixes && *prefixes; prefixes++)
		if (strncmp(name, *prefixes, strlen(*prefixes)) == 0)
			return true;
	return false;
}

const char *da_prog_base_name(const char *path)
{
	const char *slash = path ? strrchr(path, '/') : NULL;
	return slash ? slash + 1 : (path ? path : "");
}

bool da_prog_is_shell(const char *name)
{
	static const char *const shells[] = {
		"sh", "bash", "dash", "zsh", "ksh", "ksh93", "mksh", "pdksh", "ash", "fish",
		"csh", "tcsh", "yash", "rbash", "posh", NULL};
	return name_in(name, shells, NULL);
}

bool da_prog_is_script_runner(const char *name)
{
	static const char *const exact[] = {"sh", "bash", "dash", "zsh", "ksh", "mksh", "ash",
					    "node", "nodejs", NULL};
	static const char *const prefixes[] = {"python", "perl", "ruby", "php", "lua", NULL};
	return name_in(name, exact, prefixes);
}

bool da_prog_is_toolchain(const char *name)
{
	static const char *const exact[] = {
		"cc", "c++", "cpp", "ld", "as", "collect2", "lto1", "lto-wrapper", "f951",
		"rustc", "cargo", "go", "link", "compile", "asm", "javac", "make", "gmake",
		"cmake", "ninja", "tcc", "ar", "ranlib", "strip", "objcopy", "mold", "nasm",
		"yasm", "ghc", "zig", "swiftc", "ocamlopt", "gfortran", NULL};
	static const char *const prefixes[] = {"gcc", "g++", "clang", "cc1", "ld.", "gfortran-",
					       "x86_64-linux-gnu-", "aarch64-linux-gnu-", NULL};
	return name_in(name, exact, prefixes);
}

bool da_prog_is_process_lister(const char *name)
{
	static const char *const listers[] = {"ps", "top", "htop", "pgrep", "pkill", "pidof",
					      "pstree", "w", "killall", "procps", NULL};
	return name_in(name, listers, NULL);
}
