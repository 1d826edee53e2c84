/* cairn-staff-page.c
 *
 * Preferences → Staff: everyone who works at the practice, with their role
 * and the hours they work, which booking checks against. Someone with no
 * hours of their own works whenever the practice is open; that is what an
 * empty row means, and what clearing it goes back to. The front desk runs
 * the schedule, so the page is everyone's. (Who may unlock Cairn is on the
 * Security page, for clinicians.)
 *
 * The list is read each time the page is shown, so someone added on the
 * Security page appears here. Every read and write runs on the vault's
 * worker through the core; each change is one transaction with its audit
 * entry.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "cairn-preferences"

#include "config.h"

#include <glib/gi18n.h>

#include "cairn-practice-setup.h"
#include "cairn-schedule.h"
#include "cairn-staff-page.h"
#include "cairn-toaster.h"

/* The widgets of one staff member. */
typedef struct
{
  char                *id;
  char                *name;
  gboolean             own_hours;
  AdwPreferencesGroup *group;
  AdwEntryRow         *row;
  GtkWidget           *clear;
  GtkLabel            *problem;
} Member;

struct _CairnStaffPage
{
  AdwPreferencesPage   parent_instance;

  CairnContext        *context;
  GCancellable        *cancellable;
  CairnToaster        *toaster;
  GHashTable          *members;     /* id → Member */
  guint                pending;     /* jobs under way */

  /* Template widgets */
  AdwPreferencesGroup *intro_group;
};

G_DEFINE_FINAL_TYPE (CairnStaffPage, cairn_staff_page, ADW_TYPE_PREFERENCES_PAGE)

enum {
  PROP_0,
  PROP_CONTEXT,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void cairn_staff_page_load (CairnStaffPage *self);

static CairnVault *
page_vault (CairnStaffPage *self)
{
  return cairn_context_get_vault (self->context);
}

static void
member_free (Member *member)
{
  g_free (member->id);
  g_free (member->name);
  g_free (member);
}

/* Toasts go to the preferences window; see cairn-toaster.c. */
static void
page_toast (CairnStaffPage *self,
            const char     *text)
{
  cairn_toaster_say (self->toaster, text);
}

static void
show_problem (Member     *member,
              const char *message)
{
  gtk_label_set_text (member->problem, message != NULL ? message : "");
  gtk_widget_set_visible (GTK_WIDGET (member->problem), message != NULL);
  if (message != NULL)
    gtk_widget_add_css_class (GTK_WIDGET (member->row), "error");
  else
    gtk_widget_remove_css_class (GTK_WIDGET (member->row), "error");
}

/* ------------------------------------------------------------------------ */
/* Changing                                                                  */

typedef enum
{
  CHANGE_SET_HOURS,
  CHANGE_CLEAR_HOURS,
} ChangeKind;

/* One change, shared by the job (on the worker) and its answer (here).
 * Only the answer touches the page: it holds and lets go of @self. */
typedef struct
{
  CairnStaffPage *self;
  ChangeKind      kind;
  char           *id;
  char           *hours;
} Change;

static void
change_clear (Change *change)
{
  g_assert (change->self == NULL);
  g_free (change->id);
  g_free (change->hours);
}

static void
change_unref (Change *change)
{
  g_atomic_rc_box_release_full (change, (GDestroyNotify) change_clear);
}

static gpointer
change_job (CairnVault    *vault,
            gpointer       data,
            GCancellable  *cancellable,
            GError       **error)
{
  Change *change = data;
  CairnDatabase *db = cairn_vault_get_practice (vault);
  g_autofree char *me = cairn_vault_get_user_id (vault);
  gboolean ok;

  if (change->kind == CHANGE_SET_HOURS)
    ok = cairn_schedule_set_staff_hours (db, change->id, change->hours, me, error);
  else
    ok = cairn_practice_clear_staff_hours (db, change->id, me, error);
  return ok ? GINT_TO_POINTER (TRUE) : NULL;
}

static void
change_done_cb (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  Change *change = user_data;
  g_autoptr(CairnStaffPage) self = g_steal_pointer (&change->self);
  g_autoptr(GError) error = NULL;
  gboolean ok = cairn_vault_run_finish (CAIRN_VAULT (source), result, &error) != NULL;
  Member *member;

  self->pending--;
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED) ||
      page_vault (self) != CAIRN_VAULT (source) ||
      (member = g_hash_table_lookup (self->members, change->id)) == NULL)
    {
      change_unref (change);
      return;
    }

  if (!ok)
    show_problem (member, error->message);
  else
    {
      g_autofree char *message = NULL;

      show_problem (member, NULL);
      if (change->kind == CHANGE_SET_HOURS)
        {
          /* TRANSLATORS: %s is a staff member's name */
          message = g_strdup_printf (_("Working hours of %s saved"), member->name);
          gtk_editable_set_text (GTK_EDITABLE (member->row), change->hours);
        }
      else
        {
          /* TRANSLATORS: %s is a staff member's name */
          message = g_strdup_printf (_("%s works whenever the practice is open again"),
                                     member->name);
          gtk_editable_set_text (GTK_EDITABLE (member->row), "");
        }
      page_toast (self, message);
      cairn_staff_page_load (self);
    }
  change_unref (change);
}

