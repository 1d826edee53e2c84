/* cairn-journey-page.c
 *
 * The Journey tab of a patient's page, for clinicians: where the patient
 * is in the course and what needs a clinician. Alerts come first, each
 * opening the tab that resolves it; then the gate for the next medicine
 * session; then the course, phase by phase, against the protocol
 * template ("Preparation 2 of 3"), each medicine session with its
 * integration sessions and phone check-ins.
 *
 * The page reads afresh each time it is opened: cairn_journey_load(),
 * through the page's loader.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "cairn-journey"

#include "config.h"

#include <glib/gi18n.h>

#include "cairn-context.h"
#include "cairn-gate-view.h"
#include "cairn-journey.h"
#include "cairn-journey-page.h"
#include "cairn-loader.h"

struct _CairnJourneyPage
{
  GtkWidget            parent_instance;

  CairnContext        *context;
  CairnVault          *vault;
  char                *patient_id;
  CairnJourney        *journey;
  GPtrArray           *rows;          /* rows added to the lists, to take away */
  CairnGateView       *gate_view;

  /* Template widgets */
  AdwPreferencesGroup *alerts_group;
  GtkListBox          *alerts_list;
  GtkListBox          *course_list;
  AdwPreferencesGroup *gate_group;
  CairnLoader         *loader;
  GtkWidget           *plan_button;
  GtkLabel            *summary_label;
};

G_DEFINE_FINAL_TYPE (CairnJourneyPage, cairn_journey_page, GTK_TYPE_WIDGET)

enum {
  PROP_0,
  PROP_CONTEXT,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static char *
format_when (CairnJourneyPage *self,
             gint64            utc,
             gboolean          with_time)
{
  g_autoptr(GDateTime) at = g_date_time_new_from_unix_utc (utc);
  g_autoptr(GDateTime) local = g_date_time_to_timezone (at, self->journey->zone);

  return g_date_time_format (local, with_time
                                    /* TRANSLATORS: an appointment's time, e.g. "Tue 8 Dec 2026, 09:00" (strftime) */
                                    ? _("%a %-d %b %Y, %H:%M")
                                    /* TRANSLATORS: a day, e.g. "Tue 8 Dec 2026" (strftime) */
                                    : _("%a %-d %b %Y"));
}

static void
clear_rows (CairnJourneyPage *self)
{
  for (guint i = 0; i < self->rows->len; i++)
    {
      GtkWidget *row = g_ptr_array_index (self->rows, i);
      GtkWidget *parent = gtk_widget_get_parent (row);

      if (GTK_IS_LIST_BOX (parent))
        gtk_list_box_remove (GTK_LIST_BOX (parent), row);
    }
  g_ptr_array_set_size (self->rows, 0);
}

static void
add_row (CairnJourneyPage *self,
         GtkListBox       *list,
         GtkWidget        *row)
{
  gtk_list_box_append (list, row);
  g_ptr_array_add (self->rows, row);
}

static GtkWidget *
alert_row (const CairnJourneyAlert *alert)
{
  GtkWidget *row = adw_action_row_new ();
  GtkWidget *icon = gtk_image_new_from_icon_name (alert->urgent ? "dialog-error-symbolic"
                                                                : "dialog-warning-symbolic");
  GtkWidget *arrow = gtk_image_new_from_icon_name ("go-next-symbolic");

  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), alert->title);
  adw_action_row_set_subtitle (ADW_ACTION_ROW (row), alert->detail != NULL ? alert->detail : "");
  gtk_widget_add_css_class (icon, alert->urgent ? "error" : "warning");
  gtk_accessible_update_property (GTK_ACCESSIBLE (icon), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  alert->urgent ? _("Urgent") : _("Attention"), -1);
  adw_action_row_add_prefix (ADW_ACTION_ROW (row), icon);
  adw_action_row_add_suffix (ADW_ACTION_ROW (row), arrow);
  gtk_widget_add_css_class (row, "journey-alert");
  if (alert->tab != NULL)
    {
      gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (row), TRUE);
      gtk_actionable_set_action_name (GTK_ACTIONABLE (row), "patient-view.show-tab");
      gtk_actionable_set_action_target_value (GTK_ACTIONABLE (row), g_variant_new_string (alert->tab));
    }
  return row;
}

