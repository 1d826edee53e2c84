/* cairn-practice-page.c
 *
 * Preferences → Practice: what scheduling needs to know about the practice.
 * Its name and time zone (shown, not changed: they were given when the
 * vault was made), its opening hours, its rooms and the days it is closed.
 * The front desk runs the schedule, so the page is everyone's.
 *
 * Every read and write is an _async pair of cairn-settings-screen.c,
 * started with the page's CairnRunner; each change is one transaction
 * with its audit entry. The rooms are a GListStore of CairnRoomItem that
 * the rooms' boxed list is bound to. What the person typed wrong is said
 * under the row they typed it in, in the words of the code that read it;
 * what went through is said in a toast. When Cairn locks, the window
 * closes; until it does, the page shows nothing from the vault.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "cairn-preferences"

#include "config.h"

#include <glib/gi18n.h>

#include "cairn-agenda.h"
#include "cairn-practice-page.h"
#include "cairn-runner.h"
#include "cairn-schedule.h"
#include "cairn-settings-screen.h"
#include "cairn-toaster.h"

/* One room as the list holds it. */
#define CAIRN_TYPE_ROOM_ITEM (cairn_room_item_get_type ())
G_DECLARE_FINAL_TYPE (CairnRoomItem, cairn_room_item, CAIRN, ROOM_ITEM, GObject)

struct _CairnRoomItem
{
  GObject  parent_instance;

  char    *id;
  char    *name;
};

G_DEFINE_FINAL_TYPE (CairnRoomItem, cairn_room_item, G_TYPE_OBJECT)

static void
cairn_room_item_finalize (GObject *object)
{
  CairnRoomItem *self = CAIRN_ROOM_ITEM (object);

  g_free (self->id);
  g_free (self->name);

  G_OBJECT_CLASS (cairn_room_item_parent_class)->finalize (object);
}

static void
cairn_room_item_class_init (CairnRoomItemClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = cairn_room_item_finalize;
}

static void
cairn_room_item_init (CairnRoomItem *self)
{
}

static CairnRoomItem *
cairn_room_item_new (const CairnNamed *room)
{
  CairnRoomItem *item = g_object_new (CAIRN_TYPE_ROOM_ITEM, NULL);

  item->id = g_strdup (room->id);
  item->name = g_strdup (room->name);
  return item;
}

struct _CairnPracticePage
{
  AdwPreferencesPage   parent_instance;

  CairnContext        *context;
  CairnRunner         *runner;
  CairnToaster        *toaster;
  GListStore          *rooms;          /* CairnRoomItem, shown in rooms_list */
  GtkWidget           *add_row;        /* add_room_row, held: rooms_list's last row */
  GPtrArray           *closed_rows;    /* before closed_date_row in closed_list */
  GDate                today;          /* in the practice's zone */
  gboolean             loaded;

  /* Template widgets */
  AdwEntryRow         *add_room_row;
  AdwEntryRow         *closed_date_row;
  AdwPreferencesGroup *closed_group;
  GtkListBox          *closed_list;
  GtkLabel            *closed_problem;
  AdwEntryRow         *closed_reason_row;
  GtkLabel            *hours_problem;
  AdwEntryRow         *hours_row;
  GtkLabel            *name_label;
  AdwPreferencesGroup *rooms_group;
  GtkListBox          *rooms_list;
  GtkLabel            *rooms_problem;
  GtkLabel            *zone_label;
};

G_DEFINE_FINAL_TYPE (CairnPracticePage, cairn_practice_page, ADW_TYPE_PREFERENCES_PAGE)

