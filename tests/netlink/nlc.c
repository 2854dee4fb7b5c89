// SPDX-License-Identifier: GPL-2.0-only
/*
 * The netlink side of nlclient: a libnl-genl-3 socket of the "rmt"
 * family that asks for extended acks, collects every reply message of a
 * request and decodes the ack's TLVs (message, offset, missing
 * attribute), and renders the control-plane state as sorted text.
 */
#include <errno.h>
#include <poll.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/time.h>

#include "nlc.h"

#ifndef SOL_NETLINK
#define SOL_NETLINK	270
#endif

void sb_printf(struct sbuf *sb, const char *fmt, ...)
{
	va_list ap;
	int n;

	for (;;) {
		va_start(ap, fmt);
		n = vsnprintf(sb->s ? sb->s + sb->len : NULL,
			      sb->s ? sb->cap - sb->len : 0, fmt, ap);
		va_end(ap);
		if (n < 0)
			return;
		if (sb->s && sb->len + n < sb->cap) {
			sb->len += n;
			return;
		}
		sb->cap = (sb->cap + n + 1) * 2;
		sb->s = realloc(sb->s, sb->cap);
		if (!sb->s)
			abort();
	}
}

void sb_free(struct sbuf *sb)
{
	free(sb->s);
	memset(sb, 0, sizeof(*sb));
}

/* ---- replies ---- */

static void nlc_reply_reset(struct nlc_reply *r)
{
	free(r->buf);
	memset(r, 0, sizeof(*r));
}

void nlc_reply_free(struct nlc_reply *r)
{
	nlc_reply_reset(r);
}

struct nlmsghdr *nlc_next(const struct nlc_reply *r, struct nlmsghdr *prev)
{
	unsigned char *p;

	if (!prev)
		return r->len ? (struct nlmsghdr *)r->buf : NULL;
	p = (unsigned char *)prev + NLMSG_ALIGN(prev->nlmsg_len);
	return p < r->buf + r->len ? (struct nlmsghdr *)p : NULL;
}

static void nlc_keep(struct nlc_reply *r, const struct nlmsghdr *h)
{
	size_t at = NLMSG_ALIGN(r->len);

	if (at + h->nlmsg_len > r->cap) {
		r->cap = (at + h->nlmsg_len) * 2 + 4096;
		r->buf = realloc(r->buf, r->cap);
		if (!r->buf)
			abort();
	}
	memset(r->buf + r->len, 0, at - r->len);
	memcpy(r->buf + at, h, h->nlmsg_len);
	r->len = at + h->nlmsg_len;
	r->nmsgs++;
}

/* The ack TLVs after @fixed bytes of payload. */
static void nlc_tlvs(struct nlc_reply *r, struct nlmsghdr *h, size_t fixed)
{
	struct nlattr *tb[NLMSGERR_ATTR_MAX + 1];
	size_t start = NLMSG_HDRLEN + NLMSG_ALIGN(fixed);
	struct nlattr *a;

	if (!(h->nlmsg_flags & NLM_F_ACK_TLVS) || h->nlmsg_len <= start)
		return;
	if (nla_parse(tb, NLMSGERR_ATTR_MAX,
		      (struct nlattr *)((char *)h + start),
		      h->nlmsg_len - start, NULL))
		return;
	a = tb[NLMSGERR_ATTR_MSG];
	if (a && nla_len(a) > 0) {
		size_t n = nla_len(a);

		if (n > sizeof(r->msg) - 1)
			n = sizeof(r->msg) - 1;
		memcpy(r->msg, nla_data(a), n);
		r->msg[n] = 0;
		r->has_msg = true;
	}
	if (tb[NLMSGERR_ATTR_OFFS] && nla_len(tb[NLMSGERR_ATTR_OFFS]) == 4) {
		r->offs = nla_get_u32(tb[NLMSGERR_ATTR_OFFS]);
		r->has_offs = true;
	}
	if (tb[NLMSGERR_ATTR_MISS_TYPE] &&
	    nla_len(tb[NLMSGERR_ATTR_MISS_TYPE]) == 4) {
		r->miss_type = nla_get_u32(tb[NLMSGERR_ATTR_MISS_TYPE]);
		r->has_miss_type = true;
	}
	if (tb[NLMSGERR_ATTR_MISS_NEST] &&
	    nla_len(tb[NLMSGERR_ATTR_MISS_NEST]) == 4) {
		r->miss_nest = nla_get_u32(tb[NLMSGERR_ATTR_MISS_NEST]);
		r->has_miss_nest = true;
	}
}

