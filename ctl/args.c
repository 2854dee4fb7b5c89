// SPDX-License-Identifier: GPL-2.0-only
/* rmtctl: parsing command arguments. */
#include <ctype.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "rmtctl.h"

/* "1,-2,0x30" into up to @max values. */
int rmtctl_parse_s64_list(const char *s, s64 *out, u32 max, u32 *n)
{
	const char *p = s;
	char *end;

	*n = 0;
	while (*p) {
		if (*n == max)
			return -E2BIG;
		errno = 0;
		out[(*n)++] = *p == '-' ? strtoll(p, &end, 0) :
					  (s64)strtoull(p, &end, 0);
		if (errno || end == p || (*end && *end != ','))
			return -EINVAL;
		p = *end ? end + 1 : end;
	}
	return *n ? 0 : -EINVAL;
}

int rmtctl_parse_u64(const char *s, u64 *out)
{
	char *end;

	errno = 0;
	*out = strtoull(s, &end, 0);
	return errno || !*s || *end || *s == '-' ? -EINVAL : 0;
}

int rmtctl_copy_name(struct rmtctl *ctl, char *dst, const char *src)
{
	if (!*src || strlen(src) >= RMT_NAME_MAX)
		return rmtctl_error(ctl, RMTCTL_USAGE, "'%s': names are 1 to %d characters",
				    src, RMT_NAME_MAX - 1);
	snprintf(dst, RMT_NAME_MAX, "%s", src);
	return 0;
}

int rmtctl_hook_id(struct rmtctl *ctl, const char *name, u32 *id)
{
	for (*id = 0; rmt_hook_schema(*id); (*id)++)
		if (!strcmp(rmt_hook_schema(*id)->name, name))
			return 0;
	return rmtctl_error(ctl, RMTCTL_USAGE, "unknown hook '%s'; 'rmtctl hook show' lists them",
			    name);
}

/* enum rmt_trip as rmtctl prints it. */
const char *rmtctl_trip_name(u32 reason)
{
	static const char *const names[] = {
		[RMT_TRIP_NONE] = "active", [RMT_TRIP_LATENCY] = "latency",
		[RMT_TRIP_ERRORS] = "errors", [RMT_TRIP_RATE] = "rate",
	};

	return reason < sizeof(names) / sizeof(names[0]) ? names[reason] : "?";
}

const char *rmtctl_match_name(u32 match)
{
	static const char *const names[] = {
		[RMT_MATCH_EXACT] = "exact", [RMT_MATCH_TERNARY] = "ternary",
		[RMT_MATCH_RANGE] = "range", [RMT_MATCH_LPM] = "lpm",
	};

	return match && match <= RMT_MATCH_LPM ? names[match] : "?";
}

/* Split a line into words; '#' starts a comment; quotes group words. */
int rmtctl_tokenize(char *line, char **argv, int max)
{
	int n = 0;
	char *p = line, *w;

	while (*p && n < max) {
		while (isspace((unsigned char)*p))
			p++;
		if (!*p || *p == '#')
			break;
		if (*p == '\'' || *p == '"') {
			char q = *p++;

			w = p;
			while (*p && *p != q)
				p++;
		} else {
			w = p;
			while (*p && !isspace((unsigned char)*p))
				p++;
		}
		if (*p)
			*p++ = '\0';
		argv[n++] = w;
	}
	return n;
}
