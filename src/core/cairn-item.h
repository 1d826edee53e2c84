/* cairn-item.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

#define CAIRN_TYPE_ITEM (cairn_item_get_type ())

G_DECLARE_FINAL_TYPE (CairnItem, cairn_item, CAIRN, ITEM, GObject)

CairnItem     *cairn_item_new          (GPtrArray  *array,
                                        guint       index);
gconstpointer  cairn_item_get          (CairnItem  *self);
guint          cairn_item_get_index    (CairnItem  *self);
void           cairn_item_store_fill   (GListStore *store,
                                        GPtrArray  *array);

G_END_DECLS