/* The reply being collected, if @h belongs to it. */
static struct nlc_reply *nlc_mine(struct nlc *c, const struct nlmsghdr *h)
{
	struct nlc_reply *r = c->cur;

	if (!r || (r->seq && h->nlmsg_seq != r->seq))
		return NULL;
	return r;
}

/* An RMT_CMD_ERROR reply: the refusal in words, before the error ack. */
static bool nlc_words(struct nlc_reply *r, struct nlmsghdr *h)
{
	struct genlmsghdr *g = nlmsg_data(h);
	struct nlattr *tb[RMT_A_MAX + 1], *et[RMT_A_ERROR_MAX + 1];

	if (h->nlmsg_len < NLMSG_HDRLEN + GENL_HDRLEN || g->cmd != RMT_CMD_ERROR)
		return false;
	if (genlmsg_parse(h, 0, tb, RMT_A_MAX, NULL) || !tb[RMT_A_ERROR] ||
	    nla_parse_nested(et, RMT_A_ERROR_MAX, tb[RMT_A_ERROR], NULL) ||
	    !et[RMT_A_ERROR_MSG])
		return true;
	snprintf(r->words, sizeof(r->words), "%s", nla_get_string(et[RMT_A_ERROR_MSG]));
	r->has_words = true;
	return true;
}

static int nlc_valid_cb(struct nl_msg *msg, void *arg)
{
	struct nlmsghdr *h = nlmsg_hdr(msg);
	struct nlc_reply *r = nlc_mine(arg, h);

	if (!r)
		return NL_SKIP;
	if (h->nlmsg_flags & NLM_F_DUMP_INTR)
		r->intr = true;
	if (nlc_words(r, h))
		return NL_OK;
	nlc_keep(r, h);
	return NL_OK;
}

static int nlc_intr_cb(struct nl_msg *msg, void *arg)
{
	struct nlc_reply *r = nlc_mine(arg, nlmsg_hdr(msg));

	if (r)
		r->intr = true;
	return NL_OK;
}

/* NLMSG_DONE carries the dump's status, and an extended ack with it. */
static int nlc_finish_cb(struct nl_msg *msg, void *arg)
{
	struct nlmsghdr *h = nlmsg_hdr(msg);
	struct nlc_reply *r = nlc_mine(arg, h);
	int status;

	if (!r)
		return NL_SKIP;
	if (h->nlmsg_len >= NLMSG_HDRLEN + sizeof(status)) {
		memcpy(&status, nlmsg_data(h), sizeof(status));
		r->err = status;
		nlc_tlvs(r, h, sizeof(status));
	}
	r->done = true;
	return NL_STOP;
}

static size_t nlc_err_fixed(const struct nlmsghdr *h, const struct nlmsgerr *e)
{
	if (h->nlmsg_flags & NLM_F_CAPPED)
		return sizeof(*e);
	return sizeof(*e) + e->msg.nlmsg_len - NLMSG_HDRLEN;
}

static int nlc_ack_cb(struct nl_msg *msg, void *arg)
{
	struct nlmsghdr *h = nlmsg_hdr(msg);
	struct nlc_reply *r = nlc_mine(arg, h);

	if (!r)
		return NL_SKIP;
	r->err = 0;
	if (h->nlmsg_len >= NLMSG_HDRLEN + sizeof(struct nlmsgerr))
		nlc_tlvs(r, h, nlc_err_fixed(h, nlmsg_data(h)));
	r->done = true;
	return NL_STOP;
}

/* libnl hands over the payload of the NLMSG_ERROR message. */
static int nlc_err_cb(struct sockaddr_nl *nla, struct nlmsgerr *e, void *arg)
{
	struct nlmsghdr *h = (struct nlmsghdr *)((char *)e - NLMSG_HDRLEN);
	struct nlc_reply *r = nlc_mine(arg, h);

	if (!r)
		return NL_SKIP;
	r->err = e->error;
	nlc_tlvs(r, h, nlc_err_fixed(h, e));
	r->done = true;
	return NL_STOP;
}

/* ---- the socket ---- */

