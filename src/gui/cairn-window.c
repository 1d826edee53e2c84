/* cairn-window.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "cairn-window"

#include "config.h"

#include <glib/gi18n.h>

#include "cairn-demo.h"
#include "cairn-first-run-page.h"
#include "cairn-patients-page.h"
#include "cairn-schedule-page.h"
#include "cairn-today-page.h"
#include "cairn-unlock-page.h"
#include "cairn-window.h"
#include "cairn-window-geometry.h"

struct _CairnWindow
{
  AdwApplicationWindow  parent_instance;

  GSettings            *settings;
  CairnContext         *context;

  /* Template widgets */
  AdwWindowTitle       *content_title;
  AdwBin               *first_run_slot;
  AdwBin               *patients_slot;
  AdwBin               *schedule_slot;
  AdwBin               *today_slot;
  CairnUnlockPage      *unlock_page;

  /* Built when first needed: before unlocking, only the unlock page is. */
  CairnFirstRunPage    *first_run_page;
  AdwLeaflet           *leaflet;
  GtkStack             *modes;
  GtkStack             *pages;
  CairnPatientsPage    *patients_page;
  CairnSchedulePage    *schedule_page;
  CairnTodayPage       *today_page;
  GtkListBox           *sidebar;
};

G_DEFINE_FINAL_TYPE (CairnWindow, cairn_window, ADW_TYPE_APPLICATION_WINDOW)

enum {
  PROP_0,
  PROP_CONTEXT,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

const char * const cairn_window_page_names[CAIRN_WINDOW_N_PAGES] = {
  "today", "schedule", "patients", "sessions", "referrals", "ledger",
};

/* What a front-desk user does not see at all: not a greyed-out door, no door. */
static const char * const clinician_pages[] = { "sessions", "referrals", "ledger" };

static GtkWidget *
cairn_window_create_sidebar_row (gpointer item,
                                 gpointer user_data)
{
  GtkStackPage *page = item;
  GtkWidget *row;
  GtkWidget *box;
  GtkWidget *icon;
  GtkWidget *label;

  box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 12);
  icon = gtk_image_new ();
  label = gtk_label_new (NULL);
  gtk_label_set_xalign (GTK_LABEL (label), 0.0);
  gtk_label_set_ellipsize (GTK_LABEL (label), PANGO_ELLIPSIZE_END);
  gtk_box_append (GTK_BOX (box), icon);
  gtk_box_append (GTK_BOX (box), label);

  /* Bound, not copied: a page renamed or hidden later (for a role that may
   * not open it) updates its row. */
  g_object_bind_property (page, "icon-name", icon, "icon-name", G_BINDING_SYNC_CREATE);
  g_object_bind_property (page, "title", label, "label", G_BINDING_SYNC_CREATE);

  row = gtk_list_box_row_new ();
  gtk_list_box_row_set_child (GTK_LIST_BOX_ROW (row), box);
  g_object_bind_property (page, "visible", row, "visible", G_BINDING_SYNC_CREATE);
  g_object_set_data_full (G_OBJECT (row), "cairn-page-name",
                          g_strdup (gtk_stack_page_get_name (page)), g_free);

  return row;
}

static void
cairn_window_sync_sidebar (CairnWindow *self)
{
  const char *name = gtk_stack_get_visible_child_name (self->pages);
  GtkStackPage *page = gtk_stack_get_page (self->pages, gtk_stack_get_visible_child (self->pages));

  adw_window_title_set_title (self->content_title, gtk_stack_page_get_title (page));

  for (int i = 0; ; i++)
    {
      GtkListBoxRow *row = gtk_list_box_get_row_at_index (self->sidebar, i);

      if (row == NULL)
        break;

      if (g_strcmp0 (g_object_get_data (G_OBJECT (row), "cairn-page-name"), name) == 0)
        {
          gtk_list_box_select_row (self->sidebar, row);
          break;
        }
    }
}

