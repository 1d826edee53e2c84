/* cairn-gate-view.c
 *
 * The gate before a patient's next medicine session, as a boxed list: one
 * row per check with a sign for passed, failed or overridden, the reason in
 * words, and "Override…" on a failed check. An override needs a written
 * reason; it is saved through the store, which audits it, and holds for
 * the day. Everything is read and evaluated on the vault's worker.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "cairn-screening"

#include "config.h"

#include <glib/gi18n.h>

#include "cairn-context.h"
#include "cairn-gate-view.h"
#include "cairn-loader.h"
#include "cairn-runner.h"
#include "cairn-screening-form.h"
#include "cairn-screening-screen.h"

struct _CairnGateView
{
  GtkWidget             parent_instance;

  CairnContext         *context;
  CairnVault           *vault;
  char                 *patient_id;
  CairnRunner          *runner;       /* the overrides */
  gboolean              requested;    /* the loader reads this patient's gate */
  char                 *today;
  char                 *session_id;

  CairnLoader          *loader;
  GtkLabel             *session_label;
  GtkLabel             *summary_label;
  GtkListBox           *list;
  GPtrArray            *rows;
  CairnScreeningDialog *dialog;
  char                 *dialog_check;
};

G_DEFINE_FINAL_TYPE (CairnGateView, cairn_gate_view, GTK_TYPE_WIDGET)

enum {
  PROP_0,
  PROP_CONTEXT,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

/* ------------------------------------------------------------------------ */
/* Reading                                                                   */

static char *
format_session_when (gint64     start,
                     GTimeZone *zone)
{
  g_autoptr(GDateTime) utc = g_date_time_new_from_unix_utc (start);
  g_autoptr(GDateTime) local = g_date_time_to_timezone (utc, zone);

  /* Translators: the date and time of the next medicine session, see strftime */
  return g_date_time_format (local, _("%A %-d %B %Y, %H:%M"));
}

/* ------------------------------------------------------------------------ */
/* Showing                                                                   */

static void
clear_rows (CairnGateView *self)
{
  for (guint i = 0; i < self->rows->len; i++)
    gtk_list_box_remove (self->list, g_ptr_array_index (self->rows, i));
  g_ptr_array_set_size (self->rows, 0);
}

static void open_override_dialog (CairnGateView *self,
                                  GtkButton     *button);

/* A failed check may be overridden for a medicine session that is booked:
 * with none, there is nothing to let go ahead. */
static GtkWidget *
check_row_new (CairnGateView        *self,
               const CairnGateCheck *check,
               gboolean              may_override)
{
  GtkWidget *row = adw_action_row_new ();
  GtkWidget *icon;
  g_autofree char *subtitle = NULL;

  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), check->title);
  if (check->overridden)
    /* Translators: the reason a check failed, then the clinician's reason to go ahead */
    subtitle = g_strdup_printf (_("%s Overridden today: %s"), check->reason, check->override_reason);
  else
    subtitle = g_strdup (check->reason);
  adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);
  adw_action_row_set_subtitle_lines (ADW_ACTION_ROW (row), 0);

  icon = gtk_image_new_from_icon_name (check->passed ? "emblem-ok-symbolic"
                                       : check->overridden ? "emblem-important-symbolic"
                                       : "dialog-warning-symbolic");
  gtk_widget_add_css_class (icon, check->passed ? "success" : check->overridden ? "warning" : "error");
  gtk_accessible_update_property (GTK_ACCESSIBLE (icon), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  check->passed ? _("Passed") : check->overridden ? _("Overridden") : _("Not passed"),
                                  -1);
  adw_action_row_add_prefix (ADW_ACTION_ROW (row), icon);

  if (!check->passed && !check->overridden && may_override)
    {
      GtkWidget *button = gtk_button_new_with_mnemonic (_("_Override…"));

      gtk_widget_set_valign (button, GTK_ALIGN_CENTER);
      gtk_widget_add_css_class (button, "flat");
      g_object_set_data_full (G_OBJECT (button), "cairn-check-id", g_strdup (check->id), g_free);
      g_object_set_data_full (G_OBJECT (button), "cairn-check-title", g_strdup (check->title), g_free);
      g_object_set_data_full (G_OBJECT (button), "cairn-check-reason", g_strdup (check->reason), g_free);
      g_signal_connect_object (button, "clicked", G_CALLBACK (open_override_dialog), self, G_CONNECT_SWAPPED);
      adw_action_row_add_suffix (ADW_ACTION_ROW (row), button);
    }
  g_object_set_data_full (G_OBJECT (row), "cairn-check-id", g_strdup (check->id), g_free);
  return row;
}

