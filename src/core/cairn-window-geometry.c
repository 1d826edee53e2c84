/* cairn-window-geometry.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "cairn-window-geometry"

#include "config.h"

#include "cairn-window-geometry.h"

/**
 * cairn_window_geometry_restore:
 * @saved: the size and state saved when the window last closed
 * @area_width: width of the screen the window will open on, or 0 if unknown
 * @area_height: height of that screen, or 0 if unknown
 * @restored: (out caller-allocates): the size and state to open with
 *
 * Decides the size a window opens at from the one it was closed at.
 *
 * A size saved on a large external monitor must not open a laptop window
 * larger than the laptop's screen, with its header bar out of reach; a size
 * that is nonsense (unset, zero or negative) falls back to the default. The
 * result is never smaller than the narrowest supported layout.
 */
void
cairn_window_geometry_restore (const CairnWindowGeometry *saved,
                               int                        area_width,
                               int                        area_height,
                               CairnWindowGeometry       *restored)
{
  int width;
  int height;

  g_return_if_fail (saved != NULL);
  g_return_if_fail (restored != NULL);

  width = saved->width > 0 ? saved->width : CAIRN_WINDOW_DEFAULT_WIDTH;
  height = saved->height > 0 ? saved->height : CAIRN_WINDOW_DEFAULT_HEIGHT;

  if (area_width > 0)
    width = MIN (width, area_width);
  if (area_height > 0)
    height = MIN (height, area_height);

  restored->width = MAX (width, CAIRN_WINDOW_MIN_WIDTH);
  restored->height = MAX (height, CAIRN_WINDOW_MIN_HEIGHT);
  restored->maximized = saved->maximized;
}
