/* test-security.c
 *
 * Preferences → Security, driven as a person would: changing one's own
 * passphrase, adding and removing users, replacing the recovery key, the
 * automatic lock, and what a front-desk user is shown.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "cairn-preferences-window.h"
#include "cairn-security-page.h"
#include "cairn-test-utils.h"
#include "cairn-window.h"

static GtkWindow *
find_window_titled (const char *title)
{
  GList *toplevels = gtk_window_list_toplevels ();
  GtkWindow *found = NULL;

  for (GList *l = toplevels; l != NULL && found == NULL; l = l->next)
    if (gtk_widget_get_visible (l->data) && g_strcmp0 (gtk_window_get_title (l->data), title) == 0)
      found = l->data;
  g_list_free (toplevels);
  return found;
}

static gboolean
window_gone (gpointer user_data)
{
  return find_window_titled (user_data) == NULL;
}

static GtkWidget *
open_security (CairnRole role)
{
  CairnApplication *app = cairn_test_get_application ();
  GtkWindow *window;
  GtkWindow *preferences;

  cairn_test_reset ();
  cairn_test_remove_vault ();
  cairn_test_unlock (role);
  g_application_activate (G_APPLICATION (app));
  window = gtk_application_get_active_window (GTK_APPLICATION (app));
  gtk_widget_activate_action (GTK_WIDGET (window), "app.preferences", NULL);
  cairn_test_iterate (50);

  preferences = cairn_test_find_toplevel (CAIRN_TYPE_PREFERENCES_WINDOW);
  g_assert_nonnull (preferences);
  adw_preferences_window_set_visible_page_name (ADW_PREFERENCES_WINDOW (preferences), "security");
  cairn_test_iterate (50);
  return GTK_WIDGET (preferences);
}

static GtkWidget *
open_form (GtkWidget  *preferences,
           const char *row_title,
           const char *window_title)
{
  GtkWindow *form;

  g_signal_emit_by_name (cairn_test_find_row (preferences, row_title), "activated");
  cairn_test_iterate (50);
  form = find_window_titled (window_title);
  g_assert_nonnull (form);
  return GTK_WIDGET (form);
}

typedef struct
{
  GtkWidget  *root;
  const char *text;
} Shown;

static gboolean
text_shown (gpointer user_data)
{
  Shown *shown = user_data;

  return cairn_test_find_text (shown->root, shown->text) != NULL;
}

static void
assert_text_soon (GtkWidget  *root,
                  const char *text)
{
  Shown shown = { root, text };

  if (!cairn_test_wait_until (text_shown, &shown, 5000))
    g_error ("“%s” never appeared", text);
}

static void
test_change_passphrase (void)
{
  GtkWidget *preferences = open_security (CAIRN_ROLE_CLINICIAN);
  GtkWidget *form = open_form (preferences, "Change Passphrase…", "Change Passphrase");
  g_autoptr(GError) error = NULL;
  g_autoptr(CairnVault) vault = NULL;

  cairn_test_click (form, "Change");
  g_assert_nonnull (cairn_test_find_text (form, "Enter your current passphrase."));

  cairn_test_type (form, "Current passphrase", "not my passphrase at all");
  cairn_test_type (form, "New passphrase", "weak");
  cairn_test_click (form, "Change");
  g_assert_nonnull (cairn_test_find_text (form, "at least 10 characters"));

  cairn_test_type (form, "New passphrase", "meadow quartz lantern 8");
  cairn_test_type (form, "New passphrase again", "meadow quartz lantern 9");
  cairn_test_click (form, "Change");
  g_assert_nonnull (cairn_test_find_text (form, "The two new passphrases differ"));

  /* A wrong current passphrase is found by the vault, not the form. */
  cairn_test_type (form, "New passphrase again", "meadow quartz lantern 8");
  cairn_test_click (form, "Change");
  assert_text_soon (form, "passphrase is not right");

  cairn_test_type (form, "Current passphrase", CAIRN_TEST_PASSPHRASE);
  cairn_test_type (form, "New passphrase", "meadow quartz lantern 8");
  cairn_test_type (form, "New passphrase again", "meadow quartz lantern 8");
  cairn_test_click (form, "Change");
  g_assert_true (cairn_test_wait_until (window_gone, (gpointer) "Change Passphrase", 5000));

  cairn_application_lock (cairn_test_get_application ());
  g_assert_null (cairn_vault_unlock (cairn_test_vault_dir (), CAIRN_TEST_CLINICIAN, CAIRN_TEST_PASSPHRASE,
                                     &error));
  g_clear_error (&error);
  vault = cairn_vault_unlock (cairn_test_vault_dir (), CAIRN_TEST_CLINICIAN, "meadow quartz lantern 8", &error);
  g_assert_no_error (error);
  g_clear_object (&vault);
  cairn_test_remove_vault ();
}

