/* cairn-test-utils.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include "cairn-audit.h"
#include "cairn-loader.h"
#include "cairn-patients.h"
#include "cairn-schedule.h"
#include "cairn-test-utils.h"

static CairnApplication *test_application;

static char *isolated_home;

/* Where every log line goes too, when a test asks (cairn_test_capture_log). */
static CairnTestLogFunc log_capture;
static gpointer         log_capture_data;

static void
remove_recursively (GFile *file)
{
  g_autoptr(GFileEnumerator) children = NULL;

  children = g_file_enumerate_children (file, G_FILE_ATTRIBUTE_STANDARD_NAME,
                                        G_FILE_QUERY_INFO_NOFOLLOW_SYMLINKS, NULL, NULL);
  if (children != NULL)
    {
      GFile *child;

      while (g_file_enumerator_iterate (children, NULL, &child, NULL, NULL) && child != NULL)
        remove_recursively (child);
    }

  g_file_delete (file, NULL, NULL);
}

/**
 * cairn_test_init_gtk:
 *
 * Initializes GTest, then GTK and libadwaita, in a fresh home of its own.
 *
 * The user's directories (home, data, config, cache, state) point into a new
 * temporary folder, so no test reads or writes a real vault or real settings.
 * The system's read-only directories stay as they are: the icon theme, the
 * MIME database and the fonts are the ones a user's session has. (GTest's
 * G_TEST_OPTION_ISOLATE_DIRS hides those too, and then no SVG icon loads.)
 *
 * A missing display is a failure, never a skip: a UI suite that silently
 * skips is a UI suite that tests nothing.
 */
/* GTK 4.8 warns when a text field gets the focus again without having lost
 * it, which happens under Xvfb, where no window manager moves the focus
 * between a window and a dialog over it. The warning says nothing about
 * Cairn; every other warning still fails the test. */
static GLogWriterOutput
write_log (GLogLevelFlags   log_level,
           const GLogField *fields,
           gsize            n_fields,
           gpointer         user_data)
{
  /* What is captured is only printed when it matters: debug and info lines
   * go to the capture alone. */
  if (log_capture != NULL)
    {
      log_capture (log_level, fields, n_fields, log_capture_data);
      if ((log_level & (G_LOG_LEVEL_DEBUG | G_LOG_LEVEL_INFO)) != 0)
        return G_LOG_WRITER_HANDLED;
    }

  if ((log_level & G_LOG_LEVEL_WARNING) != 0)
    for (gsize i = 0; i < n_fields; i++)
      if (g_strcmp0 (fields[i].key, "MESSAGE") == 0 && fields[i].length < 0 &&
          strstr (fields[i].value, "did not receive a focus-out event") != NULL)
        return G_LOG_WRITER_HANDLED;
  return g_log_writer_default (log_level, fields, n_fields, user_data);
}

/**
 * cairn_test_capture_log:
 * @func: called with every line logged, from whichever thread logs it
 * @user_data: data for @func
 *
 * Hands every log line to @func, debug lines included when
 * `G_MESSAGES_DEBUG` lets them through; from then on debug and info lines
 * are no longer printed. GLib takes one log writer per process, the one
 * cairn_test_init_gtk() installs: call this before it to capture from the
 * first line on.
 */
void
cairn_test_capture_log (CairnTestLogFunc func,
                        gpointer         user_data)
{
  log_capture_data = user_data;
  log_capture = func;
}

void
cairn_test_init_gtk (int    *argc,
                     char ***argv)
{
  static const struct {
    const char *variable;
    const char *subdir;
  } user_dirs[] = {
    { "HOME", "" },
    { "XDG_DATA_HOME", ".local/share" },
    { "XDG_CONFIG_HOME", ".config" },
    { "XDG_CACHE_HOME", ".cache" },
    { "XDG_STATE_HOME", ".local/state" },
  };
  g_autoptr(GError) error = NULL;

  g_log_set_writer_func (write_log, NULL, NULL);
  isolated_home = g_dir_make_tmp ("cairn-test-XXXXXX", &error);
  g_assert_no_error (error);

  for (guint i = 0; i < G_N_ELEMENTS (user_dirs); i++)
    {
      g_autofree char *path = g_build_filename (isolated_home, user_dirs[i].subdir, NULL);

      g_assert_cmpint (g_mkdir_with_parents (path, 0700), ==, 0);
      g_setenv (user_dirs[i].variable, path, TRUE);
    }

  g_test_init (argc, argv, NULL);

  if (!gtk_init_check ())
    g_error ("No display: run the UI tests under Xvfb (see build-aux/test)");

  adw_init ();
}

