#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
#
# Pin the layouts of the scheduler's private structures (struct lb_env of
# kernel/sched/fair.c; struct rq, struct cfs_rq and struct task_group of
# kernel/sched/sched.h) for one kernel build, from that kernel's own BTF.
# The can_migrate_task hook reads them through hooks/sched_layout.h; see
# docs/hooks-layout.md.
#
# usage: scripts/gen-layout.sh [-o DIR] [--keep-btf FILE]
#        scripts/gen-layout.sh --btf FILE --release R --version V [-o DIR]
#
#   (default)       boot the test guest (tests/vm/run.sh, the kernel in
#                   ${RMT_VM_CACHE:-/var/cache/rmt-vm}), read its
#                   /sys/kernel/btf/vmlinux, `uname -r`, UTS_VERSION
#                   (/proc/sys/kernel/version) and the per-CPU address of
#                   `runqueues` (/proc/kallsyms, checked against the BTF)
#                   off the serial console
#   --btf FILE      use a BTF blob copied from the target machine
#                   (cp /sys/kernel/btf/vmlinux) instead of booting;
#                   --release and --version must then give its
#                   `uname -r` and `cat /proc/sys/kernel/version`
#   -o DIR          where to write (default hooks/layout)
#   --keep-btf FILE keep the BTF blob read from the guest
#
# Writes DIR/<release>.h, the pinned layout (#defines of byte offsets and
# sizes, struct sizes, enum values, and the release and version strings
# it belongs to), and DIR/<release>, a one-line file that includes it:
# hooks/layout/select.h picks the layout with `#include UTS_RELEASE`.
# Both are committed.  Idempotent: the output depends only on the BTF
# and the two strings, and a file whose content did not change is not
# rewritten.
#
# The guest's BTF travels gzip'ed and base64-encoded on the serial
# console, each line prefixed with "B:" (so that no line looks like a
# TAP result), and is checked against the size and SHA-256 the guest
# printed.  Needs bpftool (Debian package bpftool) and python3.
set -eu

top=$(cd "$(dirname "$0")/.." && pwd)
out=$top/hooks/layout
btf= release= version= keep= runqueues=

usage() {
	sed -n '/^# usage:/,/^# Both are committed/p' "$0" | sed 's/^# \{0,1\}//' >&2
	exit 2
}

while [ $# -gt 0 ]; do
	case "$1" in
	-o) out=$2; shift 2 ;;
	--btf) btf=$2; shift 2 ;;
	--release) release=$2; shift 2 ;;
	--version) version=$2; shift 2 ;;
	--keep-btf) keep=$2; shift 2 ;;
	-h|--help) usage ;;
	*) usage ;;
	esac
done

for t in bpftool python3; do
	command -v "$t" >/dev/null ||
		{ echo "gen-layout: $t not found (scripts/setup.sh installs it)" >&2; exit 1; }
done

work=$(mktemp -d "${TMPDIR:-/tmp}/rmt-layout.XXXXXX")
trap 'rm -rf "$work"' EXIT

if [ -z "$btf" ]; then
	[ -z "$release$version" ] || usage
	echo "gen-layout: booting the test guest to read its BTF" >&2
	# The markers start with @@ so that tap.awk does not take them for
	# test output; the guest prints nothing that starts with "ok".
	guest='echo "@@RMT-LAYOUT-RELEASE@@ $(uname -r)"
