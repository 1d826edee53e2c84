/* cairn-application.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "cairn-application"

#include "config.h"

#include <glib/gi18n.h>
#include <stdio.h>
#include <unistd.h>

#include "cairn-application.h"
#include "cairn-context.h"
#include "cairn-demo.h"
#include "cairn-lock-monitor.h"
#include "cairn-secret-input.h"
#include "cairn-vault.h"
#include "cairn-preferences-window.h"
#include "cairn-window.h"

struct _CairnApplication
{
  AdwApplication  parent_instance;

  GSettings        *settings;
  CairnContext     *context;         /* the vault, the protocol, the clock: what every page works in */
  CairnLockMonitor *lock_monitor;
};

G_DEFINE_FINAL_TYPE (CairnApplication, cairn_application, ADW_TYPE_APPLICATION)

static const GOptionEntry option_entries[] = {
  { "version", 0, G_OPTION_FLAG_NONE, G_OPTION_ARG_NONE, NULL,
    N_("Show the version of Cairn and exit"), NULL },
  { "vault", 0, G_OPTION_FLAG_NONE, G_OPTION_ARG_FILENAME, NULL,
    N_("Use the vault in DIR instead of the default place"), N_("DIR") },
  { "create-vault", 0, G_OPTION_FLAG_NONE, G_OPTION_ARG_NONE, NULL,
    N_("Create a vault with one clinician, reading the passphrase from standard input; "
       "print the recovery key and exit"), NULL },
  { "check-vault", 0, G_OPTION_FLAG_NONE, G_OPTION_ARG_NONE, NULL,
    N_("Authenticate every page of the vault and check its databases, reading the "
       "passphrase from standard input; exit 0 when it is sound"), NULL },
  { "practice", 0, G_OPTION_FLAG_NONE, G_OPTION_ARG_STRING, NULL,
    N_("The practice’s name, with --create-vault"), N_("NAME") },
  { "time-zone", 0, G_OPTION_FLAG_NONE, G_OPTION_ARG_STRING, NULL,
    N_("The practice’s time zone, with --create-vault (default: this computer’s)"), N_("ZONE") },
  { "user", 0, G_OPTION_FLAG_NONE, G_OPTION_ARG_STRING, NULL,
    N_("Who you are, with --create-vault or --check-vault"), N_("NAME") },
  { "demo", 0, G_OPTION_FLAG_NONE, G_OPTION_ARG_NONE, NULL,
    N_("Open a demo practice with fictional patients (made in a throwaway folder, or in the one "
       "given with --vault); user “demo”, passphrase “demo”"), NULL },
  { NULL }
};

/**
 * cairn_color_scheme_from_nick:
 * @nick: a value of the `color-scheme` setting
 *
 * "default" follows the desktop's style preference, falling back to light
 * where the desktop has none; "light" and "dark" force that style.
 *
 * Returns: the libadwaita colour scheme for @nick
 */
AdwColorScheme
cairn_color_scheme_from_nick (const char *nick)
{
  if (g_strcmp0 (nick, "light") == 0)
    return ADW_COLOR_SCHEME_FORCE_LIGHT;
  if (g_strcmp0 (nick, "dark") == 0)
    return ADW_COLOR_SCHEME_FORCE_DARK;
  return ADW_COLOR_SCHEME_DEFAULT;
}

static void
cairn_application_apply_color_scheme (CairnApplication *self)
{
  g_autofree char *nick = g_settings_get_string (self->settings, "color-scheme");

  adw_style_manager_set_color_scheme (adw_style_manager_get_default (),
                                      cairn_color_scheme_from_nick (nick));
}

static void
on_color_scheme_changed_cb (CairnApplication *self,
                            const char       *key,
                            GSettings        *settings)
{
  cairn_application_apply_color_scheme (self);
}

static void
cairn_application_about_action (GSimpleAction *action,
                                GVariant      *parameter,
                                gpointer       user_data)
{
  CairnApplication *self = user_data;
  static const char *developers[] = { "The Cairn developers", NULL };
  AdwAboutWindow *about;

  about = g_object_new (ADW_TYPE_ABOUT_WINDOW,
                        "transient-for", gtk_application_get_active_window (GTK_APPLICATION (self)),
                        "modal", TRUE,
                        "application-icon", APP_ID,
                        "application-name", _("Cairn"),
                        "developer-name", _("The Cairn developers"),
                        "developers", developers,
                        "version", PACKAGE_VERSION,
                        "comments", _("Cairn keeps a small practice’s patients, schedule and "
                                      "clinical records for psychedelic-assisted therapy in an "
                                      "encrypted vault on your own computer."),
                        "copyright", _("© 2026 The Cairn developers"),
                        "license-type", GTK_LICENSE_GPL_3_0,
                        "translator-credits", _("translator-credits"),
                        NULL);
  gtk_window_present (GTK_WINDOW (about));
}

