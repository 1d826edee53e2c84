/* cairn-screening-form.c
 *
 * A problem stands right under its field, in the same boxed list, and the
 * field is marked; a form dialog is a header bar with Cancel and one
 * action, above groups of rows. The owner of a dialog listens for
 * "submitted", runs the save on the vault's worker and closes the dialog
 * when it succeeds, or shows the problems the store gave.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "cairn-screening"

#include "config.h"

#include <glib/gi18n.h>

#include "cairn-patients.h"
#include "cairn-screening-form.h"

/* ------------------------------------------------------------------------ */
/* Field set                                                                 */

typedef struct
{
  char      *field;
  GtkWidget *widget;      /* the field itself, marked "error" */
  GtkWidget *line;        /* what is shown or hidden: a list row or the label */
  GtkLabel  *label;
} Field;

struct _CairnFieldSet
{
  GArray *fields;
};

static void
field_clear (Field *field)
{
  g_free (field->field);
}

CairnFieldSet *
cairn_field_set_new (void)
{
  CairnFieldSet *set = g_new0 (CairnFieldSet, 1);

  set->fields = g_array_new (FALSE, TRUE, sizeof (Field));
  g_array_set_clear_func (set->fields, (GDestroyNotify) field_clear);
  return set;
}

void
cairn_field_set_free (CairnFieldSet *set)
{
  if (set == NULL)
    return;
  g_array_unref (set->fields);
  g_free (set);
}

static GtkWidget *
problem_label_new (void)
{
  GtkWidget *label = gtk_label_new (NULL);

  gtk_label_set_wrap (GTK_LABEL (label), TRUE);
  gtk_label_set_xalign (GTK_LABEL (label), 0.0);
  gtk_widget_add_css_class (label, "error");
  gtk_widget_add_css_class (label, "caption");
  return label;
}

void
cairn_field_set_add_row (CairnFieldSet *set,
                         const char    *field,
                         GtkWidget     *row)
{
  GtkWidget *list = gtk_widget_get_parent (row);
  GtkWidget *label = problem_label_new ();
  GtkWidget *line = gtk_list_box_row_new ();
  Field f = { g_strdup (field), row, line, GTK_LABEL (label) };

  g_return_if_fail (set != NULL && field != NULL);
  g_return_if_fail (GTK_IS_LIST_BOX_ROW (row) && GTK_IS_LIST_BOX (list));

  gtk_list_box_row_set_child (GTK_LIST_BOX_ROW (line), label);
  gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (line), FALSE);
  gtk_list_box_row_set_selectable (GTK_LIST_BOX_ROW (line), FALSE);
  gtk_widget_set_focusable (line, FALSE);
  gtk_widget_set_visible (line, FALSE);
  gtk_widget_add_css_class (line, "field-problem");
  gtk_list_box_insert (GTK_LIST_BOX (list), line, gtk_list_box_row_get_index (GTK_LIST_BOX_ROW (row)) + 1);
  gtk_accessible_update_relation (GTK_ACCESSIBLE (row), GTK_ACCESSIBLE_RELATION_DESCRIBED_BY, label, NULL, -1);
  g_array_append_val (set->fields, f);
}

void
cairn_field_set_add_label (CairnFieldSet *set,
                           const char    *field,
                           GtkWidget     *widget,
                           GtkLabel      *label)
{
  Field f = { g_strdup (field), widget, GTK_WIDGET (label), label };

  g_return_if_fail (set != NULL && field != NULL && GTK_IS_LABEL (label));

  gtk_widget_set_visible (GTK_WIDGET (label), FALSE);
  g_array_append_val (set->fields, f);
}

static void
field_show (Field      *f,
            const char *message)
{
  gboolean shown = message != NULL && *message != '\0';

  gtk_label_set_text (f->label, shown ? message : "");
  gtk_widget_set_visible (f->line, shown);
  if (shown)
    gtk_widget_add_css_class (f->widget, "error");
  else
    gtk_widget_remove_css_class (f->widget, "error");
}

void
cairn_field_set_clear (CairnFieldSet *set)
{
  g_return_if_fail (set != NULL);

  for (guint i = 0; i < set->fields->len; i++)
    field_show (&g_array_index (set->fields, Field, i), NULL);
}

const char *
cairn_field_set_show (CairnFieldSet *set,
                      GPtrArray     *problems)
{
  return cairn_field_set_show_some (set, NULL, problems);
}

const char *
cairn_field_set_show_some (CairnFieldSet      *set,
                           const char * const *fields,
                           GPtrArray          *problems)
{
  const char *unplaced = NULL;

  g_return_val_if_fail (set != NULL, NULL);

  for (guint i = 0; i < set->fields->len; i++)
    {
      Field *f = &g_array_index (set->fields, Field, i);

      if (fields == NULL || g_strv_contains (fields, f->field))
        field_show (f, NULL);
    }
  for (guint p = 0; problems != NULL && p < problems->len; p++)
    {
      const CairnFieldProblem *problem = g_ptr_array_index (problems, p);
      gboolean placed = FALSE;

      for (guint i = 0; i < set->fields->len; i++)
        {
          Field *f = &g_array_index (set->fields, Field, i);

          if (fields != NULL && !g_strv_contains (fields, f->field))
            continue;
          if (g_strcmp0 (f->field, problem->field) == 0)
            {
              /* The first problem of a field is the one to act on. */
              if (!gtk_widget_get_visible (f->line))
                field_show (f, problem->message);
              placed = TRUE;
              break;
            }
        }
      if (!placed && unplaced == NULL)
        unplaced = problem->message;
    }
  return unplaced;
}