enum {
  PROP_0,
  PROP_CONTEXT,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void cairn_practice_page_load (CairnPracticePage *self);

static CairnVault *
page_vault (CairnPracticePage *self)
{
  return cairn_context_get_vault (self->context);
}

/* Toasts go to the preferences window; see cairn-toaster.c. */
static void
page_toast (CairnPracticePage *self,
            const char        *text)
{
  cairn_toaster_say (self->toaster, text);
}

/* A problem under the row it is about; %NULL hides it. */
static void
show_problem (GtkLabel   *label,
              GtkWidget  *row,
              const char *message)
{
  gtk_label_set_text (label, message != NULL ? message : "");
  gtk_widget_set_visible (GTK_WIDGET (label), message != NULL);
  if (row == NULL)
    return;
  if (message != NULL)
    gtk_widget_add_css_class (row, "error");
  else
    gtk_widget_remove_css_class (row, "error");
}

static char *
closed_day_title (const CairnClosedDay *closed)
{
  g_autofree char *day = cairn_practice_format_day (&closed->day);

  if (closed->reason == NULL)
    return g_steal_pointer (&day);
  /* TRANSLATORS: a closed day and why, as in "Thu 24 Dec 2026 — Christmas Eve" */
  return g_strdup_printf (_("%s — %s"), day, closed->reason);
}

/* ------------------------------------------------------------------------ */
/* Reading                                                                   */

static void on_archive_clicked_cb   (GtkButton         *button,
                                     CairnPracticePage *self);
static void on_rename_applied_cb    (AdwEntryRow       *entry,
                                     CairnPracticePage *self);
static void on_rename_shown_cb      (GtkPopover        *popover,
                                     AdwEntryRow       *entry);
static void on_remove_day_clicked_cb (GtkButton        *button,
                                      CairnPracticePage *self);

static GtkWidget *
room_row_new (CairnPracticePage *self,
              CairnRoomItem     *room)
{
  GtkWidget *row = adw_action_row_new ();
  GtkWidget *popover = gtk_popover_new ();
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 6);
  GtkWidget *list = gtk_list_box_new ();
  GtkWidget *entry = adw_entry_row_new ();
  GtkWidget *problem = gtk_label_new (NULL);
  GtkWidget *rename = gtk_menu_button_new ();
  GtkWidget *archive = gtk_button_new_from_icon_name ("user-trash-symbolic");
  g_autofree char *rename_label = g_strdup_printf (_("Rename %s"), room->name);
  g_autofree char *archive_label = g_strdup_printf (_("Archive %s"), room->name);

  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), room->name);
  g_object_set_data_full (G_OBJECT (row), "cairn-room-id", g_strdup (room->id), g_free);
  g_object_set_data_full (G_OBJECT (row), "cairn-room-name", g_strdup (room->name), g_free);

  /* Renaming: the name to edit, in a popover by the row. */
  adw_entry_row_set_show_apply_button (ADW_ENTRY_ROW (entry), TRUE);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (entry), _("New name"));
  g_object_set_data (G_OBJECT (entry), "cairn-room-row", row);
  g_signal_connect_object (entry, "apply", G_CALLBACK (on_rename_applied_cb), self, 0);
  g_signal_connect_object (entry, "entry-activated", G_CALLBACK (on_rename_applied_cb), self, 0);
  gtk_list_box_set_selection_mode (GTK_LIST_BOX (list), GTK_SELECTION_NONE);
  gtk_widget_add_css_class (list, "boxed-list");
  gtk_list_box_append (GTK_LIST_BOX (list), entry);
  gtk_box_append (GTK_BOX (box), list);
  gtk_label_set_wrap (GTK_LABEL (problem), TRUE);
  gtk_label_set_xalign (GTK_LABEL (problem), 0.0);
  gtk_label_set_max_width_chars (GTK_LABEL (problem), 30);
  gtk_widget_add_css_class (problem, "error");
  gtk_widget_add_css_class (problem, "caption");
  gtk_widget_set_visible (problem, FALSE);
  gtk_box_append (GTK_BOX (box), problem);
  gtk_widget_set_size_request (box, 260, -1);
  gtk_popover_set_child (GTK_POPOVER (popover), box);
  g_signal_connect (popover, "show", G_CALLBACK (on_rename_shown_cb), entry);
  g_object_set_data (G_OBJECT (row), "cairn-rename-entry", entry);
  g_object_set_data (G_OBJECT (row), "cairn-rename-problem", problem);
  g_object_set_data (G_OBJECT (row), "cairn-rename-popover", popover);

  gtk_menu_button_set_icon_name (GTK_MENU_BUTTON (rename), "document-edit-symbolic");
  gtk_menu_button_set_popover (GTK_MENU_BUTTON (rename), popover);
  gtk_widget_set_valign (rename, GTK_ALIGN_CENTER);
  gtk_widget_set_tooltip_text (rename, _("Rename"));
  gtk_accessible_update_property (GTK_ACCESSIBLE (rename),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, rename_label, -1);
  gtk_widget_add_css_class (rename, "flat");
  adw_action_row_add_suffix (ADW_ACTION_ROW (row), rename);

  gtk_widget_set_valign (archive, GTK_ALIGN_CENTER);
  gtk_widget_set_tooltip_text (archive, _("Archive"));
  gtk_accessible_update_property (GTK_ACCESSIBLE (archive),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, archive_label, -1);
  gtk_widget_add_css_class (archive, "flat");
  g_object_set_data (G_OBJECT (archive), "cairn-room-row", row);
  g_signal_connect_object (archive, "clicked", G_CALLBACK (on_archive_clicked_cb), self, 0);
  adw_action_row_add_suffix (ADW_ACTION_ROW (row), archive);

  return row;
}

