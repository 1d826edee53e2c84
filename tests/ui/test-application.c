/* test-application.c
 *
 * In-process tests of the application shell: the main window, its
 * navigation, the application actions and the settings they act on.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <libglib-testing/signal-logger.h>

#include "cairn-application.h"
#include "cairn-preferences-window.h"
#include "cairn-test-utils.h"
#include "cairn-window.h"

static CairnWindow *
open_main_window (void)
{
  CairnApplication *app = cairn_test_get_application ();
  GtkWindow *window;

  cairn_test_unlock (CAIRN_ROLE_CLINICIAN);
  g_application_activate (G_APPLICATION (app));
  window = gtk_application_get_active_window (GTK_APPLICATION (app));
  g_assert_true (CAIRN_IS_WINDOW (window));
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (window)));

  return CAIRN_WINDOW (window);
}

static gboolean
widget_is_mapped (gpointer user_data)
{
  return gtk_widget_get_mapped (user_data);
}

static gboolean
toplevel_exists (gpointer user_data)
{
  return cairn_test_find_toplevel (GPOINTER_TO_SIZE (user_data)) != NULL;
}

static gboolean
no_windows (gpointer user_data)
{
  return gtk_application_get_windows (GTK_APPLICATION (cairn_test_get_application ())) == NULL;
}

static AdwLeaflet *
get_leaflet (CairnWindow *window)
{
  return ADW_LEAFLET (gtk_widget_get_template_child (GTK_WIDGET (window), CAIRN_TYPE_WINDOW, "leaflet"));
}

/* Laid out: the leaflet has decided whether it folds at this width. */
static gboolean
leaflet_allocated (gpointer user_data)
{
  return gtk_widget_get_width (GTK_WIDGET (get_leaflet (user_data))) > 0;
}

static gboolean
window_folded (gpointer user_data)
{
  return cairn_window_get_folded (user_data);
}

static GtkListBox *
get_sidebar (CairnWindow *window)
{
  GtkWidget *sidebar = cairn_test_find_descendant (GTK_WIDGET (window), GTK_TYPE_LIST_BOX,
                                                   "navigation-sidebar");

  g_assert_nonnull (sidebar);
  return GTK_LIST_BOX (sidebar);
}

static GtkWidget *
find_button_with_icon (GtkWidget  *root,
                       const char *icon_name)
{
  if (GTK_IS_BUTTON (root) && g_strcmp0 (gtk_button_get_icon_name (GTK_BUTTON (root)), icon_name) == 0)
    return root;

  for (GtkWidget *child = gtk_widget_get_first_child (root);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = find_button_with_icon (child, icon_name);

      if (found != NULL)
        return found;
    }

  return NULL;
}

/* The content's stack of pages (the window has other stacks around it). */
static GtkStack *
find_pages (GtkWidget *root)
{
  if (GTK_IS_STACK (root) && gtk_stack_get_child_by_name (GTK_STACK (root), "ledger") != NULL)
    return GTK_STACK (root);

  for (GtkWidget *child = gtk_widget_get_first_child (root);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkStack *found = find_pages (child);

      if (found != NULL)
        return found;
    }
  return NULL;
}

static const char *
row_page_name (GtkListBoxRow *row)
{
  return g_object_get_data (G_OBJECT (row), "cairn-page-name");
}

static void
test_window_opens_on_today (void)
{
  CairnWindow *window;
  GtkListBox *sidebar;
  GtkListBoxRow *selected;
  guint n_rows = 0;

  cairn_test_reset ();
  window = open_main_window ();

  /* The title never names anyone: only the application. */
  g_assert_cmpstr (gtk_window_get_title (GTK_WINDOW (window)), ==, "Cairn");
  g_assert_cmpstr (cairn_window_get_visible_page (window), ==, "today");

  /* One sidebar row per page, in the order of screens.md. */
  sidebar = get_sidebar (window);
  for (GtkListBoxRow *row; (row = gtk_list_box_get_row_at_index (sidebar, n_rows)) != NULL; n_rows++)
    g_assert_cmpstr (row_page_name (row), ==, cairn_window_page_names[n_rows]);
  g_assert_cmpuint (n_rows, ==, CAIRN_WINDOW_N_PAGES);

  selected = gtk_list_box_get_selected_row (sidebar);
  g_assert_nonnull (selected);
  g_assert_cmpstr (row_page_name (selected), ==, "today");

  /* A second activation presents the same window rather than a new one. */
  g_application_activate (G_APPLICATION (cairn_test_get_application ()));
  g_assert_cmpuint (g_list_length (gtk_application_get_windows (GTK_APPLICATION (cairn_test_get_application ()))), ==, 1);
}