echo "@@RMT-LAYOUT-VERSION@@ $(cat /proc/sys/kernel/version)"
echo "@@RMT-LAYOUT-RUNQUEUES@@ $(sed -n "s/^\([0-9a-f]*\) . runqueues$/\1/p" /proc/kallsyms)"
f=/sys/kernel/btf/vmlinux
echo "@@RMT-LAYOUT-BTF@@ $(wc -c <$f) $(sha256sum <$f | cut -d" " -f1)"
gzip -c $f | base64 | sed "s/^/B:/"
echo "@@RMT-LAYOUT-BTF-END@@"'
	if ! "$top/tests/vm/run.sh" --timeout 120 --log "$work/console.log" \
		-- "$guest" >"$work/tap.out" 2>&1; then
		cat "$work/tap.out" >&2
		echo "gen-layout: the guest run failed" >&2
		exit 1
	fi
	tr -d '\r' <"$work/console.log" >"$work/console.txt"
	field() { sed -n "s/^@@RMT-LAYOUT-$1@@ //p" "$work/console.txt" | head -n1; }
	release=$(field RELEASE)
	version=$(field VERSION)
	runqueues=$(field RUNQUEUES)
	set -- $(field BTF)
	want_size=${1:-} want_sha=${2:-}
	sed -n '/^@@RMT-LAYOUT-BTF@@/,/^@@RMT-LAYOUT-BTF-END@@/s/^B://p' \
		"$work/console.txt" | base64 -d | gzip -dc >"$work/vmlinux.btf"
	got_size=$(wc -c <"$work/vmlinux.btf")
	got_sha=$(sha256sum <"$work/vmlinux.btf" | cut -d' ' -f1)
	if [ -z "$release" ] || [ -z "$version" ] || [ "$got_size" != "$want_size" ] ||
	   [ "$got_sha" != "$want_sha" ]; then
		echo "gen-layout: BTF from the console is damaged ($got_size bytes," \
			"sha256 $got_sha; the guest said $want_size, $want_sha)" >&2
		exit 1
	fi
	btf=$work/vmlinux.btf
	[ -z "$keep" ] || cp "$btf" "$keep"
else
	[ -n "$release" ] && [ -n "$version" ] || usage
	[ -r "$btf" ] || { echo "gen-layout: cannot read $btf" >&2; exit 1; }
fi