static GtkWidget *
closed_row_new (CairnPracticePage    *self,
                const CairnClosedDay *closed)
{
  GtkWidget *row = adw_action_row_new ();
  GtkWidget *remove = gtk_button_new_from_icon_name ("user-trash-symbolic");
  g_autofree char *title = closed_day_title (closed);
  g_autofree char *label = g_strdup_printf (_("Remove %s"), title);

  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
  g_object_set_data_full (G_OBJECT (row), "cairn-day", g_memdup2 (&closed->day, sizeof closed->day),
                          g_free);
  g_object_set_data_full (G_OBJECT (row), "cairn-reason", g_strdup (closed->reason), g_free);

  gtk_widget_set_valign (remove, GTK_ALIGN_CENTER);
  gtk_widget_set_tooltip_text (remove, _("Remove"));
  gtk_accessible_update_property (GTK_ACCESSIBLE (remove), GTK_ACCESSIBLE_PROPERTY_LABEL, label,
                                  -1);
  gtk_widget_add_css_class (remove, "flat");
  g_object_set_data (G_OBJECT (remove), "cairn-closed-row", row);
  g_signal_connect_object (remove, "clicked", G_CALLBACK (on_remove_day_clicked_cb), self, 0);
  adw_action_row_add_suffix (ADW_ACTION_ROW (row), remove);
  return row;
}

static void
clear_rows (GtkListBox *list,
            GPtrArray  *rows)
{
  for (guint i = 0; i < rows->len; i++)
    gtk_list_box_remove (list, g_ptr_array_index (rows, i));
  g_ptr_array_set_size (rows, 0);
}

/* The rooms' rows, then the row to add one: GtkListBox makes a row for
 * each item, in the boxed list a preferences group shows. */
static GtkWidget *
create_room_row (gpointer item,
                 gpointer user_data)
{
  CairnPracticePage *self = user_data;

  if (CAIRN_IS_ROOM_ITEM (item))
    return room_row_new (self, item);
  return g_object_ref (self->add_row);
}

static void
show_rooms (CairnPracticePage *self,
            GPtrArray         *rooms)
{
  g_autoptr(GPtrArray) items = g_ptr_array_new_with_free_func (g_object_unref);

  for (guint i = 0; rooms != NULL && i < rooms->len; i++)
    g_ptr_array_add (items, cairn_room_item_new (g_ptr_array_index (rooms, i)));
  g_list_store_splice (self->rooms, 0, g_list_model_get_n_items (G_LIST_MODEL (self->rooms)),
                       items->pdata, items->len);
  adw_preferences_group_set_description (self->rooms_group,
                                         items->len == 0
                                         ? _("No rooms yet. Type a room’s name in “Add room” "
                                             "and press Enter.")
                                         : _("Where appointments take place. An archived room "
                                             "stays on the appointments it had."));
}

static void
show_closed_days (CairnPracticePage *self,
                  GPtrArray         *closed)
{
  clear_rows (self->closed_list, self->closed_rows);
  for (guint i = 0; closed != NULL && i < closed->len; i++)
    {
      GtkWidget *row = closed_row_new (self, g_ptr_array_index (closed, i));

      gtk_list_box_insert (self->closed_list, row, (int) i);
      g_ptr_array_add (self->closed_rows, row);
    }
  adw_preferences_group_set_description (self->closed_group,
                                         self->closed_rows->len == 0
                                         ? _("No closed days ahead. Add public holidays and other "
                                             "days the practice is closed: nothing is booked on "
                                             "them without a reason.")
                                         : _("Nothing is booked on these days without a reason."));
}

static void
load_done_cb (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  CairnPracticePage *self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(CairnPracticeScreen) snapshot = cairn_practice_screen_load_finish (CAIRN_VAULT (source),
                                                                               result, &error);

  if (snapshot == NULL)
    {
      g_autofree char *text = g_strdup_printf (_("The practice’s settings could not be read: %s"),
                                               error->message);

      page_toast (self, text);
      return;
    }

  self->today = snapshot->today;
  gtk_label_set_text (self->name_label, snapshot->name != NULL ? snapshot->name : "");
  gtk_label_set_text (self->zone_label, snapshot->zone != NULL ? snapshot->zone : "");
  /* Only once: later loads follow changes to rooms and days, and must not
   * undo hours being typed. */
  if (!self->loaded)
    gtk_editable_set_text (GTK_EDITABLE (self->hours_row),
                           snapshot->hours != NULL ? snapshot->hours : "");
  self->loaded = TRUE;
  show_rooms (self, snapshot->rooms);
  show_closed_days (self, snapshot->closed);
}

