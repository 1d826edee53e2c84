/* cairn-protocol-editor.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "cairn-context.h"
#include "cairn-protocol.h"

G_BEGIN_DECLS

#define CAIRN_TYPE_PROTOCOL_EDITOR (cairn_protocol_editor_get_type ())

G_DECLARE_FINAL_TYPE (CairnProtocolEditor, cairn_protocol_editor, CAIRN, PROTOCOL_EDITOR, AdwWindow)

CairnProtocolEditor *cairn_protocol_editor_new      (GtkWindow           *parent,
                                                     CairnContext        *context,
                                                     const CairnProtocol *protocol);
gboolean             cairn_protocol_editor_get_busy (CairnProtocolEditor *self);

G_END_DECLS
