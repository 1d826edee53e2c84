/* cairn-first-run-page.c
 *
 * The assistant shown when there is no vault yet: the practice's name and
 * time zone, then the first clinician and their passphrase, then the
 * recovery key, shown once, which the user must type back in part before
 * going on.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "cairn-unlock"

#include "config.h"

#include <glib/gi18n.h>
#include <sodium.h>
#include <string.h>

#include "cairn-first-run-page.h"
#include "cairn-runner.h"
#include "cairn-strength-meter.h"

struct _CairnFirstRunPage
{
  GtkWidget           parent_instance;

  char               *dir;
  CairnRunner        *runner;
  gboolean            busy;
  gboolean            has_params;
  CairnKdfParams      params;
  CairnVault         *vault;          /* created, not yet handed on */
  char               *last_group;

  /* Template widgets */
  GtkButton           *back_button;
  GtkLabel            *clinician_error;
  AdwPasswordEntryRow *confirm_row;
  GtkButton           *create_button;
  GtkSpinner          *create_spinner;
  GtkButton           *finish_button;
  AdwEntryRow         *last_group_row;
  AdwEntryRow         *name_row;
  AdwPasswordEntryRow *passphrase_row;
  GtkLabel            *practice_error;
  AdwEntryRow         *practice_row;
  GtkLabel            *recovery_label;
  AdwWindowTitle      *step_title;
  GtkStack            *steps;
  CairnStrengthMeter  *strength;
  AdwEntryRow         *zone_row;
};

G_DEFINE_FINAL_TYPE (CairnFirstRunPage, cairn_first_run_page, GTK_TYPE_WIDGET)

enum {
  CREATED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static void
show_error (GtkLabel   *label,
            const char *message)
{
  gtk_label_set_text (label, message != NULL ? message : "");
  gtk_widget_set_visible (GTK_WIDGET (label), message != NULL);
}

static void
mark_row (gpointer row,
          gboolean wrong)
{
  if (wrong)
    gtk_widget_add_css_class (GTK_WIDGET (row), "error");
  else
    gtk_widget_remove_css_class (GTK_WIDGET (row), "error");
}

static char *
stripped_text (gpointer editable)
{
  return g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (editable))));
}

static void
on_step_changed_cb (CairnFirstRunPage *self)
{
  GtkStackPage *page = gtk_stack_get_page (self->steps, gtk_stack_get_visible_child (self->steps));
  const char *name = gtk_stack_get_visible_child_name (self->steps);

  adw_window_title_set_title (self->step_title, gtk_stack_page_get_title (page));
  /* Once the vault exists there is no going back to change it. */
  gtk_widget_set_visible (GTK_WIDGET (self->back_button), g_strcmp0 (name, "clinician") == 0);
}

static void
on_practice_changed_cb (CairnFirstRunPage *self)
{
  mark_row (self->practice_row, FALSE);
  mark_row (self->zone_row, FALSE);
  show_error (self->practice_error, NULL);
}

static void
on_next_clicked_cb (CairnFirstRunPage *self)
{
  g_autofree char *name = stripped_text (self->practice_row);
  g_autofree char *zone_id = stripped_text (self->zone_row);
  g_autoptr(GTimeZone) zone = NULL;

  if (*name == '\0' || g_utf8_strlen (name, -1) > 200)
    {
      mark_row (self->practice_row, TRUE);
      show_error (self->practice_error, *name == '\0' ? _("Enter the practice’s name.")
                                                       : _("The practice’s name can be at most 200 characters."));
      gtk_widget_grab_focus (GTK_WIDGET (self->practice_row));
      return;
    }
  if (*zone_id == '\0' || (zone = g_time_zone_new_identifier (zone_id)) == NULL)
    {
      g_autofree char *message =
        g_strdup_printf (_("“%s” is not a time zone this computer knows. Use a name such as "
                           "Europe/Berlin or America/New_York."), zone_id);

      mark_row (self->zone_row, TRUE);
      show_error (self->practice_error, message);
      gtk_widget_grab_focus (GTK_WIDGET (self->zone_row));
      return;
    }

  gtk_stack_set_visible_child_name (self->steps, "clinician");
  gtk_widget_grab_focus (GTK_WIDGET (self->name_row));
}

static void
on_back_clicked_cb (CairnFirstRunPage *self)
{
  if (!self->busy)
    gtk_stack_set_visible_child_name (self->steps, "practice");
}

static void
on_clinician_changed_cb (CairnFirstRunPage *self)
{
  g_autofree char *name = stripped_text (self->name_row);

  cairn_strength_meter_update (self->strength, gtk_editable_get_text (GTK_EDITABLE (self->passphrase_row)),
                               name);
  mark_row (self->name_row, FALSE);
  mark_row (self->passphrase_row, FALSE);
  mark_row (self->confirm_row, FALSE);
  show_error (self->clinician_error, NULL);
}

