/* cairn-measures-page.c
 *
 * The Measures tab of a patient's page: per instrument, a chart of the
 * totals over time with the medicine sessions marked and the severity
 * bands shaded, and beside it the same entries as a list a screen reader
 * reads (date, total, band, notes). "Add Measure…" opens a form; an entry
 * opens to be changed or deleted. The measures report is saved as a PDF
 * or printed from the same pages. Every read and write runs on the
 * vault's worker and is audited there.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "cairn-measures"

#include "config.h"

#include <glib/gi18n.h>
#include <stdio.h>
#include <string.h>

#include "cairn-context.h"
#include "cairn-item.h"
#include "cairn-loader.h"
#include "cairn-measure-chart-view.h"
#include "cairn-measure-dialog.h"
#include "cairn-measures-page.h"
#include "cairn-measures-report.h"
#include "cairn-measures-screen.h"
#include "cairn-measures.h"
#include "cairn-print.h"
#include "cairn-protocols.h"
#include "cairn-records.h"
#include "cairn-runner.h"
#include "cairn-toaster.h"

struct _CairnMeasuresPage
{
  GtkWidget           parent_instance;

  CairnContext       *context;
  CairnVault         *vault;
  CairnPatient       *patient;
  CairnRunner        *runner;        /* the tab's writes */
  GListStore         *entries;       /* of CairnItem: the screen's measures */
  CairnMeasuresScreen *screen;        /* what is shown; NULL until read */
  GtkWindow          *dialog;         /* weak */
  GtkPrintOperation  *print_operation;  /* the printing under way; it holds itself */
  CairnToaster       *toaster;

  AdwStatusPage      *empty_page;
  AdwToastOverlay    *toast_overlay;
  GtkBox             *alert_box;
  GtkBox             *groups_box;
  GtkLabel           *alert_label;
  CairnLoader        *loader;
  GtkMenuButton      *add_button;
  GtkMenuButton      *report_button;
  GtkSpinner         *spinner;
};

G_DEFINE_FINAL_TYPE (CairnMeasuresPage, cairn_measures_page, GTK_TYPE_WIDGET)

enum {
  PROP_0,
  PROP_CONTEXT,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void reload (CairnMeasuresPage *self);

/* ------------------------------------------------------------------------ */
/* Saying things                                                             */

static void
page_say (CairnMeasuresPage *self,
          const char        *text)
{
  cairn_toaster_say (self->toaster, text);
}

static void
sync_actions (CairnMeasuresPage *self)
{
  gboolean ready = self->vault != NULL && self->patient != NULL && self->screen != NULL;
  gboolean any = ready && self->screen->measures->len > 0;

  gtk_widget_action_set_enabled (GTK_WIDGET (self), "measures.add", self->vault != NULL && self->patient != NULL);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "measures.save-report", any);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "measures.print-report", any);
  gtk_widget_set_sensitive (GTK_WIDGET (self->report_button), any);
}

/* ------------------------------------------------------------------------ */
/* Showing the measures                                                      */

static char *
short_date (const char *iso)
{
  GDate date;
  char buffer[64];

  if (!cairn_record_parse_day (iso, &date))
    return g_strdup (iso != NULL ? iso : "");
  /* Translators: the day of an entry in the list of measures; see strftime */
  g_date_strftime (buffer, sizeof buffer, _("%e %b %Y"), &date);
  return g_strdup (g_strstrip (buffer));
}

static void
clear_groups (CairnMeasuresPage *self)
{
  GtkWidget *child;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->groups_box))) != NULL)
    gtk_box_remove (self->groups_box, child);
  gtk_widget_set_visible (GTK_WIDGET (self->alert_box), FALSE);
  gtk_widget_set_visible (GTK_WIDGET (self->empty_page), FALSE);
}

static void
on_row_activated_cb (GtkListBox        *list,
                     GtkListBoxRow     *row,
                     CairnMeasuresPage *self);

