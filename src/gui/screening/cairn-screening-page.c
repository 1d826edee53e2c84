/* cairn-screening-page.c
 *
 * The Screening tab of a patient: history, the template's exclusions,
 * medications, baseline vital signs and tests, consent and support, and the
 * eligibility decision, read in one call (cairn_screening_screen_load())
 * through a loader. Each part saves on its own with
 * cairn_screening_save_async() (one transaction with its audit entry);
 * what the store refuses is said at the field, and a toast says what was
 * saved. The page
 * keeps what it shows in step with what was saved, so that saving one part
 * never overwrites what is being typed in another.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "cairn-screening"

#include "config.h"

#include <glib/gi18n.h>
#include <stdlib.h>
#include <string.h>

#include "cairn-context.h"
#include "cairn-loader.h"
#include "cairn-protocols.h"
#include "cairn-records.h"
#include "cairn-runner.h"
#include "cairn-screening-form.h"
#include "cairn-screening-page.h"
#include "cairn-screening-screen.h"
#include "cairn-toaster.h"

struct _CairnScreeningPage
{
  GtkWidget             parent_instance;

  CairnContext         *context;
  CairnVault           *vault;
  char                 *patient_id;
  CairnRunner          *runner;       /* the tab's writes */
  CairnScreening       *screening;
  CairnProtocol        *protocol;
  GHashTable           *names;        /* user id → name */
  char                 *today;        /* practice-local, "YYYY-MM-DD" */
  gboolean              filling;      /* setting widgets from the record, not the user */

  CairnFieldSet        *fields;       /* history, baseline, tests, consent */
  CairnFieldSet        *exclusion_fields;
  GPtrArray            *exclusion_rows;
  GPtrArray            *medication_rows;
  GPtrArray            *test_rows;
  GPtrArray            *decision_rows;
  CairnScreeningDialog *dialog;
  CairnToaster         *toaster;

  AdwToastOverlay      *toast_overlay;
  GtkStack             *states;
  AdwStatusPage        *empty_page;
  CairnLoader          *loader;

  AdwEntryRow          *diagnosis_row;
  GtkTextView          *psychiatric_view;
  GtkWidget            *psychiatric_card;
  GtkLabel             *psychiatric_problem;
  GtkTextView          *medical_view;
  GtkWidget            *medical_card;
  GtkLabel             *medical_problem;
  GtkTextView          *trauma_view;
  GtkWidget            *trauma_card;
  GtkLabel             *trauma_problem;
  GtkButton            *history_button;

  AdwPreferencesGroup  *exclusions_group;
  AdwPreferencesGroup  *medications_group;
  GtkButton            *add_medication_button;

  AdwEntryRow          *vitals_date_row;
  AdwEntryRow          *systolic_row;
  AdwEntryRow          *diastolic_row;
  AdwEntryRow          *heart_rate_row;
  AdwEntryRow          *temperature_row;
  AdwEntryRow          *weight_row;
  AdwEntryRow          *ecg_date_row;
  AdwEntryRow          *labs_date_row;
  GtkSwitch            *pregnancy_switch;
  GtkButton            *baseline_button;

  AdwPreferencesGroup  *pregnancy_group;
  AdwEntryRow          *test_date_row;
  AdwComboRow          *test_result_row;
  GtkWidget            *add_test_row;
  GtkButton            *add_test_button;

  AdwEntryRow          *consent_date_row;
  AdwEntryRow          *support_person_row;
  AdwEntryRow          *driver_row;
  AdwEntryRow          *overnight_attendant_row;
  GtkButton            *consent_button;

  AdwPreferencesGroup  *decision_group;
  GtkButton            *decision_button;
  AdwActionRow         *decision_row;
  AdwExpanderRow       *decision_history_row;
};

G_DEFINE_FINAL_TYPE (CairnScreeningPage, cairn_screening_page, GTK_TYPE_WIDGET)