/* A placeholder page shows its page's icon large. The icon is set the first
 * time the page is shown rather than in the template: at 128 px it can only
 * come from an SVG, and rendering six of them (and loading librsvg) before
 * the first frame costs about a seventh of startup. */
static void
cairn_window_ensure_placeholder_icon (CairnWindow *self)
{
  GtkWidget *child = gtk_stack_get_visible_child (self->pages);
  GtkStackPage *page;

  if (!ADW_IS_STATUS_PAGE (child) || adw_status_page_get_icon_name (ADW_STATUS_PAGE (child)) != NULL)
    return;

  page = gtk_stack_get_page (self->pages, child);
  adw_status_page_set_icon_name (ADW_STATUS_PAGE (child), gtk_stack_page_get_icon_name (page));
}

static void
on_visible_child_changed_cb (CairnWindow *self,
                             GParamSpec  *pspec,
                             GtkStack    *pages)
{
  cairn_window_sync_sidebar (self);
  cairn_window_ensure_placeholder_icon (self);
}

static void
on_sidebar_row_activated_cb (CairnWindow   *self,
                             GtkListBoxRow *row,
                             GtkListBox    *sidebar)
{
  gtk_stack_set_visible_child_name (self->pages,
                                    g_object_get_data (G_OBJECT (row), "cairn-page-name"));
  adw_leaflet_navigate (self->leaflet, ADW_NAVIGATION_DIRECTION_FORWARD);
}

static void
on_back_clicked_cb (CairnWindow *self,
                    GtkButton   *button)
{
  adw_leaflet_navigate (self->leaflet, ADW_NAVIGATION_DIRECTION_BACK);
}

static void
cairn_window_show_page_action (GtkWidget  *widget,
                               const char *action_name,
                               GVariant   *parameter)
{
  CairnWindow *self = CAIRN_WINDOW (widget);
  const char *name = g_variant_get_string (parameter, NULL);
  GtkWidget *child = gtk_stack_get_child_by_name (self->pages, name);

  if (child == NULL || !gtk_stack_page_get_visible (gtk_stack_get_page (self->pages, child)) ||
      g_strcmp0 (gtk_stack_get_visible_child_name (self->modes), "main") != 0)
    return;

  gtk_stack_set_visible_child (self->pages, child);
  adw_leaflet_navigate (self->leaflet, ADW_NAVIGATION_DIRECTION_FORWARD);
}

static void on_vault_opened_cb (CairnWindow *self,
                                CairnVault  *vault);

static void
ensure_first_run_page (CairnWindow *self)
{
  if (self->first_run_page != NULL)
    return;
  self->first_run_page = g_object_new (CAIRN_TYPE_FIRST_RUN_PAGE, NULL);
  g_signal_connect_object (self->first_run_page, "created", G_CALLBACK (on_vault_opened_cb), self,
                           G_CONNECT_SWAPPED);
  adw_bin_set_child (self->first_run_slot, GTK_WIDGET (self->first_run_page));
}

/* The pages behind the lock are built the first time it opens: a locked
 * window draws its first frame without them. */
static void
ensure_pages (CairnWindow *self)
{
  if (self->today_page != NULL)
    return;
  self->today_page = g_object_new (CAIRN_TYPE_TODAY_PAGE, NULL);
  self->schedule_page = g_object_new (CAIRN_TYPE_SCHEDULE_PAGE, NULL);
  self->patients_page = g_object_new (CAIRN_TYPE_PATIENTS_PAGE, NULL);
  cairn_today_page_set_context (self->today_page, self->context);
  cairn_schedule_page_set_context (self->schedule_page, self->context);
  cairn_patients_page_set_context (self->patients_page, self->context);
  adw_bin_set_child (self->today_slot, GTK_WIDGET (self->today_page));
  adw_bin_set_child (self->schedule_slot, GTK_WIDGET (self->schedule_page));
  adw_bin_set_child (self->patients_slot, GTK_WIDGET (self->patients_page));
}

/* Shows what the context's vault allows: the first-run assistant when
 * there is no vault, the unlock page while locked, and otherwise the pages
 * the user's role may open. */
