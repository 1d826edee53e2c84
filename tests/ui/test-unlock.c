/* test-unlock.c
 *
 * In-process tests of the vault's screens in a real window: the first-run
 * assistant, the unlock page (wrong passphrases, the growing wait, the
 * recovery key), locking by hand, when idle and when the screen locks, and
 * what a front-desk user can reach.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "cairn-first-run-page.h"
#include "cairn-test-utils.h"
#include "cairn-unlock-attempts.h"
#include "cairn-unlock-page.h"
#include "cairn-window.h"

static CairnWindow *
open_window (void)
{
  CairnApplication *app = cairn_test_get_application ();
  GtkWindow *window;

  g_application_activate (G_APPLICATION (app));
  window = gtk_application_get_active_window (GTK_APPLICATION (app));
  g_assert_true (CAIRN_IS_WINDOW (window));
  return CAIRN_WINDOW (window);
}

static gboolean
window_in_mode (gpointer user_data)
{
  CairnWindow *window = g_object_get_data (user_data, "window");
  const char *mode = g_object_get_data (user_data, "mode");

  return g_strcmp0 (cairn_window_get_mode (window), mode) == 0;
}

static void
assert_mode_soon (CairnWindow *window,
                  const char  *mode,
                  guint        timeout_ms)
{
  g_autoptr(GObject) data = g_object_new (G_TYPE_OBJECT, NULL);

  g_object_set_data (data, "window", window);
  g_object_set_data (data, "mode", (gpointer) mode);
  if (!cairn_test_wait_until (window_in_mode, data, timeout_ms))
    g_error ("The window shows “%s”, not “%s”", cairn_window_get_mode (window), mode);
}

static gboolean
text_shown (gpointer user_data)
{
  GtkWidget *root = g_object_get_data (user_data, "root");
  const char *text = g_object_get_data (user_data, "text");

  return cairn_test_find_text (root, text) != NULL;
}

static void
assert_text_soon (GtkWidget  *root,
                  const char *text)
{
  g_autoptr(GObject) data = g_object_new (G_TYPE_OBJECT, NULL);

  g_object_set_data (data, "root", root);
  g_object_set_data (data, "text", (gpointer) text);
  if (!cairn_test_wait_until (text_shown, data, 8000))
    g_error ("“%s” never appeared", text);
}

static GtkWidget *
visible_page (CairnWindow *window,
              GType        type)
{
  GtkWidget *page = cairn_test_find_descendant (GTK_WIDGET (window), type, NULL);

  g_assert_nonnull (page);
  return page;
}

static gboolean
vault_is_set (gpointer user_data)
{
  return cairn_application_get_vault (user_data) != NULL;
}

/* The whole first run, as a new practice would do it, with every mistake
 * the assistant must catch on the way. */