enum {
  PROP_0,
  PROP_CONTEXT,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

/* ------------------------------------------------------------------------ */
/* Small helpers                                                             */

static const char *
row_text (AdwEntryRow *row)
{
  return gtk_editable_get_text (GTK_EDITABLE (row));
}

static void
set_row_text (AdwEntryRow *row,
              const char  *text)
{
  gtk_editable_set_text (GTK_EDITABLE (row), text != NULL ? text : "");
}

static char *
view_text (GtkTextView *view)
{
  GtkTextBuffer *buffer = gtk_text_view_get_buffer (view);
  GtkTextIter start, end;

  gtk_text_buffer_get_bounds (buffer, &start, &end);
  return gtk_text_buffer_get_text (buffer, &start, &end, FALSE);
}

static void
set_view_text (GtkTextView *view,
               const char  *text)
{
  gtk_text_buffer_set_text (gtk_text_view_get_buffer (view), text != NULL ? text : "", -1);
}

/* NULL for nothing but space. */
static char *
text_or_null (const char *text)
{
  g_autofree char *copy = g_strstrip (g_strdup (text != NULL ? text : ""));

  return *copy != '\0' ? g_steal_pointer (&copy) : NULL;
}

static const char *
user_name (CairnScreeningPage *self,
           const char         *user_id)
{
  const char *name = self->names != NULL && user_id != NULL ? g_hash_table_lookup (self->names, user_id) : NULL;

  /* Translators: who did something, when the user is no longer on the staff list */
  return name != NULL ? name : _("a former user");
}

/* ------------------------------------------------------------------------ */
/* Toasts                                                                    */

static void
page_toast (CairnScreeningPage *self,
            const char         *text)
{
  cairn_toaster_say (self->toaster, text);
}

static void
page_dismiss_toast (CairnScreeningPage *self)
{
  if (self->toaster != NULL)
    cairn_toaster_dismiss (self->toaster);
}

static void save_done_cb (GObject      *source,
                          GAsyncResult *result,
                          gpointer      user_data);

/* Takes @data. */
static void
run_save (CairnScreeningPage   *self,
          CairnScreeningChange *data)
{
  cairn_screening_save_async (self->vault, data, cairn_runner_get_cancellable (self->runner), cairn_runner_answered,
                              cairn_runner_track (self->runner, save_done_cb, self));
}

/* ------------------------------------------------------------------------ */
/* History, baseline, consent                                                */

static void
set_busy (CairnScreeningPage *self,
          GtkButton          *button,
          gboolean            busy)
{
  gtk_widget_set_sensitive (GTK_WIDGET (button), !busy);
}

/* The fields of each part of the page, as the store names them. */
static const char * const history_fields[] = {
  "diagnosis", "psychiatric_history", "medical_history", "trauma_history", NULL,
};
static const char * const baseline_fields[] = {
  "vitals_date", "systolic", "diastolic", "heart_rate", "temperature", "weight", "ecg_date", "labs_date", NULL,
};
static const char * const consent_fields[] = {
  "consent_date", "support_person", "driver", "overnight_attendant", NULL,
};
static const char * const test_fields[] = { "date", "result", NULL };

static const char * const *
parts_fields (CairnScreeningParts parts)
{
  if (parts & CAIRN_SCREENING_PART_HISTORY)
    return history_fields;
  if (parts & CAIRN_SCREENING_PART_BASELINE)
    return baseline_fields;
  return consent_fields;
}

static GtkButton *
parts_button (CairnScreeningPage  *self,
              CairnScreeningParts  parts)
{
  if (parts & CAIRN_SCREENING_PART_HISTORY)
    return self->history_button;
  if (parts & CAIRN_SCREENING_PART_BASELINE)
    return self->baseline_button;
  return self->consent_button;
}

static void
fill_details (CairnScreeningPage  *self,
              CairnScreeningParts  parts)
{
  const CairnScreeningDetails *d = &self->screening->details;

  self->filling = TRUE;
  if (parts & CAIRN_SCREENING_PART_HISTORY)
    {
      set_row_text (self->diagnosis_row, d->diagnosis);
      set_view_text (self->psychiatric_view, d->psychiatric_history);
      set_view_text (self->medical_view, d->medical_history);
      set_view_text (self->trauma_view, d->trauma_history);
    }
  if (parts & CAIRN_SCREENING_PART_BASELINE)
    {
      g_autofree char *systolic = cairn_screening_format_whole (d->systolic);
      g_autofree char *diastolic = cairn_screening_format_whole (d->diastolic);
      g_autofree char *heart_rate = cairn_screening_format_whole (d->heart_rate);
      g_autofree char *temperature = cairn_screening_format_decimal (d->temperature);
      g_autofree char *weight = cairn_screening_format_decimal (d->weight);

      set_row_text (self->vitals_date_row, d->vitals_date);
      set_row_text (self->systolic_row, systolic);
      set_row_text (self->diastolic_row, diastolic);
      set_row_text (self->heart_rate_row, heart_rate);
      set_row_text (self->temperature_row, temperature);
      set_row_text (self->weight_row, weight);
      set_row_text (self->ecg_date_row, d->ecg_date);
      set_row_text (self->labs_date_row, d->labs_date);
      gtk_switch_set_active (self->pregnancy_switch, d->pregnancy_applicable);
    }
  if (parts & CAIRN_SCREENING_PART_CONSENT)
    {
      set_row_text (self->consent_date_row, d->consent_date);
      set_row_text (self->support_person_row, d->support_person);
      set_row_text (self->driver_row, d->driver);
      set_row_text (self->overnight_attendant_row, d->overnight_attendant);
    }
  self->filling = FALSE;
}

/* What the form holds for @parts, over what is saved for the others. */
static CairnScreeningDetails *
read_details (CairnScreeningPage  *self,
              CairnScreeningParts  parts,
              GPtrArray           *problems)
{
  CairnScreeningDetails *d = cairn_screening_details_copy (&self->screening->details);

  if (parts & CAIRN_SCREENING_PART_HISTORY)
    {
      g_free (d->diagnosis);
      d->diagnosis = text_or_null (row_text (self->diagnosis_row));
      g_free (d->psychiatric_history);
      d->psychiatric_history = view_text (self->psychiatric_view);
      g_free (d->medical_history);
      d->medical_history = view_text (self->medical_view);
      g_free (d->trauma_history);
      d->trauma_history = view_text (self->trauma_view);
    }
  if (parts & CAIRN_SCREENING_PART_BASELINE)
    {
      g_free (d->vitals_date);
      d->vitals_date = text_or_null (row_text (self->vitals_date_row));
      d->systolic = cairn_screening_parse_whole (row_text (self->systolic_row), "systolic", problems);
      d->diastolic = cairn_screening_parse_whole (row_text (self->diastolic_row), "diastolic", problems);
      d->heart_rate = cairn_screening_parse_whole (row_text (self->heart_rate_row), "heart_rate", problems);
      d->temperature = cairn_screening_parse_decimal (row_text (self->temperature_row), "temperature", problems);
      d->weight = cairn_screening_parse_decimal (row_text (self->weight_row), "weight", problems);
      g_free (d->ecg_date);
      d->ecg_date = text_or_null (row_text (self->ecg_date_row));
      g_free (d->labs_date);
      d->labs_date = text_or_null (row_text (self->labs_date_row));
      d->pregnancy_applicable = gtk_switch_get_active (self->pregnancy_switch);
    }
  if (parts & CAIRN_SCREENING_PART_CONSENT)
    {
      g_free (d->consent_date);
      d->consent_date = text_or_null (row_text (self->consent_date_row));
      g_free (d->support_person);
      d->support_person = text_or_null (row_text (self->support_person_row));
      g_free (d->driver);
      d->driver = text_or_null (row_text (self->driver_row));
      g_free (d->overnight_attendant);
      d->overnight_attendant = text_or_null (row_text (self->overnight_attendant_row));
    }
  return d;
}

static void
save_details (CairnScreeningPage  *self,
              CairnScreeningParts  parts)
{
  g_autoptr(GPtrArray) problems = g_ptr_array_new_with_free_func ((GDestroyNotify) cairn_field_problem_free);
  CairnScreeningChange *data;

  if (self->vault == NULL || self->screening == NULL)
    return;

  data = cairn_screening_change_new (CAIRN_SCREENING_CHANGE_DETAILS, self->patient_id);
  data->parts = parts;
  data->details = read_details (self, parts, problems);
  /* What is not even a number is said before anything is sent. */
  cairn_field_set_show_some (self->fields, parts_fields (parts), problems);
  if (problems->len > 0)
    {
      cairn_screening_change_free (data);
      return;
    }
  set_busy (self, parts_button (self, parts), TRUE);
  run_save (self, data);
}

static void
on_history_clicked_cb (CairnScreeningPage *self)
{
  save_details (self, CAIRN_SCREENING_PART_HISTORY);
}

static void
on_baseline_clicked_cb (CairnScreeningPage *self)
{
  save_details (self, CAIRN_SCREENING_PART_BASELINE);
}

static void
on_consent_clicked_cb (CairnScreeningPage *self)
{
  save_details (self, CAIRN_SCREENING_PART_CONSENT);
}

static void
details_saved (CairnScreeningPage   *self,
               CairnScreeningChange *data)
{
  if (data->parts & CAIRN_SCREENING_PART_HISTORY)
    page_toast (self, _("History saved"));
  if (data->parts & CAIRN_SCREENING_PART_BASELINE)
    page_toast (self, _("Baseline saved"));
  if (data->parts & CAIRN_SCREENING_PART_CONSENT)
    page_toast (self, _("Consent and support saved"));
  fill_details (self, data->parts);
}

/* ------------------------------------------------------------------------ */
/* Exclusions                                                                */

/* The items of an exclusion's answer, in this order. */
enum
{
  ITEM_UNANSWERED,
  ITEM_NO,
  ITEM_YES,
  ITEM_UNKNOWN,
};

static CairnExclusionAnswer
item_to_answer (guint item)
{
  return item == ITEM_NO ? CAIRN_EXCLUSION_ANSWER_NO
         : item == ITEM_YES ? CAIRN_EXCLUSION_ANSWER_YES
         : CAIRN_EXCLUSION_ANSWER_UNKNOWN;
}

static guint
answer_to_item (const CairnExclusionRecord *record)
{
  if (record == NULL)
    return ITEM_UNANSWERED;
  switch (record->answer)
    {
    case CAIRN_EXCLUSION_ANSWER_NO:
      return ITEM_NO;
    case CAIRN_EXCLUSION_ANSWER_YES:
      return ITEM_YES;
    case CAIRN_EXCLUSION_ANSWER_UNKNOWN:
    default:
      return ITEM_UNKNOWN;
    }
}

static const char *
answer_label (const CairnExclusionRecord *record)
{
  switch (answer_to_item (record))
    {
    case ITEM_NO:
      /* Translators: the answer to an exclusion */
      return C_("exclusion", "No");
    case ITEM_YES:
      /* Translators: the answer to an exclusion */
      return C_("exclusion", "Yes");
    case ITEM_UNKNOWN:
      /* Translators: the answer to an exclusion */
      return C_("exclusion", "Unknown");
    case ITEM_UNANSWERED:
    default:
      /* Translators: an exclusion not asked about yet */
      return C_("exclusion", "Not answered");
    }
}

static void
update_exclusion_subtitle (AdwExpanderRow             *expander,
                           const CairnExclusionRecord *record)
{
  g_autofree char *subtitle = NULL;

  if (record != NULL && record->note != NULL)
    /* Translators: an exclusion's answer and the note on it */
    subtitle = g_strdup_printf (_("%s — %s"), answer_label (record), record->note);
  else
    subtitle = g_strdup (answer_label (record));
  adw_expander_row_set_subtitle (expander, subtitle);
}

static GtkWidget *
find_exclusion_row (CairnScreeningPage *self,
                    const char         *exclusion_id)
{
  for (guint i = 0; i < self->exclusion_rows->len; i++)
    {
      GtkWidget *row = g_ptr_array_index (self->exclusion_rows, i);

      if (g_strcmp0 (g_object_get_data (G_OBJECT (row), "cairn-exclusion-id"), exclusion_id) == 0)
        return row;
    }
  return NULL;
}

static void
save_exclusion (CairnScreeningPage *self,
                GtkWidget          *expander)
{
  AdwComboRow *combo = g_object_get_data (G_OBJECT (expander), "cairn-answer-row");
  AdwEntryRow *note = g_object_get_data (G_OBJECT (expander), "cairn-note-row");
  const char *id = g_object_get_data (G_OBJECT (expander), "cairn-exclusion-id");
  guint item = adw_combo_row_get_selected (combo);
  CairnScreeningChange *data;

  if (self->vault == NULL || self->filling)
    return;
  if (item == ITEM_UNANSWERED || item == GTK_INVALID_LIST_POSITION)
    {
      g_autoptr(GPtrArray) problems = g_ptr_array_new_with_free_func ((GDestroyNotify) cairn_field_problem_free);
      CairnFieldProblem *problem = g_new0 (CairnFieldProblem, 1);

      problem->field = g_object_get_data (G_OBJECT (expander), "cairn-field");
      problem->message = g_strdup (_("Choose no, yes or unknown first."));
      g_ptr_array_add (problems, problem);
      cairn_field_set_show (self->exclusion_fields, problems);
      return;
    }

  data = cairn_screening_change_new (CAIRN_SCREENING_CHANGE_EXCLUSION, self->patient_id);
  data->exclusion_id = g_strdup (id);
  data->answer = item_to_answer (item);
  data->note = text_or_null (row_text (note));
  run_save (self, data);
}

static void
on_answer_selected_cb (GtkWidget  *expander,
                       GParamSpec *pspec,
                       AdwComboRow *combo)
{
  CairnScreeningPage *self = CAIRN_SCREENING_PAGE (gtk_widget_get_ancestor (expander, CAIRN_TYPE_SCREENING_PAGE));

  if (self != NULL)
    save_exclusion (self, expander);
}

static void
on_note_applied_cb (GtkWidget   *expander,
                    AdwEntryRow *note)
{
  CairnScreeningPage *self = CAIRN_SCREENING_PAGE (gtk_widget_get_ancestor (expander, CAIRN_TYPE_SCREENING_PAGE));

  if (self != NULL)
    save_exclusion (self, expander);
}

static void
clear_exclusions (CairnScreeningPage *self)
{
  for (guint i = 0; i < self->exclusion_rows->len; i++)
    adw_preferences_group_remove (self->exclusions_group, g_ptr_array_index (self->exclusion_rows, i));
  g_ptr_array_set_size (self->exclusion_rows, 0);
  g_clear_pointer (&self->exclusion_fields, cairn_field_set_free);
  self->exclusion_fields = cairn_field_set_new ();
}

static void
show_exclusions (CairnScreeningPage *self)
{
  guint n = cairn_protocol_get_n_exclusions (self->protocol);

  clear_exclusions (self);
  if (n == 0)
    {
      GtkWidget *row = adw_action_row_new ();

      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), _("The protocol template lists no exclusions."));
      adw_preferences_group_add (self->exclusions_group, row);
      g_ptr_array_add (self->exclusion_rows, row);
      return;
    }

  self->filling = TRUE;
  for (guint i = 0; i < n; i++)
    {
      const CairnExclusion *exclusion = cairn_protocol_get_exclusion_nth (self->protocol, i);
      const CairnExclusionRecord *record = cairn_screening_find_exclusion (self->screening, exclusion->id);
      GtkWidget *expander = adw_expander_row_new ();
      GtkWidget *combo = adw_combo_row_new ();
      GtkWidget *note = adw_entry_row_new ();
      const char * const items[] = {
        C_("exclusion", "Not answered"), C_("exclusion", "No"), C_("exclusion", "Yes"),
        C_("exclusion", "Unknown"), NULL,
      };
      g_autoptr(GtkStringList) model = gtk_string_list_new (items);
      g_autofree char *field = g_strconcat ("exclusion:", exclusion->id, NULL);

      adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (expander), FALSE);
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (expander), exclusion->title);
      update_exclusion_subtitle (ADW_EXPANDER_ROW (expander), record);
      g_object_set_data_full (G_OBJECT (expander), "cairn-exclusion-id", g_strdup (exclusion->id), g_free);
      g_object_set_data (G_OBJECT (expander), "cairn-answer-row", combo);
      g_object_set_data (G_OBJECT (expander), "cairn-note-row", note);

      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (combo), _("Answer"));
      adw_combo_row_set_model (ADW_COMBO_ROW (combo), G_LIST_MODEL (model));
      adw_combo_row_set_selected (ADW_COMBO_ROW (combo), answer_to_item (record));
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (note), _("Note"));
      adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (note), FALSE);
      adw_entry_row_set_show_apply_button (ADW_ENTRY_ROW (note), TRUE);
      gtk_editable_set_text (GTK_EDITABLE (note), record != NULL && record->note != NULL ? record->note : "");

      adw_expander_row_add_row (ADW_EXPANDER_ROW (expander), combo);
      adw_expander_row_add_row (ADW_EXPANDER_ROW (expander), note);
      adw_preferences_group_add (self->exclusions_group, expander);
      g_ptr_array_add (self->exclusion_rows, expander);

      cairn_field_set_add_row (self->exclusion_fields, field, note);
      g_object_set_data_full (G_OBJECT (expander), "cairn-field", g_steal_pointer (&field), g_free);

      g_signal_connect_object (combo, "notify::selected", G_CALLBACK (on_answer_selected_cb), expander,
                               G_CONNECT_SWAPPED);
      g_signal_connect_object (note, "apply", G_CALLBACK (on_note_applied_cb), expander, G_CONNECT_SWAPPED);
    }
  self->filling = FALSE;
}

