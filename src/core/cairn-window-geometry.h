/* cairn-window-geometry.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* The narrowest and shortest a Cairn window may be: the GNOME HIG's smallest
 * phone-sized layout. Below this width the layout has nowhere left to go. */
#define CAIRN_WINDOW_MIN_WIDTH  360
#define CAIRN_WINDOW_MIN_HEIGHT 294

#define CAIRN_WINDOW_DEFAULT_WIDTH  1100
#define CAIRN_WINDOW_DEFAULT_HEIGHT 720

typedef struct
{
  int      width;
  int      height;
  gboolean maximized;
} CairnWindowGeometry;

void cairn_window_geometry_restore (const CairnWindowGeometry *saved,
                                    int                        area_width,
                                    int                        area_height,
                                    CairnWindowGeometry       *restored);

G_END_DECLS
