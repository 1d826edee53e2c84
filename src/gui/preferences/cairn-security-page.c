/* cairn-security-page.c
 *
 * Preferences → Security: the user's own passphrase, and for clinicians the
 * vault's users, its recovery key and how soon it locks itself. Every
 * change runs on the vault's worker (they all run Argon2id or write the
 * vault) as an _async pair of cairn-settings-screen.c, started with the
 * page's CairnRunner, and is one transaction with its audit entry.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "cairn-preferences"

#include "config.h"

#include <glib/gi18n.h>
#include <sodium.h>
#include <string.h>

#include "cairn-runner.h"
#include "cairn-security-page.h"
#include "cairn-settings-screen.h"
#include "cairn-toaster.h"
#include "cairn-strength-meter.h"

const guint cairn_security_page_lock_minutes[7] = { 1, 2, 5, 10, 15, 30, 60 };

struct _CairnSecurityPage
{
  AdwPreferencesPage    parent_instance;

  CairnContext         *context;
  CairnRunner          *runner;

  AdwPreferencesGroup  *users_group;
  GPtrArray            *user_rows;
  CairnToaster         *toaster;
  AdwComboRow          *lock_row;
  gboolean              syncing;
};

G_DEFINE_FINAL_TYPE (CairnSecurityPage, cairn_security_page, ADW_TYPE_PREFERENCES_PAGE)

enum {
  PROP_0,
  PROP_CONTEXT,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static CairnVault *
page_vault (CairnSecurityPage *self)
{
  return cairn_context_get_vault (self->context);
}

/* Toasts go to the preferences window; see cairn-toaster.c. */
static void
page_toast (CairnSecurityPage *self,
            const char        *text)
{
  cairn_toaster_say (self->toaster, text);
}

static void
wipe_string (char *text)
{
  if (text != NULL)
    {
      sodium_memzero (text, strlen (text));
      g_free (text);
    }
}

/* ------------------------------------------------------------------------ */
/* A small form in a dialog: rows, a line for what went wrong, and one
 * action in the header bar that runs a job on the vault's worker.          */

typedef struct _Form Form;
typedef gboolean (*FormValidate) (Form *form);
typedef void (*FormDone) (Form *form, gpointer result);
/* The answer: a recovery key, or TRUE; NULL with the error. */
typedef gpointer (*FormFinish) (CairnVault *vault, GAsyncResult *result, GError **error);

struct _Form
{
  CairnSecurityPage   *page;
  AdwWindow           *window;
  AdwPreferencesGroup *group;
  GtkLabel            *error;
  GtkButton           *action;
  GtkButton           *cancel;
  GtkSpinner          *spinner;
  CairnStrengthMeter  *strength;
  GHashTable          *rows;       /* title → row */
  FormValidate         validate;   /* on the main thread; starts the work */
  FormFinish           finish;     /* of the work started */
  FormDone             done;
  gboolean             busy;
};

static void
form_free (Form *form)
{
  g_hash_table_unref (form->rows);
  g_free (form);
}

static void
form_show_error (Form       *form,
                 const char *message)
{
  gtk_label_set_text (form->error, message != NULL ? message : "");
  gtk_widget_set_visible (GTK_WIDGET (form->error), message != NULL);
}

static void
form_set_busy (Form     *form,
               gboolean  busy)
{
  form->busy = busy;
  gtk_widget_set_sensitive (GTK_WIDGET (form->action), !busy);
  gtk_widget_set_visible (GTK_WIDGET (form->spinner), busy);
  gtk_spinner_set_spinning (form->spinner, busy);
}

static const char *
form_text (Form       *form,
           const char *title)
{
  GtkWidget *row = g_hash_table_lookup (form->rows, title);

  g_assert (GTK_IS_EDITABLE (row));
  return gtk_editable_get_text (GTK_EDITABLE (row));
}

static void
form_clear_secrets (Form *form)
{
  GHashTableIter iter;
  gpointer row;

  g_hash_table_iter_init (&iter, form->rows);
  while (g_hash_table_iter_next (&iter, NULL, &row))
    if (ADW_IS_PASSWORD_ENTRY_ROW (row))
      gtk_editable_set_text (GTK_EDITABLE (row), "");
}

static void
on_form_action_cb (GtkButton *button,
                   Form      *form)
{
  if (form->busy)
    return;
  form_show_error (form, NULL);
  if (form->validate (form))
    form_set_busy (form, TRUE);
}

