/* SPDX-License-Identifier: GPL-2.0-only */
/* Kernel-only parts of rmt.ko (module glue, debugfs). */
#ifndef _RMT_KERNEL_H
#define _RMT_KERNEL_H

int rmt_debugfs_init(void);
void rmt_debugfs_exit(void);

#endif /* _RMT_KERNEL_H */