static void
cairn_practice_page_load (CairnPracticePage *self)
{
  CairnVault *vault = page_vault (self);

  if (vault == NULL)
    return;
  cairn_practice_screen_load_async (vault, cairn_context_get_now (self->context),
                                    cairn_runner_get_cancellable (self->runner),
                                    cairn_runner_answered,
                                    cairn_runner_track (self->runner, load_done_cb, self));
}

/* ------------------------------------------------------------------------ */
/* Changing                                                                  */

typedef enum
{
  CHANGE_HOURS,
  CHANGE_ADD_ROOM,
  CHANGE_RENAME_ROOM,
  CHANGE_ARCHIVE_ROOM,
  CHANGE_CLOSE_DAY,
  CHANGE_OPEN_DAY,
} ChangeKind;

/* One change, and what its answer needs to say what became of it. */
typedef struct
{
  CairnPracticePage *self;
  ChangeKind         kind;
  char              *id;       /* the room */
  char              *name;     /* the room's name, as shown */
  char              *text;     /* hours, a room's new name, a closed day's reason */
  GDate              day;
  gint64             now;
} Change;

static void
change_free (Change *change)
{
  g_clear_object (&change->self);
  g_free (change->id);
  g_free (change->name);
  g_free (change->text);
  g_free (change);
}

static Change *
change_new (CairnPracticePage *self,
            ChangeKind         kind)
{
  Change *change = g_new0 (Change, 1);

  change->self = g_object_ref (self);
  change->kind = kind;
  g_date_clear (&change->day, 1);
  return change;
}

static GtkWidget *
find_room_row (CairnPracticePage *self,
               const char        *id)
{
  for (GtkWidget *row = gtk_widget_get_first_child (GTK_WIDGET (self->rooms_list)); row != NULL;
       row = gtk_widget_get_next_sibling (row))
    {
      if (g_strcmp0 (g_object_get_data (G_OBJECT (row), "cairn-room-id"), id) == 0)
        return row;
    }
  return NULL;
}

typedef struct
{
  CairnPracticePage *page;     /* not held: the Undo goes with the page's toaster */
  GDate              day;
  char              *reason;
} Reclose;

static void undo_open_day (gpointer user_data);

static void
reclose_free (Reclose *undo)
{
  g_free (undo->reason);
  g_free (undo);
}

static void
change_failed (CairnPracticePage *self,
               Change            *change,
               const char        *message)
{
  GtkWidget *row;

  switch (change->kind)
    {
    case CHANGE_HOURS:
      show_problem (self->hours_problem, GTK_WIDGET (self->hours_row), message);
      break;
    case CHANGE_ADD_ROOM:
      show_problem (self->rooms_problem, GTK_WIDGET (self->add_room_row), message);
      break;
    case CHANGE_RENAME_ROOM:
      row = find_room_row (self, change->id);
      if (row != NULL)
        show_problem (g_object_get_data (G_OBJECT (row), "cairn-rename-problem"),
                      g_object_get_data (G_OBJECT (row), "cairn-rename-entry"), message);
      else
        show_problem (self->rooms_problem, NULL, message);
      break;
    case CHANGE_ARCHIVE_ROOM:
      show_problem (self->rooms_problem, NULL, message);
      break;
    case CHANGE_CLOSE_DAY:
      show_problem (self->closed_problem, GTK_WIDGET (self->closed_date_row), message);
      break;
    case CHANGE_OPEN_DAY:
    default:
      show_problem (self->closed_problem, NULL, message);
      break;
    }
}

