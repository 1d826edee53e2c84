/* bench-startup.c
 *
 * Launch-to-first-frame time of the real `cairn` binary, and its peak
 * resident memory. Run with build-aux/bench, which provides Xvfb and a D-Bus
 * session. Prints figures; asserts nothing about them.
 *
 * Each run spawns cairn with CAIRN_BENCH=first-frame: the window prints the
 * CLOCK_MONOTONIC time after its first frame is painted and quits. The
 * monotonic clock is shared by all processes, so launch time = that stamp -
 * the stamp taken here just before spawning.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <errno.h>
#include <gio/gio.h>
#include <stdlib.h>
#include <sys/resource.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

typedef struct
{
  double ms;
  long   max_rss_kib;
} Run;

static int
compare_double (const void *a,
                const void *b)
{
  double x = *(const double *) a;
  double y = *(const double *) b;

  return (x > y) - (x < y);
}

static int
compare_long (const void *a,
              const void *b)
{
  long x = *(const long *) a;
  long y = *(const long *) b;

  return (x > y) - (x < y);
}

static gboolean
run_once (const char  *binary,
          char       **envp,
          Run         *run,
          GError     **error)
{
  const char *argv[] = { binary, NULL };
  g_autofree char *output = NULL;
  g_autoptr(GIOChannel) channel = NULL;
  struct rusage usage;
  gint64 started;
  gint64 first_frame = 0;
  GPid pid;
  int out_fd;
  int status;
  char *stamp;

  started = g_get_monotonic_time ();
  if (!g_spawn_async_with_pipes (NULL, (char **) argv, envp, G_SPAWN_DO_NOT_REAP_CHILD,
                                 NULL, NULL, &pid, NULL, &out_fd, NULL, error))
    return FALSE;

  channel = g_io_channel_unix_new (out_fd);
  g_io_channel_set_close_on_unref (channel, TRUE);
  g_io_channel_read_to_end (channel, &output, NULL, NULL);

  if (wait4 (pid, &status, 0, &usage) != pid)
    {
      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (errno), "wait4: %s", g_strerror (errno));
      return FALSE;
    }
  g_spawn_close_pid (pid);

  stamp = output ? strstr (output, "cairn-first-frame ") : NULL;
  if (stamp != NULL)
    first_frame = g_ascii_strtoll (stamp + strlen ("cairn-first-frame "), NULL, 10);

  if (!WIFEXITED (status) || WEXITSTATUS (status) != 0 || first_frame <= started)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED,
                   "cairn did not report a first frame (exit status %d); output: %s",
                   status, output ? output : "");
      return FALSE;
    }

  run->ms = (first_frame - started) / 1000.0;
  run->max_rss_kib = usage.ru_maxrss;

  return TRUE;
}

typedef struct
{
  const char *label;
  const char *binary;
  double     *ms;
  long       *rss;
} Subject;

static void
print_summary (const Subject *subject,
               int            runs,
               const char    *renderer)
{
  qsort (subject->ms, runs, sizeof *subject->ms, compare_double);
  qsort (subject->rss, runs, sizeof *subject->rss, compare_long);

  g_print ("%s (%s renderer, %d runs): median %.1f ms, min %.1f ms, max %.1f ms; "
           "peak RSS median %.1f MiB, max %.1f MiB\n",
           subject->label, renderer, runs,
           subject->ms[runs / 2], subject->ms[0], subject->ms[runs - 1],
           subject->rss[runs / 2] / 1024.0, subject->rss[runs - 1] / 1024.0);
}

int
main (int   argc,
      char *argv[])
{
  g_auto(GStrv) envp = g_get_environ ();
  g_autoptr(GError) error = NULL;
  Subject subjects[2] = {
    { "startup", NULL, NULL, NULL },
    { "baseline", NULL, NULL, NULL },
  };
  guint n_subjects;
  int runs = 11;

  if (argc < 2)
    {
      g_printerr ("Usage: %s PATH-TO-CAIRN [PATH-TO-BASELINE [RUNS]]\n", argv[0]);
      return 2;
    }
  subjects[0].binary = argv[1];
  subjects[1].binary = argc > 2 && *argv[2] != '\0' ? argv[2] : NULL;
  n_subjects = subjects[1].binary != NULL ? 2 : 1;
  if (argc > 3)
    runs = MAX (1, atoi (argv[3]));

  envp = g_environ_setenv (envp, "CAIRN_BENCH", "first-frame", TRUE);
  envp = g_environ_setenv (envp, "GSETTINGS_BACKEND", "memory", TRUE);
  envp = g_environ_setenv (envp, "GSK_RENDERER", "cairo", FALSE);
  envp = g_environ_setenv (envp, "GTK_A11Y", "none", FALSE);

  for (guint s = 0; s < n_subjects; s++)
    {
      Run warm;

      subjects[s].ms = g_new0 (double, runs);
      subjects[s].rss = g_new0 (long, runs);

      /* One untimed run to warm the page cache: we measure the launch a
       * clinician sees every morning, not the very first after installing. */
      if (!run_once (subjects[s].binary, envp, &warm, &error))
        {
          g_printerr ("%s\n", error->message);
          return 1;
        }
    }

  /* Alternate the subjects run by run, so that whatever else the machine
   * is doing weighs on both alike. */
  for (int i = 0; i < runs; i++)
    for (guint s = 0; s < n_subjects; s++)
      {
        Run run;

        if (!run_once (subjects[s].binary, envp, &run, &error))
          {
            g_printerr ("%s\n", error->message);
            return 1;
          }
        subjects[s].ms[i] = run.ms;
        subjects[s].rss[i] = run.max_rss_kib;
        g_print ("%-8s run %2d: %7.1f ms to first frame, peak RSS %6.1f MiB\n",
                 subjects[s].label, i + 1, run.ms, run.max_rss_kib / 1024.0);
      }

  for (guint s = 0; s < n_subjects; s++)
    print_summary (&subjects[s], runs, g_environ_getenv (envp, "GSK_RENDERER"));

  for (guint s = 0; s < n_subjects; s++)
    {
      g_free (subjects[s].ms);
      g_free (subjects[s].rss);
    }

  return 0;
}