static void
cairn_application_preferences_action (GSimpleAction *action,
                                      GVariant      *parameter,
                                      gpointer       user_data)
{
  CairnApplication *self = user_data;
  GtkWindow *parent = gtk_application_get_active_window (GTK_APPLICATION (self));
  CairnPreferencesWindow *preferences = cairn_preferences_window_new (self->context, parent);

  gtk_window_present (GTK_WINDOW (preferences));
}

static void
cairn_application_quit_action (GSimpleAction *action,
                               GVariant      *parameter,
                               gpointer       user_data)
{
  CairnApplication *self = user_data;
  GList *windows = gtk_application_get_windows (GTK_APPLICATION (self));

  /* Close rather than destroy, so each window saves its state on the way out;
   * the application quits by itself when its last window is gone. */
  for (GList *l = windows; l != NULL; )
    {
      GtkWindow *window = l->data;

      l = l->next;
      gtk_window_close (window);
    }
}

static void
cairn_application_lock_action (GSimpleAction *action,
                               GVariant      *parameter,
                               gpointer       user_data)
{
  cairn_application_lock (CAIRN_APPLICATION (user_data));
}

static void
on_lock_requested_cb (CairnApplication *self,
                      const char       *reason,
                      CairnLockMonitor *monitor)
{
  cairn_application_lock (self);
}

/* Locked, every window but the main ones closes (preferences, dialogs, the
 * forms they opened) before the keys are wiped; the main windows follow
 * the context themselves. Unlocked, the lock policy applies. */
static void
on_vault_changed_cb (CairnApplication *self)
{
  gboolean unlocked = cairn_context_is_unlocked (self->context);

  cairn_lock_monitor_set_timeout (self->lock_monitor, cairn_context_get_auto_lock_seconds (self->context));
  cairn_lock_monitor_set_armed (self->lock_monitor, unlocked);
  g_simple_action_set_enabled (G_SIMPLE_ACTION (g_action_map_lookup_action (G_ACTION_MAP (self), "lock")),
                               unlocked);
  if (!unlocked)
    {
      GList *windows = g_list_copy (gtk_application_get_windows (GTK_APPLICATION (self)));

      for (GList *l = windows; l != NULL; l = l->next)
        if (!CAIRN_IS_WINDOW (l->data))
          gtk_window_destroy (l->data);
      g_list_free (windows);
    }
}

static void
on_auto_lock_changed_cb (CairnApplication *self)
{
  cairn_lock_monitor_set_timeout (self->lock_monitor, cairn_context_get_auto_lock_seconds (self->context));
}

static void
on_window_added_cb (CairnApplication *self,
                    GtkWindow        *window,
                    GtkApplication   *application)
{
  cairn_lock_monitor_watch (self->lock_monitor, window);
}

static const GActionEntry app_actions[] = {
  { "about", cairn_application_about_action },
  { "lock", cairn_application_lock_action },
  { "preferences", cairn_application_preferences_action },
  { "quit", cairn_application_quit_action },
};

/* cairn --create-vault: a vault for scripts and tests, without the
 * assistant. The recovery key is the only thing printed on standard output. */
static int
cairn_application_create_vault (const char *dir,
                                const char *practice,
                                const char *time_zone,
                                const char *user)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CairnVault) vault = NULL;
  g_autofree char *recovery = NULL;
  g_autofree char *local_zone = NULL;
  char *passphrase;

  if (practice == NULL || user == NULL)
    {
      g_printerr (_("--create-vault needs --practice NAME and --user NAME.\n"));
      return 2;
    }
  if (time_zone == NULL)
    {
      g_autoptr(GTimeZone) zone = g_time_zone_new_local ();

      local_zone = g_strdup (g_time_zone_get_identifier (zone));
      time_zone = local_zone;
    }

  passphrase = cairn_secret_read_line (0, _("Passphrase: "), &error);
  if (passphrase == NULL)
    {
      g_printerr ("%s\n", error->message);
      return 2;
    }
  if (isatty (0))
    {
      char *again = cairn_secret_read_line (0, _("Passphrase again: "), NULL);
      gboolean same = again != NULL && g_strcmp0 (again, passphrase) == 0;

      cairn_secret_free (again);
      if (!same)
        {
          cairn_secret_free (passphrase);
          g_printerr (_("The two passphrases differ. Nothing was created.\n"));
          return 2;
        }
    }

  vault = cairn_vault_create (dir, practice, time_zone, user, passphrase, NULL, &recovery, &error);
  cairn_secret_free (passphrase);
  if (vault == NULL)
    {
      g_printerr (_("The vault was not created: %s\n"), error->message);
      return 1;
    }

  g_printerr (_("Created the vault in %s. Write down the recovery key below and keep it somewhere safe: "
                "it opens the vault if every passphrase is forgotten, and Cairn will not show it again.\n"),
              dir);
  g_print ("%s\n", recovery);
  return 0;
}

