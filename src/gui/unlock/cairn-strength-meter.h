/* cairn-strength-meter.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

#define CAIRN_TYPE_STRENGTH_METER (cairn_strength_meter_get_type ())

G_DECLARE_FINAL_TYPE (CairnStrengthMeter, cairn_strength_meter, CAIRN, STRENGTH_METER, GtkWidget)

void     cairn_strength_meter_update         (CairnStrengthMeter *self,
                                              const char         *passphrase,
                                              const char         *user_name);
gboolean cairn_strength_meter_get_acceptable (CairnStrengthMeter *self);
const char *cairn_strength_meter_get_text    (CairnStrengthMeter *self);

G_END_DECLS