static gboolean
users_listed (gpointer user_data)
{
  return cairn_test_find_text (user_data, "Sam Rivera") != NULL;
}

static GtkWidget *
find_icon_button (GtkWidget  *root,
                  const char *icon_name)
{
  if (GTK_IS_BUTTON (root) && g_strcmp0 (gtk_button_get_icon_name (GTK_BUTTON (root)), icon_name) == 0)
    return root;

  for (GtkWidget *child = gtk_widget_get_first_child (root); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = find_icon_button (child, icon_name);

      if (found != NULL)
        return found;
    }
  return NULL;
}

static void
test_add_and_remove_user (void)
{
  GtkWidget *preferences = open_security (CAIRN_ROLE_CLINICIAN);
  GtkWidget *form;
  GtkWidget *row;
  GtkWidget *remove;
  GtkWindow *dialog;
  g_autoptr(GError) error = NULL;
  g_autoptr(CairnVault) vault = NULL;
  CairnVault *mine = cairn_application_get_vault (cairn_test_get_application ());
  g_autoptr(GPtrArray) users = NULL;

  /* Both users of the test vault are listed; only the other can be removed. */
  g_assert_nonnull (cairn_test_find_row (preferences, CAIRN_TEST_CLINICIAN));
  g_assert_nonnull (cairn_test_find_row (preferences, CAIRN_TEST_DESK));
  g_assert_nonnull (cairn_test_find_text (preferences, "Clinician · you"));
  g_assert_null (find_icon_button (cairn_test_find_row (preferences, CAIRN_TEST_CLINICIAN),
                                   "user-trash-symbolic"));

  g_signal_emit_by_name (find_icon_button (preferences, "list-add-symbolic"), "clicked");
  cairn_test_iterate (50);
  form = GTK_WIDGET (find_window_titled ("Add User"));
  g_assert_nonnull (form);

  cairn_test_click (form, "Add");
  g_assert_nonnull (cairn_test_find_text (form, "Enter the new user’s name."));

  /* A name already on the keyring is refused by the vault. */
  cairn_test_type (form, "Name", CAIRN_TEST_DESK);
  cairn_test_type (form, "New passphrase", "copper willow signal 3");
  cairn_test_type (form, "New passphrase again", "copper willow signal 3");
  cairn_test_click (form, "Add");
  assert_text_soon (form, "already");

  cairn_test_type (form, "Name", "Sam Rivera");
  cairn_test_select (form, "Role", "Front desk");
  cairn_test_click (form, "Add");
  g_assert_true (cairn_test_wait_until (window_gone, (gpointer) "Add User", 5000));
  g_assert_true (cairn_test_wait_until (users_listed, preferences, 1000));
  users = cairn_vault_get_users (mine);
  g_assert_cmpuint (users->len, ==, 3);

  /* Removing asks first; cancelling keeps the user. */
  row = cairn_test_find_row (preferences, CAIRN_TEST_DESK);
  remove = find_icon_button (row, "user-trash-symbolic");
  g_assert_nonnull (remove);
  g_signal_emit_by_name (remove, "clicked");
  cairn_test_iterate (50);
  dialog = cairn_test_find_toplevel (ADW_TYPE_MESSAGE_DIALOG);
  g_assert_nonnull (dialog);
  adw_message_dialog_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  cairn_test_iterate (100);
  g_clear_pointer (&users, g_ptr_array_unref);
  users = cairn_vault_get_users (mine);
  g_assert_cmpuint (users->len, ==, 3);

  g_signal_emit_by_name (remove, "clicked");
  cairn_test_iterate (50);
  dialog = cairn_test_find_toplevel (ADW_TYPE_MESSAGE_DIALOG);
  adw_message_dialog_response (ADW_MESSAGE_DIALOG (dialog), "remove");
  assert_text_soon (preferences, "Front Desk was removed");
  g_clear_pointer (&users, g_ptr_array_unref);
  users = cairn_vault_get_users (mine);
  g_assert_cmpuint (users->len, ==, 2);

  cairn_application_lock (cairn_test_get_application ());
  g_assert_null (cairn_vault_unlock (cairn_test_vault_dir (), CAIRN_TEST_DESK, CAIRN_TEST_DESK_PASSPHRASE, &error));
  g_clear_error (&error);
  vault = cairn_vault_unlock (cairn_test_vault_dir (), "Sam Rivera", "copper willow signal 3", &error);
  g_assert_no_error (error);
  g_assert_false (cairn_vault_has_clinical (vault));
  g_clear_object (&vault);
  cairn_test_remove_vault ();
}