int nlc_open(struct nlc *c)
{
	struct timeval tv = { .tv_sec = NLC_TIMEOUT_MS / 1000 };
	int one = 1, fd, ret;

	memset(c, 0, sizeof(*c));
	c->family = -1;
	c->mcgrp = -1;
	c->sk = nl_socket_alloc();
	if (!c->sk)
		return -ENOMEM;
	ret = genl_connect(c->sk);
	if (ret < 0)
		goto fail;
	fd = nl_socket_get_fd(c->sk);
	if (setsockopt(fd, SOL_NETLINK, NETLINK_EXT_ACK, &one, sizeof(one)) ||
	    setsockopt(fd, SOL_NETLINK, NETLINK_CAP_ACK, &one, sizeof(one)) ||
	    setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv))) {
		ret = -errno;
		goto fail;
	}
	ret = nl_socket_set_buffer_size(c->sk, 1 << 20, 1 << 20);
	if (ret < 0)
		goto fail;
	/* Resolve with libnl's own handlers, then install ours. */
	c->family = genl_ctrl_resolve(c->sk, RMT_GENL_NAME);
	if (c->family < 0) {
		ret = c->family;
		goto fail;
	}
	nl_socket_disable_seq_check(c->sk);
	nl_socket_enable_msg_peek(c->sk);
	nl_socket_modify_cb(c->sk, NL_CB_VALID, NL_CB_CUSTOM, nlc_valid_cb, c);
	nl_socket_modify_cb(c->sk, NL_CB_FINISH, NL_CB_CUSTOM, nlc_finish_cb, c);
	nl_socket_modify_cb(c->sk, NL_CB_ACK, NL_CB_CUSTOM, nlc_ack_cb, c);
	nl_socket_modify_cb(c->sk, NL_CB_DUMP_INTR, NL_CB_CUSTOM, nlc_intr_cb, c);
	nl_socket_modify_err_cb(c->sk, NL_CB_CUSTOM, nlc_err_cb, c);
	return 0;
fail:
	nl_socket_free(c->sk);
	c->sk = NULL;
	return ret;
}

void nlc_close(struct nlc *c)
{
	if (c->sk)
		nl_socket_free(c->sk);
	c->sk = NULL;
}

/* Join a multicast group of the family; a libnl or negative errno code. */
int nlc_join(struct nlc *c, const char *group)
{
	int grp, ret;

	c->cur = NULL;
	grp = genl_ctrl_resolve_grp(c->sk, RMT_GENL_NAME, group);
	if (grp < 0)
		return grp;
	ret = nl_socket_add_membership(c->sk, grp);
	if (ret < 0)
		return ret;
	c->mcgrp = grp;
	return 0;
}

struct nl_msg *nlc_msg(struct nlc *c, uint8_t cmd, int flags)
{
	struct nl_msg *m = nlmsg_alloc_size(65536);

	if (!m)
		abort();
	if (!genlmsg_put(m, NL_AUTO_PORT, NL_AUTO_SEQ, c->family, 0, flags,
			 cmd, RMT_GENL_VERSION))
		abort();
	return m;
}

struct nlattr *nlc_nest(struct nl_msg *m, int type)
{
	struct nlattr *n = nla_nest_start(m, type | NLA_F_NESTED);

	if (!n)
		abort();
	return n;
}

void nlc_nest_end(struct nl_msg *m, struct nlattr *nest)
{
	nla_nest_end_keep_empty(m, nest);
}

/* Read until the request's final ack, error or NLMSG_DONE. */
static int nlc_wait(struct nlc *c, struct nlc_reply *r)
{
	struct pollfd p = { .fd = nl_socket_get_fd(c->sk), .events = POLLIN };

	c->cur = r;
	while (!r->done) {
		if (poll(&p, 1, NLC_TIMEOUT_MS) <= 0) {
			r->timeout = true;
			break;
		}
		nl_recvmsgs_default(c->sk);
	}
	c->cur = NULL;
	return r->done ? 0 : -ETIMEDOUT;
}

int nlc_call(struct nlc *c, struct nl_msg *m, struct nlc_reply *r)
{
	int ret;

	nlc_reply_reset(r);
	ret = nl_send_auto(c->sk, m);
	r->seq = nlmsg_hdr(m)->nlmsg_seq;
	nlmsg_free(m);
	if (ret < 0) {
		r->timeout = true;
		return ret;
	}
	return nlc_wait(c, r);
}

int nlc_call_raw(struct nlc *c, void *buf, size_t len, struct nlc_reply *r)
{
	struct nlmsghdr *h = buf;
	int ret;

	nlc_reply_reset(r);
	h->nlmsg_seq = nl_socket_use_seq(c->sk);
	h->nlmsg_pid = nl_socket_get_local_port(c->sk);
	r->seq = h->nlmsg_seq;
	ret = nl_sendto(c->sk, buf, len);
	if (ret < 0) {
		r->timeout = true;
		return ret;
	}
	return nlc_wait(c, r);
}