static void
cairn_window_sync_vault (CairnWindow *self)
{
  CairnVault *vault = cairn_context_get_vault (self->context);
  const char *dir = cairn_context_get_vault_dir (self->context);
  gboolean clinician;

  if (vault == NULL)
    {
      /* Nothing from the vault stays drawn: the content goes back to its
       * first page, and the unlock form is emptied. */
      gtk_stack_set_visible_child_name (self->pages, "today");
      if (dir != NULL && !cairn_vault_exists (dir))
        {
          ensure_first_run_page (self);
          cairn_first_run_page_set_dir (self->first_run_page, dir);
          gtk_stack_set_visible_child_name (self->modes, "first-run");
        }
      else
        {
          if (dir != NULL)
            cairn_unlock_page_set_dir (self->unlock_page, dir);
          cairn_unlock_page_reset (self->unlock_page);
          if (cairn_context_get_demo (self->context))
            cairn_unlock_page_set_hint (self->unlock_page,
                                        _("This is a demo practice with fictional patients. "
                                          "User: demo. Passphrase: demo."),
                                        CAIRN_DEMO_USER);
          gtk_stack_set_visible_child_name (self->modes, "unlock");
          gtk_widget_grab_focus (GTK_WIDGET (self->unlock_page));
        }
      return;
    }

  ensure_pages (self);
  clinician = cairn_vault_has_clinical (vault);
  for (guint i = 0; i < G_N_ELEMENTS (clinician_pages); i++)
    gtk_stack_page_set_visible (gtk_stack_get_page (self->pages,
                                                    gtk_stack_get_child_by_name (self->pages, clinician_pages[i])),
                                clinician);
  if (!gtk_stack_page_get_visible (gtk_stack_get_page (self->pages, gtk_stack_get_visible_child (self->pages))))
    gtk_stack_set_visible_child_name (self->pages, "today");

  gtk_stack_set_visible_child_name (self->modes, "main");
}

static void
on_vault_changed_cb (CairnWindow *self)
{
  cairn_window_sync_vault (self);
}

static void
on_vault_opened_cb (CairnWindow *self,
                    CairnVault  *vault)
{
  cairn_context_set_vault (self->context, vault);
}

static void
cairn_window_restore_state (CairnWindow *self)
{
  CairnWindowGeometry saved;
  CairnWindowGeometry restored;
  GListModel *monitors;
  int area_width = 0;
  int area_height = 0;

  g_settings_get (self->settings, "window-size", "(ii)", &saved.width, &saved.height);
  saved.maximized = g_settings_get_boolean (self->settings, "window-maximized");

  /* The window is not on a monitor yet; fit it to the largest one, so a size
   * saved on an external screen does not overflow the laptop's own. */
  monitors = gdk_display_get_monitors (gtk_widget_get_display (GTK_WIDGET (self)));
  for (guint i = 0; i < g_list_model_get_n_items (monitors); i++)
    {
      g_autoptr(GdkMonitor) monitor = g_list_model_get_item (monitors, i);
      GdkRectangle geometry;

      gdk_monitor_get_geometry (monitor, &geometry);
      area_width = MAX (area_width, geometry.width);
      area_height = MAX (area_height, geometry.height);
    }

  cairn_window_geometry_restore (&saved, area_width, area_height, &restored);

  gtk_window_set_default_size (GTK_WINDOW (self), restored.width, restored.height);
  if (restored.maximized)
    gtk_window_maximize (GTK_WINDOW (self));
}

static void
cairn_window_save_state (CairnWindow *self)
{
  gboolean maximized = gtk_window_is_maximized (GTK_WINDOW (self));

  /* A maximized window keeps the size it had before, to return to. */
  if (!maximized)
    {
      int width;
      int height;

      gtk_window_get_default_size (GTK_WINDOW (self), &width, &height);
      g_settings_set (self->settings, "window-size", "(ii)", width, height);
    }

  g_settings_set_boolean (self->settings, "window-maximized", maximized);
}

