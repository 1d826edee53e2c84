/* cairn-patient-dialog.c
 *
 * The form for a new patient and for changing one: every field of the
 * registry, checked as it is typed by the same pure function the store
 * checks with again before writing. A field's problem is shown right under
 * it, once the field was typed in or left, and not while the typing hand
 * is still busy with it. Before a new patient is saved, Cairn looks for
 * someone already on the list with the same name and date of birth or the
 * same phone number, and asks for a second click if it finds anyone.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "cairn-patients"

#include "config.h"

#include <glib/gi18n.h>

#include "cairn-context.h"
#include "cairn-patient-dialog.h"
#include "cairn-patient-row.h"
#include "cairn-patients-screen.h"
#include "cairn-runner.h"

/* How long a field may rest after a keystroke before its problem shows. */
#define QUIET_MS 700

typedef enum
{
  FIELD_LEGAL_NAME,
  FIELD_PREFERRED_NAME,
  FIELD_PRONOUNS,
  FIELD_DATE_OF_BIRTH,
  FIELD_PHONE,
  FIELD_EMAIL,
  FIELD_ADDRESS,
  FIELD_EMERGENCY_CONTACT,
  FIELD_SUPPORT_PERSON,
  FIELD_REFERRING_CLINICIAN,
  FIELD_CHART_NUMBER,
  FIELD_NOTES,
  N_FIELDS
} Field;

/* Each field, by the name cairn_patient_validate() gives its problems. */
#define FIELD(member) { #member, G_STRUCT_OFFSET (CairnPatient, member) }

static const struct
{
  const char *name;
  gsize       member;
} fields[N_FIELDS] = {
  [FIELD_LEGAL_NAME] = FIELD (legal_name),
  [FIELD_PREFERRED_NAME] = FIELD (preferred_name),
  [FIELD_PRONOUNS] = FIELD (pronouns),
  [FIELD_DATE_OF_BIRTH] = FIELD (date_of_birth),
  [FIELD_PHONE] = FIELD (phone),
  [FIELD_EMAIL] = FIELD (email),
  [FIELD_ADDRESS] = FIELD (address),
  [FIELD_EMERGENCY_CONTACT] = FIELD (emergency_contact),
  [FIELD_SUPPORT_PERSON] = FIELD (support_person),
  [FIELD_REFERRING_CLINICIAN] = FIELD (referring_clinician),
  [FIELD_CHART_NUMBER] = FIELD (chart_number),
  [FIELD_NOTES] = FIELD (front_desk_notes),
};

#undef FIELD

#define PATIENT_MEMBER(patient, field) \
  (*(char **) G_STRUCT_MEMBER_P ((patient), fields[field].member))

struct _CairnPatientDialog
{
  AdwWindow             parent_instance;

  CairnContext         *context;
  CairnVault           *vault;
  CairnPatient         *patient;        /* as it was; its id is NULL for a new patient */
  CairnRunner          *runner;

  GtkWidget            *rows[N_FIELDS]; /* the entry rows, and the notes' text view */
  GtkWidget            *problem_rows[N_FIELDS];
  GtkLabel             *problem_labels[N_FIELDS];
  GtkLabel             *date_hint;
  gboolean              touched[N_FIELDS];
  int                   quiet_field;    /* being typed in: its problem waits, or -1 */
  guint                 quiet_id;

  char                 *saving_chart;   /* the chart number of the save under way */
  char                 *chart_error;    /* the vault's word on a chart number ... */
  char                 *chart_error_for; /* ... and which one */

  GPtrArray            *duplicate_rows;
  gboolean              duplicates_shown;
  gboolean              filling;
  gboolean              busy;
  gboolean              closing;

