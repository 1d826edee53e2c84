/* cairn-toaster.c
 *
 * How a screen says what just happened: one toast at a time, saying the
 * latest thing. A toast already shown takes the new words (and the new
 * button, if any) rather than queueing a second behind it: news of the last
 * change should not wait behind news of the one before. It is never
 * dismissed to make room, which libadwaita 1.2 does not survive while the
 * toast is still sliding in.
 *
 * A toast with a button (Undo) keeps what the button needs until it is
 * clicked, replaced or dismissed; a screen dismisses its toaster when Cairn
 * locks, so that no Undo outlives the vault it would write to. A toast
 * dismissed while still sliding in loses its button at once and goes once
 * it is in.
 *
 * The toasts go to an AdwToastOverlay, or to the AdwPreferencesWindow a
 * preferences page is in.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "cairn-toaster"

#include "config.h"

#include "cairn-toaster.h"

/* AdwToastOverlay slides a toast in over 300 ms, or 500 ms when it
 * replaces one going out; libadwaita 1.2 does not survive its dismissal
 * before that is over. */
#define SLIDE_IN_MS 600

struct _CairnToaster
{
  GObject           parent_instance;

  GtkWidget        *target;          /* weak */
  AdwToast         *toast;           /* the one shown, until dismissed */
  gint64            shown_at;        /* when it began sliding in, monotonic µs; 0 while it waits */
  gboolean          going;           /* one dismissed late is still on screen */
  CairnToastAction  action;
  gpointer          action_data;
  GDestroyNotify    action_destroy;
};

G_DEFINE_FINAL_TYPE (CairnToaster, cairn_toaster, G_TYPE_OBJECT)

static void
forget_action (CairnToaster *self)
{
  GDestroyNotify destroy = self->action_destroy;
  gpointer data = self->action_data;

  self->action = NULL;
  self->action_data = NULL;
  self->action_destroy = NULL;
  if (destroy != NULL)
    destroy (data);
}

static void
on_dismissed_cb (CairnToaster *self,
                 AdwToast     *toast)
{
  if (self->toast != toast)
    return;
  g_clear_object (&self->toast);
  forget_action (self);
}

static void
on_button_clicked_cb (CairnToaster *self,
                      AdwToast     *toast)
{
  CairnToastAction action = self->action;
  gpointer data = self->action_data;
  GDestroyNotify destroy = self->action_destroy;

  if (self->toast != toast || action == NULL)
    return;
  /* Once: the data goes with the click. */
  self->action = NULL;
  self->action_data = NULL;
  self->action_destroy = NULL;
  action (data);
  if (destroy != NULL)
    destroy (data);
}

static gboolean
post (CairnToaster *self,
      AdwToast     *toast)
{
  GtkRoot *root;

  if (self->target == NULL)
    return FALSE;
  if (ADW_IS_TOAST_OVERLAY (self->target))
    {
      adw_toast_overlay_add_toast (ADW_TOAST_OVERLAY (self->target), toast);
      return TRUE;
    }
  root = gtk_widget_get_root (self->target);
  if (ADW_IS_PREFERENCES_WINDOW (root))
    {
      adw_preferences_window_add_toast (ADW_PREFERENCES_WINDOW (root), toast);
      return TRUE;
    }
  g_object_unref (toast);
  return FALSE;
}

typedef struct
{
  GWeakRef  toaster;
  AdwToast *toast;
} LateDismissal;

static void
late_dismissal_free (LateDismissal *late)
{
  g_weak_ref_clear (&late->toaster);
  g_object_unref (late->toast);
  g_free (late);
}

static gboolean
dismiss_later_cb (gpointer user_data)
{
  LateDismissal *late = user_data;
  g_autoptr(CairnToaster) self = g_weak_ref_get (&late->toaster);

  adw_toast_dismiss (late->toast);
  /* A toast posted meanwhile waited behind this one: it begins now. */
  if (self != NULL)
    {
      self->going = FALSE;
      if (self->toast != NULL && self->shown_at == 0)
        self->shown_at = g_get_monotonic_time ();
    }
  return G_SOURCE_REMOVE;
}

static void
cairn_toaster_dispose (GObject *object)
{
  CairnToaster *self = CAIRN_TOASTER (object);

  if (self->target != NULL)
    g_object_remove_weak_pointer (G_OBJECT (self->target), (gpointer *) &self->target);
  self->target = NULL;
  g_clear_object (&self->toast);
  forget_action (self);

  G_OBJECT_CLASS (cairn_toaster_parent_class)->dispose (object);
}

static void
cairn_toaster_class_init (CairnToasterClass *klass)
{
  G_OBJECT_CLASS (klass)->dispose = cairn_toaster_dispose;
}

static void
cairn_toaster_init (CairnToaster *self)
{
}