static gboolean
cairn_window_close_request (GtkWindow *window)
{
  cairn_window_save_state (CAIRN_WINDOW (window));

  return GTK_WINDOW_CLASS (cairn_window_parent_class)->close_request (window);
}

static void
on_first_frame_painted_cb (GdkFrameClock *frame_clock,
                           CairnWindow   *self)
{
  /* Read by tests/bench/bench-startup.c: CLOCK_MONOTONIC is shared by all
   * processes, so the launcher can subtract the time it spawned us. */
  g_print ("cairn-first-frame %" G_GINT64_FORMAT "\n", g_get_monotonic_time ());
  g_signal_handlers_disconnect_by_func (frame_clock, on_first_frame_painted_cb, self);
  g_application_quit (g_application_get_default ());
}

static void
cairn_window_realize (GtkWidget *widget)
{
  GTK_WIDGET_CLASS (cairn_window_parent_class)->realize (widget);

  if (g_strcmp0 (g_getenv ("CAIRN_BENCH"), "first-frame") == 0)
    g_signal_connect_object (gtk_widget_get_frame_clock (widget), "after-paint",
                             G_CALLBACK (on_first_frame_painted_cb), widget, 0);
}

/* Replaces GtkApplicationWindow's own action of this name, so that the
 * shortcuts window is built the first time it is asked for rather than with
 * every main window, before the first frame. */
static void
cairn_window_show_help_overlay_action (GSimpleAction *action,
                                       GVariant      *parameter,
                                       gpointer       user_data)
{
  GtkApplicationWindow *self = GTK_APPLICATION_WINDOW (user_data);
  GtkShortcutsWindow *overlay = gtk_application_window_get_help_overlay (self);

  if (overlay == NULL)
    {
      g_autoptr(GtkBuilder) builder =
        gtk_builder_new_from_resource (RESOURCE_BASE_PATH "/cairn-shortcuts-window.ui");

      overlay = GTK_SHORTCUTS_WINDOW (gtk_builder_get_object (builder, "help_overlay"));
      gtk_application_window_set_help_overlay (self, overlay);
    }

  gtk_window_present (GTK_WINDOW (overlay));
}