static char *
describe_step (CairnJourneyPage       *self,
               const CairnJourneyStep *step)
{
  GString *text = g_string_new (NULL);

  switch (step->state)
    {
    case CAIRN_JOURNEY_STEP_DONE:
      if (step->last_done != 0)
        {
          g_autofree char *when = format_when (self, step->last_done, FALSE);

          /* TRANSLATORS: %s is a day, e.g. "Done, the last on Tue 8 Dec 2026" */
          g_string_append_printf (text, step->done > 1 ? _("Done, the last on %s") : _("Done on %s"), when);
        }
      else
        g_string_append (text, _("Done"));
      break;
    case CAIRN_JOURNEY_STEP_UNDER_WAY:
    case CAIRN_JOURNEY_STEP_BOOKED:
      if (step->next_start != 0)
        {
          g_autofree char *when = format_when (self, step->next_start, TRUE);

          /* TRANSLATORS: %s is when, e.g. "Next: Tue 8 Dec 2026, 09:00" */
          g_string_append_printf (text, _("Next: %s"), when);
        }
      else
        g_string_append (text, _("Nothing more booked"));
      break;
    case CAIRN_JOURNEY_STEP_NOT_BOOKED:
    default:
      g_string_append (text, _("Not booked"));
      break;
    }
  if (step->missed > 0)
    {
      g_string_append (text, " · ");
      /* TRANSLATORS: how many appointments or calls of a step were missed */
      g_string_append_printf (text, g_dngettext (GETTEXT_PACKAGE, "%u missed", "%u missed", step->missed),
                              step->missed);
    }
  return g_string_free (text, FALSE);
}

static GtkWidget *
state_icon (const CairnJourneyStep *step)
{
  static const char * const icons[] = {
    [CAIRN_JOURNEY_STEP_NOT_BOOKED] = "radio-symbolic",
    [CAIRN_JOURNEY_STEP_BOOKED] = "radio-symbolic",
    [CAIRN_JOURNEY_STEP_UNDER_WAY] = "radio-mixed-symbolic",
    [CAIRN_JOURNEY_STEP_DONE] = "emblem-ok-symbolic",
  };
  GtkWidget *icon = gtk_image_new_from_icon_name (icons[step->state]);

  if (step->state == CAIRN_JOURNEY_STEP_DONE)
    gtk_widget_add_css_class (icon, "success");
  else if (step->state == CAIRN_JOURNEY_STEP_NOT_BOOKED)
    gtk_widget_add_css_class (icon, "dim-label");
  return icon;
}

static GtkWidget *
count_label (const CairnJourneyStep *step)
{
  /* TRANSLATORS: progress against the protocol template, e.g. "2 of 3" */
  g_autofree char *text = g_strdup_printf (_("%u of %u"), step->done, step->planned);
  GtkWidget *label = gtk_label_new (text);

  gtk_widget_add_css_class (label, "numeric");
  gtk_widget_add_css_class (label, "dim-label");
  return label;
}

static void
fill_step_row (CairnJourneyPage       *self,
               GtkWidget              *row,
               const CairnJourneyStep *step)
{
  g_autofree char *subtitle = describe_step (self, step);

  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), step->title);
  if (ADW_IS_EXPANDER_ROW (row))
    {
      adw_expander_row_set_subtitle (ADW_EXPANDER_ROW (row), subtitle);
      adw_expander_row_add_prefix (ADW_EXPANDER_ROW (row), state_icon (step));
    }
  else
    {
      adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);
      adw_action_row_add_prefix (ADW_ACTION_ROW (row), state_icon (step));
      if (step->planned > 1)
        adw_action_row_add_suffix (ADW_ACTION_ROW (row), count_label (step));
    }
}