  /* Template widgets */
  AdwEntryRow          *address_row;
  AdwEntryRow          *chart_number_row;
  AdwEntryRow          *date_of_birth_row;
  AdwPreferencesGroup  *duplicates_group;
  AdwEntryRow          *email_row;
  AdwEntryRow          *emergency_contact_row;
  GtkLabel             *error_label;
  AdwEntryRow          *legal_name_row;
  GtkLabel             *notes_problem;
  GtkTextView          *notes_view;
  AdwEntryRow          *phone_row;
  AdwEntryRow          *preferred_name_row;
  AdwEntryRow          *pronouns_row;
  AdwEntryRow          *referring_clinician_row;
  GtkLabel             *save_label;
  GtkScrolledWindow    *scroller;
  GtkSpinner           *spinner;
  AdwEntryRow          *support_person_row;
  AdwWindowTitle       *window_title;
};

G_DEFINE_FINAL_TYPE (CairnPatientDialog, cairn_patient_dialog, ADW_TYPE_WINDOW)

enum {
  SAVED,
  OPEN_PATIENT,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

enum {
  PROP_0,
  PROP_CONTEXT,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void cairn_patient_dialog_sync (CairnPatientDialog *self);

/* ------------------------------------------------------------------------ */
/* What the form holds                                                       */

static char *
field_text (CairnPatientDialog *self,
            Field               field)
{
  if (field == FIELD_NOTES)
    {
      GtkTextBuffer *buffer = gtk_text_view_get_buffer (self->notes_view);
      GtkTextIter start, end;

      gtk_text_buffer_get_bounds (buffer, &start, &end);
      return gtk_text_buffer_get_text (buffer, &start, &end, FALSE);
    }
  return g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->rows[field])));
}

static void
set_field_text (CairnPatientDialog *self,
                Field               field,
                const char         *text)
{
  if (field == FIELD_NOTES)
    gtk_text_buffer_set_text (gtk_text_view_get_buffer (self->notes_view),
                              text != NULL ? text : "", -1);
  else
    gtk_editable_set_text (GTK_EDITABLE (self->rows[field]), text != NULL ? text : "");
}

/* The patient as the form has it: what was there, with every field as
 * typed, trimmed, and empty fields as nothing (as the store keeps them). */
static CairnPatient *
cairn_patient_dialog_collect (CairnPatientDialog *self)
{
  CairnPatient *patient = cairn_patient_copy (self->patient);

  for (Field f = 0; f < N_FIELDS; f++)
    {
      char *text = g_strstrip (field_text (self, f));

      g_free (PATIENT_MEMBER (patient, f));
      if (*text == '\0')
        g_clear_pointer (&text, g_free);
      PATIENT_MEMBER (patient, f) = text;
    }
  return patient;
}

static gboolean
field_has_focus (CairnPatientDialog *self,
                 Field               field)
{
  GtkWidget *focus = gtk_root_get_focus (GTK_ROOT (self));

  return focus != NULL &&
         (focus == self->rows[field] || gtk_widget_is_ancestor (focus, self->rows[field]));
}

/* ------------------------------------------------------------------------ */
/* Showing what is wrong                                                     */

static void
show_error (CairnPatientDialog *self,
            const char         *message)
{
  gtk_label_set_text (self->error_label, message != NULL ? message : "");
  gtk_widget_set_visible (GTK_WIDGET (self->error_label), message != NULL);
  if (message != NULL)
    gtk_adjustment_set_value (gtk_scrolled_window_get_vadjustment (self->scroller), 0);
}

static void
set_busy (CairnPatientDialog *self,
          gboolean            busy)
{
  self->busy = busy;
  gtk_widget_set_visible (GTK_WIDGET (self->spinner), busy);
  gtk_spinner_set_spinning (self->spinner, busy);
  cairn_patient_dialog_sync (self);
}

/* Everything on the form follows from what it holds: the problems under
 * their fields, the hint beside the date of birth, and whether Save works. */