/* Collect multicast messages: wait up to @timeout_ms for the first. */
int nlc_events(struct nlc *c, struct nlc_reply *r, int timeout_ms)
{
	struct pollfd p = { .fd = nl_socket_get_fd(c->sk), .events = POLLIN };
	int ret;

	nlc_reply_reset(r);
	c->cur = r;
	while (poll(&p, 1, timeout_ms) > 0) {
		ret = nl_recvmsgs_default(c->sk);
		if (ret < 0 && !r->err)
			r->err = ret;
		timeout_ms = 0;
	}
	c->cur = NULL;
	return r->nmsgs;
}

int nlc_parse(struct nlmsghdr *h, struct nlattr **tb, int max)
{
	return genlmsg_parse(h, 0, tb, max, NULL);
}

int nlc_parse_nest(struct nlattr *nest, struct nlattr **tb, int max)
{
	if (!nest)
		return -EINVAL;
	return nla_parse_nested(tb, max, nest, NULL);
}

bool nlc_str_eq(struct nlattr *a, const char *s)
{
	return a && nla_len(a) == (int)strlen(s) + 1 &&
	       !memcmp(nla_data(a), s, strlen(s) + 1);
}

/* ---- the state as text ---- */

static bool nlc_is_cstr(const unsigned char *p, int len)
{
	int i;

	if (len < 1 || p[len - 1])
		return false;
	for (i = 0; i < len - 1; i++)
		if (p[i] < 0x20 || p[i] > 0x7e || p[i] == '"')
			return false;
	return true;
}

/*
 * Every attribute, in order: nests (NLA_F_NESTED) as T{...}, strings as
 * T="...", the rest as T=hex; trailing bytes are shown too.
 */
void nlc_render(struct sbuf *sb, const void *data, int len)
{
	const struct nlattr *a;
	int rem, i;

	nla_for_each_attr(a, (struct nlattr *)data, len, rem) {
		const unsigned char *p = nla_data(a);
		int t = a->nla_type & NLA_TYPE_MASK;

		if (a->nla_type & NLA_F_NESTED) {
			sb_printf(sb, " %d{", t);
			nlc_render(sb, p, nla_len(a));
			sb_printf(sb, " }");
		} else if (nlc_is_cstr(p, nla_len(a))) {
			sb_printf(sb, " %d=\"%s\"", t, (const char *)p);
		} else {
			sb_printf(sb, " %d=", t);
			for (i = 0; i < nla_len(a); i++)
				sb_printf(sb, "%02x", p[i]);
		}
	}
	if (rem)
		sb_printf(sb, " trailing:%d", rem);
}

struct nlc_lines {
	char **v;
	size_t n;
	size_t cap;
};

static void nlc_line(struct nlc_lines *l, const char *what,
		     struct nlmsghdr *h)
{
	struct genlmsghdr *g = nlmsg_data(h);
	struct sbuf sb = { 0 };

	sb_printf(&sb, "%s cmd=%u:", what, g->cmd);
	nlc_render(&sb, genlmsg_attrdata(g, 0), genlmsg_attrlen(g, 0));
	if (l->n == l->cap) {
		l->cap = l->cap * 2 + 16;
		l->v = realloc(l->v, l->cap * sizeof(*l->v));
		if (!l->v)
			abort();
	}
	l->v[l->n++] = sb.s;
}

static int nlc_cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The name inside the object nest @attr of a reply message. */
static const char *nlc_obj_name(struct nlmsghdr *h, int attr)
{
	struct nlattr *tb[RMT_A_MAX + 1], *ob[32];

	if (nlc_parse(h, tb, RMT_A_MAX) || nlc_parse_nest(tb[attr], ob, 31) ||
	    !ob[1] || nla_len(ob[1]) < 1 ||
	    ((char *)nla_data(ob[1]))[nla_len(ob[1]) - 1])
		return NULL;
	return nla_data(ob[1]);
}

static int nlc_reply_status(const struct nlc_reply *r)
{
	if (r->timeout)
		return -ETIMEDOUT;
	return r->err;
}