static void
test_first_run (void)
{
  CairnApplication *app = cairn_test_get_application ();
  CairnWindow *window;
  GtkWidget *page;
  GtkWidget *recovery_label;
  GtkWidget *finish;
  g_auto(GStrv) groups = NULL;
  g_autofree char *key = NULL;
  CairnVault *vault;

  cairn_test_reset ();
  cairn_test_remove_vault ();
  window = open_window ();
  assert_mode_soon (window, "first-run", 1000);
  page = visible_page (window, CAIRN_TYPE_FIRST_RUN_PAGE);
  cairn_first_run_page_set_kdf_params (CAIRN_FIRST_RUN_PAGE (page), &cairn_test_kdf_params);

  /* The practice: a name is needed, and a time zone the computer knows. */
  cairn_test_type (page, "Practice name", "   ");
  cairn_test_click (page, "Next");
  g_assert_nonnull (cairn_test_find_text (page, "Enter the practice’s name."));
  g_assert_true (gtk_widget_has_css_class (cairn_test_find_row (page, "Practice name"), "error"));

  cairn_test_type (page, "Practice name", "Quell Practice");
  cairn_test_type (page, "Time zone", "Atlantis/Capital");
  cairn_test_click (page, "Next");
  g_assert_nonnull (cairn_test_find_text (page, "“Atlantis/Capital” is not a time zone"));

  cairn_test_type (page, "Time zone", "Europe/Berlin");
  cairn_test_click (page, "Next");

  /* The clinician: a name, a passphrase strong enough, typed twice. */
  cairn_test_type (page, "Passphrase", "lantern orchard fiddle 42");
  cairn_test_type (page, "Passphrase again", "lantern orchard fiddle 42");
  cairn_test_click (page, "Create Vault");
  g_assert_nonnull (cairn_test_find_text (page, "Enter your name"));

  cairn_test_type (page, "Your name", "Dr Ada Quell");
  cairn_test_type (page, "Passphrase", "quell1234");
  g_assert_nonnull (cairn_test_find_text (page, "Too weak"));
  cairn_test_click (page, "Create Vault");
  g_assert_nonnull (cairn_test_find_text (page, "at least 10 characters"));

  cairn_test_type (page, "Passphrase", "lantern orchard fiddle 42");
  cairn_test_type (page, "Passphrase again", "lantern orchard fiddle 24");
  cairn_test_click (page, "Create Vault");
  g_assert_nonnull (cairn_test_find_text (page, "The two passphrases differ"));
  g_assert_false (cairn_vault_exists (cairn_test_vault_dir ()));

  cairn_test_type (page, "Passphrase again", "lantern orchard fiddle 42");
  cairn_test_click (page, "Create Vault");
  assert_text_soon (page, "Write Down the Recovery Key");
  g_assert_true (cairn_vault_exists (cairn_test_vault_dir ()));
  /* Not yet in: the recovery key must be confirmed first. */
  g_assert_null (cairn_application_get_vault (app));
  g_assert_cmpstr (cairn_window_get_mode (window), ==, "first-run");

  recovery_label = cairn_test_find_descendant (page, GTK_TYPE_LABEL, "recovery-key");
  g_assert_nonnull (recovery_label);
  groups = g_strsplit (gtk_label_get_text (GTK_LABEL (recovery_label)), " ", -1);
  g_assert_cmpuint (g_strv_length (groups), ==, 11);
  key = g_strjoinv ("-", groups);

  finish = cairn_test_find_button (page, "Start Using Cairn");
  g_assert_false (gtk_widget_is_sensitive (finish));
  cairn_test_type (page, "Last group", "WRONG");
  g_assert_false (gtk_widget_is_sensitive (finish));
  {
    /* Typed back in lower case, it still counts. */
    g_autofree char *lower = g_ascii_strdown (groups[10], -1);

    cairn_test_type (page, "Last group", lower);
  }
  g_assert_true (gtk_widget_is_sensitive (finish));
  cairn_test_click (page, "Start Using Cairn");

  g_assert_true (cairn_test_wait_until (vault_is_set, app, 1000));
  assert_mode_soon (window, "main", 1000);
  vault = cairn_application_get_vault (app);
  g_assert_cmpstr (cairn_vault_get_user (vault)->name, ==, "Dr Ada Quell");
  {
    g_autofree char *name = cairn_vault_get_practice_name (vault);

    g_assert_cmpstr (name, ==, "Quell Practice");
  }
  /* The key is gone from the screen. */
  g_assert_cmpstr (gtk_label_get_text (GTK_LABEL (recovery_label)), ==, "");
  /* The title names no one. */
  g_assert_cmpstr (gtk_window_get_title (GTK_WINDOW (window)), ==, "Cairn");

  /* And the key written down opens the vault. */
  cairn_application_lock (app);
  {
    g_autoptr(GError) error = NULL;
    g_autoptr(CairnVault) by_key = cairn_vault_unlock_with_recovery (cairn_test_vault_dir (), key, &error);

    g_assert_no_error (error);
    g_assert_nonnull (by_key);
  }

  cairn_test_remove_vault ();
}

static gboolean
unlock_page_idle (gpointer user_data)
{
  return !cairn_unlock_page_get_busy (user_data);
}

static void
unlock_with (GtkWidget  *page,
             const char *user,
             const char *passphrase)
{
  cairn_test_select (page, "User", user);
  cairn_test_type (page, "Passphrase", passphrase);
  cairn_test_click (page, "Unlock");
  g_assert_true (cairn_test_wait_until (unlock_page_idle, page, 5000));
}

