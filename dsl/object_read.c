// SPDX-License-Identifier: GPL-2.0-only
/*
 * The object reader: an rmtc object (docs/object-format.md) back into a
 * compiled policy.  It parses the ELF structures itself, with every
 * offset and count checked against the buffer, so that it can be strict
 * about all of them and be fuzzed under the sanitizers as a whole.
 *
 * The order of the checks is fixed: the ELF header, the section headers
 * and their names, .rmt.version (so that a newer format is refused as
 * such, before its new section kinds are), the section kinds, .rmt.files,
 * the symbol table, then each object.  Nothing is verified here: the
 * verifier and the store see the policy when it is committed.
 */
#include <errno.h>
#include <elf.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "object_format.h"
#include "rmtc.h"

enum obj_kind {
	OBJ_OTHER,		/* section 0 */
	OBJ_VERSION,
	OBJ_FILES,
	OBJ_ACTIONS,
	OBJ_DECLS,
	OBJ_SYMTAB,
	OBJ_STRTAB,
	OBJ_SHSTRTAB,
	OBJ_NFIXED,
	OBJ_CTXMAP = OBJ_NFIXED,
	OBJ_MODEL,
	OBJ_ACTION,
	OBJ_LINES,
	OBJ_TABLE,
	OBJ_NKINDS,
};

/* What each kind of section is named and how its header reads. */
static const struct {
	const char *name;	/* the name, or for objects its prefix */
	u32 type;
	u64 flags;
	u64 align;
	u64 entsize;
} obj_kinds[OBJ_NKINDS] = {
	[OBJ_VERSION] = { RMTC_SEC_VERSION, SHT_PROGBITS, 0, 4, 0 },
	[OBJ_FILES] = { RMTC_SEC_FILES, SHT_PROGBITS, 0, 1, 0 },
	[OBJ_ACTIONS] = { RMTC_SEC_ACTIONS, SHT_PROGBITS, 0, 8,
			  sizeof(struct rmtc_obj_action) },
	[OBJ_DECLS] = { RMTC_SEC_DECLS, SHT_PROGBITS, 0, 4, sizeof(struct rmtc_obj_loc) },
	[OBJ_SYMTAB] = { ".symtab", SHT_SYMTAB, 0, 8, sizeof(Elf64_Sym) },
	[OBJ_STRTAB] = { ".strtab", SHT_STRTAB, 0, 1, 0 },
	[OBJ_SHSTRTAB] = { ".shstrtab", SHT_STRTAB, 0, 1, 0 },
	[OBJ_CTXMAP] = { RMTC_SEC_CTXMAP, SHT_PROGBITS, SHF_ALLOC, 4, 0 },
	[OBJ_MODEL] = { RMTC_SEC_MODEL, SHT_PROGBITS, SHF_ALLOC, 8, 0 },
	[OBJ_ACTION] = { RMTC_SEC_ACTION, SHT_PROGBITS, SHF_ALLOC | SHF_EXECINSTR, 8,
			 sizeof(struct rmt_insn) },
	[OBJ_LINES] = { RMTC_SEC_LINES, SHT_PROGBITS, 0, 4, sizeof(struct rmtc_obj_loc) },
	[OBJ_TABLE] = { RMTC_SEC_TABLE, SHT_PROGBITS, SHF_ALLOC, 8, 0 },
};

struct obj_rsec {
	Elf64_Shdr sh;
	const char *name;	/* terminated: .shstrtab ends in a NUL */
	const char *obj;	/* objects: the name after the prefix */
	const u8 *data;
	u32 kind;
	u32 nsyms;		/* symbols that name it */
	u32 lines;		/* actions: index of lines/NAME */
};

struct obj_reader {
	const u8 *buf;
	size_t len;
	struct obj_rsec *secs;
	u32 nsecs;
	u32 fixed[OBJ_NFIXED];	/* index of each fixed section, 0 if none */
	u32 count[OBJ_NKINDS];
	u32 *sorted;		/* object sections by kind and name */
	u32 nsorted;
	struct rmtc_policy *pol;
	char *err;
	size_t errlen;
};