static void
on_form_cancel_cb (GtkButton *button,
                   Form      *form)
{
  gtk_window_close (GTK_WINDOW (form->window));
}

static void
on_form_row_changed_cb (GtkEditable *editable,
                        Form        *form)
{
  GtkWidget *user = g_hash_table_lookup (form->rows, _("Name"));
  const char *user_name = user != NULL ? gtk_editable_get_text (GTK_EDITABLE (user)) : NULL;
  GtkWidget *new_row = g_hash_table_lookup (form->rows, _("New passphrase"));

  if (form->strength != NULL && new_row != NULL)
    {
      if (user_name == NULL)
        {
          const CairnKeyringUser *me = cairn_vault_get_user (page_vault (form->page));

          user_name = me != NULL ? me->name : NULL;
        }
      cairn_strength_meter_update (form->strength, gtk_editable_get_text (GTK_EDITABLE (new_row)), user_name);
    }
  form_show_error (form, NULL);
}

static void
on_form_row_activated_cb (AdwEntryRow *row,
                          Form        *form)
{
  on_form_action_cb (form->action, form);
}

static Form *
form_new (CairnSecurityPage *page,
          const char        *title,
          const char        *action_label,
          const char        *description)
{
  Form *form = g_new0 (Form, 1);
  GtkWidget *header = adw_header_bar_new ();
  GtkWidget *cancel = gtk_button_new_with_mnemonic (_("_Cancel"));
  GtkWidget *action_box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 6);
  GtkWidget *action_label_widget = gtk_label_new_with_mnemonic (action_label);
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 0);
  GtkWidget *preferences = adw_preferences_page_new ();
  GtkWidget *error_group = adw_preferences_group_new ();
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (page));

  form->page = page;
  form->rows = g_hash_table_new (g_str_hash, g_str_equal);
  form->window = ADW_WINDOW (adw_window_new ());
  gtk_window_set_title (GTK_WINDOW (form->window), title);
  gtk_window_set_modal (GTK_WINDOW (form->window), TRUE);
  gtk_window_set_default_size (GTK_WINDOW (form->window), 460, -1);
  if (GTK_IS_WINDOW (root))
    gtk_window_set_transient_for (GTK_WINDOW (form->window), GTK_WINDOW (root));
  if (GTK_IS_WINDOW (root))
    gtk_window_set_application (GTK_WINDOW (form->window), gtk_window_get_application (GTK_WINDOW (root)));
  g_object_set_data_full (G_OBJECT (form->window), "cairn-form", form, (GDestroyNotify) form_free);

  adw_header_bar_set_show_end_title_buttons (ADW_HEADER_BAR (header), FALSE);
  adw_header_bar_set_show_start_title_buttons (ADW_HEADER_BAR (header), FALSE);
  form->cancel = GTK_BUTTON (cancel);
  g_signal_connect (cancel, "clicked", G_CALLBACK (on_form_cancel_cb), form);
  adw_header_bar_pack_start (ADW_HEADER_BAR (header), cancel);

  form->spinner = GTK_SPINNER (gtk_spinner_new ());
  gtk_widget_set_visible (GTK_WIDGET (form->spinner), FALSE);
  gtk_box_append (GTK_BOX (action_box), GTK_WIDGET (form->spinner));
  gtk_box_append (GTK_BOX (action_box), action_label_widget);
  form->action = GTK_BUTTON (gtk_button_new ());
  gtk_button_set_child (form->action, action_box);
  gtk_label_set_mnemonic_widget (GTK_LABEL (action_label_widget), GTK_WIDGET (form->action));
  gtk_widget_add_css_class (GTK_WIDGET (form->action), "suggested-action");
  g_signal_connect (form->action, "clicked", G_CALLBACK (on_form_action_cb), form);
  adw_header_bar_pack_end (ADW_HEADER_BAR (header), GTK_WIDGET (form->action));

  form->group = ADW_PREFERENCES_GROUP (adw_preferences_group_new ());
  if (description != NULL)
    adw_preferences_group_set_description (form->group, description);
  adw_preferences_page_add (ADW_PREFERENCES_PAGE (preferences), form->group);

  form->error = GTK_LABEL (gtk_label_new (NULL));
  gtk_label_set_wrap (form->error, TRUE);
  gtk_label_set_xalign (form->error, 0.0);
  gtk_widget_add_css_class (GTK_WIDGET (form->error), "error");
  gtk_widget_set_visible (GTK_WIDGET (form->error), FALSE);
  adw_preferences_group_add (ADW_PREFERENCES_GROUP (error_group), GTK_WIDGET (form->error));
  adw_preferences_page_add (ADW_PREFERENCES_PAGE (preferences), ADW_PREFERENCES_GROUP (error_group));

  gtk_box_append (GTK_BOX (box), header);
  gtk_widget_set_vexpand (preferences, TRUE);
  gtk_box_append (GTK_BOX (box), preferences);
  adw_window_set_content (form->window, box);

  return form;
}

