/* cairn-preferences-window.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "cairn-preferences"

#include "config.h"

#include "cairn-context.h"
#include "cairn-practice-page.h"
#include "cairn-preferences-window.h"
#include "cairn-protocols-page.h"
#include "cairn-security-page.h"
#include "cairn-staff-page.h"

struct _CairnPreferencesWindow
{
  AdwPreferencesWindow  parent_instance;

  /* Template widgets: the style rows act on app.color-scheme by themselves;
   * they are bound so tests can drive them. */
  GtkCheckButton       *dark_check;
  AdwActionRow         *dark_row;
  GtkCheckButton       *follow_system_check;
  AdwActionRow         *follow_system_row;
  GtkCheckButton       *light_check;
  AdwActionRow         *light_row;
};

G_DEFINE_FINAL_TYPE (CairnPreferencesWindow, cairn_preferences_window, ADW_TYPE_PREFERENCES_WINDOW)

static void
cairn_preferences_window_dispose (GObject *object)
{
  gtk_widget_dispose_template (GTK_WIDGET (object), CAIRN_TYPE_PREFERENCES_WINDOW);

  G_OBJECT_CLASS (cairn_preferences_window_parent_class)->dispose (object);
}

static void
cairn_preferences_window_class_init (CairnPreferencesWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = cairn_preferences_window_dispose;

  gtk_widget_class_set_template_from_resource (widget_class,
                                               RESOURCE_BASE_PATH "/preferences/cairn-preferences-window.ui");
  gtk_widget_class_bind_template_child (widget_class, CairnPreferencesWindow, dark_check);
  gtk_widget_class_bind_template_child (widget_class, CairnPreferencesWindow, dark_row);
  gtk_widget_class_bind_template_child (widget_class, CairnPreferencesWindow, follow_system_check);
  gtk_widget_class_bind_template_child (widget_class, CairnPreferencesWindow, follow_system_row);
  gtk_widget_class_bind_template_child (widget_class, CairnPreferencesWindow, light_check);
  gtk_widget_class_bind_template_child (widget_class, CairnPreferencesWindow, light_row);
}

static void
cairn_preferences_window_init (CairnPreferencesWindow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}

/**
 * cairn_preferences_window_new:
 * @context: what the pages work in
 * @parent: (nullable): the window the preferences belong to
 *
 * The colour-scheme rows act on the `app.color-scheme` action, so the window
 * needs no state of its own: it shows and changes the setting directly.
 *
 * Returns: (transfer none): a new preferences window, owned by GTK
 */
CairnPreferencesWindow *
cairn_preferences_window_new (CairnContext *context,
                              GtkWindow    *parent)
{
  GtkApplication *application = parent != NULL ? gtk_window_get_application (parent) : NULL;
  CairnPreferencesWindow *self;

  g_return_val_if_fail (CAIRN_IS_CONTEXT (context), NULL);
  g_return_val_if_fail (parent == NULL || GTK_IS_WINDOW (parent), NULL);

  self = g_object_new (CAIRN_TYPE_PREFERENCES_WINDOW,
                       "transient-for", parent,
                       "application", application,
                       NULL);

  /* Practice, Staff, Protocols and Security need an unlocked vault;
   * locking closes this window. The front desk runs the schedule: Practice
   * and Staff are theirs too. Protocol templates shape clinical work: the
   * front desk does not see them at all. */
  if (cairn_context_is_unlocked (context))
    {
      AdwPreferencesWindow *window = ADW_PREFERENCES_WINDOW (self);

      adw_preferences_window_add (window, ADW_PREFERENCES_PAGE (cairn_practice_page_new (context)));
      adw_preferences_window_add (window, ADW_PREFERENCES_PAGE (cairn_staff_page_new (context)));
      if (cairn_context_has_clinical (context))
        adw_preferences_window_add (window, ADW_PREFERENCES_PAGE (cairn_protocols_page_new (context)));
      adw_preferences_window_add (window, ADW_PREFERENCES_PAGE (cairn_security_page_new (context)));
    }

  return self;
}