static void
cairn_patient_dialog_sync (CairnPatientDialog *self)
{
  g_autoptr(CairnPatient) patient = NULL;
  g_autoptr(GPtrArray) problems = NULL;
  g_autofree char *hint = NULL;
  gboolean chart_taken;
  gboolean date_ok = TRUE;
  GDate today;
  int age;

  if (self->closing)
    return;

  patient = cairn_patient_dialog_collect (self);
  cairn_patient_get_today (&today);
  problems = cairn_patient_validate (patient, &today);
  chart_taken = self->chart_error != NULL &&
                g_strcmp0 (patient->chart_number, self->chart_error_for) == 0;

  for (Field f = 0; f < N_FIELDS; f++)
    {
      const char *message = NULL;
      gboolean shown;

      for (guint i = 0; i < problems->len && message == NULL; i++)
        {
          const CairnFieldProblem *problem = g_ptr_array_index (problems, i);

          if (g_strcmp0 (problem->field, fields[f].name) == 0)
            message = problem->message;
        }
      if (f == FIELD_CHART_NUMBER && message == NULL && chart_taken)
        message = self->chart_error;
      if (f == FIELD_DATE_OF_BIRTH)
        date_ok = message == NULL;

      shown = message != NULL && self->touched[f] && self->quiet_field != (int) f;
      gtk_label_set_text (self->problem_labels[f], shown ? message : "");
      gtk_widget_set_visible (self->problem_rows[f], shown);
      if (f != FIELD_NOTES)
        {
          if (shown)
            gtk_widget_add_css_class (self->rows[f], "error");
          else
            gtk_widget_remove_css_class (self->rows[f], "error");
        }
    }

  age = date_ok ? cairn_patient_age (patient->date_of_birth, &today) : -1;
  if (age >= 0)
    /* TRANSLATORS: shown beside a date of birth as it is typed */
    hint = g_strdup_printf (_("age %d"), age);
  else
    /* TRANSLATORS: how to write a date of birth; keep the digits' order the store reads */
    hint = g_strdup (_("YYYY-MM-DD"));
  gtk_label_set_text (self->date_hint, hint);

  gtk_widget_action_set_enabled (GTK_WIDGET (self), "dialog.save",
                                 problems->len == 0 && !chart_taken && !self->busy);
}

static gboolean
on_quiet_cb (gpointer user_data)
{
  CairnPatientDialog *self = user_data;

  self->quiet_id = 0;
  self->quiet_field = -1;
  cairn_patient_dialog_sync (self);
  return G_SOURCE_REMOVE;
}

/* ------------------------------------------------------------------------ */
/* Possible duplicates                                                       */

static void
cairn_patient_dialog_forget_duplicates (CairnPatientDialog *self)
{
  for (guint i = 0; i < self->duplicate_rows->len; i++)
    adw_preferences_group_remove (self->duplicates_group,
                                  g_ptr_array_index (self->duplicate_rows, i));
  g_ptr_array_set_size (self->duplicate_rows, 0);
  gtk_widget_set_visible (GTK_WIDGET (self->duplicates_group), FALSE);
  gtk_label_set_text_with_mnemonic (self->save_label, _("_Save"));
  self->duplicates_shown = FALSE;
}

static void
on_open_duplicate_clicked_cb (CairnPatientDialog *self,
                              GtkButton          *button)
{
  g_autofree char *id = g_strdup (g_object_get_data (G_OBJECT (button), "cairn-patient-id"));

  g_signal_emit (self, signals[OPEN_PATIENT], 0, id);
  gtk_window_destroy (GTK_WINDOW (self));
}

