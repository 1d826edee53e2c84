/* cairn-runner.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

#define CAIRN_TYPE_RUNNER (cairn_runner_get_type ())

G_DECLARE_FINAL_TYPE (CairnRunner, cairn_runner, CAIRN, RUNNER, GObject)

CairnRunner  *cairn_runner_new              (void);
GCancellable *cairn_runner_get_cancellable  (CairnRunner         *self);
gpointer      cairn_runner_track            (CairnRunner         *self,
                                             GAsyncReadyCallback  done,
                                             gpointer             owner);
gpointer      cairn_runner_track_data       (CairnRunner         *self,
                                             GAsyncReadyCallback  done,
                                             gpointer             data,
                                             GDestroyNotify       data_free);
void          cairn_runner_answered         (GObject             *source,
                                             GAsyncResult        *result,
                                             gpointer             pending);
void          cairn_runner_cancel           (CairnRunner         *self);
guint         cairn_runner_get_n_running    (CairnRunner         *self);

G_END_DECLS