static void
test_unlock_wrong_passphrase (void)
{
  CairnApplication *app = cairn_test_get_application ();
  CairnWindow *window;
  GtkWidget *page;
  GtkWidget *entry;

  cairn_test_reset ();
  cairn_test_ensure_vault ();
  window = open_window ();
  assert_mode_soon (window, "unlock", 1000);
  page = visible_page (window, CAIRN_TYPE_UNLOCK_PAGE);

  /* The users on the keyring are offered; nothing else is known yet. */
  cairn_test_select (page, "User", CAIRN_TEST_DESK);
  cairn_test_select (page, "User", CAIRN_TEST_CLINICIAN);

  /* An empty passphrase is not sent off at all. */
  cairn_test_click (page, "Unlock");
  g_assert_nonnull (cairn_test_find_text (page, "Enter your passphrase."));

  /* The wait is measured on a clock the test moves, so that a slow
   * machine cannot skip a second of the countdown. */
  cairn_unlock_attempts_set_clock (g_get_real_time () / G_USEC_PER_SEC);
  unlock_with (page, CAIRN_TEST_CLINICIAN, "lantern orchard fiddle 43");
  g_assert_nonnull (cairn_test_find_text (page, "That passphrase is not right"));
  g_assert_null (cairn_application_get_vault (app));
  entry = cairn_test_find_row (page, "Passphrase");
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (entry)), ==, "");

  /* The third wrong passphrase in a row makes the next try wait. */
  unlock_with (page, CAIRN_TEST_CLINICIAN, "lantern orchard fiddle 44");
  g_assert_true (gtk_widget_is_sensitive (cairn_test_find_button (page, "Unlock")));
  unlock_with (page, CAIRN_TEST_CLINICIAN, "lantern orchard fiddle 45");
  g_assert_nonnull (cairn_test_find_text (page, "Try again in 5 seconds"));
  g_assert_false (gtk_widget_is_sensitive (cairn_test_find_button (page, "Unlock")));
  /* Enter does nothing while waiting either. */
  gtk_editable_set_text (GTK_EDITABLE (entry), CAIRN_TEST_PASSPHRASE);
  g_signal_emit_by_name (entry, "entry-activated");
  cairn_test_iterate (100);
  g_assert_null (cairn_application_get_vault (app));
  cairn_unlock_attempts_set_clock (cairn_unlock_attempts_now () + 1);
  assert_text_soon (page, "Try again in 4 seconds");

  /* Closing the window and opening another does not cut the wait short. */
  gtk_window_destroy (GTK_WINDOW (window));
  window = open_window ();
  page = visible_page (window, CAIRN_TYPE_UNLOCK_PAGE);
  g_assert_false (gtk_widget_is_sensitive (cairn_test_find_button (page, "Unlock")));
  g_assert_nonnull (cairn_test_find_text (page, "Try again in"));

  /* Whoever comes next sees that someone tried. */
  g_assert_nonnull (cairn_test_find_text (page, "3 failed attempts to unlock since the last unlock"));

  /* When the wait is over (the clock moved on six seconds), it says so. */
  cairn_unlock_attempts_set_clock (cairn_unlock_attempts_now () + 6);
  assert_text_soon (page, "You can try again now");
  g_assert_true (gtk_widget_is_sensitive (cairn_test_find_button (page, "Unlock")));

  /* The right passphrase still opens it, and the count starts again. */
  unlock_with (page, CAIRN_TEST_CLINICIAN, CAIRN_TEST_PASSPHRASE);
  assert_mode_soon (window, "main", 1000);
  cairn_unlock_attempts_set_clock (0);
  {
    g_autoptr(GPtrArray) left = cairn_unlock_attempts_list (cairn_vault_get_dir (cairn_application_get_vault (app)));

    g_assert_cmpuint (left->len, ==, 0);
  }
}