static GtkWidget *
form_add_entry (Form       *form,
                const char *title,
                gboolean    secret)
{
  GtkWidget *row = secret ? adw_password_entry_row_new () : adw_entry_row_new ();

  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
  g_signal_connect (row, "changed", G_CALLBACK (on_form_row_changed_cb), form);
  g_signal_connect (row, "entry-activated", G_CALLBACK (on_form_row_activated_cb), form);
  adw_preferences_group_add (form->group, row);
  g_hash_table_insert (form->rows, (gpointer) title, row);
  return row;
}

static void
form_add_strength (Form *form)
{
  form->strength = g_object_new (CAIRN_TYPE_STRENGTH_METER, NULL);
  gtk_widget_set_margin_top (GTK_WIDGET (form->strength), 12);
  adw_preferences_group_add (form->group, GTK_WIDGET (form->strength));
}

static void
form_present (Form      *form,
              GtkWidget *first)
{
  gtk_window_present (GTK_WINDOW (form->window));
  gtk_widget_grab_focus (first);
}

/* A new passphrase typed twice, strong enough: or say what is wrong. */
static gboolean
form_check_new_passphrase (Form *form)
{
  if (!cairn_strength_meter_get_acceptable (form->strength))
    {
      form_show_error (form, cairn_strength_meter_get_text (form->strength));
      return FALSE;
    }
  if (g_strcmp0 (form_text (form, _("New passphrase")), form_text (form, _("New passphrase again"))) != 0)
    {
      form_show_error (form, _("The two new passphrases differ: type the same one twice."));
      return FALSE;
    }
  return TRUE;
}

static void
form_done_cb (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  GtkWindow *window = user_data;
  Form *form = g_object_get_data (G_OBJECT (window), "cairn-form");
  g_autoptr(GError) error = NULL;
  gpointer value;

  if (form == NULL)
    return;
  value = form->finish (CAIRN_VAULT (source), result, &error);
  form_set_busy (form, FALSE);
  if (error != NULL)
    {
      form_show_error (form, error->message);
      return;
    }
  form_clear_secrets (form);
  form->done (form, value);
}

/* What form_done_cb() gives the answer to: the form's window, kept until
 * the answer comes. */
static gpointer
form_track (Form       *form,
            FormFinish  finish)
{
  form->finish = finish;
  return cairn_runner_track (form->page->runner, form_done_cb, form->window);
}

static GCancellable *
form_cancellable (Form *form)
{
  return cairn_runner_get_cancellable (form->page->runner);
}

static gpointer
finish_change (CairnVault    *vault,
               GAsyncResult  *result,
               GError       **error)
{
  return cairn_security_change_finish (vault, result, error) ? GINT_TO_POINTER (TRUE) : NULL;
}

static gpointer
finish_key (CairnVault    *vault,
            GAsyncResult  *result,
            GError       **error)
{
  return cairn_security_key_finish (vault, result, error);
}

/* ------------------------------------------------------------------------ */
/* Change passphrase                                                         */

static void
change_passphrase_done (Form     *form,
                        gpointer  result)
{
  CairnSecurityPage *self = form->page;

  gtk_window_close (GTK_WINDOW (form->window));
  page_toast (self, _("Your passphrase was changed"));
}

static gboolean
change_passphrase_validate (Form *form)
{
  if (*form_text (form, _("Current passphrase")) == '\0')
    {
      form_show_error (form, _("Enter your current passphrase."));
      return FALSE;
    }
  if (!form_check_new_passphrase (form))
    return FALSE;

  cairn_security_change_passphrase_async (page_vault (form->page), form_text (form, _("Current passphrase")),
                                          form_text (form, _("New passphrase")), NULL, form_cancellable (form),
                                          cairn_runner_answered, form_track (form, finish_change));
  return TRUE;
}

