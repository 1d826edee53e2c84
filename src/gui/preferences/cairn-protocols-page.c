/* cairn-protocols-page.c
 *
 * Preferences → Protocols: the protocol templates the practice may work
 * with, which one it does, and its own templates to edit. Clinicians only:
 * the preferences window does not add the page for the front desk.
 *
 * A template that comes with Cairn can be chosen, duplicated and exported;
 * one of the practice's own can also be edited (in CairnProtocolEditor)
 * and archived, unless it is the one in use. A template file can be
 * imported; a file Cairn cannot read is refused with the problem, naming
 * the field at fault. Every read and write (files too) runs on the
 * vault's worker as an _async pair of cairn-settings-screen.c, started
 * with the page's CairnRunner, one transaction with its audit entry per
 * action. When Cairn locks, the window closes; until it does, the page
 * shows nothing from the vault.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "cairn-preferences"

#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "cairn-protocol-editor.h"
#include "cairn-protocols-page.h"
#include "cairn-runner.h"
#include "cairn-settings-screen.h"
#include "cairn-toaster.h"

struct _CairnProtocolsPage
{
  AdwPreferencesPage   parent_instance;

  CairnContext        *context;
  CairnRunner         *runner;
  CairnToaster        *toaster;
  GPtrArray           *rows;           /* one per template */
  GHashTable          *expanded;       /* ids of the rows left open */
  GtkNativeDialog     *chooser;

  /* Template widgets */
  GtkWidget           *import_button;
  GtkLabel            *problem_label;
  AdwPreferencesGroup *templates_group;
};

G_DEFINE_FINAL_TYPE (CairnProtocolsPage, cairn_protocols_page, ADW_TYPE_PREFERENCES_PAGE)