static int
cairn_application_check_vault (const char *dir,
                               const char *user)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *report = NULL;
  char *passphrase;
  gboolean sound;

  if (user == NULL)
    {
      g_printerr (_("--check-vault needs --user NAME.\n"));
      return 2;
    }

  passphrase = cairn_secret_read_line (0, _("Passphrase: "), &error);
  if (passphrase == NULL)
    {
      g_printerr ("%s\n", error->message);
      return 2;
    }
  sound = cairn_vault_check (dir, user, passphrase, &report, &error);
  cairn_secret_free (passphrase);

  if (!sound)
    {
      g_printerr (_("The vault in %s is not sound: %s\n"), dir, error->message);
      return 1;
    }

  g_print ("%s", report);
  g_print (_("The vault in %s is sound.\n"), dir);
  return 0;
}

static int
cairn_application_handle_local_options (GApplication *application,
                                        GVariantDict *options)
{
  CairnApplication *self = CAIRN_APPLICATION (application);
  const char *dir = NULL;
  const char *practice = NULL;
  const char *time_zone = NULL;
  const char *user = NULL;
  g_autoptr(GError) error = NULL;

  if (g_variant_dict_contains (options, "version"))
    {
      g_print ("%s %s\n", PACKAGE_NAME, PACKAGE_VERSION);
      return EXIT_SUCCESS;
    }

  if (g_variant_dict_lookup (options, "vault", "^&ay", &dir))
    {
      g_autofree char *canonical = g_canonicalize_filename (dir, NULL);

      cairn_context_set_vault_dir (self->context, canonical);
    }
  g_variant_dict_lookup (options, "practice", "&s", &practice);
  g_variant_dict_lookup (options, "time-zone", "&s", &time_zone);
  g_variant_dict_lookup (options, "user", "&s", &user);

  if (g_variant_dict_contains (options, "demo"))
    {
      g_autoptr(GDateTime) now = g_date_time_new_now_local ();

      /* Never the real vault: a folder of its own, unless one was named. */
      if (!g_variant_dict_contains (options, "vault"))
        {
          g_autofree char *demo_dir = g_build_filename (g_get_user_runtime_dir (), "cairn-demo", NULL);

          cairn_context_set_vault_dir (self->context, demo_dir);
        }
      if (!cairn_vfs_init (&error))
        {
          g_printerr ("%s\n", error->message);
          return EXIT_FAILURE;
        }
      if (!cairn_vault_exists (cairn_context_get_vault_dir (self->context)))
        {
          g_print (_("Making a demo practice in %s…\n"), cairn_context_get_vault_dir (self->context));
          if (!cairn_demo_create (cairn_context_get_vault_dir (self->context), now, &error))
            {
              g_printerr (_("The demo practice could not be made: %s\n"), error->message);
              return EXIT_FAILURE;
            }
        }
      cairn_context_set_demo (self->context, TRUE);
    }

  if (g_variant_dict_contains (options, "create-vault") || g_variant_dict_contains (options, "check-vault"))
    {
      if (!cairn_vfs_init (&error))
        {
          g_printerr ("%s\n", error->message);
          return EXIT_FAILURE;
        }
      if (g_variant_dict_contains (options, "create-vault"))
        return cairn_application_create_vault (cairn_context_get_vault_dir (self->context), practice, time_zone, user);
      return cairn_application_check_vault (cairn_context_get_vault_dir (self->context), user);
    }

  return G_APPLICATION_CLASS (cairn_application_parent_class)->handle_local_options (application, options);
}

