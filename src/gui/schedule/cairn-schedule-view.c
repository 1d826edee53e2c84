/* cairn-schedule-view.c
 *
 * The time grid of the Schedule page: one column a day (one day, or a
 * week), the practice's hours down the side, and each appointment drawn as
 * a block from its start to its end, so a medicine session of eight hours
 * stands whole beside the ninety-minute sessions of the same day.
 * Appointments that overlap share their day's column side by side.
 *
 * The view only draws and reports: a click selects, a double click opens,
 * and dragging a block (or its lower edge) shows where it would go, red
 * when it would clash with what the view holds. Letting go asks the page,
 * through ::move-requested, to move it; the page checks the vault again and
 * writes. Every drag has a keyboard twin: the arrows walk the appointments,
 * Ctrl with the arrows moves the chosen one by a quarter hour or a day, and
 * Ctrl+Shift with Up and Down makes it shorter or longer.
 *
 * Times are the practice's wall-clock times: a day is drawn from its local
 * midnight, whatever the clocks did that night.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "cairn-schedule"

#include "config.h"

#include <adwaita.h>
#include <glib/gi18n.h>

#include "cairn-schedule-view.h"

#define HOUR_HEIGHT   CAIRN_SCHEDULE_VIEW_HOUR_HEIGHT
#define GUTTER        CAIRN_SCHEDULE_VIEW_GUTTER
#define STEP          CAIRN_SCHEDULE_VIEW_STEP
#define MIN_COLUMN    40
#define RESIZE_EDGE   8
#define BLOCK_GAP     2

/* Making a block's text is most of a frame's work; it changes only with
 * the items, the block's size or the fonts. */
typedef struct
{
  PangoLayout *layout;
  int          width;
  int          height;
} CachedText;

static void
cached_text_free (CachedText *text)
{
  g_clear_object (&text->layout);
  g_free (text);
}

typedef enum
{
  DRAG_NONE,
  DRAG_MOVE,
  DRAG_RESIZE,
} DragMode;

struct _CairnScheduleView
{
  GtkWidget                 parent_instance;

  GTimeZone                *zone;
  GDate                     first_day;
  guint                     n_days;
  guint                     first_minute;   /* of the grid, on the hour */
  guint                     last_minute;

  GPtrArray                *items;          /* of CairnAgendaItem, by start */
  CairnProtocol            *protocol;
  const CairnScheduleRules *rules;          /* the page's, while unlocked */
  char                     *selected;
  gint64                    fixed_now;      /* 0: the clock */
  guint                     tick_id;

  GHashTable               *texts;          /* item → CachedText: layouts kept between frames */
  GHashTable               *clashes;        /* of items booked over one another: id → kind */

  CairnAgendaItem          *drag_item;
  DragMode                  drag_mode;
  gint64                    ghost_start;
  gint64                    ghost_end;
  gboolean                  ghost_clashes;
};

G_DEFINE_FINAL_TYPE (CairnScheduleView, cairn_schedule_view, GTK_TYPE_WIDGET)

