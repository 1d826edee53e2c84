/* cairn-patient-view.c
 *
 * A patient's page. Details (who they are and how to reach them) is for
 * everyone who may open the Patients page; Journey, Screening, Notes and
 * Measures are for clinicians and are not even shown to a user whose keys
 * do not open clinical.db. A clinical tab reads the vault only when it is
 * opened, so the audit trail records what was actually looked at. The
 * buttons activate the Patients page's actions (patients.back, .edit,
 * .archive, .restore): the view only shows, the page does the work. The
 * Patients page gives the view its context, and the view gives it to each
 * clinical tab when it makes it.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "cairn-patients"

#include "config.h"

#include <glib/gi18n.h>

#include "cairn-journey-page.h"
#include "cairn-measures-page.h"
#include "cairn-notes-page.h"
#include "cairn-patient-row.h"
#include "cairn-patient-view.h"
#include "cairn-screening-page.h"

typedef void (*TabLoad)  (GtkWidget          *page,
                          const CairnPatient *patient);
typedef void (*TabClear) (GtkWidget          *page);

/* The clinical tabs, in the order of the switcher. A tab is one entry: its
 * widget's type (with a construct-only "context"), how it is given a
 * patient and how it forgets one. Each tab's widget is made the first time
 * it is opened. */
typedef struct
{
  const char *name;
  const char *title;
  const char *icon_name;
  GType     (*get_type) (void);
  TabLoad     load;
  TabClear    clear;
  gboolean    read_each_time;   /* it sums up the others: read afresh when opened */
} ClinicalTab;

static const ClinicalTab clinical_tabs[] = {
  { "journey", N_("Journey"), "mark-location-symbolic", cairn_journey_page_get_type,
    (TabLoad) cairn_journey_page_load, (TabClear) cairn_journey_page_clear, TRUE },
  { "screening", N_("Screening"), "checkbox-checked-symbolic", cairn_screening_page_get_type,
    (TabLoad) cairn_screening_page_load, (TabClear) cairn_screening_page_clear, FALSE },
  { "notes", N_("Notes"), "document-edit-symbolic", cairn_notes_page_get_type,
    (TabLoad) cairn_notes_page_load, (TabClear) cairn_notes_page_clear, FALSE },
  { "measures", N_("Measures"), "cairn-chart-symbolic", cairn_measures_page_get_type,
    (TabLoad) cairn_measures_page_load, (TabClear) cairn_measures_page_clear, FALSE },
};

#define N_TABS G_N_ELEMENTS (clinical_tabs)

struct _CairnPatientView
{
  GtkWidget     parent_instance;

  CairnContext *context;
  CairnPatient *patient;
  CairnVault   *vault;               /* the context's the tabs show; NULL while locked */
  gboolean      loaded[N_TABS];      /* whether the tab shows this patient */
  AdwBin       *tab_slots[N_TABS];
  GtkWidget    *tab_pages[N_TABS];   /* NULL until first opened */

  AdwViewStack       *stack;
  GtkWidget          *switcher_squeezer;

  /* Template widgets */
  AdwActionRow *address_row;
  GtkLabel     *aka_label;
  AdwActionRow *appointment_row;
  GPtrArray    *later_rows;          /* the appointments after the next */
  GtkButton    *archive_button;
  GtkLabel     *archived_tag;
  AdwAvatar    *avatar;
  GtkButton    *back_button;
  GtkLabel     *birth_label;
  GtkLabel     *chart_label;
  AdwActionRow *email_row;
  AdwActionRow *emergency_contact_row;
  GtkLabel     *name_label;
  GtkLabel     *notes_label;
  AdwActionRow *phone_row;
  AdwActionRow *referring_clinician_row;
  GtkButton    *restore_button;
  AdwActionRow *support_person_row;
};

G_DEFINE_FINAL_TYPE (CairnPatientView, cairn_patient_view, GTK_TYPE_WIDGET)