static GtkWidget *
entry_row (gpointer object,
           gpointer user_data)
{
  const CairnMeasure *m = cairn_item_get (object);
  GtkWidget *row = adw_action_row_new ();
  g_autofree char *date = short_date (m->taken_on);
  g_autoptr(GPtrArray) notes = g_ptr_array_new_with_free_func (g_free);
  CairnScore score;
  gboolean scored = cairn_measure_score (m, &score);

  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), date);
  gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (row), TRUE);
  g_object_set_data_full (G_OBJECT (row), "measure-id", g_strdup (m->id), g_free);

  if (scored)
    g_ptr_array_add (notes, g_strdup (cairn_band_label (score.band)));
  else
    g_ptr_array_add (notes, g_strdup (_("Incomplete: not scored")));
  if (m->timepoint != NULL)
    g_ptr_array_add (notes, g_strdup (m->timepoint));
  if (scored && score.has_clusters)
    {
      g_ptr_array_add (notes, g_strdup_printf (_("Clusters B %d, C %d, D %d, E %d"),
                                               score.clusters[CAIRN_PCL5_CLUSTER_B],
                                               score.clusters[CAIRN_PCL5_CLUSTER_C],
                                               score.clusters[CAIRN_PCL5_CLUSTER_D],
                                               score.clusters[CAIRN_PCL5_CLUSTER_E]));
      g_ptr_array_add (notes, g_strdup (score.provisional_diagnosis
                                        ? _("Provisional diagnosis: criteria met")
                                        : _("Provisional diagnosis: criteria not met")));
    }
  if (cairn_measure_has_item9_alert (m))
    {
      GtkWidget *icon = gtk_image_new_from_icon_name ("dialog-warning-symbolic");

      gtk_widget_add_css_class (icon, "error");
      gtk_accessible_update_property (GTK_ACCESSIBLE (icon), GTK_ACCESSIBLE_PROPERTY_LABEL, _("Alert"), -1);
      adw_action_row_add_prefix (ADW_ACTION_ROW (row), icon);
      g_ptr_array_add (notes, g_strdup (_("Item 9 above “Not at all”: needs follow-up")));
      gtk_widget_add_css_class (row, "measure-alert");
    }
  if (m->note != NULL)
    g_ptr_array_add (notes, g_strdup (m->note));
  if (notes->len > 0)
    {
      g_autofree char *subtitle = NULL;

      g_ptr_array_add (notes, NULL);
      subtitle = g_strjoinv (" · ", (char **) notes->pdata);
      adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);
      adw_action_row_set_subtitle_lines (ADW_ACTION_ROW (row), 0);
    }

  {
    g_autofree char *number = scored ? g_strdup_printf ("%d", score.total) : g_strdup ("—");
    GtkWidget *total = gtk_label_new (number);

    gtk_widget_add_css_class (total, "title-3");
    gtk_widget_add_css_class (total, "numeric");
    gtk_widget_set_valign (total, GTK_ALIGN_CENTER);
    adw_action_row_add_suffix (ADW_ACTION_ROW (row), total);
  }
  return row;
}

static gboolean
of_instrument (gpointer object,
               gpointer instrument)
{
  const CairnMeasure *m = cairn_item_get (object);

  return g_strcmp0 (m->instrument, ((const CairnInstrument *) instrument)->id) == 0;
}

/* The screen's measures are oldest first; a clinician looks for the newest. */
static int
newest_first (gconstpointer a,
              gconstpointer b,
              gpointer      user_data)
{
  guint i = cairn_item_get_index ((gpointer) a), j = cairn_item_get_index ((gpointer) b);

  return i > j ? -1 : i < j;
}

/* One instrument's entries of the tab's list, newest first. */
static GListModel *
instrument_entries (CairnMeasuresPage     *self,
                    const CairnInstrument *instrument)
{
  GtkCustomFilter *filter = gtk_custom_filter_new (of_instrument, (gpointer) instrument, NULL);
  GtkFilterListModel *entries = gtk_filter_list_model_new (g_object_ref (G_LIST_MODEL (self->entries)),
                                                           GTK_FILTER (filter));

  return G_LIST_MODEL (gtk_sort_list_model_new (G_LIST_MODEL (entries),
                                                GTK_SORTER (gtk_custom_sorter_new (newest_first, NULL, NULL))));
}