static void
set_busy (CairnFirstRunPage *self,
          gboolean           busy)
{
  self->busy = busy;
  gtk_widget_set_sensitive (GTK_WIDGET (self->create_button), !busy);
  gtk_widget_set_sensitive (GTK_WIDGET (self->back_button), !busy);
  gtk_widget_set_visible (GTK_WIDGET (self->create_spinner), busy);
  gtk_spinner_set_spinning (self->create_spinner, busy);
}

static void
create_done_cb (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  CairnFirstRunPage *self = user_data;
  g_autoptr(GError) error = NULL;
  g_autofree char *recovery = NULL;
  g_autoptr(CairnVault) vault = cairn_vault_create_finish (result, &recovery, &error);
  g_auto(GStrv) groups = NULL;

  set_busy (self, FALSE);
  if (vault == NULL)
    {
      show_error (self->clinician_error, error->message);
      return;
    }

  gtk_editable_set_text (GTK_EDITABLE (self->passphrase_row), "");
  gtk_editable_set_text (GTK_EDITABLE (self->confirm_row), "");
  self->vault = g_steal_pointer (&vault);

  groups = g_strsplit (recovery, "-", -1);
  g_free (self->last_group);
  self->last_group = g_strdup (groups[g_strv_length (groups) - 1]);
  {
    /* Spaces between groups let the label wrap at a narrow width. */
    g_autofree char *shown = g_strjoinv (" ", groups);

    gtk_label_set_text (self->recovery_label, shown);
    sodium_memzero (shown, strlen (shown));
  }
  sodium_memzero (recovery, strlen (recovery));
  for (guint i = 0; groups[i] != NULL; i++)
    sodium_memzero (groups[i], strlen (groups[i]));

  gtk_stack_set_visible_child_name (self->steps, "recovery");
  gtk_widget_grab_focus (GTK_WIDGET (self->last_group_row));
  /* Selectable, so it can be read out letter by letter, but not selected. */
  gtk_label_select_region (self->recovery_label, 0, 0);
}

static void
on_create_clicked_cb (CairnFirstRunPage *self)
{
  g_autofree char *practice = stripped_text (self->practice_row);
  g_autofree char *zone = stripped_text (self->zone_row);
  g_autofree char *name = stripped_text (self->name_row);
  const char *passphrase = gtk_editable_get_text (GTK_EDITABLE (self->passphrase_row));
  const char *confirm = gtk_editable_get_text (GTK_EDITABLE (self->confirm_row));

  if (self->busy)
    return;
  if (*name == '\0')
    {
      mark_row (self->name_row, TRUE);
      show_error (self->clinician_error, _("Enter your name as colleagues know it, such as “Dr Ada Quell”."));
      gtk_widget_grab_focus (GTK_WIDGET (self->name_row));
      return;
    }
  if (!cairn_strength_meter_get_acceptable (self->strength))
    {
      mark_row (self->passphrase_row, TRUE);
      show_error (self->clinician_error, cairn_strength_meter_get_text (self->strength));
      gtk_widget_grab_focus (GTK_WIDGET (self->passphrase_row));
      return;
    }
  if (g_strcmp0 (passphrase, confirm) != 0)
    {
      mark_row (self->confirm_row, TRUE);
      show_error (self->clinician_error, _("The two passphrases differ: type the same one twice."));
      gtk_widget_grab_focus (GTK_WIDGET (self->confirm_row));
      return;
    }

  show_error (self->clinician_error, NULL);
  set_busy (self, TRUE);
  cairn_vault_create_async (self->dir, practice, zone, name, passphrase,
                            self->has_params ? &self->params : NULL,
                            cairn_runner_get_cancellable (self->runner), cairn_runner_answered,
                            cairn_runner_track (self->runner, create_done_cb, self));
}

static gboolean
last_group_matches (CairnFirstRunPage *self)
{
  g_autofree char *typed = stripped_text (self->last_group_row);

  return self->last_group != NULL && g_ascii_strcasecmp (typed, self->last_group) == 0;
}

static void
on_last_group_changed_cb (CairnFirstRunPage *self)
{
  gtk_widget_set_sensitive (GTK_WIDGET (self->finish_button), last_group_matches (self));
}

static void
on_finish_clicked_cb (CairnFirstRunPage *self)
{
  g_autoptr(CairnVault) vault = NULL;

  if (self->vault == NULL || !last_group_matches (self))
    return;

  /* The key leaves the screen for good. */
  gtk_label_set_text (self->recovery_label, "");
  gtk_editable_set_text (GTK_EDITABLE (self->last_group_row), "");
  g_clear_pointer (&self->last_group, g_free);

  vault = g_steal_pointer (&self->vault);
  g_signal_emit (self, signals[CREATED], 0, vault);
}

