/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Addresses of kernel symbols that a module cannot link against.
 */
#ifndef _RMT_KSYM_H
#define _RMT_KSYM_H

/**
 * rmt_kallsyms_lookup() - kallsyms_lookup_name() for modules
 * @name: a symbol of the kernel image, e.g. "runqueues"
 *
 * kallsyms_lookup_name() has not been exported since v5.7; its address
 * is found once by registering a kprobe on it and reading kp.addr.  For
 * a per-CPU variable the result is its offset in the per-CPU area, to
 * be used with per_cpu_ptr().  Process context only (the first call
 * registers a kprobe, which sleeps).
 *
 * Return: the address, or 0 if @name is unknown or kallsyms_lookup_name
 * cannot be called (not found, or sealed against indirect calls by IBT).
 */
unsigned long rmt_kallsyms_lookup(const char *name);

#endif /* _RMT_KSYM_H */