static void
exclusion_saved (CairnScreeningPage   *self,
                 CairnScreeningChange *data)
{
  GtkWidget *expander = find_exclusion_row (self, data->exclusion_id);

  if (expander != NULL)
    update_exclusion_subtitle (ADW_EXPANDER_ROW (expander),
                               cairn_screening_find_exclusion (self->screening, data->exclusion_id));
  page_toast (self, _("Answer saved"));
}

/* ------------------------------------------------------------------------ */
/* Medications                                                               */

static void open_medication_dialog (CairnScreeningPage    *self,
                                    const CairnMedication *medication);

static const CairnMedication *
find_medication (CairnScreeningPage *self,
                 const char         *id)
{
  for (guint i = 0; i < self->screening->medications->len; i++)
    {
      const CairnMedication *medication = g_ptr_array_index (self->screening->medications, i);

      if (g_strcmp0 (medication->id, id) == 0)
        return medication;
    }
  return NULL;
}

static void
on_medication_activated_cb (CairnScreeningPage *self,
                            GtkWidget          *row)
{
  const CairnMedication *medication = find_medication (self, g_object_get_data (G_OBJECT (row), "cairn-id"));

  if (medication != NULL)
    open_medication_dialog (self, medication);
}

static void
on_remove_medication_response_cb (AdwMessageDialog *dialog,
                                  const char       *response,
                                  gpointer          user_data)
{
  CairnScreeningPage *self = g_object_get_data (G_OBJECT (dialog), "cairn-page");
  GtkWidget *button = user_data;
  CairnScreeningChange *data;

  if (g_strcmp0 (response, "remove") != 0 || self == NULL || self->vault == NULL)
    return;
  data = cairn_screening_change_new (CAIRN_SCREENING_CHANGE_REMOVE_MEDICATION, self->patient_id);
  data->id = g_strdup (g_object_get_data (G_OBJECT (button), "cairn-id"));
  gtk_widget_set_sensitive (button, FALSE);
  run_save (self, data);
}

/* A medication taken off the list keeps its record (a tombstone), but
 * the list no longer shows it: ask first. */
