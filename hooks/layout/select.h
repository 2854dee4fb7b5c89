/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Picks the pinned scheduler layout of the kernel being built against.
 *
 * UTS_RELEASE ("6.1.0-56-amd64") names a file in this directory that
 * scripts/gen-layout.sh wrote next to the layout itself and that includes
 * it (6.1.0-56-amd64.h): `#include UTS_RELEASE` is the one way the
 * preprocessor can use the release string.  A kernel without such a file
 * gets RMT_SCHED_LAYOUT_NONE instead.  See docs/hooks-layout.md.
 */
#ifndef _RMT_LAYOUT_SELECT_H
#define _RMT_LAYOUT_SELECT_H

#include <generated/utsrelease.h>

#if __has_include(UTS_RELEASE)
#include UTS_RELEASE
#ifndef RMT_LAYOUT_UTS_RELEASE
#error "hooks/layout/" UTS_RELEASE " is not a layout written by scripts/gen-layout.sh"
#endif
#else
#define RMT_SCHED_LAYOUT_NONE 1
#endif

#endif /* _RMT_LAYOUT_SELECT_H */