static void
change_done (CairnPracticePage *self,
             Change            *change)
{
  g_autofree char *message = NULL;
  g_autofree char *day = NULL;
  GtkWidget *row;
  Reclose *undo;

  if (g_date_valid (&change->day))
    day = cairn_practice_format_day (&change->day);

  switch (change->kind)
    {
    case CHANGE_HOURS:
      page_toast (self, _("Opening hours saved"));
      return;

    case CHANGE_ADD_ROOM:
      /* Ready for the next room. */
      gtk_editable_set_text (GTK_EDITABLE (self->add_room_row), "");
      message = g_strdup_printf (_("“%s” added"), change->text);
      break;

    case CHANGE_RENAME_ROOM:
      row = find_room_row (self, change->id);
      if (row != NULL)
        gtk_popover_popdown (g_object_get_data (G_OBJECT (row), "cairn-rename-popover"));
      message = g_strdup_printf (_("Renamed to “%s”"), change->text);
      break;

    case CHANGE_ARCHIVE_ROOM:
      message = g_strdup_printf (_("“%s” archived"), change->name);
      break;

    case CHANGE_CLOSE_DAY:
      gtk_editable_set_text (GTK_EDITABLE (self->closed_date_row), "");
      gtk_editable_set_text (GTK_EDITABLE (self->closed_reason_row), "");
      show_problem (self->closed_problem, GTK_WIDGET (self->closed_date_row), NULL);
      message = g_strdup_printf (_("The practice is closed on %s"), day);
      break;

    case CHANGE_OPEN_DAY:
      message = g_strdup_printf (_("The practice is open again on %s"), day);
      /* Removed by a slip of the mouse: offer it back. */
      undo = g_new0 (Reclose, 1);
      undo->page = self;
      undo->day = change->day;
      undo->reason = g_strdup (change->text);
      cairn_toaster_say_with_action (self->toaster, message, _("_Undo"), 0, undo_open_day, undo,
                                     (GDestroyNotify) reclose_free);
      cairn_practice_page_load (self);
      return;

    default:
      g_assert_not_reached ();
    }

  page_toast (self, message);
  cairn_practice_page_load (self);
}

static void
change_done_cb (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  Change *change = user_data;
  g_autoptr(GError) error = NULL;

  if (cairn_practice_change_finish (CAIRN_VAULT (source), result, &error))
    change_done (change->self, change);
  else
    change_failed (change->self, change, error->message);
}

/* Takes @change. */
static void
change_run (Change *change)
{
  CairnPracticePage *self = change->self;
  CairnVault *vault = page_vault (self);
  GCancellable *cancellable = cairn_runner_get_cancellable (self->runner);
  gpointer pending;

  if (vault == NULL)
    {
      change_free (change);
      return;
    }
  pending = cairn_runner_track_data (self->runner, change_done_cb, change, (GDestroyNotify) change_free);
  switch (change->kind)
    {
    case CHANGE_HOURS:
      cairn_practice_set_hours_async (vault, change->text, cancellable, cairn_runner_answered, pending);
      break;
    case CHANGE_ADD_ROOM:
      cairn_practice_add_room_async (vault, change->text, cancellable, cairn_runner_answered, pending);
      break;
    case CHANGE_RENAME_ROOM:
      cairn_practice_rename_room_async (vault, change->id, change->text, cancellable, cairn_runner_answered,
                                        pending);
      break;
    case CHANGE_ARCHIVE_ROOM:
      cairn_practice_archive_room_async (vault, change->id, change->now, cancellable, cairn_runner_answered,
                                         pending);
      break;
    case CHANGE_CLOSE_DAY:
      cairn_practice_close_day_async (vault, &change->day, change->text, cancellable, cairn_runner_answered,
                                      pending);
      break;
    case CHANGE_OPEN_DAY:
      cairn_practice_open_day_async (vault, &change->day, cancellable, cairn_runner_answered, pending);
      break;
    default:
      g_assert_not_reached ();
    }
}

/* ------------------------------------------------------------------------ */
/* Opening hours                                                             */

static void
on_hours_changed_cb (CairnPracticePage *self)
{
  show_problem (self->hours_problem, GTK_WIDGET (self->hours_row), NULL);
}

static void
on_hours_applied_cb (CairnPracticePage *self)
{
  const char *typed = gtk_editable_get_text (GTK_EDITABLE (self->hours_row));
  g_autofree char *text = g_strstrip (g_strdup (typed));
  g_autoptr(GError) error = NULL;
  CairnWeekHours hours;
  Change *change;

  /* Read here first: a mistake is shown at once, and nothing is written. An
   * empty text would close the practice all week, which nobody means. */
  if (*text == '\0')
    {
      show_problem (self->hours_problem, GTK_WIDGET (self->hours_row),
                    _("Enter the opening hours, such as “mon-fri 08:00-18:00”."));
      return;
    }
  if (!cairn_week_hours_parse (text, &hours, &error))
    {
      show_problem (self->hours_problem, GTK_WIDGET (self->hours_row), error->message);
      return;
    }

  change = change_new (self, CHANGE_HOURS);
  change->text = g_steal_pointer (&text);
  change_run (change);
}