static void
test_window_sidebar_click_shows_page (void)
{
  CairnWindow *window;
  GtkListBox *sidebar;
  GtkListBoxRow *row;

  cairn_test_reset ();
  window = open_main_window ();
  sidebar = get_sidebar (window);

  row = gtk_list_box_get_row_at_index (sidebar, 2);
  g_assert_cmpstr (row_page_name (row), ==, "patients");
  g_signal_emit_by_name (row, "activate");

  g_assert_cmpstr (cairn_window_get_visible_page (window), ==, "patients");
  g_assert_true (gtk_list_box_get_selected_row (sidebar) == row);
}

static void
test_window_show_page_action (void)
{
  CairnWindow *window;
  GtkListBoxRow *selected;
  GtkStack *pages;
  AdwStatusPage *ledger;
  AdwStatusPage *referrals;

  cairn_test_reset ();
  window = open_main_window ();

  pages = find_pages (GTK_WIDGET (window));
  ledger = ADW_STATUS_PAGE (gtk_stack_get_child_by_name (pages, "ledger"));
  referrals = ADW_STATUS_PAGE (gtk_stack_get_child_by_name (pages, "referrals"));
  /* Placeholders get their large icon only when first shown. */
  g_assert_null (adw_status_page_get_icon_name (ledger));

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.show-page", "s", "ledger"));
  g_assert_cmpstr (cairn_window_get_visible_page (window), ==, "ledger");
  g_assert_cmpstr (adw_status_page_get_icon_name (ledger), ==,
                   gtk_stack_page_get_icon_name (gtk_stack_get_page (pages, GTK_WIDGET (ledger))));
  g_assert_null (adw_status_page_get_icon_name (referrals));

  /* The sidebar follows a page change it did not make. */
  selected = gtk_list_box_get_selected_row (get_sidebar (window));
  g_assert_cmpstr (row_page_name (selected), ==, "ledger");

  /* Bad input: a page that does not exist changes nothing. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.show-page", "s", "no-such-page"));
  g_assert_cmpstr (cairn_window_get_visible_page (window), ==, "ledger");
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.show-page", "s", ""));
  g_assert_cmpstr (cairn_window_get_visible_page (window), ==, "ledger");
}

static void
test_application_accelerators (void)
{
  GtkApplication *app = GTK_APPLICATION (cairn_test_get_application ());
  static const struct {
    const char *action;
    const char *accel;
  } expected[] = {
    { "app.lock", "<Control>l" },
    { "app.quit", "<Control>q" },
    { "app.preferences", "<Control>comma" },
    { "win.show-help-overlay", "<Control>question" },
    { "window.close", "<Control>w" },
    { "win.show-page('today')", "<Alt>1" },
    { "win.show-page('ledger')", "<Alt>6" },
  };

  cairn_test_reset ();
  open_main_window ();

  for (guint i = 0; i < G_N_ELEMENTS (expected); i++)
    {
      g_auto(GStrv) accels = gtk_application_get_accels_for_action (app, expected[i].action);

      g_test_message ("%s", expected[i].action);
      g_assert_true (g_strv_contains ((const char * const *) accels, expected[i].accel));
    }

  /* Every accelerator resolves back to the action it was set for. */
  {
    g_auto(GStrv) actions = gtk_application_get_actions_for_accel (app, "<Control>comma");
    g_assert_true (g_strv_contains ((const char * const *) actions, "app.preferences"));
  }
}

