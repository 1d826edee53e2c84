/* cairn-measure-dialog.c
 *
 * The form of one outcome measure. For PCL-5, PHQ-9 and GAD-7: the
 * instructions with their time frame, each item with its answers as a row
 * of toggle buttons (0 … 4, each named), the running total and band, and
 * the PHQ-9 item 9 alert as soon as it is answered above 0. For CAPS-5 and
 * BDI-II: the total alone. A form with an unanswered item saves only when
 * marked incomplete; every problem is said at its field, and nothing is
 * written until there is none.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "cairn-measures"

#include "config.h"

#include <glib/gi18n.h>
#include <stdlib.h>

#include "cairn-context.h"
#include "cairn-measure-dialog.h"
#include "cairn-measures-screen.h"
#include "cairn-patients.h"
#include "cairn-records.h"
#include "cairn-runner.h"

struct _CairnMeasureDialog
{
  AdwWindow              parent_instance;

  CairnContext          *context;
  CairnVault            *vault;
  CairnRunner           *runner;
  const CairnInstrument *instrument;
  CairnMeasure          *measure;       /* what the form edits */
  GDate                  today;         /* the practice's; invalid: the machine's */
  GPtrArray             *item_rows;     /* GtkListBoxRow, one per item */
  GPtrArray             *item_problems; /* GtkLabel */
  GPtrArray             *item_captions; /* GtkLabel: the chosen answer's words */
  GPtrArray             *item_buttons;  /* GPtrArray of GtkToggleButton, per item */
  gboolean               busy;
  gboolean               deleting;

  AdwActionRow          *incomplete_row;
  AdwActionRow          *score_row;
  AdwEntryRow           *date_row;
  AdwEntryRow           *delete_reason_row;
  AdwEntryRow           *note_row;
  AdwEntryRow           *timepoint_row;
  AdwEntryRow           *total_row;
  AdwPreferencesGroup   *delete_group;
  AdwPreferencesGroup   *items_group;
  AdwPreferencesGroup   *total_group;
  AdwWindowTitle        *window_title;
  GtkLabel              *alert_label;
  GtkLabel              *answers_problem;
  GtkLabel              *date_problem;
  GtkLabel              *delete_problem;
  GtkLabel              *error_label;
  GtkLabel              *instructions_label;
  GtkLabel              *legend_label;
  GtkLabel              *licensed_label;
  GtkLabel              *text_problem;
  GtkLabel              *total_problem;
  GtkListBox            *items_list;
  GtkScrolledWindow     *scroller;
  GtkSpinner            *spinner;
  GtkSwitch             *incomplete_switch;
};

G_DEFINE_FINAL_TYPE (CairnMeasureDialog, cairn_measure_dialog, ADW_TYPE_WINDOW)

enum {
  SAVED,
  DELETED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

enum {
  PROP_0,
  PROP_CONTEXT,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
show_problem (GtkLabel   *label,
              const char *text)
{
  gtk_label_set_text (label, text != NULL ? text : "");
  gtk_widget_set_visible (GTK_WIDGET (label), text != NULL && *text != '\0');
}

/* Takes the user to a field, only in the window they are working in (GTK
 * 4.8 warns about a focus that never hears it was lost). */
static void
focus_if_active (CairnMeasureDialog *self,
                 GtkWidget          *widget)
{
  if (gtk_window_is_active (GTK_WINDOW (self)))
    gtk_widget_grab_focus (widget);
}

static void
set_busy (CairnMeasureDialog *self,
          gboolean            busy)
{
  self->busy = busy;
  gtk_widget_set_visible (GTK_WIDGET (self->spinner), busy);
  gtk_spinner_set_spinning (self->spinner, busy);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "measure.save", !busy);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "measure.delete", !busy && self->measure->id != NULL);
}

/* ------------------------------------------------------------------------ */
/* Answers, the running score and the alert                                  */

static const int *
answer_values (CairnMeasureDialog *self)
{
  return self->measure->answers != NULL ? (const int *) self->measure->answers->data : NULL;
}