const char *
cairn_field_set_get_message (CairnFieldSet *set,
                             const char    *field)
{
  g_return_val_if_fail (set != NULL, NULL);

  for (guint i = 0; i < set->fields->len; i++)
    {
      Field *f = &g_array_index (set->fields, Field, i);

      if (g_strcmp0 (f->field, field) == 0)
        return gtk_widget_get_visible (f->line) ? gtk_label_get_text (f->label) : NULL;
    }
  return NULL;
}

/* ------------------------------------------------------------------------ */
/* Dialog                                                                    */

struct _CairnScreeningDialog
{
  AdwWindow      parent_instance;

  GtkWidget     *action_button;
  GtkSpinner    *spinner;
  GtkLabel      *action_label;
  GtkLabel      *error_label;
  GtkBox        *groups;
  CairnFieldSet *fields;
  gboolean       busy;
};

G_DEFINE_FINAL_TYPE (CairnScreeningDialog, cairn_screening_dialog, ADW_TYPE_WINDOW)

enum
{
  SUBMITTED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static void
cairn_screening_dialog_submit (CairnScreeningDialog *self)
{
  if (!self->busy)
    g_signal_emit (self, signals[SUBMITTED], 0);
}

static void
on_action_clicked_cb (CairnScreeningDialog *self)
{
  cairn_screening_dialog_submit (self);
}

static void
cairn_screening_dialog_finalize (GObject *object)
{
  CairnScreeningDialog *self = CAIRN_SCREENING_DIALOG (object);

  g_clear_pointer (&self->fields, cairn_field_set_free);

  G_OBJECT_CLASS (cairn_screening_dialog_parent_class)->finalize (object);
}

static void
cairn_screening_dialog_class_init (CairnScreeningDialogClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->finalize = cairn_screening_dialog_finalize;

  /**
   * CairnScreeningDialog::submitted:
   *
   * The action button was clicked, or Enter pressed in a field, while the
   * dialog is not busy.
   */
  signals[SUBMITTED] = g_signal_new ("submitted", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                     0, NULL, NULL, NULL, G_TYPE_NONE, 0);

  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "window.close", NULL);
}

static void
cairn_screening_dialog_init (CairnScreeningDialog *self)
{
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 0);
  GtkWidget *header = adw_header_bar_new ();
  GtkWidget *cancel = gtk_button_new_with_mnemonic (_("_Cancel"));
  GtkWidget *action_box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 6);
  GtkWidget *scrolled = gtk_scrolled_window_new ();
  GtkWidget *clamp = adw_clamp_new ();
  GtkWidget *content = gtk_box_new (GTK_ORIENTATION_VERTICAL, 24);

  self->fields = cairn_field_set_new ();

  gtk_window_set_modal (GTK_WINDOW (self), TRUE);
  gtk_window_set_default_size (GTK_WINDOW (self), 480, 520);
  gtk_widget_set_size_request (GTK_WIDGET (self), 360, 294);

  adw_header_bar_set_show_start_title_buttons (ADW_HEADER_BAR (header), FALSE);
  adw_header_bar_set_show_end_title_buttons (ADW_HEADER_BAR (header), FALSE);
  gtk_actionable_set_action_name (GTK_ACTIONABLE (cancel), "window.close");
  adw_header_bar_pack_start (ADW_HEADER_BAR (header), cancel);

  self->action_button = gtk_button_new ();
  self->spinner = GTK_SPINNER (gtk_spinner_new ());
  gtk_widget_set_visible (GTK_WIDGET (self->spinner), FALSE);
  self->action_label = GTK_LABEL (gtk_label_new (NULL));
  gtk_label_set_use_underline (self->action_label, TRUE);
  gtk_label_set_mnemonic_widget (self->action_label, self->action_button);
  gtk_box_append (GTK_BOX (action_box), GTK_WIDGET (self->spinner));
  gtk_box_append (GTK_BOX (action_box), GTK_WIDGET (self->action_label));
  gtk_button_set_child (GTK_BUTTON (self->action_button), action_box);
  gtk_widget_add_css_class (self->action_button, "suggested-action");
  g_signal_connect_object (self->action_button, "clicked", G_CALLBACK (on_action_clicked_cb), self,
                           G_CONNECT_SWAPPED);
  adw_header_bar_pack_end (ADW_HEADER_BAR (header), self->action_button);
  gtk_box_append (GTK_BOX (box), header);

  gtk_widget_set_vexpand (scrolled, TRUE);
  gtk_scrolled_window_set_policy (GTK_SCROLLED_WINDOW (scrolled), GTK_POLICY_NEVER, GTK_POLICY_AUTOMATIC);
  gtk_scrolled_window_set_propagate_natural_height (GTK_SCROLLED_WINDOW (scrolled), TRUE);
  adw_clamp_set_maximum_size (ADW_CLAMP (clamp), 560);
  gtk_widget_set_margin_top (content, 24);
  gtk_widget_set_margin_bottom (content, 24);
  gtk_widget_set_margin_start (content, 12);
  gtk_widget_set_margin_end (content, 12);

  self->error_label = GTK_LABEL (gtk_label_new (NULL));
  gtk_label_set_wrap (self->error_label, TRUE);
  gtk_label_set_xalign (self->error_label, 0.0);
  gtk_widget_add_css_class (GTK_WIDGET (self->error_label), "error");
  gtk_widget_set_visible (GTK_WIDGET (self->error_label), FALSE);
  gtk_box_append (GTK_BOX (content), GTK_WIDGET (self->error_label));

  self->groups = GTK_BOX (content);
  adw_clamp_set_child (ADW_CLAMP (clamp), content);
  gtk_scrolled_window_set_child (GTK_SCROLLED_WINDOW (scrolled), clamp);
  gtk_box_append (GTK_BOX (box), scrolled);

  adw_window_set_content (ADW_WINDOW (self), box);
}