static void
cairn_patient_dialog_show_duplicates (CairnPatientDialog *self,
                                      GPtrArray          *found)
{
  GDate today;

  cairn_patient_get_today (&today);
  cairn_patient_dialog_forget_duplicates (self);

  for (guint i = 0; i < found->len; i++)
    {
      const CairnPatientSummary *summary = g_ptr_array_index (found, i);
      g_autofree char *nickname = cairn_patient_format_nickname (summary->legal_name,
                                                                 summary->preferred_name);
      g_autofree char *title = nickname != NULL
                               ? g_strdup_printf ("%s %s", summary->legal_name, nickname)
                               : g_strdup (summary->legal_name);
      g_autofree char *details = cairn_patient_format_details (summary, &today);
      g_autofree char *subtitle = summary->archived
                                  ? g_strdup_printf ("%s%s%s", details, _(" · "), _("Archived"))
                                  : g_strdup (details);
      g_autofree char *open_label = g_strdup_printf (_("Open %s"), summary->legal_name);
      GtkWidget *row = adw_action_row_new ();
      GtkWidget *open = gtk_button_new_with_mnemonic (_("_Open"));

      adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
      adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);

      gtk_widget_set_valign (open, GTK_ALIGN_CENTER);
      gtk_widget_set_tooltip_text (open, _("Open this patient instead of making a new one"));
      gtk_accessible_update_property (GTK_ACCESSIBLE (open), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                      open_label, -1);
      g_object_set_data_full (G_OBJECT (open), "cairn-patient-id", g_strdup (summary->id), g_free);
      g_signal_connect_object (open, "clicked", G_CALLBACK (on_open_duplicate_clicked_cb), self,
                               G_CONNECT_SWAPPED);
      adw_action_row_add_suffix (ADW_ACTION_ROW (row), open);

      adw_preferences_group_add (self->duplicates_group, row);
      g_ptr_array_add (self->duplicate_rows, row);
    }

  gtk_widget_set_visible (GTK_WIDGET (self->duplicates_group), TRUE);
  gtk_label_set_text_with_mnemonic (self->save_label, _("Save _Anyway"));
  gtk_adjustment_set_value (gtk_scrolled_window_get_vadjustment (self->scroller), 0);
  self->duplicates_shown = TRUE;
}

/* ------------------------------------------------------------------------ */
/* Saving                                                                    */

static void
save_done_cb (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  CairnPatientDialog *self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(CairnPatient) saved = cairn_patients_save_finish (CAIRN_VAULT (source), result, NULL, &error);
  gboolean created;

  set_busy (self, FALSE);
  if (saved == NULL)
    {
      if (g_error_matches (error, CAIRN_PATIENT_ERROR, CAIRN_PATIENT_ERROR_CHART_TAKEN))
        {
          /* Said at the field it is about, until that field changes. */
          g_free (self->chart_error);
          g_free (self->chart_error_for);
          self->chart_error = g_strdup (error->message);
          self->chart_error_for = g_strdup (self->saving_chart);
          self->touched[FIELD_CHART_NUMBER] = TRUE;
          cairn_patient_dialog_sync (self);
          gtk_widget_grab_focus (GTK_WIDGET (self->chart_number_row));
        }
      else
        show_error (self, error->message);
      return;
    }

  created = self->patient->id == NULL;
  g_signal_emit (self, signals[SAVED], 0, saved->id, created);
  gtk_window_destroy (GTK_WINDOW (self));
}

static void
cairn_patient_dialog_start_save (CairnPatientDialog *self,
                                 CairnPatient       *patient)
{
  g_autoptr(CairnPatient) saving = patient;

  g_free (self->saving_chart);
  self->saving_chart = g_strdup (saving->chart_number);
  set_busy (self, TRUE);
  cairn_patients_save_async (self->vault, saving, cairn_runner_get_cancellable (self->runner),
                             cairn_runner_answered, cairn_runner_track (self->runner, save_done_cb, self));
}

static void
find_duplicates_done_cb (GObject      *source,
                         GAsyncResult *result,
                         gpointer      user_data)
{
  CairnPatientDialog *self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) found = cairn_patients_duplicates_finish (CAIRN_VAULT (source), result, &error);

  set_busy (self, FALSE);
  if (found == NULL)
    {
      show_error (self, error->message);
      return;
    }
  if (found->len == 0)
    {
      cairn_patient_dialog_start_save (self, cairn_patient_dialog_collect (self));
      return;
    }
  cairn_patient_dialog_show_duplicates (self, found);
}