static guint
answer_count (CairnMeasureDialog *self)
{
  return self->measure->answers != NULL ? self->measure->answers->len : 0;
}

static void
update_score (CairnMeasureDialog *self)
{
  const CairnInstrument *instrument = self->instrument;
  g_autoptr(GString) text = g_string_new (NULL);
  gboolean incomplete = gtk_switch_get_active (self->incomplete_switch);
  CairnMeasureAlerts alerts;

  if (cairn_instrument_is_total_only (instrument))
    {
      const char *typed = gtk_editable_get_text (GTK_EDITABLE (self->total_row));
      char *end = NULL;
      long value = strtol (typed, &end, 10);
      const CairnBand *band;

      while (end != NULL && g_ascii_isspace (*end))
        end++;
      band = *typed != '\0' && end != NULL && *end == '\0' ? cairn_instrument_band_for_total (instrument, (int) value)
                                                           : NULL;
      if (incomplete)
        g_string_append (text, _("Incomplete: not scored"));
      else if (band != NULL)
        g_string_append_printf (text, _("%ld of %d — %s"), value, instrument->total_max, cairn_band_label (band));
      else
        g_string_append_printf (text, _("Enter a total from %d to %d"), instrument->total_min, instrument->total_max);
    }
  else
    {
      guint missing = 0;
      int sum = cairn_instrument_partial_total (instrument, answer_values (self), answer_count (self), &missing);
      CairnScore score;

      if (missing == 0 && !incomplete &&
          cairn_instrument_score (instrument, answer_values (self), answer_count (self), -1, &score, NULL))
        {
          g_string_append_printf (text, _("%d of %d — %s"), score.total, instrument->total_max,
                                  cairn_band_label (score.band));
          if (score.has_clusters)
            {
              g_string_append_c (text, '\n');
              g_string_append_printf (text, _("Clusters B %d, C %d, D %d, E %d"),
                                      score.clusters[CAIRN_PCL5_CLUSTER_B], score.clusters[CAIRN_PCL5_CLUSTER_C],
                                      score.clusters[CAIRN_PCL5_CLUSTER_D], score.clusters[CAIRN_PCL5_CLUSTER_E]);
              g_string_append_c (text, '\n');
              g_string_append (text, score.provisional_diagnosis
                                     ? _("Provisional diagnosis: criteria met")
                                     : _("Provisional diagnosis: criteria not met"));
            }
        }
      else if (incomplete)
        g_string_append_printf (text, g_dngettext (GETTEXT_PACKAGE,
                                                   "Incomplete: not scored (%u item unanswered)",
                                                   "Incomplete: not scored (%u items unanswered)", missing),
                                missing);
      else
        g_string_append_printf (text, g_dngettext (GETTEXT_PACKAGE,
                                                   "%d so far; %u item unanswered",
                                                   "%d so far; %u items unanswered", missing),
                                sum, missing);
    }
  adw_action_row_set_subtitle (self->score_row, text->str);

  alerts = cairn_instrument_alerts (instrument, answer_values (self), answer_count (self));
  if (g_str_equal (instrument->id, CAIRN_INSTRUMENT_PHQ9) && self->item_captions->len == 9)
    {
      GtkWidget *caption = g_ptr_array_index (self->item_captions, 8);

      if (alerts & CAIRN_MEASURE_ALERT_ITEM9)
        gtk_widget_add_css_class (caption, "error");
      else
        gtk_widget_remove_css_class (caption, "error");
    }
  show_problem (self->alert_label, (alerts & CAIRN_MEASURE_ALERT_ITEM9)
                                   ? _("Item 9 is answered above “Not at all”: thoughts of being better off dead "
                                       "or of self-harm. Follow up before the patient leaves.")
                                   : NULL);
}

static void
set_caption (CairnMeasureDialog *self,
             guint               item)
{
  int value = g_array_index (self->measure->answers, int, item);
  const char *words = value >= 0 ? cairn_instrument_choice_label (self->instrument, value) : NULL;

  gtk_label_set_text (g_ptr_array_index (self->item_captions, item), words != NULL ? words : _("Not answered"));
}

