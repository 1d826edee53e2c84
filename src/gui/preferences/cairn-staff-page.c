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
 * Security page appears here; it is a GListStore of CairnStaffItem, which
 * the page's groups follow. Every read and write is an _async pair of
 * cairn-settings-screen.c, started with the page's CairnRunner; each
 * change is one transaction with its audit entry.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "cairn-preferences"

#include "config.h"

#include <glib/gi18n.h>

#include "cairn-runner.h"
#include "cairn-schedule.h"
#include "cairn-settings-screen.h"
#include "cairn-staff-page.h"
#include "cairn-toaster.h"

/* One staff member as the list holds them: what the page shows of them
 * follows its properties. */
#define CAIRN_TYPE_STAFF_ITEM (cairn_staff_item_get_type ())
G_DECLARE_FINAL_TYPE (CairnStaffItem, cairn_staff_item, CAIRN, STAFF_ITEM, GObject)

struct _CairnStaffItem
{
  GObject   parent_instance;

  char     *id;
  char     *name;
  gboolean  clinician;
  char     *hours;      /* nullable: whenever the practice is open */
};

G_DEFINE_FINAL_TYPE (CairnStaffItem, cairn_staff_item, G_TYPE_OBJECT)

static void
cairn_staff_item_finalize (GObject *object)
{
  CairnStaffItem *self = CAIRN_STAFF_ITEM (object);

  g_free (self->id);
  g_free (self->name);
  g_free (self->hours);

  G_OBJECT_CLASS (cairn_staff_item_parent_class)->finalize (object);
}