enum {
  PROP_0,
  PROP_CONTEXT,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void cairn_protocols_page_load (CairnProtocolsPage *self);

static CairnVault *
page_vault (CairnProtocolsPage *self)
{
  return cairn_context_get_vault (self->context);
}

/* Toasts go to the preferences window; see cairn-toaster.c. */
static void
page_toast (CairnProtocolsPage *self,
            const char         *text)
{
  cairn_toaster_say (self->toaster, text);
}

/* A problem under the list; %NULL hides it. */
static void
show_problem (CairnProtocolsPage *self,
              const char         *message)
{
  gtk_label_set_text (self->problem_label, message != NULL ? message : "");
  gtk_widget_set_visible (GTK_WIDGET (self->problem_label), message != NULL);
}

/* ------------------------------------------------------------------------ */
/* Actions, run on the vault's worker                                        */

typedef enum
{
  ACTION_LIST,
  ACTION_USE,
  ACTION_DUPLICATE,
  ACTION_ARCHIVE,
  ACTION_EDIT,
  ACTION_EXPORT,
  ACTION_WRITE,
  ACTION_IMPORT,
} ActionKind;

/* One action, and what its answer needs to say what became of it. */
typedef struct
{
  CairnProtocolsPage *self;
  ActionKind          kind;
  char               *id;
  char               *name;       /* the template's name, as shown */
  GFile              *file;       /* the file imported or exported */
  CairnProtocol      *protocol;   /* ACTION_WRITE */
} Action;

/* What an action answered. */
typedef struct
{
  GPtrArray     *list;        /* ACTION_LIST */
  char          *new_id;      /* ACTION_DUPLICATE, ACTION_IMPORT */
  CairnProtocol *protocol;    /* ACTION_EDIT, ACTION_EXPORT, ACTION_IMPORT */
} Result;

static void
action_free (Action *action)
{
  g_clear_object (&action->self);
  g_free (action->id);
  g_free (action->name);
  g_clear_object (&action->file);
  g_clear_pointer (&action->protocol, cairn_protocol_unref);
  g_free (action);
}

static Action *
action_new (CairnProtocolsPage *self,
            ActionKind          kind,
            const char         *id,
            const char         *name)
{
  Action *action = g_new0 (Action, 1);

  action->self = g_object_ref (self);
  action->kind = kind;
  action->id = g_strdup (id);
  action->name = g_strdup (name);
  return action;
}

static void action_done_cb (GObject      *source,
                            GAsyncResult *result,
                            gpointer      user_data);

/* Takes @action. */
static void
action_run (Action *action)
{
  CairnProtocolsPage *self = action->self;
  CairnVault *vault = page_vault (self);
  GCancellable *cancellable = cairn_runner_get_cancellable (self->runner);
  gpointer pending;

  if (vault == NULL)
    {
      action_free (action);
      return;
    }
  pending = cairn_runner_track_data (self->runner, action_done_cb, action, (GDestroyNotify) action_free);
  switch (action->kind)
    {
    case ACTION_LIST:
      cairn_protocols_screen_load_async (vault, cancellable, cairn_runner_answered, pending);
      break;
    case ACTION_USE:
      cairn_protocols_use_async (vault, action->id, cancellable, cairn_runner_answered, pending);
      break;
    case ACTION_DUPLICATE:
      cairn_protocols_duplicate_async (vault, action->id, cancellable, cairn_runner_answered, pending);
      break;
    case ACTION_ARCHIVE:
      cairn_protocols_archive_async (vault, action->id, cancellable, cairn_runner_answered, pending);
      break;
    case ACTION_EDIT:
    case ACTION_EXPORT:
      cairn_protocols_open_async (vault, action->id, cancellable, cairn_runner_answered, pending);
      break;
    case ACTION_WRITE:
      cairn_protocols_export_async (vault, action->protocol, action->file, cancellable, cairn_runner_answered,
                                    pending);
      break;
    case ACTION_IMPORT:
      cairn_protocols_import_async (vault, action->file, cancellable, cairn_runner_answered, pending);
      break;
    default:
      g_assert_not_reached ();
    }
}

/* ------------------------------------------------------------------------ */
/* The list                                                                  */

static void on_use_clicked_cb       (GtkButton          *button,
                                     CairnProtocolsPage *self);
static void on_duplicate_clicked_cb (GtkButton          *button,
                                     CairnProtocolsPage *self);
static void on_edit_clicked_cb      (GtkButton          *button,
                                     CairnProtocolsPage *self);
static void on_export_clicked_cb    (GtkButton          *button,
                                     CairnProtocolsPage *self);
static void on_archive_clicked_cb   (GtkButton          *button,
                                     CairnProtocolsPage *self);

static void
on_row_expanded_cb (AdwExpanderRow     *row,
                    GParamSpec         *pspec,
                    CairnProtocolsPage *self)
{
  const char *id = g_object_get_data (G_OBJECT (row), "cairn-protocol-id");

  if (adw_expander_row_get_expanded (row))
    g_hash_table_add (self->expanded, g_strdup (id));
  else
    g_hash_table_remove (self->expanded, id);
}

static void
add_button (GtkWidget          *box,
            GtkWidget          *row,
            const char         *label,
            const char         *style,
            GCallback           callback,
            CairnProtocolsPage *self)
{
  GtkWidget *button = gtk_button_new_with_mnemonic (label);

  if (style != NULL)
    gtk_widget_add_css_class (button, style);
  g_object_set_data (G_OBJECT (button), "cairn-row", row);
  g_signal_connect_object (button, "clicked", callback, self, 0);
  gtk_flow_box_append (GTK_FLOW_BOX (box), button);
}

static GtkWidget *
template_row_new (CairnProtocolsPage      *self,
                  const CairnProtocolInfo *info)
{
  GtkWidget *row = adw_expander_row_new ();
  GtkWidget *buttons = gtk_flow_box_new ();
  g_autofree char *subtitle = NULL;
  const char *origin;

  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), info->name);
  if (info->active)
    origin = _("In use");
  else if (info->shipped)
    origin = _("Comes with Cairn");
  else
    origin = _("The practice’s own");
  /* Translators: where a protocol template stands, then its medicine, as in "In use · MDMA" */
  subtitle = *info->medicine != '\0' ? g_strdup_printf (_("%s · %s"), origin, info->medicine)
                                     : g_strdup (origin);
  adw_expander_row_set_subtitle (ADW_EXPANDER_ROW (row), subtitle);
  if (info->active)
    {
      GtkWidget *mark = gtk_image_new_from_icon_name ("object-select-symbolic");

      gtk_accessible_update_property (GTK_ACCESSIBLE (mark), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                      _("In use"), -1);
      adw_expander_row_add_prefix (ADW_EXPANDER_ROW (row), mark);
    }

  g_object_set_data_full (G_OBJECT (row), "cairn-protocol-id", g_strdup (info->id), g_free);
  g_object_set_data_full (G_OBJECT (row), "cairn-protocol-name", g_strdup (info->name), g_free);

  /* What can be done with it, wrapping onto more lines when narrow. */
  gtk_flow_box_set_selection_mode (GTK_FLOW_BOX (buttons), GTK_SELECTION_NONE);
  gtk_flow_box_set_column_spacing (GTK_FLOW_BOX (buttons), 6);
  gtk_flow_box_set_row_spacing (GTK_FLOW_BOX (buttons), 6);
  gtk_flow_box_set_max_children_per_line (GTK_FLOW_BOX (buttons), 5);
  gtk_widget_set_margin_start (buttons, 12);
  gtk_widget_set_margin_end (buttons, 12);
  gtk_widget_set_margin_top (buttons, 12);
  gtk_widget_set_margin_bottom (buttons, 12);
  if (!info->active)
    add_button (buttons, row, _("_Use This Template"), "suggested-action",
                G_CALLBACK (on_use_clicked_cb), self);
  if (!info->shipped)
    add_button (buttons, row, _("_Edit…"), NULL, G_CALLBACK (on_edit_clicked_cb), self);
  add_button (buttons, row, _("_Duplicate"), NULL, G_CALLBACK (on_duplicate_clicked_cb), self);
  add_button (buttons, row, _("E_xport…"), NULL, G_CALLBACK (on_export_clicked_cb), self);
  if (!info->shipped && !info->active)
    add_button (buttons, row, _("_Archive"), "destructive-action",
                G_CALLBACK (on_archive_clicked_cb), self);
  adw_expander_row_add_row (ADW_EXPANDER_ROW (row), buttons);

  adw_expander_row_set_expanded (ADW_EXPANDER_ROW (row),
                                 g_hash_table_contains (self->expanded, info->id));
  g_signal_connect_object (row, "notify::expanded", G_CALLBACK (on_row_expanded_cb), self, 0);
  return row;
}