static void
show_course (CairnJourneyPage *self)
{
  GPtrArray *steps = self->journey->steps;
  AdwExpanderRow *round_row = NULL;
  gboolean expanded_one = FALSE;

  for (guint i = 0; i < steps->len; i++)
    {
      const CairnJourneyStep *step = g_ptr_array_index (steps, i);
      GtkWidget *row;

      if (step->round == 0)
        {
          row = adw_action_row_new ();
          fill_step_row (self, row, step);
          add_row (self, self->course_list, row);
          round_row = NULL;
          continue;
        }
      if (step->phase == CAIRN_PHASE_MEDICINE_SESSION)
        {
          row = adw_expander_row_new ();
          fill_step_row (self, row, step);
          add_row (self, self->course_list, row);
          round_row = ADW_EXPANDER_ROW (row);
          continue;
        }
      if (round_row == NULL)
        continue;

      row = adw_action_row_new ();
      fill_step_row (self, row, step);
      adw_expander_row_add_row (round_row, row);
      /* Open the first round still going on. */
      if (!expanded_one && step->state != CAIRN_JOURNEY_STEP_DONE &&
          (step->done > 0 || step->booked > 0 || step->missed > 0))
        {
          adw_expander_row_set_expanded (round_row, TRUE);
          expanded_one = TRUE;
        }
    }
}

static char *
describe_summary (CairnJourneyPage *self)
{
  GPtrArray *steps = self->journey->steps;
  const CairnJourneyStep *current = NULL;
  GString *text = g_string_new (NULL);

  /* Where the patient is: the furthest step where anything took place,
   * while it is not finished; once it is, the next step not finished. A
   * gap further back (a session cancelled and never rebooked) is shown on
   * its own line, not here. */
  {
    guint last_active = 0;
    gboolean any = FALSE;

    for (guint i = 0; i < steps->len; i++)
      if (((CairnJourneyStep *) g_ptr_array_index (steps, i))->done > 0)
        {
          last_active = i;
          any = TRUE;
        }
    for (guint i = any ? last_active : 0; i < steps->len; i++)
      {
        const CairnJourneyStep *step = g_ptr_array_index (steps, i);

        if (step->state != CAIRN_JOURNEY_STEP_DONE)
          {
            current = step;
            break;
          }
      }
  }

  if (current == NULL)
    g_string_append (text, _("Course complete"));
  else if (current->round > 0 && current->phase != CAIRN_PHASE_MEDICINE_SESSION)
    /* TRANSLATORS: e.g. "Integration after medicine session 1: 2 of 3" */
    g_string_append_printf (text, _("%s after medicine session %u: %u of %u"), current->title,
                            current->round, current->done, current->planned);
  else if (current->planned > 1)
    /* TRANSLATORS: e.g. "Preparation 2 of 3" */
    g_string_append_printf (text, _("%s %u of %u"), current->title, current->done, current->planned);
  else
    g_string_append (text, current->title);

  if (self->journey->next_start != 0)
    {
      g_autofree char *when = format_when (self, self->journey->next_start, TRUE);

      g_string_append (text, "\n");
      /* TRANSLATORS: the next appointment, e.g. "Next: Preparation, Tue 8 Dec 2026, 09:00" */
      g_string_append_printf (text, _("Next: %s, %s"), self->journey->next_type_name, when);
    }
  else
    {
      g_string_append (text, "\n");
      g_string_append (text, _("Nothing booked"));
    }
  return g_string_free (text, FALSE);
}

static gboolean
any_step_done (CairnJourneyPage *self)
{
  for (guint i = 0; i < self->journey->steps->len; i++)
    {
      const CairnJourneyStep *step = g_ptr_array_index (self->journey->steps, i);

      if (step->phase != CAIRN_PHASE_SCREENING && step->done > 0)
        return TRUE;
    }
  return FALSE;
}