static void
on_answer_toggled_cb (GtkToggleButton    *button,
                      CairnMeasureDialog *self)
{
  guint item = GPOINTER_TO_UINT (g_object_get_data (G_OBJECT (button), "item"));
  int value = GPOINTER_TO_INT (g_object_get_data (G_OBJECT (button), "value"));

  if (!gtk_toggle_button_get_active (button))
    return;
  g_array_index (self->measure->answers, int, item) = value;
  set_caption (self, item);
  show_problem (g_ptr_array_index (self->item_problems, item), NULL);
  show_problem (self->answers_problem, NULL);
  update_score (self);
}

static void
build_items (CairnMeasureDialog *self)
{
  const CairnInstrument *instrument = self->instrument;
  g_autoptr(GString) legend = g_string_new (NULL);

  for (guint c = 0; c < instrument->n_choices; c++)
    g_string_append_printf (legend, "%s%d = %s", c > 0 ? " · " : "", instrument->choices[c].value,
                            cairn_instrument_choice_label (instrument, instrument->choices[c].value));
  gtk_label_set_text (self->legend_label, legend->str);
  gtk_label_set_text (self->instructions_label, cairn_instrument_instructions (instrument));

  for (guint i = 0; i < instrument->n_items; i++)
    {
      GtkWidget *row = gtk_list_box_row_new ();
      GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 6);
      GtkWidget *buttons = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 0);
      GtkWidget *question, *caption, *problem;
      GPtrArray *toggles = g_ptr_array_new ();
      GtkToggleButton *group = NULL;
      g_autofree char *name = g_strdup_printf ("item-%u", i + 1);
      g_autofree char *text = g_strdup_printf ("%u. %s", i + 1, cairn_instrument_item (instrument, i));

      gtk_widget_set_name (row, name);
      gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (row), FALSE);
      gtk_widget_set_margin_top (box, 12);
      gtk_widget_set_margin_bottom (box, 12);
      gtk_widget_set_margin_start (box, 12);
      gtk_widget_set_margin_end (box, 12);

      question = gtk_label_new (text);
      gtk_label_set_wrap (GTK_LABEL (question), TRUE);
      gtk_label_set_xalign (GTK_LABEL (question), 0);
      gtk_box_append (GTK_BOX (box), question);

      gtk_box_set_homogeneous (GTK_BOX (buttons), TRUE);
      gtk_widget_add_css_class (buttons, "linked");
      for (guint c = 0; c < instrument->n_choices; c++)
        {
          const CairnAnswerChoice *choice = &instrument->choices[c];
          g_autofree char *number = g_strdup_printf ("%d", choice->value);
          g_autofree char *spoken = g_strdup_printf ("%d, %s", choice->value,
                                                     cairn_instrument_choice_label (instrument, choice->value));
          GtkWidget *toggle = gtk_toggle_button_new_with_label (number);

          gtk_widget_set_tooltip_text (toggle, cairn_instrument_choice_label (instrument, choice->value));
          gtk_accessible_update_property (GTK_ACCESSIBLE (toggle), GTK_ACCESSIBLE_PROPERTY_LABEL, spoken, -1);
          gtk_accessible_update_relation (GTK_ACCESSIBLE (toggle), GTK_ACCESSIBLE_RELATION_DESCRIBED_BY,
                                          question, NULL, -1);
          if (group != NULL)
            gtk_toggle_button_set_group (GTK_TOGGLE_BUTTON (toggle), group);
          else
            group = GTK_TOGGLE_BUTTON (toggle);
          g_object_set_data (G_OBJECT (toggle), "item", GUINT_TO_POINTER (i));
          g_object_set_data (G_OBJECT (toggle), "value", GINT_TO_POINTER (choice->value));
          g_signal_connect_object (toggle, "toggled", G_CALLBACK (on_answer_toggled_cb), self, 0);
          gtk_box_append (GTK_BOX (buttons), toggle);
          g_ptr_array_add (toggles, toggle);
        }
      gtk_box_append (GTK_BOX (box), buttons);

      caption = gtk_label_new (NULL);
      gtk_label_set_xalign (GTK_LABEL (caption), 0);
      gtk_widget_add_css_class (caption, "caption");
      gtk_widget_add_css_class (caption, "dim-label");
      gtk_box_append (GTK_BOX (box), caption);

      problem = gtk_label_new (NULL);
      gtk_label_set_xalign (GTK_LABEL (problem), 0);
      gtk_label_set_wrap (GTK_LABEL (problem), TRUE);
      gtk_widget_add_css_class (problem, "error");
      gtk_widget_add_css_class (problem, "caption");
      gtk_widget_set_visible (problem, FALSE);
      gtk_box_append (GTK_BOX (box), problem);

      gtk_list_box_row_set_child (GTK_LIST_BOX_ROW (row), box);
      gtk_list_box_append (self->items_list, row);

      g_ptr_array_add (self->item_rows, row);
      g_ptr_array_add (self->item_captions, caption);
      g_ptr_array_add (self->item_problems, problem);
      g_ptr_array_add (self->item_buttons, toggles);
    }
}