static void
show_list (CairnProtocolsPage *self,
           GPtrArray          *list)
{
  for (guint i = 0; i < self->rows->len; i++)
    adw_preferences_group_remove (self->templates_group, g_ptr_array_index (self->rows, i));
  g_ptr_array_set_size (self->rows, 0);

  for (guint i = 0; list != NULL && i < list->len; i++)
    {
      GtkWidget *row = template_row_new (self, g_ptr_array_index (list, i));

      adw_preferences_group_add (self->templates_group, row);
      g_ptr_array_add (self->rows, row);
    }
}

static void
cairn_protocols_page_load (CairnProtocolsPage *self)
{
  action_run (action_new (self, ACTION_LIST, NULL, NULL));
}

/* ------------------------------------------------------------------------ */
/* Answers                                                                   */

static void on_editor_saved_cb (CairnProtocolEditor *editor,
                                const char          *name,
                                CairnProtocolsPage  *self);
static void export_to_chooser  (CairnProtocolsPage  *self,
                                CairnProtocol       *protocol);

static void
write_template (CairnProtocolsPage *self,
                CairnProtocol      *protocol,
                GFile              *file)
{
  Action *action = action_new (self, ACTION_WRITE, NULL, NULL);

  action->protocol = cairn_protocol_ref (protocol);
  action->file = g_object_ref (file);
  action_run (action);
}

