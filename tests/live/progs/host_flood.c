/* Hostile target: floods stdout and stderr (short lines, then one huge line
 * with no newline) until it is killed. */
#include <stdio.h>
#include <string.h>
#include <unistd.h>

int main(void)
{
	static char big[1 << 20];
	memset(big, 'B', sizeof(big));
	char line[128];
	for (unsigned long i = 0;; i++) {
		int n = snprintf(line, sizeof(line), "flood line %lu out\n", i);
		if (write(1, line, (size_t)n) < 0 || write(2, line, (size_t)n) < 0)
			return 1;
		if (i % 100000 == 0 && write(1, big, sizeof(big)) < 0)
			return 1;
	}
}
