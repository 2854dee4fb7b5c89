// SPDX-License-Identifier: GPL-2.0-only
/*
 * rmtctl's netlink transport: resolve the "rmt" generic-netlink family,
 * send requests with extended acks turned on, and turn every refusal
 * into the kernel's own message plus the path of the attribute it
 * blamed, found by walking our own request at the reported offset.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <linux/genetlink.h>
#include <linux/netlink.h>
#include <linux/rmt.h>

#include "nl.h"

#ifndef NETLINK_EXT_ACK
#define NETLINK_EXT_ACK		11
#endif
#ifndef NETLINK_CAP_ACK
#define NETLINK_CAP_ACK		10
#endif

struct rmt_nl_family {
	struct rmt_nl *nl;
	bool found;
};

static int rmt_nl_family_grp(const struct nlattr *grps, struct rmt_nl *nl)
{
	const struct nlattr *g, *a;

	mnl_attr_for_each_nested(g, grps) {
		const char *name = NULL;
		uint32_t id = 0;

		mnl_attr_for_each_nested(a, g) {
			if (mnl_attr_get_type(a) == CTRL_ATTR_MCAST_GRP_NAME)
				name = mnl_attr_get_str(a);
			else if (mnl_attr_get_type(a) == CTRL_ATTR_MCAST_GRP_ID)
				id = mnl_attr_get_u32(a);
		}
		if (name && !strcmp(name, RMT_GENL_MCGRP_MONITOR))
			nl->monitor_grp = id;
	}
	return MNL_CB_OK;
}

static int rmt_nl_family_cb(const struct nlmsghdr *nlh, void *arg)
{
	struct rmt_nl_family *f = arg;
	const struct nlattr *a;

	mnl_attr_for_each(a, nlh, sizeof(struct genlmsghdr)) {
		if (mnl_attr_get_type(a) == CTRL_ATTR_FAMILY_ID) {
			f->nl->family = mnl_attr_get_u16(a);
			f->found = true;
		} else if (mnl_attr_get_type(a) == CTRL_ATTR_MCAST_GROUPS) {
			rmt_nl_family_grp(a, f->nl);
		}
	}
	return MNL_CB_OK;
}

static struct nlmsghdr *rmt_nl_put(struct rmt_nl *nl, uint16_t type,
				   uint8_t cmd, uint8_t version, uint16_t flags)
{
	struct nlmsghdr *nlh = mnl_nlmsg_put_header(nl->buf);
	struct genlmsghdr *g;

	nlh->nlmsg_type = type;
	nlh->nlmsg_flags = NLM_F_REQUEST | flags;
	nlh->nlmsg_seq = ++nl->seq;
	g = mnl_nlmsg_put_extra_header(nlh, sizeof(*g));
	g->cmd = cmd;
	g->version = version;
	return nlh;
}

/**
 * rmt_nl_open() - connect to the "rmt" family
 * @nl: receives the socket
 *
 * Return: 0, -ENOENT if rmt.ko is not loaded, or another negative errno.
 */
int rmt_nl_open(struct rmt_nl *nl)
{
	struct rmt_nl_family f = { .nl = nl };
	struct nlmsghdr *nlh;
	int one = 1, ret;

	memset(nl, 0, sizeof(*nl));
	nl->seq = (uint32_t)time(NULL);
	nl->buf = calloc(1, RMT_NL_BUF);
	nl->rbuf = calloc(1, RMT_NL_BUF);
	nl->sock = mnl_socket_open(NETLINK_GENERIC);
	if (!nl->buf || !nl->rbuf || !nl->sock ||
	    mnl_socket_bind(nl->sock, 0, MNL_SOCKET_AUTOPID) < 0) {
		rmt_nl_close(nl);
		return -errno;
	}
	mnl_socket_setsockopt(nl->sock, NETLINK_EXT_ACK, &one, sizeof(one));
	mnl_socket_setsockopt(nl->sock, NETLINK_CAP_ACK, &one, sizeof(one));
	nlh = rmt_nl_put(nl, GENL_ID_CTRL, CTRL_CMD_GETFAMILY, 1, NLM_F_ACK);
	mnl_attr_put_strz(nlh, CTRL_ATTR_FAMILY_NAME, RMT_GENL_NAME);
	ret = rmt_nl_talk(nl, nlh, rmt_nl_family_cb, &f);
	if (ret || !f.found) {
		rmt_nl_close(nl);
		return -ENOENT;
	}
	return 0;
}

void rmt_nl_close(struct rmt_nl *nl)
{
	if (nl->sock)
		mnl_socket_close(nl->sock);
	free(nl->buf);
	free(nl->rbuf);
	nl->sock = NULL;
	nl->buf = nl->rbuf = NULL;
}