static void
test_unlock_and_lock (void)
{
  CairnApplication *app = cairn_test_get_application ();
  CairnWindow *window;
  GtkWidget *page;
  g_autoptr(CairnVault) held = NULL;

  cairn_test_reset ();
  cairn_test_ensure_vault ();
  window = open_window ();
  page = visible_page (window, CAIRN_TYPE_UNLOCK_PAGE);

  unlock_with (page, CAIRN_TEST_CLINICIAN, CAIRN_TEST_PASSPHRASE);
  assert_mode_soon (window, "main", 1000);
  held = g_object_ref (cairn_application_get_vault (app));
  g_assert_true (cairn_vault_has_clinical (held));

  /* Preferences are open when the lock comes: they close with it. */
  gtk_widget_activate_action (GTK_WIDGET (window), "app.preferences", NULL);
  cairn_test_iterate (50);
  g_assert_nonnull (cairn_test_find_toplevel (ADW_TYPE_PREFERENCES_WINDOW));

  /* Ctrl+L is app.lock. */
  {
    g_auto(GStrv) accels = gtk_application_get_accels_for_action (GTK_APPLICATION (app), "app.lock");

    g_assert_cmpstr (accels[0], ==, "<Control>l");
  }
  gtk_widget_activate_action (GTK_WIDGET (window), "app.lock", NULL);
  assert_mode_soon (window, "unlock", 1000);

  g_assert_null (cairn_application_get_vault (app));
  g_assert_true (cairn_vault_is_locked (held));
  g_assert_null (cairn_vault_get_practice (held));
  g_assert_null (cairn_vault_get_clinical (held));
  g_assert_null (cairn_test_find_toplevel (ADW_TYPE_PREFERENCES_WINDOW));
  /* Nothing to lock, nothing to do. */
  g_assert_false (g_action_group_get_action_enabled (G_ACTION_GROUP (app), "lock"));
  /* The main pages cannot be reached from the lock page. */
  gtk_widget_activate_action (GTK_WIDGET (window), "win.show-page", "s", "patients");
  g_assert_cmpstr (cairn_window_get_mode (window), ==, "unlock");

  /* The form is empty again, and unlocking again works. */
  page = visible_page (window, CAIRN_TYPE_UNLOCK_PAGE);
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (cairn_test_find_row (page, "Passphrase"))), ==, "");
  unlock_with (page, CAIRN_TEST_DESK, CAIRN_TEST_DESK_PASSPHRASE);
  assert_mode_soon (window, "main", 1000);
  g_assert_cmpstr (cairn_vault_get_user (cairn_application_get_vault (app))->name, ==, CAIRN_TEST_DESK);
}

static gboolean
app_is_locked (gpointer user_data)
{
  return cairn_application_get_vault (user_data) == NULL;
}

static gint64 fake_now;

static gint64
fake_clock (void)
{
  return fake_now;
}

static void
test_auto_lock_when_idle (void)
{
  CairnApplication *app = cairn_test_get_application ();
  CairnLockMonitor *monitor = cairn_application_get_lock_monitor (app);
  CairnWindow *window;

  cairn_test_reset ();
  cairn_test_unlock (CAIRN_ROLE_CLINICIAN);
  window = open_window ();
  assert_mode_soon (window, "main", 1000);

  /* The vault's policy is what the monitor uses. */
  g_assert_cmpuint (cairn_lock_monitor_get_timeout (monitor), ==,
                    cairn_vault_get_auto_lock_seconds (cairn_application_get_vault (app)));

  /* On a clock of the test's own, at the vault's own five minutes. */
  fake_now = g_get_monotonic_time ();
  cairn_lock_monitor_set_clock (monitor, fake_clock);
  cairn_lock_monitor_set_timeout (monitor, 300);

  /* Activity puts it off... */
  for (int i = 0; i < 8; i++)
    {
      fake_now += 200 * G_USEC_PER_SEC;
      cairn_lock_monitor_poke (monitor);
      cairn_lock_monitor_check (monitor);
    }
  fake_now += 299 * G_USEC_PER_SEC;
  cairn_lock_monitor_check (monitor);
  g_assert_nonnull (cairn_application_get_vault (app));

  /* ...and five minutes without any locks it. */
  fake_now += 1 * G_USEC_PER_SEC;
  cairn_lock_monitor_check (monitor);
  g_assert_null (cairn_application_get_vault (app));
  assert_mode_soon (window, "unlock", 1000);
  cairn_lock_monitor_set_clock (monitor, NULL);

  /* The real timer, briefly, still fires by itself. */
  cairn_test_unlock (CAIRN_ROLE_CLINICIAN);
  assert_mode_soon (window, "main", 1000);
  cairn_lock_monitor_set_timeout (monitor, 1);
  g_assert_true (cairn_test_wait_until (app_is_locked, app, 3000));
}