/* Shows the answers of the measure edited. */
static void
fill_answers (CairnMeasureDialog *self)
{
  for (guint i = 0; i < self->item_buttons->len; i++)
    {
      GPtrArray *toggles = g_ptr_array_index (self->item_buttons, i);
      int value = g_array_index (self->measure->answers, int, i);

      for (guint c = 0; c < toggles->len; c++)
        {
          GtkToggleButton *toggle = g_ptr_array_index (toggles, c);

          if (GPOINTER_TO_INT (g_object_get_data (G_OBJECT (toggle), "value")) == value)
            gtk_toggle_button_set_active (toggle, TRUE);
        }
      set_caption (self, i);
    }
}

static void
on_total_changed_cb (CairnMeasureDialog *self)
{
  show_problem (self->total_problem, NULL);
  update_score (self);
}

static void
on_incomplete_changed_cb (CairnMeasureDialog *self)
{
  /* An incomplete CAPS-5 or BDI-II entry has no total. */
  gtk_widget_set_sensitive (GTK_WIDGET (self->total_row), !gtk_switch_get_active (self->incomplete_switch));
  show_problem (self->answers_problem, NULL);
  show_problem (self->total_problem, NULL);
  update_score (self);
}

static void
on_date_changed_cb (CairnMeasureDialog *self)
{
  show_problem (self->date_problem, NULL);
}

/* ------------------------------------------------------------------------ */
/* Saving                                                                    */

static void
clear_problems (CairnMeasureDialog *self)
{
  show_problem (self->error_label, NULL);
  show_problem (self->date_problem, NULL);
  show_problem (self->answers_problem, NULL);
  show_problem (self->total_problem, NULL);
  show_problem (self->text_problem, NULL);
  show_problem (self->delete_problem, NULL);
  for (guint i = 0; i < self->item_problems->len; i++)
    show_problem (g_ptr_array_index (self->item_problems, i), NULL);
}

/* The first answer button of an item, where the focus goes. */
static GtkWidget *
first_toggle (CairnMeasureDialog *self,
              guint               item)
{
  GPtrArray *toggles = g_ptr_array_index (self->item_buttons, item);

  return g_ptr_array_index (toggles, 0);
}

static int
first_unanswered (CairnMeasureDialog *self)
{
  for (guint i = 0; i < answer_count (self); i++)
    if (g_array_index (self->measure->answers, int, i) < 0)
      return (int) i;
  return -1;
}

static void
scroll_to (CairnMeasureDialog *self,
           GtkWidget          *widget)
{
  graphene_point_t point;
  GtkAdjustment *adjustment = gtk_scrolled_window_get_vadjustment (self->scroller);
  GtkWidget *child = gtk_scrolled_window_get_child (self->scroller);

  /* Measured against the content, which does not move as it scrolls. */
  if (GTK_IS_VIEWPORT (child))
    child = gtk_viewport_get_child (GTK_VIEWPORT (child));
  if (gtk_widget_compute_point (widget, child, &GRAPHENE_POINT_INIT (0, 0), &point))
    gtk_adjustment_set_value (adjustment, MAX (0, point.y - 24));
}