static void
on_change_passphrase_activated_cb (CairnSecurityPage *self)
{
  Form *form = form_new (self, _("Change Passphrase"), _("C_hange"),
                         _("The new passphrase opens the vault from now on. The vault itself is not "
                           "re-encrypted."));

  GtkWidget *first = form_add_entry (form, _("Current passphrase"), TRUE);

  form_add_entry (form, _("New passphrase"), TRUE);
  form_add_entry (form, _("New passphrase again"), TRUE);
  form_add_strength (form);
  form->validate = change_passphrase_validate;
  form->done = change_passphrase_done;
  form_present (form, first);
}

/* ------------------------------------------------------------------------ */
/* Users                                                                     */

static void cairn_security_page_sync_users (CairnSecurityPage *self);
static void offer_rekey                    (gpointer           user_data);

static void
add_user_done (Form     *form,
               gpointer  result)
{
  CairnSecurityPage *self = form->page;
  g_autofree char *message = g_strdup_printf (_("%s can now unlock Cairn"), form_text (form, _("Name")));

  gtk_window_close (GTK_WINDOW (form->window));
  cairn_security_page_sync_users (self);
  page_toast (self, message);
}

static gboolean
add_user_validate (Form *form)
{
  g_autofree char *name = g_strstrip (g_strdup (form_text (form, _("Name"))));
  AdwComboRow *role = g_hash_table_lookup (form->rows, _("Role"));

  if (*name == '\0')
    {
      form_show_error (form, _("Enter the new user’s name."));
      return FALSE;
    }
  if (!form_check_new_passphrase (form))
    return FALSE;

  cairn_security_add_user_async (page_vault (form->page), name,
                                 adw_combo_row_get_selected (role) == 0 ? CAIRN_ROLE_FRONT_DESK
                                                                        : CAIRN_ROLE_CLINICIAN,
                                 form_text (form, _("New passphrase")), NULL, form_cancellable (form),
                                 cairn_runner_answered, form_track (form, finish_change));
  return TRUE;
}

static void
on_add_user_activated_cb (CairnSecurityPage *self)
{
  Form *form = form_new (self, _("Add User"), _("_Add"),
                         _("The new user types their own passphrase here. A front-desk user can "
                           "open the schedule and the patients’ contact details, never clinical records."));
  GtkWidget *role = adw_combo_row_new ();
  const char *roles[] = { _("Front desk"), _("Clinician"), NULL };

  GtkWidget *first = form_add_entry (form, _("Name"), FALSE);

  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (role), _("Role"));
  adw_combo_row_set_model (ADW_COMBO_ROW (role), G_LIST_MODEL (gtk_string_list_new (roles)));
  adw_preferences_group_add (form->group, role);
  g_hash_table_insert (form->rows, (gpointer) _("Role"), role);
  form_add_entry (form, _("New passphrase"), TRUE);
  form_add_entry (form, _("New passphrase again"), TRUE);
  form_add_strength (form);
  form->validate = add_user_validate;
  form->done = add_user_done;
  form_present (form, first);
}

typedef struct
{
  CairnSecurityPage *self;
  char              *name;
} RemoveData;

static void
remove_data_free (RemoveData *data)
{
  g_object_unref (data->self);
  g_free (data->name);
  g_free (data);
}

static void
remove_done_cb (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  RemoveData *data = user_data;
  g_autoptr(GError) error = NULL;

  if (cairn_security_change_finish (CAIRN_VAULT (source), result, &error))
    {
      g_autofree char *message = g_strdup_printf (_("%s was removed"), data->name);

      cairn_security_page_sync_users (data->self);
      /* If they may have kept a copy of the vault, their old key still opens
       * that copy: offer the one thing that helps from here on. */
      cairn_toaster_say_with_action (data->self->toaster, message, _("Re-key…"), 10, offer_rekey, data->self,
                                     NULL);
    }
  else
    page_toast (data->self, error->message);
}