/* ------------------------------------------------------------------------ */
/* Rooms                                                                     */

static void
on_add_room_changed_cb (CairnPracticePage *self)
{
  show_problem (self->rooms_problem, GTK_WIDGET (self->add_room_row), NULL);
}

static void
on_add_room_applied_cb (CairnPracticePage *self)
{
  const char *typed = gtk_editable_get_text (GTK_EDITABLE (self->add_room_row));
  g_autofree char *name = g_strstrip (g_strdup (typed));
  Change *change;

  if (*name == '\0')
    return;
  change = change_new (self, CHANGE_ADD_ROOM);
  change->text = g_steal_pointer (&name);
  change_run (change);
}

static void
on_rename_shown_cb (GtkPopover  *popover,
                    AdwEntryRow *entry)
{
  GtkWidget *row = g_object_get_data (G_OBJECT (entry), "cairn-room-row");
  GtkLabel *problem = g_object_get_data (G_OBJECT (row), "cairn-rename-problem");

  /* Each time afresh: the name as it is, nothing wrong yet. */
  gtk_editable_set_text (GTK_EDITABLE (entry),
                         g_object_get_data (G_OBJECT (row), "cairn-room-name"));
  show_problem (problem, GTK_WIDGET (entry), NULL);
  gtk_widget_grab_focus (GTK_WIDGET (entry));
}

static void
on_rename_applied_cb (AdwEntryRow       *entry,
                      CairnPracticePage *self)
{
  GtkWidget *row = g_object_get_data (G_OBJECT (entry), "cairn-room-row");
  GtkLabel *problem = g_object_get_data (G_OBJECT (row), "cairn-rename-problem");
  Change *change = change_new (self, CHANGE_RENAME_ROOM);

  show_problem (problem, GTK_WIDGET (entry), NULL);
  change->id = g_strdup (g_object_get_data (G_OBJECT (row), "cairn-room-id"));
  change->name = g_strdup (g_object_get_data (G_OBJECT (row), "cairn-room-name"));
  change->text = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (entry))));
  change_run (change);
}

static void
on_archive_response_cb (AdwMessageDialog *dialog,
                        const char       *response,
                        Change           *change)
{
  if (g_strcmp0 (response, "archive") == 0)
    {
      change->now = cairn_context_get_now (change->self->context);
      change_run (change);
      return;
    }
  change_free (change);
}

static void
on_archive_clicked_cb (GtkButton         *button,
                       CairnPracticePage *self)
{
  GtkWidget *row = g_object_get_data (G_OBJECT (button), "cairn-room-row");
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));
  Change *change = change_new (self, CHANGE_ARCHIVE_ROOM);
  g_autofree char *heading = NULL;
  AdwMessageDialog *dialog;

  change->id = g_strdup (g_object_get_data (G_OBJECT (row), "cairn-room-id"));
  change->name = g_strdup (g_object_get_data (G_OBJECT (row), "cairn-room-name"));
  show_problem (self->rooms_problem, NULL, NULL);

  heading = g_strdup_printf (_("Archive “%s”?"), change->name);
  dialog = ADW_MESSAGE_DIALOG (adw_message_dialog_new (GTK_IS_WINDOW (root) ? GTK_WINDOW (root)
                                                                           : NULL,
                                                       heading,
                                                       _("It is no longer offered for booking, and "
                                                         "its name is free for another room. Past "
                                                         "appointments keep it.")));
  adw_message_dialog_add_responses (dialog, "cancel", _("_Cancel"), "archive", _("_Archive"), NULL);
  adw_message_dialog_set_response_appearance (dialog, "archive", ADW_RESPONSE_DESTRUCTIVE);
  adw_message_dialog_set_default_response (dialog, "cancel");
  adw_message_dialog_set_close_response (dialog, "cancel");
  g_signal_connect (dialog, "response", G_CALLBACK (on_archive_response_cb), change);
  gtk_window_present (GTK_WINDOW (dialog));
}

/* ------------------------------------------------------------------------ */
/* Closed days                                                               */

static void
on_closed_day_changed_cb (CairnPracticePage *self)
{
  show_problem (self->closed_problem, GTK_WIDGET (self->closed_date_row), NULL);
}