/**
 * cairn_test_run:
 *
 * Runs the tests, then removes the temporary home.
 *
 * Returns: the exit status for main()
 */
int
cairn_test_run (void)
{
  g_autoptr(GFile) home = NULL;
  int status;

  status = g_test_run ();

  g_clear_object (&test_application);
  home = g_file_new_for_path (isolated_home);
  remove_recursively (home);
  g_clear_pointer (&isolated_home, g_free);

  return status;
}

/**
 * cairn_test_get_application:
 *
 * One application per test program, registered (so started up) but not run:
 * the tests drive it by activating its actions and iterating the main context.
 * It is non-unique so that test programs running in parallel on one session
 * bus do not hand their work to each other.
 */
CairnApplication *
cairn_test_get_application (void)
{
  if (test_application == NULL)
    {
      g_autoptr(GError) error = NULL;

      test_application = cairn_application_new (G_APPLICATION_NON_UNIQUE);
      g_application_register (G_APPLICATION (test_application), NULL, &error);
      g_assert_no_error (error);
    }

  return test_application;
}

/**
 * cairn_test_get_context:
 *
 * Returns: (transfer none): the test application's context, which
 *   cairn_test_unlock() hands the vault to: what a page or dialog made by a
 *   test is given
 */
CairnContext *
cairn_test_get_context (void)
{
  return cairn_application_get_context (cairn_test_get_application ());
}

/**
 * cairn_test_reset:
 *
 * Destroys every window and resets every setting to its default, so that each
 * test starts as a first launch would.
 */
void
cairn_test_reset (void)
{
  CairnApplication *app = cairn_test_get_application ();
  GSettings *settings = cairn_application_get_settings (app);
  g_autoptr(GSettingsSchema) schema = NULL;
  g_autoptr(CairnVault) vault = NULL;
  g_auto(GStrv) keys = NULL;
  GList *toplevels;

  /* Held past the lock: what the last test queued still answers, here
   * rather than in the next test. */
  if (cairn_application_get_vault (app) != NULL)
    vault = g_object_ref (cairn_application_get_vault (app));
  cairn_application_lock (app);
  cairn_application_set_vault_dir (app, cairn_test_vault_dir ());

  toplevels = gtk_window_list_toplevels ();
  for (GList *l = toplevels; l != NULL; l = l->next)
    gtk_window_destroy (l->data);
  g_list_free (toplevels);

  g_object_get (settings, "settings-schema", &schema, NULL);
  keys = g_settings_schema_list_keys (schema);
  for (guint i = 0; keys[i] != NULL; i++)
    g_settings_reset (settings, keys[i]);

  cairn_test_wait_idle (vault);
}

static gpointer
exec_job (CairnVault    *vault,
          gpointer       data,
          GCancellable  *cancellable,
          GError       **error)
{
  const char *sql = data;
  gboolean clinical = g_str_has_prefix (sql, "clinical:");
  CairnDatabase *db = clinical ? cairn_vault_get_clinical (vault) : cairn_vault_get_practice (vault);

  return cairn_database_exec (db, clinical ? sql + strlen ("clinical:") : sql, error) ? data : NULL;
}

/**
 * cairn_test_exec:
 * @vault: an unlocked vault
 * @sql: SQL for practice.db, or for clinical.db after "clinical:"
 *
 * Runs @sql on the vault's worker, as a fault a test puts in (a table
 * renamed away) or takes out again; the test fails if it cannot.
 */
void
cairn_test_exec (CairnVault *vault,
                 const char *sql)
{
  g_assert_nonnull (cairn_test_run_job (vault, exec_job, (gpointer) sql));
}

/**
 * cairn_test_loader_failed:
 * @root: where the screen's #CairnLoader is
 *
 * A #CairnTestCondition: the loader shows its failed read, and is not
 * reading again.
 */
gboolean
cairn_test_loader_failed (gpointer root)
{
  CairnLoader *loader = CAIRN_LOADER (cairn_test_find_descendant (root, CAIRN_TYPE_LOADER, NULL));

  return cairn_loader_get_failed (loader) && !cairn_loader_get_busy (loader);
}