static void
cairn_patient_dialog_save_action (GtkWidget  *widget,
                                  const char *action_name,
                                  GVariant   *parameter)
{
  CairnPatientDialog *self = CAIRN_PATIENT_DIALOG (widget);
  g_autoptr(CairnPatient) patient = NULL;
  g_autoptr(GPtrArray) problems = NULL;
  GDate today;

  if (self->busy || self->closing)
    return;

  patient = cairn_patient_dialog_collect (self);
  cairn_patient_get_today (&today);
  problems = cairn_patient_validate (patient, &today);
  if (problems->len > 0)
    {
      for (Field f = 0; f < N_FIELDS; f++)
        self->touched[f] = TRUE;
      cairn_patient_dialog_sync (self);
      return;
    }

  show_error (self, NULL);
  if (patient->id == NULL && !self->duplicates_shown)
    {
      set_busy (self, TRUE);
      cairn_patients_duplicates_async (self->vault, patient, cairn_runner_get_cancellable (self->runner),
                                       cairn_runner_answered,
                                       cairn_runner_track (self->runner, find_duplicates_done_cb, self));
      return;
    }
  cairn_patient_dialog_start_save (self, g_steal_pointer (&patient));
}

/* ------------------------------------------------------------------------ */
/* Typing                                                                    */

static void
cairn_patient_dialog_field_changed (CairnPatientDialog *self,
                                    Field               field)
{
  if (self->closing || self->filling)
    return;

  self->touched[field] = TRUE;
  show_error (self, NULL);

  /* Another name, birth or phone number: the duplicates found no longer
   * apply, and the next Save looks again. */
  if (self->duplicates_shown &&
      (field == FIELD_LEGAL_NAME || field == FIELD_DATE_OF_BIRTH || field == FIELD_PHONE))
    cairn_patient_dialog_forget_duplicates (self);

  g_clear_handle_id (&self->quiet_id, g_source_remove);
  self->quiet_field = -1;
  if (field_has_focus (self, field))
    {
      self->quiet_field = field;
      self->quiet_id = g_timeout_add (QUIET_MS, on_quiet_cb, self);
    }
  cairn_patient_dialog_sync (self);
}

static void
on_row_changed_cb (CairnPatientDialog *self,
                   GtkEditable        *editable)
{
  guint field = GPOINTER_TO_UINT (g_object_get_data (G_OBJECT (editable), "cairn-field"));

  cairn_patient_dialog_field_changed (self, field - 1);
}

static void
on_notes_changed_cb (CairnPatientDialog *self,
                     GtkTextBuffer      *buffer)
{
  cairn_patient_dialog_field_changed (self, FIELD_NOTES);
}

static void
on_focus_left_cb (CairnPatientDialog      *self,
                  GtkEventControllerFocus *controller)
{
  Field field;

  if (self->closing)
    return;

  field = GPOINTER_TO_UINT (g_object_get_data (G_OBJECT (controller), "cairn-field")) - 1;
  self->touched[field] = TRUE;
  if (self->quiet_field == (int) field)
    {
      g_clear_handle_id (&self->quiet_id, g_source_remove);
      self->quiet_field = -1;
    }
  cairn_patient_dialog_sync (self);
}

static void
on_row_activated_cb (CairnPatientDialog *self)
{
  gtk_widget_activate_action (GTK_WIDGET (self), "dialog.save", NULL);
}

/* ------------------------------------------------------------------------ */

static void
next_chart_number_done_cb (GObject      *source,
                           GAsyncResult *result,
                           gpointer      user_data)
{
  CairnPatientDialog *self = user_data;
  g_autoptr(GError) error = NULL;
  g_autofree char *chart = cairn_patients_chart_number_finish (CAIRN_VAULT (source), result, &error);
  if (chart == NULL)
    {
      show_error (self, error->message);
      return;
    }

  /* A number the user already typed stays. */
  if (*gtk_editable_get_text (GTK_EDITABLE (self->chart_number_row)) == '\0')
    {
      self->filling = TRUE;
      gtk_editable_set_text (GTK_EDITABLE (self->chart_number_row), chart);
      self->filling = FALSE;
    }
  cairn_patient_dialog_sync (self);
}

/* Each field gets a line under it for its problem, in the same boxed list,
 * so that the message stands next to what it is about. */
