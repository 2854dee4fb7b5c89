// SPDX-License-Identifier: GPL-2.0-only
/*
 * rmt.ko: module entry and exit.  The core (rmt/) does the work; this
 * file wires it into the kernel and runs its self-test at load.
 */
#include <linux/module.h>
#include <linux/moduleparam.h>
#include <linux/printk.h>

#include "../rmt/core.h"
#include "rmt_kernel.h"
#include "genl.h"
#include "../hooks/hook.h"

static bool selftest = true;
module_param(selftest, bool, 0444);
MODULE_PARM_DESC(selftest, "Run the core self-test at load (default: on)");

module_param_named(jit, rmt_jit_enabled, bool, 0644);
MODULE_PARM_DESC(jit, "Translate programs loaded with jit auto to machine code (default: on)");

static void rmt_jit_report_tiers(void)
{
	char buf[64] = "";
	u32 t;

	for (t = RMT_JIT_SCALAR; t < __RMT_JIT_MAX; t++)
		if (rmt_jit_tier_supported(t))
			snprintf(buf + strlen(buf), sizeof(buf) - strlen(buf),
				 " %s", rmt_jit_tier_name(t));
	pr_info("rmt: JIT tiers on this CPU:%s%s\n", buf,
		rmt_jit_enabled ? "" : " (jit=0: not used by default)");
}

static void rmt_selftest_printk(void *arg, const char *fmt, ...)
{
	struct va_format vaf;
	va_list ap;

	va_start(ap, fmt);
	vaf.fmt = fmt;
	vaf.va = &ap;
	pr_info("rmt-selftest: %pV\n", &vaf);
	va_end(ap);
}

static int __init rmt_init(void)
{
	int err;

	if (selftest && rmt_selftest_run(rmt_selftest_printk, NULL)) {
		pr_err("rmt: core self-test failed; not loading\n");
		return -EINVAL;
	}
	err = rmt_genl_init();
	if (err)
		return err;
	err = rmt_debugfs_init();
	if (err) {
		rmt_genl_exit();
		return err;
	}
	err = rmt_hooks_init();
	if (err) {
		rmt_debugfs_exit();
		rmt_genl_exit();
		return err;
	}
	pr_info("rmt: loaded (ISA with %u helpers, scratch %d bytes)\n",
		rmt_nr_helpers - 1, RMT_SCRATCH_SIZE);
	rmt_jit_report_tiers();
	return 0;
}

static void __exit rmt_exit(void)
{
	rmt_hooks_exit();	/* no hook runs past here */
	rmt_debugfs_exit();
	rmt_genl_exit();
	pr_info("rmt: unloaded\n");
}

module_init(rmt_init);
module_exit(rmt_exit);
MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("RMT: reconfigurable match tables with learned policies");
MODULE_ALIAS_GENL_FAMILY(RMT_GENL_NAME);