static void
on_remove_medication_cb (CairnScreeningPage *self,
                         GtkWidget          *button)
{
  GtkWidget *row = gtk_widget_get_ancestor (button, ADW_TYPE_ACTION_ROW);
  GtkWidget *dialog;

  if (self->vault == NULL || row == NULL)
    return;
  /* TRANSLATORS: %s is a medicine, e.g. "Remove Sertraline 50 mg?" */
  dialog = adw_message_dialog_new (GTK_WINDOW (gtk_widget_get_root (GTK_WIDGET (self))), NULL, NULL);
  adw_message_dialog_format_heading (ADW_MESSAGE_DIALOG (dialog), _("Remove %s?"),
                                     adw_preferences_row_get_title (ADW_PREFERENCES_ROW (row)));
  adw_message_dialog_set_body (ADW_MESSAGE_DIALOG (dialog),
                               _("It leaves the list of medications. For a medicine the patient stopped taking, "
                                 "enter the day it was tapered off instead."));
  adw_message_dialog_add_responses (ADW_MESSAGE_DIALOG (dialog), "cancel", _("_Cancel"), "remove", _("_Remove"),
                                    NULL);
  adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (dialog), "remove", ADW_RESPONSE_DESTRUCTIVE);
  adw_message_dialog_set_default_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  adw_message_dialog_set_close_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  g_object_set_data_full (G_OBJECT (dialog), "cairn-page", g_object_ref (self), g_object_unref);
  g_signal_connect_object (dialog, "response", G_CALLBACK (on_remove_medication_response_cb), button, 0);
  gtk_window_present (GTK_WINDOW (dialog));
}

static char *
medication_subtitle (const CairnMedication *m)
{
  g_autoptr(GPtrArray) parts = g_ptr_array_new_with_free_func (g_free);

  if (m->dose != NULL)
    g_ptr_array_add (parts, g_strdup (m->dose));
  if (m->serotonergic)
    g_ptr_array_add (parts, g_strdup (_("Serotonergic")));
  if (m->tapered_off != NULL)
    g_ptr_array_add (parts, g_strdup_printf (_("Tapered off on %s"), m->tapered_off));
  else if (m->taper_plan != NULL)
    g_ptr_array_add (parts, g_strdup_printf (_("Taper plan: %s"), m->taper_plan));
  else if (m->serotonergic)
    g_ptr_array_add (parts, g_strdup (_("No taper plan yet")));
  g_ptr_array_add (parts, NULL);
  /* Translators: between the parts of a medication's line, e.g. "50 mg · Serotonergic" */
  return g_strjoinv (_(" · "), (char **) parts->pdata);
}

static void
show_medications (CairnScreeningPage *self)
{
  for (guint i = 0; i < self->medication_rows->len; i++)
    adw_preferences_group_remove (self->medications_group, g_ptr_array_index (self->medication_rows, i));
  g_ptr_array_set_size (self->medication_rows, 0);

  if (self->screening->medications->len == 0)
    {
      GtkWidget *row = adw_action_row_new ();

      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), _("No medications recorded"));
      gtk_widget_add_css_class (row, "dim-label");
      adw_preferences_group_add (self->medications_group, row);
      g_ptr_array_add (self->medication_rows, row);
      return;
    }

  for (guint i = 0; i < self->screening->medications->len; i++)
    {
      const CairnMedication *m = g_ptr_array_index (self->screening->medications, i);
      GtkWidget *row = adw_action_row_new ();
      GtkWidget *remove = gtk_button_new_from_icon_name ("user-trash-symbolic");
      GtkWidget *edit = gtk_image_new_from_icon_name ("go-next-symbolic");
      g_autofree char *subtitle = medication_subtitle (m);

      adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), m->name);
      adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);
      adw_action_row_set_subtitle_lines (ADW_ACTION_ROW (row), 0);
      gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (row), TRUE);
      g_object_set_data_full (G_OBJECT (row), "cairn-id", g_strdup (m->id), g_free);
      g_signal_connect_object (row, "activated", G_CALLBACK (on_medication_activated_cb), self,
                               G_CONNECT_SWAPPED);

      gtk_widget_set_valign (remove, GTK_ALIGN_CENTER);
      gtk_widget_add_css_class (remove, "flat");
      gtk_widget_set_tooltip_text (remove, _("Remove From the List"));
      g_object_set_data_full (G_OBJECT (remove), "cairn-id", g_strdup (m->id), g_free);
      g_signal_connect_object (remove, "clicked", G_CALLBACK (on_remove_medication_cb), self,
                               G_CONNECT_SWAPPED);
      adw_action_row_add_suffix (ADW_ACTION_ROW (row), remove);
      adw_action_row_add_suffix (ADW_ACTION_ROW (row), edit);

      adw_preferences_group_add (self->medications_group, row);
      g_ptr_array_add (self->medication_rows, row);
    }
}

static void
medication_saved (CairnScreeningPage   *self,
                  CairnScreeningChange *data)
{
  show_medications (self);
  page_toast (self, data->is_new ? _("Medication added") : _("Medication saved"));
}

static void
medication_removed (CairnScreeningPage   *self,
                    CairnScreeningChange *data)
{
  show_medications (self);
  page_toast (self, _("Medication removed from the list"));
}

/* The dialog's rows, by field. */
typedef struct
{
  char      *id;
  GtkWidget *name;
  GtkWidget *dose;
  GtkWidget *serotonergic;
  GtkWidget *taper_plan;
  GtkWidget *tapered_off;
  gboolean   flag_touched;     /* the clinician set the switch: stop suggesting */
  gboolean   suggesting;
} MedicationForm;

static void
medication_form_free (MedicationForm *form)
{
  g_free (form->id);
  g_free (form);
}

static void
on_medication_name_changed_cb (GtkEditable *name,
                               MedicationForm *form)
{
  if (form->flag_touched)
    return;
  form->suggesting = TRUE;
  gtk_switch_set_active (GTK_SWITCH (form->serotonergic),
                         cairn_screening_is_serotonergic (gtk_editable_get_text (name)));
  form->suggesting = FALSE;
}

static void
on_serotonergic_toggled_cb (GtkSwitch      *toggle,
                            GParamSpec     *pspec,
                            MedicationForm *form)
{
  if (!form->suggesting)
    form->flag_touched = TRUE;
}

static void
on_medication_submitted_cb (CairnScreeningPage   *self,
                            CairnScreeningDialog *dialog)
{
  MedicationForm *form = g_object_get_data (G_OBJECT (dialog), "cairn-form");
  CairnMedication *m;
  CairnScreeningChange *data;

  if (self->vault == NULL)
    return;
  m = cairn_medication_new ();
  m->id = g_strdup (form->id);
  m->name = g_strdup (gtk_editable_get_text (GTK_EDITABLE (form->name)));
  m->dose = text_or_null (gtk_editable_get_text (GTK_EDITABLE (form->dose)));
  m->serotonergic = gtk_switch_get_active (GTK_SWITCH (form->serotonergic));
  m->taper_plan = text_or_null (gtk_editable_get_text (GTK_EDITABLE (form->taper_plan)));
  m->tapered_off = text_or_null (gtk_editable_get_text (GTK_EDITABLE (form->tapered_off)));

  data = cairn_screening_change_new (CAIRN_SCREENING_CHANGE_MEDICATION, self->patient_id);
  data->is_new = m->id == NULL;
  data->medication = m;
  cairn_screening_dialog_set_busy (dialog, TRUE);
  run_save (self, data);
}

static void
on_dialog_destroyed_cb (CairnScreeningPage *self,
                        GtkWidget          *dialog)
{
  if (self->dialog == CAIRN_SCREENING_DIALOG (dialog))
    self->dialog = NULL;
}

static void
present_dialog (CairnScreeningPage   *self,
                CairnScreeningDialog *dialog)
{
  if (self->dialog != NULL)
    gtk_window_destroy (GTK_WINDOW (self->dialog));
  self->dialog = dialog;
  g_signal_connect_object (dialog, "destroy", G_CALLBACK (on_dialog_destroyed_cb), self, G_CONNECT_SWAPPED);
  gtk_window_present (GTK_WINDOW (dialog));
}

static GtkWidget *
entry_row_new (const char *title,
               const char *text)
{
  GtkWidget *row = adw_entry_row_new ();

  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
  gtk_editable_set_text (GTK_EDITABLE (row), text != NULL ? text : "");
  return row;
}