static GtkWidget *
instrument_group (CairnMeasuresPage     *self,
                  const CairnInstrument *instrument,
                  GListModel            *entries)
{
  GtkWidget *group = adw_preferences_group_new ();
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 12);
  GtkWidget *card = gtk_box_new (GTK_ORIENTATION_VERTICAL, 6);
  GtkWidget *chart = cairn_measure_chart_view_new ();
  GtkWidget *list = gtk_list_box_new ();
  g_autoptr(GArray) points = cairn_measures_chart_points (self->screen->measures, instrument->id);
  g_autofree char *list_name = g_strdup_printf (_("%s entries, newest first"), instrument->name);
  g_autoptr(GString) legend = g_string_new (_("Shaded: severity bands."));

  adw_preferences_group_set_title (ADW_PREFERENCES_GROUP (group), instrument->name);
  adw_preferences_group_set_description (ADW_PREFERENCES_GROUP (group), cairn_instrument_title (instrument));
  gtk_widget_set_name (group, instrument->id);

  gtk_widget_add_css_class (card, "card");
  gtk_widget_set_margin_top (chart, 12);
  gtk_widget_set_margin_start (chart, 6);
  gtk_widget_set_margin_end (chart, 12);
  cairn_measure_chart_view_set_data (CAIRN_MEASURE_CHART_VIEW (chart), instrument, points,
                                     self->screen->session_days);
  gtk_box_append (GTK_BOX (card), chart);
  if (self->screen->session_days->len > 0)
    {
      g_string_append_c (legend, ' ');
      g_string_append (legend, _("Dashed lines M1, M2, …: medicine sessions."));
    }
  {
    GtkWidget *caption = gtk_label_new (legend->str);

    gtk_label_set_wrap (GTK_LABEL (caption), TRUE);
    gtk_label_set_xalign (GTK_LABEL (caption), 0);
    gtk_widget_set_margin_start (caption, 12);
    gtk_widget_set_margin_end (caption, 12);
    gtk_widget_set_margin_bottom (caption, 12);
    gtk_widget_add_css_class (caption, "caption");
    gtk_widget_add_css_class (caption, "dim-label");
    gtk_box_append (GTK_BOX (card), caption);
  }
  gtk_box_append (GTK_BOX (box), card);

  gtk_widget_set_name (list, "entries");
  gtk_list_box_set_selection_mode (GTK_LIST_BOX (list), GTK_SELECTION_NONE);
  gtk_widget_add_css_class (list, "boxed-list");
  gtk_accessible_update_property (GTK_ACCESSIBLE (list), GTK_ACCESSIBLE_PROPERTY_LABEL, list_name, -1);
  gtk_list_box_bind_model (GTK_LIST_BOX (list), entries, entry_row, self, NULL);
  g_signal_connect_object (list, "row-activated", G_CALLBACK (on_row_activated_cb), self, 0);
  gtk_box_append (GTK_BOX (box), list);

  adw_preferences_group_add (ADW_PREFERENCES_GROUP (group), box);
  return group;
}

static void
show_measures (CairnMeasuresPage *self)
{
  const CairnInstrument * const *instruments = cairn_instrument_list ();
  GPtrArray *measures = self->screen->measures;

  clear_groups (self);
  cairn_item_store_fill (self->entries, measures);
  for (guint i = 0; instruments[i] != NULL; i++)
    {
      g_autoptr(GListModel) entries = instrument_entries (self, instruments[i]);

      if (g_list_model_get_n_items (entries) > 0)
        gtk_box_append (self->groups_box, instrument_group (self, instruments[i], entries));
    }

  if (self->screen->item9_alert != NULL)
    {
      g_autofree char *date = short_date (self->screen->item9_alert->taken_on);
      g_autofree char *text = g_strdup_printf (_("The latest PHQ-9 (%s) has item 9 answered above “Not at all”: "
                                                 "thoughts of being better off dead or of self-harm. "
                                                 "It needs follow-up."), date);

      gtk_label_set_text (self->alert_label, text);
      gtk_widget_set_visible (GTK_WIDGET (self->alert_box), TRUE);
    }

  gtk_widget_set_visible (GTK_WIDGET (self->empty_page), measures->len == 0);
  sync_actions (self);
}

/* ------------------------------------------------------------------------ */
/* Loading                                                                   */

static gpointer
read_screen (CairnVault     *vault,
             gconstpointer   request,
             gint64          now,
             GError        **error)
{
  return cairn_measures_screen_load (vault, request, now, error);
}

static void
show_screen (gpointer user_data,
             gpointer result)
{
  CairnMeasuresPage *self = user_data;
  g_autoptr(CairnMeasuresScreen) screen = result;

  if (self->patient == NULL || g_strcmp0 (screen->patient_id, self->patient->id) != 0)
    return;
  /* The rows shown point into the screen before: it goes after them. */
  screen = g_steal_pointer (&self->screen);
  self->screen = result;
  show_measures (self);
}