/* Shows each problem at its field; takes the user to the first. */
static void
show_problems (CairnMeasureDialog *self,
               GPtrArray          *problems)
{
  GtkWidget *first = NULL;

  for (guint i = 0; i < problems->len; i++)
    {
      const CairnFieldProblem *problem = g_ptr_array_index (problems, i);
      GtkWidget *field = NULL;

      if (g_str_equal (problem->field, "taken_on"))
        {
          show_problem (self->date_problem, problem->message);
          field = GTK_WIDGET (self->date_row);
        }
      else if (g_str_equal (problem->field, "total"))
        {
          show_problem (self->total_problem, problem->message);
          field = GTK_WIDGET (self->total_row);
        }
      else if (g_str_equal (problem->field, "answers"))
        {
          int item = first_unanswered (self);

          show_problem (self->answers_problem, problem->message);
          if (item >= 0)
            {
              show_problem (g_ptr_array_index (self->item_problems, item), _("Choose an answer."));
              field = first_toggle (self, (guint) item);
            }
        }
      else if (g_str_has_prefix (problem->field, "item-"))
        {
          guint item = (guint) atoi (problem->field + 5);

          if (item >= 1 && item <= self->item_problems->len)
            {
              show_problem (g_ptr_array_index (self->item_problems, item - 1), problem->message);
              field = first_toggle (self, item - 1);
            }
        }
      else if (g_str_equal (problem->field, "note") || g_str_equal (problem->field, "timepoint"))
        {
          show_problem (self->text_problem, problem->message);
          field = GTK_WIDGET (g_str_equal (problem->field, "note") ? self->note_row : self->timepoint_row);
        }
      else
        show_problem (self->error_label, problem->message);

      if (first == NULL && field != NULL)
        first = field;
    }
  if (first != NULL)
    {
      scroll_to (self, first);
      focus_if_active (self, first);
    }
}

/* Reads the form into the measure; a total that is not a number is a
 * problem of its own. */
static gboolean
read_form (CairnMeasureDialog *self)
{
  CairnMeasure *m = self->measure;
  const char *date = gtk_editable_get_text (GTK_EDITABLE (self->date_row));

  g_free (m->taken_on);
  m->taken_on = g_strstrip (g_strdup (date));
  m->complete = !gtk_switch_get_active (self->incomplete_switch);
  g_free (m->timepoint);
  m->timepoint = g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->timepoint_row)));
  g_free (m->note);
  m->note = g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->note_row)));

  if (cairn_instrument_is_total_only (self->instrument))
    {
      g_autofree char *typed = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->total_row))));
      char *end = NULL;
      gint64 value;

      m->total = -1;
      if (*typed == '\0' || !m->complete)
        return TRUE;
      value = g_ascii_strtoll (typed, &end, 10);
      if (end == typed || *end != '\0' || value < 0 || value > 1000)
        {
          g_autofree char *text = g_strdup_printf (_("Enter the total as a whole number from %d to %d."),
                                                   self->instrument->total_min, self->instrument->total_max);

          show_problem (self->total_problem, text);
          focus_if_active (self, GTK_WIDGET (self->total_row));
          return FALSE;
        }
      m->total = (int) value;
    }
  return TRUE;
}

static void
save_done_cb (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  CairnMeasureDialog *self = user_data;
  g_autoptr(GError) error = NULL;
  g_autofree char *id = cairn_measures_save_finish (CAIRN_VAULT (source), result, &error);

  set_busy (self, FALSE);
  if (id == NULL)
    {
      /* The form checked every field before; what is left is the vault's
       * to say (a measure deleted meanwhile, a full disk). */
      show_problem (self->deleting ? self->delete_problem : self->error_label, error->message);
      return;
    }

  g_signal_emit (self, signals[self->deleting ? DELETED : SAVED], 0, id);
  gtk_window_destroy (GTK_WINDOW (self));
}