static void
open_medication_dialog (CairnScreeningPage    *self,
                        const CairnMedication *medication)
{
  gboolean is_new = medication == NULL;
  CairnScreeningDialog *dialog;
  AdwPreferencesGroup *group;
  MedicationForm *form = g_new0 (MedicationForm, 1);
  GtkWidget *flag_row;

  if (self->vault == NULL)
    {
      medication_form_free (form);
      return;
    }

  dialog = cairn_screening_dialog_new (GTK_WIDGET (self), is_new ? _("Add Medication") : _("Edit Medication"),
                                       is_new ? _("_Add") : _("_Save"));
  g_object_set_data_full (G_OBJECT (dialog), "cairn-form", form, (GDestroyNotify) medication_form_free);
  form->id = is_new ? NULL : g_strdup (medication->id);
  /* A saved flag is the clinician's: keep it as it is. */
  form->flag_touched = !is_new;

  group = cairn_screening_dialog_add_group (dialog, NULL, NULL);
  form->name = entry_row_new (_("Name"), is_new ? NULL : medication->name);
  cairn_screening_dialog_add_field (dialog, group, "name", form->name);
  form->dose = entry_row_new (_("Dose"), is_new ? NULL : medication->dose);
  cairn_screening_dialog_add_field (dialog, group, "dose", form->dose);

  flag_row = adw_action_row_new ();
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (flag_row), _("Serotonergic"));
  adw_action_row_set_subtitle (ADW_ACTION_ROW (flag_row),
                               _("Suggested from a list of common serotonergic medicines; change it if it is wrong."));
  form->serotonergic = gtk_switch_new ();
  gtk_widget_set_valign (form->serotonergic, GTK_ALIGN_CENTER);
  gtk_switch_set_active (GTK_SWITCH (form->serotonergic), !is_new && medication->serotonergic);
  adw_action_row_add_suffix (ADW_ACTION_ROW (flag_row), form->serotonergic);
  adw_action_row_set_activatable_widget (ADW_ACTION_ROW (flag_row), form->serotonergic);
  cairn_screening_dialog_add_field (dialog, group, NULL, flag_row);

  group = cairn_screening_dialog_add_group (dialog, _("Tapering"),
                                            _("The day tapered off is a past date, such as 2024-03-27."));
  form->taper_plan = entry_row_new (_("Taper plan"), is_new ? NULL : medication->taper_plan);
  cairn_screening_dialog_add_field (dialog, group, "taper_plan", form->taper_plan);
  form->tapered_off = entry_row_new (_("Tapered off on"), is_new ? NULL : medication->tapered_off);
  cairn_screening_dialog_add_field (dialog, group, "tapered_off", form->tapered_off);

  g_signal_connect (form->name, "changed", G_CALLBACK (on_medication_name_changed_cb), form);
  g_signal_connect (form->serotonergic, "notify::active", G_CALLBACK (on_serotonergic_toggled_cb), form);
  g_signal_connect_object (dialog, "submitted", G_CALLBACK (on_medication_submitted_cb), self, G_CONNECT_SWAPPED);
  present_dialog (self, dialog);
  gtk_widget_grab_focus (form->name);
}

static void
on_add_medication_clicked_cb (CairnScreeningPage *self)
{
  open_medication_dialog (self, NULL);
}

/* ------------------------------------------------------------------------ */
/* Pregnancy tests                                                           */

/* The result row's choices, as in result_model. */
enum
{
  RESULT_NOT_CHOSEN,
  RESULT_NEGATIVE,
  RESULT_POSITIVE,
};

static void
on_remove_test_cb (CairnScreeningPage *self,
                   GtkWidget          *button)
{
  CairnScreeningChange *data;

  if (self->vault == NULL)
    return;
  data = cairn_screening_change_new (CAIRN_SCREENING_CHANGE_REMOVE_TEST, self->patient_id);
  data->id = g_strdup (g_object_get_data (G_OBJECT (button), "cairn-id"));
  gtk_widget_set_sensitive (button, FALSE);
  run_save (self, data);
}

static void
show_tests (CairnScreeningPage *self)
{
  gboolean applies = cairn_protocol_get_pregnancy_tests (self->protocol);

  for (guint i = 0; i < self->test_rows->len; i++)
    adw_preferences_group_remove (self->pregnancy_group, g_ptr_array_index (self->test_rows, i));
  g_ptr_array_set_size (self->test_rows, 0);

  /* A template without pregnancy tests shows neither the tests nor the switch. */
  gtk_widget_set_visible (GTK_WIDGET (self->pregnancy_group), applies);
  gtk_widget_set_visible (gtk_widget_get_ancestor (GTK_WIDGET (self->pregnancy_switch), ADW_TYPE_ACTION_ROW),
                          applies);

  for (guint i = 0; i < self->screening->pregnancy_tests->len; i++)
    {
      const CairnPregnancyTest *test = g_ptr_array_index (self->screening->pregnancy_tests, i);
      GtkWidget *row = adw_action_row_new ();
      GtkWidget *remove = gtk_button_new_from_icon_name ("user-trash-symbolic");

      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), test->date);
      adw_action_row_set_subtitle (ADW_ACTION_ROW (row),
                                   test->result == CAIRN_PREGNANCY_RESULT_NEGATIVE ? _("Negative") : _("Positive"));
      gtk_widget_set_valign (remove, GTK_ALIGN_CENTER);
      gtk_widget_add_css_class (remove, "flat");
      gtk_widget_set_tooltip_text (remove, _("Remove, Entered by Mistake"));
      g_object_set_data_full (G_OBJECT (remove), "cairn-id", g_strdup (test->id), g_free);
      g_signal_connect_object (remove, "clicked", G_CALLBACK (on_remove_test_cb), self, G_CONNECT_SWAPPED);
      adw_action_row_add_suffix (ADW_ACTION_ROW (row), remove);
      adw_preferences_group_add (self->pregnancy_group, row);
      g_ptr_array_add (self->test_rows, row);
    }
}

static void
on_add_test_clicked_cb (CairnScreeningPage *self)
{
  CairnScreeningChange *data;

  guint result = adw_combo_row_get_selected (self->test_result_row);

  if (self->vault == NULL)
    return;
  /* No result is ever recorded by default: it must be chosen. */
  if (result != RESULT_NEGATIVE && result != RESULT_POSITIVE)
    {
      g_autoptr(GPtrArray) problems = g_ptr_array_new_with_free_func ((GDestroyNotify) cairn_field_problem_free);
      CairnFieldProblem *problem = g_new0 (CairnFieldProblem, 1);

      problem->field = "result";
      problem->message = g_strdup (_("Choose the result the test showed."));
      g_ptr_array_add (problems, problem);
      cairn_field_set_show_some (self->fields, test_fields, problems);
      gtk_widget_grab_focus (GTK_WIDGET (self->test_result_row));
      return;
    }
  data = cairn_screening_change_new (CAIRN_SCREENING_CHANGE_ADD_TEST, self->patient_id);
  data->date = text_or_null (row_text (self->test_date_row));
  data->result = result == RESULT_POSITIVE ? CAIRN_PREGNANCY_RESULT_POSITIVE : CAIRN_PREGNANCY_RESULT_NEGATIVE;
  set_busy (self, self->add_test_button, TRUE);
  run_save (self, data);
}

static void
test_added (CairnScreeningPage   *self,
            CairnScreeningChange *data)
{
  /* The next test's result is chosen anew. */
  self->filling = TRUE;
  adw_combo_row_set_selected (self->test_result_row, RESULT_NOT_CHOSEN);
  self->filling = FALSE;
  show_tests (self);
  page_toast (self, _("Pregnancy test recorded"));
}

static void
test_removed (CairnScreeningPage   *self,
              CairnScreeningChange *data)
{
  show_tests (self);
  page_toast (self, _("Pregnancy test removed"));
}

/* ------------------------------------------------------------------------ */
/* Eligibility decision                                                      */

static char *
decision_subtitle (CairnScreeningPage             *self,
                   const CairnEligibilityDecision *decision)
{
  /* Translators: "<reason> — decided by <name> on <date>" */
  return g_strdup_printf (_("%s — decided by %s on %s"), decision->reason,
                          user_name (self, decision->decided_by), decision->decided_on);
}