static void
reload (CairnMeasuresPage *self)
{
  cairn_loader_reload (self->loader);
}

/* ------------------------------------------------------------------------ */
/* The form                                                                  */

static const char *
instrument_name (const char *id)
{
  const CairnInstrument *instrument = cairn_instrument_find (id);

  return instrument != NULL ? instrument->name : id;
}

static void
on_saved_cb (CairnMeasureDialog *dialog,
             const char         *id,
             CairnMeasuresPage  *self)
{
  const char *instrument = g_object_get_data (G_OBJECT (dialog), "instrument");
  g_autofree char *text = g_strdup_printf (_("%s saved"), instrument_name (instrument));

  page_say (self, text);
  reload (self);
}

static void
on_deleted_cb (CairnMeasureDialog *dialog,
               const char         *id,
               CairnMeasuresPage  *self)
{
  page_say (self, _("Entry deleted"));
  reload (self);
}

static void
open_dialog (CairnMeasuresPage  *self,
             const char         *instrument,
             const CairnMeasure *measure)
{
  CairnMeasureDialog *dialog;

  if (self->vault == NULL || self->patient == NULL || cairn_instrument_find (instrument) == NULL)
    return;
  if (self->dialog != NULL)
    gtk_window_destroy (self->dialog);

  dialog = cairn_measure_dialog_new (self->context, self->patient->id, instrument, measure, self->screen->today);
  g_object_set_data_full (G_OBJECT (dialog), "instrument", g_strdup (instrument), g_free);
  gtk_window_set_transient_for (GTK_WINDOW (dialog), GTK_WINDOW (gtk_widget_get_root (GTK_WIDGET (self))));
  g_signal_connect_object (dialog, "saved", G_CALLBACK (on_saved_cb), self, 0);
  g_signal_connect_object (dialog, "deleted", G_CALLBACK (on_deleted_cb), self, 0);
  self->dialog = GTK_WINDOW (dialog);
  g_object_add_weak_pointer (G_OBJECT (dialog), (gpointer *) &self->dialog);
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
cairn_measures_page_add_action (GtkWidget  *widget,
                                const char *action_name,
                                GVariant   *parameter)
{
  CairnMeasuresPage *self = CAIRN_MEASURES_PAGE (widget);

  open_dialog (self, g_variant_get_string (parameter, NULL), NULL);
}

static void
on_row_activated_cb (GtkListBox        *list,
                     GtkListBoxRow     *row,
                     CairnMeasuresPage *self)
{
  const char *id = g_object_get_data (G_OBJECT (row), "measure-id");

  for (guint i = 0; self->screen != NULL && i < self->screen->measures->len; i++)
    {
      const CairnMeasure *m = g_ptr_array_index (self->screen->measures, i);

      if (g_strcmp0 (m->id, id) == 0)
        {
          open_dialog (self, m->instrument, m);
          return;
        }
    }
}

/* ------------------------------------------------------------------------ */
/* The report                                                                */

static CairnMeasuresReport *
new_report (CairnMeasuresPage *self)
{
  const CairnPatient *p = self->patient;
  g_autofree char *name = NULL;

  if (p->preferred_name != NULL && *p->preferred_name != '\0' && g_strcmp0 (p->preferred_name, p->legal_name) != 0)
    /* Translators: a patient's legal name, then the name they go by */
    name = g_strdup_printf (_("%s (%s)"), p->legal_name, p->preferred_name);
  else
    name = g_strdup (p->legal_name != NULL ? p->legal_name : "");
  return cairn_measures_report_new (name, p->chart_number, self->screen->measures, self->screen->session_days,
                                    &self->screen->audit_head);
}

typedef struct
{
  CairnMeasuresPage *self;
  char              *name;     /* the file's, to say it */
} Export;

static void
export_free (Export *export)
{
  g_object_unref (export->self);
  g_free (export->name);
  g_free (export);
}

static void
export_done_cb (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  Export *export = user_data;
  CairnMeasuresPage *self = export->self;
  g_autoptr(GError) error = NULL;

  if (!cairn_measures_report_write_finish (CAIRN_VAULT (source), result, &error))
    {
      g_autofree char *text = g_strdup_printf (_("Nothing was saved: %s"), error->message);

      page_say (self, text);
      return;
    }
  {
    g_autofree char *text = g_strdup_printf (_("Saved as “%s”"), export->name);

    page_say (self, text);
  }
}

/**
 * cairn_measures_page_save_report:
 * @self: the page
 * @file: where to write the PDF
 *
 * Writes the measures report of the patient shown as a PDF, replacing
 * @file whole, and records the export in the audit trail; a toast says
 * how it went.
 */
void
cairn_measures_page_save_report (CairnMeasuresPage *self,
                                 GFile             *file)
{
  g_autofree char *path = NULL;
  Export *export;

  g_return_if_fail (CAIRN_IS_MEASURES_PAGE (self));
  g_return_if_fail (G_IS_FILE (file));

  if (self->vault == NULL || self->patient == NULL || self->screen == NULL)
    return;
  path = g_file_get_path (file);
  if (path == NULL)
    {
      page_say (self, _("Nothing was saved: choose a folder on this computer."));
      return;
    }
  export = g_new0 (Export, 1);
  export->self = g_object_ref (self);
  export->name = g_path_get_basename (path);
  cairn_measures_report_write_async (self->vault, new_report (self), self->patient->id, path,
                                     cairn_runner_get_cancellable (self->runner), cairn_runner_answered,
                                     cairn_runner_track_data (self->runner, export_done_cb, export,
                                                              (GDestroyNotify) export_free));
}

static void
on_report_chosen_cb (GtkNativeDialog   *chooser,
                     int                response,
                     CairnMeasuresPage *self)
{
  if (response == GTK_RESPONSE_ACCEPT)
    {
      g_autoptr(GFile) file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (chooser));

      cairn_measures_page_save_report (self, file);
    }
  g_object_unref (chooser);
}