static void
show_checks (CairnGateView         *self,
             const CairnGateScreen *data)
{
  guint open = 0;
  g_autofree char *session = NULL;
  g_autofree char *session_when = NULL;

  clear_rows (self);
  for (guint i = 0; i < data->checks->len; i++)
    {
      const CairnGateCheck *check = g_ptr_array_index (data->checks, i);
      GtkWidget *row = check_row_new (self, check, data->has_session);

      if (!check->passed && !check->overridden)
        open++;
      gtk_list_box_append (self->list, row);
      g_ptr_array_add (self->rows, row);
    }

  g_free (self->today);
  self->today = g_strdup (data->today);
  g_free (self->session_id);
  self->session_id = g_strdup (data->session_id);

  if (data->has_session)
    {
      session_when = format_session_when (data->session_start, data->zone);
      session = g_strdup_printf (_("Next medicine session: %s"), session_when);
    }
  else
    session = g_strdup (_("No medicine session is booked. The checks below are as of today."));
  gtk_label_set_text (self->session_label, session);
  gtk_widget_set_visible (GTK_WIDGET (self->session_label), TRUE);

  if (open == 0)
    gtk_label_set_text (self->summary_label, _("Every check is passed or overridden for today."));
  else
    {
      g_autofree char *summary = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                                               "%u check is not passed.",
                                                               "%u checks are not passed.", open),
                                                  open);

      gtk_label_set_text (self->summary_label, summary);
    }
  gtk_widget_remove_css_class (GTK_WIDGET (self->summary_label), open == 0 ? "error" : "success");
  gtk_widget_add_css_class (GTK_WIDGET (self->summary_label), open == 0 ? "success" : "error");
  gtk_widget_set_visible (GTK_WIDGET (self->summary_label), TRUE);
  gtk_widget_set_visible (GTK_WIDGET (self->list), TRUE);
}

static gpointer
read_gate (CairnVault     *vault,
           gconstpointer   request,
           gint64          now,
           GError        **error)
{
  return cairn_gate_screen_load (vault, request, now, error);
}

static void
show_gate (gpointer user_data,
           gpointer result)
{
  CairnGateView *self = user_data;
  g_autoptr(CairnGateScreen) screen = result;

  if (g_strcmp0 (screen->patient_id, self->patient_id) != 0)
    return;
  show_checks (self, screen);
}

/* Reads the gate afresh: after an override, also of a gate shown from
 * the journey's read. */
static void
refresh (CairnGateView *self)
{
  if (self->requested)
    {
      cairn_loader_reload (self->loader);
      return;
    }
  self->requested = TRUE;
  cairn_loader_load (self->loader, self->vault, self->patient_id);
}

/* ------------------------------------------------------------------------ */
/* Overriding                                                                */

static void
override_done_cb (GObject      *source,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  CairnGateView *self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) problems = NULL;
  gboolean done = cairn_gate_override_finish (CAIRN_VAULT (source), result, &problems, &error);

  if (self->dialog == NULL)
    {
      if (done)
        refresh (self);
      return;
    }
  cairn_screening_dialog_set_busy (self->dialog, FALSE);
  if (problems != NULL)
    {
      cairn_screening_dialog_show_problems (self->dialog, problems, NULL);
      return;
    }
  if (!done)
    {
      cairn_screening_dialog_show_problems (self->dialog, NULL, error->message);
      return;
    }
  gtk_window_destroy (GTK_WINDOW (self->dialog));
  refresh (self);
}

static void
on_override_submitted_cb (CairnGateView        *self,
                          CairnScreeningDialog *dialog)
{
  GtkWidget *reason_row = g_object_get_data (G_OBJECT (dialog), "cairn-reason-row");

  if (self->vault == NULL || self->today == NULL)
    return;
  cairn_screening_dialog_set_busy (dialog, TRUE);
  cairn_gate_override_async (self->vault, self->patient_id, self->dialog_check, self->today, self->session_id,
                             gtk_editable_get_text (GTK_EDITABLE (reason_row)),
                             cairn_runner_get_cancellable (self->runner), cairn_runner_answered,
                             cairn_runner_track (self->runner, override_done_cb, self));
}

static void
on_dialog_destroyed_cb (CairnGateView *self,
                        GtkWidget     *dialog)
{
  if (self->dialog == CAIRN_SCREENING_DIALOG (dialog))
    {
      self->dialog = NULL;
      g_clear_pointer (&self->dialog_check, g_free);
    }
}