static void
show_decisions (CairnScreeningPage *self)
{
  const CairnEligibilityDecision *latest = cairn_screening_get_decision (self->screening);

  for (guint i = 0; i < self->decision_rows->len; i++)
    adw_expander_row_remove (self->decision_history_row, g_ptr_array_index (self->decision_rows, i));
  g_ptr_array_set_size (self->decision_rows, 0);

  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self->decision_row),
                                 cairn_eligibility_get_label (cairn_screening_get_eligibility (self->screening)));
  if (latest != NULL)
    {
      g_autofree char *subtitle = decision_subtitle (self, latest);

      adw_action_row_set_subtitle (self->decision_row, subtitle);
    }
  else
    adw_action_row_set_subtitle (self->decision_row, _("No decision is recorded yet."));

  for (guint i = 1; i < self->screening->decisions->len; i++)
    {
      const CairnEligibilityDecision *decision = g_ptr_array_index (self->screening->decisions, i);
      GtkWidget *row = adw_action_row_new ();
      g_autofree char *subtitle = decision_subtitle (self, decision);

      adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), cairn_eligibility_get_label (decision->decision));
      adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);
      adw_action_row_set_subtitle_lines (ADW_ACTION_ROW (row), 0);
      adw_expander_row_add_row (self->decision_history_row, row);
      g_ptr_array_add (self->decision_rows, row);
    }
  gtk_widget_set_visible (GTK_WIDGET (self->decision_history_row), self->decision_rows->len > 0);
}

/* The form starts on no decision: the clinician chooses one, it is not
 * there by default to be recorded by mistake. */
static const CairnEligibility decision_items[] = {
  CAIRN_ELIGIBILITY_NONE, CAIRN_ELIGIBILITY_ELIGIBLE, CAIRN_ELIGIBILITY_NOT_ELIGIBLE,
  CAIRN_ELIGIBILITY_NEEDS_REVIEW,
};

static void
on_decision_submitted_cb (CairnScreeningPage   *self,
                          CairnScreeningDialog *dialog)
{
  AdwComboRow *combo = g_object_get_data (G_OBJECT (dialog), "cairn-decision-row");
  AdwEntryRow *reason = g_object_get_data (G_OBJECT (dialog), "cairn-reason-row");
  AdwEntryRow *date = g_object_get_data (G_OBJECT (dialog), "cairn-date-row");
  guint item = adw_combo_row_get_selected (combo);
  CairnScreeningChange *data;

  if (self->vault == NULL)
    return;
  data = cairn_screening_change_new (CAIRN_SCREENING_CHANGE_DECISION, self->patient_id);
  data->decision = item < G_N_ELEMENTS (decision_items) ? decision_items[item] : CAIRN_ELIGIBILITY_NONE;
  data->reason = g_strdup (row_text (reason));
  data->date = text_or_null (row_text (date));
  if (data->date == NULL)
    {
      g_autoptr(GPtrArray) problems = g_ptr_array_new_with_free_func ((GDestroyNotify) cairn_field_problem_free);

      cairn_field_problem_add (problems, "decided_on", g_strdup (_("Enter the day of the decision, such as 2024-03-27.")));
      cairn_screening_dialog_show_problems (dialog, problems, NULL);
      cairn_screening_change_free (data);
      return;
    }
  cairn_screening_dialog_set_busy (dialog, TRUE);
  run_save (self, data);
}

static void
on_decision_clicked_cb (CairnScreeningPage *self)
{
  CairnScreeningDialog *dialog;
  AdwPreferencesGroup *group;
  GtkWidget *combo;
  GtkWidget *reason;
  GtkWidget *date;
  const char * const items[] = {
    /* TRANSLATORS: the eligibility decision form before a decision is chosen */
    _("Choose…"),
    cairn_eligibility_get_label (CAIRN_ELIGIBILITY_ELIGIBLE),
    cairn_eligibility_get_label (CAIRN_ELIGIBILITY_NOT_ELIGIBLE),
    cairn_eligibility_get_label (CAIRN_ELIGIBILITY_NEEDS_REVIEW),
    NULL,
  };
  g_autoptr(GtkStringList) model = gtk_string_list_new (items);

  if (self->vault == NULL || self->screening == NULL)
    return;

  dialog = cairn_screening_dialog_new (GTK_WIDGET (self), _("Record Decision"), _("_Record"));
  group = cairn_screening_dialog_add_group (dialog, NULL,
                                            _("A new decision is added to the history; earlier ones are kept."));
  combo = adw_combo_row_new ();
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (combo), _("Decision"));
  adw_combo_row_set_model (ADW_COMBO_ROW (combo), G_LIST_MODEL (model));
  adw_combo_row_set_selected (ADW_COMBO_ROW (combo), 0);
  cairn_screening_dialog_add_field (dialog, group, "decision", combo);
  reason = entry_row_new (_("Reason"), NULL);
  cairn_screening_dialog_add_field (dialog, group, "reason", reason);
  date = entry_row_new (_("Decided on"), self->today);
  cairn_screening_dialog_add_field (dialog, group, "decided_on", date);

  g_object_set_data (G_OBJECT (dialog), "cairn-decision-row", combo);
  g_object_set_data (G_OBJECT (dialog), "cairn-reason-row", reason);
  g_object_set_data (G_OBJECT (dialog), "cairn-date-row", date);
  g_signal_connect_object (dialog, "submitted", G_CALLBACK (on_decision_submitted_cb), self, G_CONNECT_SWAPPED);
  present_dialog (self, dialog);
  gtk_widget_grab_focus (reason);
}

static void
decision_recorded (CairnScreeningPage   *self,
                   CairnScreeningChange *data)
{
  show_decisions (self);
  page_toast (self, _("Decision recorded"));
}

/* ------------------------------------------------------------------------ */
/* After a save                                                              */

static void
save_done_cb (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  CairnScreeningPage *self = user_data;
  g_autoptr(GError) error = NULL;
  CairnScreeningChange *data = cairn_screening_save_finish (CAIRN_VAULT (source), result, &error);
  gboolean in_dialog;
  CairnScreeningChangeKind kind;

  if (self->screening == NULL)
    return;
  if (data != NULL && g_strcmp0 (data->patient_id, self->patient_id) != 0)
    return;

  /* Which button or dialog was waiting. */
  kind = data != NULL ? data->kind : CAIRN_SCREENING_CHANGE_DETAILS;
  if (self->dialog != NULL)
    cairn_screening_dialog_set_busy (self->dialog, FALSE);
  set_busy (self, self->history_button, FALSE);
  set_busy (self, self->baseline_button, FALSE);
  set_busy (self, self->consent_button, FALSE);
  set_busy (self, self->add_test_button, FALSE);

  if (data == NULL)
    {
      /* Not bad input: the vault failed. Say so where the user is. */
      if (self->dialog != NULL)
        cairn_screening_dialog_show_problems (self->dialog, NULL, error->message);
      else
        page_toast (self, error->message);
      show_medications (self);
      show_tests (self);
      return;
    }

  in_dialog = kind == CAIRN_SCREENING_CHANGE_MEDICATION || kind == CAIRN_SCREENING_CHANGE_DECISION;
  if (data->problems != NULL)
    {
      const char *unplaced = NULL;

      if (in_dialog && self->dialog != NULL)
        cairn_screening_dialog_show_problems (self->dialog, data->problems, NULL);
      else if (kind == CAIRN_SCREENING_CHANGE_EXCLUSION)
        {
          GtkWidget *expander = find_exclusion_row (self, data->exclusion_id);
          CairnFieldProblem *first = g_ptr_array_index (data->problems, 0);

          /* The note is the one field of an answer the user types. */
          first->field = expander != NULL ? g_object_get_data (G_OBJECT (expander), "cairn-field") : NULL;
          unplaced = cairn_field_set_show (self->exclusion_fields, data->problems);
        }
      else
        unplaced = cairn_field_set_show_some (self->fields,
                                              kind == CAIRN_SCREENING_CHANGE_ADD_TEST ? test_fields : parts_fields (data->parts),
                                              data->problems);
      if (unplaced != NULL)
        page_toast (self, unplaced);
      return;
    }

  if (in_dialog && self->dialog != NULL)
    gtk_window_destroy (GTK_WINDOW (self->dialog));

  cairn_screening_change_apply (data, self->screening);
  switch (kind)
    {
    case CAIRN_SCREENING_CHANGE_DETAILS:
      cairn_field_set_show_some (self->fields, parts_fields (data->parts), NULL);
      details_saved (self, data);
      break;
    case CAIRN_SCREENING_CHANGE_EXCLUSION:
      cairn_field_set_clear (self->exclusion_fields);
      exclusion_saved (self, data);
      break;
    case CAIRN_SCREENING_CHANGE_MEDICATION:
      medication_saved (self, data);
      break;
    case CAIRN_SCREENING_CHANGE_REMOVE_MEDICATION:
      medication_removed (self, data);
      break;
    case CAIRN_SCREENING_CHANGE_ADD_TEST:
      cairn_field_set_show_some (self->fields, test_fields, NULL);
      test_added (self, data);
      break;
    case CAIRN_SCREENING_CHANGE_REMOVE_TEST:
      test_removed (self, data);
      break;
    case CAIRN_SCREENING_CHANGE_DECISION:
      decision_recorded (self, data);
      break;
    default:
      g_assert_not_reached ();
    }
}