/* A new request for the family in nl->buf. */
struct nlmsghdr *rmt_nl_request(struct rmt_nl *nl, uint8_t cmd, uint16_t flags)
{
	return rmt_nl_put(nl, nl->family, cmd, RMT_GENL_VERSION, flags);
}

/* The attribute path at byte @off of our request, e.g. "2/7". */
static void rmt_nl_locate(const struct nlmsghdr *req, uint32_t off, char *out,
			  size_t size)
{
	const char *base = (const char *)req;
	const char *p = base + NLMSG_HDRLEN + GENL_HDRLEN;
	const char *end = base + req->nlmsg_len;
	size_t n = 0;

	out[0] = '\0';
	while (p + sizeof(struct nlattr) <= end) {
		const struct nlattr *a = (const void *)p;
		uint16_t len = a->nla_len & 0xffff;

		if (len < sizeof(*a) || p + len > end)
			break;
		if ((uint32_t)(p - base) == off ||
		    ((uint32_t)(p - base) < off && off < (uint32_t)(p - base) + len)) {
			n += snprintf(out + n, size - n, "%s%u", n ? "/" : "",
				      a->nla_type & NLA_TYPE_MASK);
			if ((uint32_t)(p - base) == off || n >= size)
				return;
			end = p + len;		/* descend */
			p += NLA_HDRLEN;
			continue;
		}
		p += NLA_ALIGN(len);
	}
}

/*
 * The extended-ack TLVs of an error (after struct nlmsgerr and, unless
 * capped, our request) or of a dump's NLMSG_DONE (after its errno).
 * A missing attribute is reported as its nest's path plus its type,
 * "2/4", the same shape as a present one.
 */
static void rmt_nl_parse_ack(struct rmt_nl *nl, const struct nlmsghdr *nlh,
			     const struct nlmsghdr *req, int error)
{
	const char *p = mnl_nlmsg_get_payload(nlh);
	const char *end = (const char *)nlh + nlh->nlmsg_len;
	const struct nlmsgerr *e = (const void *)p;
	const struct nlattr *a;
	char nest[96] = "";
	long miss = -1;

	nl->err = -error;
	if (!(nlh->nlmsg_flags & NLM_F_ACK_TLVS))
		goto words;
	if (nlh->nlmsg_type == NLMSG_DONE) {
		p += sizeof(int);
	} else {
		p += sizeof(*e);
		if (!(nlh->nlmsg_flags & NLM_F_CAPPED))
			p += e->msg.nlmsg_len - sizeof(struct nlmsghdr);
	}
	for (a = (const void *)p; mnl_attr_ok(a, end - (const char *)a);
	     a = mnl_attr_next(a)) {
		if (mnl_attr_get_type(a) == NLMSGERR_ATTR_MSG)
			snprintf(nl->msg, sizeof(nl->msg), "%s", mnl_attr_get_str(a));
		else if (mnl_attr_get_type(a) == NLMSGERR_ATTR_OFFS)
			rmt_nl_locate(req, mnl_attr_get_u32(a), nl->where,
				      sizeof(nl->where));
		else if (mnl_attr_get_type(a) == NLMSGERR_ATTR_MISS_TYPE)
			miss = mnl_attr_get_u32(a);
		else if (mnl_attr_get_type(a) == NLMSGERR_ATTR_MISS_NEST)
			rmt_nl_locate(req, mnl_attr_get_u32(a), nest, sizeof(nest));
	}
	if (miss >= 0)
		snprintf(nl->where, sizeof(nl->where), "%s%s%ld", nest,
			 nest[0] ? "/" : "", miss);
words:
	/* The kernel's words, when it sent them, say more than the ack. */
	if (nl->detail[0]) {
		snprintf(nl->hint, sizeof(nl->hint), "%s", nl->msg);
		snprintf(nl->msg, sizeof(nl->msg), "%s", nl->detail);
	}
}

/* An RMT_CMD_ERROR reply: keep its words for the error ack that follows. */
static bool rmt_nl_error_words(struct rmt_nl *nl, const struct nlmsghdr *m)
{
	const struct genlmsghdr *g = mnl_nlmsg_get_payload(m);
	const struct nlattr *tb[RMT_A_MAX + 1], *et[RMT_A_ERROR_MAX + 1];

	if (m->nlmsg_type != nl->family || g->cmd != RMT_CMD_ERROR)
		return false;
	rmt_nl_parse_top(m, tb, RMT_A_MAX);
	if (tb[RMT_A_ERROR]) {
		rmt_nl_parse_nest(tb[RMT_A_ERROR], et, RMT_A_ERROR_MAX);
		if (et[RMT_A_ERROR_MSG])
			snprintf(nl->detail, sizeof(nl->detail), "%s",
				 mnl_attr_get_str(et[RMT_A_ERROR_MSG]));
		if (et[RMT_A_ERROR_OP])
			nl->err_op = (int32_t)mnl_attr_get_u32(et[RMT_A_ERROR_OP]);
		if (et[RMT_A_ERROR_INSN])
			nl->err_insn = (int32_t)mnl_attr_get_u32(et[RMT_A_ERROR_INSN]);
	}
	return true;
}