static void
on_remove_response_cb (AdwMessageDialog *dialog,
                       const char       *response,
                       RemoveData       *data)
{
  CairnSecurityPage *self = data->self;

  if (g_strcmp0 (response, "remove") != 0 || page_vault (self) == NULL)
    {
      remove_data_free (data);
      return;
    }

  cairn_security_remove_user_async (page_vault (self), data->name, cairn_runner_get_cancellable (self->runner),
                                    cairn_runner_answered,
                                    cairn_runner_track_data (self->runner, remove_done_cb, data,
                                                             (GDestroyNotify) remove_data_free));
}

static void
on_remove_clicked_cb (GtkButton         *button,
                      CairnSecurityPage *self)
{
  const char *name = g_object_get_data (G_OBJECT (button), "cairn-user-name");
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));
  g_autofree char *heading = g_strdup_printf (_("Remove %s?"), name);
  AdwMessageDialog *dialog;
  RemoveData *data;

  dialog = ADW_MESSAGE_DIALOG (adw_message_dialog_new (GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL,
                                                       heading,
                                                       _("Their passphrase will no longer open the vault. "
                                                         "What they entered stays, with their name on it.")));
  adw_message_dialog_add_responses (dialog, "cancel", _("_Cancel"), "remove", _("_Remove"), NULL);
  adw_message_dialog_set_response_appearance (dialog, "remove", ADW_RESPONSE_DESTRUCTIVE);
  adw_message_dialog_set_default_response (dialog, "cancel");
  adw_message_dialog_set_close_response (dialog, "cancel");

  data = g_new0 (RemoveData, 1);
  data->self = g_object_ref (self);
  data->name = g_strdup (name);
  g_signal_connect (dialog, "response", G_CALLBACK (on_remove_response_cb), data);
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
cairn_security_page_sync_users (CairnSecurityPage *self)
{
  CairnVault *vault = page_vault (self);
  g_autoptr(GPtrArray) users = NULL;
  const CairnKeyringUser *me;

  for (guint i = 0; i < self->user_rows->len; i++)
    adw_preferences_group_remove (self->users_group, g_ptr_array_index (self->user_rows, i));
  g_ptr_array_set_size (self->user_rows, 0);

  if (vault == NULL)
    return;

  me = cairn_vault_get_user (vault);
  users = cairn_vault_get_users (vault);
  for (guint i = 0; i < users->len; i++)
    {
      const CairnKeyringUser *user = g_ptr_array_index (users, i);
      GtkWidget *row = adw_action_row_new ();
      gboolean is_me = me != NULL && g_strcmp0 (me->name, user->name) == 0;
      const char *role = user->role == CAIRN_ROLE_CLINICIAN ? _("Clinician") : _("Front desk");
      g_autofree char *subtitle = is_me ? g_strdup_printf (_("%s · you"), role) : g_strdup (role);

      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), user->name);
      adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
      adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);
      if (!is_me)
        {
          GtkWidget *remove = gtk_button_new_from_icon_name ("user-trash-symbolic");
          g_autofree char *label = g_strdup_printf (_("Remove %s"), user->name);

          gtk_widget_set_valign (remove, GTK_ALIGN_CENTER);
          gtk_widget_set_tooltip_text (remove, _("Remove"));
          gtk_accessible_update_property (GTK_ACCESSIBLE (remove), GTK_ACCESSIBLE_PROPERTY_LABEL, label, -1);
          gtk_widget_add_css_class (remove, "flat");
          g_object_set_data_full (G_OBJECT (remove), "cairn-user-name", g_strdup (user->name), g_free);
          g_signal_connect_object (remove, "clicked", G_CALLBACK (on_remove_clicked_cb), self, 0);
          adw_action_row_add_suffix (ADW_ACTION_ROW (row), remove);
        }
      adw_preferences_group_add (self->users_group, row);
      g_ptr_array_add (self->user_rows, row);
    }
}

/* ------------------------------------------------------------------------ */
/* Recovery key                                                              */