static void
test_lock_on_screen_lock (void)
{
  CairnApplication *app = cairn_test_get_application ();
  g_autoptr(GError) error = NULL;
  g_autoptr(GDBusConnection) bus = g_bus_get_sync (G_BUS_TYPE_SESSION, NULL, &error);
  CairnWindow *window;

  g_assert_no_error (error);
  cairn_test_reset ();
  cairn_test_unlock (CAIRN_ROLE_CLINICIAN);
  window = open_window ();
  assert_mode_soon (window, "main", 1000);

  /* The screen saver turning off, or another signal, locks nothing. */
  g_dbus_connection_emit_signal (bus, NULL, "/org/gnome/ScreenSaver", "org.gnome.ScreenSaver",
                                 "ActiveChanged", g_variant_new ("(b)", FALSE), &error);
  g_assert_no_error (error);
  cairn_test_iterate (300);
  g_assert_nonnull (cairn_application_get_vault (app));

  /* The desktop's screen lock, as GNOME announces it on the session bus. */
  g_dbus_connection_emit_signal (bus, NULL, "/org/gnome/ScreenSaver", "org.gnome.ScreenSaver",
                                 "ActiveChanged", g_variant_new ("(b)", TRUE), &error);
  g_assert_no_error (error);
  g_assert_true (cairn_test_wait_until (app_is_locked, app, 3000));
  assert_mode_soon (window, "unlock", 1000);
}

static void
test_front_desk_sees_no_clinical_pages (void)
{
  CairnApplication *app = cairn_test_get_application ();
  CairnWindow *window;
  GtkListBox *sidebar;
  guint shown = 0;

  cairn_test_reset ();
  cairn_test_unlock (CAIRN_ROLE_FRONT_DESK);
  window = open_window ();
  assert_mode_soon (window, "main", 1000);

  /* No key, and no door: the clinical pages are not in the sidebar. */
  g_assert_false (cairn_vault_has_clinical (cairn_application_get_vault (app)));
  sidebar = GTK_LIST_BOX (cairn_test_find_descendant (GTK_WIDGET (window), GTK_TYPE_LIST_BOX,
                                                      "navigation-sidebar"));
  for (int i = 0; ; i++)
    {
      GtkListBoxRow *row = gtk_list_box_get_row_at_index (sidebar, i);
      const char *name;

      if (row == NULL)
        break;
      name = g_object_get_data (G_OBJECT (row), "cairn-page-name");
      if (g_strcmp0 (name, "sessions") == 0 || g_strcmp0 (name, "referrals") == 0 ||
          g_strcmp0 (name, "ledger") == 0)
        g_assert_false (gtk_widget_get_visible (GTK_WIDGET (row)));
      else
        {
          g_assert_true (gtk_widget_get_visible (GTK_WIDGET (row)));
          shown++;
        }
    }
  g_assert_cmpuint (shown, ==, 3);

  /* Nor do the shortcuts reach them. */
  gtk_widget_activate_action (GTK_WIDGET (window), "win.show-page", "s", "ledger");
  g_assert_cmpstr (cairn_window_get_visible_page (window), !=, "ledger");
  gtk_widget_activate_action (GTK_WIDGET (window), "win.show-page", "s", "sessions");
  g_assert_cmpstr (cairn_window_get_visible_page (window), !=, "sessions");

  /* A clinician unlocking after them sees every page again. */
  cairn_application_lock (app);
  cairn_test_unlock (CAIRN_ROLE_CLINICIAN);
  gtk_widget_activate_action (GTK_WIDGET (window), "win.show-page", "s", "ledger");
  g_assert_cmpstr (cairn_window_get_visible_page (window), ==, "ledger");
}