static void
action_done (CairnProtocolsPage *self,
             Action             *action,
             Result             *result)
{
  g_autofree char *message = NULL;
  CairnProtocolEditor *editor;
  GtkRoot *root;

  switch (action->kind)
    {
    case ACTION_LIST:
      show_list (self, result->list);
      return;

    case ACTION_USE:
      /* Everything that plans or checks against the template follows. */
      cairn_context_reload_protocol (self->context);
      message = g_strdup_printf (_("The practice now works with “%s”"), action->name);
      break;

    case ACTION_DUPLICATE:
      /* The copy is what the person wants to see next. */
      g_hash_table_add (self->expanded, g_strdup (result->new_id));
      message = g_strdup_printf (_("“%s” duplicated"), action->name);
      break;

    case ACTION_ARCHIVE:
      message = g_strdup_printf (_("“%s” archived"), action->name);
      break;

    case ACTION_EDIT:
      root = gtk_widget_get_root (GTK_WIDGET (self));
      editor = cairn_protocol_editor_new (GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL,
                                          self->context, result->protocol);
      g_signal_connect_object (editor, "saved", G_CALLBACK (on_editor_saved_cb), self, 0);
      gtk_window_present (GTK_WINDOW (editor));
      return;

    case ACTION_EXPORT:
      if (action->file != NULL)
        write_template (self, result->protocol, action->file);
      else
        export_to_chooser (self, result->protocol);
      return;

    case ACTION_WRITE:
      {
        g_autofree char *name = g_file_get_basename (action->file);

        message = g_strdup_printf (_("Exported to “%s”"), name);
        page_toast (self, message);
      }
      return;

    case ACTION_IMPORT:
      g_hash_table_add (self->expanded, g_strdup (cairn_protocol_get_id (result->protocol)));
      message = g_strdup_printf (_("“%s” imported"), cairn_protocol_get_name (result->protocol));
      break;

    default:
      g_assert_not_reached ();
    }

  page_toast (self, message);
  cairn_protocols_page_load (self);
}

static void
action_failed (CairnProtocolsPage *self,
               Action             *action,
               const char         *problem)
{
  g_autofree char *message = NULL;
  g_autofree char *file = action->file != NULL ? g_file_get_basename (action->file) : NULL;

  switch (action->kind)
    {
    case ACTION_LIST:
      message = g_strdup_printf (_("The protocol templates could not be read: %s"), problem);
      break;

    case ACTION_IMPORT:
      /* Translators: a file's name, then what is wrong with the template in it */
      message = g_strdup_printf (_("“%s” cannot be imported: %s"), file, problem);
      break;

    case ACTION_WRITE:
      message = g_strdup_printf (_("The template could not be exported: %s"), problem);
      break;

    case ACTION_USE:
    case ACTION_DUPLICATE:
    case ACTION_ARCHIVE:
    case ACTION_EDIT:
    case ACTION_EXPORT:
    default:
      message = g_strdup (problem);
      break;
    }
  show_problem (self, message);
}

static void
action_done_cb (GObject      *source,
                GAsyncResult *res,
                gpointer      user_data)
{
  Action *action = user_data;
  CairnVault *vault = CAIRN_VAULT (source);
  g_autoptr(GError) error = NULL;
  g_autoptr(CairnProtocolsScreen) screen = NULL;
  g_autofree char *new_id = NULL;
  g_autoptr(CairnProtocol) protocol = NULL;
  Result result = { NULL, NULL, NULL };
  gboolean ok;

  switch (action->kind)
    {
    case ACTION_LIST:
      screen = cairn_protocols_screen_load_finish (vault, res, &error);
      ok = screen != NULL;
      result.list = ok ? screen->templates : NULL;
      break;
    case ACTION_DUPLICATE:
      ok = (result.new_id = new_id = cairn_protocols_duplicate_finish (vault, res, &error)) != NULL;
      break;
    case ACTION_EDIT:
    case ACTION_EXPORT:
    case ACTION_IMPORT:
      ok = (result.protocol = protocol = cairn_protocols_template_finish (vault, res, &error)) != NULL;
      break;
    case ACTION_USE:
    case ACTION_ARCHIVE:
    case ACTION_WRITE:
    default:
      ok = cairn_protocols_change_finish (vault, res, &error);
      break;
    }

  if (ok)
    action_done (action->self, action, &result);
  else
    action_failed (action->self, action, error->message);
}

/* ------------------------------------------------------------------------ */
/* Buttons                                                                   */