/* ------------------------------------------------------------------------ */
/* Loading and clearing                                                      */

static gpointer
read_screen (CairnVault     *vault,
             gconstpointer   request,
             gint64          now,
             GError        **error)
{
  return cairn_screening_screen_load (vault, request, now, error);
}

static void
show_screen (gpointer user_data,
             gpointer result)
{
  CairnScreeningPage *self = user_data;
  g_autoptr(CairnScreeningScreen) screen = result;

  if (g_strcmp0 (screen->patient_id, self->patient_id) != 0)
    return;

  g_clear_pointer (&self->screening, cairn_screening_free);
  g_clear_pointer (&self->protocol, cairn_protocol_unref);
  g_clear_pointer (&self->names, g_hash_table_unref);
  g_clear_pointer (&self->today, g_free);
  self->screening = g_steal_pointer (&screen->screening);
  self->protocol = g_steal_pointer (&screen->protocol);
  self->names = g_steal_pointer (&screen->names);
  self->today = g_steal_pointer (&screen->today);

  cairn_field_set_clear (self->fields);
  fill_details (self, CAIRN_SCREENING_PART_ALL);
  show_exclusions (self);
  show_medications (self);
  self->filling = TRUE;
  set_row_text (self->test_date_row, self->today);
  adw_combo_row_set_selected (self->test_result_row, RESULT_NOT_CHOSEN);
  self->filling = FALSE;
  show_tests (self);
  show_decisions (self);
}

static void
show_nothing (CairnScreeningPage *self)
{
  adw_status_page_set_icon_name (self->empty_page, NULL);
  adw_status_page_set_title (self->empty_page, "");
  adw_status_page_set_description (self->empty_page, NULL);
  gtk_stack_set_visible_child_name (self->states, "empty");
}

/**
 * cairn_screening_page_load:
 * @self: a screening page
 * @patient: whose screening
 *
 * Reads the patient's screening on the context's vault's worker and shows it; a
 * read that fails shows the loader's page with Try Again. A vault without
 * clinical data (the front desk) reads nothing and shows nothing.
 */
void
cairn_screening_page_load (CairnScreeningPage *self,
                           const CairnPatient *patient)
{
  CairnVault *vault;

  g_return_if_fail (CAIRN_IS_SCREENING_PAGE (self));
  g_return_if_fail (patient != NULL);

  cairn_screening_page_clear (self);
  vault = cairn_context_get_vault (self->context);
  if (patient->id == NULL || vault == NULL || cairn_vault_is_locked (vault) ||
      !cairn_vault_has_clinical (vault))
    return;

  self->vault = g_object_ref (vault);
  self->patient_id = g_strdup (patient->id);
  gtk_stack_set_visible_child_name (self->states, "form");
  cairn_loader_load (self->loader, vault, patient->id);
}

/**
 * cairn_screening_page_clear:
 * @self: a screening page
 *
 * Forgets everything shown, typed or waiting, closes a dialog, and drops
 * the vault: on lock, and before another patient.
 */
void
cairn_screening_page_clear (CairnScreeningPage *self)
{
  g_return_if_fail (CAIRN_IS_SCREENING_PAGE (self));

  if (self->runner != NULL)
    cairn_runner_cancel (self->runner);
  if (self->loader != NULL)
    cairn_loader_clear (self->loader);
  if (self->dialog != NULL)
    gtk_window_destroy (GTK_WINDOW (self->dialog));
  self->dialog = NULL;
  page_dismiss_toast (self);
  g_clear_object (&self->vault);
  g_clear_pointer (&self->patient_id, g_free);
  g_clear_pointer (&self->screening, cairn_screening_free);
  g_clear_pointer (&self->protocol, cairn_protocol_unref);
  g_clear_pointer (&self->names, g_hash_table_unref);
  g_clear_pointer (&self->today, g_free);
  if (self->fields == NULL)
    return;

  /* Nothing of the last patient stays in a widget. */
  self->filling = TRUE;
  set_row_text (self->diagnosis_row, NULL);
  set_view_text (self->psychiatric_view, NULL);
  set_view_text (self->medical_view, NULL);
  set_view_text (self->trauma_view, NULL);
  set_row_text (self->vitals_date_row, NULL);
  set_row_text (self->systolic_row, NULL);
  set_row_text (self->diastolic_row, NULL);
  set_row_text (self->heart_rate_row, NULL);
  set_row_text (self->temperature_row, NULL);
  set_row_text (self->weight_row, NULL);
  set_row_text (self->ecg_date_row, NULL);
  set_row_text (self->labs_date_row, NULL);
  gtk_switch_set_active (self->pregnancy_switch, FALSE);
  set_row_text (self->test_date_row, NULL);
  set_row_text (self->consent_date_row, NULL);
  set_row_text (self->support_person_row, NULL);
  set_row_text (self->driver_row, NULL);
  set_row_text (self->overnight_attendant_row, NULL);
  self->filling = FALSE;
  cairn_field_set_clear (self->fields);
  clear_exclusions (self);
  for (guint i = 0; i < self->medication_rows->len; i++)
    adw_preferences_group_remove (self->medications_group, g_ptr_array_index (self->medication_rows, i));
  g_ptr_array_set_size (self->medication_rows, 0);
  for (guint i = 0; i < self->test_rows->len; i++)
    adw_preferences_group_remove (self->pregnancy_group, g_ptr_array_index (self->test_rows, i));
  g_ptr_array_set_size (self->test_rows, 0);
  for (guint i = 0; i < self->decision_rows->len; i++)
    adw_expander_row_remove (self->decision_history_row, g_ptr_array_index (self->decision_rows, i));
  g_ptr_array_set_size (self->decision_rows, 0);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self->decision_row), "");
  adw_action_row_set_subtitle (self->decision_row, "");
  set_busy (self, self->history_button, FALSE);
  set_busy (self, self->baseline_button, FALSE);
  set_busy (self, self->consent_button, FALSE);
  set_busy (self, self->add_test_button, FALSE);
  show_nothing (self);
}

/* ------------------------------------------------------------------------ */
/* The widget                                                                */

static void
cairn_screening_page_dispose (GObject *object)
{
  CairnScreeningPage *self = CAIRN_SCREENING_PAGE (object);

  if (self->fields != NULL)
    cairn_screening_page_clear (self);
  g_clear_pointer (&self->fields, cairn_field_set_free);
  g_clear_pointer (&self->exclusion_fields, cairn_field_set_free);
  g_clear_object (&self->toaster);
  g_clear_object (&self->runner);
  gtk_widget_dispose_template (GTK_WIDGET (self), CAIRN_TYPE_SCREENING_PAGE);
  g_clear_pointer (&self->exclusion_rows, g_ptr_array_unref);
  g_clear_pointer (&self->medication_rows, g_ptr_array_unref);
  g_clear_pointer (&self->test_rows, g_ptr_array_unref);
  g_clear_pointer (&self->decision_rows, g_ptr_array_unref);
  g_clear_object (&self->context);

  G_OBJECT_CLASS (cairn_screening_page_parent_class)->dispose (object);
}

