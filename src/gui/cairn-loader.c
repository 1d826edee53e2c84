/* cairn-loader.c
 *
 * How every screen reads what it shows. A screen puts its content in a
 * loader and gives it one read (a core call, run on the vault's worker).
 * The loader owns the rest, the same way everywhere:
 *
 *  - one read at a time: a new request cancels the one before, and an
 *    answer to anything but the latest request is dropped;
 *  - nothing read from a vault is shown once it has locked, or once the
 *    screen was cleared;
 *  - while the first answer is awaited, a spinner stands in for the
 *    content; a reload keeps the content shown and only turns
 *    #CairnLoader:busy on;
 *  - a read that fails is shown as one status page, saying what failed,
 *    with Try Again.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "cairn-loader"

#include "config.h"

#include <glib/gi18n.h>

#include "cairn-loader.h"
#include "cairn-runner.h"

struct _CairnLoader
{
  GtkWidget        parent_instance;

  GtkStack        *stack;
  GtkWidget       *child;
  AdwStatusPage   *failed_page;
  GtkSpinner      *spinner;

  CairnLoaderRead  read;
  GBoxedCopyFunc   request_copy;
  GDestroyNotify   request_free;
  GDestroyNotify   result_free;
  CairnLoaderShow  show;
  gpointer         user_data;

  CairnVault      *vault;           /* the latest request's */
  gpointer         request;         /* the loader's copy of it */
  gboolean         requested;       /* whether there is a request (it may be NULL) */
  gulong           locked_id;       /* on the vault: a lock clears */
  CairnRunner     *runner;          /* the read under way, if any */
  gint64           fixed_now;       /* for tests and pictures; 0 is the clock */
  gboolean         shown;           /* an answer to this request is on screen */
  gboolean         busy;
  gboolean         failed;
};

G_DEFINE_FINAL_TYPE (CairnLoader, cairn_loader, GTK_TYPE_WIDGET)

enum {
  PROP_0,
  PROP_CHILD,
  PROP_BUSY,
  PROP_FAILED,
  PROP_TITLE,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

typedef struct
{
  CairnLoaderRead  read;
  gpointer         request;
  GDestroyNotify   request_free;
  gint64           now;
} Run;

static void
run_free (Run *run)
{
  if (run->request != NULL && run->request_free != NULL)
    run->request_free (run->request);
  g_free (run);
}

static gpointer
run_read (CairnVault    *vault,
         gpointer       data,
         GCancellable  *cancellable,
         GError       **error)
{
  Run *run = data;

  return run->read (vault, run->request, run->now, error);
}

static void
set_busy (CairnLoader *self,
          gboolean     busy)
{
  if (self->busy == busy)
    return;
  self->busy = busy;
  gtk_spinner_set_spinning (self->spinner, busy && !self->shown);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_BUSY]);
}

static void
set_failed (CairnLoader *self,
            gboolean     failed)
{
  if (self->failed == failed)
    return;
  self->failed = failed;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_FAILED]);
}

static void
show_page (CairnLoader *self,
           const char  *name)
{
  gtk_stack_set_visible_child_name (self->stack, name);
}

/* Only the latest request's answer comes here: each run cancels the one
 * before, a clearing cancels all, and the runner drops what a vault sends
 * once it has locked. */
static void
answered_cb (GObject      *source,
             GAsyncResult *result,
             gpointer      user_data)
{
  CairnLoader *self = user_data;
  g_autoptr(GError) error = NULL;
  gpointer value = cairn_vault_run_finish (CAIRN_VAULT (source), result, &error);

  set_busy (self, FALSE);
  if (value == NULL)
    {
      self->shown = FALSE;
      adw_status_page_set_description (self->failed_page, error != NULL ? error->message : NULL);
      set_failed (self, TRUE);
      show_page (self, "failed");
      return;
    }
  set_failed (self, FALSE);
  self->shown = TRUE;
  show_page (self, "content");
  self->show (self->user_data, value);
}

