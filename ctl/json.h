/* SPDX-License-Identifier: GPL-2.0-only */
/* A small streaming JSON writer for rmtctl's -j and -p output. */
#ifndef _RMTCTL_JSON_H
#define _RMTCTL_JSON_H

#include <stdbool.h>
#include <stdio.h>

struct json_writer;

struct json_writer *json_new(FILE *out, bool pretty);
void json_destroy(struct json_writer *jw);
void json_start_object(struct json_writer *jw);
void json_end_object(struct json_writer *jw);
void json_start_array(struct json_writer *jw);
void json_end_array(struct json_writer *jw);
void json_name(struct json_writer *jw, const char *name);
void json_string(struct json_writer *jw, const char *s);
void json_int(struct json_writer *jw, long long v);
void json_uint(struct json_writer *jw, unsigned long long v);
void json_null(struct json_writer *jw);
void json_bool(struct json_writer *jw, bool v);
void json_raw(struct json_writer *jw, const char *text);

/* name + value in one call */
void json_kv_string(struct json_writer *jw, const char *name, const char *s);
void json_kv_int(struct json_writer *jw, const char *name, long long v);
void json_kv_uint(struct json_writer *jw, const char *name,
		  unsigned long long v);

#endif /* _RMTCTL_JSON_H */