/**
 * rmt_nl_talk() - send a request and read until its ack or dump end
 * @nl: the socket; on failure nl->err, nl->msg and nl->where say why
 * @nlh: the request (in nl->buf)
 * @cb: called for each reply message, or NULL
 * @arg: passed to @cb
 *
 * Return: 0, or a negative errno.
 */
int rmt_nl_talk(struct rmt_nl *nl, struct nlmsghdr *nlh, rmt_nl_cb cb, void *arg)
{
	struct nlmsghdr *req = nlh;
	unsigned int portid = mnl_socket_get_portid(nl->sock);
	bool dump = nlh->nlmsg_flags & NLM_F_DUMP;

	nl->err = 0;
	nl->msg[0] = nl->where[0] = nl->hint[0] = nl->detail[0] = '\0';
	nl->err_op = nl->err_insn = -1;
	req->nlmsg_flags |= NLM_F_ACK;
	if (mnl_socket_sendto(nl->sock, req, req->nlmsg_len) < 0)
		return nl->err = -errno;
	for (;;) {
		ssize_t n = mnl_socket_recvfrom(nl->sock, nl->rbuf, RMT_NL_BUF);
		struct nlmsghdr *m;
		int len;

		if (n < 0)
			return nl->err = -errno;
		for (m = (void *)nl->rbuf, len = n; mnl_nlmsg_ok(m, len);
		     m = mnl_nlmsg_next(m, &len)) {
			if (m->nlmsg_seq != req->nlmsg_seq || m->nlmsg_pid != portid)
				continue;
			if (m->nlmsg_type == NLMSG_ERROR) {
				const struct nlmsgerr *e = mnl_nlmsg_get_payload(m);

				if (e->error)
					rmt_nl_parse_ack(nl, m, req, e->error);
				if (e->error || !dump)
					return -nl->err;
				continue;
			}
			if (m->nlmsg_type == NLMSG_DONE) {
				int err = *(int *)mnl_nlmsg_get_payload(m);

				if (err)
					rmt_nl_parse_ack(nl, m, req, err);
				return -nl->err;
			}
			if (rmt_nl_error_words(nl, m))
				continue;
			if (cb && cb(m, arg) < 0)
				return nl->err = -EIO;
		}
	}
}

int rmt_nl_subscribe(struct rmt_nl *nl)
{
	int grp = nl->monitor_grp;

	if (mnl_socket_setsockopt(nl->sock, NETLINK_ADD_MEMBERSHIP, &grp,
				  sizeof(grp)) < 0)
		return -errno;
	return 0;
}

/* Read multicast events until @cb returns < 0 or the socket fails. */
int rmt_nl_recv_events(struct rmt_nl *nl, rmt_nl_cb cb, void *arg)
{
	for (;;) {
		ssize_t n = mnl_socket_recvfrom(nl->sock, nl->rbuf, RMT_NL_BUF);
		struct nlmsghdr *m;
		int len;

		if (n < 0)
			return -errno;
		for (m = (void *)nl->rbuf, len = n; mnl_nlmsg_ok(m, len);
		     m = mnl_nlmsg_next(m, &len))
			if (cb(m, arg) < 0)
				return 0;
	}
}

int rmt_nl_parse_nest(const struct nlattr *nest, const struct nlattr **tb,
		      unsigned int max)
{
	const struct nlattr *a;

	memset(tb, 0, (max + 1) * sizeof(*tb));
	mnl_attr_for_each_nested(a, nest)
		if (mnl_attr_get_type(a) <= max)
			tb[mnl_attr_get_type(a)] = a;
	return 0;
}

int rmt_nl_parse_top(const struct nlmsghdr *nlh, const struct nlattr **tb,
		     unsigned int max)
{
	const struct nlattr *a;

	memset(tb, 0, (max + 1) * sizeof(*tb));
	mnl_attr_for_each(a, nlh, sizeof(struct genlmsghdr))
		if (mnl_attr_get_type(a) <= max)
			tb[mnl_attr_get_type(a)] = a;
	return 0;
}