static void
test_replace_recovery_key (void)
{
  GtkWidget *preferences = open_security (CAIRN_ROLE_CLINICIAN);
  GtkWidget *form = open_form (preferences, "Replace Recovery Key…", "Replace Recovery Key");
  GtkWidget *key_label;
  g_auto(GStrv) groups = NULL;
  g_autofree char *key = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(CairnVault) vault = NULL;

  cairn_test_click (form, "Replace");
  g_assert_nonnull (cairn_test_find_text (form, "Enter your passphrase."));
  cairn_test_type (form, "Your passphrase", "not my passphrase at all");
  cairn_test_click (form, "Replace");
  assert_text_soon (form, "passphrase is not right");

  cairn_test_type (form, "Your passphrase", CAIRN_TEST_PASSPHRASE);
  cairn_test_click (form, "Replace");
  assert_text_soon (form, "This is the new recovery key");
  key_label = cairn_test_find_descendant (form, GTK_TYPE_LABEL, "recovery-key");
  g_assert_nonnull (key_label);
  groups = g_strsplit (gtk_label_get_text (GTK_LABEL (key_label)), " ", -1);
  key = g_strjoinv ("-", groups);
  cairn_test_click (form, "Done");
  g_assert_true (cairn_test_wait_until (window_gone, (gpointer) "Replace Recovery Key", 1000));

  cairn_application_lock (cairn_test_get_application ());
  vault = cairn_vault_unlock_with_recovery (cairn_test_vault_dir (), key, &error);
  g_assert_no_error (error);
  g_clear_object (&vault);
  cairn_test_remove_vault ();
}

static gboolean
desk_gone (gpointer user_data)
{
  return cairn_test_find_text (user_data, CAIRN_TEST_DESK) == NULL;
}

