/* SPDX-License-Identifier: GPL-2.0-only */
/* rmtctl's netlink transport to rmt.ko, on libmnl. */
#ifndef _RMTCTL_NL_H
#define _RMTCTL_NL_H

#include <stdbool.h>
#include <stdint.h>
#include <libmnl/libmnl.h>

#define RMT_NL_BUF	(1u << 20)

/**
 * struct rmt_nl - a socket talking to the "rmt" family
 * @sock: the libmnl socket
 * @family: resolved family id
 * @monitor_grp: multicast group id of "monitor"
 * @seq: sequence number of the last request
 * @err: errno of the last failed request
 * @msg: the refusal: the kernel's words (RMT_CMD_ERROR) if it sent them,
 *	else its extended-ack message, or ""
 * @hint: the extended-ack message when @msg holds the words
 * @where: the offending attribute, as a path, or ""
 * @err_op: the refused operation of a batch (RMT_A_ERROR_OP), or -1
 * @err_insn: the instruction the verifier blamed (RMT_A_ERROR_INSN), or -1
 * @buf: request buffer
 * @rbuf: receive buffer
 */
struct rmt_nl {
	struct mnl_socket *sock;
	uint16_t family;
	uint32_t monitor_grp;
	uint32_t seq;
	int err;
	char msg[512];
	char hint[512];
	char detail[512];
	char where[128];
	int32_t err_op;
	int32_t err_insn;
	char *buf;
	char *rbuf;
};

typedef int (*rmt_nl_cb)(const struct nlmsghdr *nlh, void *arg);

int rmt_nl_open(struct rmt_nl *nl);
void rmt_nl_close(struct rmt_nl *nl);
struct nlmsghdr *rmt_nl_request(struct rmt_nl *nl, uint8_t cmd, uint16_t flags);
int rmt_nl_talk(struct rmt_nl *nl, struct nlmsghdr *nlh, rmt_nl_cb cb, void *arg);
int rmt_nl_subscribe(struct rmt_nl *nl);
int rmt_nl_recv_events(struct rmt_nl *nl, rmt_nl_cb cb, void *arg);

/* Attributes of a reply's object nest, by type. */
int rmt_nl_parse_nest(const struct nlattr *nest, const struct nlattr **tb,
		      unsigned int max);
int rmt_nl_parse_top(const struct nlmsghdr *nlh, const struct nlattr **tb,
		     unsigned int max);

#endif /* _RMTCTL_NL_H */