static void
cairn_measures_page_save_report_action (GtkWidget  *widget,
                                        const char *action_name,
                                        GVariant   *parameter)
{
  CairnMeasuresPage *self = CAIRN_MEASURES_PAGE (widget);
  GtkFileChooserNative *chooser;

  if (self->screen == NULL)
    return;
  chooser = gtk_file_chooser_native_new (_("Save Measures Report"),
                                         GTK_WINDOW (gtk_widget_get_root (widget)),
                                         GTK_FILE_CHOOSER_ACTION_SAVE, _("_Save"), NULL);
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (chooser), TRUE);
  /* Translators: the file name offered for the measures report; no name in it */
  gtk_file_chooser_set_current_name (GTK_FILE_CHOOSER (chooser), _("measures-report.pdf"));
  g_signal_connect_object (chooser, "response", G_CALLBACK (on_report_chosen_cb), self, 0);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (chooser));
}

/* A printing of one patient's report. Who and which vault are fixed when
 * the operation is set up: what the page shows by the time printing begins
 * does not change them. The printing is recorded in the audit trail when it
 * begins, and no page is drawn before the record is written; when the page
 * forgets the patient (lock, another patient), the printing is cancelled
 * and the report dropped. */
typedef struct
{
  CairnVault          *vault;
  char                *patient_id;
  CairnMeasuresReport *report;        /* NULL once forgotten */
  CairnRunner         *runner;
  gboolean             audited;
  gboolean             done;
  char                *failure;       /* why it was not printed */
} PrintJob;

static void
print_job_free (PrintJob *job)
{
  g_clear_object (&job->runner);
  g_clear_object (&job->vault);
  g_free (job->patient_id);
  g_clear_pointer (&job->report, cairn_measures_report_free);
  g_free (job->failure);
  g_free (job);
}

static PrintJob *
print_job_of (GtkPrintOperation *operation)
{
  return g_object_get_data (G_OBJECT (operation), "cairn-print-job");
}

static void
print_audited_cb (GObject      *source,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  GtkPrintOperation *operation = user_data;
  PrintJob *job = print_job_of (operation);
  g_autoptr(GError) error = NULL;

  if (cairn_measures_report_write_finish (CAIRN_VAULT (source), result, &error) && job->report != NULL)
    {
      job->audited = TRUE;
      return;
    }
  /* Without its record, the report does not leave the vault. */
  if (error != NULL && job->failure == NULL)
    job->failure = g_strdup (error->message);
  gtk_print_operation_cancel (operation);
}