static void
close_day (CairnPracticePage *self,
           const GDate       *day,
           const char        *reason)
{
  Change *change = change_new (self, CHANGE_CLOSE_DAY);

  change->day = *day;
  change->text = g_strdup (reason);
  change_run (change);
}

static void
on_add_closed_day_cb (CairnPracticePage *self)
{
  const char *typed = gtk_editable_get_text (GTK_EDITABLE (self->closed_date_row));
  g_autoptr(GError) error = NULL;
  GDate day;

  if (!cairn_practice_parse_day (typed, &day, &error))
    {
      show_problem (self->closed_problem, GTK_WIDGET (self->closed_date_row), error->message);
      return;
    }
  if (g_date_valid (&self->today) && g_date_compare (&day, &self->today) < 0)
    {
      g_autofree char *shown = cairn_practice_format_day (&day);
      g_autofree char *message = NULL;

      message = g_strdup_printf (_("%s has passed: only days from today on can be closed."), shown);

      show_problem (self->closed_problem, GTK_WIDGET (self->closed_date_row), message);
      return;
    }
  close_day (self, &day, gtk_editable_get_text (GTK_EDITABLE (self->closed_reason_row)));
}

static void
on_remove_day_clicked_cb (GtkButton         *button,
                          CairnPracticePage *self)
{
  GtkWidget *row = g_object_get_data (G_OBJECT (button), "cairn-closed-row");
  Change *change = change_new (self, CHANGE_OPEN_DAY);

  show_problem (self->closed_problem, NULL, NULL);
  change->day = *(const GDate *) g_object_get_data (G_OBJECT (row), "cairn-day");
  change->text = g_strdup (g_object_get_data (G_OBJECT (row), "cairn-reason"));
  change_run (change);
}

static void
undo_open_day (gpointer user_data)
{
  Reclose *undo = user_data;

  if (page_vault (undo->page) != NULL)
    close_day (undo->page, &undo->day, undo->reason);
}

/* ------------------------------------------------------------------------ */

static void
on_mapped_cb (CairnPracticePage *self)
{
  cairn_practice_page_load (self);
}

/* Locked: nothing the vault held stays on the page, and nothing answered
 * for the old vault is shown. */
static void
on_vault_changed_cb (CairnPracticePage *self)
{
  if (page_vault (self) != NULL)
    return;
  cairn_runner_cancel (self->runner);
  gtk_label_set_text (self->name_label, "");
  gtk_label_set_text (self->zone_label, "");
  gtk_editable_set_text (GTK_EDITABLE (self->hours_row), "");
  show_rooms (self, NULL);
  show_closed_days (self, NULL);
}

static void
cairn_practice_page_constructed (GObject *object)
{
  CairnPracticePage *self = CAIRN_PRACTICE_PAGE (object);

  G_OBJECT_CLASS (cairn_practice_page_parent_class)->constructed (object);

  g_signal_connect_object (self->context, "notify::vault", G_CALLBACK (on_vault_changed_cb),
                           self, G_CONNECT_SWAPPED);
  /* Enter applies what was typed even when the apply button is not shown
   * (the text was set rather than typed). */
  g_signal_connect_object (self->hours_row, "entry-activated", G_CALLBACK (on_hours_applied_cb),
                           self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->add_room_row, "entry-activated",
                           G_CALLBACK (on_add_room_applied_cb), self, G_CONNECT_SWAPPED);
  /* Read when shown, and each time: nothing is read for a page never
   * opened. */
  g_signal_connect (self, "map", G_CALLBACK (on_mapped_cb), NULL);
}

static void
cairn_practice_page_dispose (GObject *object)
{
  CairnPracticePage *self = CAIRN_PRACTICE_PAGE (object);

  g_clear_object (&self->runner);
  /* libadwaita 1.2 lets a toast's timeout fire after its window was
   * destroyed (when Cairn locks, say). */
  if (self->toaster != NULL)
    cairn_toaster_dismiss (self->toaster);
  g_clear_object (&self->toaster);
  g_clear_pointer (&self->closed_rows, g_ptr_array_unref);

  gtk_widget_dispose_template (GTK_WIDGET (self), CAIRN_TYPE_PRACTICE_PAGE);
  g_clear_object (&self->add_row);
  g_clear_object (&self->rooms);

  G_OBJECT_CLASS (cairn_practice_page_parent_class)->dispose (object);
}

static void
cairn_practice_page_finalize (GObject *object)
{
  CairnPracticePage *self = CAIRN_PRACTICE_PAGE (object);

  g_clear_object (&self->context);

  G_OBJECT_CLASS (cairn_practice_page_parent_class)->finalize (object);
}