enum {
  PROP_0,
  PROP_CONTEXT,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static gboolean
is_blank (const char *text)
{
  if (text == NULL)
    return TRUE;
  for (; *text != '\0'; text = g_utf8_next_char (text))
    if (!g_unichar_isspace (g_utf8_get_char (text)))
      return FALSE;
  return TRUE;
}

static void
set_value (AdwActionRow *row,
           const char   *value)
{
  adw_action_row_set_subtitle (row, is_blank (value) ? _("Not recorded") : value);
}

static void
set_label (GtkLabel   *label,
           const char *text)
{
  gtk_label_set_text (label, text != NULL ? text : "");
  gtk_widget_set_visible (GTK_WIDGET (label), text != NULL && *text != '\0');
}

static void
drop_later_rows (CairnPatientView *self)
{
  if (self->later_rows == NULL)
    return;
  for (guint i = 0; i < self->later_rows->len; i++)
    {
      GtkWidget *row = g_ptr_array_index (self->later_rows, i);

      adw_preferences_group_remove (ADW_PREFERENCES_GROUP (gtk_widget_get_ancestor (row,
                                                                                   ADW_TYPE_PREFERENCES_GROUP)),
                                    row);
    }
  g_ptr_array_set_size (self->later_rows, 0);
}

static gboolean
has_clinical (CairnPatientView *self)
{
  return self->vault != NULL && !cairn_vault_is_locked (self->vault) &&
         cairn_vault_has_clinical (self->vault);
}

static void
clear_tab (CairnPatientView *self,
           guint             tab)
{
  if (self->tab_pages[tab] != NULL)
    clinical_tabs[tab].clear (self->tab_pages[tab]);
  self->loaded[tab] = FALSE;
}

static void
clear_tabs (CairnPatientView *self)
{
  for (guint tab = 0; tab < N_TABS; tab++)
    clear_tab (self, tab);
}

/* Loads the tab on screen, if it is a clinical one. The journey sums up
 * the other tabs, so it reads afresh each time it is opened; the others
 * keep what they show (and their unsaved input) until another patient. */
static void
load_visible_tab (CairnPatientView *self)
{
  const char *name = adw_view_stack_get_visible_child_name (self->stack);
  guint tab;

  if (self->patient == NULL || self->patient->id == NULL || !has_clinical (self))
    return;
  for (tab = 0; tab < N_TABS; tab++)
    if (g_strcmp0 (name, clinical_tabs[tab].name) == 0)
      break;
  if (tab == N_TABS || (self->loaded[tab] && !clinical_tabs[tab].read_each_time))
    return;

  if (self->tab_pages[tab] == NULL)
    {
      self->tab_pages[tab] = g_object_new (clinical_tabs[tab].get_type (),
                                           "context", self->context,
                                           NULL);
      adw_bin_set_child (self->tab_slots[tab], self->tab_pages[tab]);
    }
  clinical_tabs[tab].load (self->tab_pages[tab], self->patient);
  self->loaded[tab] = TRUE;
}

static void
on_visible_child_changed (CairnPatientView *self)
{
  load_visible_tab (self);
}

/* A front-desk user sees Details only, and then no switcher at all. */
static void
sync_tabs (CairnPatientView *self)
{
  gboolean clinical = has_clinical (self);

  if (!clinical)
    {
      adw_view_stack_set_visible_child_name (self->stack, "details");
      clear_tabs (self);
    }
  for (guint tab = 0; tab < N_TABS; tab++)
    adw_view_stack_page_set_visible (adw_view_stack_get_page (self->stack, GTK_WIDGET (self->tab_slots[tab])),
                                     clinical);
  gtk_widget_set_visible (self->switcher_squeezer, clinical);
}

static void
show_tab (GtkWidget  *widget,
          const char *action_name,
          GVariant   *parameter)
{
  CairnPatientView *self = CAIRN_PATIENT_VIEW (widget);
  const char *name = g_variant_get_string (parameter, NULL);
  GtkWidget *child = adw_view_stack_get_child_by_name (self->stack, name);

  if (child != NULL && adw_view_stack_page_get_visible (adw_view_stack_get_page (self->stack, child)))
    adw_view_stack_set_visible_child (self->stack, child);
}

static void
cairn_patient_view_sync (CairnPatientView *self)
{
  const CairnPatient *p = self->patient;
  g_autofree char *nickname = NULL;
  g_autofree char *birth = NULL;
  g_autofree char *aka = NULL;
  g_autofree char *born = NULL;
  g_autofree char *chart = NULL;
  gboolean archived;
  GDate today;

  if (p == NULL)
    {
      /* Nothing of the last patient stays drawn, not even in a hidden page. */
      adw_avatar_set_text (self->avatar, NULL);
      set_label (self->name_label, NULL);
      set_label (self->aka_label, NULL);
      set_label (self->birth_label, NULL);
      set_label (self->chart_label, NULL);
      gtk_widget_set_visible (GTK_WIDGET (self->archived_tag), FALSE);
      adw_action_row_set_subtitle (self->appointment_row, "");
      drop_later_rows (self);
      adw_action_row_set_subtitle (self->phone_row, "");
      adw_action_row_set_subtitle (self->email_row, "");
      adw_action_row_set_subtitle (self->address_row, "");
      adw_action_row_set_subtitle (self->emergency_contact_row, "");
      adw_action_row_set_subtitle (self->support_person_row, "");
      adw_action_row_set_subtitle (self->referring_clinician_row, "");
      set_label (self->notes_label, NULL);
      return;
    }

  cairn_patient_get_today (&today);
  archived = p->archived_at != NULL;

  adw_avatar_set_text (self->avatar, p->legal_name);
  set_label (self->name_label, p->legal_name);

  nickname = cairn_patient_format_nickname (p->legal_name, p->preferred_name);
  if (nickname != NULL && !is_blank (p->pronouns))
    aka = g_strdup_printf ("%s%s%s", nickname, _(" · "), p->pronouns);
  else if (nickname != NULL)
    aka = g_strdup (nickname);
  else if (!is_blank (p->pronouns))
    aka = g_strdup (p->pronouns);
  set_label (self->aka_label, aka);

  birth = cairn_patient_format_birth (p->date_of_birth, &today);
  if (birth != NULL)
    /* TRANSLATORS: %s is a date of birth with the age, "1984-03-27 (age 40)" */
    born = g_strdup_printf (_("Born %s"), birth);
  set_label (self->birth_label, born);

  if (!is_blank (p->chart_number))
    /* TRANSLATORS: %s is a chart number, such as C-000012 */
    chart = g_strdup_printf (_("Chart %s"), p->chart_number);
  set_label (self->chart_label, chart);
  gtk_widget_set_visible (GTK_WIDGET (self->archived_tag), archived);
  gtk_widget_set_visible (GTK_WIDGET (self->archive_button), !archived);
  gtk_widget_set_visible (GTK_WIDGET (self->restore_button), archived);

  /* Filled in by cairn_patient_view_set_appointments() once read. */
  adw_action_row_set_subtitle (self->appointment_row, "");
  drop_later_rows (self);

  set_value (self->phone_row, p->phone);
  set_value (self->email_row, p->email);
  set_value (self->address_row, p->address);
  set_value (self->emergency_contact_row, p->emergency_contact);
  set_value (self->support_person_row, p->support_person);
  set_value (self->referring_clinician_row, p->referring_clinician);

  if (is_blank (p->front_desk_notes))
    {
      gtk_label_set_text (self->notes_label, _("No notes"));
      gtk_widget_add_css_class (GTK_WIDGET (self->notes_label), "dim-label");
    }
  else
    {
      gtk_label_set_text (self->notes_label, p->front_desk_notes);
      gtk_widget_remove_css_class (GTK_WIDGET (self->notes_label), "dim-label");
    }
  gtk_widget_set_visible (GTK_WIDGET (self->notes_label), TRUE);
}

static void
cairn_patient_view_dispose (GObject *object)
{
  CairnPatientView *self = CAIRN_PATIENT_VIEW (object);
  GtkWidget *child;

  g_clear_pointer (&self->later_rows, g_ptr_array_unref);
  g_clear_object (&self->vault);
  g_clear_object (&self->context);
  gtk_widget_dispose_template (GTK_WIDGET (self), CAIRN_TYPE_PATIENT_VIEW);
  /* The template's top box has no id, so nothing above unparents it. */
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self))) != NULL)
    gtk_widget_unparent (child);

  G_OBJECT_CLASS (cairn_patient_view_parent_class)->dispose (object);
}