static void
change_run (CairnStaffPage *self,
            ChangeKind      kind,
            const char     *id,
            const char     *hours)
{
  CairnVault *vault = page_vault (self);
  Change *change;

  if (vault == NULL)
    return;
  change = g_atomic_rc_box_new0 (Change);
  change->self = g_object_ref (self);
  change->kind = kind;
  change->id = g_strdup (id);
  change->hours = g_strdup (hours);
  self->pending++;
  cairn_vault_run_async (vault, change_job, g_atomic_rc_box_acquire (change),
                         (GDestroyNotify) change_unref, NULL, self->cancellable, change_done_cb,
                         change);
}

/* The staff member a row or button of theirs belongs to. */
static Member *
member_of (CairnStaffPage *self,
           gpointer        widget)
{
  const char *id = g_object_get_data (G_OBJECT (widget), "cairn-staff-id");

  return id != NULL ? g_hash_table_lookup (self->members, id) : NULL;
}

static void
on_hours_changed_cb (AdwEntryRow    *row,
                     CairnStaffPage *self)
{
  Member *member = member_of (self, row);

  if (member != NULL)
    show_problem (member, NULL);
}

static void
on_hours_applied_cb (AdwEntryRow    *row,
                     CairnStaffPage *self)
{
  Member *member = member_of (self, row);
  g_autofree char *text = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (row))));
  g_autoptr(GError) error = NULL;
  CairnWeekHours hours;

  if (member == NULL)
    return;

  /* Empty: whenever the practice is open. */
  if (*text == '\0')
    {
      if (member->own_hours)
        change_run (self, CHANGE_CLEAR_HOURS, member->id, NULL);
      return;
    }
  /* Read here first: a mistake is shown at once, and nothing is written. */
  if (!cairn_week_hours_parse (text, &hours, &error))
    {
      show_problem (member, error->message);
      return;
    }
  change_run (self, CHANGE_SET_HOURS, member->id, text);
}

static void
on_clear_clicked_cb (GtkButton      *button,
                     CairnStaffPage *self)
{
  Member *member = member_of (self, button);

  if (member != NULL)
    change_run (self, CHANGE_CLEAR_HOURS, member->id, NULL);
}

/* ------------------------------------------------------------------------ */
/* Reading                                                                   */

static gpointer
load_job (CairnVault    *vault,
          gpointer       data,
          GCancellable  *cancellable,
          GError       **error)
{
  return cairn_practice_list_staff (cairn_vault_get_practice (vault), error);
}