static void
cairn_practice_page_set_property (GObject      *object,
                                  guint         prop_id,
                                  const GValue *value,
                                  GParamSpec   *pspec)
{
  CairnPracticePage *self = CAIRN_PRACTICE_PAGE (object);

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
cairn_practice_page_class_init (CairnPracticePageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->constructed = cairn_practice_page_constructed;
  object_class->dispose = cairn_practice_page_dispose;
  object_class->finalize = cairn_practice_page_finalize;
  object_class->set_property = cairn_practice_page_set_property;

  properties[PROP_CONTEXT] =
    g_param_spec_object ("context", NULL, NULL, CAIRN_TYPE_CONTEXT,
                         G_PARAM_WRITABLE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_template_from_resource (widget_class, RESOURCE_BASE_PATH
                                               "/preferences/cairn-practice-page.ui");
  gtk_widget_class_bind_template_child (widget_class, CairnPracticePage, add_room_row);
  gtk_widget_class_bind_template_child (widget_class, CairnPracticePage, closed_date_row);
  gtk_widget_class_bind_template_child (widget_class, CairnPracticePage, closed_group);
  gtk_widget_class_bind_template_child (widget_class, CairnPracticePage, closed_list);
  gtk_widget_class_bind_template_child (widget_class, CairnPracticePage, closed_problem);
  gtk_widget_class_bind_template_child (widget_class, CairnPracticePage, closed_reason_row);
  gtk_widget_class_bind_template_child (widget_class, CairnPracticePage, hours_problem);
  gtk_widget_class_bind_template_child (widget_class, CairnPracticePage, hours_row);
  gtk_widget_class_bind_template_child (widget_class, CairnPracticePage, name_label);
  gtk_widget_class_bind_template_child (widget_class, CairnPracticePage, rooms_group);
  gtk_widget_class_bind_template_child (widget_class, CairnPracticePage, rooms_list);
  gtk_widget_class_bind_template_child (widget_class, CairnPracticePage, rooms_problem);
  gtk_widget_class_bind_template_child (widget_class, CairnPracticePage, zone_label);
  gtk_widget_class_bind_template_callback (widget_class, on_add_closed_day_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_add_room_applied_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_add_room_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_closed_day_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_hours_applied_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_hours_changed_cb);
}

static void
cairn_practice_page_init (CairnPracticePage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  self->toaster = cairn_toaster_new (GTK_WIDGET (self));

  self->runner = cairn_runner_new ();
  self->closed_rows = g_ptr_array_new ();

  /* The rooms, then the row to add one, in one boxed list. */
  self->rooms = g_list_store_new (CAIRN_TYPE_ROOM_ITEM);
  self->add_row = g_object_ref (GTK_WIDGET (self->add_room_row));
  gtk_list_box_remove (self->rooms_list, self->add_row);
  {
    g_autoptr(GListStore) parts = g_list_store_new (G_TYPE_LIST_MODEL);
    g_autoptr(GListStore) add = g_list_store_new (G_TYPE_OBJECT);
    g_autoptr(GObject) marker = g_object_new (G_TYPE_OBJECT, NULL);
    g_autoptr(GtkFlattenListModel) rows = NULL;

    g_list_store_append (add, marker);
    g_list_store_append (parts, self->rooms);
    g_list_store_append (parts, add);
    rows = gtk_flatten_list_model_new (G_LIST_MODEL (g_steal_pointer (&parts)));
    gtk_list_box_bind_model (self->rooms_list, G_LIST_MODEL (rows), create_room_row, self, NULL);
  }
  g_date_clear (&self->today, 1);
}

/**
 * cairn_practice_page_new:
 * @context: the context, holding the unlocked vault
 *
 * Returns: (transfer floating): the page
 */
CairnPracticePage *
cairn_practice_page_new (CairnContext     *context)
{
  g_return_val_if_fail (CAIRN_IS_CONTEXT (context), NULL);

  return g_object_new (CAIRN_TYPE_PRACTICE_PAGE, "context", context, NULL);
}

/**
 * cairn_practice_page_get_busy:
 * @self: the page
 *
 * Returns: whether the page is reading from or writing to the vault
 */
gboolean
cairn_practice_page_get_busy (CairnPracticePage *self)
{
  g_return_val_if_fail (CAIRN_IS_PRACTICE_PAGE (self), FALSE);

  return cairn_runner_get_n_running (self->runner) > 0;
}