static void
cairn_patient_dialog_add_problem_rows (CairnPatientDialog *self)
{
  for (Field f = 0; f < N_FIELDS; f++)
    {
      GtkEventController *focus = gtk_event_controller_focus_new ();

      g_object_set_data (G_OBJECT (focus), "cairn-field", GUINT_TO_POINTER (f + 1));
      g_signal_connect_object (focus, "leave", G_CALLBACK (on_focus_left_cb), self,
                               G_CONNECT_SWAPPED);
      gtk_widget_add_controller (self->rows[f], focus);

      if (f == FIELD_NOTES)
        {
          self->problem_rows[f] = GTK_WIDGET (self->notes_problem);
          self->problem_labels[f] = self->notes_problem;
        }
      else
        {
          GtkWidget *list = gtk_widget_get_parent (self->rows[f]);
          GtkWidget *label = gtk_label_new (NULL);
          GtkWidget *row = gtk_list_box_row_new ();

          g_assert (GTK_IS_LIST_BOX (list));
          gtk_label_set_wrap (GTK_LABEL (label), TRUE);
          gtk_label_set_xalign (GTK_LABEL (label), 0.0);
          gtk_widget_add_css_class (label, "error");
          gtk_widget_add_css_class (label, "caption");
          gtk_list_box_row_set_child (GTK_LIST_BOX_ROW (row), label);
          gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (row), FALSE);
          gtk_list_box_row_set_selectable (GTK_LIST_BOX_ROW (row), FALSE);
          gtk_widget_set_focusable (row, FALSE);
          gtk_widget_set_visible (row, FALSE);
          gtk_widget_add_css_class (row, "field-problem");
          gtk_list_box_insert (GTK_LIST_BOX (list), row,
                               gtk_list_box_row_get_index (GTK_LIST_BOX_ROW (self->rows[f])) + 1);

          g_object_set_data (G_OBJECT (self->rows[f]), "cairn-field", GUINT_TO_POINTER (f + 1));
          g_signal_connect_object (self->rows[f], "changed", G_CALLBACK (on_row_changed_cb), self,
                                   G_CONNECT_SWAPPED);
          g_signal_connect_object (self->rows[f], "entry-activated",
                                   G_CALLBACK (on_row_activated_cb), self, G_CONNECT_SWAPPED);
          self->problem_rows[f] = row;
          self->problem_labels[f] = GTK_LABEL (label);
        }
      gtk_accessible_update_relation (GTK_ACCESSIBLE (self->rows[f]),
                                      GTK_ACCESSIBLE_RELATION_DESCRIBED_BY,
                                      self->problem_labels[f], NULL, -1);
    }

  g_signal_connect_object (gtk_text_view_get_buffer (self->notes_view), "changed",
                           G_CALLBACK (on_notes_changed_cb), self, G_CONNECT_SWAPPED);
}

static void
cairn_patient_dialog_dispose (GObject *object)
{
  CairnPatientDialog *self = CAIRN_PATIENT_DIALOG (object);

  self->closing = TRUE;
  g_clear_object (&self->runner);
  g_clear_handle_id (&self->quiet_id, g_source_remove);
  gtk_widget_dispose_template (GTK_WIDGET (self), CAIRN_TYPE_PATIENT_DIALOG);
  g_clear_object (&self->vault);

  G_OBJECT_CLASS (cairn_patient_dialog_parent_class)->dispose (object);
}

static void
cairn_patient_dialog_finalize (GObject *object)
{
  CairnPatientDialog *self = CAIRN_PATIENT_DIALOG (object);

  g_clear_object (&self->context);
  g_clear_pointer (&self->patient, cairn_patient_free);
  g_clear_pointer (&self->duplicate_rows, g_ptr_array_unref);
  g_free (self->saving_chart);
  g_free (self->chart_error);
  g_free (self->chart_error_for);

  G_OBJECT_CLASS (cairn_patient_dialog_parent_class)->finalize (object);
}

static void
cairn_patient_dialog_constructed (GObject *object)
{
  CairnPatientDialog *self = CAIRN_PATIENT_DIALOG (object);

  G_OBJECT_CLASS (cairn_patient_dialog_parent_class)->constructed (object);

  g_assert (CAIRN_IS_CONTEXT (self->context));
  /* The vault as it is when the dialog opens: what it saves goes there. */
  /* Made by a screen of an unlocked vault; a dialog left over writes nothing. */
  g_set_object (&self->vault, cairn_context_get_vault (self->context));
}

