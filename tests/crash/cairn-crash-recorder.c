/* cairn-crash-recorder.c
 *
 * An LD_PRELOAD library that logs what a process does to the files of one
 * folder, for the power-loss test to rebuild that folder as a disk could
 * hold it after a power cut at any point.
 *
 * With CAIRN_CRASH_DIR (an absolute path) and CAIRN_CRASH_LOG set, every
 * open, write, truncate, fsync, rename and unlink of the folder or a file
 * in it is appended to the log, with the bytes written, in the order the
 * calls returned (one lock around each call and its record). The process
 * may add its own marks with cairn_crash_recorder_mark(), found through
 * dlsym(), to say where its operations began and returned. A call the log
 * cannot describe (writes through mmap, a duplicated descriptor, an
 * fallocate) is logged as unsupported, so that the test fails instead of
 * rebuilding the folder wrong.
 *
 * It uses nothing but libc, and calls only the real functions inside.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* Both the 32- and 64-bit names are defined here, so no renaming. */
#undef _FILE_OFFSET_BITS
#define _GNU_SOURCE
#define _LARGEFILE64_SOURCE

#include <dlfcn.h>
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <sys/uio.h>
#include <unistd.h>

#include "cairn-crash-log.h"

#define MAX_FDS 4096

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static char *dir;        /* the folder watched, no trailing slash */
static size_t dir_length;
static int log_fd = -1;
static unsigned char tracked[MAX_FDS];

static int     (*real_open)        (const char *, int, ...);
static int     (*real_open64)      (const char *, int, ...);
static int     (*real_openat)      (int, const char *, int, ...);
static int     (*real_openat64)    (int, const char *, int, ...);
static int     (*real_creat)       (const char *, mode_t);
static int     (*real_close)       (int);
static ssize_t (*real_write)       (int, const void *, size_t);
static ssize_t (*real_pwrite)      (int, const void *, size_t, off_t);
static ssize_t (*real_pwrite64)    (int, const void *, size_t, off64_t);
static ssize_t (*real_writev)      (int, const struct iovec *, int);
static int     (*real_ftruncate)   (int, off_t);
static int     (*real_ftruncate64) (int, off64_t);
static int     (*real_fsync)       (int);
static int     (*real_fdatasync)   (int);
static int     (*real_rename)      (const char *, const char *);
static int     (*real_renameat)    (int, const char *, int, const char *);
static int     (*real_renameat2)   (int, const char *, int, const char *, unsigned int);
static int     (*real_unlink)      (const char *);
static int     (*real_unlinkat)    (int, const char *, int);
static int     (*real_dup)         (int);
static int     (*real_dup2)        (int, int);
static int     (*real_dup3)        (int, int, int);
static int     (*real_fallocate)   (int, int, off_t, off_t);
static int     (*real_posix_fallocate) (int, off_t, off_t);
static void   *(*real_mmap)        (void *, size_t, int, int, int, off_t);
static void   *(*real_mmap64)      (void *, size_t, int, int, int, off64_t);