static void
open_override_dialog (CairnGateView *self,
                      GtkButton     *button)
{
  const char *title = g_object_get_data (G_OBJECT (button), "cairn-check-title");
  const char *reason = g_object_get_data (G_OBJECT (button), "cairn-check-reason");
  g_autofree char *description = NULL;
  CairnScreeningDialog *dialog;
  AdwPreferencesGroup *group;
  GtkWidget *row;

  if (self->vault == NULL)
    return;
  if (self->dialog != NULL)
    gtk_window_destroy (GTK_WINDOW (self->dialog));

  dialog = cairn_screening_dialog_new (GTK_WIDGET (self), _("Override Check"), _("_Override"));
  /* Translators: the check's reason for failing, then what to do */
  description = g_strdup_printf (_("%s Write why the medicine session may go ahead all the same. "
                                   "The override holds for today and is kept in the audit trail."),
                                 reason);
  group = cairn_screening_dialog_add_group (dialog, title, description);
  row = adw_entry_row_new ();
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), _("Reason"));
  cairn_screening_dialog_add_field (dialog, group, "reason", row);
  g_object_set_data (G_OBJECT (dialog), "cairn-reason-row", row);

  self->dialog = dialog;
  self->dialog_check = g_strdup (g_object_get_data (G_OBJECT (button), "cairn-check-id"));
  g_signal_connect_object (dialog, "submitted", G_CALLBACK (on_override_submitted_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (dialog, "destroy", G_CALLBACK (on_dialog_destroyed_cb), self, G_CONNECT_SWAPPED);
  gtk_window_present (GTK_WINDOW (dialog));
  gtk_widget_grab_focus (row);
}

/* ------------------------------------------------------------------------ */
/* The widget                                                                */

static void
cairn_gate_view_dispose (GObject *object)
{
  CairnGateView *self = CAIRN_GATE_VIEW (object);

  if (self->rows != NULL)
    cairn_gate_view_clear (self);
  g_clear_object (&self->runner);
  g_clear_pointer ((GtkWidget **) &self->loader, gtk_widget_unparent);
  g_clear_pointer (&self->rows, g_ptr_array_unref);
  self->session_label = NULL;
  self->summary_label = NULL;
  self->list = NULL;
  g_clear_object (&self->context);

  G_OBJECT_CLASS (cairn_gate_view_parent_class)->dispose (object);
}

static void
cairn_gate_view_set_property (GObject      *object,
                              guint         prop_id,
                              const GValue *value,
                              GParamSpec   *pspec)
{
  CairnGateView *self = CAIRN_GATE_VIEW (object);

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
cairn_gate_view_class_init (CairnGateViewClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->set_property = cairn_gate_view_set_property;

  /**
   * CairnGateView:context:
   *
   * What the view works in: the unlocked vault, read from when the view is
   * given a patient, and written to by an override.
   */
  properties[PROP_CONTEXT] =
    g_param_spec_object ("context", NULL, NULL, CAIRN_TYPE_CONTEXT,
                         G_PARAM_WRITABLE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  object_class->dispose = cairn_gate_view_dispose;

  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_css_name (widget_class, "cairn-gate-view");
}

static void
cairn_gate_view_init (CairnGateView *self)
{
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 12);

  self->rows = g_ptr_array_new ();
  self->runner = cairn_runner_new ();

  self->session_label = GTK_LABEL (gtk_label_new (NULL));
  gtk_label_set_wrap (self->session_label, TRUE);
  gtk_label_set_xalign (self->session_label, 0.0);
  gtk_widget_set_visible (GTK_WIDGET (self->session_label), FALSE);
  gtk_box_append (GTK_BOX (box), GTK_WIDGET (self->session_label));

  self->summary_label = GTK_LABEL (gtk_label_new (NULL));
  gtk_label_set_wrap (self->summary_label, TRUE);
  gtk_label_set_xalign (self->summary_label, 0.0);
  gtk_widget_add_css_class (GTK_WIDGET (self->summary_label), "heading");
  gtk_widget_set_visible (GTK_WIDGET (self->summary_label), FALSE);
  gtk_box_append (GTK_BOX (box), GTK_WIDGET (self->summary_label));

  self->list = GTK_LIST_BOX (gtk_list_box_new ());
  gtk_list_box_set_selection_mode (self->list, GTK_SELECTION_NONE);
  gtk_widget_add_css_class (GTK_WIDGET (self->list), "boxed-list");
  gtk_widget_set_visible (GTK_WIDGET (self->list), FALSE);
  gtk_box_append (GTK_BOX (box), GTK_WIDGET (self->list));

  /* A read that fails is the loader's page, with Try Again. */
  self->loader = g_object_new (CAIRN_TYPE_LOADER, "child", box, NULL);
  cairn_loader_setup (self->loader, read_gate, (GBoxedCopyFunc) g_strdup, g_free,
                      (GDestroyNotify) cairn_gate_screen_free, show_gate, self);
  gtk_widget_set_parent (GTK_WIDGET (self->loader), GTK_WIDGET (self));
}

/**
 * cairn_gate_view_new:
 * @context: the context, whose vault the view reads and overrides in
 *
 * Returns: (transfer floating): a new, empty gate view
 */
GtkWidget *
cairn_gate_view_new (CairnContext *context)
{
  g_return_val_if_fail (CAIRN_IS_CONTEXT (context), NULL);

  return g_object_new (CAIRN_TYPE_GATE_VIEW, "context", context, NULL);
}

/* The context's vault when it opens clinical.db, else NULL. */
static CairnVault *
clinical_vault (CairnGateView *self)
{
  CairnVault *vault = cairn_context_get_vault (self->context);

  if (vault == NULL || cairn_vault_is_locked (vault) || !cairn_vault_has_clinical (vault))
    return NULL;
  return vault;
}

/**
 * cairn_gate_view_load:
 * @self: a gate view
 * @patient_id: whose gate
 *
 * Evaluates the gate for the patient's next medicine session, on the
 * worker of the context's vault, and shows it. A vault without clinical data (the front
 * desk) shows nothing and reads nothing.
 */
void
cairn_gate_view_load (CairnGateView *self,
                      const char    *patient_id)
{
  CairnVault *vault;

  g_return_if_fail (CAIRN_IS_GATE_VIEW (self));
  g_return_if_fail (patient_id != NULL);

  cairn_gate_view_clear (self);
  vault = clinical_vault (self);
  if (vault == NULL)
    return;

  self->vault = g_object_ref (vault);
  self->patient_id = g_strdup (patient_id);
  refresh (self);
}

/**
 * cairn_gate_view_show:
 * @self: a gate view
 * @patient_id: whose gate
 * @checks: (element-type CairnGateCheck): the gate as evaluated
 * @today: the practice-local day it was evaluated for, "YYYY-MM-DD"
 * @session_id: (nullable): the next medicine session
 * @session_start: its start, UTC seconds
 * @zone: the practice's zone
 *
 * Shows a gate already evaluated (the journey reads it with everything
 * else), without reading the vault again. An override writes to the
 * vault the gate was shown from, then reads afresh.
 */
void
cairn_gate_view_show (CairnGateView *self,
                      const char    *patient_id,
                      GPtrArray     *checks,
                      const char    *today,
                      const char    *session_id,
                      gint64         session_start,
                      GTimeZone     *zone)
{
  CairnGateScreen shown = { 0 };
  CairnVault *vault;

  g_return_if_fail (CAIRN_IS_GATE_VIEW (self));
  g_return_if_fail (patient_id != NULL && checks != NULL && today != NULL && zone != NULL);

  cairn_gate_view_clear (self);
  vault = clinical_vault (self);
  if (vault == NULL)
    return;

  self->vault = g_object_ref (vault);
  self->patient_id = g_strdup (patient_id);

  shown.patient_id = (char *) patient_id;
  shown.checks = checks;
  shown.today = (char *) today;
  shown.has_session = session_id != NULL;
  shown.session_id = (char *) session_id;
  shown.session_start = session_start;
  shown.zone = zone;
  show_checks (self, &shown);
}

/**
 * cairn_gate_view_clear:
 * @self: a gate view
 *
 * Forgets everything shown, closes an override dialog and drops the vault.
 */
void
cairn_gate_view_clear (CairnGateView *self)
{
  g_return_if_fail (CAIRN_IS_GATE_VIEW (self));

  if (self->runner != NULL)
    cairn_runner_cancel (self->runner);
  if (self->loader != NULL)
    cairn_loader_clear (self->loader);
  self->requested = FALSE;
  if (self->dialog != NULL)
    gtk_window_destroy (GTK_WINDOW (self->dialog));
  self->dialog = NULL;
  g_clear_pointer (&self->dialog_check, g_free);
  g_clear_object (&self->vault);
  g_clear_pointer (&self->patient_id, g_free);
  g_clear_pointer (&self->today, g_free);
  g_clear_pointer (&self->session_id, g_free);
  if (self->rows == NULL)
    return;
  clear_rows (self);
  gtk_widget_set_visible (GTK_WIDGET (self->session_label), FALSE);
  gtk_widget_set_visible (GTK_WIDGET (self->summary_label), FALSE);
  gtk_widget_set_visible (GTK_WIDGET (self->list), FALSE);
}