/**
 * cairn_test_unmapped:
 * @widget: a widget
 *
 * A #CairnTestCondition: @widget is not on screen (once a stack's
 * crossfade is over, say).
 */
gboolean
cairn_test_unmapped (gpointer widget)
{
  return !gtk_widget_get_mapped (widget);
}

/**
 * cairn_test_wait_until:
 *
 * Iterates the main context until @condition holds or @timeout_ms passes.
 * GTK does some things on a later frame (a button's clicked signal comes
 * ~250 ms after gtk_widget_activate(), allocation after present()).
 * Under valgrind (`meson test --setup valgrind`) everything is many times
 * slower: CAIRN_TEST_SLOWER, set by that setup, multiplies every wait.
 *
 * Returns: whether @condition held in time
 */
gboolean
cairn_test_wait_until (CairnTestCondition condition,
                       gpointer           user_data,
                       guint              timeout_ms)
{
  static gint64 slower = 0;
  gint64 deadline;

  if (slower == 0)
    {
      const char *factor = g_getenv ("CAIRN_TEST_SLOWER");

      slower = MAX (1, factor != NULL ? g_ascii_strtoll (factor, NULL, 10) : 1);
    }
  deadline = g_get_monotonic_time () + (gint64) timeout_ms * 1000 * slower;

  while (!condition (user_data))
    {
      if (g_get_monotonic_time () > deadline)
        return FALSE;
      g_main_context_iteration (NULL, FALSE);
      g_usleep (1000);
    }

  return TRUE;
}

static gboolean
never (gpointer user_data)
{
  return FALSE;
}

void
cairn_test_iterate (guint ms)
{
  cairn_test_wait_until (never, NULL, ms);
}

static gboolean
settled (gpointer user_data)
{
  CairnVault *vault = user_data;

  return (vault == NULL || !cairn_vault_is_busy (vault)) && !g_main_context_pending (NULL);
}

/**
 * cairn_test_wait_idle:
 * @vault: (nullable): a vault, unlocked or locked since
 *
 * Waits until every job queued on @vault has finished and its callback has
 * run (a job queued by a callback too), and the main context has nothing
 * ready to dispatch: whatever the work queued so far would show or write
 * is there now. What is absent then was not merely slow. With %NULL, waits
 * for the main context alone. Fails the test after ten seconds.
 */
void
cairn_test_wait_idle (CairnVault *vault)
{
  if (!cairn_test_wait_until (settled, vault, 10000))
    g_error ("The vault's worker or the main loop never came to rest (%s)",
             vault != NULL && cairn_vault_is_busy (vault) ? "a job is still out" : "events keep coming");
}

static void
on_after_paint_cb (GdkFrameClock *clock,
                   gboolean      *painted)
{
  *painted = TRUE;
}

static gboolean
is_true (gpointer user_data)
{
  return *(gboolean *) user_data;
}

/**
 * cairn_test_wait_painted:
 * @widget: a mapped widget
 *
 * Asks for @widget to be drawn and waits until its window has painted a
 * frame with it; fails the test after five seconds.
 */
void
cairn_test_wait_painted (GtkWidget *widget)
{
  GdkFrameClock *clock;
  gboolean painted = FALSE;
  gulong handler;

  g_assert_true (gtk_widget_get_mapped (widget));
  clock = gtk_widget_get_frame_clock (widget);
  g_assert_nonnull (clock);
  handler = g_signal_connect (clock, "after-paint", G_CALLBACK (on_after_paint_cb), &painted);
  gtk_widget_queue_draw (widget);
  if (!cairn_test_wait_until (is_true, &painted, 5000))
    g_error ("No frame was painted with the %s", G_OBJECT_TYPE_NAME (widget));
  g_signal_handler_disconnect (clock, handler);
}

GtkWindow *
cairn_test_find_toplevel (GType type)
{
  GList *toplevels = gtk_window_list_toplevels ();
  GtkWindow *found = NULL;

  for (GList *l = toplevels; l != NULL; l = l->next)
    {
      if (G_TYPE_CHECK_INSTANCE_TYPE (l->data, type) && gtk_widget_get_visible (l->data))
        {
          found = l->data;
          break;
        }
    }

  g_list_free (toplevels);

  return found;
}