static void
cairn_measure_dialog_save_action (GtkWidget  *widget,
                                  const char *action_name,
                                  GVariant   *parameter)
{
  CairnMeasureDialog *self = CAIRN_MEASURE_DIALOG (widget);
  g_autoptr(GPtrArray) problems = NULL;

  if (self->busy)
    return;
  clear_problems (self);
  if (!read_form (self))
    return;

  /* The same checks as the vault's, here first so the form can say them
   * at their fields before anything goes to the worker. */
  problems = cairn_measure_validate (self->measure, g_date_valid (&self->today) ? &self->today : NULL);
  if (problems->len > 0)
    {
      show_problems (self, problems);
      return;
    }

  self->deleting = FALSE;
  set_busy (self, TRUE);
  cairn_measures_save_async (self->vault, self->measure, cairn_runner_get_cancellable (self->runner),
                             cairn_runner_answered, cairn_runner_track (self->runner, save_done_cb, self));
}

static void
cairn_measure_dialog_delete_action (GtkWidget  *widget,
                                    const char *action_name,
                                    GVariant   *parameter)
{
  CairnMeasureDialog *self = CAIRN_MEASURE_DIALOG (widget);
  g_autofree char *reason = NULL;

  if (self->busy || self->measure->id == NULL)
    return;
  clear_problems (self);
  reason = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->delete_reason_row))));
  if (*reason == '\0')
    {
      show_problem (self->delete_problem, _("Write why this entry is deleted."));
      focus_if_active (self, GTK_WIDGET (self->delete_reason_row));
      return;
    }

  self->deleting = TRUE;
  set_busy (self, TRUE);
  cairn_measures_delete_async (self->vault, self->measure->id, reason, cairn_runner_get_cancellable (self->runner),
                               cairn_runner_answered, cairn_runner_track (self->runner, save_done_cb, self));
}

/* ------------------------------------------------------------------------ */

static void
cairn_measure_dialog_dispose (GObject *object)
{
  CairnMeasureDialog *self = CAIRN_MEASURE_DIALOG (object);

  g_clear_object (&self->runner);
  gtk_widget_dispose_template (GTK_WIDGET (self), CAIRN_TYPE_MEASURE_DIALOG);
  g_clear_object (&self->vault);

  G_OBJECT_CLASS (cairn_measure_dialog_parent_class)->dispose (object);
}

static void
cairn_measure_dialog_finalize (GObject *object)
{
  CairnMeasureDialog *self = CAIRN_MEASURE_DIALOG (object);

  g_clear_object (&self->context);
  g_clear_pointer (&self->measure, cairn_measure_free);
  g_ptr_array_unref (self->item_rows);
  g_ptr_array_unref (self->item_problems);
  g_ptr_array_unref (self->item_captions);
  g_ptr_array_unref (self->item_buttons);

  G_OBJECT_CLASS (cairn_measure_dialog_parent_class)->finalize (object);
}

static void
cairn_measure_dialog_constructed (GObject *object)
{
  CairnMeasureDialog *self = CAIRN_MEASURE_DIALOG (object);

  G_OBJECT_CLASS (cairn_measure_dialog_parent_class)->constructed (object);

  g_assert (CAIRN_IS_CONTEXT (self->context));
  /* The vault as it is when the form opens: the measure is saved there. */
  /* Made by a screen of an unlocked vault; a dialog left over writes nothing. */
  g_set_object (&self->vault, cairn_context_get_vault (self->context));
}

