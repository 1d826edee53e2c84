/* cairn-unlock-page.c
 *
 * The page Cairn shows while locked: choose a user, enter the passphrase.
 * Repeated wrong passphrases make it wait longer before the next try. The
 * recovery key opens the vault too, and then someone must set a new
 * passphrase before going on.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "cairn-unlock"

#include "config.h"

#include <glib/gi18n.h>

#include "cairn-passphrase.h"
#include "cairn-runner.h"
#include "cairn-strength-meter.h"
#include "cairn-unlock-attempts.h"
#include "cairn-unlock-page.h"

struct _CairnUnlockPage
{
  GtkWidget           parent_instance;

  char               *dir;
  CairnRunner        *runner;
  gboolean            busy;
  guint               countdown_id;
  CairnVault         *recovered;    /* opened by the recovery key, awaiting a new passphrase */

  /* Template widgets */
  AdwPasswordEntryRow *confirm_row;
  GtkLabel            *hint;
  GtkLabel            *attempts;
  GtkStack            *modes;
  AdwPasswordEntryRow *new_row;
  GtkLabel            *passphrase_error;
  AdwPasswordEntryRow *passphrase_row;
  GtkButton           *recover_button;
  GtkLabel            *recovery_error;
  AdwEntryRow         *recovery_row;
  GtkButton           *reset_button;
  GtkLabel            *reset_error;
  CairnStrengthMeter  *reset_strength;
  AdwComboRow         *reset_user_row;
  GtkButton           *unlock_button;
  GtkSpinner          *unlock_spinner;
  AdwComboRow         *user_row;
  GtkStringList       *user_names;
};

G_DEFINE_FINAL_TYPE (CairnUnlockPage, cairn_unlock_page, GTK_TYPE_WIDGET)

enum {
  UNLOCKED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static void cairn_unlock_page_sync (CairnUnlockPage *self);

static void
show_error (GtkLabel   *label,
            const char *message)
{
  gtk_label_set_text (label, message != NULL ? message : "");
  gtk_widget_set_visible (GTK_WIDGET (label), message != NULL);
}

static const char *
selected_name (AdwComboRow *row)
{
  GtkStringObject *item = adw_combo_row_get_selected_item (row);

  return item != NULL ? gtk_string_object_get_string (item) : NULL;
}

/* The wait after wrong tries is the vault's, kept beside it: closing the
 * window, opening another or starting Cairn again does not cut it short. */
static guint
seconds_to_wait (CairnUnlockPage *self)
{
  return self->dir != NULL ? cairn_unlock_attempts_seconds_to_wait (self->dir) : 0;
}

/* Whoever unlocks next sees that someone tried and failed. */
static void
show_attempts (CairnUnlockPage *self)
{
  g_autoptr(GPtrArray) attempts = self->dir != NULL ? cairn_unlock_attempts_list (self->dir) : NULL;
  const CairnUnlockAttempt *last;
  g_autoptr(GDateTime) at = NULL;
  g_autofree char *when = NULL;
  g_autofree char *text = NULL;

  if (attempts == NULL || attempts->len == 0)
    {
      gtk_widget_set_visible (GTK_WIDGET (self->attempts), FALSE);
      return;
    }
  last = g_ptr_array_index (attempts, attempts->len - 1);
  at = g_date_time_new_from_unix_local (last->at);
  /* Translators: the time of the last failed unlock, as in "at 14:05 on 7 December" */
  when = at != NULL ? g_date_time_format (at, _("%H:%M on %-d %B")) : g_strdup ("");
  text = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                       "%u failed attempt to unlock since the last unlock, at %s.",
                                       "%u failed attempts to unlock since the last unlock, the last at %s.",
                                       attempts->len),
                          attempts->len, when);
  gtk_label_set_text (self->attempts, text);
  gtk_widget_set_visible (GTK_WIDGET (self->attempts), TRUE);
}