static gboolean
any_medicine_session_done (CairnJourneyPage *self)
{
  for (guint i = 0; i < self->journey->steps->len; i++)
    {
      const CairnJourneyStep *step = g_ptr_array_index (self->journey->steps, i);

      if (step->phase == CAIRN_PHASE_MEDICINE_SESSION && step->done > 0)
        return TRUE;
    }
  return FALSE;
}

static void
show_journey (CairnJourneyPage *self)
{
  g_autofree char *summary = describe_summary (self);

  clear_rows (self);
  gtk_label_set_text (self->summary_label, summary);

  for (guint i = 0; i < self->journey->alerts->len; i++)
    add_row (self, self->alerts_list, alert_row (g_ptr_array_index (self->journey->alerts, i)));
  if (self->journey->alerts->len == 0)
    {
      GtkWidget *row = adw_action_row_new ();
      GtkWidget *icon = gtk_image_new_from_icon_name ("emblem-ok-symbolic");

      gtk_widget_add_css_class (icon, "success");
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), _("Nothing needs attention"));
      adw_action_row_add_prefix (ADW_ACTION_ROW (row), icon);
      add_row (self, self->alerts_list, row);
    }

  show_course (self);
  /* Nothing booked and nothing done yet: the next step is to plan the course. */
  gtk_widget_set_visible (self->plan_button, self->journey->next_start == 0 && !any_step_done (self));
  /* The gate matters before a medicine session: while one is booked, or
   * before the first. After the last, it would only be noise. */
  gtk_widget_set_visible (GTK_WIDGET (self->gate_group),
                          self->journey->next_medicine_session_id != NULL || !any_medicine_session_done (self));
}

static gpointer
read_journey (CairnVault     *vault,
              gconstpointer   request,
              gint64          now,
              GError        **error)
{
  return cairn_journey_load (vault, request, now, error);
}

static void
show_read (gpointer user_data,
           gpointer result)
{
  CairnJourneyPage *self = user_data;
  CairnJourney *journey = result;

  g_clear_pointer (&self->journey, cairn_journey_free);
  self->journey = journey;
  /* The gate came with the journey: shown without reading it again. */
  cairn_gate_view_show (self->gate_view, self->patient_id, journey->gate, journey->gate_today,
                        journey->next_medicine_session_id, journey->next_medicine_session_start, journey->zone);
  show_journey (self);
}

static void
cairn_journey_page_dispose (GObject *object)
{
  CairnJourneyPage *self = CAIRN_JOURNEY_PAGE (object);

  if (self->loader != NULL)
    cairn_loader_clear (self->loader);
  g_clear_pointer (&self->rows, g_ptr_array_unref);
  gtk_widget_dispose_template (GTK_WIDGET (self), CAIRN_TYPE_JOURNEY_PAGE);
  g_clear_object (&self->vault);
  g_clear_pointer (&self->patient_id, g_free);
  g_clear_pointer (&self->journey, cairn_journey_free);
  g_clear_object (&self->context);

  G_OBJECT_CLASS (cairn_journey_page_parent_class)->dispose (object);
}

static void
cairn_journey_page_constructed (GObject *object)
{
  CairnJourneyPage *self = CAIRN_JOURNEY_PAGE (object);

  G_OBJECT_CLASS (cairn_journey_page_parent_class)->constructed (object);

  g_assert (CAIRN_IS_CONTEXT (self->context));
  self->gate_view = CAIRN_GATE_VIEW (cairn_gate_view_new (self->context));
  adw_preferences_group_add (self->gate_group, GTK_WIDGET (self->gate_view));
}

