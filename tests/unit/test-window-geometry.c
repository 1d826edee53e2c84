/* test-window-geometry.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "cairn-window-geometry.h"

typedef struct
{
  const char          *name;
  CairnWindowGeometry  saved;
  int                  area_width;
  int                  area_height;
  CairnWindowGeometry  expected;
} GeometryCase;

static const GeometryCase cases[] = {
  { "as saved", { 900, 650, FALSE }, 1920, 1080, { 900, 650, FALSE } },
  { "maximized kept", { 900, 650, TRUE }, 1920, 1080, { 900, 650, TRUE } },
  { "unknown screen", { 2500, 1500, FALSE }, 0, 0, { 2500, 1500, FALSE } },
  { "from a larger monitor", { 2500, 1500, FALSE }, 1366, 768, { 1366, 768, FALSE } },
  { "only too wide", { 2000, 600, FALSE }, 1280, 800, { 1280, 600, FALSE } },
  { "unset", { 0, 0, FALSE }, 1920, 1080,
    { CAIRN_WINDOW_DEFAULT_WIDTH, CAIRN_WINDOW_DEFAULT_HEIGHT, FALSE } },
  { "negative", { -40, -1, FALSE }, 1920, 1080,
    { CAIRN_WINDOW_DEFAULT_WIDTH, CAIRN_WINDOW_DEFAULT_HEIGHT, FALSE } },
  { "default larger than screen", { 0, 0, FALSE }, 1024, 600, { 1024, 600, FALSE } },
  { "too small", { 100, 50, FALSE }, 1920, 1080,
    { CAIRN_WINDOW_MIN_WIDTH, CAIRN_WINDOW_MIN_HEIGHT, FALSE } },
  { "exactly the minimum", { CAIRN_WINDOW_MIN_WIDTH, CAIRN_WINDOW_MIN_HEIGHT, FALSE }, 1920, 1080,
    { CAIRN_WINDOW_MIN_WIDTH, CAIRN_WINDOW_MIN_HEIGHT, FALSE } },
  { "screen below the minimum", { 800, 600, FALSE }, 320, 240,
    { CAIRN_WINDOW_MIN_WIDTH, CAIRN_WINDOW_MIN_HEIGHT, FALSE } },
};

static void
test_window_geometry_restore (gconstpointer data)
{
  const GeometryCase *c = data;
  CairnWindowGeometry restored = { -1, -1, -1 };

  cairn_window_geometry_restore (&c->saved, c->area_width, c->area_height, &restored);

  g_assert_cmpint (restored.width, ==, c->expected.width);
  g_assert_cmpint (restored.height, ==, c->expected.height);
  g_assert_cmpint (restored.maximized, ==, c->expected.maximized);
}

static void
test_window_geometry_restore_null (void)
{
  CairnWindowGeometry restored = { 1, 2, FALSE };

  g_test_expect_message ("cairn-window-geometry", G_LOG_LEVEL_CRITICAL, "*saved != NULL*");
  cairn_window_geometry_restore (NULL, 0, 0, &restored);
  g_test_assert_expected_messages ();

  /* Nothing was written through the output on a failed precondition. */
  g_assert_cmpint (restored.width, ==, 1);
  g_assert_cmpint (restored.height, ==, 2);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *path = g_strdup_printf ("/window-geometry/restore/%s", cases[i].name);

      g_test_add_data_func (path, &cases[i], test_window_geometry_restore);
    }
  g_test_add_func ("/window-geometry/restore/null", test_window_geometry_restore_null);

  return g_test_run ();
}