static void
test_application_about (void)
{
  CairnWindow *window;
  GtkWindow *about;

  cairn_test_reset ();
  window = open_main_window ();
  g_assert_null (cairn_test_find_toplevel (ADW_TYPE_ABOUT_WINDOW));

  g_action_group_activate_action (G_ACTION_GROUP (cairn_test_get_application ()), "about", NULL);

  about = cairn_test_find_toplevel (ADW_TYPE_ABOUT_WINDOW);
  g_assert_nonnull (about);
  g_assert_cmpstr (adw_about_window_get_application_name (ADW_ABOUT_WINDOW (about)), ==, "Cairn");
  g_assert_cmpstr (adw_about_window_get_version (ADW_ABOUT_WINDOW (about)), ==, PACKAGE_VERSION);
  g_assert_cmpint (adw_about_window_get_license_type (ADW_ABOUT_WINDOW (about)), ==, GTK_LICENSE_GPL_3_0);
  g_assert_cmpstr (adw_about_window_get_application_icon (ADW_ABOUT_WINDOW (about)), ==, APP_ID);
  /* No invented addresses: Cairn has no website or issue tracker to show. */
  g_assert_cmpstr (adw_about_window_get_website (ADW_ABOUT_WINDOW (about)) ?: "", ==, "");
  g_assert_cmpstr (adw_about_window_get_issue_url (ADW_ABOUT_WINDOW (about)) ?: "", ==, "");
  g_assert_cmpstr (adw_about_window_get_support_url (ADW_ABOUT_WINDOW (about)) ?: "", ==, "");
  g_assert_true (gtk_window_get_transient_for (about) == GTK_WINDOW (window));
  g_assert_true (gtk_window_get_modal (about));
}

static gboolean
widget_visible (gpointer data)
{
  return gtk_widget_get_visible (GTK_WIDGET (data));
}

static gboolean
widget_hidden (gpointer data)
{
  return !gtk_widget_get_visible (GTK_WIDGET (data));
}

static void
test_application_shortcuts_window (void)
{
  CairnWindow *window;
  GtkWindow *shortcuts;

  cairn_test_reset ();
  window = open_main_window ();
  g_assert_null (cairn_test_find_toplevel (GTK_TYPE_SHORTCUTS_WINDOW));

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.show-help-overlay", NULL));
  g_assert_true (cairn_test_wait_until (toplevel_exists, GSIZE_TO_POINTER (GTK_TYPE_SHORTCUTS_WINDOW), 2000));

  shortcuts = cairn_test_find_toplevel (GTK_TYPE_SHORTCUTS_WINDOW);
  g_assert_true (gtk_window_get_transient_for (shortcuts) == GTK_WINDOW (window));
  g_assert_true (gtk_application_window_get_help_overlay (GTK_APPLICATION_WINDOW (window)) ==
                 GTK_SHORTCUTS_WINDOW (shortcuts));

  /* Closing hides it; asking again shows the same window, not a second one. */
  gtk_window_close (shortcuts);
  g_assert_true (cairn_test_wait_until (widget_hidden, shortcuts, 2000));
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.show-help-overlay", NULL));
  g_assert_true (cairn_test_wait_until (widget_visible, shortcuts, 2000));
  g_assert_true (cairn_test_find_toplevel (GTK_TYPE_SHORTCUTS_WINDOW) == shortcuts);
}

static GtkCheckButton *
preferences_check (CairnPreferencesWindow *preferences,
                   const char             *id)
{
  GObject *check = gtk_widget_get_template_child (GTK_WIDGET (preferences),
                                                  CAIRN_TYPE_PREFERENCES_WINDOW, id);

  g_assert_true (GTK_IS_CHECK_BUTTON (check));
  return GTK_CHECK_BUTTON (check);
}

