/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * A small client of the "rmt" generic-netlink family on libnl-genl-3,
 * written from uapi/linux/rmt.h alone: requests, replies with their
 * extended acks, and the whole control-plane state as canonical text.
 */
#ifndef _RMT_NLC_H
#define _RMT_NLC_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <linux/netlink.h>
#include <netlink/genl/ctrl.h>
#include <netlink/genl/genl.h>
#include <netlink/msg.h>
#include <netlink/netlink.h>

#include <linux/rmt.h>

#define NLC_TIMEOUT_MS	5000

/* A growing text buffer. */
struct sbuf {
	char *s;
	size_t len;
	size_t cap;
};

void sb_printf(struct sbuf *sb, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
void sb_free(struct sbuf *sb);

/**
 * struct nlc_reply - everything the kernel answered to one request
 * @seq: the request's sequence number (0: take every message)
 * @done: the final ack, error or NLMSG_DONE arrived
 * @timeout: it did not arrive in time
 * @err: 0 or the negative errno of the error or of NLMSG_DONE
 * @msg: NLMSGERR_ATTR_MSG, if @has_msg
 * @words: the refusal in words (RMT_CMD_ERROR reply), if @has_words
 * @offs: NLMSGERR_ATTR_OFFS, if @has_offs
 * @miss_type: NLMSGERR_ATTR_MISS_TYPE, if @has_miss_type
 * @miss_nest: NLMSGERR_ATTR_MISS_NEST, if @has_miss_nest
 * @intr: a message was flagged NLM_F_DUMP_INTR
 * @nmsgs: reply messages (not acks) collected in @buf
 * @buf: their copies, each starting at an NLMSG_ALIGN boundary
 */
struct nlc_reply {
	uint32_t seq;
	bool done;
	bool timeout;
	int err;
	bool has_msg;
	char msg[512];
	bool has_words;
	char words[512];
	bool has_offs;
	uint32_t offs;
	bool has_miss_type;
	uint32_t miss_type;
	bool has_miss_nest;
	uint32_t miss_nest;
	bool intr;
	unsigned int nmsgs;
	unsigned char *buf;
	size_t len;
	size_t cap;
};

/* One socket of the family; @mcgrp is set once nlc_join() succeeded. */
struct nlc {
	struct nl_sock *sk;
	int family;
	int mcgrp;
	struct nlc_reply *cur;
};

int nlc_open(struct nlc *c);
void nlc_close(struct nlc *c);
int nlc_join(struct nlc *c, const char *group);

struct nl_msg *nlc_msg(struct nlc *c, uint8_t cmd, int flags);
int nlc_call(struct nlc *c, struct nl_msg *m, struct nlc_reply *r);
int nlc_call_raw(struct nlc *c, void *buf, size_t len, struct nlc_reply *r);
int nlc_events(struct nlc *c, struct nlc_reply *r, int timeout_ms);
void nlc_reply_free(struct nlc_reply *r);
struct nlmsghdr *nlc_next(const struct nlc_reply *r, struct nlmsghdr *prev);

/* Building requests: offsets are from the start of the netlink header. */
static inline uint32_t nlc_off(struct nl_msg *m)
{
	return NLMSG_ALIGN(nlmsg_hdr(m)->nlmsg_len);
}

struct nlattr *nlc_nest(struct nl_msg *m, int type);
void nlc_nest_end(struct nl_msg *m, struct nlattr *nest);

/* Reading replies. */
int nlc_parse(struct nlmsghdr *h, struct nlattr **tb, int max);
int nlc_parse_nest(struct nlattr *nest, struct nlattr **tb, int max);
bool nlc_str_eq(struct nlattr *a, const char *s);

int nlc_state(struct nlc *c, struct sbuf *out);
void nlc_render(struct sbuf *sb, const void *data, int len);

#endif /* _RMT_NLC_H */