static Action *
row_action (CairnProtocolsPage *self,
            GtkButton          *button,
            ActionKind          kind)
{
  GtkWidget *row = g_object_get_data (G_OBJECT (button), "cairn-row");

  show_problem (self, NULL);
  return action_new (self, kind, g_object_get_data (G_OBJECT (row), "cairn-protocol-id"),
                     g_object_get_data (G_OBJECT (row), "cairn-protocol-name"));
}

static void
on_use_clicked_cb (GtkButton          *button,
                   CairnProtocolsPage *self)
{
  action_run (row_action (self, button, ACTION_USE));
}

static void
on_duplicate_clicked_cb (GtkButton          *button,
                         CairnProtocolsPage *self)
{
  action_run (row_action (self, button, ACTION_DUPLICATE));
}

static void
on_edit_clicked_cb (GtkButton          *button,
                    CairnProtocolsPage *self)
{
  action_run (row_action (self, button, ACTION_EDIT));
}

static void
on_export_clicked_cb (GtkButton          *button,
                      CairnProtocolsPage *self)
{
  action_run (row_action (self, button, ACTION_EXPORT));
}

static void
on_editor_saved_cb (CairnProtocolEditor *editor,
                    const char          *name,
                    CairnProtocolsPage  *self)
{
  g_autofree char *message = g_strdup_printf (_("“%s” saved"), name);

  /* It may be the template in use. */
  cairn_context_reload_protocol (self->context);
  page_toast (self, message);
  cairn_protocols_page_load (self);
}

static void
on_archive_response_cb (AdwMessageDialog *dialog,
                        const char       *response,
                        Action           *action)
{
  if (g_strcmp0 (response, "archive") == 0)
    {
      action_run (action);
      return;
    }
  action_free (action);
}

static void
on_archive_clicked_cb (GtkButton          *button,
                       CairnProtocolsPage *self)
{
  Action *action = row_action (self, button, ACTION_ARCHIVE);
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));
  g_autofree char *heading = g_strdup_printf (_("Archive “%s”?"), action->name);
  AdwMessageDialog *dialog;

  dialog = ADW_MESSAGE_DIALOG (adw_message_dialog_new (GTK_IS_WINDOW (root) ? GTK_WINDOW (root)
                                                                           : NULL,
                                                       heading,
                                                       _("It is no longer listed and cannot be "
                                                         "chosen. Courses planned with it keep "
                                                         "their appointments.")));
  adw_message_dialog_add_responses (dialog, "cancel", _("_Cancel"), "archive", _("_Archive"), NULL);
  adw_message_dialog_set_response_appearance (dialog, "archive", ADW_RESPONSE_DESTRUCTIVE);
  adw_message_dialog_set_default_response (dialog, "cancel");
  adw_message_dialog_set_close_response (dialog, "cancel");
  g_signal_connect (dialog, "response", G_CALLBACK (on_archive_response_cb), action);
  gtk_window_present (GTK_WINDOW (dialog));
}

/* ------------------------------------------------------------------------ */
/* Files                                                                     */

static GtkFileFilter *
json_filter (void)
{
  GtkFileFilter *filter = gtk_file_filter_new ();

  gtk_file_filter_set_name (filter, _("Protocol templates (JSON)"));
  gtk_file_filter_add_pattern (filter, "*.json");
  gtk_file_filter_add_mime_type (filter, "application/json");
  return filter;
}

static void
on_export_response_cb (GtkNativeDialog    *chooser,
                       int                 response,
                       CairnProtocolsPage *self)
{
  CairnProtocol *protocol = g_object_get_data (G_OBJECT (chooser), "cairn-protocol");
  g_autoptr(GFile) file = NULL;

  if (response == GTK_RESPONSE_ACCEPT && page_vault (self) != NULL)
    {
      file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (chooser));
      if (file != NULL)
        write_template (self, protocol, file);
    }
  if (self->chooser == chooser)
    g_clear_object (&self->chooser);
}