static void
on_begin_print_cb (GtkPrintOperation *operation,
                   GtkPrintContext   *context,
                   gpointer           user_data)
{
  PrintJob *job = print_job_of (operation);

  if (job->report == NULL)
    {
      gtk_print_operation_cancel (operation);
      return;
    }
  gtk_print_operation_set_n_pages (operation,
                                   (int) cairn_measures_report_n_pages (job->report,
                                                                        gtk_print_context_get_width (context),
                                                                        gtk_print_context_get_height (context)));
  /* Each printing run is recorded, each before its first page. */
  job->audited = FALSE;
  cairn_measures_report_write_async (job->vault, NULL, job->patient_id, NULL, cairn_runner_get_cancellable (job->runner),
                                     cairn_runner_answered, cairn_runner_track (job->runner, print_audited_cb, operation));
}

/* Pages are laid out once begin-print has counted them; what waits here
 * is the audit record: nothing is drawn before it is written. */
static gboolean
on_paginate_cb (GtkPrintOperation *operation,
                GtkPrintContext   *context,
                gpointer           user_data)
{
  PrintJob *job = print_job_of (operation);

  if (job->report == NULL)
    {
      gtk_print_operation_cancel (operation);
      return TRUE;
    }
  return job->audited;
}

static void
on_draw_page_cb (GtkPrintOperation *operation,
                 GtkPrintContext   *context,
                 int                page,
                 gpointer           user_data)
{
  PrintJob *job = print_job_of (operation);

  if (job->report == NULL || !job->audited)
    {
      gtk_print_operation_cancel (operation);
      return;
    }
  cairn_measures_report_draw_page (job->report, gtk_print_context_get_cairo_context (context),
                                   gtk_print_context_get_width (context), gtk_print_context_get_height (context),
                                   (guint) page);
}

/* The operation holds itself from set-up to "done". */
static void
on_print_finished_cb (GtkPrintOperation       *operation,
                      GtkPrintOperationResult  result,
                      gpointer                 user_data)
{
  PrintJob *job = print_job_of (operation);

  if (job->done)
    return;
  job->done = TRUE;
  g_object_unref (operation);
}

static void
on_print_done_cb (GtkPrintOperation       *operation,
                  GtkPrintOperationResult  result,
                  CairnMeasuresPage       *self)
{
  PrintJob *job = print_job_of (operation);
  g_autofree char *text = NULL;

  if (self->print_operation == operation)
    self->print_operation = NULL;

  if (result == GTK_PRINT_OPERATION_RESULT_ERROR)
    {
      g_autoptr(GError) error = NULL;

      gtk_print_operation_get_error (operation, &error);
      text = g_strdup_printf (_("The measures report was not printed: %s"), error != NULL ? error->message : "");
    }
  else if (job->failure != NULL)
    text = g_strdup_printf (_("The measures report was not printed: %s"), job->failure);
  if (text != NULL && self->vault != NULL)
    page_say (self, text);
}

/* The print dialog over the page's window, while it is open. */
static GtkWindow *
find_print_dialog (CairnMeasuresPage *self)
{
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));
  GType dialog_type = g_type_from_name ("GtkPrintUnixDialog");
  g_autoptr(GListModel) toplevels = NULL;

  if (root == NULL || dialog_type == 0)
    return NULL;
  toplevels = g_object_ref (gtk_window_get_toplevels ());
  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
    {
      g_autoptr(GtkWindow) window = g_list_model_get_item (toplevels, i);

      if (G_TYPE_CHECK_INSTANCE_TYPE (window, dialog_type) &&
          gtk_window_get_transient_for (window) == GTK_WINDOW (root))
        return window;
    }
  return NULL;
}

/* Stops the printing under way: no audit record, no page drawn, the report
 * dropped, the print dialog closed. */
static void
cancel_print (CairnMeasuresPage *self)
{
  GtkPrintOperation *operation = self->print_operation;
  PrintJob *job;

  if (operation == NULL)
    return;
  self->print_operation = NULL;
  job = print_job_of (operation);
  cairn_runner_cancel (job->runner);
  g_clear_pointer (&job->report, cairn_measures_report_free);
  gtk_print_operation_cancel (operation);
  if (gtk_print_operation_get_status (operation) == GTK_PRINT_STATUS_INITIAL)
    {
      GtkWindow *dialog = find_print_dialog (self);

      /* The dialog's answer ends the operation: "done" follows. */
      if (dialog != NULL && GTK_IS_DIALOG (dialog))
        gtk_dialog_response (GTK_DIALOG (dialog), GTK_RESPONSE_CANCEL);
    }
}