static void
run (CairnLoader *self)
{
  Run *job;

  cairn_runner_cancel (self->runner);
  if (self->vault == NULL || !self->requested || cairn_vault_is_locked (self->vault))
    return;

  job = g_new0 (Run, 1);
  job->read = self->read;
  job->request = self->request != NULL && self->request_copy != NULL ? self->request_copy (self->request)
                                                                       : self->request;
  job->request_free = self->request_copy != NULL ? self->request_free : NULL;
  job->now = self->fixed_now != 0 ? self->fixed_now : g_get_real_time () / G_USEC_PER_SEC;

  set_failed (self, FALSE);
  set_busy (self, TRUE);
  if (!self->shown)
    {
      show_page (self, "loading");
      gtk_spinner_set_spinning (self->spinner, TRUE);
    }
  cairn_vault_read_async (self->vault, run_read, job, (GDestroyNotify) run_free, self->result_free,
                         cairn_runner_get_cancellable (self->runner), cairn_runner_answered,
                         cairn_runner_track (self->runner, answered_cb, self));
}

/* Nothing read from a vault stays on screen once it has locked. */
static void
on_vault_locked_cb (CairnLoader *self)
{
  cairn_loader_clear (self);
}

static void
on_try_again_cb (CairnLoader *self)
{
  cairn_loader_reload (self);
}

/* ------------------------------------------------------------------------ */

static void
cairn_loader_dispose (GObject *object)
{
  CairnLoader *self = CAIRN_LOADER (object);

  cairn_loader_clear (self);
  g_clear_object (&self->runner);
  g_clear_pointer ((GtkWidget **) &self->stack, gtk_widget_unparent);
  self->child = NULL;

  G_OBJECT_CLASS (cairn_loader_parent_class)->dispose (object);
}