static void
cairn_staff_item_class_init (CairnStaffItemClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = cairn_staff_item_finalize;
  g_signal_new ("changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                G_TYPE_NONE, 0);
}

static void
cairn_staff_item_init (CairnStaffItem *self)
{
}

static CairnStaffItem *
cairn_staff_item_new (const CairnStaffMember *staff)
{
  CairnStaffItem *item = g_object_new (CAIRN_TYPE_STAFF_ITEM, NULL);

  item->id = g_strdup (staff->id);
  item->name = g_strdup (staff->name);
  item->clinician = staff->clinician;
  item->hours = g_strdup (staff->hours);
  return item;
}

/* Takes what was read again; "changed" says so. */
static void
cairn_staff_item_update (CairnStaffItem         *item,
                         const CairnStaffMember *staff)
{
  item->clinician = staff->clinician;
  g_free (item->hours);
  item->hours = g_strdup (staff->hours);
  g_signal_emit_by_name (item, "changed");
}

/* The widgets of one staff member: a group of their own on the page. */
typedef struct
{
  CairnStaffItem      *item;
  AdwPreferencesGroup *group;
  AdwEntryRow         *row;
  GtkWidget           *clear;
  GtkLabel            *problem;
} Member;

struct _CairnStaffPage
{
  AdwPreferencesPage   parent_instance;

  CairnContext        *context;
  CairnRunner         *runner;
  CairnToaster        *toaster;
  GListStore          *staff;       /* CairnStaffItem, as read */
  GPtrArray           *members;     /* Member, one per item of staff, in its order */

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

/* The staff member with @id, if still listed. */
static Member *
find_member (CairnStaffPage *self,
             const char     *id)
{
  for (guint i = 0; id != NULL && i < self->members->len; i++)
    {
      Member *member = g_ptr_array_index (self->members, i);

      if (g_strcmp0 (member->item->id, id) == 0)
        return member;
    }
  return NULL;
}

/* ------------------------------------------------------------------------ */
/* Changing                                                                  */

/* What an answer needs: whose hours, and what they were set to. */
typedef struct
{
  CairnStaffPage *self;
  char           *id;
  char           *hours;     /* NULL: cleared */
} Change;

static void
change_free (Change *change)
{
  g_object_unref (change->self);
  g_free (change->id);
  g_free (change->hours);
  g_free (change);
}

static void
change_done_cb (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  Change *change = user_data;
  CairnStaffPage *self = change->self;
  g_autoptr(GError) error = NULL;
  gboolean ok = cairn_staff_set_hours_finish (CAIRN_VAULT (source), result, &error);
  g_autofree char *message = NULL;
  Member *member = find_member (self, change->id);

  if (member == NULL)
    return;
  if (!ok)
    {
      show_problem (member, error->message);
      return;
    }

  show_problem (member, NULL);
  if (change->hours != NULL)
    {
      /* TRANSLATORS: %s is a staff member's name */
      message = g_strdup_printf (_("Working hours of %s saved"), member->item->name);
      gtk_editable_set_text (GTK_EDITABLE (member->row), change->hours);
    }
  else
    {
      /* TRANSLATORS: %s is a staff member's name */
      message = g_strdup_printf (_("%s works whenever the practice is open again"),
                                 member->item->name);
      gtk_editable_set_text (GTK_EDITABLE (member->row), "");
    }
  page_toast (self, message);
  cairn_staff_page_load (self);
}

static void
change_run (CairnStaffPage *self,
            const char     *id,
            const char     *hours)
{
  CairnVault *vault = page_vault (self);
  Change *change;

  if (vault == NULL)
    return;
  change = g_new0 (Change, 1);
  change->self = g_object_ref (self);
  change->id = g_strdup (id);
  change->hours = g_strdup (hours);
  cairn_staff_set_hours_async (vault, id, hours, cairn_runner_get_cancellable (self->runner),
                               cairn_runner_answered,
                               cairn_runner_track_data (self->runner, change_done_cb, change,
                                                        (GDestroyNotify) change_free));
}

/* The staff member a row or button of theirs belongs to. */
static Member *
member_of (CairnStaffPage *self,
           gpointer        widget)
{
  return find_member (self, g_object_get_data (G_OBJECT (widget), "cairn-staff-id"));
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
      if (member->item->hours != NULL)
        change_run (self, member->item->id, NULL);
      return;
    }
  /* Read here first: a mistake is shown at once, and nothing is written. */
  if (!cairn_week_hours_parse (text, &hours, &error))
    {
      show_problem (member, error->message);
      return;
    }
  change_run (self, member->item->id, text);
}

static void
on_clear_clicked_cb (GtkButton      *button,
                     CairnStaffPage *self)
{
  Member *member = member_of (self, button);

  if (member != NULL)
    change_run (self, member->item->id, NULL);
}

/* ------------------------------------------------------------------------ */
/* The list                                                                  */

/* The role and whether they have hours of their own, as the item says. */
static void
member_update (Member *member)
{
  const char *role = member->item->clinician ? _("Clinician") : _("Front desk");
  gboolean own_hours = member->item->hours != NULL;
  g_autofree char *description = NULL;

  description = own_hours
                /* TRANSLATORS: %s is a role, "Clinician" or "Front desk" */
                ? g_strdup_printf (_("%s · own working hours"), role)
                /* TRANSLATORS: %s is a role, "Clinician" or "Front desk" */
                : g_strdup_printf (_("%s · works whenever the practice is open"), role);
  adw_preferences_group_set_description (member->group, description);
  gtk_widget_set_visible (member->clear, own_hours);
}

static void
member_free (Member *member)
{
  g_signal_handlers_disconnect_by_data (member->item, member);
  g_object_unref (member->item);
  g_free (member);
}

static Member *
member_new (CairnStaffPage *self,
            CairnStaffItem *item)
{
  Member *member = g_new0 (Member, 1);
  g_autofree char *title = g_markup_escape_text (item->name, -1);
  g_autofree char *clear_label = g_strdup_printf (_("Clear the working hours of %s"), item->name);
  GtkWidget *clear = gtk_button_new_from_icon_name ("edit-clear-symbolic");

  member->item = g_object_ref (item);
  member->group = ADW_PREFERENCES_GROUP (adw_preferences_group_new ());
  adw_preferences_group_set_title (member->group, title);

  member->row = ADW_ENTRY_ROW (adw_entry_row_new ());
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (member->row), _("Working hours"));
  adw_entry_row_set_show_apply_button (member->row, TRUE);
  g_object_set_data_full (G_OBJECT (member->row), "cairn-staff-id", g_strdup (item->id), g_free);
  gtk_editable_set_text (GTK_EDITABLE (member->row), item->hours != NULL ? item->hours : "");
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
  g_object_set_data_full (G_OBJECT (clear), "cairn-staff-id", g_strdup (item->id), g_free);
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

  member_update (member);
  g_signal_connect_swapped (item, "changed", G_CALLBACK (member_update), member);
  return member;
}