/* What may be pressed follows from the state; nothing else sets it. */
static void
cairn_unlock_page_sync (CairnUnlockPage *self)
{
  gboolean waiting = seconds_to_wait (self) > 0;
  gboolean have_users = g_list_model_get_n_items (G_LIST_MODEL (self->user_names)) > 0;
  const char *new_pass = gtk_editable_get_text (GTK_EDITABLE (self->new_row));

  /* The fields stay sensitive (and focused) while waiting or busy: taking
   * the focus away from under the typing hand helps nobody. */
  gtk_widget_set_sensitive (GTK_WIDGET (self->unlock_button), !self->busy && !waiting && have_users);
  gtk_editable_set_editable (GTK_EDITABLE (self->passphrase_row), !self->busy);
  gtk_widget_set_sensitive (GTK_WIDGET (self->user_row), !self->busy && have_users);
  gtk_widget_set_visible (GTK_WIDGET (self->unlock_spinner), self->busy);
  gtk_spinner_set_spinning (self->unlock_spinner, self->busy);
  gtk_widget_set_sensitive (GTK_WIDGET (self->recover_button), !self->busy && !waiting);
  gtk_editable_set_editable (GTK_EDITABLE (self->recovery_row), !self->busy);
  gtk_widget_set_sensitive (GTK_WIDGET (self->reset_button), !self->busy);

  cairn_strength_meter_update (self->reset_strength, new_pass, selected_name (self->reset_user_row));
}

static void
on_input_changed_cb (CairnUnlockPage *self)
{
  cairn_unlock_page_sync (self);
}

static void
set_busy (CairnUnlockPage *self,
          gboolean         busy)
{
  self->busy = busy;
  cairn_unlock_page_sync (self);
}

static gboolean
on_countdown_cb (gpointer user_data)
{
  CairnUnlockPage *self = user_data;
  guint seconds = seconds_to_wait (self);
  GtkLabel *label = g_strcmp0 (gtk_stack_get_visible_child_name (self->modes), "recovery") == 0
                    ? self->recovery_error : self->passphrase_error;

  if (seconds == 0)
    {
      self->countdown_id = 0;
      show_error (label, _("Wrong too many times. You can try again now."));
      cairn_unlock_page_sync (self);
      if (g_strcmp0 (gtk_stack_get_visible_child_name (self->modes), "passphrase") == 0)
        gtk_widget_grab_focus (GTK_WIDGET (self->passphrase_row));
      return G_SOURCE_REMOVE;
    }

  {
    g_autofree char *message =
      g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                    "Wrong too many times. Try again in %u second.",
                                    "Wrong too many times. Try again in %u seconds.", seconds),
                       seconds);

    show_error (label, message);
  }
  return G_SOURCE_CONTINUE;
}

/* A wrong passphrase or recovery key: say so, and after a few in a row
 * make the next try wait. */
static void
note_failure (CairnUnlockPage *self,
              GtkLabel        *label,
              const char      *message)
{
  show_error (label, message);
  show_attempts (self);

  if (seconds_to_wait (self) > 0)
    {
      g_clear_handle_id (&self->countdown_id, g_source_remove);
      on_countdown_cb (self);
      self->countdown_id = g_timeout_add_seconds (1, on_countdown_cb, self);
    }
  cairn_unlock_page_sync (self);
}

static const char *
describe_open_error (const GError *error)
{
  if (g_error_matches (error, CAIRN_KEYRING_ERROR, CAIRN_KEYRING_ERROR_WRONG_PASSPHRASE) ||
      g_error_matches (error, CAIRN_KEYRING_ERROR, CAIRN_KEYRING_ERROR_NO_SUCH_USER))
    return _("That passphrase is not right. Check the user and Caps Lock, and try again.");
  if (g_error_matches (error, CAIRN_VAULT_ERROR, CAIRN_VAULT_ERROR_TOO_SOON))
    return _("Wrong too many times. Wait before the next try.");
  if (g_error_matches (error, CAIRN_KEYRING_ERROR, CAIRN_KEYRING_ERROR_WRONG_RECOVERY_KEY))
    return _("That is not this vault’s recovery key.");
  if (g_error_matches (error, CAIRN_KEYRING_ERROR, CAIRN_KEYRING_ERROR_RECOVERY_KEY_TYPO))
    return _("The recovery key has a typing mistake: check each group against what you wrote down.");
  return NULL;
}

static void
unlock_done_cb (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  CairnUnlockPage *self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(CairnVault) vault = cairn_vault_unlock_finish (result, &error);
  const char *message;

  set_busy (self, FALSE);
  gtk_editable_set_text (GTK_EDITABLE (self->passphrase_row), "");

  if (vault == NULL)
    {
      if ((message = describe_open_error (error)) != NULL)
        note_failure (self, self->passphrase_error, message);
      else
        show_error (self->passphrase_error, error->message);
      gtk_widget_grab_focus (GTK_WIDGET (self->passphrase_row));
      return;
    }

  show_error (self->passphrase_error, NULL);
  show_attempts (self);
  g_signal_emit (self, signals[UNLOCKED], 0, vault);
}

