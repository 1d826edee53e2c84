/* cairn-item.c
 *
 * One element of a screen's data as a row of a list model. A screen's
 * core read returns plain structs in a GPtrArray; a list widget wants a
 * GListModel of objects. A CairnItem is the element at one index, and
 * keeps the whole array alive for as long as the row is shown:
 *
 *   cairn_item_store_fill (self->store, screen->items);
 *   …
 *   const CairnAgendaItem *item = cairn_item_get (CAIRN_ITEM (object));
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "cairn-item.h"

struct _CairnItem
{
  GObject    parent_instance;

  GPtrArray *array;
  guint      index;
};

G_DEFINE_FINAL_TYPE (CairnItem, cairn_item, G_TYPE_OBJECT)

static void
cairn_item_finalize (GObject *object)
{
  CairnItem *self = CAIRN_ITEM (object);

  g_ptr_array_unref (self->array);

  G_OBJECT_CLASS (cairn_item_parent_class)->finalize (object);
}

static void
cairn_item_class_init (CairnItemClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = cairn_item_finalize;
}

static void
cairn_item_init (CairnItem *self)
{
}

/**
 * cairn_item_new:
 * @array: the screen's array, kept alive by the item
 * @index: which element
 *
 * Returns: (transfer full): the element at @index as an item
 */
CairnItem *
cairn_item_new (GPtrArray *array,
                guint      index)
{
  CairnItem *self;

  g_return_val_if_fail (array != NULL, NULL);
  g_return_val_if_fail (index < array->len, NULL);

  self = g_object_new (CAIRN_TYPE_ITEM, NULL);
  self->array = g_ptr_array_ref (array);
  self->index = index;
  return self;
}

/**
 * cairn_item_get:
 * @self: an item
 *
 * Returns: (transfer none): the element, alive as long as @self
 */
gconstpointer
cairn_item_get (CairnItem *self)
{
  g_return_val_if_fail (CAIRN_IS_ITEM (self), NULL);

  return g_ptr_array_index (self->array, self->index);
}

/**
 * cairn_item_get_index:
 * @self: an item
 *
 * Returns: the element's index in its array
 */
guint
cairn_item_get_index (CairnItem *self)
{
  g_return_val_if_fail (CAIRN_IS_ITEM (self), 0);

  return self->index;
}

/**
 * cairn_item_store_fill:
 * @store: a #GListStore of #CairnItem
 * @array: (nullable): the elements to show, or %NULL for none
 *
 * Replaces what @store holds with one item per element of @array, in
 * one change: a list bound to @store redraws once.
 */
void
cairn_item_store_fill (GListStore *store,
                       GPtrArray  *array)
{
  g_autoptr(GPtrArray) items = g_ptr_array_new_with_free_func (g_object_unref);

  g_return_if_fail (G_IS_LIST_STORE (store));

  for (guint i = 0; array != NULL && i < array->len; i++)
    g_ptr_array_add (items, cairn_item_new (array, i));
  g_list_store_splice (store, 0, g_list_model_get_n_items (G_LIST_MODEL (store)), items->pdata, items->len);
}