static int nlc_state_once(struct nlc *c, struct nlc_lines *l, bool *intr)
{
	static const struct {
		uint8_t cmd;
		int attr;
		const char *what;
	} dumps[] = {
		{ RMT_CMD_TABLE_GET, RMT_A_TABLE, "table" },
		{ RMT_CMD_PROG_GET, RMT_A_PROG, "prog" },
		{ RMT_CMD_MODEL_GET, RMT_A_MODEL, "model" },
		{ RMT_CMD_CTXMAP_GET, RMT_A_CTXMAP, "ctxmap" },
		{ RMT_CMD_HOOK_GET, RMT_A_HOOK, "hook" },
		{ RMT_CMD_STATS_GET, RMT_A_STATS, "stats" },
	};
	struct nlc_reply r = { 0 }, tables = { 0 }, progs = { 0 };
	struct nlmsghdr *h, *e;
	struct nlattr *n;
	struct nl_msg *m;
	const char *name;
	size_t i;
	int ret = 0;

	for (i = 0; i < sizeof(dumps) / sizeof(dumps[0]) && !ret; i++) {
		nlc_call(c, nlc_msg(c, dumps[i].cmd, NLM_F_DUMP), &r);
		ret = nlc_reply_status(&r);
		*intr |= r.intr;
		for (h = nlc_next(&r, NULL); h && !ret; h = nlc_next(&r, h))
			nlc_line(l, dumps[i].what, h);
		if (dumps[i].cmd == RMT_CMD_TABLE_GET) {
			tables = r;
			memset(&r, 0, sizeof(r));
		} else if (dumps[i].cmd == RMT_CMD_PROG_GET) {
			progs = r;
			memset(&r, 0, sizeof(r));
		}
	}
	/* Each table's entries. */
	for (h = nlc_next(&tables, NULL); h && !ret; h = nlc_next(&tables, h)) {
		name = nlc_obj_name(h, RMT_A_TABLE);
		if (!name) {
			ret = -EBADMSG;
			break;
		}
		m = nlc_msg(c, RMT_CMD_ENTRY_GET, NLM_F_DUMP);
		n = nlc_nest(m, RMT_A_ENTRY);
		nla_put_string(m, RMT_A_ENTRY_TABLE, name);
		nlc_nest_end(m, n);
		nlc_call(c, m, &r);
		ret = nlc_reply_status(&r);
		*intr |= r.intr;
		for (e = nlc_next(&r, NULL); e && !ret; e = nlc_next(&r, e))
			nlc_line(l, "entry", e);
	}
	/* Each program as GET returns it, with its instructions. */
	for (h = nlc_next(&progs, NULL); h && !ret; h = nlc_next(&progs, h)) {
		name = nlc_obj_name(h, RMT_A_PROG);
		if (!name) {
			ret = -EBADMSG;
			break;
		}
		m = nlc_msg(c, RMT_CMD_PROG_GET, 0);
		n = nlc_nest(m, RMT_A_PROG);
		nla_put_string(m, RMT_A_PROG_NAME, name);
		nlc_nest_end(m, n);
		nlc_call(c, m, &r);
		ret = nlc_reply_status(&r);
		for (e = nlc_next(&r, NULL); e && !ret; e = nlc_next(&r, e))
			nlc_line(l, "prog-get", e);
	}
	nlc_reply_free(&r);
	nlc_reply_free(&tables);
	nlc_reply_free(&progs);
	return ret;
}

/**
 * nlc_state() - the whole control-plane state as canonical text
 * @c: the socket
 * @out: receives one sorted line per object, entry and hook
 *
 * Dumps tables, programs, models, context maps, hooks and statistics,
 * the entries of every table and every program by GET; retries if a
 * dump was interrupted by a commit.
 *
 * Return: 0, or a negative errno (the kernel's or -ETIMEDOUT).
 */
int nlc_state(struct nlc *c, struct sbuf *out)
{
	struct nlc_lines l = { 0 };
	int tries, ret = -EAGAIN;
	bool intr = true;
	size_t i;

	for (tries = 0; tries < 5 && intr; tries++) {
		for (i = 0; i < l.n; i++)
			free(l.v[i]);
		l.n = 0;
		intr = false;
		ret = nlc_state_once(c, &l, &intr);
		if (ret)
			break;
	}
	if (!ret && intr)
		ret = -EAGAIN;
	qsort(l.v, l.n, sizeof(*l.v), nlc_cmp);
	sb_free(out);
	sb_printf(out, "%s", "");
	for (i = 0; i < l.n; i++) {
		sb_printf(out, "%s\n", l.v[i]);
		free(l.v[i]);
	}
	free(l.v);
	return ret;
}