static Member *
member_new (CairnStaffPage         *self,
            const CairnStaffMember *staff)
{
  Member *member = g_new0 (Member, 1);
  g_autofree char *title = g_markup_escape_text (staff->name, -1);
  g_autofree char *clear_label = g_strdup_printf (_("Clear the working hours of %s"), staff->name);
  GtkWidget *clear = gtk_button_new_from_icon_name ("edit-clear-symbolic");

  member->id = g_strdup (staff->id);
  member->name = g_strdup (staff->name);
  member->group = ADW_PREFERENCES_GROUP (adw_preferences_group_new ());
  adw_preferences_group_set_title (member->group, title);

  member->row = ADW_ENTRY_ROW (adw_entry_row_new ());
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (member->row), _("Working hours"));
  adw_entry_row_set_show_apply_button (member->row, TRUE);
  g_object_set_data_full (G_OBJECT (member->row), "cairn-staff-id", g_strdup (staff->id), g_free);
  gtk_editable_set_text (GTK_EDITABLE (member->row), staff->hours != NULL ? staff->hours : "");
  g_signal_connect_object (member->row, "changed", G_CALLBACK (on_hours_changed_cb), self, 0);
  g_signal_connect_object (member->row, "apply", G_CALLBACK (on_hours_applied_cb), self, 0);
  /* Enter applies also when the text was set rather than typed. */
  g_signal_connect_object (member->row, "entry-activated", G_CALLBACK (on_hours_applied_cb), self,
                           0);

  member->clear = clear;
  gtk_widget_set_valign (clear, GTK_ALIGN_CENTER);
  gtk_widget_set_tooltip_text (clear, _("Work Whenever the Practice Is Open"));
  gtk_accessible_update_property (GTK_ACCESSIBLE (clear),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, clear_label, -1);
  gtk_widget_add_css_class (clear, "flat");
  g_object_set_data_full (G_OBJECT (clear), "cairn-staff-id", g_strdup (staff->id), g_free);
  g_signal_connect_object (clear, "clicked", G_CALLBACK (on_clear_clicked_cb), self, 0);
  adw_entry_row_add_suffix (member->row, clear);
  adw_preferences_group_add (member->group, GTK_WIDGET (member->row));

  member->problem = GTK_LABEL (gtk_label_new (NULL));
  gtk_label_set_wrap (member->problem, TRUE);
  gtk_label_set_xalign (member->problem, 0.0);
  gtk_widget_set_margin_top (GTK_WIDGET (member->problem), 6);
  gtk_widget_add_css_class (GTK_WIDGET (member->problem), "error");
  gtk_widget_add_css_class (GTK_WIDGET (member->problem), "caption");
  gtk_widget_set_visible (GTK_WIDGET (member->problem), FALSE);
  adw_preferences_group_add (member->group, GTK_WIDGET (member->problem));

  adw_preferences_page_add (ADW_PREFERENCES_PAGE (self), member->group);
  return member;
}

static void
member_update (Member                 *member,
               const CairnStaffMember *staff)
{
  const char *role = staff->clinician ? _("Clinician") : _("Front desk");
  g_autofree char *description = NULL;

  member->own_hours = staff->hours != NULL;
  description = member->own_hours
                /* TRANSLATORS: %s is a role, "Clinician" or "Front desk" */
                ? g_strdup_printf (_("%s · own working hours"), role)
                /* TRANSLATORS: %s is a role, "Clinician" or "Front desk" */
                : g_strdup_printf (_("%s · works whenever the practice is open"), role);
  adw_preferences_group_set_description (member->group, description);
  gtk_widget_set_visible (member->clear, member->own_hours);
}

static void
remove_all (CairnStaffPage *self)
{
  GHashTableIter iter;
  Member *member;

  g_hash_table_iter_init (&iter, self->members);
  while (g_hash_table_iter_next (&iter, NULL, (gpointer *) &member))
    {
      adw_preferences_page_remove (ADW_PREFERENCES_PAGE (self), member->group);
      g_hash_table_iter_remove (&iter);
    }
}

static void
load_done_cb (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(CairnStaffPage) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) staff = cairn_vault_run_finish (CAIRN_VAULT (source), result, &error);
  g_autoptr(GHashTable) listed = NULL;
  GHashTableIter iter;
  Member *member;

  self->pending--;
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED) ||
      page_vault (self) != CAIRN_VAULT (source))
    return;
  if (staff == NULL)
    {
      g_autofree char *text = g_strdup_printf (_("The staff could not be read: %s"),
                                               error->message);

      page_toast (self, text);
      return;
    }

  /* Rows stay as they are, with what is being typed in them; only who
   * is new is added, and who is gone removed. */
  listed = g_hash_table_new (g_str_hash, g_str_equal);
  for (guint i = 0; i < staff->len; i++)
    {
      const CairnStaffMember *one = g_ptr_array_index (staff, i);

      member = g_hash_table_lookup (self->members, one->id);
      if (member == NULL)
        {
          member = member_new (self, one);
          g_hash_table_insert (self->members, member->id, member);
        }
      member_update (member, one);
      g_hash_table_add (listed, one->id);
    }
  g_hash_table_iter_init (&iter, self->members);
  while (g_hash_table_iter_next (&iter, NULL, (gpointer *) &member))
    if (!g_hash_table_contains (listed, member->id))
      {
        adw_preferences_page_remove (ADW_PREFERENCES_PAGE (self), member->group);
        g_hash_table_iter_remove (&iter);
      }
}