/**
 * cairn_toaster_new:
 * @target: an #AdwToastOverlay, or a widget in an #AdwPreferencesWindow
 *
 * Returns: (transfer full): a toaster for @target, which it does not hold
 */
CairnToaster *
cairn_toaster_new (GtkWidget *target)
{
  CairnToaster *self;

  g_return_val_if_fail (GTK_IS_WIDGET (target), NULL);

  self = g_object_new (CAIRN_TYPE_TOASTER, NULL);
  self->target = target;
  g_object_add_weak_pointer (G_OBJECT (target), (gpointer *) &self->target);
  return self;
}

/**
 * cairn_toaster_say:
 * @self: a toaster
 * @text: what happened
 */
void
cairn_toaster_say (CairnToaster *self,
                   const char   *text)
{
  cairn_toaster_say_with_action (self, text, NULL, 0, NULL, NULL, NULL);
}

/**
 * cairn_toaster_say_with_action:
 * @self: a toaster
 * @text: what happened
 * @button_label: (nullable): the button's label, such as "_Undo"
 * @timeout: seconds a new toast stays, or 0 for libadwaita's own; a toast
 *   already shown keeps its own
 * @action: (nullable): what the button does
 * @user_data: for @action
 * @destroy: (nullable): frees @user_data once the toast no longer offers it
 *
 * Says @text in the toast shown, or in a new one; a button offered before
 * is replaced by this one (or taken away).
 */
void
cairn_toaster_say_with_action (CairnToaster     *self,
                               const char       *text,
                               const char       *button_label,
                               guint             timeout,
                               CairnToastAction  action,
                               gpointer          user_data,
                               GDestroyNotify    destroy)
{
  g_return_if_fail (CAIRN_IS_TOASTER (self));
  g_return_if_fail (text != NULL);

  forget_action (self);
  self->action = action;
  self->action_data = user_data;
  self->action_destroy = destroy;

  if (self->toast != NULL)
    {
      adw_toast_set_title (self->toast, text);
      adw_toast_set_button_label (self->toast, action != NULL ? button_label : NULL);
      return;
    }
  self->toast = g_object_ref_sink (adw_toast_new (text));
  adw_toast_set_button_label (self->toast, action != NULL ? button_label : NULL);
  if (timeout > 0)
    adw_toast_set_timeout (self->toast, timeout);
  g_signal_connect_object (self->toast, "dismissed", G_CALLBACK (on_dismissed_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->toast, "button-clicked", G_CALLBACK (on_button_clicked_cb), self,
                           G_CONNECT_SWAPPED);
  /* A toast posted while another is still going waits for it; it is
   * counted from when that one goes (see dismiss_later_cb()). */
  self->shown_at = self->going ? 0 : g_get_monotonic_time ();
  if (!post (self, g_object_ref (self->toast)))
    {
      g_clear_object (&self->toast);
      forget_action (self);
    }
}

/**
 * cairn_toaster_dismiss:
 * @self: a toaster
 *
 * Takes the toast away, and with it what its button would have done.
 */
void
cairn_toaster_dismiss (CairnToaster *self)
{
  g_autoptr(AdwToast) toast = NULL;
  gint64 shown_ms;

  g_return_if_fail (CAIRN_IS_TOASTER (self));

  toast = g_steal_pointer (&self->toast);
  forget_action (self);
  if (toast == NULL)
    return;
  /* Still waiting behind one going out: it can be taken off the queue. */
  if (self->shown_at == 0)
    {
      adw_toast_dismiss (toast);
      return;
    }
  shown_ms = (g_get_monotonic_time () - self->shown_at) / 1000;
  if (shown_ms >= SLIDE_IN_MS)
    {
      adw_toast_dismiss (toast);
      return;
    }
  /* Still sliding in (or waiting behind one that is going): it goes once
   * it is in. Meanwhile it says nothing (it may have named someone, and
   * Cairn may be locking) and its button does nothing (the action went
   * above), so it shows none. */
  adw_toast_set_title (toast, "");
  adw_toast_set_button_label (toast, NULL);
  {
    LateDismissal *late = g_new0 (LateDismissal, 1);

    g_weak_ref_init (&late->toaster, self);
    late->toast = g_steal_pointer (&toast);
    /* Until it has gone, a new toast waits: it cannot begin before. */
    self->going = TRUE;
    g_timeout_add_full (G_PRIORITY_DEFAULT, (guint) (SLIDE_IN_MS - shown_ms), dismiss_later_cb, late,
                        (GDestroyNotify) late_dismissal_free);
  }
}

/**
 * cairn_toaster_get_toast:
 * @self: a toaster
 *
 * Returns: (transfer none) (nullable): the toast shown
 */
AdwToast *
cairn_toaster_get_toast (CairnToaster *self)
{
  g_return_val_if_fail (CAIRN_IS_TOASTER (self), NULL);

  return self->toast;
}
