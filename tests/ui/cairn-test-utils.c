/* cairn-test-utils.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "cairn-test-utils.h"

static CairnApplication *test_application;

static char *isolated_home;

static void
remove_recursively (GFile *file)
{
  g_autoptr(GFileEnumerator) children = NULL;

  children = g_file_enumerate_children (file, G_FILE_ATTRIBUTE_STANDARD_NAME,
                                        G_FILE_QUERY_INFO_NOFOLLOW_SYMLINKS, NULL, NULL);
  if (children != NULL)
    {
      GFile *child;

      while (g_file_enumerator_iterate (children, NULL, &child, NULL, NULL) && child != NULL)
        remove_recursively (child);
    }

  g_file_delete (file, NULL, NULL);
}

/**
 * cairn_test_init_gtk:
 *
 * Initializes GTest, then GTK and libadwaita, in a fresh home of its own.
 *
 * The user's directories (home, data, config, cache, state) point into a new
 * temporary folder, so no test reads or writes a real vault or real settings.
 * The system's read-only directories stay as they are: the icon theme, the
 * MIME database and the fonts are the ones a user's session has. (GTest's
 * G_TEST_OPTION_ISOLATE_DIRS hides those too, and then no SVG icon loads.)
 *
 * A missing display is a failure, never a skip: a UI suite that silently
 * skips is a UI suite that tests nothing.
 */
void
cairn_test_init_gtk (int    *argc,
                     char ***argv)
{
  static const struct {
    const char *variable;
    const char *subdir;
  } user_dirs[] = {
    { "HOME", "" },
    { "XDG_DATA_HOME", ".local/share" },
    { "XDG_CONFIG_HOME", ".config" },
    { "XDG_CACHE_HOME", ".cache" },
    { "XDG_STATE_HOME", ".local/state" },
  };
  g_autoptr(GError) error = NULL;

  isolated_home = g_dir_make_tmp ("cairn-test-XXXXXX", &error);
  g_assert_no_error (error);

  for (guint i = 0; i < G_N_ELEMENTS (user_dirs); i++)
    {
      g_autofree char *path = g_build_filename (isolated_home, user_dirs[i].subdir, NULL);

      g_assert_cmpint (g_mkdir_with_parents (path, 0700), ==, 0);
      g_setenv (user_dirs[i].variable, path, TRUE);
    }

  g_test_init (argc, argv, NULL);

  if (!gtk_init_check ())
    g_error ("No display: run the UI tests under Xvfb (see build-aux/test)");

  adw_init ();
}

/**
 * cairn_test_run:
 *
 * Runs the tests, then removes the temporary home.
 *
 * Returns: the exit status for main()
 */
int
cairn_test_run (void)
{
  g_autoptr(GFile) home = NULL;
  int status;

  status = g_test_run ();

  g_clear_object (&test_application);
  home = g_file_new_for_path (isolated_home);
  remove_recursively (home);
  g_clear_pointer (&isolated_home, g_free);

  return status;
}

/**
 * cairn_test_get_application:
 *
 * One application per test program, registered (so started up) but not run:
 * the tests drive it by activating its actions and iterating the main context.
 * It is non-unique so that test programs running in parallel on one session
 * bus do not hand their work to each other.
 */
CairnApplication *
cairn_test_get_application (void)
{
  if (test_application == NULL)
    {
      g_autoptr(GError) error = NULL;

      test_application = cairn_application_new (G_APPLICATION_NON_UNIQUE);
      g_application_register (G_APPLICATION (test_application), NULL, &error);
      g_assert_no_error (error);
    }

  return test_application;
}

/**
 * cairn_test_reset:
 *
 * Destroys every window and resets every setting to its default, so that each
 * test starts as a first launch would.
 */
void
cairn_test_reset (void)
{
  CairnApplication *app = cairn_test_get_application ();
  GSettings *settings = cairn_application_get_settings (app);
  g_autoptr(GSettingsSchema) schema = NULL;
  g_auto(GStrv) keys = NULL;
  GList *toplevels;

  toplevels = gtk_window_list_toplevels ();
  for (GList *l = toplevels; l != NULL; l = l->next)
    gtk_window_destroy (l->data);
  g_list_free (toplevels);

  g_object_get (settings, "settings-schema", &schema, NULL);
  keys = g_settings_schema_list_keys (schema);
  for (guint i = 0; keys[i] != NULL; i++)
    g_settings_reset (settings, keys[i]);

  cairn_test_iterate (10);
}

/**
 * cairn_test_wait_until:
 *
 * Iterates the main context until @condition holds or @timeout_ms passes.
 * GTK does some things on a later frame (a button's clicked signal comes
 * ~250 ms after gtk_widget_activate(), allocation after present()).
 *
 * Returns: whether @condition held in time
 */
gboolean
cairn_test_wait_until (CairnTestCondition condition,
                       gpointer           user_data,
                       guint              timeout_ms)
{
  gint64 deadline = g_get_monotonic_time () + (gint64) timeout_ms * 1000;

  while (!condition (user_data))
    {
      if (g_get_monotonic_time () > deadline)
        return FALSE;
      g_main_context_iteration (NULL, FALSE);
      g_usleep (1000);
    }

  return TRUE;
}

static gboolean
never (gpointer user_data)
{
  return FALSE;
}

void
cairn_test_iterate (guint ms)
{
  cairn_test_wait_until (never, NULL, ms);
}

GtkWindow *
cairn_test_find_toplevel (GType type)
{
  GList *toplevels = gtk_window_list_toplevels ();
  GtkWindow *found = NULL;

  for (GList *l = toplevels; l != NULL; l = l->next)
    {
      if (G_TYPE_CHECK_INSTANCE_TYPE (l->data, type) && gtk_widget_get_visible (l->data))
        {
          found = l->data;
          break;
        }
    }

  g_list_free (toplevels);

  return found;
}

/**
 * cairn_test_find_descendant:
 * @root: where to start
 * @type: the type to find
 * @css_class: (nullable): a style class the widget must have
 *
 * Returns: (transfer none) (nullable): the first widget below @root, depth
 *   first, of @type and with @css_class
 */
GtkWidget *
cairn_test_find_descendant (GtkWidget  *root,
                            GType       type,
                            const char *css_class)
{
  if (G_TYPE_CHECK_INSTANCE_TYPE (root, type) &&
      (css_class == NULL || gtk_widget_has_css_class (root, css_class)))
    return root;

  for (GtkWidget *child = gtk_widget_get_first_child (root);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = cairn_test_find_descendant (child, type, css_class);

      if (found != NULL)
        return found;
    }

  return NULL;
}