static void
export_to_chooser (CairnProtocolsPage *self,
                   CairnProtocol      *protocol)
{
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));
  GtkFileChooserNative *chooser;
  g_autofree char *name = g_strconcat (cairn_protocol_get_id (protocol), ".json", NULL);
  g_autoptr(GtkFileFilter) filter = json_filter ();

  chooser = gtk_file_chooser_native_new (_("Export Protocol Template"),
                                         GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL,
                                         GTK_FILE_CHOOSER_ACTION_SAVE, _("_Export"), _("_Cancel"));
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (chooser), TRUE);
  gtk_file_chooser_set_current_name (GTK_FILE_CHOOSER (chooser), name);
  gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (chooser), filter);
  g_object_set_data_full (G_OBJECT (chooser), "cairn-protocol", cairn_protocol_ref (protocol),
                          (GDestroyNotify) cairn_protocol_unref);
  g_signal_connect_object (chooser, "response", G_CALLBACK (on_export_response_cb), self, 0);
  g_clear_object (&self->chooser);
  self->chooser = GTK_NATIVE_DIALOG (chooser);
  gtk_native_dialog_show (self->chooser);
}

/**
 * cairn_protocols_page_export_file:
 * @self: the page
 * @id: a template's id
 * @file: where to write it
 *
 * Writes the template to @file, as Export does once a file is chosen.
 */
void
cairn_protocols_page_export_file (CairnProtocolsPage *self,
                                  const char         *id,
                                  GFile              *file)
{
  Action *action;

  g_return_if_fail (CAIRN_IS_PROTOCOLS_PAGE (self));
  g_return_if_fail (id != NULL);
  g_return_if_fail (G_IS_FILE (file));

  action = action_new (self, ACTION_EXPORT, id, NULL);
  action->file = g_object_ref (file);
  action_run (action);
}

/**
 * cairn_protocols_page_import_file:
 * @self: the page
 * @file: a template file
 *
 * Adds the template in @file as one of the practice's own, as Import does
 * once a file is chosen; a file Cairn cannot read is refused under the
 * list, with the field at fault.
 */
void
cairn_protocols_page_import_file (CairnProtocolsPage *self,
                                  GFile              *file)
{
  Action *action;

  g_return_if_fail (CAIRN_IS_PROTOCOLS_PAGE (self));
  g_return_if_fail (G_IS_FILE (file));

  show_problem (self, NULL);
  action = action_new (self, ACTION_IMPORT, NULL, NULL);
  action->file = g_object_ref (file);
  action_run (action);
}

static void
on_import_response_cb (GtkNativeDialog    *chooser,
                       int                 response,
                       CairnProtocolsPage *self)
{
  g_autoptr(GFile) file = NULL;

  if (response == GTK_RESPONSE_ACCEPT && page_vault (self) != NULL)
    {
      file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (chooser));
      if (file != NULL)
        cairn_protocols_page_import_file (self, file);
    }
  if (self->chooser == chooser)
    g_clear_object (&self->chooser);
}

static void
on_import_clicked_cb (CairnProtocolsPage *self)
{
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));
  GtkFileChooserNative *chooser;
  g_autoptr(GtkFileFilter) filter = json_filter ();

  chooser = gtk_file_chooser_native_new (_("Import Protocol Template"),
                                         GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL,
                                         GTK_FILE_CHOOSER_ACTION_OPEN, _("_Import"), _("_Cancel"));
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (chooser), TRUE);
  gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (chooser), filter);
  g_signal_connect_object (chooser, "response", G_CALLBACK (on_import_response_cb), self, 0);
  g_clear_object (&self->chooser);
  self->chooser = GTK_NATIVE_DIALOG (chooser);
  gtk_native_dialog_show (self->chooser);
}

/* ------------------------------------------------------------------------ */

static void
on_mapped_cb (CairnProtocolsPage *self)
{
  cairn_protocols_page_load (self);
}

/* Locked: nothing the vault held stays on the page. */
static void
on_vault_changed_cb (CairnProtocolsPage *self)
{
  if (page_vault (self) != NULL)
    return;
  cairn_runner_cancel (self->runner);
  if (self->chooser != NULL)
    gtk_native_dialog_destroy (self->chooser);
  g_clear_object (&self->chooser);
  show_list (self, NULL);
  show_problem (self, NULL);
}