enum {
  ITEM_ACTIVATED,
  SLOT_ACTIVATED,
  MOVE_REQUESTED,
  SELECTION_CHANGED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

/* ------------------------------------------------------------------------ */
/* Time and place                                                            */

static gint64
view_now (CairnScheduleView *self)
{
  return self->fixed_now != 0 ? self->fixed_now : g_get_real_time () / G_USEC_PER_SEC;
}

static GDateTime *
local_time (CairnScheduleView *self,
            gint64             utc)
{
  g_autoptr(GDateTime) t = g_date_time_new_from_unix_utc (utc);

  return g_date_time_to_timezone (t, self->zone);
}

/* Which column a moment falls in, or -1 outside the range. */
static int
day_index (CairnScheduleView *self,
           GDateTime         *local)
{
  GDate day;
  int index;

  g_date_clear (&day, 1);
  g_date_set_dmy (&day, g_date_time_get_day_of_month (local), g_date_time_get_month (local),
                  g_date_time_get_year (local));
  index = g_date_days_between (&self->first_day, &day);
  return index >= 0 && index < (int) self->n_days ? index : -1;
}

static guint
minute_of_day (GDateTime *local)
{
  return g_date_time_get_hour (local) * 60 + g_date_time_get_minute (local);
}

static double
column_width (CairnScheduleView *self)
{
  int width = gtk_widget_get_width (GTK_WIDGET (self));

  return MAX (1.0, (double) (width - GUTTER) / MAX (self->n_days, 1));
}

static double
y_for_minute (CairnScheduleView *self,
              double             minute)
{
  return (minute - self->first_minute) * HOUR_HEIGHT / 60.0;
}

/* Where an appointment's block goes, from @start to @end, in its lane.
 * FALSE when it is not on the grid. */
static gboolean
block_rect (CairnScheduleView     *self,
            const CairnAgendaItem *item,
            gint64                 start,
            gint64                 end,
            graphene_rect_t       *rect)
{
  g_autoptr(GDateTime) from = local_time (self, start);
  g_autoptr(GDateTime) to = local_time (self, end);
  int day = day_index (self, from);
  double column = column_width (self);
  double lane_width, top, bottom, end_minute;
  guint n_lanes = MAX (item->n_lanes, 1);

  if (day < 0)
    return FALSE;

  /* An appointment that runs past midnight stops at the foot of its day. */
  end_minute = day_index (self, to) == day ? minute_of_day (to) : 24 * 60;
  top = y_for_minute (self, MAX (minute_of_day (from), self->first_minute));
  bottom = y_for_minute (self, MIN (end_minute, self->last_minute));
  if (bottom <= top)
    bottom = top + HOUR_HEIGHT / 4.0;

  lane_width = (column - 2 * BLOCK_GAP) / n_lanes;
  graphene_rect_init (rect, GUTTER + day * column + BLOCK_GAP + item->lane * lane_width, top + 1,
                      lane_width - BLOCK_GAP, bottom - top - 2);
  return TRUE;
}

static CairnAgendaItem *
find_item (CairnScheduleView *self,
           const char        *id)
{
  for (guint i = 0; id != NULL && self->items != NULL && i < self->items->len; i++)
    {
      CairnAgendaItem *item = g_ptr_array_index (self->items, i);

      if (g_strcmp0 (item->appointment->id, id) == 0)
        return item;
    }
  return NULL;
}

static CairnAgendaItem *
item_at (CairnScheduleView *self,
         double             x,
         double             y,
         graphene_rect_t   *out_rect)
{
  /* From the last drawn, which lies on top. */
  for (guint i = self->items != NULL ? self->items->len : 0; i > 0; i--)
    {
      CairnAgendaItem *item = g_ptr_array_index (self->items, i - 1);
      graphene_rect_t rect;

      if (block_rect (self, item, item->appointment->start, item->appointment->end, &rect) &&
          graphene_rect_contains_point (&rect, &GRAPHENE_POINT_INIT (x, y)))
        {
          if (out_rect != NULL)
            *out_rect = rect;
          return item;
        }
    }
  return NULL;
}

/* The grid covers the practice's hours and every appointment shown, on
 * whole hours, and at least 08:00 to 18:00. */
static void
update_hours (CairnScheduleView *self)
{
  guint first = 8 * 60, last = 18 * 60;

  if (self->rules != NULL && self->rules->practice_hours != NULL)
    for (guint d = 1; d <= 7; d++)
      {
        const CairnDayHours *hours = &self->rules->practice_hours->day[d];

        for (guint i = 0; i < hours->n_hours; i++)
          {
            first = MIN (first, hours->hours[i].open);
            last = MAX (last, hours->hours[i].close);
          }
      }

  for (guint i = 0; self->items != NULL && i < self->items->len; i++)
    {
      const CairnAppointment *a = ((CairnAgendaItem *) g_ptr_array_index (self->items, i))->appointment;
      g_autoptr(GDateTime) from = local_time (self, a->start);
      g_autoptr(GDateTime) to = local_time (self, a->end);

      first = MIN (first, minute_of_day (from));
      last = MAX (last, day_index (self, to) == day_index (self, from) ? minute_of_day (to) : 24 * 60);
    }

  first = first / 60 * 60;
  last = MIN ((last + 59) / 60 * 60, 24 * 60);
  if (first != self->first_minute || last != self->last_minute)
    {
      self->first_minute = first;
      self->last_minute = MAX (last, first + 60);
      gtk_widget_queue_resize (GTK_WIDGET (self));
    }
}

/* ------------------------------------------------------------------------ */
/* Clashes while dragging                                                    */

static gboolean
would_clash (CairnScheduleView     *self,
             const CairnAgendaItem *moving,
             gint64                 start,
             gint64                 end)
{
  const CairnAppointment *a = moving->appointment;
  const CairnAppointmentType *type = self->protocol != NULL
                                     ? cairn_protocol_find_type (self->protocol, a->type_id) : NULL;
  g_autoptr(GArray) others = g_array_new (FALSE, TRUE, sizeof (CairnBooking));
  g_autoptr(GPtrArray) conflicts = NULL;
  CairnBooking booking = { a->id, a->patient_id, a->room_id, (const char * const *) a->staff_ids,
                           start, end, FALSE };

  for (guint i = 0; i < self->items->len; i++)
    {
      const CairnAppointment *o = ((CairnAgendaItem *) g_ptr_array_index (self->items, i))->appointment;
      CairnBooking other = { o->id, o->patient_id, o->room_id, (const char * const *) o->staff_ids,
                             o->start, o->end, g_strcmp0 (o->status, "cancelled") == 0 };

      g_array_append_val (others, other);
    }

  conflicts = cairn_conflicts_find (&booking, (const CairnBooking *) others->data, others->len,
                                    type != NULL ? type->staff : 0, type != NULL && type->needs_room,
                                    self->rules);
  return conflicts->len > 0;
}

/* ------------------------------------------------------------------------ */
/* Drawing                                                                   */

static void
phase_color (CairnPhase phase,
             gboolean   by_phone,
             GdkRGBA   *color)
{
  static const char * const colors[] = {
    [CAIRN_PHASE_SCREENING] = "#3584e4",
    [CAIRN_PHASE_PREPARATION] = "#2ec27e",
    [CAIRN_PHASE_MEDICINE_SESSION] = "#9141ac",
    [CAIRN_PHASE_INTEGRATION] = "#e66100",
    [CAIRN_PHASE_FOLLOW_UP] = "#1c71d8",
  };

  gdk_rgba_parse (color, by_phone ? "#c88800" : colors[phase]);
}

static const char *
status_word (const char *status)
{
  if (g_strcmp0 (status, "checked-in") == 0)
    return _("Checked in");
  if (g_strcmp0 (status, "no-show") == 0)
    return _("No-show");
  if (g_strcmp0 (status, "cancelled") == 0)
    return _("Cancelled");
  if (g_strcmp0 (status, "completed") == 0)
    return _("Completed");
  return NULL;
}

static gboolean
is_clash (CairnScheduleView *self,
          const char        *id)
{
  return self->clashes != NULL && id != NULL && g_hash_table_contains (self->clashes, id);
}

/* Escapes once, here: the names come from the vault and may hold any
 * character. */
static char *
block_markup (CairnScheduleView     *self,
              const CairnAgendaItem *item,
              gint64                 start,
              gint64                 end,
              gboolean               short_block)
{
  const CairnAppointment *a = item->appointment;
  const CairnAppointmentType *type = self->protocol != NULL
                                     ? cairn_protocol_find_type (self->protocol, a->type_id) : NULL;
  g_autoptr(GDateTime) from = local_time (self, start);
  g_autoptr(GDateTime) to = local_time (self, end);
  g_autofree char *who = g_markup_escape_text (item->patient != NULL ? item->patient : _("Staff time"), -1);
  g_autofree char *kind = g_markup_escape_text (type != NULL ? type->name : a->type_id, -1);
  g_autofree char *room = item->room != NULL ? g_markup_escape_text (item->room, -1) : NULL;
  const char *status = status_word (a->status);
  gboolean cancelled = g_strcmp0 (a->status, "cancelled") == 0;
  gboolean clash = is_clash (self, a->id);
  GString *markup = g_string_new (NULL);

  /* A quarter of an hour has room for one small line only. */
  if (short_block)
    {
      /* TRANSLATORS: first on a short block of the calendar booked over another */
      g_autofree char *prefix = g_markup_escape_text (clash ? _("Clash: ") : "", -1);

      g_string_append_printf (markup, "<span size='small'>%s%s<b>%s</b>%s · %02d:%02d · %s</span>",
                              prefix, cancelled ? "<s>" : "", who, cancelled ? "</s>" : "",
                              g_date_time_get_hour (from), g_date_time_get_minute (from), kind);
      return g_string_free (markup, FALSE);
    }

  g_string_append_printf (markup, cancelled ? "<s><b>%s</b></s>\n" : "<b>%s</b>\n", who);
  g_string_append_printf (markup, "<span size='small'>%02d:%02d–%02d:%02d · %s",
                          g_date_time_get_hour (from), g_date_time_get_minute (from),
                          g_date_time_get_hour (to), g_date_time_get_minute (to), kind);
  if (room != NULL)
    g_string_append_printf (markup, " · %s", room);
  if (status != NULL)
    g_string_append_printf (markup, "\n<b>%s</b>", status);
  if (clash)
    {
      /* TRANSLATORS: on a block of the calendar booked over another */
      g_autofree char *words = g_markup_escape_text (_("Clash: booked over another"), -1);

      g_string_append_printf (markup, "\n<b>%s</b>", words);
    }
  g_string_append (markup, "</span>");
  return g_string_free (markup, FALSE);
}

static void
draw_block (CairnScheduleView     *self,
            GtkSnapshot           *snapshot,
            const CairnAgendaItem *item,
            gint64                 start,
            gint64                 end,
            const GdkRGBA         *fg,
            const GdkRGBA         *accent,
            gboolean               dark,
            gboolean               ghost)
{
  const CairnAppointment *a = item->appointment;
  const CairnAppointmentType *type = self->protocol != NULL
                                     ? cairn_protocol_find_type (self->protocol, a->type_id) : NULL;
  gboolean dim = g_strcmp0 (a->status, "cancelled") == 0 || g_strcmp0 (a->status, "no-show") == 0;
  graphene_rect_t rect;
  GskRoundedRect rounded;
  GdkRGBA color, fill, bar;
  g_autofree char *markup = NULL;
  g_autoptr(PangoLayout) layout = NULL;
  CachedText *cached;
  int width, height;

  if (!block_rect (self, item, start, end, &rect))
    return;

  if (ghost && self->ghost_clashes)
    gdk_rgba_parse (&color, "#e01b24");
  else if (type != NULL)
    phase_color (type->phase, type->by_phone, &color);
  else
    gdk_rgba_parse (&color, "#77767b");

  fill = color;
  fill.alpha = dim ? 0.08 : dark ? 0.38 : 0.22;
  bar = color;
  bar.alpha = dim ? 0.4 : 1.0;

  gsk_rounded_rect_init_from_rect (&rounded, &rect, 6);
  gtk_snapshot_push_rounded_clip (snapshot, &rounded);
  gtk_snapshot_append_color (snapshot, &fill, &rect);
  gtk_snapshot_append_color (snapshot, &bar, &GRAPHENE_RECT_INIT (rect.origin.x, rect.origin.y, 4,
                                                                  rect.size.height));

  width = MAX (1, (int) (rect.size.width - 10));
  height = MAX (1, (int) (rect.size.height - 4));
  cached = ghost ? NULL : g_hash_table_lookup (self->texts, item);
  if (cached != NULL && cached->width == width && cached->height == height)
    layout = g_object_ref (cached->layout);
  else
    {
      markup = block_markup (self, item, start, end, rect.size.height < 30);
      layout = gtk_widget_create_pango_layout (GTK_WIDGET (self), NULL);
      pango_layout_set_markup (layout, markup, -1);
      pango_layout_set_width (layout, width * PANGO_SCALE);
      pango_layout_set_height (layout, height * PANGO_SCALE);
      pango_layout_set_ellipsize (layout, PANGO_ELLIPSIZE_END);
      pango_layout_set_wrap (layout, PANGO_WRAP_WORD_CHAR);
      if (!ghost)
        {
          cached = g_new0 (CachedText, 1);
          cached->layout = g_object_ref (layout);
          cached->width = width;
          cached->height = height;
          g_hash_table_replace (self->texts, (gpointer) item, cached);
        }
    }
  gtk_snapshot_save (snapshot);
  gtk_snapshot_translate (snapshot, &GRAPHENE_POINT_INIT (rect.origin.x + 8,
                                                          rect.origin.y + (rect.size.height < 30 ? -1 : 2)));
  {
    GdkRGBA text = *fg;

    text.alpha = dim ? 0.55 : 1.0;
    gtk_snapshot_append_layout (snapshot, layout, &text);
  }
  gtk_snapshot_restore (snapshot);
  gtk_snapshot_pop (snapshot);

  if (!ghost && is_clash (self, a->id) && g_strcmp0 (a->id, self->selected) != 0)
    {
      GdkRGBA red;
      float widths[4] = { 2, 2, 2, 2 };

      gdk_rgba_parse (&red, dark ? "#ff7b63" : "#c01c28");
      gtk_snapshot_append_border (snapshot, &rounded, widths, (GdkRGBA[4]) { red, red, red, red });
    }
  if (ghost || g_strcmp0 (a->id, self->selected) == 0)
    {
      const GdkRGBA *edge = ghost ? &color : accent;
      float widths[4] = { 2, 2, 2, 2 };
      GdkRGBA edges[4] = { *edge, *edge, *edge, *edge };

      gtk_snapshot_append_border (snapshot, &rounded, widths, edges);
    }
}

/* Shades what lies outside the practice's hours on @day, and the whole
 * day when the practice is closed. */
static void
draw_closed (CairnScheduleView *self,
             GtkSnapshot       *snapshot,
             const GDate       *day,
             double             x,
             double             width,
             const GdkRGBA     *shade)
{
  const CairnDayHours *hours;
  guint from = self->first_minute;

  if (self->rules == NULL)
    return;
  for (guint i = 0; i < self->rules->n_closed_days; i++)
    if (g_date_compare (&self->rules->closed_days[i], day) == 0)
      {
        gtk_snapshot_append_color (snapshot, shade, &GRAPHENE_RECT_INIT (x, 0, width,
                                                                         y_for_minute (self, self->last_minute)));
        return;
      }
  if (self->rules->practice_hours == NULL)
    return;

  hours = &self->rules->practice_hours->day[g_date_get_weekday (day)];
  for (guint i = 0; i <= hours->n_hours; i++)
    {
      guint to = i < hours->n_hours ? hours->hours[i].open : self->last_minute;

      if (to > from)
        gtk_snapshot_append_color (snapshot, shade,
                                   &GRAPHENE_RECT_INIT (x, y_for_minute (self, from), width,
                                                        y_for_minute (self, MIN (to, self->last_minute)) -
                                                        y_for_minute (self, from)));
      if (i < hours->n_hours)
        from = MAX (from, hours->hours[i].close);
    }
}

static void
cairn_schedule_view_snapshot (GtkWidget   *widget,
                              GtkSnapshot *snapshot)
{
  CairnScheduleView *self = CAIRN_SCHEDULE_VIEW (widget);
  GtkStyleContext *style = gtk_widget_get_style_context (widget);
  gboolean dark = adw_style_manager_get_dark (adw_style_manager_get_default ());
  double width = gtk_widget_get_width (widget);
  double height = y_for_minute (self, self->last_minute);
  double column = column_width (self);
  GdkRGBA fg, accent, line, faint, shade, today_tint, now_color;
  g_autoptr(GDateTime) now = NULL;
  int today;

  if (self->zone == NULL)
    return;

  gtk_style_context_get_color (style, &fg);
  if (!gtk_style_context_lookup_color (style, "accent_bg_color", &accent))
    gdk_rgba_parse (&accent, "#3584e4");
  line = fg;
  line.alpha = 0.15;
  faint = fg;
  faint.alpha = 0.06;
  shade = fg;
  shade.alpha = dark ? 0.07 : 0.045;
  today_tint = accent;
  today_tint.alpha = 0.06;
  gdk_rgba_parse (&now_color, "#e01b24");

  now = local_time (self, view_now (self));
  today = day_index (self, now);

  /* Days: closed hours shaded, today tinted, a line between columns. */
  for (guint d = 0; d < self->n_days; d++)
    {
      GDate day = self->first_day;
      double x = GUTTER + d * column;

      g_date_add_days (&day, d);
      draw_closed (self, snapshot, &day, x, column, &shade);
      if ((int) d == today)
        gtk_snapshot_append_color (snapshot, &today_tint, &GRAPHENE_RECT_INIT (x, 0, column, height));
      gtk_snapshot_append_color (snapshot, &line, &GRAPHENE_RECT_INIT (x, 0, 1, height));
    }

  /* Hours: a line on the hour, a fainter one on the half hour, and the
   * hour written in the gutter. */
  for (guint minute = self->first_minute; minute < self->last_minute; minute += 30)
    {
      double y = y_for_minute (self, minute);

      gtk_snapshot_append_color (snapshot, minute % 60 == 0 ? &line : &faint,
                                 &GRAPHENE_RECT_INIT (minute % 60 == 0 ? GUTTER - 6 : GUTTER, y,
                                                      width - GUTTER, 1));
      if (minute % 60 == 0)
        {
          g_autofree char *label = g_strdup_printf ("%02u:00", minute / 60);
          g_autoptr(PangoLayout) layout = gtk_widget_create_pango_layout (widget, label);
          GdkRGBA dim = fg;
          int lw, lh;

          dim.alpha = 0.6;
          pango_layout_get_pixel_size (layout, &lw, &lh);
          gtk_snapshot_save (snapshot);
          gtk_snapshot_translate (snapshot, &GRAPHENE_POINT_INIT (GUTTER - 10 - lw, MAX (0, y - lh / 2.0)));
          gtk_snapshot_append_layout (snapshot, layout, &dim);
          gtk_snapshot_restore (snapshot);
        }
    }

  for (guint i = 0; self->items != NULL && i < self->items->len; i++)
    {
      const CairnAgendaItem *item = g_ptr_array_index (self->items, i);

      if (item != self->drag_item || self->drag_mode == DRAG_NONE)
        draw_block (self, snapshot, item, item->appointment->start, item->appointment->end, &fg, &accent,
                    dark, FALSE);
    }
  if (self->drag_item != NULL && self->drag_mode != DRAG_NONE)
    draw_block (self, snapshot, self->drag_item, self->ghost_start, self->ghost_end, &fg, &accent, dark, TRUE);

  /* Now, across today. */
  if (today >= 0 && minute_of_day (now) >= self->first_minute && minute_of_day (now) < self->last_minute)
    {
      double y = y_for_minute (self, minute_of_day (now) + g_date_time_get_second (now) / 60.0);
      double x = GUTTER + today * column;
      GskRoundedRect dot;

      gtk_snapshot_append_color (snapshot, &now_color, &GRAPHENE_RECT_INIT (x, y - 1, column, 2));
      gsk_rounded_rect_init_from_rect (&dot, &GRAPHENE_RECT_INIT (x - 4, y - 4, 8, 8), 4);
      gtk_snapshot_push_rounded_clip (snapshot, &dot);
      gtk_snapshot_append_color (snapshot, &now_color, &dot.bounds);
      gtk_snapshot_pop (snapshot);
    }
}

static void
cairn_schedule_view_measure (GtkWidget      *widget,
                             GtkOrientation  orientation,
                             int             for_size,
                             int            *minimum,
                             int            *natural,
                             int            *minimum_baseline,
                             int            *natural_baseline)
{
  CairnScheduleView *self = CAIRN_SCHEDULE_VIEW (widget);

  if (orientation == GTK_ORIENTATION_HORIZONTAL)
    {
      *minimum = GUTTER + MAX (self->n_days, 1) * MIN_COLUMN;
      *natural = GUTTER + MAX (self->n_days, 1) * 160;
    }
  else
    *minimum = *natural = (int) y_for_minute (self, self->last_minute) + 1;
}

/* ------------------------------------------------------------------------ */
/* Selection and keyboard                                                    */

static void
select_item (CairnScheduleView *self,
             const char        *id)
{
  CairnAgendaItem *item;

  if (g_strcmp0 (id, self->selected) == 0)
    return;
  g_free (self->selected);
  self->selected = g_strdup (id);
  gtk_widget_queue_draw (GTK_WIDGET (self));

  /* The blocks are drawn, not widgets: say the chosen one in words. */
  item = find_item (self, id);
  if (item != NULL)
    {
      g_autofree char *markup = block_markup (self, item, item->appointment->start, item->appointment->end, TRUE);
      g_autofree char *text = NULL;

      pango_parse_markup (markup, -1, 0, NULL, &text, NULL, NULL);
      gtk_accessible_update_property (GTK_ACCESSIBLE (self), GTK_ACCESSIBLE_PROPERTY_DESCRIPTION,
                                      text != NULL ? text : "", -1);
    }
  else
    gtk_accessible_reset_property (GTK_ACCESSIBLE (self), GTK_ACCESSIBLE_PROPERTY_DESCRIPTION);
  g_signal_emit (self, signals[SELECTION_CHANGED], 0);
}

static int
selected_index (CairnScheduleView *self)
{
  for (guint i = 0; self->selected != NULL && self->items != NULL && i < self->items->len; i++)
    if (g_strcmp0 (((CairnAgendaItem *) g_ptr_array_index (self->items, i))->appointment->id,
                   self->selected) == 0)
      return i;
  return -1;
}

static void
request_move (CairnScheduleView     *self,
              const CairnAgendaItem *item,
              gint64                 start,
              gint64                 end)
{
  const CairnAppointment *a = item->appointment;

  if (start == a->start && end == a->end)
    return;
  g_signal_emit (self, signals[MOVE_REQUESTED], 0, a->id, start, end);
}

/* Moves @item by @days and @minutes of wall-clock time, or stretches its
 * end by @minutes when @resize. */
static void
nudge (CairnScheduleView     *self,
       const CairnAgendaItem *item,
       int                    days,
       int                    minutes,
       gboolean               resize)
{
  const CairnAppointment *a = item->appointment;
  g_autoptr(GDateTime) from = local_time (self, a->start);
  g_autoptr(GDateTime) to = local_time (self, a->end);

  if (resize)
    {
      g_autoptr(GDateTime) end = g_date_time_add_minutes (to, minutes);
      gint64 new_end = g_date_time_to_unix (end);

      if (new_end - a->start >= STEP)
        request_move (self, item, a->start, new_end);
    }
  else
    {
      g_autoptr(GDateTime) day = g_date_time_add_days (from, days);
      g_autoptr(GDateTime) start = g_date_time_add_minutes (day, minutes);

      request_move (self, item, g_date_time_to_unix (start),
                    g_date_time_to_unix (start) + (a->end - a->start));
    }
}

static void
select_nth (CairnScheduleView *self,
            int                index)
{
  guint n = self->items != NULL ? self->items->len : 0;

  if (n == 0)
    return;
  index = CLAMP (index, 0, (int) n - 1);
  select_item (self, ((CairnAgendaItem *) g_ptr_array_index (self->items, index))->appointment->id);
}

/* The arrows walk the appointments day by day, in time order. */
static void
cairn_schedule_view_walk_action (GtkWidget  *widget,
                                 const char *action_name,
                                 GVariant   *parameter)
{
  CairnScheduleView *self = CAIRN_SCHEDULE_VIEW (widget);
  int index = selected_index (self);

  if (g_str_equal (action_name, "grid.first"))
    select_nth (self, 0);
  else if (g_str_equal (action_name, "grid.last"))
    select_nth (self, G_MAXINT);
  else if (g_str_equal (action_name, "grid.previous"))
    select_nth (self, index > 0 ? index - 1 : 0);
  else
    select_nth (self, index + 1);
}

static void
cairn_schedule_view_open_action (GtkWidget  *widget,
                                 const char *action_name,
                                 GVariant   *parameter)
{
  CairnScheduleView *self = CAIRN_SCHEDULE_VIEW (widget);

  if (self->selected != NULL)
    g_signal_emit (self, signals[ITEM_ACTIVATED], 0, self->selected);
}

/* The keyboard's drag: a quarter hour or a day at a time. */
static void
cairn_schedule_view_nudge_action (GtkWidget  *widget,
                                  const char *action_name,
                                  GVariant   *parameter)
{
  CairnScheduleView *self = CAIRN_SCHEDULE_VIEW (widget);
  int index = selected_index (self);
  const CairnAgendaItem *item = index >= 0 ? g_ptr_array_index (self->items, index) : NULL;

  if (item == NULL || g_strcmp0 (item->appointment->status, "cancelled") == 0)
    return;
  if (g_str_equal (action_name, "grid.earlier"))
    nudge (self, item, 0, -15, FALSE);
  else if (g_str_equal (action_name, "grid.later"))
    nudge (self, item, 0, 15, FALSE);
  else if (g_str_equal (action_name, "grid.day-earlier"))
    nudge (self, item, -1, 0, FALSE);
  else if (g_str_equal (action_name, "grid.day-later"))
    nudge (self, item, 1, 0, FALSE);
  else if (g_str_equal (action_name, "grid.shorter"))
    nudge (self, item, 0, -15, TRUE);
  else if (g_str_equal (action_name, "grid.longer"))
    nudge (self, item, 0, 15, TRUE);
}

/* ------------------------------------------------------------------------ */
/* Mouse                                                                     */

static void
on_click_pressed_cb (CairnScheduleView *self,
                     int                n_press,
                     double             x,
                     double             y,
                     GtkGestureClick   *gesture)
{
  CairnAgendaItem *item = item_at (self, x, y, NULL);

  gtk_widget_grab_focus (GTK_WIDGET (self));
  select_item (self, item != NULL ? item->appointment->id : NULL);
  if (n_press != 2)
    return;
  if (item != NULL)
    g_signal_emit (self, signals[ITEM_ACTIVATED], 0, item->appointment->id);
  else if (x >= GUTTER)
    {
      gint64 start = cairn_schedule_view_time_at (self, x, y);

      if (start != 0)
        g_signal_emit (self, signals[SLOT_ACTIVATED], 0, start);
    }
}

static void
on_drag_begin_cb (CairnScheduleView *self,
                  double             x,
                  double             y,
                  GtkGestureDrag    *gesture)
{
  graphene_rect_t rect;
  CairnAgendaItem *item = item_at (self, x, y, &rect);

  if (item == NULL || g_strcmp0 (item->appointment->status, "cancelled") == 0)
    {
      gtk_gesture_set_state (GTK_GESTURE (gesture), GTK_EVENT_SEQUENCE_DENIED);
      return;
    }
  self->drag_item = item;
  self->drag_mode = DRAG_NONE;
  self->ghost_start = item->appointment->start;
  self->ghost_end = item->appointment->end;
  self->ghost_clashes = FALSE;
  /* The lower edge stretches; the rest moves. */
  if (y >= rect.origin.y + rect.size.height - RESIZE_EDGE)
    self->drag_mode = DRAG_RESIZE;
}

static void
on_drag_update_cb (CairnScheduleView *self,
                   double             dx,
                   double             dy,
                   GtkGestureDrag    *gesture)
{
  const CairnAppointment *a;
  int steps, days;

  if (self->drag_item == NULL)
    return;
  a = self->drag_item->appointment;

  /* A few pixels of wobble are a click, not a drag. */
  if (self->drag_mode == DRAG_NONE && ABS (dx) < 4 && ABS (dy) < 4)
    return;
  if (self->drag_mode == DRAG_NONE)
    self->drag_mode = DRAG_MOVE;
  gtk_gesture_set_state (GTK_GESTURE (gesture), GTK_EVENT_SEQUENCE_CLAIMED);

  steps = (int) round (dy / (HOUR_HEIGHT / 4.0));
  days = self->n_days > 1 ? (int) round (dx / column_width (self)) : 0;
  if (self->drag_mode == DRAG_RESIZE)
    {
      g_autoptr(GDateTime) to = local_time (self, a->end);
      g_autoptr(GDateTime) end = g_date_time_add_minutes (to, steps * 15);

      self->ghost_start = a->start;
      self->ghost_end = MAX (g_date_time_to_unix (end), a->start + STEP);
    }
  else
    {
      g_autoptr(GDateTime) from = local_time (self, a->start);
      g_autoptr(GDateTime) day = g_date_time_add_days (from, days);
      g_autoptr(GDateTime) start = g_date_time_add_minutes (day, steps * 15);
      g_autoptr(GDateTime) local = NULL;
      int index;

      /* Keep it on the grid. */
      local = local_time (self, g_date_time_to_unix (start));
      index = day_index (self, local);
      if (index < 0)
        return;
      self->ghost_start = g_date_time_to_unix (start);
      self->ghost_end = self->ghost_start + (a->end - a->start);
    }
  self->ghost_clashes = would_clash (self, self->drag_item, self->ghost_start, self->ghost_end);
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

static void
on_drag_end_cb (CairnScheduleView *self,
                double             dx,
                double             dy,
                GtkGestureDrag    *gesture)
{
  CairnAgendaItem *item = g_steal_pointer (&self->drag_item);
  DragMode mode = self->drag_mode;

  self->drag_mode = DRAG_NONE;
  gtk_widget_queue_draw (GTK_WIDGET (self));
  if (item != NULL && mode != DRAG_NONE)
    request_move (self, item, self->ghost_start, self->ghost_end);
}

static void
on_drag_cancel_cb (CairnScheduleView *self,
                   GdkEventSequence  *sequence,
                   GtkGesture        *gesture)
{
  self->drag_item = NULL;
  self->drag_mode = DRAG_NONE;
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

/* ------------------------------------------------------------------------ */

static gboolean
tick_cb (gpointer data)
{
  gtk_widget_queue_draw (GTK_WIDGET (data));
  return G_SOURCE_CONTINUE;
}

static void
cairn_schedule_view_map (GtkWidget *widget)
{
  CairnScheduleView *self = CAIRN_SCHEDULE_VIEW (widget);

  GTK_WIDGET_CLASS (cairn_schedule_view_parent_class)->map (widget);
  /* The line for now moves a pixel every minute or so. */
  if (self->tick_id == 0)
    self->tick_id = g_timeout_add_seconds (30, tick_cb, self);
}

static void
cairn_schedule_view_unmap (GtkWidget *widget)
{
  CairnScheduleView *self = CAIRN_SCHEDULE_VIEW (widget);

  g_clear_handle_id (&self->tick_id, g_source_remove);
  GTK_WIDGET_CLASS (cairn_schedule_view_parent_class)->unmap (widget);
}

static void
cairn_schedule_view_css_changed (GtkWidget         *widget,
                                 GtkCssStyleChange *change)
{
  CairnScheduleView *self = CAIRN_SCHEDULE_VIEW (widget);

  GTK_WIDGET_CLASS (cairn_schedule_view_parent_class)->css_changed (widget, change);
  /* The font may have changed. */
  g_hash_table_remove_all (self->texts);
}

static void
cairn_schedule_view_finalize (GObject *object)
{
  CairnScheduleView *self = CAIRN_SCHEDULE_VIEW (object);

  g_clear_handle_id (&self->tick_id, g_source_remove);
  g_clear_pointer (&self->zone, g_time_zone_unref);
  g_clear_pointer (&self->items, g_ptr_array_unref);
  g_clear_pointer (&self->clashes, g_hash_table_unref);
  g_clear_pointer (&self->protocol, cairn_protocol_unref);
  g_clear_pointer (&self->selected, g_free);
  g_clear_pointer (&self->texts, g_hash_table_unref);

  G_OBJECT_CLASS (cairn_schedule_view_parent_class)->finalize (object);
}

typedef struct
{
  const char     *action;
  guint           keyval;
  guint           keypad;
  GdkModifierType modifiers;
} Key;

static const Key keys[] = {
  { "grid.previous", GDK_KEY_Up, GDK_KEY_KP_Up, 0 },
  { "grid.previous", GDK_KEY_Left, GDK_KEY_KP_Left, 0 },
  { "grid.next", GDK_KEY_Down, GDK_KEY_KP_Down, 0 },
  { "grid.next", GDK_KEY_Right, GDK_KEY_KP_Right, 0 },
  { "grid.first", GDK_KEY_Home, GDK_KEY_KP_Home, 0 },
  { "grid.last", GDK_KEY_End, GDK_KEY_KP_End, 0 },
  { "grid.open", GDK_KEY_Return, GDK_KEY_KP_Enter, 0 },
  { "grid.open", GDK_KEY_space, GDK_KEY_KP_Space, 0 },
};

static const Key nudges[] = {
  { "grid.earlier", GDK_KEY_Up, GDK_KEY_KP_Up, GDK_CONTROL_MASK },
  { "grid.later", GDK_KEY_Down, GDK_KEY_KP_Down, GDK_CONTROL_MASK },
  { "grid.day-earlier", GDK_KEY_Left, GDK_KEY_KP_Left, GDK_CONTROL_MASK },
  { "grid.day-later", GDK_KEY_Right, GDK_KEY_KP_Right, GDK_CONTROL_MASK },
  { "grid.shorter", GDK_KEY_Up, GDK_KEY_KP_Up, GDK_CONTROL_MASK | GDK_SHIFT_MASK },
  { "grid.longer", GDK_KEY_Down, GDK_KEY_KP_Down, GDK_CONTROL_MASK | GDK_SHIFT_MASK },
};

static void
cairn_schedule_view_class_init (CairnScheduleViewClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->finalize = cairn_schedule_view_finalize;
  widget_class->snapshot = cairn_schedule_view_snapshot;
  widget_class->measure = cairn_schedule_view_measure;
  widget_class->map = cairn_schedule_view_map;
  widget_class->unmap = cairn_schedule_view_unmap;
  widget_class->css_changed = cairn_schedule_view_css_changed;

  /**
   * CairnScheduleView::item-activated:
   * @id: the appointment's id
   *
   * A double click or Enter on an appointment: open it.
   */
  signals[ITEM_ACTIVATED] = g_signal_new ("item-activated", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                          0, NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_STRING);
  /**
   * CairnScheduleView::slot-activated:
   * @start: UTC seconds, on a quarter hour
   *
   * A double click on free time: book something then.
   */
  signals[SLOT_ACTIVATED] = g_signal_new ("slot-activated", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                          0, NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_INT64);
  /**
   * CairnScheduleView::move-requested:
   * @id: the appointment's id
   * @start: where it should start, UTC seconds
   * @end: where it should end
   *
   * A drag let go, or a keyboard move: the view has not moved anything.
   */
  signals[MOVE_REQUESTED] = g_signal_new ("move-requested", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                          0, NULL, NULL, NULL, G_TYPE_NONE, 3, G_TYPE_STRING, G_TYPE_INT64,
                                          G_TYPE_INT64);
  signals[SELECTION_CHANGED] = g_signal_new ("selection-changed", G_TYPE_FROM_CLASS (klass),
                                             G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL, G_TYPE_NONE, 0);

  gtk_widget_class_install_action (widget_class, "grid.previous", NULL, cairn_schedule_view_walk_action);
  gtk_widget_class_install_action (widget_class, "grid.next", NULL, cairn_schedule_view_walk_action);
  gtk_widget_class_install_action (widget_class, "grid.first", NULL, cairn_schedule_view_walk_action);
  gtk_widget_class_install_action (widget_class, "grid.last", NULL, cairn_schedule_view_walk_action);
  gtk_widget_class_install_action (widget_class, "grid.open", NULL, cairn_schedule_view_open_action);
  for (guint i = 0; i < G_N_ELEMENTS (nudges); i++)
    gtk_widget_class_install_action (widget_class, nudges[i].action, NULL, cairn_schedule_view_nudge_action);

  for (guint i = 0; i < G_N_ELEMENTS (keys); i++)
    {
      gtk_widget_class_add_binding_action (widget_class, keys[i].keyval, keys[i].modifiers, keys[i].action, NULL);
      gtk_widget_class_add_binding_action (widget_class, keys[i].keypad, keys[i].modifiers, keys[i].action, NULL);
    }
  for (guint i = 0; i < G_N_ELEMENTS (nudges); i++)
    {
      gtk_widget_class_add_binding_action (widget_class, nudges[i].keyval, nudges[i].modifiers, nudges[i].action,
                                           NULL);
      gtk_widget_class_add_binding_action (widget_class, nudges[i].keypad, nudges[i].modifiers, nudges[i].action,
                                           NULL);
    }

  gtk_widget_class_set_css_name (widget_class, "schedule-view");
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_GRID);
}

static void
cairn_schedule_view_init (CairnScheduleView *self)
{
  GtkGesture *click = gtk_gesture_click_new ();
  GtkGesture *drag = gtk_gesture_drag_new ();

  self->texts = g_hash_table_new_full (NULL, NULL, NULL, (GDestroyNotify) cached_text_free);
  self->n_days = 1;
  self->first_minute = 8 * 60;
  self->last_minute = 18 * 60;
  g_date_clear (&self->first_day, 1);

  gtk_widget_set_focusable (GTK_WIDGET (self), TRUE);
  gtk_widget_set_focus_on_click (GTK_WIDGET (self), TRUE);

  gtk_gesture_single_set_button (GTK_GESTURE_SINGLE (click), GDK_BUTTON_PRIMARY);
  g_signal_connect_object (click, "pressed", G_CALLBACK (on_click_pressed_cb), self, G_CONNECT_SWAPPED);
  gtk_widget_add_controller (GTK_WIDGET (self), GTK_EVENT_CONTROLLER (click));

  gtk_gesture_single_set_button (GTK_GESTURE_SINGLE (drag), GDK_BUTTON_PRIMARY);
  g_signal_connect_object (drag, "drag-begin", G_CALLBACK (on_drag_begin_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (drag, "drag-update", G_CALLBACK (on_drag_update_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (drag, "drag-end", G_CALLBACK (on_drag_end_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (drag, "cancel", G_CALLBACK (on_drag_cancel_cb), self, G_CONNECT_SWAPPED);
  gtk_widget_add_controller (GTK_WIDGET (self), GTK_EVENT_CONTROLLER (drag));
}

/* ------------------------------------------------------------------------ */
/* API                                                                       */

GtkWidget *
cairn_schedule_view_new (void)
{
  return g_object_new (CAIRN_TYPE_SCHEDULE_VIEW, NULL);
}

/**
 * cairn_schedule_view_set_range:
 * @self: a #CairnScheduleView
 * @zone: the practice's zone
 * @first_day: the first local day shown
 * @n_days: how many days: 1 or 7
 *
 * Says which days the grid shows. The appointments are dropped: the page
 * gives those of the new range.
 */
void
cairn_schedule_view_set_range (CairnScheduleView *self,
                               GTimeZone         *zone,
                               const GDate       *first_day,
                               guint              n_days)
{
  g_return_if_fail (CAIRN_IS_SCHEDULE_VIEW (self));
  g_return_if_fail (zone != NULL && first_day != NULL && g_date_valid (first_day));
  g_return_if_fail (n_days >= 1 && n_days <= 7);

  if (self->zone != zone)
    {
      g_clear_pointer (&self->zone, g_time_zone_unref);
      self->zone = g_time_zone_ref (zone);
    }
  self->first_day = *first_day;
  self->n_days = n_days;
  g_hash_table_remove_all (self->texts);
  g_clear_pointer (&self->items, g_ptr_array_unref);
  update_hours (self);
  gtk_widget_queue_resize (GTK_WIDGET (self));
}

guint
cairn_schedule_view_get_n_days (CairnScheduleView *self)
{
  g_return_val_if_fail (CAIRN_IS_SCHEDULE_VIEW (self), 0);
  return self->n_days;
}

/**
 * cairn_schedule_view_set_items:
 * @self: a #CairnScheduleView
 * @items: (element-type CairnAgendaItem) (transfer none) (nullable): the
 *   appointments of the range, from cairn_agenda_list()
 * @clashes: (transfer none) (nullable): which of @items are booked over
 *   one another, from cairn_agenda_find_clashes()
 *
 * Shows @items, those in @clashes edged in red and saying so; the view
 * keeps a reference to both and lays each day's out in lanes.
 */
void
cairn_schedule_view_set_items (CairnScheduleView *self,
                               GPtrArray         *items,
                               GHashTable        *clashes)
{
  g_return_if_fail (CAIRN_IS_SCHEDULE_VIEW (self));
  g_return_if_fail (items == NULL || self->zone != NULL);

  if (clashes != NULL)
    g_hash_table_ref (clashes);
  g_clear_pointer (&self->clashes, g_hash_table_unref);
  self->clashes = clashes;

  self->drag_item = NULL;
  self->drag_mode = DRAG_NONE;
  g_hash_table_remove_all (self->texts);
  if (items != NULL)
    g_ptr_array_ref (items);
  g_clear_pointer (&self->items, g_ptr_array_unref);
  self->items = items;

  if (items != NULL)
    {
      g_autoptr(GPtrArray) by_day = g_ptr_array_new_with_free_func ((GDestroyNotify) g_ptr_array_unref);
      g_autoptr(GPtrArray) sorted = g_ptr_array_new ();

      for (guint d = 0; d < self->n_days; d++)
        g_ptr_array_add (by_day, g_ptr_array_new ());
      for (guint i = 0; i < items->len; i++)
        {
          CairnAgendaItem *item = g_ptr_array_index (items, i);
          g_autoptr(GDateTime) from = local_time (self, item->appointment->start);
          int day = day_index (self, from);

          item->lane = 0;
          item->n_lanes = 1;
          if (day >= 0)
            g_ptr_array_add (g_ptr_array_index (by_day, day), item);
        }
      for (guint d = 0; d < self->n_days; d++)
        {
          GPtrArray *day = g_ptr_array_index (by_day, d);

          cairn_agenda_layout (day);
          g_ptr_array_extend (sorted, day, NULL, NULL);
        }
      /* The keyboard walks day by day, each in time order. */
      g_ptr_array_set_free_func (items, NULL);
      g_ptr_array_set_size (items, 0);
      g_ptr_array_extend (items, sorted, NULL, NULL);
      g_ptr_array_set_free_func (items, (GDestroyNotify) cairn_agenda_item_free);
    }

  if (find_item (self, self->selected) == NULL)
    select_item (self, NULL);
  update_hours (self);
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

/**
 * cairn_schedule_view_get_items:
 * @self: a #CairnScheduleView
 *
 * Returns: (transfer none) (nullable) (element-type CairnAgendaItem): what
 *   the view shows, day by day in time order
 */
GPtrArray *
cairn_schedule_view_get_items (CairnScheduleView *self)
{
  g_return_val_if_fail (CAIRN_IS_SCHEDULE_VIEW (self), NULL);
  return self->items;
}

void
cairn_schedule_view_set_protocol (CairnScheduleView *self,
                                  CairnProtocol     *protocol)
{
  g_return_if_fail (CAIRN_IS_SCHEDULE_VIEW (self));

  if (protocol != NULL)
    cairn_protocol_ref (protocol);
  g_clear_pointer (&self->protocol, cairn_protocol_unref);
  self->protocol = protocol;
  g_hash_table_remove_all (self->texts);
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

/**
 * cairn_schedule_view_set_rules:
 * @self: a #CairnScheduleView
 * @rules: (nullable): the practice's hours and closed days, owned by the
 *   caller, who must set them back to %NULL before freeing them
 */
void
cairn_schedule_view_set_rules (CairnScheduleView        *self,
                               const CairnScheduleRules *rules)
{
  g_return_if_fail (CAIRN_IS_SCHEDULE_VIEW (self));

  self->rules = rules;
  update_hours (self);
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

/* For tests and pictures: a fixed "now" (0 follows the clock). */
void
cairn_schedule_view_set_now (CairnScheduleView *self,
                             gint64             now)
{
  g_return_if_fail (CAIRN_IS_SCHEDULE_VIEW (self));

  self->fixed_now = now;
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

const char *
cairn_schedule_view_get_selected (CairnScheduleView *self)
{
  g_return_val_if_fail (CAIRN_IS_SCHEDULE_VIEW (self), NULL);
  return self->selected;
}

void
cairn_schedule_view_select (CairnScheduleView *self,
                            const char        *id)
{
  g_return_if_fail (CAIRN_IS_SCHEDULE_VIEW (self));
  select_item (self, find_item (self, id) != NULL ? id : NULL);
}

/**
 * cairn_schedule_view_locate:
 * @self: a #CairnScheduleView
 * @id: an appointment's id
 * @rect: (out): where its block is drawn
 *
 * Returns: whether the appointment is on the grid
 */
gboolean
cairn_schedule_view_locate (CairnScheduleView *self,
                            const char        *id,
                            graphene_rect_t   *rect)
{
  CairnAgendaItem *item;

  g_return_val_if_fail (CAIRN_IS_SCHEDULE_VIEW (self), FALSE);

  item = find_item (self, id);
  return item != NULL && block_rect (self, item, item->appointment->start, item->appointment->end, rect);
}

/**
 * cairn_schedule_view_time_at:
 * @self: a #CairnScheduleView
 * @x: a point in the view
 * @y: a point in the view
 *
 * Returns: the start of the quarter hour at that point, UTC seconds, or 0
 *   off the grid
 */
gint64
cairn_schedule_view_time_at (CairnScheduleView *self,
                             double             x,
                             double             y)
{
  g_autoptr(GDateTime) time = NULL;
  GDate day;
  int index, minute;

  g_return_val_if_fail (CAIRN_IS_SCHEDULE_VIEW (self), 0);

  if (self->zone == NULL || x < GUTTER || y < 0)
    return 0;
  index = (int) ((x - GUTTER) / column_width (self));
  minute = self->first_minute + (int) (y / HOUR_HEIGHT * 60) / 15 * 15;
  if (index >= (int) self->n_days || minute >= (int) self->last_minute)
    return 0;
  day = self->first_day;
  g_date_add_days (&day, index);
  time = g_date_time_new (self->zone, g_date_get_year (&day), g_date_get_month (&day), g_date_get_day (&day),
                          minute / 60, minute % 60, 0);
  return time != NULL ? g_date_time_to_unix (time) : 0;
}

/* Where the grid draws a wall-clock time of the range's first day, for
 * scrolling to the morning. */
double
cairn_schedule_view_y_for_time (CairnScheduleView *self,
                                gint64             time)
{
  g_autoptr(GDateTime) local = NULL;

  g_return_val_if_fail (CAIRN_IS_SCHEDULE_VIEW (self), 0);

  if (self->zone == NULL)
    return 0;
  local = local_time (self, time);
  return MAX (0, y_for_minute (self, minute_of_day (local)));
}

/**
 * cairn_schedule_view_get_drag_state:
 * @self: a #CairnScheduleView
 *
 * Returns: "none" when nothing is being dragged, else "free" or "clash"
 *   for where the dragged appointment would go now
 */
const char *
cairn_schedule_view_get_drag_state (CairnScheduleView *self)
{
  g_return_val_if_fail (CAIRN_IS_SCHEDULE_VIEW (self), NULL);

  if (self->drag_item == NULL || self->drag_mode == DRAG_NONE)
    return "none";
  return self->ghost_clashes ? "clash" : "free";
}

/**
 * cairn_schedule_view_get_clashes:
 * @self: a #CairnScheduleView
 *
 * Returns: (transfer none) (nullable): which of the items shown are marked
 *   as booked over one another
 */
GHashTable *
cairn_schedule_view_get_clashes (CairnScheduleView *self)
{
  g_return_val_if_fail (CAIRN_IS_SCHEDULE_VIEW (self), NULL);

  return self->clashes;
}

/* Lets go of everything from the vault: when Cairn locks. */
void
cairn_schedule_view_clear (CairnScheduleView *self)
{
  g_return_if_fail (CAIRN_IS_SCHEDULE_VIEW (self));

  self->drag_item = NULL;
  self->drag_mode = DRAG_NONE;
  self->rules = NULL;
  g_hash_table_remove_all (self->texts);
  g_clear_pointer (&self->items, g_ptr_array_unref);
  g_clear_pointer (&self->clashes, g_hash_table_unref);
  select_item (self, NULL);
  gtk_widget_queue_draw (GTK_WIDGET (self));
}