static void
test_application_preferences_color_scheme (void)
{
  GSettings *settings = cairn_application_get_settings (cairn_test_get_application ());
  AdwStyleManager *style_manager = adw_style_manager_get_default ();
  g_autoptr(GtSignalLogger) logger = gt_signal_logger_new ();
  CairnPreferencesWindow *preferences;
  g_autofree char *scheme = NULL;

  cairn_test_reset ();
  open_main_window ();
  g_assert_cmpint (adw_style_manager_get_color_scheme (style_manager), ==, ADW_COLOR_SCHEME_DEFAULT);

  g_action_group_activate_action (G_ACTION_GROUP (cairn_test_get_application ()), "preferences", NULL);
  preferences = CAIRN_PREFERENCES_WINDOW (cairn_test_find_toplevel (CAIRN_TYPE_PREFERENCES_WINDOW));
  g_assert_nonnull (preferences);
  g_assert_true (cairn_test_wait_until (widget_is_mapped, preferences, 2000));

  /* The radio rows show the current setting. */
  g_assert_true (gtk_check_button_get_active (preferences_check (preferences, "follow_system_check")));
  g_assert_false (gtk_check_button_get_active (preferences_check (preferences, "dark_check")));

  gt_signal_logger_connect (logger, settings, "changed::color-scheme");

  /* Click the Dark row: the setting, the style and the radios all follow, live. */
  g_assert_true (gtk_widget_activate (GTK_WIDGET (gtk_widget_get_template_child (GTK_WIDGET (preferences),
                                                                                    CAIRN_TYPE_PREFERENCES_WINDOW,
                                                                                    "dark_row"))));
  gt_signal_logger_assert_emission_pop (logger, settings, "changed::color-scheme", NULL);
  gt_signal_logger_assert_no_emissions (logger);

  scheme = g_settings_get_string (settings, "color-scheme");
  g_assert_cmpstr (scheme, ==, "dark");
  g_assert_cmpint (adw_style_manager_get_color_scheme (style_manager), ==, ADW_COLOR_SCHEME_FORCE_DARK);
  g_assert_true (adw_style_manager_get_dark (style_manager));
  g_assert_true (gtk_check_button_get_active (preferences_check (preferences, "dark_check")));
  g_assert_false (gtk_check_button_get_active (preferences_check (preferences, "follow_system_check")));

  /* Light, then back to following the system. */
  gtk_widget_activate (GTK_WIDGET (preferences_check (preferences, "light_check")));
  gt_signal_logger_assert_emission_pop (logger, settings, "changed::color-scheme", NULL);
  g_assert_cmpint (adw_style_manager_get_color_scheme (style_manager), ==, ADW_COLOR_SCHEME_FORCE_LIGHT);
  g_assert_false (adw_style_manager_get_dark (style_manager));

  gtk_widget_activate (GTK_WIDGET (preferences_check (preferences, "follow_system_check")));
  gt_signal_logger_assert_emission_pop (logger, settings, "changed::color-scheme", NULL);
  g_assert_cmpint (adw_style_manager_get_color_scheme (style_manager), ==, ADW_COLOR_SCHEME_DEFAULT);

  /* Clicking the row that is already chosen changes nothing. */
  gtk_widget_activate (GTK_WIDGET (preferences_check (preferences, "follow_system_check")));
  gt_signal_logger_assert_no_emissions (logger);

  gt_signal_logger_free (g_steal_pointer (&logger));
}

static void
test_application_color_scheme_from_setting (void)
{
  GSettings *settings = cairn_application_get_settings (cairn_test_get_application ());
  AdwStyleManager *style_manager = adw_style_manager_get_default ();
  g_autoptr(GVariant) state = NULL;

  cairn_test_reset ();
  open_main_window ();

  /* A change made elsewhere (another window, dconf) is applied live too. */
  g_assert_true (g_settings_set_string (settings, "color-scheme", "dark"));
  g_assert_cmpint (adw_style_manager_get_color_scheme (style_manager), ==, ADW_COLOR_SCHEME_FORCE_DARK);
  state = g_action_group_get_action_state (G_ACTION_GROUP (cairn_test_get_application ()), "color-scheme");
  g_assert_cmpstr (g_variant_get_string (state, NULL), ==, "dark");

  /* Bad input: a value outside the schema's choices is refused and the style stays. */
  g_test_expect_message ("GLib-GIO", G_LOG_LEVEL_WARNING, "*is outside of valid range*");
  g_settings_set_string (settings, "color-scheme", "purple");
  g_test_assert_expected_messages ();
  g_assert_cmpint (adw_style_manager_get_color_scheme (style_manager), ==, ADW_COLOR_SCHEME_FORCE_DARK);

  g_assert_cmpint (cairn_color_scheme_from_nick ("light"), ==, ADW_COLOR_SCHEME_FORCE_LIGHT);
  g_assert_cmpint (cairn_color_scheme_from_nick ("dark"), ==, ADW_COLOR_SCHEME_FORCE_DARK);
  g_assert_cmpint (cairn_color_scheme_from_nick ("default"), ==, ADW_COLOR_SCHEME_DEFAULT);
  g_assert_cmpint (cairn_color_scheme_from_nick ("purple"), ==, ADW_COLOR_SCHEME_DEFAULT);
  g_assert_cmpint (cairn_color_scheme_from_nick (NULL), ==, ADW_COLOR_SCHEME_DEFAULT);
}