static void
cairn_protocols_page_constructed (GObject *object)
{
  CairnProtocolsPage *self = CAIRN_PROTOCOLS_PAGE (object);

  G_OBJECT_CLASS (cairn_protocols_page_parent_class)->constructed (object);

  g_signal_connect_object (self->context, "notify::vault", G_CALLBACK (on_vault_changed_cb),
                           self, G_CONNECT_SWAPPED);
  /* Read when shown, and each time: nothing is read for a page never opened. */
  g_signal_connect (self, "map", G_CALLBACK (on_mapped_cb), NULL);
}

static void
cairn_protocols_page_dispose (GObject *object)
{
  CairnProtocolsPage *self = CAIRN_PROTOCOLS_PAGE (object);

  g_clear_object (&self->runner);
  if (self->chooser != NULL)
    gtk_native_dialog_destroy (self->chooser);
  g_clear_object (&self->chooser);
  /* libadwaita 1.2 lets a toast's timeout fire after its window was
   * destroyed (when Cairn locks, say). */
  if (self->toaster != NULL)
    cairn_toaster_dismiss (self->toaster);
  g_clear_object (&self->toaster);
  g_clear_pointer (&self->rows, g_ptr_array_unref);

  gtk_widget_dispose_template (GTK_WIDGET (self), CAIRN_TYPE_PROTOCOLS_PAGE);

  G_OBJECT_CLASS (cairn_protocols_page_parent_class)->dispose (object);
}

static void
cairn_protocols_page_finalize (GObject *object)
{
  CairnProtocolsPage *self = CAIRN_PROTOCOLS_PAGE (object);

  g_clear_object (&self->context);
  g_clear_pointer (&self->expanded, g_hash_table_unref);

  G_OBJECT_CLASS (cairn_protocols_page_parent_class)->finalize (object);
}

static void
cairn_protocols_page_set_property (GObject      *object,
                                   guint         prop_id,
                                   const GValue *value,
                                   GParamSpec   *pspec)
{
  CairnProtocolsPage *self = CAIRN_PROTOCOLS_PAGE (object);

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
cairn_protocols_page_class_init (CairnProtocolsPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->constructed = cairn_protocols_page_constructed;
  object_class->dispose = cairn_protocols_page_dispose;
  object_class->finalize = cairn_protocols_page_finalize;
  object_class->set_property = cairn_protocols_page_set_property;

  properties[PROP_CONTEXT] =
    g_param_spec_object ("context", NULL, NULL, CAIRN_TYPE_CONTEXT,
                         G_PARAM_WRITABLE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_template_from_resource (widget_class, RESOURCE_BASE_PATH
                                               "/preferences/cairn-protocols-page.ui");
  gtk_widget_class_bind_template_child (widget_class, CairnProtocolsPage, import_button);
  gtk_widget_class_bind_template_child (widget_class, CairnProtocolsPage, problem_label);
  gtk_widget_class_bind_template_child (widget_class, CairnProtocolsPage, templates_group);
  gtk_widget_class_bind_template_callback (widget_class, on_import_clicked_cb);
}

static void
cairn_protocols_page_init (CairnProtocolsPage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  self->toaster = cairn_toaster_new (GTK_WIDGET (self));

  self->runner = cairn_runner_new ();
  self->rows = g_ptr_array_new ();
  self->expanded = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
}

/**
 * cairn_protocols_page_new:
 * @context: the context, holding the unlocked vault of a clinician
 *
 * Returns: (transfer floating): the page
 */
CairnProtocolsPage *
cairn_protocols_page_new (CairnContext     *context)
{
  g_return_val_if_fail (CAIRN_IS_CONTEXT (context), NULL);

  return g_object_new (CAIRN_TYPE_PROTOCOLS_PAGE, "context", context, NULL);
}

/**
 * cairn_protocols_page_get_busy:
 * @self: the page
 *
 * Returns: whether the page is reading from or writing to the vault or a file
 */
gboolean
cairn_protocols_page_get_busy (CairnProtocolsPage *self)
{
  g_return_val_if_fail (CAIRN_IS_PROTOCOLS_PAGE (self), FALSE);

  return cairn_runner_get_n_running (self->runner) > 0;
}