static void
on_unlock_activated_cb (CairnUnlockPage *self)
{
  const char *passphrase = gtk_editable_get_text (GTK_EDITABLE (self->passphrase_row));
  const char *user = selected_name (self->user_row);

  if (self->busy || seconds_to_wait (self) > 0 || user == NULL)
    return;
  if (*passphrase == '\0')
    {
      show_error (self->passphrase_error, _("Enter your passphrase."));
      gtk_widget_grab_focus (GTK_WIDGET (self->passphrase_row));
      return;
    }

  show_error (self->passphrase_error, NULL);
  set_busy (self, TRUE);
  cairn_vault_unlock_async (self->dir, user, passphrase, cairn_runner_get_cancellable (self->runner),
                            cairn_runner_answered, cairn_runner_track (self->runner, unlock_done_cb, self));
}

static void
on_use_recovery_clicked_cb (CairnUnlockPage *self)
{
  show_error (self->recovery_error, NULL);
  gtk_stack_set_visible_child_name (self->modes, "recovery");
  gtk_widget_grab_focus (GTK_WIDGET (self->recovery_row));
}

static void
on_back_clicked_cb (CairnUnlockPage *self)
{
  gtk_editable_set_text (GTK_EDITABLE (self->recovery_row), "");
  gtk_stack_set_visible_child_name (self->modes, "passphrase");
  gtk_widget_grab_focus (GTK_WIDGET (self->passphrase_row));
}

static void
recover_done_cb (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  CairnUnlockPage *self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(CairnVault) vault = cairn_vault_unlock_with_recovery_finish (result, &error);
  const char *message;

  set_busy (self, FALSE);
  if (vault == NULL)
    {
      if ((message = describe_open_error (error)) != NULL)
        note_failure (self, self->recovery_error, message);
      else
        show_error (self->recovery_error, error->message);
      return;
    }

  show_attempts (self);
  gtk_editable_set_text (GTK_EDITABLE (self->recovery_row), "");
  g_set_object (&self->recovered, vault);
  adw_combo_row_set_selected (self->reset_user_row, adw_combo_row_get_selected (self->user_row));
  show_error (self->reset_error, NULL);
  gtk_stack_set_visible_child_name (self->modes, "reset");
  gtk_widget_grab_focus (GTK_WIDGET (self->new_row));
}

static void
on_recover_activated_cb (CairnUnlockPage *self)
{
  const char *key = gtk_editable_get_text (GTK_EDITABLE (self->recovery_row));

  if (self->busy || seconds_to_wait (self) > 0)
    return;
  if (*key == '\0')
    {
      show_error (self->recovery_error, _("Enter the recovery key."));
      return;
    }

  show_error (self->recovery_error, NULL);
  set_busy (self, TRUE);
  cairn_vault_unlock_with_recovery_async (self->dir, key, cairn_runner_get_cancellable (self->runner),
                                          cairn_runner_answered,
                                          cairn_runner_track (self->runner, recover_done_cb, self));
}

static void
reset_done_cb (GObject      *source,
               GAsyncResult *result,
               gpointer      user_data)
{
  CairnUnlockPage *self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(CairnVault) vault = NULL;

  if (!cairn_vault_reset_passphrase_finish (CAIRN_VAULT (source), result, &error))
    {
      set_busy (self, FALSE);
      show_error (self->reset_error, error->message);
      return;
    }

  set_busy (self, FALSE);
  vault = g_steal_pointer (&self->recovered);
  gtk_editable_set_text (GTK_EDITABLE (self->new_row), "");
  gtk_editable_set_text (GTK_EDITABLE (self->confirm_row), "");
  gtk_stack_set_visible_child_name (self->modes, "passphrase");
  g_signal_emit (self, signals[UNLOCKED], 0, vault);
}

static void
on_reset_activated_cb (CairnUnlockPage *self)
{
  const char *user = selected_name (self->reset_user_row);
  const char *new_pass = gtk_editable_get_text (GTK_EDITABLE (self->new_row));
  const char *confirm = gtk_editable_get_text (GTK_EDITABLE (self->confirm_row));

  if (self->busy || self->recovered == NULL || user == NULL)
    return;
  if (!cairn_strength_meter_get_acceptable (self->reset_strength))
    {
      show_error (self->reset_error, cairn_strength_meter_get_text (self->reset_strength));
      gtk_widget_grab_focus (GTK_WIDGET (self->new_row));
      return;
    }
  if (g_strcmp0 (new_pass, confirm) != 0)
    {
      show_error (self->reset_error, _("The two passphrases differ: type the same one twice."));
      gtk_widget_grab_focus (GTK_WIDGET (self->confirm_row));
      return;
    }

  show_error (self->reset_error, NULL);
  set_busy (self, TRUE);
  cairn_vault_reset_passphrase_async (self->recovered, user, new_pass, cairn_runner_get_cancellable (self->runner),
                                      cairn_runner_answered, cairn_runner_track (self->runner, reset_done_cb, self));
}