static void
show_new_recovery_key (Form     *form,
                       gpointer  result)
{
  char *key = result;
  g_auto(GStrv) groups = g_strsplit (key, "-", -1);
  g_autofree char *shown = g_strjoinv (" ", groups);
  GtkWidget *label = gtk_label_new (shown);
  g_autoptr(GList) rows = g_hash_table_get_values (form->rows);

  wipe_string (key);
  sodium_memzero (shown, strlen (shown));

  /* The form becomes the key, shown once. The rows are hidden rather than
   * removed: libadwaita 1.2 trips over an entry row destroyed while focused. */
  gtk_widget_grab_focus (GTK_WIDGET (form->cancel));
  for (GList *l = rows; l != NULL; l = l->next)
    gtk_widget_set_visible (l->data, FALSE);
  adw_preferences_group_set_description (form->group,
                                         _("This is the new recovery key; the old one no longer works. "
                                           "Write it down and keep it somewhere safe. Cairn will not show it "
                                           "again."));
  gtk_label_set_selectable (GTK_LABEL (label), TRUE);
  gtk_label_set_wrap (GTK_LABEL (label), TRUE);
  gtk_label_set_justify (GTK_LABEL (label), GTK_JUSTIFY_CENTER);
  gtk_widget_add_css_class (label, "recovery-key");
  gtk_widget_add_css_class (label, "card");
  adw_preferences_group_add (form->group, label);
  gtk_label_select_region (GTK_LABEL (label), 0, 0);

  gtk_widget_set_visible (GTK_WIDGET (form->action), FALSE);
  gtk_button_set_label (form->cancel, _("_Done"));
}

static void
recovery_key_done (Form     *form,
                   gpointer  result)
{
  show_new_recovery_key (form, result);
  page_toast (form->page, _("The recovery key was replaced"));
}

static void
rekey_done (Form     *form,
            gpointer  result)
{
  show_new_recovery_key (form, result);
  cairn_security_page_sync_users (form->page);
  page_toast (form->page, _("The vault has new keys"));
}

static gboolean
passphrase_entered (Form *form)
{
  if (*form_text (form, _("Your passphrase")) == '\0')
    {
      form_show_error (form, _("Enter your passphrase."));
      return FALSE;
    }
  return TRUE;
}

static gboolean
recovery_key_validate (Form *form)
{
  if (!passphrase_entered (form))
    return FALSE;
  cairn_security_recovery_key_async (page_vault (form->page), form_text (form, _("Your passphrase")),
                                     form_cancellable (form), cairn_runner_answered,
                                     form_track (form, finish_key));
  return TRUE;
}

static gboolean
rekey_validate (Form *form)
{
  if (!passphrase_entered (form))
    return FALSE;
  cairn_security_rekey_async (page_vault (form->page), form_text (form, _("Your passphrase")), NULL,
                              form_cancellable (form), cairn_runner_answered, form_track (form, finish_key));
  return TRUE;
}

static void
on_rekey_activated_cb (CairnSecurityPage *self)
{
  Form *form = form_new (self, _("Re-key Vault"), _("_Re-key"),
                         _("Re-keying gives the vault new keys, for when someone who could open it may "
                           "have kept a copy of the vault folder. Everyone else’s passphrase stops "
                           "working: add them again afterwards. A new recovery key replaces the old one. "
                           "Enter your passphrase to go on."));
  GtkWidget *first = form_add_entry (form, _("Your passphrase"), TRUE);

  form->validate = rekey_validate;
  form->done = rekey_done;
  form_present (form, first);
}

static void
offer_rekey (gpointer user_data)
{
  CairnSecurityPage *self = user_data;

  if (page_vault (self) != NULL)
    on_rekey_activated_cb (self);
}

static void
on_recovery_key_activated_cb (CairnSecurityPage *self)
{
  Form *form = form_new (self, _("Replace Recovery Key"), _("_Replace"),
                         _("A new recovery key replaces the old one, which stops working. Enter your "
                           "passphrase to go on."));

  GtkWidget *first = form_add_entry (form, _("Your passphrase"), TRUE);

  form->validate = recovery_key_validate;
  form->done = recovery_key_done;
  form_present (form, first);
}

/* ------------------------------------------------------------------------ */
/* Automatic lock                                                            */

static guint
lock_index_for_seconds (guint seconds)
{
  guint best = 0;

  for (guint i = 0; i < G_N_ELEMENTS (cairn_security_page_lock_minutes); i++)
    if (cairn_security_page_lock_minutes[i] * 60 <= seconds)
      best = i;
  return best;
}

static void
auto_lock_done_cb (GObject      *source,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  CairnSecurityPage *self = user_data;
  g_autoptr(GError) error = NULL;
  CairnVault *vault = CAIRN_VAULT (source);

  if (!cairn_security_change_finish (vault, result, &error))
    page_toast (self, error->message);

  /* Show what the vault holds, whether or not the change went through. */
  if (page_vault (self) == vault)
    {
      guint seconds = cairn_vault_get_auto_lock_seconds (vault);

      self->syncing = TRUE;
      adw_combo_row_set_selected (self->lock_row, lock_index_for_seconds (seconds));
      self->syncing = FALSE;
      cairn_context_set_auto_lock_seconds (self->context, seconds);
    }
}