static void
cairn_measure_dialog_set_property (GObject      *object,
                                   guint         prop_id,
                                   const GValue *value,
                                   GParamSpec   *pspec)
{
  CairnMeasureDialog *self = CAIRN_MEASURE_DIALOG (object);

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
cairn_measure_dialog_class_init (CairnMeasureDialogClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->constructed = cairn_measure_dialog_constructed;
  object_class->set_property = cairn_measure_dialog_set_property;

  /**
   * CairnMeasureDialog:context:
   *
   * What the form works in: the unlocked vault.
   */
  properties[PROP_CONTEXT] =
    g_param_spec_object ("context", NULL, NULL, CAIRN_TYPE_CONTEXT,
                         G_PARAM_WRITABLE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  object_class->dispose = cairn_measure_dialog_dispose;
  object_class->finalize = cairn_measure_dialog_finalize;

  /**
   * CairnMeasureDialog::saved:
   * @id: the measure's id
   *
   * The measure is in the vault.
   */
  signals[SAVED] = g_signal_new ("saved", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                                 G_TYPE_NONE, 1, G_TYPE_STRING);
  /**
   * CairnMeasureDialog::deleted:
   * @id: the measure's id
   *
   * The measure is deleted (a tombstone with its reason).
   */
  signals[DELETED] = g_signal_new ("deleted", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                                   G_TYPE_NONE, 1, G_TYPE_STRING);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               RESOURCE_BASE_PATH "/measures/cairn-measure-dialog.ui");
  gtk_widget_class_bind_template_child (widget_class, CairnMeasureDialog, alert_label);
  gtk_widget_class_bind_template_child (widget_class, CairnMeasureDialog, answers_problem);
  gtk_widget_class_bind_template_child (widget_class, CairnMeasureDialog, date_problem);
  gtk_widget_class_bind_template_child (widget_class, CairnMeasureDialog, date_row);
  gtk_widget_class_bind_template_child (widget_class, CairnMeasureDialog, delete_group);
  gtk_widget_class_bind_template_child (widget_class, CairnMeasureDialog, delete_problem);
  gtk_widget_class_bind_template_child (widget_class, CairnMeasureDialog, delete_reason_row);
  gtk_widget_class_bind_template_child (widget_class, CairnMeasureDialog, error_label);
  gtk_widget_class_bind_template_child (widget_class, CairnMeasureDialog, incomplete_row);
  gtk_widget_class_bind_template_child (widget_class, CairnMeasureDialog, incomplete_switch);
  gtk_widget_class_bind_template_child (widget_class, CairnMeasureDialog, instructions_label);
  gtk_widget_class_bind_template_child (widget_class, CairnMeasureDialog, items_group);
  gtk_widget_class_bind_template_child (widget_class, CairnMeasureDialog, items_list);
  gtk_widget_class_bind_template_child (widget_class, CairnMeasureDialog, legend_label);
  gtk_widget_class_bind_template_child (widget_class, CairnMeasureDialog, licensed_label);
  gtk_widget_class_bind_template_child (widget_class, CairnMeasureDialog, note_row);
  gtk_widget_class_bind_template_child (widget_class, CairnMeasureDialog, score_row);
  gtk_widget_class_bind_template_child (widget_class, CairnMeasureDialog, scroller);
  gtk_widget_class_bind_template_child (widget_class, CairnMeasureDialog, spinner);
  gtk_widget_class_bind_template_child (widget_class, CairnMeasureDialog, text_problem);
  gtk_widget_class_bind_template_child (widget_class, CairnMeasureDialog, timepoint_row);
  gtk_widget_class_bind_template_child (widget_class, CairnMeasureDialog, total_group);
  gtk_widget_class_bind_template_child (widget_class, CairnMeasureDialog, total_problem);
  gtk_widget_class_bind_template_child (widget_class, CairnMeasureDialog, total_row);
  gtk_widget_class_bind_template_child (widget_class, CairnMeasureDialog, window_title);

  gtk_widget_class_install_action (widget_class, "measure.save", NULL, cairn_measure_dialog_save_action);
  gtk_widget_class_install_action (widget_class, "measure.delete", NULL, cairn_measure_dialog_delete_action);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "window.close", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_s, GDK_CONTROL_MASK, "measure.save", NULL);
}