static void
test_rekey (void)
{
  GtkWidget *preferences = open_security (CAIRN_ROLE_CLINICIAN);
  GtkWidget *form = open_form (preferences, "Re-key Vault…", "Re-key Vault");
  CairnApplication *app = cairn_test_get_application ();
  GtkWidget *key_label;
  g_auto(GStrv) groups = NULL;
  g_autofree char *key = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(CairnVault) vault = NULL;

  g_assert_nonnull (cairn_test_find_text (form, "Everyone else’s passphrase stops working"));
  cairn_test_type (form, "Your passphrase", "not my passphrase at all");
  cairn_test_click (form, "Re-key");
  assert_text_soon (form, "passphrase is not right");

  cairn_test_type (form, "Your passphrase", CAIRN_TEST_PASSPHRASE);
  cairn_test_click (form, "Re-key");
  assert_text_soon (form, "This is the new recovery key");
  key_label = cairn_test_find_descendant (form, GTK_TYPE_LABEL, "recovery-key");
  groups = g_strsplit (gtk_label_get_text (GTK_LABEL (key_label)), " ", -1);
  key = g_strjoinv ("-", groups);
  cairn_test_click (form, "Done");

  /* The front desk was dropped from the list, and Cairn stays unlocked. */
  g_assert_true (cairn_test_wait_until (desk_gone, preferences, 2000));
  g_assert_nonnull (cairn_application_get_vault (app));
  g_assert_true (cairn_vault_has_clinical (cairn_application_get_vault (app)));

  cairn_application_lock (app);
  g_assert_null (cairn_vault_unlock (cairn_test_vault_dir (), CAIRN_TEST_DESK, CAIRN_TEST_DESK_PASSPHRASE,
                                     &error));
  g_clear_error (&error);
  vault = cairn_vault_unlock_with_recovery (cairn_test_vault_dir (), key, &error);
  g_assert_no_error (error);
  g_clear_object (&vault);
  vault = cairn_vault_unlock (cairn_test_vault_dir (), CAIRN_TEST_CLINICIAN, CAIRN_TEST_PASSPHRASE, &error);
  g_assert_no_error (error);
  g_clear_object (&vault);
  cairn_test_remove_vault ();
}

static gboolean
policy_is (gpointer user_data)
{
  CairnVault *vault = cairn_application_get_vault (cairn_test_get_application ());

  return vault != NULL && cairn_vault_get_auto_lock_seconds (vault) == GPOINTER_TO_UINT (user_data);
}

static void
test_auto_lock_choice (void)
{
  GtkWidget *preferences = open_security (CAIRN_ROLE_CLINICIAN);
  CairnLockMonitor *monitor = cairn_application_get_lock_monitor (cairn_test_get_application ());

  g_assert_cmpuint (adw_combo_row_get_selected (ADW_COMBO_ROW (cairn_test_find_row (preferences, "Lock after"))),
                    ==, 2);
  cairn_test_select (preferences, "Lock after", "10 minutes");
  g_assert_true (cairn_test_wait_until (policy_is, GUINT_TO_POINTER (600), 5000));
  cairn_test_iterate (50);
  g_assert_cmpuint (cairn_lock_monitor_get_timeout (monitor), ==, 600);
  cairn_test_remove_vault ();
}

static void
test_front_desk_sees_own_passphrase_only (void)
{
  GtkWidget *preferences = open_security (CAIRN_ROLE_FRONT_DESK);

  g_assert_nonnull (cairn_test_find_row (preferences, "Change Passphrase…"));
  g_assert_nonnull (cairn_test_find_text (preferences, "Unlocked by Front Desk."));
  /* Not greyed out: not there at all. */
  g_assert_null (cairn_test_find_text (preferences, "Everyone who can unlock Cairn"));
  g_assert_null (cairn_test_find_text (preferences, "Automatic Lock"));
  g_assert_null (cairn_test_find_text (preferences, "Recovery Key"));
  g_assert_null (cairn_test_find_text (preferences, "Re-key"));
  cairn_test_remove_vault ();
}

int
main (int   argc,
      char *argv[])
{
  cairn_test_init_gtk (&argc, &argv);

  g_test_add_func ("/security/change-passphrase", test_change_passphrase);
  g_test_add_func ("/security/add-and-remove-user", test_add_and_remove_user);
  g_test_add_func ("/security/replace-recovery-key", test_replace_recovery_key);
  g_test_add_func ("/security/rekey", test_rekey);
  g_test_add_func ("/security/auto-lock-choice", test_auto_lock_choice);
  g_test_add_func ("/security/front-desk-sees-own-passphrase-only", test_front_desk_sees_own_passphrase_only);

  return cairn_test_run ();
}