static int obj_rerr(struct obj_reader *r, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/*
 * Names in messages come from the file: bytes that are not printable
 * ASCII become '?', so that a message stays one line a terminal shows.
 */
static int obj_rerr(struct obj_reader *r, const char *fmt, ...)
{
	va_list ap;
	char *c;

	if (r->errlen) {
		va_start(ap, fmt);
		vsnprintf(r->err, r->errlen, fmt, ap);
		va_end(ap);
		for (c = r->err; *c; c++)
			if (*c < ' ' || *c > '~')
				*c = '?';
	}
	return -EINVAL;
}

/* The same, prefixed with the section's name ("section 'table/t': ..."). */
static int obj_serr(struct obj_reader *r, u32 i, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static int obj_serr(struct obj_reader *r, u32 i, const char *fmt, ...)
{
	char msg[192];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	if (r->secs[i].name)
		return obj_rerr(r, "section '%.64s': %s", r->secs[i].name, msg);
	return obj_rerr(r, "section %u: %s", i, msg);
}

/* Bytes @off..@off+@size lie inside the buffer. */
static bool obj_in_file(const struct obj_reader *r, u64 off, u64 size)
{
	return off <= r->len && size <= r->len - off;
}

/*
 * A name field: 0 if NUL-terminated within RMT_NAME_MAX with zeros after
 * the NUL; else what is wrong with it.
 */
static const char *obj_bad_name(const char *name)
{
	const char *nul = memchr(name, '\0', RMT_NAME_MAX);
	size_t i;

	if (!nul)
		return "is not NUL-terminated within 32 bytes";
	for (i = nul - name; i < RMT_NAME_MAX; i++)
		if (name[i])
			return "has bytes after its NUL that are not zero";
	return NULL;
}

static bool obj_zero(const void *p, size_t len)
{
	const u8 *b = p;

	while (len--)
		if (*b++)
			return false;
	return true;
}

/* ---- ELF structure ---- */

static int obj_check_ehdr(struct obj_reader *r, Elf64_Ehdr *eh)
{
	if (r->len < SELFMAG || memcmp(r->buf, ELFMAG, SELFMAG))
		return obj_rerr(r, "not an ELF file");
	if (r->len < sizeof(*eh))
		return obj_rerr(r, "truncated: %zu bytes is shorter than an ELF header",
				r->len);
	memcpy(eh, r->buf, sizeof(*eh));
	if (eh->e_ident[EI_CLASS] != ELFCLASS64)
		return obj_rerr(r, "ELF header: class %u, not ELFCLASS64",
				eh->e_ident[EI_CLASS]);
	if (eh->e_ident[EI_DATA] != ELFDATA2LSB)
		return obj_rerr(r, "ELF header: not little-endian (EI_DATA %u)",
				eh->e_ident[EI_DATA]);
	if (eh->e_ident[EI_VERSION] != EV_CURRENT || eh->e_version != EV_CURRENT)
		return obj_rerr(r, "ELF header: ELF version %u, not 1",
				eh->e_ident[EI_VERSION]);
	if (eh->e_type != ET_REL)
		return obj_rerr(r, "ELF header: type %u, not a relocatable object (ET_REL)",
				eh->e_type);
	if (eh->e_machine != RMTC_OBJ_MACHINE)
		return obj_rerr(r, "ELF header: machine %u, not an RMT object (EM_NONE)",
				eh->e_machine);
	if (eh->e_ident[EI_OSABI] != ELFOSABI_NONE || eh->e_ident[EI_ABIVERSION] ||
	    !obj_zero(eh->e_ident + EI_PAD, EI_NIDENT - EI_PAD))
		return obj_rerr(r, "ELF header: OS ABI %u, ABI version %u or padding set",
				eh->e_ident[EI_OSABI], eh->e_ident[EI_ABIVERSION]);
	if (eh->e_flags || eh->e_entry || eh->e_phoff || eh->e_phnum || eh->e_phentsize)
		return obj_rerr(r, "ELF header: flags, entry point or program headers set");
	if (eh->e_ehsize != sizeof(Elf64_Ehdr) || eh->e_shentsize != sizeof(Elf64_Shdr))
		return obj_rerr(r, "ELF header: header sizes %u and %u, not %zu and %zu",
				eh->e_ehsize, eh->e_shentsize,
				sizeof(Elf64_Ehdr), sizeof(Elf64_Shdr));
	if (!eh->e_shnum || eh->e_shnum >= SHN_LORESERVE)
		return obj_rerr(r, "ELF header: %u sections", eh->e_shnum);
	if (!obj_in_file(r, eh->e_shoff, (u64)eh->e_shnum * sizeof(Elf64_Shdr)))
		return obj_rerr(r, "truncated: %u section headers at offset %llu do not fit in %zu bytes",
				eh->e_shnum, (unsigned long long)eh->e_shoff, r->len);
	if (!eh->e_shstrndx || eh->e_shstrndx >= eh->e_shnum)
		return obj_rerr(r, "ELF header: section name table %u of %u",
				eh->e_shstrndx, eh->e_shnum);
	return 0;
}

/* Section headers, with each section's bytes inside the file. */
static int obj_load_shdrs(struct obj_reader *r, const Elf64_Ehdr *eh)
{
	u32 i;

	r->nsecs = eh->e_shnum;
	r->secs = calloc(r->nsecs, sizeof(*r->secs));
	if (!r->secs)
		return -ENOMEM;
	for (i = 0; i < r->nsecs; i++) {
		struct obj_rsec *s = &r->secs[i];

		memcpy(&s->sh, r->buf + eh->e_shoff + i * sizeof(s->sh), sizeof(s->sh));
		if (!i && !obj_zero(&s->sh, sizeof(s->sh)))
			return obj_serr(r, i, "the null section is not all zero");
		if (i && (s->sh.sh_type == SHT_NULL || s->sh.sh_type == SHT_NOBITS))
			return obj_serr(r, i, "type %u has no contents", s->sh.sh_type);
		if (i && !obj_in_file(r, s->sh.sh_offset, s->sh.sh_size))
			return obj_serr(r, i, "%llu bytes at offset %llu do not fit in %zu bytes",
					(unsigned long long)s->sh.sh_size,
					(unsigned long long)s->sh.sh_offset, r->len);
		s->data = r->buf + s->sh.sh_offset;
	}
	return 0;
}

/* A string table: starts and ends with a NUL, so every name in it ends. */
static int obj_check_strtab(struct obj_reader *r, u32 i)
{
	const struct obj_rsec *s = &r->secs[i];

	if (s->sh.sh_type != SHT_STRTAB)
		return obj_serr(r, i, "type %u, not a string table", s->sh.sh_type);
	if (!s->sh.sh_size || s->data[0] || s->data[s->sh.sh_size - 1])
		return obj_serr(r, i, "a string table must start and end with a NUL");
	return 0;
}

static int obj_load_names(struct obj_reader *r, u32 shstrndx)
{
	const struct obj_rsec *tab = &r->secs[shstrndx];
	int err = obj_check_strtab(r, shstrndx);
	u32 i;

	if (err)
		return err;
	for (i = 1; i < r->nsecs; i++) {
		u32 off = r->secs[i].sh.sh_name;

		if (off >= tab->sh.sh_size)
			return obj_serr(r, i, "name offset %u is past the end of .shstrtab", off);
		r->secs[i].name = (const char *)tab->data + off;
	}
	return 0;
}

/* ---- sections by kind ---- */

static int obj_check_version(struct obj_reader *r)
{
	struct rmtc_obj_version v;
	u32 i;

	for (i = 1; i < r->nsecs; i++)
		if (!strcmp(r->secs[i].name, RMTC_SEC_VERSION))
			break;
	if (i == r->nsecs)
		return obj_rerr(r, "no section '%s': not an rmtc object", RMTC_SEC_VERSION);
	if (r->secs[i].sh.sh_size != sizeof(v))
		return obj_serr(r, i, "%llu bytes, not %zu",
				(unsigned long long)r->secs[i].sh.sh_size, sizeof(v));
	memcpy(&v, r->secs[i].data, sizeof(v));
	if (v.magic != RMTC_OBJ_MAGIC)
		return obj_serr(r, i, "magic 0x%08x, not 0x%08x (\"RMTO\")",
				v.magic, RMTC_OBJ_MAGIC);
	if (v.version != RMTC_OBJ_VERSION || v.reserved)
		return obj_serr(r, i, "format version %u.%u; this rmtc reads version %u only",
				v.version, v.reserved, RMTC_OBJ_VERSION);
	return 0;
}

/* The kind a section name says; for objects, the name after the prefix. */
static u32 obj_kind_of(const char *name, const char **obj)
{
	size_t plen;
	u32 k;

	for (k = OBJ_VERSION; k < OBJ_NFIXED; k++)
		if (!strcmp(name, obj_kinds[k].name))
			return k;
	for (; k < OBJ_NKINDS; k++) {
		plen = strlen(obj_kinds[k].name);
		if (!strncmp(name, obj_kinds[k].name, plen)) {
			*obj = name + plen;
			return k;
		}
	}
	return OBJ_OTHER;
}

static int obj_classify(struct obj_reader *r, u32 i)
{
	struct obj_rsec *s = &r->secs[i];
	u32 k = obj_kind_of(s->name, &s->obj);
	size_t nlen;

	if (k == OBJ_OTHER)
		return obj_serr(r, i, "unknown section kind");
	s->kind = k;
	if (s->sh.sh_type != obj_kinds[k].type || s->sh.sh_flags != obj_kinds[k].flags ||
	    s->sh.sh_addralign != obj_kinds[k].align ||
	    s->sh.sh_entsize != obj_kinds[k].entsize || s->sh.sh_addr ||
	    (k != OBJ_SYMTAB && (s->sh.sh_link || s->sh.sh_info)))
		return obj_serr(r, i, "type %u, flags 0x%llx, address, alignment %llu, entry size %llu, link or info not as the format fixes them",
				s->sh.sh_type, (unsigned long long)s->sh.sh_flags,
				(unsigned long long)s->sh.sh_addralign,
				(unsigned long long)s->sh.sh_entsize);
	r->count[k]++;
	if (k < OBJ_NFIXED) {
		if (r->fixed[k])
			return obj_serr(r, i, "appears twice");
		r->fixed[k] = i;
		return 0;
	}
	nlen = strlen(s->obj);
	if (!nlen || nlen >= RMT_NAME_MAX)
		return obj_serr(r, i, "object name of %zu bytes, not 1-%d", nlen, RMT_NAME_MAX - 1);
	return 0;
}

static int obj_cmp_key(const struct obj_rsec *x, u32 kind, const char *name)
{
	if (x->kind != kind)
		return x->kind < kind ? -1 : 1;
	return strcmp(x->obj, name);
}

/* By kind, name, then position, so that the order is total. */
static int obj_cmp(const void *a, const void *b, void *secs)
{
	u32 i = *(const u32 *)a, j = *(const u32 *)b;
	const struct obj_rsec *y = (const struct obj_rsec *)secs + j;
	int c = obj_cmp_key((const struct obj_rsec *)secs + i, y->kind, y->obj);

	return c ?: (i > j) - (i < j);
}

/* Object sections sorted by kind and name: duplicates are neighbours. */
static int obj_sort(struct obj_reader *r)
{
	const struct obj_rsec *s;
	u32 i, n = 0;

	r->sorted = malloc(r->nsecs * sizeof(*r->sorted));
	if (!r->sorted)
		return -ENOMEM;
	for (i = 1; i < r->nsecs; i++)
		if (r->secs[i].kind >= OBJ_NFIXED)
			r->sorted[n++] = i;
	r->nsorted = n;
	qsort_r(r->sorted, n, sizeof(*r->sorted), obj_cmp, r->secs);
	for (i = 1; i < n; i++) {
		s = &r->secs[r->sorted[i]];
		if (!obj_cmp_key(&r->secs[r->sorted[i - 1]], s->kind, s->obj))
			return obj_serr(r, r->sorted[i], "appears twice");
	}
	return 0;
}

/* The section of @kind for object @name, or 0. */
static u32 obj_lookup(const struct obj_reader *r, u32 kind, const char *name)
{
	u32 lo = 0, hi = r->nsorted, mid;
	int c;

	while (lo < hi) {
		mid = lo + (hi - lo) / 2;
		c = obj_cmp_key(&r->secs[r->sorted[mid]], kind, name);
		if (!c)
			return r->sorted[mid];
		if (c < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return 0;
}

static int obj_classify_all(struct obj_reader *r, u32 shstrndx)
{
	u32 i, k;
	int err;

	for (i = 1; i < r->nsecs; i++) {
		err = obj_classify(r, i);
		if (err)
			return err;
	}
	for (k = OBJ_VERSION; k < OBJ_NFIXED; k++)
		if (!r->fixed[k])
			return obj_rerr(r, "no section '%s'", obj_kinds[k].name);
	if (r->fixed[OBJ_SHSTRTAB] != shstrndx)
		return obj_rerr(r, "ELF header: section name table %u is not '.shstrtab'",
				shstrndx);
	err = obj_sort(r);
	for (i = 0; !err && i < r->nsorted; i++) {
		struct obj_rsec *s = &r->secs[r->sorted[i]];

		if (s->kind == OBJ_ACTION && !(s->lines = obj_lookup(r, OBJ_LINES, s->obj)))
			err = obj_serr(r, r->sorted[i], "no section 'lines/%s'", s->obj);
		if (s->kind == OBJ_LINES && !obj_lookup(r, OBJ_ACTION, s->obj))
			err = obj_serr(r, r->sorted[i], "no section 'action/%s'", s->obj);
	}
	return err;
}

/* ---- .rmt.files and the symbol table ---- */

static int obj_read_files(struct obj_reader *r)
{
	u32 i = r->fixed[OBJ_FILES];
	const char *p = (const char *)r->secs[i].data;
	size_t left = r->secs[i].sh.sh_size, n;

	if (left && p[left - 1])
		return obj_serr(r, i, "the last file name is not NUL-terminated");
	while (left) {
		n = strlen(p) + 1;
		if (n == 1)
			return obj_serr(r, i, "file name %u is empty", r->pol->nfiles);
		if (r->pol->nfiles == RMTC_MAX_FILES)
			return obj_serr(r, i, "more than %d file names", RMTC_MAX_FILES);
		if (n > RMTC_OBJ_MAX_PATH)
			return obj_serr(r, i, "file name %u is longer than %d bytes",
					r->pol->nfiles, RMTC_OBJ_MAX_PATH - 1);
		r->pol->files[r->pol->nfiles] = strdup(p);
		if (!r->pol->files[r->pol->nfiles])
			return -ENOMEM;
		r->pol->nfiles++;
		p += n;
		left -= n;
	}
	return 0;
}

static int obj_check_symtab_hdr(struct obj_reader *r, u32 i)
{
	const Elf64_Shdr *sh = &r->secs[i].sh;
	int err = obj_check_strtab(r, r->fixed[OBJ_STRTAB]);

	if (err)
		return err;
	if (sh->sh_entsize != sizeof(Elf64_Sym) || sh->sh_size % sizeof(Elf64_Sym) ||
	    !sh->sh_size)
		return obj_serr(r, i, "%llu bytes of %llu-byte entries, not a whole number of symbols",
				(unsigned long long)sh->sh_size,
				(unsigned long long)sh->sh_entsize);
	if (sh->sh_link != r->fixed[OBJ_STRTAB] || sh->sh_info != 1)
		return obj_serr(r, i, "link %u and info %u, not %u (.strtab) and 1",
				sh->sh_link, sh->sh_info, r->fixed[OBJ_STRTAB]);
	return 0;
}

/* Symbol @n: global, naming one object section by its object name. */
static int obj_check_sym(struct obj_reader *r, u32 i, u32 n, const Elf64_Sym *sym)
{
	const struct obj_rsec *str = &r->secs[r->fixed[OBJ_STRTAB]];
	struct obj_rsec *s;
	u8 type;

	if (sym->st_name >= str->sh.sh_size)
		return obj_serr(r, i, "symbol %u: name offset %u is past the end of .strtab",
				n, sym->st_name);
	if (!sym->st_shndx || sym->st_shndx >= r->nsecs ||
	    r->secs[sym->st_shndx].kind < OBJ_NFIXED ||
	    r->secs[sym->st_shndx].kind == OBJ_LINES)
		return obj_serr(r, i, "symbol %u: section %u is not an object", n, sym->st_shndx);
	s = &r->secs[sym->st_shndx];
	type = s->kind == OBJ_ACTION ? STT_FUNC : STT_OBJECT;
	if (sym->st_info != ELF64_ST_INFO(STB_GLOBAL, type) || sym->st_other ||
	    sym->st_value || sym->st_size != s->sh.sh_size)
		return obj_serr(r, i, "symbol %u: not a global %s at 0 of the size of '%.40s'",
				n, type == STT_FUNC ? "function" : "object", s->name);
	if (strcmp((const char *)str->data + sym->st_name, s->obj))
		return obj_serr(r, i, "symbol %u: named '%.40s', but its section is '%.40s'",
				n, (const char *)str->data + sym->st_name, s->name);
	if (s->nsyms++)
		return obj_serr(r, i, "symbol %u: a second symbol for '%.40s'", n, s->name);
	return 0;
}

/* One symbol per object section, and nothing else. */
static int obj_check_symtab(struct obj_reader *r)
{
	u32 i = r->fixed[OBJ_SYMTAB], n, nsyms;
	const struct obj_rsec *s = &r->secs[i];
	Elf64_Sym sym;
	int err = obj_check_symtab_hdr(r, i);

	nsyms = s->sh.sh_size / sizeof(sym);
	for (n = 0; !err && n < nsyms; n++) {
		memcpy(&sym, s->data + n * sizeof(sym), sizeof(sym));
		if (!n && !obj_zero(&sym, sizeof(sym)))
			err = obj_serr(r, i, "symbol 0 is not all zero");
		else if (n)
			err = obj_check_sym(r, i, n, &sym);
	}
	for (n = 0; !err && n < r->nsorted; n++)
		if (r->secs[r->sorted[n]].kind != OBJ_LINES && !r->secs[r->sorted[n]].nsyms)
			err = obj_serr(r, r->sorted[n], "no symbol");
	return err;
}

/* ---- the objects, into the policy ---- */

static int obj_check_loc(struct obj_reader *r, u32 i, const char *what, u32 n,
			 const struct rmtc_obj_loc *l)
{
	u32 nfiles = r->pol->nfiles;

	if (l->file < nfiles || (!nfiles && !l->file))
		return 0;
	return obj_serr(r, i, "%s %u: file index %u, but the object names %u files",
			what, n, l->file, nfiles);
}

static void obj_get_loc(struct rmtc_line *dst, const struct rmtc_obj_loc *src)
{
	dst->line = src->line;
	dst->col = src->col;
	dst->file = src->file;
}

/* @n name fields of which the first @used are names, the others zero. */
static int obj_check_names(struct obj_reader *r, u32 i, const char *what, u32 rec,
			   const char (*names)[RMT_NAME_MAX], u32 n, u32 used)
{
	const char *bad;
	u32 k;

	for (k = 0; k < n; k++) {
		bad = obj_bad_name(names[k]);
		if (bad)
			return obj_serr(r, i, "record %u: %s[%u] %s", rec, what, k, bad);
		if (k >= used && names[k][0])
			return obj_serr(r, i, "record %u: %s[%u] set, but only %u used",
					rec, what, k, used);
	}
	return 0;
}

static int obj_add_ctxmap(struct obj_reader *r, u32 i, struct rmt_op *op)
{
	if (r->secs[i].sh.sh_size != sizeof(op->ctxmap))
		return obj_serr(r, i, "%llu bytes, not %zu (struct rmt_ctxmap_desc)",
				(unsigned long long)r->secs[i].sh.sh_size, sizeof(op->ctxmap));
	memcpy(&op->ctxmap, r->secs[i].data, sizeof(op->ctxmap));
	return 0;
}

static int obj_add_model(struct obj_reader *r, u32 i, struct rmt_op *op)
{
	u64 size = r->secs[i].sh.sh_size;
	void *blob;

	if (!size || size > RMTC_OBJ_MAX_MODEL)
		return obj_serr(r, i, "%llu bytes, not 1-%u",
				(unsigned long long)size, RMTC_OBJ_MAX_MODEL);
	blob = malloc(size);
	if (!blob)
		return -ENOMEM;
	memcpy(blob, r->secs[i].data, size);
	op->model.blob = blob;
	op->model.len = size;
	return 0;
}

/* Record @n of .rmt.actions, for action section @i. */
static int obj_get_action(struct obj_reader *r, u32 i, u32 n, struct rmtc_obj_action *a)
{
	u32 ai = r->fixed[OBJ_ACTIONS];
	const char *bad;

	memcpy(a, r->secs[ai].data + (size_t)n * sizeof(*a), sizeof(*a));
	bad = obj_bad_name(a->name);
	if (bad)
		return obj_serr(r, ai, "record %u: name %s", n, bad);
	if (strcmp(a->name, r->secs[i].obj))
		return obj_serr(r, ai, "record %u names '%s', but action section %u is '%s'",
				n, a->name, n, r->secs[i].name);
	if (a->nmaps > RMT_MAX_CTXMAPS || a->ntails > RMT_MAX_PROGS - 1)
		return obj_serr(r, ai, "record %u: %u context maps and %u tail calls, at most %d and %d",
				n, a->nmaps, a->ntails, RMT_MAX_CTXMAPS, RMT_MAX_PROGS - 1);
	if (a->has_budget > 1 || !obj_zero(a->reserved, sizeof(a->reserved)))
		return obj_serr(r, ai, "record %u: has_budget %u or reserved bytes set",
				n, a->has_budget);
	bad = obj_bad_name(a->model);
	if (bad)
		return obj_serr(r, ai, "record %u: model %s", n, bad);
	return obj_check_names(r, ai, "maps", n, (const void *)a->maps,
			       RMT_MAX_CTXMAPS, a->nmaps) ?:
	       obj_check_names(r, ai, "tails", n, (const void *)a->tails,
			       RMT_MAX_PROGS - 1, a->ntails) ?:
	       obj_check_loc(r, ai, "record", n, &a->decl);
}

static void obj_put_prog(struct rmt_op *op, const struct rmtc_obj_action *a)
{
	memcpy(op->prog.model, a->model, RMT_NAME_MAX);
	memcpy(op->prog.maps, a->maps, sizeof(a->maps));
	memcpy(op->prog.tails, a->tails, sizeof(a->tails));
	op->prog.hook = a->hook;
	op->prog.nmaps = a->nmaps;
	op->prog.ntails = a->ntails;
	op->prog.budget = a->budget;
	op->prog.has_budget = a->has_budget;
}

static int obj_get_lines(struct obj_reader *r, u32 len, struct rmtc_prog_info *info,
			 const struct obj_rsec *act)
{
	const struct obj_rsec *ls = &r->secs[act->lines];
	struct rmtc_obj_loc loc;
	u32 k;
	int err;

	if (ls->sh.sh_size != (u64)len * sizeof(loc))
		return obj_serr(r, act->lines, "%llu bytes, not one %zu-byte entry for each of %u instructions",
				(unsigned long long)ls->sh.sh_size, sizeof(loc), len);
	info->lines = calloc(len, sizeof(*info->lines));
	if (!info->lines)
		return -ENOMEM;
	for (k = 0; k < len; k++) {
		memcpy(&loc, ls->data + (size_t)k * sizeof(loc), sizeof(loc));
		err = obj_check_loc(r, act->lines, "entry", k, &loc);
		if (err)
			return err;
		obj_get_loc(&info->lines[k], &loc);
	}
	return 0;
}

/* action/NAME @i, its lines and record @n of .rmt.actions, as program @n. */
static int obj_add_action(struct obj_reader *r, u32 i, u32 n, u32 opi)
{
	const struct obj_rsec *s = &r->secs[i];
	struct rmtc_prog_info *info = &r->pol->progs[n];
	struct rmt_op *op = &r->pol->ops[opi];
	struct rmtc_obj_action a;
	u64 len = s->sh.sh_size / sizeof(struct rmt_insn);
	void *insns;
	int err;

	if (s->sh.sh_size % sizeof(struct rmt_insn))
		return obj_serr(r, i, "%llu bytes is not a whole number of instructions",
				(unsigned long long)s->sh.sh_size);
	if (!len || len > RMT_MAX_INSNS)
		return obj_serr(r, i, "%llu instructions, not 1-%d",
				(unsigned long long)len, RMT_MAX_INSNS);
	err = obj_get_action(r, i, n, &a);
	if (err)
		return err;
	insns = malloc(s->sh.sh_size);
	if (!insns)
		return -ENOMEM;
	memcpy(insns, s->data, s->sh.sh_size);
	op->prog.insns = insns;
	op->prog.len = len;
	obj_put_prog(op, &a);
	info->op = opi;
	info->cost = a.cost;
	info->max_insns = a.max_insns;
	obj_get_loc(&info->decl, &a.decl);
	return obj_get_lines(r, len, info, s);
}

static int obj_get_table(struct obj_reader *r, u32 i, struct rmtc_obj_table *t)
{
	u64 size = r->secs[i].sh.sh_size;
	const char *bad;

	if (size < sizeof(*t))
		return obj_serr(r, i, "%llu bytes is shorter than a table header (%zu)",
				(unsigned long long)size, sizeof(*t));
	memcpy(t, r->secs[i].data, sizeof(*t));
	if (t->nentries > RMT_MAX_TABLE_SIZE ||
	    size != sizeof(*t) + (u64)t->nentries * sizeof(struct rmtc_obj_entry))
		return obj_serr(r, i, "%llu bytes for a table of %u entries of %zu bytes",
				(unsigned long long)size, t->nentries,
				sizeof(struct rmtc_obj_entry));
	if (t->nkeys > RMT_MAX_KEY_FIELDS)
		return obj_serr(r, i, "%u key fields (at most %d)",
				t->nkeys, RMT_MAX_KEY_FIELDS);
	bad = obj_bad_name(t->dflt);
	if (bad)
		return obj_serr(r, i, "default action name %s", bad);
	return obj_check_names(r, i, "keys", 0, (const void *)t->keys,
			       RMT_MAX_KEY_FIELDS, t->nkeys);
}

static int obj_add_table(struct obj_reader *r, u32 i, struct rmt_op *op)
{
	struct rmtc_obj_table t;
	int err = obj_get_table(r, i, &t);

	if (err)
		return err;
	op->table.hook = t.hook;
	op->table.match = t.match;
	op->table.size = t.size;
	op->table.latency_ns = t.latency_ns;
	op->table.nkeys = t.nkeys;
	memcpy(op->table.dflt, t.dflt, RMT_NAME_MAX);
	memcpy(op->table.keys, t.keys, sizeof(t.keys));
	return 0;
}

/* @n values of which the first @used may be set, the others zero. */
static bool obj_slots_ok(const void *v, u32 n, u32 used)
{
	return used <= n && obj_zero((const u64 *)v + used, (n - used) * sizeof(u64));
}

static int obj_check_entry(struct obj_reader *r, u32 i, u32 n, const struct rmtc_obj_entry *e)
{
	const char *bad = obj_bad_name(e->prog);

	if (bad)
		return obj_serr(r, i, "entry %u: action name %s", n, bad);
	if (e->has_prefix > 1 || !obj_zero(e->reserved, sizeof(e->reserved)))
		return obj_serr(r, i, "entry %u: has_prefix %u or reserved bytes set",
				n, e->has_prefix);
	if (!obj_slots_ok(e->key, RMT_MAX_KEY_FIELDS, e->nkey) ||
	    !obj_slots_ok(e->key_hi, RMT_MAX_KEY_FIELDS, e->nkey_hi) ||
	    !obj_slots_ok(e->mask, RMT_MAX_KEY_FIELDS, e->nmask) ||
	    !obj_slots_ok(e->params, RMT_MAX_PARAMS, e->nparams))
		return obj_serr(r, i, "entry %u: %u/%u/%u key/key_hi/mask values and %u parameters (at most %d and %d), or unused ones set",
				n, e->nkey, e->nkey_hi, e->nmask, e->nparams,
				RMT_MAX_KEY_FIELDS, RMT_MAX_PARAMS);
	return 0;
}

/* Entry @n of table section @i. */
static int obj_add_entry(struct obj_reader *r, u32 i, u32 n, struct rmt_op *op)
{
	struct rmtc_obj_entry e;
	int err;

	memcpy(&e, r->secs[i].data + sizeof(struct rmtc_obj_table) + (size_t)n * sizeof(e),
	       sizeof(e));
	err = obj_check_entry(r, i, n, &e);
	if (err)
		return err;
	op->cmd = RMT_CMD_ENTRY_NEW;
	memcpy(op->name, r->secs[i].obj, strlen(r->secs[i].obj));
	memcpy(op->entry.key, e.key, sizeof(e.key));
	memcpy(op->entry.key_hi, e.key_hi, sizeof(e.key_hi));
	memcpy(op->entry.mask, e.mask, sizeof(e.mask));
	memcpy(op->entry.params, e.params, sizeof(e.params));
	op->entry.nkey = e.nkey;
	op->entry.nkey_hi = e.nkey_hi;
	op->entry.nmask = e.nmask;
	op->entry.nparams = e.nparams;
	op->entry.prefix = e.prefix;
	op->entry.has_prefix = e.has_prefix;
	op->entry.priority = e.priority;
	memcpy(op->entry.prog, e.prog, RMT_NAME_MAX);
	return 0;
}

static const u32 obj_kind_cmd[OBJ_NKINDS] = {
	[OBJ_CTXMAP] = RMT_CMD_CTXMAP_NEW, [OBJ_MODEL] = RMT_CMD_MODEL_NEW,
	[OBJ_ACTION] = RMT_CMD_PROG_NEW, [OBJ_TABLE] = RMT_CMD_TABLE_NEW,
};

/* Section @i of an object kind as operation @opi. */
static int obj_add_object(struct obj_reader *r, u32 i, u32 opi, u32 *nprog)
{
	const struct obj_rsec *s = &r->secs[i];
	struct rmt_op *op = &r->pol->ops[opi];

	op->cmd = obj_kind_cmd[s->kind];
	memcpy(op->name, s->obj, strlen(s->obj));
	switch (s->kind) {
	case OBJ_CTXMAP:
		return obj_add_ctxmap(r, i, op);
	case OBJ_MODEL:
		return obj_add_model(r, i, op);
	case OBJ_ACTION:
		return obj_add_action(r, i, (*nprog)++, opi);
	}
	return obj_add_table(r, i, op);
}

/* The entries of table section @i (its header checked) from operation @opi. */
static int obj_add_entries(struct obj_reader *r, u32 i, u32 *opi)
{
	struct rmtc_obj_table t;
	u32 n;
	int err = 0;

	memcpy(&t, r->secs[i].data, sizeof(t));
	for (n = 0; !err && n < t.nentries; n++)
		err = obj_add_entry(r, i, n, &r->pol->ops[(*opi)++]);
	return err;
}

/*
 * Operations: one per object section, plus one per entry as the table
 * sizes say (exact once the tables are checked).  An object of at most
 * RMTC_OBJ_MAX_FILE bytes has fewer than 2^22 of them.
 */
static int obj_alloc_ops(struct obj_reader *r)
{
	struct rmtc_policy *pol = r->pol;
	u32 i, nops = r->nsorted - r->count[OBJ_LINES];
	u64 size;

	for (i = 1; i < r->nsecs; i++) {
		size = r->secs[i].sh.sh_size;
		if (r->secs[i].kind == OBJ_TABLE && size > sizeof(struct rmtc_obj_table))
			nops += (size - sizeof(struct rmtc_obj_table)) /
				sizeof(struct rmtc_obj_entry);
	}
	pol->ops = calloc(nops ?: 1, sizeof(*pol->ops));
	pol->progs = calloc(r->count[OBJ_ACTION] ?: 1, sizeof(*pol->progs));
	if (!pol->ops || !pol->progs)
		return -ENOMEM;
	pol->nops = nops;
	pol->nprogs = r->count[OBJ_ACTION];
	return 0;
}

/* .rmt.decls: one location per operation, in the order they were read. */
static int obj_read_decls(struct obj_reader *r)
{
	u32 i = r->fixed[OBJ_DECLS], n;
	struct rmtc_obj_loc l;
	int err;

	if (r->secs[i].sh.sh_size != (u64)r->pol->nops * sizeof(l))
		return obj_serr(r, i, "%llu bytes, not one %zu-byte record for each of %u operations",
				(unsigned long long)r->secs[i].sh.sh_size, sizeof(l),
				r->pol->nops);
	r->pol->decls = calloc(r->pol->nops ?: 1, sizeof(*r->pol->decls));
	if (!r->pol->decls)
		return -ENOMEM;
	for (n = 0; n < r->pol->nops; n++) {
		memcpy(&l, r->secs[i].data + n * sizeof(l), sizeof(l));
		err = obj_check_loc(r, i, "declaration", n, &l);
		if (err)
			return err;
		obj_get_loc(&r->pol->decls[n], &l);
	}
	return 0;
}

/* In dependency order: context maps, models, actions, tables, entries. */
static int obj_add_all(struct obj_reader *r)
{
	static const u32 order[] = { OBJ_CTXMAP, OBJ_MODEL, OBJ_ACTION, OBJ_TABLE };
	u32 k, i, opi = 0, nprog = 0;
	int err = obj_alloc_ops(r);

	for (k = 0; !err && k < ARRAY_SIZE(order); k++)
		for (i = 1; !err && i < r->nsecs; i++)
			if (r->secs[i].kind == order[k])
				err = obj_add_object(r, i, opi++, &nprog);
	for (i = 1; !err && i < r->nsecs; i++)
		if (r->secs[i].kind == OBJ_TABLE)
			err = obj_add_entries(r, i, &opi);
	return err ?: obj_read_decls(r);
}

static int obj_check_actions(struct obj_reader *r)
{
	u32 i = r->fixed[OBJ_ACTIONS];
	u64 size = r->secs[i].sh.sh_size;

	if (size % sizeof(struct rmtc_obj_action) ||
	    size / sizeof(struct rmtc_obj_action) != r->count[OBJ_ACTION])
		return obj_serr(r, i, "%llu bytes, not one %zu-byte record for each of %u action sections",
				(unsigned long long)size, sizeof(struct rmtc_obj_action),
				r->count[OBJ_ACTION]);
	return 0;
}

static int obj_parse(struct obj_reader *r)
{
	Elf64_Ehdr eh;

	return obj_check_ehdr(r, &eh) ?:
	       obj_load_shdrs(r, &eh) ?:
	       obj_load_names(r, eh.e_shstrndx) ?:
	       obj_check_version(r) ?:
	       obj_classify_all(r, eh.e_shstrndx) ?:
	       obj_check_actions(r) ?:
	       obj_read_files(r) ?:
	       obj_check_symtab(r) ?:
	       obj_add_all(r);
}

/**
 * rmtc_object_read_mem() - an rmtc object in memory into a policy
 * @buf: the object's bytes (any alignment)
 * @len: how many
 * @pol: receives the policy (release with rmtc_policy_release())
 * @err: receives a one-line message on failure: what is wrong, where
 * @errlen: size of @err
 *
 * Checks everything the format fixes (docs/object-format.md) but does
 * not verify programs or resolve names other than entries' tables.
 *
 * Return: 0, or a negative errno; then @pol is empty.
 */
int rmtc_object_read_mem(const void *buf, size_t len, struct rmtc_policy *pol,
			 char *err, size_t errlen)
{
	struct obj_reader r = {
		.buf = buf, .len = len, .pol = pol, .err = err, .errlen = errlen,
	};
	int ret;

	memset(pol, 0, sizeof(*pol));
	if (errlen)
		err[0] = '\0';
	if (len > RMTC_OBJ_MAX_FILE)
		ret = obj_rerr(&r, "%zu bytes, more than the %u an object may have",
			       len, RMTC_OBJ_MAX_FILE);
	else
		ret = obj_parse(&r);
	free(r.secs);
	free(r.sorted);
	if (ret) {
		rmtc_policy_release(pol);
		if (errlen && !err[0])
			snprintf(err, errlen, "%s", strerror(-ret));
	}
	return ret;
}

/* The whole of @fd, up to RMTC_OBJ_MAX_FILE bytes (pipes too). */
static int obj_slurp(int fd, u8 **buf, size_t *len)
{
	size_t cap = 1 << 16;
	struct stat st;
	ssize_t n;
	u8 *p;

	if (!fstat(fd, &st) && S_ISREG(st.st_mode) && st.st_size < RMTC_OBJ_MAX_FILE)
		cap = st.st_size + 1;
	*buf = NULL;
	*len = 0;
	for (;;) {
		if (*len == cap) {
			if (cap > RMTC_OBJ_MAX_FILE)
				return -EFBIG;
			cap *= 2;
		}
		p = realloc(*buf, cap);
		if (!p)
			return -ENOMEM;
		*buf = p;
		n = read(fd, p + *len, cap - *len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return -errno;
		if (!n)
			return 0;
		*len += n;
	}
}

/**
 * rmtc_object_read() - read an rmtc object file into a policy
 * @path: the file (or a pipe)
 * @pol: receives the policy (release with rmtc_policy_release())
 * @err: receives a one-line message on failure, starting with @path
 * @errlen: size of @err
 *
 * Return: 0, or a negative errno; then @pol is empty.
 */
int rmtc_object_read(const char *path, struct rmtc_policy *pol,
		     char *err, size_t errlen)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC), ret;
	char msg[256] = "";
	u8 *buf = NULL;
	size_t len = 0;

	memset(pol, 0, sizeof(*pol));
	ret = fd < 0 ? -errno : obj_slurp(fd, &buf, &len);
	if (fd >= 0)
		close(fd);
	if (ret)
		snprintf(msg, sizeof(msg), "cannot read: %s", strerror(-ret));
	else
		ret = rmtc_object_read_mem(buf, len, pol, msg, sizeof(msg));
	free(buf);
	if (ret && errlen)
		snprintf(err, errlen, "%s: %s", path, msg);
	else if (errlen)
		err[0] = '\0';
	return ret;
}
