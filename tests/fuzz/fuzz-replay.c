/* fuzz-replay.c
 *
 * Runs a fuzz target over files, as a test of the suite: each argument is a
 * file or a folder of files (the target's corpus, and the crashes found so
 * far, kept so that they never come back). A failing input aborts the run
 * with its name on standard error.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include <stdio.h>
#include <stdlib.h>

#include "cairn-fuzz.h"

static guint n_inputs;

static void
replay_file (const char *path)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *contents = NULL;
  gsize length = 0;

  if (!g_file_get_contents (path, &contents, &length, &error))
    g_error ("%s", error->message);

  fprintf (stderr, "%s\n", path);
  LLVMFuzzerTestOneInput ((const uint8_t *) contents, length);
  n_inputs++;
}

static int
compare_paths (gconstpointer a,
               gconstpointer b)
{
  return g_strcmp0 (*(char * const *) a, *(char * const *) b);
}

static void
replay (const char *path)
{
  g_autoptr(GPtrArray) names = NULL;
  g_autoptr(GDir) dir = NULL;
  g_autoptr(GError) error = NULL;
  const char *name;

  /* A target with no crash found yet has no crashes folder. */
  if (!g_file_test (path, G_FILE_TEST_EXISTS))
    return;
  if (!g_file_test (path, G_FILE_TEST_IS_DIR))
    {
      replay_file (path);
      return;
    }

  dir = g_dir_open (path, 0, &error);
  if (dir == NULL)
    g_error ("%s", error->message);

  names = g_ptr_array_new_with_free_func (g_free);
  while ((name = g_dir_read_name (dir)) != NULL)
    if (name[0] != '.')
      g_ptr_array_add (names, g_build_filename (path, name, NULL));
  g_ptr_array_sort (names, compare_paths);

  for (guint i = 0; i < names->len; i++)
    replay_file (g_ptr_array_index (names, i));
}

int
main (int   argc,
      char *argv[])
{
  if (argc < 2)
    {
      fprintf (stderr, "Usage: %s FILE-OR-FOLDER…\n", argv[0]);
      return 2;
    }

  LLVMFuzzerInitialize (&argc, &argv);
  for (int i = 1; i < argc; i++)
    replay (argv[i]);

  if (n_inputs == 0)
    {
      fprintf (stderr, "No input to replay: the corpus is missing.\n");
      return 1;
    }
  printf ("%u inputs replayed\n", n_inputs);
  return 0;
}