static void
on_lock_selected_cb (CairnSecurityPage *self)
{
  guint index = adw_combo_row_get_selected (self->lock_row);

  if (self->syncing || page_vault (self) == NULL || index >= G_N_ELEMENTS (cairn_security_page_lock_minutes))
    return;
  cairn_security_set_auto_lock_async (page_vault (self), cairn_security_page_lock_minutes[index] * 60,
                                      cairn_runner_get_cancellable (self->runner), cairn_runner_answered,
                                      cairn_runner_track (self->runner, auto_lock_done_cb, self));
}

/* ------------------------------------------------------------------------ */

static GtkWidget *
add_button_row (AdwPreferencesGroup *group,
                const char          *title,
                const char          *subtitle,
                GCallback            callback,
                gpointer             data)
{
  GtkWidget *row = adw_action_row_new ();

  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
  adw_preferences_row_set_use_underline (ADW_PREFERENCES_ROW (row), TRUE);
  if (subtitle != NULL)
    adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);
  gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (row), TRUE);
  adw_action_row_add_suffix (ADW_ACTION_ROW (row), gtk_image_new_from_icon_name ("go-next-symbolic"));
  g_signal_connect_object (row, "activated", callback, data, G_CONNECT_SWAPPED);
  adw_preferences_group_add (group, row);
  return row;
}

static void
cairn_security_page_constructed (GObject *object)
{
  CairnSecurityPage *self = CAIRN_SECURITY_PAGE (object);
  CairnVault *vault = page_vault (self);
  const CairnKeyringUser *me = vault != NULL ? cairn_vault_get_user (vault) : NULL;
  AdwPreferencesGroup *group;
  g_autofree char *signed_in = NULL;

  G_OBJECT_CLASS (cairn_security_page_parent_class)->constructed (object);

  adw_preferences_page_set_name (ADW_PREFERENCES_PAGE (self), "security");
  adw_preferences_page_set_title (ADW_PREFERENCES_PAGE (self), _("Security"));
  adw_preferences_page_set_icon_name (ADW_PREFERENCES_PAGE (self), "channel-secure-symbolic");

  if (vault == NULL || me == NULL)
    return;

  group = ADW_PREFERENCES_GROUP (adw_preferences_group_new ());
  adw_preferences_group_set_title (group, _("Your Passphrase"));
  signed_in = g_strdup_printf (_("Unlocked by %s."), me->name);
  adw_preferences_group_set_description (group, signed_in);
  add_button_row (group, _("_Change Passphrase…"), NULL, G_CALLBACK (on_change_passphrase_activated_cb), self);
  adw_preferences_page_add (ADW_PREFERENCES_PAGE (self), group);

  /* What only a clinician may change is not shown to anyone else. */
  if (!cairn_vault_has_clinical (vault))
    return;

  self->users_group = ADW_PREFERENCES_GROUP (adw_preferences_group_new ());
  adw_preferences_group_set_title (self->users_group, _("Users"));
  adw_preferences_group_set_description (self->users_group,
                                         _("Everyone who can unlock Cairn on this computer. A front-desk user "
                                           "has no key to clinical records."));
  {
    GtkWidget *add = gtk_button_new_from_icon_name ("list-add-symbolic");

    gtk_widget_set_tooltip_text (add, _("Add User…"));
    gtk_accessible_update_property (GTK_ACCESSIBLE (add), GTK_ACCESSIBLE_PROPERTY_LABEL, _("Add User…"), -1);
    gtk_widget_add_css_class (add, "flat");
    g_signal_connect_object (add, "clicked", G_CALLBACK (on_add_user_activated_cb), self, G_CONNECT_SWAPPED);
    adw_preferences_group_set_header_suffix (self->users_group, add);
  }
  adw_preferences_page_add (ADW_PREFERENCES_PAGE (self), self->users_group);
  cairn_security_page_sync_users (self);

  group = ADW_PREFERENCES_GROUP (adw_preferences_group_new ());
  adw_preferences_group_set_title (group, _("Automatic Lock"));
  adw_preferences_group_set_description (group, _("Cairn locks itself when nobody has used it for this "
                                                  "long, and whenever the screen locks. This applies to "
                                                  "everyone who uses this vault."));
  {
    g_autoptr(GtkStringList) choices = gtk_string_list_new (NULL);

    for (guint i = 0; i < G_N_ELEMENTS (cairn_security_page_lock_minutes); i++)
      {
        g_autofree char *text = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u minute", "%u minutes",
                                                              cairn_security_page_lock_minutes[i]),
                                                 cairn_security_page_lock_minutes[i]);

        gtk_string_list_append (choices, text);
      }
    self->lock_row = ADW_COMBO_ROW (adw_combo_row_new ());
    adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self->lock_row), _("Lock after"));
    adw_combo_row_set_model (self->lock_row, G_LIST_MODEL (choices));
    self->syncing = TRUE;
    adw_combo_row_set_selected (self->lock_row, lock_index_for_seconds (cairn_vault_get_auto_lock_seconds (vault)));
    self->syncing = FALSE;
    g_signal_connect_object (self->lock_row, "notify::selected", G_CALLBACK (on_lock_selected_cb), self,
                             G_CONNECT_SWAPPED);
    adw_preferences_group_add (group, GTK_WIDGET (self->lock_row));
  }
  adw_preferences_page_add (ADW_PREFERENCES_PAGE (self), group);

  group = ADW_PREFERENCES_GROUP (adw_preferences_group_new ());
  adw_preferences_group_set_title (group, _("Recovery Key"));
  adw_preferences_group_set_description (group, _("The recovery key opens the vault when every passphrase is "
                                                  "forgotten. Replace it if it may have been seen or lost."));
  add_button_row (group, _("_Replace Recovery Key…"), NULL, G_CALLBACK (on_recovery_key_activated_cb), self);
  adw_preferences_page_add (ADW_PREFERENCES_PAGE (self), group);

  group = ADW_PREFERENCES_GROUP (adw_preferences_group_new ());
  adw_preferences_group_set_title (group, _("Keys"));
  add_button_row (group, _("Re-_key Vault…"),
                  _("New keys for the whole vault, after someone who could open it has left"),
                  G_CALLBACK (on_rekey_activated_cb), self);
  adw_preferences_page_add (ADW_PREFERENCES_PAGE (self), group);
}