static void
cairn_journey_page_set_property (GObject      *object,
                                 guint         prop_id,
                                 const GValue *value,
                                 GParamSpec   *pspec)
{
  CairnJourneyPage *self = CAIRN_JOURNEY_PAGE (object);

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
cairn_journey_page_class_init (CairnJourneyPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->constructed = cairn_journey_page_constructed;
  object_class->set_property = cairn_journey_page_set_property;

  /**
   * CairnJourneyPage:context:
   *
   * What the tab works in: the unlocked vault, read from when the tab is
   * given a patient.
   */
  properties[PROP_CONTEXT] =
    g_param_spec_object ("context", NULL, NULL, CAIRN_TYPE_CONTEXT,
                         G_PARAM_WRITABLE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  object_class->dispose = cairn_journey_page_dispose;

  g_type_ensure (CAIRN_TYPE_LOADER);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               RESOURCE_BASE_PATH "/journey/cairn-journey-page.ui");
  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_bind_template_child (widget_class, CairnJourneyPage, alerts_group);
  gtk_widget_class_bind_template_child (widget_class, CairnJourneyPage, alerts_list);
  gtk_widget_class_bind_template_child (widget_class, CairnJourneyPage, course_list);
  gtk_widget_class_bind_template_child (widget_class, CairnJourneyPage, gate_group);
  gtk_widget_class_bind_template_child (widget_class, CairnJourneyPage, loader);
  gtk_widget_class_bind_template_child (widget_class, CairnJourneyPage, plan_button);
  gtk_widget_class_bind_template_child (widget_class, CairnJourneyPage, summary_label);
}

static void
cairn_journey_page_init (CairnJourneyPage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  cairn_loader_setup (self->loader, read_journey, (GBoxedCopyFunc) g_strdup, g_free,
                      (GDestroyNotify) cairn_journey_free, show_read, self);
  self->rows = g_ptr_array_new ();
}

/**
 * cairn_journey_page_load:
 * @self: the page
 * @patient: whose journey
 *
 * Reads the journey afresh on the worker of the context's vault, which
 * must open clinical.db, and shows it.
 */
void
cairn_journey_page_load (CairnJourneyPage   *self,
                         const CairnPatient *patient)
{
  CairnVault *vault;

  g_return_if_fail (CAIRN_IS_JOURNEY_PAGE (self));
  g_return_if_fail (patient != NULL && patient->id != NULL);
  vault = cairn_context_get_vault (self->context);
  g_return_if_fail (vault != NULL);

  /* The same patient again keeps what is shown until the answer comes;
   * nothing of another patient may show while this one loads. */
  if (self->vault == vault && g_strcmp0 (self->patient_id, patient->id) == 0)
    {
      cairn_loader_reload (self->loader);
      return;
    }
  cairn_journey_page_clear (self);
  g_set_object (&self->vault, vault);
  self->patient_id = g_strdup (patient->id);
  cairn_loader_load (self->loader, vault, patient->id);
}

/**
 * cairn_journey_page_clear:
 * @self: the page
 *
 * Forgets the patient and every row, and drops the vault.
 */
void
cairn_journey_page_clear (CairnJourneyPage *self)
{
  g_return_if_fail (CAIRN_IS_JOURNEY_PAGE (self));

  cairn_loader_clear (self->loader);
  clear_rows (self);
  gtk_label_set_text (self->summary_label, "");
  gtk_widget_set_visible (self->plan_button, FALSE);
  g_clear_pointer (&self->journey, cairn_journey_free);
  g_clear_pointer (&self->patient_id, g_free);
  g_clear_object (&self->vault);
  cairn_gate_view_clear (self->gate_view);
}

/**
 * cairn_journey_page_set_now:
 * @self: the page
 * @now: UTC seconds to take as now, or 0 for the clock
 *
 * For tests and pictures.
 */
void
cairn_journey_page_set_now (CairnJourneyPage *self,
                            gint64            now)
{
  g_return_if_fail (CAIRN_IS_JOURNEY_PAGE (self));

  cairn_loader_set_now (self->loader, now);
}

/**
 * cairn_journey_page_get_journey:
 * @self: the page
 *
 * Returns: (transfer none) (nullable): the journey shown
 */
const CairnJourney *
cairn_journey_page_get_journey (CairnJourneyPage *self)
{
  g_return_val_if_fail (CAIRN_IS_JOURNEY_PAGE (self), NULL);

  return self->journey;
}