static void
test_window_state_saved_and_restored (void)
{
  GSettings *settings = cairn_application_get_settings (cairn_test_get_application ());
  CairnWindow *window;
  int width;
  int height;

  cairn_test_reset ();
  window = open_main_window ();
  gtk_window_set_default_size (GTK_WINDOW (window), 900, 650);

  /* Quitting closes the window, which saves its size. */
  g_action_group_activate_action (G_ACTION_GROUP (cairn_test_get_application ()), "quit", NULL);
  g_assert_true (cairn_test_wait_until (no_windows, NULL, 5000));

  g_settings_get (settings, "window-size", "(ii)", &width, &height);
  g_assert_cmpint (width, ==, 900);
  g_assert_cmpint (height, ==, 650);
  g_assert_false (g_settings_get_boolean (settings, "window-maximized"));

  /* The next window opens at that size. */
  window = open_main_window ();
  gtk_window_get_default_size (GTK_WINDOW (window), &width, &height);
  g_assert_cmpint (width, ==, 900);
  g_assert_cmpint (height, ==, 650);
}

static void
test_window_state_absurd_size (void)
{
  GSettings *settings = cairn_application_get_settings (cairn_test_get_application ());
  CairnWindow *window;
  int width;
  int height;

  cairn_test_reset ();

  /* Bad input: a saved size far beyond the screen (Xvfb's is 1280×800 in the
   * test command) or below the minimum opens a usable window. */
  g_settings_set (settings, "window-size", "(ii)", 30000, 20);
  window = open_main_window ();
  gtk_window_get_default_size (GTK_WINDOW (window), &width, &height);
  g_assert_cmpint (width, <=, 1280);
  g_assert_cmpint (width, >=, 360);
  g_assert_cmpint (height, ==, 294);
}

static void
test_window_folds_when_narrow (void)
{
  GSettings *settings = cairn_application_get_settings (cairn_test_get_application ());
  CairnWindow *window;
  AdwLeaflet *leaflet;
  GtkListBoxRow *row;
  GtkWidget *back;

  cairn_test_reset ();

  g_settings_set (settings, "window-size", "(ii)", 1100, 700);
  window = open_main_window ();
  g_assert_true (cairn_test_wait_until (widget_is_mapped, window, 2000));
  g_assert_true (cairn_test_wait_until (leaflet_allocated, window, 2000));
  g_assert_false (cairn_window_get_folded (window));
  gtk_window_destroy (GTK_WINDOW (window));

  g_settings_set (settings, "window-size", "(ii)", 360, 700);
  window = open_main_window ();
  g_assert_true (cairn_test_wait_until (widget_is_mapped, window, 2000));
  g_assert_true (cairn_test_wait_until (window_folded, window, 2000));

  /* Folded, the sidebar comes first; choosing a page shows it alone, and the
   * back button returns to the sidebar. */
  leaflet = get_leaflet (window);
  g_assert_cmpstr (adw_leaflet_get_visible_child_name (leaflet), ==, "sidebar");

  row = gtk_list_box_get_row_at_index (get_sidebar (window), 1);
  g_signal_emit_by_name (row, "activate");
  g_assert_cmpstr (adw_leaflet_get_visible_child_name (leaflet), ==, "content");
  g_assert_cmpstr (cairn_window_get_visible_page (window), ==, "schedule");

  back = find_button_with_icon (GTK_WIDGET (leaflet), "go-previous-symbolic");
  g_assert_nonnull (back);
  g_assert_cmpstr (gtk_button_get_icon_name (GTK_BUTTON (back)), ==, "go-previous-symbolic");
  g_assert_true (gtk_widget_get_visible (back));
  g_signal_emit_by_name (back, "clicked");
  g_assert_cmpstr (adw_leaflet_get_visible_child_name (leaflet), ==, "sidebar");
}

int
main (int   argc,
      char *argv[])
{
  cairn_test_init_gtk (&argc, &argv);

  g_test_add_func ("/window/opens-on-today", test_window_opens_on_today);
  g_test_add_func ("/window/sidebar-click-shows-page", test_window_sidebar_click_shows_page);
  g_test_add_func ("/window/show-page-action", test_window_show_page_action);
  g_test_add_func ("/window/state-saved-and-restored", test_window_state_saved_and_restored);
  g_test_add_func ("/window/state-absurd-size", test_window_state_absurd_size);
  g_test_add_func ("/window/folds-when-narrow", test_window_folds_when_narrow);
  g_test_add_func ("/application/accelerators", test_application_accelerators);
  g_test_add_func ("/application/about", test_application_about);
  g_test_add_func ("/application/shortcuts-window", test_application_shortcuts_window);
  g_test_add_func ("/application/preferences-color-scheme", test_application_preferences_color_scheme);
  g_test_add_func ("/application/color-scheme-from-setting", test_application_color_scheme_from_setting);

  return cairn_test_run ();
}