static void
cairn_staff_page_load (CairnStaffPage *self)
{
  CairnVault *vault = page_vault (self);

  if (vault == NULL)
    return;
  self->pending++;
  cairn_vault_run_async (vault, load_job, NULL, NULL, (GDestroyNotify) g_ptr_array_unref,
                         self->cancellable, load_done_cb, g_object_ref (self));
}

/* ------------------------------------------------------------------------ */

static void
on_mapped_cb (CairnStaffPage *self)
{
  cairn_staff_page_load (self);
}

/* Locked: nothing the vault held stays on the page. */
static void
on_vault_changed_cb (CairnStaffPage *self)
{
  if (page_vault (self) != NULL)
    return;
  g_cancellable_cancel (self->cancellable);
  remove_all (self);
}

static void
cairn_staff_page_constructed (GObject *object)
{
  CairnStaffPage *self = CAIRN_STAFF_PAGE (object);

  G_OBJECT_CLASS (cairn_staff_page_parent_class)->constructed (object);

  g_signal_connect_object (self->context, "notify::vault", G_CALLBACK (on_vault_changed_cb),
                           self, G_CONNECT_SWAPPED);
  /* Read when shown, and each time: nothing is read for a page never
   * opened, and a user added meanwhile appears. */
  g_signal_connect (self, "map", G_CALLBACK (on_mapped_cb), NULL);
}

static void
cairn_staff_page_dispose (GObject *object)
{
  CairnStaffPage *self = CAIRN_STAFF_PAGE (object);

  g_cancellable_cancel (self->cancellable);
  /* libadwaita 1.2 lets a toast's timeout fire after its window was
   * destroyed (when Cairn locks, say). */
  if (self->toaster != NULL)
    cairn_toaster_dismiss (self->toaster);
  g_clear_object (&self->toaster);
  g_clear_pointer (&self->members, g_hash_table_unref);

  gtk_widget_dispose_template (GTK_WIDGET (self), CAIRN_TYPE_STAFF_PAGE);

  G_OBJECT_CLASS (cairn_staff_page_parent_class)->dispose (object);
}

static void
cairn_staff_page_finalize (GObject *object)
{
  CairnStaffPage *self = CAIRN_STAFF_PAGE (object);

  g_clear_object (&self->cancellable);
  g_clear_object (&self->context);

  G_OBJECT_CLASS (cairn_staff_page_parent_class)->finalize (object);
}

static void
cairn_staff_page_set_property (GObject      *object,
                               guint         prop_id,
                               const GValue *value,
                               GParamSpec   *pspec)
{
  CairnStaffPage *self = CAIRN_STAFF_PAGE (object);

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
cairn_staff_page_class_init (CairnStaffPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->constructed = cairn_staff_page_constructed;
  object_class->dispose = cairn_staff_page_dispose;
  object_class->finalize = cairn_staff_page_finalize;
  object_class->set_property = cairn_staff_page_set_property;

  properties[PROP_CONTEXT] =
    g_param_spec_object ("context", NULL, NULL, CAIRN_TYPE_CONTEXT,
                         G_PARAM_WRITABLE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_template_from_resource (widget_class, RESOURCE_BASE_PATH
                                               "/preferences/cairn-staff-page.ui");
  gtk_widget_class_bind_template_child (widget_class, CairnStaffPage, intro_group);
}

static void
cairn_staff_page_init (CairnStaffPage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  self->toaster = cairn_toaster_new (GTK_WIDGET (self));

  self->cancellable = g_cancellable_new ();
  self->members = g_hash_table_new_full (g_str_hash, g_str_equal, NULL,
                                         (GDestroyNotify) member_free);
}

/**
 * cairn_staff_page_new:
 * @context: the context, holding the unlocked vault
 *
 * Returns: (transfer floating): the page
 */
CairnStaffPage *
cairn_staff_page_new (CairnContext     *context)
{
  g_return_val_if_fail (CAIRN_IS_CONTEXT (context), NULL);

  return g_object_new (CAIRN_TYPE_STAFF_PAGE, "context", context, NULL);
}

/**
 * cairn_staff_page_get_busy:
 * @self: the page
 *
 * Returns: whether the page is reading from or writing to the vault
 */
gboolean
cairn_staff_page_get_busy (CairnStaffPage *self)
{
  g_return_val_if_fail (CAIRN_IS_STAFF_PAGE (self), FALSE);

  return self->pending > 0;
}