static void
cairn_window_get_property (GObject    *object,
                           guint       prop_id,
                           GValue     *value,
                           GParamSpec *pspec)
{
  CairnWindow *self = CAIRN_WINDOW (object);

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
cairn_window_set_property (GObject      *object,
                           guint         prop_id,
                           const GValue *value,
                           GParamSpec   *pspec)
{
  CairnWindow *self = CAIRN_WINDOW (object);

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
cairn_window_constructed (GObject *object)
{
  CairnWindow *self = CAIRN_WINDOW (object);

  G_OBJECT_CLASS (cairn_window_parent_class)->constructed (object);

  g_assert (CAIRN_IS_CONTEXT (self->context));
  g_signal_connect_object (self->context, "notify::vault", G_CALLBACK (on_vault_changed_cb), self,
                           G_CONNECT_SWAPPED);
  cairn_window_sync_vault (self);
  cairn_window_restore_state (self);
}

static void
cairn_window_dispose (GObject *object)
{
  CairnWindow *self = CAIRN_WINDOW (object);

  gtk_widget_dispose_template (GTK_WIDGET (self), CAIRN_TYPE_WINDOW);
  g_clear_object (&self->settings);
  g_clear_object (&self->context);

  G_OBJECT_CLASS (cairn_window_parent_class)->dispose (object);
}

static void
cairn_window_class_init (CairnWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  GtkWindowClass *window_class = GTK_WINDOW_CLASS (klass);

  object_class->constructed = cairn_window_constructed;
  object_class->dispose = cairn_window_dispose;
  object_class->get_property = cairn_window_get_property;
  object_class->set_property = cairn_window_set_property;

  /**
   * CairnWindow:context:
   *
   * What the window's pages work in: the vault, the protocol, the clock.
   */
  properties[PROP_CONTEXT] =
    g_param_spec_object ("context", NULL, NULL, CAIRN_TYPE_CONTEXT,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  widget_class->realize = cairn_window_realize;

  window_class->close_request = cairn_window_close_request;

  gtk_widget_class_set_template_from_resource (widget_class, RESOURCE_BASE_PATH "/cairn-window.ui");
  gtk_widget_class_bind_template_child (widget_class, CairnWindow, content_title);
  gtk_widget_class_bind_template_child (widget_class, CairnWindow, first_run_slot);
  gtk_widget_class_bind_template_child (widget_class, CairnWindow, leaflet);
  gtk_widget_class_bind_template_child (widget_class, CairnWindow, modes);
  gtk_widget_class_bind_template_child (widget_class, CairnWindow, pages);
  gtk_widget_class_bind_template_child (widget_class, CairnWindow, patients_slot);
  gtk_widget_class_bind_template_child (widget_class, CairnWindow, schedule_slot);
  gtk_widget_class_bind_template_child (widget_class, CairnWindow, sidebar);
  gtk_widget_class_bind_template_child (widget_class, CairnWindow, today_slot);
  gtk_widget_class_bind_template_child (widget_class, CairnWindow, unlock_page);
  gtk_widget_class_bind_template_callback (widget_class, on_back_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_sidebar_row_activated_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_vault_opened_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_visible_child_changed_cb);

  gtk_widget_class_install_action (widget_class, "win.show-page", "s",
                                   cairn_window_show_page_action);

  g_type_ensure (CAIRN_TYPE_UNLOCK_PAGE);
}

static void
cairn_window_init (CairnWindow *self)
{
  static const GActionEntry entries[] = {
    { .name = "show-help-overlay", .activate = cairn_window_show_help_overlay_action },
  };

  gtk_widget_init_template (GTK_WIDGET (self));

  self->settings = g_settings_new (APP_ID);
  g_action_map_add_action_entries (G_ACTION_MAP (self), entries, G_N_ELEMENTS (entries), self);

  gtk_list_box_bind_model (self->sidebar,
                           G_LIST_MODEL (gtk_stack_get_pages (self->pages)),
                           cairn_window_create_sidebar_row, NULL, NULL);
  cairn_window_sync_sidebar (self);
  cairn_window_ensure_placeholder_icon (self);
}

/**
 * cairn_window_new:
 * @context: what the window's pages work in
 * @application: the application the window belongs to
 *
 * Returns: (transfer none): a new main window, owned by @application
 */
CairnWindow *
cairn_window_new (CairnContext   *context,
                  GtkApplication *application)
{
  g_return_val_if_fail (CAIRN_IS_CONTEXT (context), NULL);
  g_return_val_if_fail (GTK_IS_APPLICATION (application), NULL);

  return g_object_new (CAIRN_TYPE_WINDOW, "context", context, "application", application, NULL);
}

/**
 * cairn_window_get_visible_page:
 * @self: a #CairnWindow
 *
 * Returns: (transfer none): the name of the page shown in the content area
 */
const char *
cairn_window_get_visible_page (CairnWindow *self)
{
  g_return_val_if_fail (CAIRN_IS_WINDOW (self), NULL);

  return gtk_stack_get_visible_child_name (self->pages);
}

/**
 * cairn_window_get_folded:
 * @self: a #CairnWindow
 *
 * Returns: %TRUE when the window is too narrow for the sidebar and the
 *   content side by side, and shows one at a time
 */
gboolean
cairn_window_get_folded (CairnWindow *self)
{
  g_return_val_if_fail (CAIRN_IS_WINDOW (self), FALSE);

  return adw_leaflet_get_folded (self->leaflet);
}

/**
 * cairn_window_get_mode:
 * @self: a #CairnWindow
 *
 * Returns: (transfer none): "first-run", "unlock" or "main"
 */
const char *
cairn_window_get_mode (CairnWindow *self)
{
  g_return_val_if_fail (CAIRN_IS_WINDOW (self), NULL);

  return gtk_stack_get_visible_child_name (self->modes);
}