static void
cairn_measure_dialog_init (CairnMeasureDialog *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  self->runner = cairn_runner_new ();
  self->item_rows = g_ptr_array_new ();
  self->item_problems = g_ptr_array_new ();
  self->item_captions = g_ptr_array_new ();
  self->item_buttons = g_ptr_array_new_with_free_func ((GDestroyNotify) g_ptr_array_unref);

  g_signal_connect_object (self->total_row, "changed", G_CALLBACK (on_total_changed_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->date_row, "changed", G_CALLBACK (on_date_changed_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->incomplete_switch, "notify::active", G_CALLBACK (on_incomplete_changed_cb), self,
                           G_CONNECT_SWAPPED);
}

/**
 * cairn_measure_dialog_new:
 * @context: the context, holding the unlocked vault
 * @patient_id: whose measure
 * @instrument: an instrument id
 * @measure: (nullable): the measure to change, or %NULL for a new one
 * @today: (nullable): the practice's date, "YYYY-MM-DD"; %NULL for the
 *   machine's
 *
 * Returns: (transfer floating): the form, not yet shown
 */
CairnMeasureDialog *
cairn_measure_dialog_new (CairnContext       *context,
                          const char         *patient_id,
                          const char         *instrument,
                          const CairnMeasure *measure,
                          const char         *today)
{
  CairnMeasureDialog *self;
  const CairnInstrument *found;

  g_return_val_if_fail (CAIRN_IS_CONTEXT (context) && cairn_context_is_unlocked (context), NULL);
  g_return_val_if_fail (patient_id != NULL, NULL);
  found = cairn_instrument_find (measure != NULL ? measure->instrument : instrument);
  g_return_val_if_fail (found != NULL, NULL);

  self = g_object_new (CAIRN_TYPE_MEASURE_DIALOG, "context", context, NULL);
  self->instrument = found;
  g_date_clear (&self->today, 1);
  if (!cairn_record_parse_day (today, &self->today))
    g_date_clear (&self->today, 1);
  if (measure != NULL)
    self->measure = cairn_measure_copy (measure);
  else
    {
      g_autoptr(GDateTime) now = g_date_time_new_now_local ();

      self->measure = cairn_measure_new (found->id);
      self->measure->patient_id = g_strdup (patient_id);
      self->measure->taken_on = g_date_valid (&self->today) ? g_strdup (today)
                                                            : g_date_time_format (now, "%Y-%m-%d");
    }

  adw_window_title_set_title (self->window_title, found->name);
  adw_window_title_set_subtitle (self->window_title, cairn_instrument_title (found));
  gtk_window_set_title (GTK_WINDOW (self), found->name);
  gtk_editable_set_text (GTK_EDITABLE (self->date_row), self->measure->taken_on);
  gtk_editable_set_text (GTK_EDITABLE (self->timepoint_row), self->measure->timepoint != NULL ? self->measure->timepoint : "");
  gtk_editable_set_text (GTK_EDITABLE (self->note_row), self->measure->note != NULL ? self->measure->note : "");
  gtk_switch_set_active (self->incomplete_switch, !self->measure->complete);
  gtk_widget_set_sensitive (GTK_WIDGET (self->total_row), self->measure->complete);

  if (cairn_instrument_is_total_only (found))
    {
      g_autofree char *title = g_strdup_printf (_("Total (%d–%d)"), found->total_min, found->total_max);
      g_autofree char *licensed = g_strdup_printf (_("The %s is licensed: Cairn records its total only, never "
                                                     "its items."), found->name);

      gtk_widget_set_visible (GTK_WIDGET (self->items_group), FALSE);
      adw_action_row_set_subtitle (self->incomplete_row, _("Saved without a total, and never scored"));
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self->total_row), title);
      gtk_label_set_text (self->licensed_label, licensed);
      if (self->measure->total >= 0)
        {
          g_autofree char *total = g_strdup_printf ("%d", self->measure->total);

          gtk_editable_set_text (GTK_EDITABLE (self->total_row), total);
        }
    }
  else
    {
      gtk_widget_set_visible (GTK_WIDGET (self->total_group), FALSE);
      build_items (self);
      fill_answers (self);
    }

  gtk_widget_set_visible (GTK_WIDGET (self->delete_group), self->measure->id != NULL);
  set_busy (self, FALSE);
  update_score (self);
  return self;
}