static void
cairn_screening_page_set_property (GObject      *object,
                                   guint         prop_id,
                                   const GValue *value,
                                   GParamSpec   *pspec)
{
  CairnScreeningPage *self = CAIRN_SCREENING_PAGE (object);

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
cairn_screening_page_class_init (CairnScreeningPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->set_property = cairn_screening_page_set_property;

  /**
   * CairnScreeningPage:context:
   *
   * What the tab works in: the unlocked vault, read from when the tab is
   * given a patient.
   */
  properties[PROP_CONTEXT] =
    g_param_spec_object ("context", NULL, NULL, CAIRN_TYPE_CONTEXT,
                         G_PARAM_WRITABLE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  object_class->dispose = cairn_screening_page_dispose;

  g_type_ensure (CAIRN_TYPE_LOADER);
  gtk_widget_class_set_template_from_resource (widget_class,
                                               RESOURCE_BASE_PATH "/screening/cairn-screening-page.ui");
  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);

  gtk_widget_class_bind_template_child (widget_class, CairnScreeningPage, add_medication_button);
  gtk_widget_class_bind_template_child (widget_class, CairnScreeningPage, add_test_button);
  gtk_widget_class_bind_template_child (widget_class, CairnScreeningPage, add_test_row);
  gtk_widget_class_bind_template_child (widget_class, CairnScreeningPage, baseline_button);
  gtk_widget_class_bind_template_child (widget_class, CairnScreeningPage, consent_button);
  gtk_widget_class_bind_template_child (widget_class, CairnScreeningPage, consent_date_row);
  gtk_widget_class_bind_template_child (widget_class, CairnScreeningPage, decision_button);
  gtk_widget_class_bind_template_child (widget_class, CairnScreeningPage, decision_group);
  gtk_widget_class_bind_template_child (widget_class, CairnScreeningPage, decision_history_row);
  gtk_widget_class_bind_template_child (widget_class, CairnScreeningPage, decision_row);
  gtk_widget_class_bind_template_child (widget_class, CairnScreeningPage, diagnosis_row);
  gtk_widget_class_bind_template_child (widget_class, CairnScreeningPage, diastolic_row);
  gtk_widget_class_bind_template_child (widget_class, CairnScreeningPage, driver_row);
  gtk_widget_class_bind_template_child (widget_class, CairnScreeningPage, ecg_date_row);
  gtk_widget_class_bind_template_child (widget_class, CairnScreeningPage, empty_page);
  gtk_widget_class_bind_template_child (widget_class, CairnScreeningPage, exclusions_group);
  gtk_widget_class_bind_template_child (widget_class, CairnScreeningPage, heart_rate_row);
  gtk_widget_class_bind_template_child (widget_class, CairnScreeningPage, history_button);
  gtk_widget_class_bind_template_child (widget_class, CairnScreeningPage, labs_date_row);
  gtk_widget_class_bind_template_child (widget_class, CairnScreeningPage, loader);
  gtk_widget_class_bind_template_child (widget_class, CairnScreeningPage, medical_card);
  gtk_widget_class_bind_template_child (widget_class, CairnScreeningPage, medical_problem);
  gtk_widget_class_bind_template_child (widget_class, CairnScreeningPage, medical_view);
  gtk_widget_class_bind_template_child (widget_class, CairnScreeningPage, medications_group);
  gtk_widget_class_bind_template_child (widget_class, CairnScreeningPage, overnight_attendant_row);
  gtk_widget_class_bind_template_child (widget_class, CairnScreeningPage, pregnancy_group);
  gtk_widget_class_bind_template_child (widget_class, CairnScreeningPage, pregnancy_switch);
  gtk_widget_class_bind_template_child (widget_class, CairnScreeningPage, psychiatric_card);
  gtk_widget_class_bind_template_child (widget_class, CairnScreeningPage, psychiatric_problem);
  gtk_widget_class_bind_template_child (widget_class, CairnScreeningPage, psychiatric_view);
  gtk_widget_class_bind_template_child (widget_class, CairnScreeningPage, states);
  gtk_widget_class_bind_template_child (widget_class, CairnScreeningPage, support_person_row);
  gtk_widget_class_bind_template_child (widget_class, CairnScreeningPage, systolic_row);
  gtk_widget_class_bind_template_child (widget_class, CairnScreeningPage, temperature_row);
  gtk_widget_class_bind_template_child (widget_class, CairnScreeningPage, test_date_row);
  gtk_widget_class_bind_template_child (widget_class, CairnScreeningPage, test_result_row);
  gtk_widget_class_bind_template_child (widget_class, CairnScreeningPage, toast_overlay);
  gtk_widget_class_bind_template_child (widget_class, CairnScreeningPage, trauma_card);
  gtk_widget_class_bind_template_child (widget_class, CairnScreeningPage, trauma_problem);
  gtk_widget_class_bind_template_child (widget_class, CairnScreeningPage, trauma_view);
  gtk_widget_class_bind_template_child (widget_class, CairnScreeningPage, vitals_date_row);
  gtk_widget_class_bind_template_child (widget_class, CairnScreeningPage, weight_row);
}

static void
cairn_screening_page_init (CairnScreeningPage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  self->toaster = cairn_toaster_new (GTK_WIDGET (self->toast_overlay));
  self->runner = cairn_runner_new ();
  cairn_loader_setup (self->loader, read_screen, (GBoxedCopyFunc) g_strdup, g_free,
                      (GDestroyNotify) cairn_screening_screen_free, show_screen, self);
  self->exclusion_rows = g_ptr_array_new ();
  self->medication_rows = g_ptr_array_new ();
  self->test_rows = g_ptr_array_new ();
  self->decision_rows = g_ptr_array_new ();
  self->exclusion_fields = cairn_field_set_new ();
  self->fields = cairn_field_set_new ();

  cairn_field_set_add_row (self->fields, "diagnosis", GTK_WIDGET (self->diagnosis_row));
  cairn_field_set_add_label (self->fields, "psychiatric_history", self->psychiatric_card, self->psychiatric_problem);
  cairn_field_set_add_label (self->fields, "medical_history", self->medical_card, self->medical_problem);
  cairn_field_set_add_label (self->fields, "trauma_history", self->trauma_card, self->trauma_problem);
  cairn_field_set_add_row (self->fields, "vitals_date", GTK_WIDGET (self->vitals_date_row));
  cairn_field_set_add_row (self->fields, "systolic", GTK_WIDGET (self->systolic_row));
  cairn_field_set_add_row (self->fields, "diastolic", GTK_WIDGET (self->diastolic_row));
  cairn_field_set_add_row (self->fields, "heart_rate", GTK_WIDGET (self->heart_rate_row));
  cairn_field_set_add_row (self->fields, "temperature", GTK_WIDGET (self->temperature_row));
  cairn_field_set_add_row (self->fields, "weight", GTK_WIDGET (self->weight_row));
  cairn_field_set_add_row (self->fields, "ecg_date", GTK_WIDGET (self->ecg_date_row));
  cairn_field_set_add_row (self->fields, "labs_date", GTK_WIDGET (self->labs_date_row));
  cairn_field_set_add_row (self->fields, "date", GTK_WIDGET (self->test_date_row));
  cairn_field_set_add_row (self->fields, "result", GTK_WIDGET (self->test_result_row));
  cairn_field_set_add_row (self->fields, "consent_date", GTK_WIDGET (self->consent_date_row));
  cairn_field_set_add_row (self->fields, "support_person", GTK_WIDGET (self->support_person_row));
  cairn_field_set_add_row (self->fields, "driver", GTK_WIDGET (self->driver_row));
  cairn_field_set_add_row (self->fields, "overnight_attendant", GTK_WIDGET (self->overnight_attendant_row));

  g_signal_connect_object (self->history_button, "clicked", G_CALLBACK (on_history_clicked_cb), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (self->baseline_button, "clicked", G_CALLBACK (on_baseline_clicked_cb), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (self->consent_button, "clicked", G_CALLBACK (on_consent_clicked_cb), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (self->add_medication_button, "clicked", G_CALLBACK (on_add_medication_clicked_cb),
                           self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->add_test_button, "clicked", G_CALLBACK (on_add_test_clicked_cb), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (self->decision_button, "clicked", G_CALLBACK (on_decision_clicked_cb), self,
                           G_CONNECT_SWAPPED);

  show_nothing (self);
}