static void
cairn_application_startup (GApplication *application)
{
  CairnApplication *self = CAIRN_APPLICATION (application);
  g_autoptr(GAction) color_scheme_action = NULL;
  g_autoptr(GError) error = NULL;
  static const struct {
    const char *action;
    const char *accels[2];
  } accels[] = {
    { "app.lock", { "<Control>l", NULL } },
    { "app.preferences", { "<Control>comma", NULL } },
    { "app.quit", { "<Control>q", NULL } },
    { "window.close", { "<Control>w", NULL } },
    { "win.show-help-overlay", { "<Control>question", NULL } },
  };

  G_APPLICATION_CLASS (cairn_application_parent_class)->startup (application);

  /* Before anything opens a database: the zeroing allocator and the
   * encrypting VFS must be SQLite's only ones. */
  if (!cairn_vfs_init (&error))
    g_error ("Cairn cannot protect its vault on this system: %s", error->message);

  g_action_map_add_action_entries (G_ACTION_MAP (self), app_actions,
                                   G_N_ELEMENTS (app_actions), self);
  g_simple_action_set_enabled (G_SIMPLE_ACTION (g_action_map_lookup_action (G_ACTION_MAP (self), "lock")),
                               FALSE);

  self->lock_monitor = cairn_lock_monitor_new ();
  g_signal_connect_object (self->lock_monitor, "lock-requested",
                           G_CALLBACK (on_lock_requested_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self, "window-added", G_CALLBACK (on_window_added_cb), self,
                           G_CONNECT_SWAPPED);
  /* Before any window connects: dialogs close before the pages clear. */
  g_signal_connect_object (self->context, "notify::vault", G_CALLBACK (on_vault_changed_cb), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (self->context, "notify::auto-lock-seconds", G_CALLBACK (on_auto_lock_changed_cb),
                           self, G_CONNECT_SWAPPED);

  /* The setting is the single source of truth: the action reflects it, and
   * the Preferences window's radio rows are bound to the action. */
  self->settings = g_settings_new (APP_ID);
  color_scheme_action = g_settings_create_action (self->settings, "color-scheme");
  g_action_map_add_action (G_ACTION_MAP (self), color_scheme_action);
  g_signal_connect_object (self->settings, "changed::color-scheme",
                           G_CALLBACK (on_color_scheme_changed_cb), self,
                           G_CONNECT_SWAPPED);
  cairn_application_apply_color_scheme (self);

  for (guint i = 0; i < G_N_ELEMENTS (accels); i++)
    gtk_application_set_accels_for_action (GTK_APPLICATION (self),
                                           accels[i].action, accels[i].accels);

  for (guint i = 0; i < CAIRN_WINDOW_N_PAGES; i++)
    {
      g_autofree char *detailed = g_strdup_printf ("win.show-page('%s')",
                                                   cairn_window_page_names[i]);
      g_autofree char *accel = g_strdup_printf ("<Alt>%u", i + 1);
      const char *page_accels[] = { accel, NULL };

      gtk_application_set_accels_for_action (GTK_APPLICATION (self), detailed, page_accels);
    }
}

static void
cairn_application_activate (GApplication *application)
{
  GtkWindow *window = gtk_application_get_active_window (GTK_APPLICATION (application));

  if (window == NULL)
    window = GTK_WINDOW (cairn_window_new (CAIRN_APPLICATION (application)->context, GTK_APPLICATION (application)));

  gtk_window_present (window);
}

static void
cairn_application_shutdown (GApplication *application)
{
  CairnApplication *self = CAIRN_APPLICATION (application);

  /* Quitting locks: the keys are wiped and the lock is in the audit trail. */
  cairn_context_lock (self->context);

  G_APPLICATION_CLASS (cairn_application_parent_class)->shutdown (application);
}

static void
cairn_application_dispose (GObject *object)
{
  CairnApplication *self = CAIRN_APPLICATION (object);

  if (self->context != NULL)
    cairn_context_lock (self->context);
  g_clear_object (&self->context);
  g_clear_object (&self->lock_monitor);
  g_clear_object (&self->settings);

  G_OBJECT_CLASS (cairn_application_parent_class)->dispose (object);
}

static void
cairn_application_class_init (CairnApplicationClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GApplicationClass *app_class = G_APPLICATION_CLASS (klass);

  object_class->dispose = cairn_application_dispose;

  app_class->activate = cairn_application_activate;
  app_class->shutdown = cairn_application_shutdown;
  app_class->startup = cairn_application_startup;
  app_class->handle_local_options = cairn_application_handle_local_options;
}

static void
cairn_application_init (CairnApplication *self)
{
  self->context = cairn_context_new (NULL, FALSE);
  g_application_add_main_option_entries (G_APPLICATION (self), option_entries);
  g_application_set_option_context_summary (G_APPLICATION (self),
                                            _("Patients, schedule and clinical records for "
                                              "psychedelic-assisted therapy, in an encrypted "
                                              "vault on this computer."));
}

/**
 * cairn_application_new:
 * @flags: #GApplicationFlags; Cairn itself runs with %G_APPLICATION_DEFAULT_FLAGS
 *   (one instance per desktop session), tests with %G_APPLICATION_NON_UNIQUE
 *
 * Returns: (transfer full): a new #CairnApplication
 */
CairnApplication *
cairn_application_new (GApplicationFlags flags)
{
  return g_object_new (CAIRN_TYPE_APPLICATION,
                       "application-id", APP_ID,
                       "flags", flags,
                       NULL);
}

/**
 * cairn_application_get_settings:
 * @self: a #CairnApplication
 *
 * Returns: (transfer none): the application's settings, once started up
 */
GSettings *
cairn_application_get_settings (CairnApplication *self)
{
  g_return_val_if_fail (CAIRN_IS_APPLICATION (self), NULL);

  return self->settings;
}

/**
 * cairn_application_get_vault_dir:
 * @self: a #CairnApplication
 *
 * Returns: (transfer none): the vault folder this instance uses: the
 *   default one, or the one given with `--vault`
 */
const char *
cairn_application_get_vault_dir (CairnApplication *self)
{
  g_return_val_if_fail (CAIRN_IS_APPLICATION (self), NULL);

  return cairn_context_get_vault_dir (self->context);
}

/**
 * cairn_application_set_vault_dir:
 * @self: a #CairnApplication
 * @dir: a vault folder
 *
 * For tests: use @dir, as `--vault` does.
 */
void
cairn_application_set_vault_dir (CairnApplication *self,
                                 const char       *dir)
{
  g_return_if_fail (CAIRN_IS_APPLICATION (self));
  g_return_if_fail (dir != NULL);

  cairn_context_set_vault_dir (self->context, dir);
}

/**
 * cairn_application_get_context:
 * @self: a #CairnApplication
 *
 * Returns: (transfer none): what every window, page and dialog works in
 */
CairnContext *
cairn_application_get_context (CairnApplication *self)
{
  g_return_val_if_fail (CAIRN_IS_APPLICATION (self), NULL);

  return self->context;
}

/**
 * cairn_application_get_vault:
 * @self: a #CairnApplication
 *
 * Returns: (transfer none) (nullable): the unlocked vault, or %NULL
 */
CairnVault *
cairn_application_get_vault (CairnApplication *self)
{
  g_return_val_if_fail (CAIRN_IS_APPLICATION (self), NULL);

  return cairn_context_get_vault (self->context);
}

/**
 * cairn_application_get_protocol:
 * @self: a #CairnApplication
 *
 * Returns: (transfer none): the practice's protocol template, or the
 *   default one until it has been read (and while locked)
 */
CairnProtocol *
cairn_application_get_protocol (CairnApplication *self)
{
  g_return_val_if_fail (CAIRN_IS_APPLICATION (self), NULL);

  return cairn_context_get_protocol (self->context);
}

/**
 * cairn_application_set_vault:
 * @self: a #CairnApplication
 * @vault: a vault that was just unlocked (or created)
 *
 * Cairn is unlocked from now on: the windows show it, and the lock policy
 * of @vault starts to apply.
 */
void
cairn_application_set_vault (CairnApplication *self,
                             CairnVault       *vault)
{
  g_return_if_fail (CAIRN_IS_APPLICATION (self));

  cairn_context_set_vault (self->context, vault);
}

/**
 * cairn_application_lock:
 * @self: a #CairnApplication
 *
 * Locks now: closes every window but the main ones (preferences, dialogs),
 * wipes the keys, closes the databases, and lets the main windows drop
 * what they showed and show the unlock page.
 */
void
cairn_application_lock (CairnApplication *self)
{
  g_return_if_fail (CAIRN_IS_APPLICATION (self));

  cairn_context_lock (self->context);
}

/**
 * cairn_application_get_lock_monitor:
 * @self: a #CairnApplication
 *
 * Returns: (transfer none): what decides when Cairn locks by itself
 */
CairnLockMonitor *
cairn_application_get_lock_monitor (CairnApplication *self)
{
  g_return_val_if_fail (CAIRN_IS_APPLICATION (self), NULL);

  return self->lock_monitor;
}

/**
 * cairn_application_get_demo:
 * @self: a #CairnApplication
 *
 * Returns: %TRUE when Cairn was started with `--demo`
 */
gboolean
cairn_application_get_demo (CairnApplication *self)
{
  g_return_val_if_fail (CAIRN_IS_APPLICATION (self), FALSE);

  return cairn_context_get_demo (self->context);
}