static void
cairn_security_page_dispose (GObject *object)
{
  CairnSecurityPage *self = CAIRN_SECURITY_PAGE (object);

  g_clear_object (&self->runner);
  g_clear_object (&self->context);
  g_clear_pointer (&self->user_rows, g_ptr_array_unref);
  /* libadwaita 1.2 lets a toast's timeout fire after its window was
   * destroyed (when Cairn locks, say). */
  if (self->toaster != NULL)
    cairn_toaster_dismiss (self->toaster);
  g_clear_object (&self->toaster);

  G_OBJECT_CLASS (cairn_security_page_parent_class)->dispose (object);
}

static void
cairn_security_page_set_property (GObject      *object,
                                  guint         prop_id,
                                  const GValue *value,
                                  GParamSpec   *pspec)
{
  CairnSecurityPage *self = CAIRN_SECURITY_PAGE (object);

  switch (prop_id)
    {
    case PROP_CONTEXT:
      self->context = g_value_dup_object (value);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
cairn_security_page_class_init (CairnSecurityPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->constructed = cairn_security_page_constructed;
  object_class->dispose = cairn_security_page_dispose;
  object_class->set_property = cairn_security_page_set_property;

  properties[PROP_CONTEXT] =
    g_param_spec_object ("context", NULL, NULL, CAIRN_TYPE_CONTEXT,
                         G_PARAM_WRITABLE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
cairn_security_page_init (CairnSecurityPage *self)
{
  self->runner = cairn_runner_new ();
  self->user_rows = g_ptr_array_new ();
  self->toaster = cairn_toaster_new (GTK_WIDGET (self));
}

/**
 * cairn_security_page_new:
 * @context: the context, holding the unlocked vault
 *
 * Returns: (transfer floating): the page
 */
CairnSecurityPage *
cairn_security_page_new (CairnContext     *context)
{
  g_return_val_if_fail (CAIRN_IS_CONTEXT (context), NULL);

  return g_object_new (CAIRN_TYPE_SECURITY_PAGE, "context", context, NULL);
}