typedef struct
{
  GType      type;
  GtkWindow *found;
} ToplevelWait;

static gboolean
toplevel_shown (gpointer user_data)
{
  ToplevelWait *wait = user_data;

  wait->found = cairn_test_find_toplevel (wait->type);
  return wait->found != NULL;
}

static gboolean
toplevel_gone (gpointer user_data)
{
  return !toplevel_shown (user_data);
}

/**
 * cairn_test_wait_for_toplevel:
 * @type: a window type
 *
 * Waits for a visible window of @type; the test fails when none comes
 * within five seconds.
 *
 * Returns: (transfer none): the window
 */
GtkWindow *
cairn_test_wait_for_toplevel (GType type)
{
  ToplevelWait wait = { type, NULL };

  if (!cairn_test_wait_until (toplevel_shown, &wait, 5000))
    g_error ("No %s was shown", g_type_name (type));
  return wait.found;
}

/**
 * cairn_test_wait_toplevel_gone:
 * @type: a window type
 *
 * Waits until no visible window of @type is left; the test fails when one
 * stays for five seconds.
 */
void
cairn_test_wait_toplevel_gone (GType type)
{
  ToplevelWait wait = { type, NULL };

  if (!cairn_test_wait_until (toplevel_gone, &wait, 5000))
    g_error ("The %s stayed", g_type_name (type));
}

/**
 * cairn_test_find_descendant:
 * @root: where to start
 * @type: the type to find
 * @css_class: (nullable): a style class the widget must have
 *
 * Returns: (transfer none) (nullable): the first widget below @root, depth
 *   first, of @type and with @css_class
 */
GtkWidget *
cairn_test_find_descendant (GtkWidget  *root,
                            GType       type,
                            const char *css_class)
{
  if (G_TYPE_CHECK_INSTANCE_TYPE (root, type) &&
      (css_class == NULL || gtk_widget_has_css_class (root, css_class)))
    return root;

  for (GtkWidget *child = gtk_widget_get_first_child (root);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = cairn_test_find_descendant (child, type, css_class);

      if (found != NULL)
        return found;
    }

  return NULL;
}

/* ------------------------------------------------------------------------ */
/* A real vault for the tests, with cheap key derivation                     */

const CairnKdfParams cairn_test_kdf_params = { 1, 8 * 1024 * 1024 };

/**
 * cairn_test_vault_dir:
 *
 * Returns: (transfer none): where the tests' vault lives, inside the
 *   isolated home
 */
const char *
cairn_test_vault_dir (void)
{
  static char *dir;

  if (dir == NULL)
    dir = g_build_filename (g_get_user_data_dir (), "cairn-test-vault", NULL);
  return dir;
}

/**
 * cairn_test_ensure_vault:
 *
 * Makes the tests' vault unless it exists: practice "Quell Practice", the
 * clinician %CAIRN_TEST_CLINICIAN and the front-desk user %CAIRN_TEST_DESK.
 */
void
cairn_test_ensure_vault (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CairnVault) vault = NULL;
  g_autofree char *recovery = NULL;

  if (cairn_vault_exists (cairn_test_vault_dir ()))
    return;

  vault = cairn_vault_create (cairn_test_vault_dir (), "Quell Practice", "Europe/Berlin",
                              CAIRN_TEST_CLINICIAN, CAIRN_TEST_PASSPHRASE, &cairn_test_kdf_params,
                              &recovery, &error);
  g_assert_no_error (error);
  g_assert_true (cairn_vault_add_user (vault, CAIRN_TEST_DESK, CAIRN_ROLE_FRONT_DESK,
                                       CAIRN_TEST_DESK_PASSPHRASE, &cairn_test_kdf_params, &error));
  g_assert_no_error (error);
}

/**
 * cairn_test_remove_vault:
 *
 * Removes the tests' vault, for a test of the first run.
 */
void
cairn_test_remove_vault (void)
{
  g_autoptr(GFile) dir = g_file_new_for_path (cairn_test_vault_dir ());

  cairn_application_lock (cairn_test_get_application ());
  remove_recursively (dir);
}

/**
 * cairn_test_unlock:
 * @role: as whom
 *
 * Unlocks the tests' vault (making it first if need be) as the clinician
 * or the front desk, and hands it to the application as the unlock page
 * would.
 *
 * Returns: (transfer none): the unlocked vault
 */