static void
test_recovery_key (void)
{
  CairnApplication *app = cairn_test_get_application ();
  g_autoptr(GError) error = NULL;
  g_autoptr(CairnVault) vault = NULL;
  g_autofree char *recovery = NULL;
  CairnWindow *window;
  GtkWidget *page;
  g_autofree char *typo = NULL;

  cairn_test_reset ();
  cairn_test_remove_vault ();
  vault = cairn_vault_create (cairn_test_vault_dir (), "Quell Practice", "Europe/Berlin",
                              CAIRN_TEST_CLINICIAN, CAIRN_TEST_PASSPHRASE, &cairn_test_kdf_params,
                              &recovery, &error);
  g_assert_no_error (error);
  g_clear_object (&vault);

  window = open_window ();
  page = visible_page (window, CAIRN_TYPE_UNLOCK_PAGE);
  cairn_test_click (page, "Use Recovery Key…");

  cairn_test_click (page, "Continue");
  g_assert_nonnull (cairn_test_find_text (page, "Enter the recovery key."));

  typo = g_strdup (recovery);
  typo[3] = typo[3] == 'A' ? 'B' : 'A';
  cairn_test_type (page, "Recovery key", typo);
  cairn_test_click (page, "Continue");
  g_assert_true (cairn_test_wait_until (unlock_page_idle, page, 5000));
  g_assert_nonnull (cairn_test_find_text (page, "typing mistake"));

  /* Typed in lower case with spaces, as read off paper. */
  {
    g_autofree char *spaced = g_ascii_strdown (recovery, -1);

    g_strdelimit (spaced, "-", ' ');
    cairn_test_type (page, "Recovery key", spaced);
  }
  cairn_test_click (page, "Continue");
  g_assert_true (cairn_test_wait_until (unlock_page_idle, page, 5000));
  assert_text_soon (page, "Choose a New Passphrase");
  /* Not in until a new passphrase is set. */
  g_assert_null (cairn_application_get_vault (app));

  cairn_test_type (page, "New passphrase", "short");
  cairn_test_click (page, "Set Passphrase");
  g_assert_nonnull (cairn_test_find_text (page, "at least 10 characters"));
  cairn_test_type (page, "New passphrase", "harbour violin cobalt 5");
  cairn_test_type (page, "New passphrase again", "harbour violin cobalt 6");
  cairn_test_click (page, "Set Passphrase");
  g_assert_nonnull (cairn_test_find_text (page, "The two passphrases differ"));

  cairn_test_type (page, "New passphrase again", "harbour violin cobalt 5");
  cairn_test_click (page, "Set Passphrase");
  g_assert_true (cairn_test_wait_until (vault_is_set, app, 5000));
  assert_mode_soon (window, "main", 1000);
  g_assert_cmpstr (cairn_vault_get_user (cairn_application_get_vault (app))->name, ==, CAIRN_TEST_CLINICIAN);

  /* The old passphrase is gone; the new one works. */
  cairn_application_lock (app);
  g_assert_null (cairn_vault_unlock (cairn_test_vault_dir (), CAIRN_TEST_CLINICIAN, CAIRN_TEST_PASSPHRASE,
                                     &error));
  g_assert_error (error, CAIRN_KEYRING_ERROR, CAIRN_KEYRING_ERROR_WRONG_PASSPHRASE);
  g_clear_error (&error);
  vault = cairn_vault_unlock (cairn_test_vault_dir (), CAIRN_TEST_CLINICIAN, "harbour violin cobalt 5", &error);
  g_assert_no_error (error);
  g_clear_object (&vault);

  cairn_test_remove_vault ();
}

int
main (int   argc,
      char *argv[])
{
  cairn_test_init_gtk (&argc, &argv);

  g_test_add_func ("/unlock/first-run", test_first_run);
  g_test_add_func ("/unlock/wrong-passphrase", test_unlock_wrong_passphrase);
  g_test_add_func ("/unlock/unlock-and-lock", test_unlock_and_lock);
  g_test_add_func ("/unlock/auto-lock-when-idle", test_auto_lock_when_idle);
  g_test_add_func ("/unlock/lock-on-screen-lock", test_lock_on_screen_lock);
  g_test_add_func ("/unlock/front-desk-sees-no-clinical-pages", test_front_desk_sees_no_clinical_pages);
  g_test_add_func ("/unlock/recovery-key", test_recovery_key);

  return cairn_test_run ();
}