static void
cairn_first_run_page_dispose (GObject *object)
{
  GtkWidget *child;
  CairnFirstRunPage *self = CAIRN_FIRST_RUN_PAGE (object);

  g_clear_object (&self->runner);
  g_clear_object (&self->vault);
  gtk_widget_dispose_template (GTK_WIDGET (self), CAIRN_TYPE_FIRST_RUN_PAGE);
  /* The template's top box has no id, so nothing above unparents it. */
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self))) != NULL)
    gtk_widget_unparent (child);

  G_OBJECT_CLASS (cairn_first_run_page_parent_class)->dispose (object);
}

static void
cairn_first_run_page_finalize (GObject *object)
{
  CairnFirstRunPage *self = CAIRN_FIRST_RUN_PAGE (object);

  g_free (self->dir);
  g_free (self->last_group);

  G_OBJECT_CLASS (cairn_first_run_page_parent_class)->finalize (object);
}

static void
cairn_first_run_page_class_init (CairnFirstRunPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = cairn_first_run_page_dispose;
  object_class->finalize = cairn_first_run_page_finalize;

  /**
   * CairnFirstRunPage::created:
   * @self: the page
   * @vault: the new vault, unlocked as its first clinician
   *
   * Emitted once the user has confirmed they have the recovery key.
   */
  signals[CREATED] =
    g_signal_new ("created", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                  NULL, NULL, NULL, G_TYPE_NONE, 1, CAIRN_TYPE_VAULT);

  g_type_ensure (CAIRN_TYPE_STRENGTH_METER);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               RESOURCE_BASE_PATH "/unlock/cairn-first-run-page.ui");
  gtk_widget_class_bind_template_child (widget_class, CairnFirstRunPage, back_button);
  gtk_widget_class_bind_template_child (widget_class, CairnFirstRunPage, clinician_error);
  gtk_widget_class_bind_template_child (widget_class, CairnFirstRunPage, confirm_row);
  gtk_widget_class_bind_template_child (widget_class, CairnFirstRunPage, create_button);
  gtk_widget_class_bind_template_child (widget_class, CairnFirstRunPage, create_spinner);
  gtk_widget_class_bind_template_child (widget_class, CairnFirstRunPage, finish_button);
  gtk_widget_class_bind_template_child (widget_class, CairnFirstRunPage, last_group_row);
  gtk_widget_class_bind_template_child (widget_class, CairnFirstRunPage, name_row);
  gtk_widget_class_bind_template_child (widget_class, CairnFirstRunPage, passphrase_row);
  gtk_widget_class_bind_template_child (widget_class, CairnFirstRunPage, practice_error);
  gtk_widget_class_bind_template_child (widget_class, CairnFirstRunPage, practice_row);
  gtk_widget_class_bind_template_child (widget_class, CairnFirstRunPage, recovery_label);
  gtk_widget_class_bind_template_child (widget_class, CairnFirstRunPage, step_title);
  gtk_widget_class_bind_template_child (widget_class, CairnFirstRunPage, steps);
  gtk_widget_class_bind_template_child (widget_class, CairnFirstRunPage, strength);
  gtk_widget_class_bind_template_child (widget_class, CairnFirstRunPage, zone_row);
  gtk_widget_class_bind_template_callback (widget_class, on_back_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_clinician_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_create_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_finish_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_last_group_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_next_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_practice_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_step_changed_cb);
}

static void
cairn_first_run_page_init (CairnFirstRunPage *self)
{
  g_autoptr(GTimeZone) local = g_time_zone_new_local ();
  const char *zone = g_time_zone_get_identifier (local);

  gtk_widget_init_template (GTK_WIDGET (self));
  self->runner = cairn_runner_new ();

  /* "localtime" or ":/etc/localtime" says nothing; leave the field for the user. */
  if (zone != NULL && strchr (zone, '/') != NULL && zone[0] != ':' && zone[0] != '/')
    gtk_editable_set_text (GTK_EDITABLE (self->zone_row), zone);
  else if (g_strcmp0 (zone, "UTC") == 0)
    gtk_editable_set_text (GTK_EDITABLE (self->zone_row), zone);

  on_step_changed_cb (self);
  on_clinician_changed_cb (self);
}

/**
 * cairn_first_run_page_set_dir:
 * @self: the page
 * @dir: where the new vault goes
 */
void
cairn_first_run_page_set_dir (CairnFirstRunPage *self,
                              const char        *dir)
{
  g_return_if_fail (CAIRN_IS_FIRST_RUN_PAGE (self));

  g_free (self->dir);
  self->dir = g_strdup (dir);
}

/**
 * cairn_first_run_page_set_kdf_params:
 * @self: the page
 * @params: the Argon2id cost for the first clinician's slot
 *
 * For tests, which cannot wait a second per key derivation.
 */
void
cairn_first_run_page_set_kdf_params (CairnFirstRunPage    *self,
                                     const CairnKdfParams *params)
{
  g_return_if_fail (CAIRN_IS_FIRST_RUN_PAGE (self));

  self->has_params = params != NULL;
  if (params != NULL)
    self->params = *params;
}