static void
cairn_patient_dialog_set_property (GObject      *object,
                                   guint         prop_id,
                                   const GValue *value,
                                   GParamSpec   *pspec)
{
  CairnPatientDialog *self = CAIRN_PATIENT_DIALOG (object);

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
cairn_patient_dialog_class_init (CairnPatientDialogClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->constructed = cairn_patient_dialog_constructed;
  object_class->set_property = cairn_patient_dialog_set_property;

  /**
   * CairnPatientDialog:context:
   *
   * What the dialog works in: the unlocked vault.
   */
  properties[PROP_CONTEXT] =
    g_param_spec_object ("context", NULL, NULL, CAIRN_TYPE_CONTEXT,
                         G_PARAM_WRITABLE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  object_class->dispose = cairn_patient_dialog_dispose;
  object_class->finalize = cairn_patient_dialog_finalize;

  /**
   * CairnPatientDialog::saved:
   * @self: the dialog
   * @id: the patient's id
   * @created: whether the patient is new
   *
   * The patient is in the vault; the dialog closes right after.
   */
  signals[SAVED] =
    g_signal_new ("saved", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                  G_TYPE_NONE, 2, G_TYPE_STRING, G_TYPE_BOOLEAN);

  /**
   * CairnPatientDialog::open-patient:
   * @self: the dialog
   * @id: the id of a patient already in the vault
   *
   * The user chose to open a likely duplicate rather than make a new
   * patient; the dialog closes right after.
   */
  signals[OPEN_PATIENT] =
    g_signal_new ("open-patient", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                  G_TYPE_NONE, 1, G_TYPE_STRING);

  gtk_widget_class_set_template_from_resource (widget_class, RESOURCE_BASE_PATH
                                               "/patients/cairn-patient-dialog.ui");
  gtk_widget_class_bind_template_child (widget_class, CairnPatientDialog, address_row);
  gtk_widget_class_bind_template_child (widget_class, CairnPatientDialog, chart_number_row);
  gtk_widget_class_bind_template_child (widget_class, CairnPatientDialog, date_of_birth_row);
  gtk_widget_class_bind_template_child (widget_class, CairnPatientDialog, duplicates_group);
  gtk_widget_class_bind_template_child (widget_class, CairnPatientDialog, email_row);
  gtk_widget_class_bind_template_child (widget_class, CairnPatientDialog, emergency_contact_row);
  gtk_widget_class_bind_template_child (widget_class, CairnPatientDialog, error_label);
  gtk_widget_class_bind_template_child (widget_class, CairnPatientDialog, legal_name_row);
  gtk_widget_class_bind_template_child (widget_class, CairnPatientDialog, notes_problem);
  gtk_widget_class_bind_template_child (widget_class, CairnPatientDialog, notes_view);
  gtk_widget_class_bind_template_child (widget_class, CairnPatientDialog, phone_row);
  gtk_widget_class_bind_template_child (widget_class, CairnPatientDialog, preferred_name_row);
  gtk_widget_class_bind_template_child (widget_class, CairnPatientDialog, pronouns_row);
  gtk_widget_class_bind_template_child (widget_class, CairnPatientDialog, referring_clinician_row);
  gtk_widget_class_bind_template_child (widget_class, CairnPatientDialog, save_label);
  gtk_widget_class_bind_template_child (widget_class, CairnPatientDialog, scroller);
  gtk_widget_class_bind_template_child (widget_class, CairnPatientDialog, spinner);
  gtk_widget_class_bind_template_child (widget_class, CairnPatientDialog, support_person_row);
  gtk_widget_class_bind_template_child (widget_class, CairnPatientDialog, window_title);

  gtk_widget_class_install_action (widget_class, "dialog.save", NULL,
                                   cairn_patient_dialog_save_action);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_s, GDK_CONTROL_MASK, "dialog.save",
                                       NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Return, GDK_CONTROL_MASK,
                                       "dialog.save", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "window.close", NULL);
}

static void
cairn_patient_dialog_init (CairnPatientDialog *self)
{
  GtkWidget *hint;

  gtk_widget_init_template (GTK_WIDGET (self));

  self->runner = cairn_runner_new ();
  self->duplicate_rows = g_ptr_array_new ();
  self->quiet_field = -1;

  self->rows[FIELD_LEGAL_NAME] = GTK_WIDGET (self->legal_name_row);
  self->rows[FIELD_PREFERRED_NAME] = GTK_WIDGET (self->preferred_name_row);
  self->rows[FIELD_PRONOUNS] = GTK_WIDGET (self->pronouns_row);
  self->rows[FIELD_DATE_OF_BIRTH] = GTK_WIDGET (self->date_of_birth_row);
  self->rows[FIELD_PHONE] = GTK_WIDGET (self->phone_row);
  self->rows[FIELD_EMAIL] = GTK_WIDGET (self->email_row);
  self->rows[FIELD_ADDRESS] = GTK_WIDGET (self->address_row);
  self->rows[FIELD_EMERGENCY_CONTACT] = GTK_WIDGET (self->emergency_contact_row);
  self->rows[FIELD_SUPPORT_PERSON] = GTK_WIDGET (self->support_person_row);
  self->rows[FIELD_REFERRING_CLINICIAN] = GTK_WIDGET (self->referring_clinician_row);
  self->rows[FIELD_CHART_NUMBER] = GTK_WIDGET (self->chart_number_row);
  self->rows[FIELD_NOTES] = GTK_WIDGET (self->notes_view);
  cairn_patient_dialog_add_problem_rows (self);

  hint = gtk_label_new (NULL);
  gtk_widget_add_css_class (hint, "dim-label");
  adw_entry_row_add_suffix (self->date_of_birth_row, hint);
  self->date_hint = GTK_LABEL (hint);
}

/**
 * cairn_patient_dialog_new:
 * @parent: (nullable): the main window
 * @context: the context, holding the unlocked vault
 * @patient: (nullable): the patient to change, or %NULL for a new one
 *
 * Returns: (transfer none): the dialog, not yet shown; it belongs to the
 *   application's window list and goes when Cairn locks
 */
CairnPatientDialog *
cairn_patient_dialog_new (GtkWindow          *parent,
                          CairnContext       *context,
                          const CairnPatient *patient)
{
  CairnPatientDialog *self;

  g_return_val_if_fail (parent == NULL || GTK_IS_WINDOW (parent), NULL);
  g_return_val_if_fail (CAIRN_IS_CONTEXT (context) && cairn_context_is_unlocked (context), NULL);

  self = g_object_new (CAIRN_TYPE_PATIENT_DIALOG,
                       "context", context,
                       "transient-for", parent,
                       "application", parent != NULL ? gtk_window_get_application (parent) : NULL,
                       NULL);
  self->patient = patient != NULL ? cairn_patient_copy (patient) : cairn_patient_new ();

  if (self->patient->id != NULL)
    {
      /* No name in the title: window titles reach the window list, the
       * task switcher and screen sharing. */
      gtk_window_set_title (GTK_WINDOW (self), _("Edit Patient"));
      adw_window_title_set_title (self->window_title, _("Edit Patient"));
      self->filling = TRUE;
      for (Field f = 0; f < N_FIELDS; f++)
        {
          set_field_text (self, f, PATIENT_MEMBER (self->patient, f));
          /* What is there already was checked; a problem in it shows now. */
          self->touched[f] = TRUE;
        }
      self->filling = FALSE;
    }
  else
    {
      gtk_window_set_title (GTK_WINDOW (self), _("New Patient"));
      adw_window_title_set_title (self->window_title, _("New Patient"));
      cairn_patients_chart_number_async (self->vault, cairn_runner_get_cancellable (self->runner),
                                         cairn_runner_answered,
                                         cairn_runner_track (self->runner, next_chart_number_done_cb, self));
    }

  cairn_patient_dialog_sync (self);
  gtk_window_set_focus (GTK_WINDOW (self), GTK_WIDGET (self->legal_name_row));
  return self;
}