/* The page follows the list: a group of its own for each staff member,
 * as AdwPreferencesPage sets groups apart (a GtkListBox would draw them
 * as rows of one list). New staff only ever come at the end. */
static void
on_staff_changed_cb (GListModel     *model,
                     guint           position,
                     guint           removed,
                     guint           added,
                     CairnStaffPage *self)
{
  for (guint i = 0; i < removed; i++)
    {
      Member *member = g_ptr_array_index (self->members, position);

      adw_preferences_page_remove (ADW_PREFERENCES_PAGE (self), member->group);
      g_ptr_array_remove_index (self->members, position);
    }
  for (guint i = 0; i < added; i++)
    {
      g_autoptr(CairnStaffItem) item = g_list_model_get_item (model, position + i);
      Member *member = member_new (self, item);

      adw_preferences_page_add (ADW_PREFERENCES_PAGE (self), member->group);
      g_ptr_array_insert (self->members, (int) (position + i), member);
    }
}

static gboolean
staff_listed (GPtrArray  *staff,
              const char *id)
{
  for (guint i = 0; i < staff->len; i++)
    if (g_strcmp0 (((CairnStaffMember *) g_ptr_array_index (staff, i))->id, id) == 0)
      return TRUE;
  return FALSE;
}

static void
load_done_cb (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  CairnStaffPage *self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(CairnStaffScreen) screen = cairn_staff_screen_load_finish (CAIRN_VAULT (source), result,
                                                                        &error);

  if (screen == NULL)
    {
      g_autofree char *text = g_strdup_printf (_("The staff could not be read: %s"),
                                               error->message);

      page_toast (self, text);
      return;
    }

  /* Rows stay as they are, with what is being typed in them; only who
   * is new is added, and who is gone removed. */
  for (guint i = g_list_model_get_n_items (G_LIST_MODEL (self->staff)); i > 0; i--)
    {
      g_autoptr(CairnStaffItem) item = g_list_model_get_item (G_LIST_MODEL (self->staff), i - 1);

      if (!staff_listed (screen->staff, item->id))
        g_list_store_remove (self->staff, i - 1);
    }
  for (guint i = 0; i < screen->staff->len; i++)
    {
      const CairnStaffMember *one = g_ptr_array_index (screen->staff, i);
      Member *member = find_member (self, one->id);

      if (member != NULL)
        cairn_staff_item_update (member->item, one);
      else
        {
          g_autoptr(CairnStaffItem) item = cairn_staff_item_new (one);

          g_list_store_append (self->staff, item);
        }
    }
}

static void
cairn_staff_page_load (CairnStaffPage *self)
{
  CairnVault *vault = page_vault (self);

  if (vault == NULL)
    return;
  cairn_staff_screen_load_async (vault, cairn_runner_get_cancellable (self->runner),
                                 cairn_runner_answered,
                                 cairn_runner_track (self->runner, load_done_cb, self));
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
  cairn_runner_cancel (self->runner);
  g_list_store_remove_all (self->staff);
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

  g_clear_object (&self->runner);
  /* libadwaita 1.2 lets a toast's timeout fire after its window was
   * destroyed (when Cairn locks, say). */
  if (self->toaster != NULL)
    cairn_toaster_dismiss (self->toaster);
  g_clear_object (&self->toaster);
  if (self->staff != NULL)
    g_signal_handlers_disconnect_by_data (self->staff, self);
  g_clear_object (&self->staff);
  g_clear_pointer (&self->members, g_ptr_array_unref);

  gtk_widget_dispose_template (GTK_WIDGET (self), CAIRN_TYPE_STAFF_PAGE);

  G_OBJECT_CLASS (cairn_staff_page_parent_class)->dispose (object);
}

static void
cairn_staff_page_finalize (GObject *object)
{
  CairnStaffPage *self = CAIRN_STAFF_PAGE (object);

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

  self->runner = cairn_runner_new ();
  self->members = g_ptr_array_new_with_free_func ((GDestroyNotify) member_free);
  self->staff = g_list_store_new (CAIRN_TYPE_STAFF_ITEM);
  g_signal_connect (self->staff, "items-changed", G_CALLBACK (on_staff_changed_cb), self);
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

  return cairn_runner_get_n_running (self->runner) > 0;
}