/**
 * cairn_screening_dialog_new:
 * @parent: (nullable): a widget in the window the dialog is for
 * @title: the window's title
 * @action_label: the action button's label, with a mnemonic
 *
 * Returns: (transfer none): a new dialog, not yet shown
 */
CairnScreeningDialog *
cairn_screening_dialog_new (GtkWidget  *parent,
                            const char *title,
                            const char *action_label)
{
  CairnScreeningDialog *self = g_object_new (CAIRN_TYPE_SCREENING_DIALOG, "title", title, NULL);
  GtkRoot *root = parent != NULL ? gtk_widget_get_root (parent) : NULL;

  gtk_label_set_label (self->action_label, action_label);
  if (GTK_IS_WINDOW (root))
    gtk_window_set_transient_for (GTK_WINDOW (self), GTK_WINDOW (root));
  return self;
}

AdwPreferencesGroup *
cairn_screening_dialog_add_group (CairnScreeningDialog *self,
                                  const char           *title,
                                  const char           *description)
{
  GtkWidget *group = adw_preferences_group_new ();

  g_return_val_if_fail (CAIRN_IS_SCREENING_DIALOG (self), NULL);

  if (title != NULL)
    adw_preferences_group_set_title (ADW_PREFERENCES_GROUP (group), title);
  if (description != NULL)
    adw_preferences_group_set_description (ADW_PREFERENCES_GROUP (group), description);
  gtk_box_append (self->groups, group);
  return ADW_PREFERENCES_GROUP (group);
}

static void
on_entry_activated_cb (CairnScreeningDialog *self)
{
  cairn_screening_dialog_submit (self);
}

void
cairn_screening_dialog_add_field (CairnScreeningDialog *self,
                                  AdwPreferencesGroup  *group,
                                  const char           *field,
                                  GtkWidget            *row)
{
  g_return_if_fail (CAIRN_IS_SCREENING_DIALOG (self));

  adw_preferences_group_add (group, row);
  if (field != NULL)
    cairn_field_set_add_row (self->fields, field, row);
  if (ADW_IS_ENTRY_ROW (row))
    g_signal_connect_object (row, "entry-activated", G_CALLBACK (on_entry_activated_cb), self,
                             G_CONNECT_SWAPPED);
}

void
cairn_screening_dialog_show_problems (CairnScreeningDialog *self,
                                      GPtrArray            *problems,
                                      const char           *message)
{
  const char *unplaced;

  g_return_if_fail (CAIRN_IS_SCREENING_DIALOG (self));

  unplaced = cairn_field_set_show (self->fields, problems);
  if (message == NULL)
    message = unplaced;
  gtk_label_set_text (self->error_label, message != NULL ? message : "");
  gtk_widget_set_visible (GTK_WIDGET (self->error_label), message != NULL);
}

void
cairn_screening_dialog_set_busy (CairnScreeningDialog *self,
                                 gboolean              busy)
{
  g_return_if_fail (CAIRN_IS_SCREENING_DIALOG (self));

  self->busy = busy;
  gtk_widget_set_visible (GTK_WIDGET (self->spinner), busy);
  gtk_spinner_set_spinning (self->spinner, busy);
  gtk_widget_set_sensitive (self->action_button, !busy);
}

gboolean
cairn_screening_dialog_get_busy (CairnScreeningDialog *self)
{
  g_return_val_if_fail (CAIRN_IS_SCREENING_DIALOG (self), FALSE);

  return self->busy;
}

CairnFieldSet *
cairn_screening_dialog_get_fields (CairnScreeningDialog *self)
{
  g_return_val_if_fail (CAIRN_IS_SCREENING_DIALOG (self), NULL);

  return self->fields;
}