static void
cairn_unlock_page_dispose (GObject *object)
{
  GtkWidget *child;
  CairnUnlockPage *self = CAIRN_UNLOCK_PAGE (object);

  g_clear_object (&self->runner);
  g_clear_handle_id (&self->countdown_id, g_source_remove);
  if (self->recovered != NULL)
    cairn_vault_lock (self->recovered);
  g_clear_object (&self->recovered);
  gtk_widget_dispose_template (GTK_WIDGET (self), CAIRN_TYPE_UNLOCK_PAGE);
  /* The template's top box has no id, so nothing above unparents it. */
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self))) != NULL)
    gtk_widget_unparent (child);

  G_OBJECT_CLASS (cairn_unlock_page_parent_class)->dispose (object);
}

static void
cairn_unlock_page_finalize (GObject *object)
{
  CairnUnlockPage *self = CAIRN_UNLOCK_PAGE (object);

  g_free (self->dir);

  G_OBJECT_CLASS (cairn_unlock_page_parent_class)->finalize (object);
}

static gboolean
cairn_unlock_page_grab_focus (GtkWidget *widget)
{
  CairnUnlockPage *self = CAIRN_UNLOCK_PAGE (widget);

  if (g_strcmp0 (gtk_stack_get_visible_child_name (self->modes), "passphrase") == 0)
    return gtk_widget_grab_focus (GTK_WIDGET (self->passphrase_row));
  return GTK_WIDGET_CLASS (cairn_unlock_page_parent_class)->grab_focus (widget);
}

static void
cairn_unlock_page_class_init (CairnUnlockPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = cairn_unlock_page_dispose;
  object_class->finalize = cairn_unlock_page_finalize;
  widget_class->grab_focus = cairn_unlock_page_grab_focus;

  /**
   * CairnUnlockPage::unlocked:
   * @self: the page
   * @vault: the vault, unlocked
   */
  signals[UNLOCKED] =
    g_signal_new ("unlocked", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                  NULL, NULL, NULL, G_TYPE_NONE, 1, CAIRN_TYPE_VAULT);

  g_type_ensure (CAIRN_TYPE_STRENGTH_METER);

  gtk_widget_class_set_template_from_resource (widget_class, RESOURCE_BASE_PATH "/unlock/cairn-unlock-page.ui");
  gtk_widget_class_bind_template_child (widget_class, CairnUnlockPage, confirm_row);
  gtk_widget_class_bind_template_child (widget_class, CairnUnlockPage, hint);
  gtk_widget_class_bind_template_child (widget_class, CairnUnlockPage, attempts);
  gtk_widget_class_bind_template_child (widget_class, CairnUnlockPage, modes);
  gtk_widget_class_bind_template_child (widget_class, CairnUnlockPage, new_row);
  gtk_widget_class_bind_template_child (widget_class, CairnUnlockPage, passphrase_error);
  gtk_widget_class_bind_template_child (widget_class, CairnUnlockPage, passphrase_row);
  gtk_widget_class_bind_template_child (widget_class, CairnUnlockPage, recover_button);
  gtk_widget_class_bind_template_child (widget_class, CairnUnlockPage, recovery_error);
  gtk_widget_class_bind_template_child (widget_class, CairnUnlockPage, recovery_row);
  gtk_widget_class_bind_template_child (widget_class, CairnUnlockPage, reset_button);
  gtk_widget_class_bind_template_child (widget_class, CairnUnlockPage, reset_error);
  gtk_widget_class_bind_template_child (widget_class, CairnUnlockPage, reset_strength);
  gtk_widget_class_bind_template_child (widget_class, CairnUnlockPage, reset_user_row);
  gtk_widget_class_bind_template_child (widget_class, CairnUnlockPage, unlock_button);
  gtk_widget_class_bind_template_child (widget_class, CairnUnlockPage, unlock_spinner);
  gtk_widget_class_bind_template_child (widget_class, CairnUnlockPage, user_row);
  gtk_widget_class_bind_template_child (widget_class, CairnUnlockPage, user_names);
  gtk_widget_class_bind_template_callback (widget_class, on_back_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_input_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_recover_activated_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_reset_activated_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_unlock_activated_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_use_recovery_clicked_cb);
}

