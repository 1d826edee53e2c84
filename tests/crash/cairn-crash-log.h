/* cairn-crash-log.h
 *
 * The log the crash recorder writes and the power-loss test reads: one
 * record after another, each a CairnCrashRecord followed by one_length
 * bytes (a name in the folder, the bytes written, or a mark's text) and
 * two_length bytes (a rename's new name). Names are relative to the folder;
 * "" is the folder itself.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <stdint.h>

#define CAIRN_CRASH_RECORD_MAGIC 0x43524c47u /* "CRLG" */

typedef enum
{
  CAIRN_CRASH_OP_OPEN = 1,     /* fd, a: the open flags, one: the name */
  CAIRN_CRASH_OP_CLOSE,        /* fd */
  CAIRN_CRASH_OP_WRITE,        /* fd, a: the offset, one: the bytes */
  CAIRN_CRASH_OP_TRUNCATE,     /* fd, a: the new length */
  CAIRN_CRASH_OP_SYNC,         /* fd: fsync or fdatasync returned */
  CAIRN_CRASH_OP_RENAME,       /* one: from, two: to */
  CAIRN_CRASH_OP_UNLINK,       /* one: the name */
  CAIRN_CRASH_OP_MARK,         /* one: the text */
  CAIRN_CRASH_OP_UNSUPPORTED,  /* one: what was done */
} CairnCrashOp;

typedef struct
{
  uint32_t magic;
  uint32_t op;
  int32_t  fd;
  uint32_t reserved;
  int64_t  a;
  uint32_t one_length;
  uint32_t two_length;
} CairnCrashRecord;

/* In the recorder: a mark in the log, found by the process with dlsym(). */
void cairn_crash_recorder_mark (const char *text);