case "$release" in
*/*|.*|"") echo "gen-layout: bad release '$release'" >&2; exit 1 ;;
esac
echo "gen-layout: $release ($version), BTF $(wc -c <"$btf") bytes" >&2
bpftool -j btf dump file "$btf" format raw >"$work/btf.json"

# What is pinned.  NAME STRUCT MEMBER.PATH, one a line; a trailing "?"
# marks a member that some configurations lack (RMT_LAYOUT_HAS_NAME then
# says whether this kernel has it).  Members of anonymous structs and
# unions are found by name.  Public structures (sched_domain,
# sched_entity, task_struct) are pinned too: sched_layout.h checks them
# against the headers at compile time, which proves the BTF and the
# headers describe the same build.
cat >"$work/fields" <<'EOF'
LB_ENV_SD			lb_env		sd
LB_ENV_SRC_RQ			lb_env		src_rq
LB_ENV_SRC_CPU			lb_env		src_cpu
LB_ENV_DST_CPU			lb_env		dst_cpu
LB_ENV_DST_RQ			lb_env		dst_rq
LB_ENV_IDLE			lb_env		idle
LB_ENV_IMBALANCE		lb_env		imbalance
LB_ENV_FLAGS			lb_env		flags
RQ_NR_RUNNING			rq		nr_running
RQ_NR_NUMA_RUNNING		rq		nr_numa_running ?
RQ_NR_PREFERRED_RUNNING		rq		nr_preferred_running ?
RQ_CFS				rq		cfs
RQ_CFS_NR_RUNNING		rq		cfs.nr_running
RQ_CFS_H_NR_RUNNING		rq		cfs.h_nr_running
RQ_CFS_LOAD_AVG			rq		cfs.avg.load_avg
RQ_CLOCK			rq		clock
RQ_CLOCK_TASK			rq		clock_task
RQ_CPU				rq		cpu
CFS_RQ_NR_RUNNING		cfs_rq		nr_running
CFS_RQ_H_NR_RUNNING		cfs_rq		h_nr_running
CFS_RQ_AVG			cfs_rq		avg
CFS_RQ_LOAD_AVG			cfs_rq		avg.load_avg
CFS_RQ_CURR			cfs_rq		curr
CFS_RQ_NEXT			cfs_rq		next
CFS_RQ_LAST			cfs_rq		last ?
CFS_RQ_RQ			cfs_rq		rq ?
CFS_RQ_THROTTLE_COUNT		cfs_rq		throttle_count ?
TASK_GROUP_CFS_RQ		task_group	cfs_rq ?
SD_FLAGS			sched_domain	flags
SD_NR_BALANCE_FAILED		sched_domain	nr_balance_failed
SD_CACHE_NICE_TRIES		sched_domain	cache_nice_tries
SD_SPAN_WEIGHT			sched_domain	span_weight
SE_EXEC_START			sched_entity	exec_start
SE_CFS_RQ			sched_entity	cfs_rq ?
TASK_SE				task_struct	se
TASK_NUMA_PREFERRED_NID		task_struct	numa_preferred_nid ?
TASK_NUMA_FAULTS		task_struct	numa_faults ?
EOF
# Enumerators: NAME ENUMERATOR.
cat >"$work/enums" <<'EOF'
CPU_IDLE			CPU_IDLE
CPU_NOT_IDLE			CPU_NOT_IDLE
CPU_NEWLY_IDLE			CPU_NEWLY_IDLE
SCHED_FEAT_CACHE_HOT_BUDDY	__SCHED_FEAT_CACHE_HOT_BUDDY
EOF

python3 - "$work/btf.json" "$work/fields" "$work/enums" "$release" "$version" \
	"$(sha256sum <"$btf" | cut -d' ' -f1)" "$runqueues" \
	>"$work/layout.h" <<'PY'
import json, re, sys

btf_json, fields_file, enums_file, release, version, sha, runqueues = sys.argv[1:8]
types = {t["id"]: t for t in json.load(open(btf_json))["types"]}

def die(msg):
    sys.stderr.write("gen-layout: %s\n" % msg)
    sys.exit(1)

def strip(tid):
    """Follow typedefs and qualifiers to the underlying type."""
    while tid and types[tid]["kind"] in ("TYPEDEF", "CONST", "VOLATILE", "RESTRICT", "TYPE_TAG"):
        tid = types[tid]["type_id"]
    return tid

def size_of(tid):
    tid = strip(tid)
    t = types[tid]
    if t["kind"] == "PTR":
        return 8
    if t["kind"] == "ARRAY":
        return t["nr_elems"] * size_of(t["type_id"])
    if "size" in t:
        return t["size"]
    die("no size for %s %s" % (t["kind"], t.get("name")))

def c_name(tid):
    """A C spelling of a type, for comments."""
    if tid == 0:
        return "void"
    t = types[tid]
    k = t["kind"]
    if k == "PTR":
        return c_name(t["type_id"]) + " *"
    if k in ("CONST", "VOLATILE", "RESTRICT", "TYPE_TAG"):
        return c_name(t["type_id"])
    if k == "ARRAY":
        return "%s[%d]" % (c_name(t["type_id"]), t["nr_elems"])
    if k in ("STRUCT", "UNION", "ENUM", "ENUM64"):
        word = {"STRUCT": "struct", "UNION": "union"}.get(k, "enum")
        return "%s %s" % (word, t["name"])
    return t["name"]

def struct_named(name):
    found = [t for t in types.values()
             if t["kind"] == "STRUCT" and t["name"] == name]
    if not found:
        die("no struct %s in the BTF" % name)
    shapes = {json.dumps([t["size"], t["members"]], sort_keys=True) for t in found}
    if len(shapes) > 1:
        die("struct %s has %d different definitions in the BTF" % (name, len(shapes)))
    return found[0]["id"]

def member(tid, name):
    """(bit offset, member) of NAME in a struct or union, looking inside
    anonymous members."""
    t = types[strip(tid)]
    if t["kind"] not in ("STRUCT", "UNION"):
        return None
    for m in t["members"]:
        if m["name"] == name:
            return m["bits_offset"], m
    for m in t["members"]:
        if m["name"] in ("", "(anon)"):
            r = member(m["type_id"], name)
            if r:
                return m["bits_offset"] + r[0], r[1]
    return None

def resolve(struct, path):
    tid = struct_named(struct)
    bits = 0
    m = None
    for part in path.split("."):
        r = member(tid, part)
        if r is None:
            return None
        off, m = r
        if m.get("bitfield_size"):
            die("%s.%s is a bitfield" % (struct, path))
        bits += off
        tid = m["type_id"]
    if bits % 8:
        die("%s.%s is not byte aligned" % (struct, path))
    return bits // 8, size_of(tid), c_name(tid)

def enumerator(name):
    for t in types.values():
        if t["kind"] in ("ENUM", "ENUM64"):
            for v in t.get("values", []):
                if v["name"] == name:
                    return v["val"]
    die("no enumerator %s in the BTF" % name)

guard = "_RMT_LAYOUT_" + re.sub(r"[^A-Za-z0-9]", "_", release).upper() + "_H"
cstr = lambda s: '"' + s.replace("\\", "\\\\").replace('"', '\\"') + '"'
o = []

def w(line):
    """Append a line; the value of a #define starts at column 56."""
    m = re.match(r"(#define \S+)\t(.*)", line)
    if m:
        n = len(m.group(1))
        line = m.group(1) + "\t" * max(1, (56 - n + 7) // 8) + m.group(2)
    o.append(line)
w("/* SPDX-License-Identifier: GPL-2.0-only */")
w("/*")
w(" * Generated by scripts/gen-layout.sh from the BTF of the running kernel;")
w(" * do not edit.  Byte offsets and sizes of the scheduler fields the")
w(" * can_migrate_task hook reads, for this one kernel build only.  See")
w(" * docs/hooks-layout.md.")
w(" *")
w(" * BTF sha256: %s" % sha)
w(" */")
w("#ifndef %s" % guard)
w("#define %s" % guard)
w("")
w("#define RMT_LAYOUT_UTS_RELEASE\t%s" % cstr(release))
w("#define RMT_LAYOUT_UTS_VERSION\t%s" % cstr(version))
w("")
# The per-CPU variable runqueues must be a struct rq; its offset in the
# per-CPU section is what kallsyms_lookup_name("runqueues") returns.
rq = struct_named("rq")
rqvar = [t for t in types.values() if t["kind"] == "VAR" and t["name"] == "runqueues"]
if len(rqvar) != 1 or strip(rqvar[0]["type_id"]) != rq:
    die("no per-CPU variable runqueues of type struct rq in the BTF")