static void
cairn_patient_view_finalize (GObject *object)
{
  CairnPatientView *self = CAIRN_PATIENT_VIEW (object);

  g_clear_pointer (&self->patient, cairn_patient_free);

  G_OBJECT_CLASS (cairn_patient_view_parent_class)->finalize (object);
}

/* Opening a patient puts the focus on the way back. When the list's row
 * that had the focus is hidden, GTK may first pass the focus through a
 * selectable label, which selects its text on the way: unselect it. */
static gboolean
cairn_patient_view_grab_focus (GtkWidget *widget)
{
  CairnPatientView *self = CAIRN_PATIENT_VIEW (widget);
  gboolean grabbed = gtk_widget_grab_focus (GTK_WIDGET (self->back_button));

  gtk_label_select_region (self->name_label, 0, 0);
  gtk_label_select_region (self->chart_label, 0, 0);
  gtk_label_select_region (self->notes_label, 0, 0);
  return grabbed;
}

static void
cairn_patient_view_get_property (GObject    *object,
                                 guint       prop_id,
                                 GValue     *value,
                                 GParamSpec *pspec)
{
  CairnPatientView *self = CAIRN_PATIENT_VIEW (object);

  switch (prop_id)
    {
    case PROP_CONTEXT:
      g_value_set_object (value, self->context);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
cairn_patient_view_set_property (GObject      *object,
                                 guint         prop_id,
                                 const GValue *value,
                                 GParamSpec   *pspec)
{
  CairnPatientView *self = CAIRN_PATIENT_VIEW (object);

  switch (prop_id)
    {
    case PROP_CONTEXT:
      cairn_patient_view_set_context (self, g_value_get_object (value));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
cairn_patient_view_class_init (CairnPatientViewClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = cairn_patient_view_dispose;
  object_class->finalize = cairn_patient_view_finalize;
  object_class->get_property = cairn_patient_view_get_property;
  object_class->set_property = cairn_patient_view_set_property;
  widget_class->grab_focus = cairn_patient_view_grab_focus;

  /**
   * CairnPatientView:context:
   *
   * What the view and its clinical tabs work in: the vault whose records
   * they show. The view is a child of the Patients page's template, which
   * sets it; each clinical tab is made with it.
   */
  properties[PROP_CONTEXT] =
    g_param_spec_object ("context", NULL, NULL, CAIRN_TYPE_CONTEXT,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  /* patient-view.show-tab('screening'): for the journey's alerts */
  gtk_widget_class_install_action (widget_class, "patient-view.show-tab", "s", show_tab);

  gtk_widget_class_set_template_from_resource (widget_class, RESOURCE_BASE_PATH
                                               "/patients/cairn-patient-view.ui");
  gtk_widget_class_bind_template_child (widget_class, CairnPatientView, address_row);
  gtk_widget_class_bind_template_child (widget_class, CairnPatientView, aka_label);
  gtk_widget_class_bind_template_child (widget_class, CairnPatientView, appointment_row);
  gtk_widget_class_bind_template_child (widget_class, CairnPatientView, archive_button);
  gtk_widget_class_bind_template_child (widget_class, CairnPatientView, archived_tag);
  gtk_widget_class_bind_template_child (widget_class, CairnPatientView, avatar);
  gtk_widget_class_bind_template_child (widget_class, CairnPatientView, back_button);
  gtk_widget_class_bind_template_child (widget_class, CairnPatientView, birth_label);
  gtk_widget_class_bind_template_child (widget_class, CairnPatientView, chart_label);
  gtk_widget_class_bind_template_child (widget_class, CairnPatientView, email_row);
  gtk_widget_class_bind_template_child (widget_class, CairnPatientView, emergency_contact_row);
  gtk_widget_class_bind_template_child (widget_class, CairnPatientView, name_label);
  gtk_widget_class_bind_template_child (widget_class, CairnPatientView, notes_label);
  gtk_widget_class_bind_template_child (widget_class, CairnPatientView, phone_row);
  gtk_widget_class_bind_template_child (widget_class, CairnPatientView, referring_clinician_row);
  gtk_widget_class_bind_template_child (widget_class, CairnPatientView, restore_button);
  gtk_widget_class_bind_template_child (widget_class, CairnPatientView, support_person_row);
  gtk_widget_class_bind_template_child (widget_class, CairnPatientView, stack);
  gtk_widget_class_bind_template_child (widget_class, CairnPatientView, switcher_squeezer);
  gtk_widget_class_bind_template_callback (widget_class, on_visible_child_changed);
}

static void
cairn_patient_view_init (CairnPatientView *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  self->later_rows = g_ptr_array_new ();

  for (guint tab = 0; tab < N_TABS; tab++)
    {
      AdwViewStackPage *page;

      self->tab_slots[tab] = ADW_BIN (adw_bin_new ());
      page = adw_view_stack_add_titled (self->stack, GTK_WIDGET (self->tab_slots[tab]), clinical_tabs[tab].name,
                                        _(clinical_tabs[tab].title));
      adw_view_stack_page_set_icon_name (page, clinical_tabs[tab].icon_name);
      adw_view_stack_page_set_visible (page, FALSE);
    }

  cairn_patient_view_sync (self);
  sync_tabs (self);
}

/* The tabs show the context's vault: another vault (another user, or
 * none) and nothing of the last one stays in a clinical tab. */
static void
sync_vault (CairnPatientView *self)
{
  CairnVault *vault = self->context != NULL ? cairn_context_get_vault (self->context) : NULL;

  if (self->vault == vault)
    return;
  clear_tabs (self);
  g_set_object (&self->vault, vault);
  sync_tabs (self);
}

/**
 * cairn_patient_view_set_context:
 * @self: the view
 * @context: (nullable): the context whose vault to show, and to make the
 *   clinical tabs with
 */
void
cairn_patient_view_set_context (CairnPatientView *self,
                                CairnContext     *context)
{
  g_return_if_fail (CAIRN_IS_PATIENT_VIEW (self));
  g_return_if_fail (context == NULL || CAIRN_IS_CONTEXT (context));

  if (self->context == context)
    return;
  /* A tab is made with its context: those of another go. */
  clear_tabs (self);
  for (guint tab = 0; tab < N_TABS; tab++)
    if (self->tab_pages[tab] != NULL)
      {
        adw_bin_set_child (self->tab_slots[tab], NULL);
        self->tab_pages[tab] = NULL;
      }
  g_set_object (&self->context, context);
  g_clear_object (&self->vault);
  sync_tabs (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CONTEXT]);
}

/**
 * cairn_patient_view_set_patient:
 * @self: the view
 * @patient: the patient to show; the view keeps a copy
 *
 * The clinical tabs are shown only when the context's vault opens
 * clinical.db.
 */
void
cairn_patient_view_set_patient (CairnPatientView   *self,
                                const CairnPatient *patient)
{
  g_return_if_fail (CAIRN_IS_PATIENT_VIEW (self));
  g_return_if_fail (patient != NULL);

  sync_vault (self);
  /* Another patient: nothing of the last one stays in a clinical tab. The
   * same patient again (after an edit) keeps what the tabs show. */
  if (self->patient == NULL || g_strcmp0 (self->patient->id, patient->id) != 0)
    {
      clear_tabs (self);
      adw_view_stack_set_visible_child_name (self->stack, "details");
    }
  g_clear_pointer (&self->patient, cairn_patient_free);
  self->patient = cairn_patient_copy (patient);
  cairn_patient_view_sync (self);
  load_visible_tab (self);
}

/**
 * cairn_patient_view_get_patient:
 * @self: the view
 *
 * Returns: (transfer none) (nullable): the patient shown
 */
const CairnPatient *
cairn_patient_view_get_patient (CairnPatientView *self)
{
  g_return_val_if_fail (CAIRN_IS_PATIENT_VIEW (self), NULL);

  return self->patient;
}

/**
 * cairn_patient_view_clear:
 * @self: the view
 *
 * Forgets the patient and empties every label, for when Cairn locks.
 */
void
cairn_patient_view_clear (CairnPatientView *self)
{
  g_return_if_fail (CAIRN_IS_PATIENT_VIEW (self));

  g_clear_pointer (&self->patient, cairn_patient_free);
  clear_tabs (self);
  g_clear_object (&self->vault);
  sync_tabs (self);
  cairn_patient_view_sync (self);
}

static char *
describe_appointment (const CairnAgendaItem *item,
                      GTimeZone             *zone,
                      const CairnProtocol   *protocol)
{
  const CairnAppointment *a = item->appointment;
  const CairnAppointmentType *type = cairn_protocol_find_type (protocol, a->type_id);
  g_autoptr(GDateTime) utc = g_date_time_new_from_unix_utc (a->start);
  g_autoptr(GDateTime) local = g_date_time_to_timezone (utc, zone);
  /* TRANSLATORS: when an appointment is, as in "Tue 1 Dec 2026, 09:00" (strftime) */
  g_autofree char *when = g_date_time_format (local, _("%a %-d %b %Y, %H:%M"));
  GString *text = g_string_new (when);

  g_string_append_printf (text, " · %s", type != NULL ? type->name : a->type_id);
  if (item->room != NULL)
    g_string_append_printf (text, " · %s", item->room);
  if (g_strcmp0 (a->status, "checked-in") == 0)
    g_string_append_printf (text, " · %s", _("arrived"));
  return g_string_free (text, FALSE);
}

/**
 * cairn_patient_view_set_appointments:
 * @self: the view
 * @items: (element-type CairnAgendaItem) (nullable): the patient's
 *   appointments from now on, by start, as cairn_agenda_list_for_patient()
 *   gives them
 *
 * Shows the next appointment and the few after it, in the context's zone
 * and with the kinds' names from its protocol template. Cancelled ones and
 * no-shows are left out.
 */
void
cairn_patient_view_set_appointments (CairnPatientView *self,
                                     GPtrArray        *items)
{
  AdwPreferencesGroup *group;
  guint shown = 0;

  g_return_if_fail (CAIRN_IS_PATIENT_VIEW (self));

  drop_later_rows (self);
  adw_action_row_set_subtitle (self->appointment_row, _("None booked"));
  if (items == NULL || self->patient == NULL || self->context == NULL)
    return;

  group = ADW_PREFERENCES_GROUP (gtk_widget_get_ancestor (GTK_WIDGET (self->appointment_row),
                                                          ADW_TYPE_PREFERENCES_GROUP));
  for (guint i = 0; i < items->len; i++)
    {
      const CairnAgendaItem *item = g_ptr_array_index (items, i);
      g_autofree char *text = NULL;
      GtkWidget *row;

      if (g_strcmp0 (item->appointment->status, "booked") != 0 &&
          g_strcmp0 (item->appointment->status, "checked-in") != 0)
        continue;
      text = describe_appointment (item, cairn_context_get_time_zone (self->context),
                                   cairn_context_get_protocol (self->context));
      if (shown++ == 0)
        {
          adw_action_row_set_subtitle (self->appointment_row, text);
          continue;
        }
      row = adw_action_row_new ();
      adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), _("Then"));
      adw_action_row_set_subtitle (ADW_ACTION_ROW (row), text);
      adw_preferences_group_add (group, row);
      g_ptr_array_add (self->later_rows, row);
    }
}