#define RESOLVE(name) \
  do { if (real_##name == NULL) real_##name = dlsym (RTLD_NEXT, #name); } while (0)

static void
resolve_all (void)
{
  RESOLVE (open); RESOLVE (open64); RESOLVE (openat); RESOLVE (openat64);
  RESOLVE (creat); RESOLVE (close); RESOLVE (write); RESOLVE (pwrite);
  RESOLVE (pwrite64); RESOLVE (writev); RESOLVE (ftruncate); RESOLVE (ftruncate64);
  RESOLVE (fsync); RESOLVE (fdatasync); RESOLVE (rename); RESOLVE (renameat);
  RESOLVE (renameat2); RESOLVE (unlink); RESOLVE (unlinkat); RESOLVE (dup);
  RESOLVE (dup2); RESOLVE (dup3); RESOLVE (fallocate); RESOLVE (posix_fallocate);
  RESOLVE (mmap); RESOLVE (mmap64);
}

__attribute__((constructor)) static void
recorder_init (void)
{
  const char *watched = getenv ("CAIRN_CRASH_DIR");
  const char *log_path = getenv ("CAIRN_CRASH_LOG");

  resolve_all ();
  if (watched == NULL || log_path == NULL || watched[0] != '/')
    return;
  dir = strdup (watched);
  dir_length = strlen (dir);
  while (dir_length > 1 && dir[dir_length - 1] == '/')
    dir[--dir_length] = '\0';
  log_fd = real_open (log_path, O_WRONLY | O_CREAT | O_TRUNC | O_APPEND | O_CLOEXEC, 0600);
  if (log_fd < 0)
    {
      fprintf (stderr, "cairn-crash-recorder: cannot open %s: %s\n", log_path, strerror (errno));
      abort ();
    }
}

/* The path relative to the folder ("" for the folder itself), or NULL
 * when it is not the folder or a file in it. */
static const char *
watched_name (const char *path)
{
  if (dir == NULL || path == NULL || strncmp (path, dir, dir_length) != 0)
    return NULL;
  if (path[dir_length] == '\0')
    return "";
  if (path[dir_length] != '/')
    return NULL;
  return path + dir_length + 1;
}

static int
is_tracked (int fd)
{
  return fd >= 0 && fd < MAX_FDS && tracked[fd];
}

static void
write_all (const void *data, size_t length)
{
  const char *p = data;

  while (length > 0)
    {
      ssize_t n = real_write (log_fd, p, length);

      if (n < 0 && errno == EINTR)
        continue;
      if (n <= 0)
        abort ();
      p += n;
      length -= (size_t) n;
    }
}

/* Called with the lock held. */
static void
log_record (uint32_t     op,
            int32_t      fd,
            int64_t      a,
            const void  *one,
            size_t       one_length,
            const char  *two)
{
  CairnCrashRecord record = { CAIRN_CRASH_RECORD_MAGIC, op, fd, 0, a,
                              (uint32_t) one_length, two != NULL ? (uint32_t) strlen (two) : 0 };
  int saved = errno;

  write_all (&record, sizeof record);
  if (one_length > 0)
    write_all (one, one_length);
  if (record.two_length > 0)
    write_all (two, record.two_length);
  errno = saved;
}

static void
log_unsupported (const char *what)
{
  log_record (CAIRN_CRASH_OP_UNSUPPORTED, -1, 0, what, strlen (what), NULL);
}

/* Exported for the process under test: a mark in the log, e.g.
 * "begin 3" and "end 3" around its fourth operation. */
void
cairn_crash_recorder_mark (const char *text)
{
  if (log_fd < 0)
    return;
  pthread_mutex_lock (&lock);
  log_record (CAIRN_CRASH_OP_MARK, -1, 0, text, strlen (text), NULL);
  pthread_mutex_unlock (&lock);
}

static int
after_open (int         fd,
            const char *path,
            int         flags)
{
  const char *name = watched_name (path);

  if (fd >= 0 && name != NULL)
    {
      if (fd >= MAX_FDS)
        log_unsupported ("descriptor beyond the recorder's table");
      else
        {
          tracked[fd] = 1;
          log_record (CAIRN_CRASH_OP_OPEN, fd, flags, name, strlen (name), NULL);
        }
    }
  return fd;
}

static int
open_common (int (*real) (const char *, int, ...),
             const char *path,
             int         flags,
             mode_t      mode)
{
  int fd;

  if (log_fd < 0 || watched_name (path) == NULL)
    return real (path, flags, mode);
  pthread_mutex_lock (&lock);
  fd = real (path, flags, mode);
  after_open (fd, path, flags);
  pthread_mutex_unlock (&lock);
  return fd;
}

static mode_t
mode_argument (int     flags,
               va_list args)
{
  return (flags & (O_CREAT | O_TMPFILE)) ? va_arg (args, mode_t) : 0;
}

int
open (const char *path, int flags, ...)
{
  va_list args;
  mode_t mode;

  RESOLVE (open);
  va_start (args, flags);
  mode = mode_argument (flags, args);
  va_end (args);
  return open_common (real_open, path, flags, mode);
}

int
open64 (const char *path, int flags, ...)
{
  va_list args;
  mode_t mode;

  RESOLVE (open64);
  va_start (args, flags);
  mode = mode_argument (flags, args);
  va_end (args);
  return open_common (real_open64, path, flags, mode);
}

static int
openat_common (int (*real) (int, const char *, int, ...),
               int         dirfd,
               const char *path,
               int         flags,
               mode_t      mode)
{
  int fd;

  if (log_fd < 0)
    return real (dirfd, path, flags, mode);
  if (path != NULL && path[0] != '/')
    {
      if (is_tracked (dirfd))
        {
          pthread_mutex_lock (&lock);
          log_unsupported ("openat relative to the folder");
          pthread_mutex_unlock (&lock);
        }
      return real (dirfd, path, flags, mode);
    }
  if (watched_name (path) == NULL)
    return real (dirfd, path, flags, mode);
  pthread_mutex_lock (&lock);
  fd = real (dirfd, path, flags, mode);
  after_open (fd, path, flags);
  pthread_mutex_unlock (&lock);
  return fd;
}

int
openat (int dirfd, const char *path, int flags, ...)
{
  va_list args;
  mode_t mode;

  RESOLVE (openat);
  va_start (args, flags);
  mode = mode_argument (flags, args);
  va_end (args);
  return openat_common (real_openat, dirfd, path, flags, mode);
}

int
openat64 (int dirfd, const char *path, int flags, ...)
{
  va_list args;
  mode_t mode;

  RESOLVE (openat64);
  va_start (args, flags);
  mode = mode_argument (flags, args);
  va_end (args);
  return openat_common (real_openat64, dirfd, path, flags, mode);
}

int
creat (const char *path, mode_t mode)
{
  RESOLVE (open);
  return open_common (real_open, path, O_CREAT | O_WRONLY | O_TRUNC, mode);
}

int
close (int fd)
{
  int result;

  RESOLVE (close);
  if (!is_tracked (fd))
    return real_close (fd);
  pthread_mutex_lock (&lock);
  result = real_close (fd);
  tracked[fd] = 0;
  log_record (CAIRN_CRASH_OP_CLOSE, fd, 0, NULL, 0, NULL);
  pthread_mutex_unlock (&lock);
  return result;
}

/* Where a write() without an offset lands. */
static int64_t
current_offset (int fd)
{
  int flags = fcntl (fd, F_GETFL);
  struct stat st;

  if (flags >= 0 && (flags & O_APPEND) && fstat (fd, &st) == 0)
    return st.st_size;
  return lseek (fd, 0, SEEK_CUR);
}

ssize_t
write (int fd, const void *data, size_t length)
{
  ssize_t n;
  int64_t offset;

  RESOLVE (write);
  if (!is_tracked (fd))
    return real_write (fd, data, length);
  pthread_mutex_lock (&lock);
  offset = current_offset (fd);
  n = real_write (fd, data, length);
  if (n > 0)
    log_record (CAIRN_CRASH_OP_WRITE, fd, offset, data, (size_t) n, NULL);
  pthread_mutex_unlock (&lock);
  return n;
}

static ssize_t
pwrite_common (int fd, const void *data, size_t length, int64_t offset, int wide)
{
  ssize_t n;

  if (!is_tracked (fd))
    return wide ? real_pwrite64 (fd, data, length, offset) : real_pwrite (fd, data, length, (off_t) offset);
  pthread_mutex_lock (&lock);
  n = wide ? real_pwrite64 (fd, data, length, offset) : real_pwrite (fd, data, length, (off_t) offset);
  if (n > 0)
    log_record (CAIRN_CRASH_OP_WRITE, fd, offset, data, (size_t) n, NULL);
  pthread_mutex_unlock (&lock);
  return n;
}

ssize_t
pwrite (int fd, const void *data, size_t length, off_t offset)
{
  RESOLVE (pwrite);
  return pwrite_common (fd, data, length, offset, 0);
}

ssize_t
pwrite64 (int fd, const void *data, size_t length, off64_t offset)
{
  RESOLVE (pwrite64);
  return pwrite_common (fd, data, length, offset, 1);
}

ssize_t
writev (int fd, const struct iovec *iov, int count)
{
  ssize_t n;
  int64_t offset;

  RESOLVE (writev);
  if (!is_tracked (fd))
    return real_writev (fd, iov, count);
  pthread_mutex_lock (&lock);
  offset = current_offset (fd);
  n = real_writev (fd, iov, count);
  /* Logged piece by piece, as far as it got. */
  for (int i = 0; i < count && n > 0; i++)
    {
      size_t piece = (size_t) n < iov[i].iov_len ? (size_t) n : iov[i].iov_len;
      ssize_t left = n - (ssize_t) piece;

      log_record (CAIRN_CRASH_OP_WRITE, fd, offset, iov[i].iov_base, piece, NULL);
      offset += (int64_t) piece;
      n = left;
    }
  pthread_mutex_unlock (&lock);
  return n;
}

static int
truncate_common (int fd, int64_t length, int wide)
{
  int result;

  if (!is_tracked (fd))
    return wide ? real_ftruncate64 (fd, length) : real_ftruncate (fd, (off_t) length);
  pthread_mutex_lock (&lock);
  result = wide ? real_ftruncate64 (fd, length) : real_ftruncate (fd, (off_t) length);
  if (result == 0)
    log_record (CAIRN_CRASH_OP_TRUNCATE, fd, length, NULL, 0, NULL);
  pthread_mutex_unlock (&lock);
  return result;
}

int
ftruncate (int fd, off_t length)
{
  RESOLVE (ftruncate);
  return truncate_common (fd, length, 0);
}

int
ftruncate64 (int fd, off64_t length)
{
  RESOLVE (ftruncate64);
  return truncate_common (fd, length, 1);
}

static int
sync_common (int (*real) (int), int fd)
{
  int result;

  if (!is_tracked (fd))
    return real (fd);
  pthread_mutex_lock (&lock);
  result = real (fd);
  if (result == 0)
    log_record (CAIRN_CRASH_OP_SYNC, fd, 0, NULL, 0, NULL);
  pthread_mutex_unlock (&lock);
  return result;
}

int
fsync (int fd)
{
  RESOLVE (fsync);
  return sync_common (real_fsync, fd);
}

int
fdatasync (int fd)
{
  RESOLVE (fdatasync);
  return sync_common (real_fdatasync, fd);
}

static int
rename_logged (const char *from, const char *to, int result)
{
  const char *a = watched_name (from), *b = watched_name (to);

  if (result != 0 || (a == NULL && b == NULL))
    return result;
  if (a == NULL || b == NULL)
    log_unsupported ("rename into or out of the folder");
  else
    log_record (CAIRN_CRASH_OP_RENAME, -1, 0, a, strlen (a), b);
  return result;
}

int
rename (const char *from, const char *to)
{
  int result;

  RESOLVE (rename);
  if (log_fd < 0 || (watched_name (from) == NULL && watched_name (to) == NULL))
    return real_rename (from, to);
  pthread_mutex_lock (&lock);
  result = rename_logged (from, to, real_rename (from, to));
  pthread_mutex_unlock (&lock);
  return result;
}

int
renameat (int fromfd, const char *from, int tofd, const char *to)
{
  int result;

  RESOLVE (renameat);
  if (log_fd < 0 || from[0] != '/' || to[0] != '/'
      || (watched_name (from) == NULL && watched_name (to) == NULL))
    {
      if (log_fd >= 0 && (is_tracked (fromfd) || is_tracked (tofd)))
        {
          pthread_mutex_lock (&lock);
          log_unsupported ("renameat relative to the folder");
          pthread_mutex_unlock (&lock);
        }
      return real_renameat (fromfd, from, tofd, to);
    }
  pthread_mutex_lock (&lock);
  result = rename_logged (from, to, real_renameat (fromfd, from, tofd, to));
  pthread_mutex_unlock (&lock);
  return result;
}

int
renameat2 (int fromfd, const char *from, int tofd, const char *to, unsigned int flags)
{
  RESOLVE (renameat2);
  if (log_fd >= 0 && (watched_name (from) != NULL || watched_name (to) != NULL
                      || is_tracked (fromfd) || is_tracked (tofd)))
    {
      pthread_mutex_lock (&lock);
      log_unsupported ("renameat2");
      pthread_mutex_unlock (&lock);
    }
  return real_renameat2 (fromfd, from, tofd, to, flags);
}

int
unlink (const char *path)
{
  const char *name;
  int result;

  RESOLVE (unlink);
  name = log_fd >= 0 ? watched_name (path) : NULL;
  if (name == NULL)
    return real_unlink (path);
  pthread_mutex_lock (&lock);
  result = real_unlink (path);
  if (result == 0)
    log_record (CAIRN_CRASH_OP_UNLINK, -1, 0, name, strlen (name), NULL);
  pthread_mutex_unlock (&lock);
  return result;
}

int
unlinkat (int dirfd, const char *path, int flags)
{
  const char *name;
  int result;

  RESOLVE (unlinkat);
  name = log_fd >= 0 && path[0] == '/' ? watched_name (path) : NULL;
  if (name == NULL)
    {
      if (log_fd >= 0 && is_tracked (dirfd))
        {
          pthread_mutex_lock (&lock);
          log_unsupported ("unlinkat relative to the folder");
          pthread_mutex_unlock (&lock);
        }
      return real_unlinkat (dirfd, path, flags);
    }
  pthread_mutex_lock (&lock);
  result = real_unlinkat (dirfd, path, flags);
  if (result == 0)
    log_record ((flags & AT_REMOVEDIR) ? CAIRN_CRASH_OP_UNSUPPORTED : CAIRN_CRASH_OP_UNLINK,
                -1, 0, name, strlen (name), NULL);
  pthread_mutex_unlock (&lock);
  return result;
}

static int
flag_if_tracked (int fd, const char *what, int result)
{
  if (is_tracked (fd) && result >= 0)
    {
      pthread_mutex_lock (&lock);
      log_unsupported (what);
      pthread_mutex_unlock (&lock);
    }
  return result;
}

#define DUPLICATED "a descriptor of the folder duplicated"

int
dup (int fd)
{
  RESOLVE (dup);
  return flag_if_tracked (fd, DUPLICATED, real_dup (fd));
}

int
dup2 (int fd, int to)
{
  RESOLVE (dup2);
  return flag_if_tracked (fd, DUPLICATED, real_dup2 (fd, to));
}

int
dup3 (int fd, int to, int flags)
{
  RESOLVE (dup3);
  return flag_if_tracked (fd, DUPLICATED, real_dup3 (fd, to, flags));
}

int
fallocate (int fd, int mode, off_t offset, off_t length)
{
  RESOLVE (fallocate);
  return flag_if_tracked (fd, "fallocate", real_fallocate (fd, mode, offset, length));
}

int
posix_fallocate (int fd, off_t offset, off_t length)
{
  RESOLVE (posix_fallocate);
  return flag_if_tracked (fd, "posix_fallocate", real_posix_fallocate (fd, offset, length));
}

static void
check_mapping (int prot, int flags, int fd)
{
  if ((prot & PROT_WRITE) && (flags & MAP_SHARED) && is_tracked (fd))
    {
      pthread_mutex_lock (&lock);
      log_unsupported ("a file of the folder mapped for writing");
      pthread_mutex_unlock (&lock);
    }
}

void *
mmap (void *address, size_t length, int prot, int flags, int fd, off_t offset)
{
  RESOLVE (mmap);
  check_mapping (prot, flags, fd);
  return real_mmap (address, length, prot, flags, fd, offset);
}

void *
mmap64 (void *address, size_t length, int prot, int flags, int fd, off64_t offset)
{
  RESOLVE (mmap64);
  check_mapping (prot, flags, fd);
  return real_mmap64 (address, length, prot, flags, fd, offset);
}
