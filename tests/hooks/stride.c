// SPDX-License-Identifier: GPL-2.0-only
/*
 * A swap-in workload with a strided access pattern, for the readahead
 * hook's selftest: map MIB MiB, write every page, push the mapping out
 * to swap (MADV_PAGEOUT, then a balloon of BALLOON_MIB MiB to make memory
 * short), then read every STRIDE-th page back, and print the major faults
 * and time of that read pass, and how many pages were still in memory:
 *
 *   majflt N ms M pages P resident R
 *
 * usage: stride MIB STRIDE [BALLOON_MIB [HOLD_S]]
 * (HOLD_S: seconds to stay alive after the read pass)
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <time.h>
#include <unistd.h>

#ifndef MADV_PAGEOUT
#define MADV_PAGEOUT 21
#endif

static long majflt(void)
{
	struct rusage ru;

	getrusage(RUSAGE_SELF, &ru);
	return ru.ru_majflt;
}

/* Pages of [p, p + n pages) in memory, swap cache included. */
static long resident(char *p, long n, long page)
{
	static unsigned char vec[1 << 20];
	long i, r = 0;

	if (n > (long)sizeof(vec) || mincore(p, n * page, vec))
		return 0;
	for (i = 0; i < n; i++)
		r += vec[i] & 1;
	return r;
}

static double now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

int main(int argc, char **argv)
{
	long page = sysconf(_SC_PAGESIZE), mib, stride, npages, i, f0, pages = 0;
	long balloon = argc > 3 ? atol(argv[3]) : 0, left;
	long hold = argc > 4 ? atol(argv[4]) : 0;
	volatile unsigned long sum = 0;
	double t0;
	char *p;

	if (argc < 3 || argc > 5 || (mib = atol(argv[1])) <= 0 ||
	    (stride = atol(argv[2])) <= 0 || balloon < 0 || hold < 0) {
		fprintf(stderr, "usage: %s MIB STRIDE [BALLOON_MIB [HOLD_S]]\n", argv[0]);
		return 2;
	}
	npages = mib * (1L << 20) / page;
	p = mmap(NULL, npages * page, PROT_READ | PROT_WRITE,
		 MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (p == MAP_FAILED) {
		perror("mmap");
		return 1;
	}
	for (i = 0; i < npages; i++)	/* distinct contents: no zero pages */
		memset(p + i * page, (int)(i & 0xff) | 1, 64);
	/*
	 * Push the array out to swap: MADV_PAGEOUT writes it, but leaves the
	 * pages in the swap cache until memory runs short; a balloon of
	 * BALLOON MiB, touched and then freed, makes it run short.
	 */
	madvise(p, npages * page, MADV_PAGEOUT);
	if (balloon) {
		long nb = balloon * (1L << 20) / page;
		char *b = mmap(NULL, nb * page, PROT_READ | PROT_WRITE,
			       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

		if (b == MAP_FAILED) {
			perror("mmap balloon");
			return 1;
		}
		for (i = 0; i < nb; i++)
			b[i * page] = 1;
		munmap(b, nb * page);
	}
	left = resident(p, npages, page);
	f0 = majflt();
	t0 = now_ms();
	for (i = 0; i < npages; i += stride, pages++)
		sum += p[i * page];
	printf("majflt %ld ms %.1f pages %ld resident %ld\n", majflt() - f0,
	       now_ms() - t0, pages, left);
	fflush(stdout);
	sleep(hold);	/* stay alive, e.g. for a look at per-task state */
	return sum == 0xdeadbeef;
}