pcpu = [v["offset"] for t in types.values()
        if t["kind"] == "DATASEC" and t["name"] == ".data..percpu"
        for v in t["vars"] if v["type_id"] == rqvar[0]["id"]]
if len(pcpu) != 1:
    die("runqueues is not in .data..percpu")
if runqueues and int(runqueues, 16) != pcpu[0]:
    die("runqueues is at %#x in kallsyms but %#x in the BTF" % (int(runqueues, 16), pcpu[0]))
w("/* per-CPU offset of runqueues (its place in .data..percpu) */")
w("#define RMT_LAYOUT_RUNQUEUES_PCPU\t%#xUL" % pcpu[0])
w("")

sizes = []
for line in open(fields_file):
    parts = line.split()
    if not parts:
        continue
    name, struct, path = parts[:3]
    optional = len(parts) > 3 and parts[3] == "?"
    if struct not in sizes:
        sizes.append(struct)
    r = resolve(struct, path)
    if r is None:
        if not optional:
            die("struct %s has no member %s" % (struct, path))
        w("#define RMT_LAYOUT_HAS_%s\t0" % name)
        continue
    off, size, cname = r
    w("/* %s.%s: %s */" % (struct, path, cname))
    if optional:
        w("#define RMT_LAYOUT_HAS_%s\t1" % name)
    w("#define RMT_LAYOUT_%s_OFF\t%d" % (name, off))
    w("#define RMT_LAYOUT_%s_SIZE\t%d" % (name, size))
w("")
for struct in sizes:
    w("#define RMT_LAYOUT_SIZEOF_%s\t%d" % (struct.upper(), size_of(struct_named(struct))))
w("")
for line in open(enums_file):
    parts = line.split()
    if parts:
        w("#define RMT_LAYOUT_%s\t%d" % (parts[0], enumerator(parts[1])))
w("")
w("#endif /* %s */" % guard)
print("\n".join(o))
PY

mkdir -p "$out"
# Write only what changed, so that an unchanged layout keeps its mtime.
put() {	# put FILE CONTENT_FILE
	if cmp -s "$2" "$1"; then
		echo "gen-layout: $1 unchanged" >&2
	else
		cp "$2" "$1"
		echo "gen-layout: wrote $1" >&2
	fi
}
put "$out/$release.h" "$work/layout.h"
cat >"$work/fwd" <<EOF
/* SPDX-License-Identifier: GPL-2.0-only */
/* Generated by scripts/gen-layout.sh: hooks/layout/select.h includes this file as UTS_RELEASE. */
#include "$release.h"
EOF
put "$out/$release" "$work/fwd"