CairnVault *
cairn_test_unlock (CairnRole role)
{
  CairnApplication *app = cairn_test_get_application ();
  g_autoptr(GError) error = NULL;
  g_autoptr(CairnVault) vault = NULL;

  cairn_application_lock (app);
  cairn_application_set_vault_dir (app, cairn_test_vault_dir ());
  cairn_test_ensure_vault ();
  vault = role == CAIRN_ROLE_CLINICIAN
          ? cairn_vault_unlock (cairn_test_vault_dir (), CAIRN_TEST_CLINICIAN, CAIRN_TEST_PASSPHRASE, &error)
          : cairn_vault_unlock (cairn_test_vault_dir (), CAIRN_TEST_DESK, CAIRN_TEST_DESK_PASSPHRASE, &error);
  g_assert_no_error (error);
  cairn_application_set_vault (app, vault);

  return cairn_application_get_vault (app);
}

/* ------------------------------------------------------------------------ */
/* Finding what a person would look for on the screen                        */

static gboolean
label_matches (const char *label,
               const char *wanted)
{
  g_autoptr(GString) plain = NULL;

  if (label == NULL)
    return FALSE;

  /* "_Unlock" reads "Unlock" on the screen. */
  plain = g_string_new (label);
  g_string_replace (plain, "_", "", 0);
  return g_strcmp0 (plain->str, wanted) == 0;
}

static gboolean
is_shown (GtkWidget *widget,
          GtkWidget *root)
{
  for (GtkWidget *w = widget; w != NULL && w != root; w = gtk_widget_get_parent (w))
    {
      GtkWidget *parent = gtk_widget_get_parent (w);

      if (!gtk_widget_get_visible (w))
        return FALSE;
      /* A stack's other pages are visible widgets, but not shown. */
      if (GTK_IS_STACK (parent) && gtk_stack_get_visible_child (GTK_STACK (parent)) != w)
        return FALSE;
    }
  return TRUE;
}

static GtkWidget *
find_shown (GtkWidget  *root,
            GtkWidget  *node,
            gboolean  (*match) (GtkWidget *widget, const char *text),
            const char *text)
{
  if (match (node, text) && is_shown (node, root))
    return node;

  for (GtkWidget *child = gtk_widget_get_first_child (node);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = find_shown (root, child, match, text);

      if (found != NULL)
        return found;
    }
  return NULL;
}

static gboolean
button_matches (GtkWidget  *widget,
                const char *label)
{
  GtkWidget *child;

  if (!GTK_IS_BUTTON (widget))
    return FALSE;
  if (label_matches (gtk_button_get_label (GTK_BUTTON (widget)), label))
    return TRUE;

  /* A button whose child is a box holding a spinner and a label. */
  child = gtk_button_get_child (GTK_BUTTON (widget));
  if (GTK_IS_BOX (child))
    for (GtkWidget *c = gtk_widget_get_first_child (child); c != NULL; c = gtk_widget_get_next_sibling (c))
      if (GTK_IS_LABEL (c) && label_matches (gtk_label_get_label (GTK_LABEL (c)), label))
        return TRUE;
  return FALSE;
}

static gboolean
row_matches (GtkWidget  *widget,
             const char *title)
{
  return ADW_IS_PREFERENCES_ROW (widget) &&
         label_matches (adw_preferences_row_get_title (ADW_PREFERENCES_ROW (widget)), title);
}

static gboolean
label_shows (GtkWidget  *widget,
             const char *text)
{
  return GTK_IS_LABEL (widget) && strstr (gtk_label_get_text (GTK_LABEL (widget)), text) != NULL;
}

/**
 * cairn_test_find_button:
 * @root: where to look
 * @label: the button's label as shown, without mnemonic underlines
 *
 * Returns: (transfer none): the shown button with that label; the test
 *   fails when there is none
 */
GtkWidget *
cairn_test_find_button (GtkWidget  *root,
                        const char *label)
{
  GtkWidget *found = find_shown (root, root, button_matches, label);

  if (found == NULL)
    g_error ("No button “%s” is shown", label);
  return found;
}

/**
 * cairn_test_find_row:
 * @root: where to look
 * @title: the row's title as shown
 *
 * Returns: (transfer none): the shown preferences row (an entry row, combo
 *   row, ...) with that title; the test fails when there is none
 */