/**
 * cairn_measures_page_prepare_print:
 * @self: the page
 *
 * Sets up the printing of the measures report of the patient shown; what
 * "Print Report…" runs with the print dialog. The printing is recorded in
 * the audit trail, for this patient, when it begins and before anything is
 * drawn; when the page forgets the patient first, it is cancelled.
 *
 * Returns: (transfer none) (nullable): the operation, not yet run; it is
 *   released when done. %NULL when there is nothing to print.
 */
GtkPrintOperation *
cairn_measures_page_prepare_print (CairnMeasuresPage *self)
{
  GtkPrintOperation *operation;
  PrintJob *job;

  g_return_val_if_fail (CAIRN_IS_MEASURES_PAGE (self), NULL);

  if (self->vault == NULL || self->patient == NULL || self->screen == NULL)
    return NULL;
  if (self->print_operation != NULL)
    cancel_print (self);

  job = g_new0 (PrintJob, 1);
  job->vault = g_object_ref (self->vault);
  job->patient_id = g_strdup (self->patient->id);
  job->report = new_report (self);
  job->runner = cairn_runner_new ();

  operation = gtk_print_operation_new ();
  g_object_set_data_full (G_OBJECT (operation), "cairn-print-job", job, (GDestroyNotify) print_job_free);
  gtk_print_operation_set_allow_async (operation, TRUE);
  /* No patient's name in the print queue. */
  gtk_print_operation_set_job_name (operation, _("Measures report"));
  gtk_print_operation_set_unit (operation, GTK_UNIT_POINTS);
  cairn_print_operation_keep_private (operation);
  g_signal_connect (operation, "begin-print", G_CALLBACK (on_begin_print_cb), NULL);
  g_signal_connect (operation, "paginate", G_CALLBACK (on_paginate_cb), NULL);
  g_signal_connect (operation, "draw-page", G_CALLBACK (on_draw_page_cb), NULL);
  g_signal_connect_object (operation, "done", G_CALLBACK (on_print_done_cb), self, 0);
  g_signal_connect_after (operation, "done", G_CALLBACK (on_print_finished_cb), NULL);
  self->print_operation = operation;
  return operation;
}

static void
cairn_measures_page_print_report_action (GtkWidget  *widget,
                                         const char *action_name,
                                         GVariant   *parameter)
{
  CairnMeasuresPage *self = CAIRN_MEASURES_PAGE (widget);
  GtkPrintOperation *operation = cairn_measures_page_prepare_print (self);
  g_autoptr(GError) error = NULL;
  GtkPrintOperationResult outcome;

  if (operation == NULL)
    return;
  g_object_ref (operation);
  outcome = gtk_print_operation_run (operation, GTK_PRINT_OPERATION_ACTION_PRINT_DIALOG,
                                     GTK_WINDOW (gtk_widget_get_root (widget)), &error);
  /* "done" releases the operation; should it not come, this does. */
  if (outcome != GTK_PRINT_OPERATION_RESULT_IN_PROGRESS && !print_job_of (operation)->done)
    {
      if (outcome == GTK_PRINT_OPERATION_RESULT_ERROR && error != NULL)
        {
          g_autofree char *text = g_strdup_printf (_("The measures report was not printed: %s"), error->message);

          page_say (self, text);
        }
      if (self->print_operation == operation)
        self->print_operation = NULL;
      on_print_finished_cb (operation, outcome, NULL);
    }
  g_object_unref (operation);
}

/* ------------------------------------------------------------------------ */

static void
forget (CairnMeasuresPage *self)
{
  cancel_print (self);
  if (self->runner != NULL)
    cairn_runner_cancel (self->runner);
  if (self->dialog != NULL)
    gtk_window_destroy (self->dialog);
  if (self->loader != NULL)
    cairn_loader_clear (self->loader);
  g_clear_pointer (&self->screen, cairn_measures_screen_free);
  g_clear_pointer (&self->patient, cairn_patient_free);
  if (self->groups_box != NULL)
    clear_groups (self);
  if (self->entries != NULL)
    g_list_store_remove_all (self->entries);
}