static void
cairn_loader_get_property (GObject    *object,
                           guint       prop_id,
                           GValue     *value,
                           GParamSpec *pspec)
{
  CairnLoader *self = CAIRN_LOADER (object);

  switch (prop_id)
    {
    case PROP_CHILD:
      g_value_set_object (value, self->child);
      break;

    case PROP_BUSY:
      g_value_set_boolean (value, self->busy);
      break;

    case PROP_FAILED:
      g_value_set_boolean (value, self->failed);
      break;

    case PROP_TITLE:
      g_value_set_string (value, cairn_loader_get_title (self));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
cairn_loader_set_property (GObject      *object,
                           guint         prop_id,
                           const GValue *value,
                           GParamSpec   *pspec)
{
  CairnLoader *self = CAIRN_LOADER (object);

  switch (prop_id)
    {
    case PROP_CHILD:
      cairn_loader_set_child (self, g_value_get_object (value));
      break;

    case PROP_TITLE:
      cairn_loader_set_title (self, g_value_get_string (value));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
cairn_loader_class_init (CairnLoaderClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = cairn_loader_dispose;
  object_class->get_property = cairn_loader_get_property;
  object_class->set_property = cairn_loader_set_property;

  /**
   * CairnLoader:child:
   *
   * The screen's content, shown once its read has answered.
   */
  properties[PROP_CHILD] =
    g_param_spec_object ("child", NULL, NULL, GTK_TYPE_WIDGET,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  /**
   * CairnLoader:busy:
   *
   * Whether a read is under way (a screen may show a small spinner of its
   * own while it keeps its content shown).
   */
  properties[PROP_BUSY] =
    g_param_spec_boolean ("busy", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  /**
   * CairnLoader:failed:
   *
   * Whether the latest read failed, and the status page says so.
   */
  properties[PROP_FAILED] =
    g_param_spec_boolean ("failed", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  /**
   * CairnLoader:title:
   *
   * What a failed read did not read, as the status page's title
   * ("The Measures Could Not Be Read").
   */
  properties[PROP_TITLE] =
    g_param_spec_string ("title", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_css_name (widget_class, "loader");
}

static void
cairn_loader_init (CairnLoader *self)
{
  GtkWidget *button;

  self->runner = cairn_runner_new ();
  self->stack = GTK_STACK (gtk_stack_new ());
  gtk_stack_set_transition_type (self->stack, GTK_STACK_TRANSITION_TYPE_CROSSFADE);
  gtk_widget_set_parent (GTK_WIDGET (self->stack), GTK_WIDGET (self));

  self->spinner = GTK_SPINNER (gtk_spinner_new ());
  gtk_widget_set_size_request (GTK_WIDGET (self->spinner), 32, 32);
  gtk_widget_set_halign (GTK_WIDGET (self->spinner), GTK_ALIGN_CENTER);
  gtk_widget_set_valign (GTK_WIDGET (self->spinner), GTK_ALIGN_CENTER);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->spinner),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, _("Reading…"), -1);
  gtk_stack_add_named (self->stack, GTK_WIDGET (self->spinner), "loading");

  self->failed_page = ADW_STATUS_PAGE (adw_status_page_new ());
  adw_status_page_set_icon_name (self->failed_page, "dialog-warning-symbolic");
  adw_status_page_set_title (self->failed_page, _("This Could Not Be Read"));
  button = gtk_button_new_with_mnemonic (_("_Try Again"));
  gtk_widget_set_halign (button, GTK_ALIGN_CENTER);
  gtk_widget_add_css_class (button, "pill");
  gtk_widget_add_css_class (button, "suggested-action");
  g_signal_connect_object (button, "clicked", G_CALLBACK (on_try_again_cb), self, G_CONNECT_SWAPPED);
  adw_status_page_set_child (self->failed_page, button);
  gtk_stack_add_named (self->stack, GTK_WIDGET (self->failed_page), "failed");
}

/**
 * cairn_loader_setup:
 * @self: a loader
 * @read: the screen's read
 * @request_copy: (nullable): copies a request (the loader keeps one, and
 *   gives the worker another); %NULL when requests are not the loader's
 *   to keep (none, or static)
 * @request_free: (nullable): frees a copied request
 * @result_free: frees what @read returned, when it is not shown
 * @show: shows what @read returned
 * @user_data: for @show (the screen; the loader does not hold it)
 *
 * Once, when the screen is made.
 */
void
cairn_loader_setup (CairnLoader     *self,
                    CairnLoaderRead  read,
                    GBoxedCopyFunc   request_copy,
                    GDestroyNotify   request_free,
                    GDestroyNotify   result_free,
                    CairnLoaderShow  show,
                    gpointer         user_data)
{
  g_return_if_fail (CAIRN_IS_LOADER (self));
  g_return_if_fail (read != NULL && show != NULL);

  self->read = read;
  self->request_copy = request_copy;
  self->request_free = request_free;
  self->result_free = result_free;
  self->show = show;
  self->user_data = user_data;
}

/**
 * cairn_loader_load:
 * @self: a loader
 * @vault: the unlocked vault to read
 * @request: (nullable): what to read; copied
 *
 * Reads anew: whatever was asked before is forgotten, and until the answer
 * comes the spinner stands in for the content.
 */
void
cairn_loader_load (CairnLoader   *self,
                   CairnVault    *vault,
                   gconstpointer  request)
{
  g_return_if_fail (CAIRN_IS_LOADER (self));
  g_return_if_fail (CAIRN_IS_VAULT (vault));
  g_return_if_fail (self->read != NULL);

  cairn_loader_clear (self);
  self->vault = g_object_ref (vault);
  self->locked_id = g_signal_connect_object (vault, "notify::locked", G_CALLBACK (on_vault_locked_cb), self,
                                             G_CONNECT_SWAPPED);
  self->request = request != NULL && self->request_copy != NULL ? self->request_copy ((gpointer) request)
                                                               : (gpointer) request;
  self->requested = TRUE;
  run (self);
}

/**
 * cairn_loader_reload:
 * @self: a loader
 *
 * Reads the latest request again (Try Again, or after a write): the
 * content stays shown until the answer replaces it. Nothing happens once
 * cleared or locked.
 */
void
cairn_loader_reload (CairnLoader *self)
{
  g_return_if_fail (CAIRN_IS_LOADER (self));

  run (self);
}

/**
 * cairn_loader_change:
 * @self: a loader
 * @request: (nullable): what to read now instead; copied
 *
 * Reads something else of the same vault (the next week of a calendar):
 * like cairn_loader_reload(), the content stays shown until the answer
 * replaces it; a read under way for the request before is dropped.
 * Nothing happens once cleared or locked.
 */
void
cairn_loader_change (CairnLoader   *self,
                     gconstpointer  request)
{
  g_return_if_fail (CAIRN_IS_LOADER (self));

  if (!self->requested)
    return;
  if (self->request != NULL && self->request_copy != NULL && self->request_free != NULL)
    self->request_free (self->request);
  self->request = request != NULL && self->request_copy != NULL ? self->request_copy ((gpointer) request)
                                                               : (gpointer) request;
  run (self);
}

/**
 * cairn_loader_clear:
 * @self: a loader
 *
 * Forgets the request and the vault: a read under way is cancelled, and
 * its answer will not be shown. The content is shown, for the screen to
 * empty.
 */
void
cairn_loader_clear (CairnLoader *self)
{
  g_return_if_fail (CAIRN_IS_LOADER (self));

  if (self->runner != NULL)
    cairn_runner_cancel (self->runner);
  if (self->vault != NULL)
    g_clear_signal_handler (&self->locked_id, self->vault);
  g_clear_object (&self->vault);
  if (self->request != NULL && self->request_copy != NULL && self->request_free != NULL)
    self->request_free (self->request);
  self->request = NULL;
  self->requested = FALSE;
  self->shown = FALSE;
  set_busy (self, FALSE);
  set_failed (self, FALSE);
  if (self->stack != NULL)
    {
      gtk_spinner_set_spinning (self->spinner, FALSE);
      show_page (self, "content");
    }
}

/**
 * cairn_loader_set_now:
 * @self: a loader
 * @now: UTC seconds to read as of, or 0 for the clock
 *
 * For tests and pictures.
 */
void
cairn_loader_set_now (CairnLoader *self,
                      gint64       now)
{
  g_return_if_fail (CAIRN_IS_LOADER (self));

  self->fixed_now = now;
}

GtkWidget *
cairn_loader_get_child (CairnLoader *self)
{
  g_return_val_if_fail (CAIRN_IS_LOADER (self), NULL);

  return self->child;
}

void
cairn_loader_set_child (CairnLoader *self,
                        GtkWidget   *child)
{
  g_return_if_fail (CAIRN_IS_LOADER (self));
  g_return_if_fail (child == NULL || GTK_IS_WIDGET (child));

  if (self->child == child)
    return;
  if (self->child != NULL)
    gtk_stack_remove (self->stack, self->child);
  self->child = child;
  if (child != NULL)
    {
      gtk_stack_add_named (self->stack, child, "content");
      if (self->shown || (!self->busy && !self->failed))
        show_page (self, "content");
    }
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CHILD]);
}

gboolean
cairn_loader_get_busy (CairnLoader *self)
{
  g_return_val_if_fail (CAIRN_IS_LOADER (self), FALSE);

  return self->busy;
}

gboolean
cairn_loader_get_failed (CairnLoader *self)
{
  g_return_val_if_fail (CAIRN_IS_LOADER (self), FALSE);

  return self->failed;
}

const char *
cairn_loader_get_title (CairnLoader *self)
{
  g_return_val_if_fail (CAIRN_IS_LOADER (self), NULL);

  return adw_status_page_get_title (self->failed_page);
}

void
cairn_loader_set_title (CairnLoader *self,
                        const char  *title)
{
  g_return_if_fail (CAIRN_IS_LOADER (self));

  if (g_strcmp0 (title, adw_status_page_get_title (self->failed_page)) == 0)
    return;
  adw_status_page_set_title (self->failed_page, title);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_TITLE]);
}