GtkWidget *
cairn_test_find_row (GtkWidget  *root,
                     const char *title)
{
  GtkWidget *found = find_shown (root, root, row_matches, title);

  if (found == NULL)
    g_error ("No row “%s” is shown", title);
  return found;
}

typedef struct
{
  GAsyncResult *result;
} JobWait;

static void
job_done_cb (GObject      *source,
             GAsyncResult *result,
             gpointer      user_data)
{
  ((JobWait *) user_data)->result = g_object_ref (result);
}

static gboolean
job_finished (gpointer user_data)
{
  return ((JobWait *) user_data)->result != NULL;
}

/**
 * cairn_test_run_job:
 * @vault: the unlocked vault
 * @job: work for the vault's worker, as the application gives it
 * @data: the job's data, which the job keeps
 *
 * Runs @job on the vault's worker, where every write of the application
 * runs, and waits for it; fails the test when the job fails.
 *
 * Returns: what the job returned
 */
gpointer
cairn_test_run_job (CairnVault    *vault,
                    CairnVaultJob  job,
                    gpointer       data)
{
  g_autoptr(GError) error = NULL;
  JobWait wait = { NULL };
  gpointer result;

  cairn_vault_run_async (vault, job, data, NULL, NULL, NULL, job_done_cb, &wait);
  g_assert_true (cairn_test_wait_until (job_finished, &wait, 10000));
  result = cairn_vault_run_finish (vault, wait.result, &error);
  g_assert_no_error (error);
  g_object_unref (wait.result);
  return result;
}

/**
 * cairn_test_add_patient:
 * @db: practice.db, on the vault's worker
 * @legal_name: the patient's legal name
 * @preferred_name: (nullable): what they are called
 * @user_id: who registers them
 * @error: return location for a #GError
 *
 * Returns: (nullable): the new patient's id
 */
char *
cairn_test_add_patient (CairnDatabase  *db,
                        const char     *legal_name,
                        const char     *preferred_name,
                        const char     *user_id,
                        GError        **error)
{
  g_autoptr(CairnPatient) patient = cairn_patient_new ();

  patient->legal_name = g_strdup (legal_name);
  patient->preferred_name = g_strdup (preferred_name);
  patient->date_of_birth = g_strdup ("1980-04-02");
  return cairn_patients_save (db, patient, user_id, error) ? g_strdup (patient->id) : NULL;
}

/**
 * cairn_test_book:
 * @db: practice.db, on the vault's worker
 * @patient_id: who
 * @type_id: an appointment type of the protocol template
 * @start: UTC seconds
 * @minutes: how long
 * @room_id: (nullable): where
 * @staff_id: (nullable): with whom
 * @user_id: who books
 * @error: return location for a #GError
 *
 * Books one appointment for one staff member, through the conflict engine.
 *
 * Returns: (nullable): the appointment's id
 */
char *
cairn_test_book (CairnDatabase  *db,
                 const char     *patient_id,
                 const char     *type_id,
                 gint64          start,
                 int             minutes,
                 const char     *room_id,
                 const char     *staff_id,
                 const char     *user_id,
                 GError        **error)
{
  g_autoptr(CairnAppointment) a = cairn_appointment_new ();
  const char *staff[] = { staff_id, NULL };

  a->patient_id = g_strdup (patient_id);
  a->type_id = g_strdup (type_id);
  a->start = start;
  a->end = start + minutes * 60;
  a->room_id = g_strdup (room_id);
  a->staff_ids = g_strdupv ((char **) staff);
  return cairn_schedule_book (db, a, staff_id != NULL ? 1 : 0, room_id != NULL, NULL, user_id, error)
         ? g_strdup (a->id) : NULL;
}

/**
 * cairn_test_find_text:
 * @root: where to look
 * @text: part of a label's text
 *
 * Returns: (transfer none) (nullable): a shown label containing @text
 */
GtkWidget *
cairn_test_find_text (GtkWidget  *root,
                      const char *text)
{
  return find_shown (root, root, label_shows, text);
}

typedef struct
{
  GtkWidget  *root;
  const char *text;
  GtkWidget  *found;
} TextWait;

static gboolean
text_found (gpointer user_data)
{
  TextWait *wait = user_data;

  wait->found = cairn_test_find_text (wait->root, wait->text);
  return wait->found != NULL;
}