static void
cairn_measures_page_dispose (GObject *object)
{
  CairnMeasuresPage *self = CAIRN_MEASURES_PAGE (object);

  forget (self);
  g_clear_object (&self->runner);
  g_clear_object (&self->toaster);
  gtk_widget_dispose_template (GTK_WIDGET (self), CAIRN_TYPE_MEASURES_PAGE);
  g_clear_object (&self->entries);
  g_clear_object (&self->vault);
  g_clear_object (&self->context);

  G_OBJECT_CLASS (cairn_measures_page_parent_class)->dispose (object);
}

static void
cairn_measures_page_set_property (GObject      *object,
                                  guint         prop_id,
                                  const GValue *value,
                                  GParamSpec   *pspec)
{
  CairnMeasuresPage *self = CAIRN_MEASURES_PAGE (object);

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
cairn_measures_page_class_init (CairnMeasuresPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->set_property = cairn_measures_page_set_property;

  /**
   * CairnMeasuresPage:context:
   *
   * What the tab works in: the unlocked vault, read from when the tab is
   * given a patient.
   */
  properties[PROP_CONTEXT] =
    g_param_spec_object ("context", NULL, NULL, CAIRN_TYPE_CONTEXT,
                         G_PARAM_WRITABLE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  object_class->dispose = cairn_measures_page_dispose;

  g_type_ensure (CAIRN_TYPE_LOADER);
  g_type_ensure (CAIRN_TYPE_MEASURE_CHART_VIEW);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               RESOURCE_BASE_PATH "/measures/cairn-measures-page.ui");
  gtk_widget_class_bind_template_child (widget_class, CairnMeasuresPage, add_button);
  gtk_widget_class_bind_template_child (widget_class, CairnMeasuresPage, alert_box);
  gtk_widget_class_bind_template_child (widget_class, CairnMeasuresPage, alert_label);
  gtk_widget_class_bind_template_child (widget_class, CairnMeasuresPage, empty_page);
  gtk_widget_class_bind_template_child (widget_class, CairnMeasuresPage, loader);
  gtk_widget_class_bind_template_child (widget_class, CairnMeasuresPage, groups_box);
  gtk_widget_class_bind_template_child (widget_class, CairnMeasuresPage, report_button);
  gtk_widget_class_bind_template_child (widget_class, CairnMeasuresPage, spinner);
  gtk_widget_class_bind_template_child (widget_class, CairnMeasuresPage, toast_overlay);
  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);

  gtk_widget_class_install_action (widget_class, "measures.add", "s", cairn_measures_page_add_action);
  gtk_widget_class_install_action (widget_class, "measures.save-report", NULL,
                                   cairn_measures_page_save_report_action);
  gtk_widget_class_install_action (widget_class, "measures.print-report", NULL,
                                   cairn_measures_page_print_report_action);
}

static void
cairn_measures_page_init (CairnMeasuresPage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  self->toaster = cairn_toaster_new (GTK_WIDGET (self->toast_overlay));
  cairn_loader_setup (self->loader, read_screen, (GBoxedCopyFunc) g_strdup, g_free,
                      (GDestroyNotify) cairn_measures_screen_free, show_screen, self);
  g_object_bind_property (self->loader, "busy", self->spinner, "visible", G_BINDING_SYNC_CREATE);
  g_object_bind_property (self->loader, "busy", self->spinner, "spinning", G_BINDING_SYNC_CREATE);
  self->runner = cairn_runner_new ();
  self->entries = g_list_store_new (CAIRN_TYPE_ITEM);
  sync_actions (self);
}

void
cairn_measures_page_load (CairnMeasuresPage  *self,
                          const CairnPatient *patient)
{
  CairnVault *vault;

  g_return_if_fail (CAIRN_IS_MEASURES_PAGE (self));
  g_return_if_fail (patient != NULL && patient->id != NULL);
  vault = cairn_context_get_vault (self->context);
  g_return_if_fail (vault != NULL);

  forget (self);
  g_set_object (&self->vault, vault);
  self->patient = cairn_patient_copy (patient);
  sync_actions (self);
  cairn_loader_load (self->loader, vault, patient->id);
}

void
cairn_measures_page_clear (CairnMeasuresPage *self)
{
  g_return_if_fail (CAIRN_IS_MEASURES_PAGE (self));

  forget (self);
  g_clear_object (&self->vault);
  sync_actions (self);
}

GPtrArray *
cairn_measures_page_get_measures (CairnMeasuresPage *self)
{
  g_return_val_if_fail (CAIRN_IS_MEASURES_PAGE (self), NULL);

  return self->screen != NULL ? self->screen->measures : NULL;
}