static void
cairn_unlock_page_init (CairnUnlockPage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  self->runner = cairn_runner_new ();
  if (seconds_to_wait (self) > 0)
    {
      on_countdown_cb (self);
      self->countdown_id = g_timeout_add_seconds (1, on_countdown_cb, self);
    }
  cairn_unlock_page_sync (self);
}

/**
 * cairn_unlock_page_set_dir:
 * @self: the page
 * @dir: the vault folder
 *
 * Reads the users from the vault's keyring. A damaged keyring is said on
 * the page.
 */
void
cairn_unlock_page_set_dir (CairnUnlockPage *self,
                           const char      *dir)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) users = NULL;
  g_autofree char *previous = NULL;
  guint n;

  g_return_if_fail (CAIRN_IS_UNLOCK_PAGE (self));
  g_return_if_fail (dir != NULL);

  previous = g_strdup (selected_name (self->user_row));
  if (dir != self->dir)
    {
      g_free (self->dir);
      self->dir = g_strdup (dir);
    }
  show_attempts (self);
  if (seconds_to_wait (self) > 0 && self->countdown_id == 0)
    {
      on_countdown_cb (self);
      self->countdown_id = g_timeout_add_seconds (1, on_countdown_cb, self);
    }

  n = g_list_model_get_n_items (G_LIST_MODEL (self->user_names));
  gtk_string_list_splice (self->user_names, 0, n, NULL);

  users = cairn_vault_list_users (dir, &error);
  if (users == NULL)
    {
      g_autofree char *message = g_strdup_printf (_("Cairn cannot open the vault: %s"), error->message);

      show_error (self->passphrase_error, message);
      cairn_unlock_page_sync (self);
      return;
    }

  for (guint i = 0; i < users->len; i++)
    {
      const CairnKeyringUser *user = g_ptr_array_index (users, i);

      gtk_string_list_append (self->user_names, user->name);
      if (g_strcmp0 (user->name, previous) == 0)
        adw_combo_row_set_selected (self->user_row, i);
    }
  cairn_unlock_page_sync (self);
}

/**
 * cairn_unlock_page_reset:
 * @self: the page
 *
 * Back to the passphrase form, every field empty: for when Cairn locks.
 * Keeps the wait after too many wrong passphrases.
 */
void
cairn_unlock_page_reset (CairnUnlockPage *self)
{
  g_return_if_fail (CAIRN_IS_UNLOCK_PAGE (self));

  if (self->recovered != NULL)
    cairn_vault_lock (self->recovered);
  g_clear_object (&self->recovered);

  gtk_editable_set_text (GTK_EDITABLE (self->passphrase_row), "");
  gtk_editable_set_text (GTK_EDITABLE (self->recovery_row), "");
  gtk_editable_set_text (GTK_EDITABLE (self->new_row), "");
  gtk_editable_set_text (GTK_EDITABLE (self->confirm_row), "");
  if (seconds_to_wait (self) == 0)
    show_error (self->passphrase_error, NULL);
  show_error (self->recovery_error, NULL);
  show_error (self->reset_error, NULL);
  gtk_stack_set_visible_child_name (self->modes, "passphrase");
  if (self->dir != NULL)
    cairn_unlock_page_set_dir (self, self->dir);
  cairn_unlock_page_sync (self);
}

gboolean
cairn_unlock_page_get_busy (CairnUnlockPage *self)
{
  g_return_val_if_fail (CAIRN_IS_UNLOCK_PAGE (self), FALSE);

  return self->busy;
}

/**
 * cairn_unlock_page_set_hint:
 * @self: the page
 * @hint: (nullable): a line to show under the title, such as the demo
 *   vault's user and passphrase
 * @user: (nullable): the user to choose
 */
void
cairn_unlock_page_set_hint (CairnUnlockPage *self,
                            const char      *hint,
                            const char      *user)
{
  g_return_if_fail (CAIRN_IS_UNLOCK_PAGE (self));

  gtk_label_set_text (self->hint, hint != NULL ? hint : "");
  gtk_widget_set_visible (GTK_WIDGET (self->hint), hint != NULL);

  for (guint i = 0; user != NULL && i < g_list_model_get_n_items (G_LIST_MODEL (self->user_names)); i++)
    if (g_strcmp0 (gtk_string_list_get_string (self->user_names, i), user) == 0)
      adw_combo_row_set_selected (self->user_row, i);
}