/**
 * cairn_test_wait_for_text:
 * @root: where to look
 * @text: part of a label's text
 *
 * Waits for a shown label containing @text; the test fails when none
 * comes within five seconds.
 *
 * Returns: (transfer none): the label
 */
GtkWidget *
cairn_test_wait_for_text (GtkWidget  *root,
                          const char *text)
{
  TextWait wait = { root, text, NULL };

  if (!cairn_test_wait_until (text_found, &wait, 5000))
    g_error ("“%s” never appeared", text);
  return wait.found;
}

/**
 * cairn_test_type:
 * @root: where to look
 * @title: an entry row's title
 * @text: what to type into it
 */
void
cairn_test_type (GtkWidget  *root,
                 const char *title,
                 const char *text)
{
  GtkWidget *row = cairn_test_find_row (root, title);

  g_assert_true (GTK_IS_EDITABLE (row));
  gtk_editable_set_text (GTK_EDITABLE (row), text);
}

/**
 * cairn_test_click:
 * @root: where to look
 * @label: a shown button's label
 *
 * Clicks it as a person would; fails the test if it cannot be clicked.
 */
void
cairn_test_click (GtkWidget  *root,
                  const char *label)
{
  GtkWidget *button = cairn_test_find_button (root, label);

  g_assert_true (gtk_widget_is_sensitive (button));
  g_signal_emit_by_name (button, "clicked");
}

/**
 * cairn_test_select:
 * @root: where to look
 * @title: a combo row's title
 * @item: the item to choose, as shown
 */
void
cairn_test_select (GtkWidget  *root,
                   const char *title,
                   const char *item)
{
  GtkWidget *row = cairn_test_find_row (root, title);
  GListModel *model;

  g_assert_true (ADW_IS_COMBO_ROW (row));
  model = adw_combo_row_get_model (ADW_COMBO_ROW (row));
  for (guint i = 0; i < g_list_model_get_n_items (model); i++)
    {
      g_autoptr(GObject) object = g_list_model_get_item (model, i);

      if (GTK_IS_STRING_OBJECT (object) &&
          g_strcmp0 (gtk_string_object_get_string (GTK_STRING_OBJECT (object)), item) == 0)
        {
          adw_combo_row_set_selected (ADW_COMBO_ROW (row), i);
          return;
        }
    }
  g_error ("“%s” has no item “%s”", title, item);
}

/**
 * cairn_test_audit_footer_entry:
 * @db: the database a report was made from
 * @text: the report's text (pdftotext)
 *
 * Finds the report's "Audit trail: N entries, head FINGERPRINT" and checks
 * that it names @db's trail as it was: N entries or more now, the Nth one's
 * hash the fingerprint's.
 *
 * Returns: (transfer full): the action of that Nth entry
 */
char *
cairn_test_audit_footer_entry (CairnDatabase *db,
                               const char    *text)
{
  g_autoptr(GRegex) regex = g_regex_new ("Audit trail: ([0-9]+) entries, head ([0-9A-F]{4}(-[0-9A-F]{4}){3})",
                                         0, 0, NULL);
  g_autoptr(GMatchInfo) match = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *n = NULL;
  g_autofree char *fingerprint = NULL;
  g_autofree char *offset = NULL;
  g_autofree char *hash = NULL;
  char *action;

  g_assert_true (g_regex_match (regex, text, 0, &match));
  n = g_match_info_fetch (match, 1);
  fingerprint = g_match_info_fetch (match, 2);
  g_assert_cmpint (g_ascii_strtoll (n, NULL, 10), >, 1);
  offset = g_strdup_printf ("%" G_GINT64_FORMAT, g_ascii_strtoll (n, NULL, 10) - 1);
  hash = cairn_database_query_text (db,
                                    "SELECT upper (substr (hash, 1, 4) || '-' || substr (hash, 5, 4) || '-' ||"
                                    " substr (hash, 9, 4) || '-' || substr (hash, 13, 4))"
                                    " FROM audit ORDER BY seq LIMIT 1 OFFSET ?",
                                    (const char *[]) { offset }, 1, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (hash, ==, fingerprint);
  action = cairn_database_query_text (db, "SELECT action FROM audit ORDER BY seq LIMIT 1 OFFSET ?",
                                      (const char *[]) { offset }, 1, &error);
  g_assert_no_error (error);
  return action;
}
