/* cairn-day-sheet.c
 *
 * The front desk's day sheet: the day's appointments in order, with the
 * patient, the kind of appointment, room, staff and state, drawn with
 * cairo and Pango so that the same drawing serves the PDF and printing
 * (GtkPrintOperation hands its cairo context to cairn_day_sheet_draw()).
 * Times are the practice's local times. The foot of each page says where
 * practice.db's audit trail ended when the rows were read.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "cairn-schedule"

#include "config.h"

#include <cairo-pdf.h>
#include <gio/gio.h>
#include <glib/gstdio.h>
#include <glib/gi18n.h>
#include <pango/pangocairo.h>

#include "cairn-audit.h"
#include "cairn-conflicts.h"
#include "cairn-day-sheet.h"

#define MARGIN    36.0    /* points: half an inch */
#define ROW_GAP   6.0

void
cairn_day_row_free (CairnDayRow *row)
{
  if (row == NULL)
    return;
  g_free (row->patient);
  g_free (row->chart_number);
  g_free (row->kind);
  g_free (row->room);
  g_free (row->staff);
  g_free (row->status);
  g_free (row);
}

/**
 * cairn_day_sheet_rows:
 * @db: practice.db
 * @day: a date in the practice's zone
 * @type_names: (nullable) (element-type utf8 utf8): appointment type ids
 *   to their names
 * @out_zone: (out) (optional) (transfer full): the practice's zone
 * @error: return location for a #GError
 *
 * Returns: (transfer container) (element-type CairnDayRow) (nullable): the
 *   appointments of @day, by start time
 */
GPtrArray *
cairn_day_sheet_rows (CairnDatabase  *db,
                      const GDate    *day,
                      GHashTable     *type_names,
                      GTimeZone     **out_zone,
                      GError        **error)
{
  g_autoptr(GPtrArray) rows = g_ptr_array_new_with_free_func ((GDestroyNotify) cairn_day_row_free);
  g_autoptr(GError) local_error = NULL;
  g_autofree char *zone_id = cairn_database_query_text (db, "SELECT time_zone FROM practice LIMIT 1", NULL, 0,
                                                        &local_error);
  g_autoptr(GTimeZone) zone = NULL;
  g_autoptr(GDateTime) midnight = NULL;
  g_autoptr(GDateTime) next = NULL;
  sqlite3_stmt *stmt = NULL;
  int rc;

  g_return_val_if_fail (db != NULL && day != NULL && g_date_valid (day), NULL);

  if (local_error != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      return NULL;
    }
  zone = zone_id != NULL ? g_time_zone_new_identifier (zone_id) : NULL;
  if (zone == NULL)
    zone = g_time_zone_new_utc ();

  /* A day is from midnight to midnight where the practice is: 23 or 25
   * hours on the days the clocks change. */
  midnight = g_date_time_new (zone, g_date_get_year (day), g_date_get_month (day), g_date_get_day (day), 0, 0, 0);
  next = g_date_time_add_days (midnight, 1);

  rc = sqlite3_prepare_v2 (cairn_database_get_handle (db),
                           "SELECT a.start_utc, a.end_utc,"
                           " CASE WHEN p.preferred_name IS NOT NULL"
                           "   THEN p.preferred_name || ' (' || p.legal_name || ')' ELSE p.legal_name END,"
                           " p.chart_number, a.type_id, r.name,"
                           " (SELECT group_concat (u.name, ', ') FROM appointment_staff s"
                           "   JOIN users u ON u.id = s.user_id WHERE s.appointment_id = a.id),"
                           " a.status"
                           " FROM appointments a"
                           " LEFT JOIN patients p ON p.id = a.patient_id"
                           " LEFT JOIN rooms r ON r.id = a.room_id"
                           " WHERE a.start_utc < ?2 AND a.end_utc > ?1"
                           /* No appointment is longer than this: the index on
                            * start_utc then reads only the day. */
                           " AND a.start_utc > ?1 - " G_STRINGIFY (CAIRN_BOOKING_MAX_SECONDS)
                           " ORDER BY a.start_utc, r.name",
                           -1, &stmt, NULL);
  if (rc == SQLITE_OK)
    {
      sqlite3_bind_int64 (stmt, 1, g_date_time_to_unix (midnight));
      sqlite3_bind_int64 (stmt, 2, g_date_time_to_unix (next));
    }
  while ((rc == SQLITE_OK || rc == SQLITE_ROW) && (rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      CairnDayRow *row = g_new0 (CairnDayRow, 1);
      const char *type_id = (const char *) sqlite3_column_text (stmt, 4);
      const char *name = type_names != NULL ? g_hash_table_lookup (type_names, type_id) : NULL;

      row->start = sqlite3_column_int64 (stmt, 0);
      row->end = sqlite3_column_int64 (stmt, 1);
      row->patient = g_strdup ((const char *) sqlite3_column_text (stmt, 2));
      row->chart_number = g_strdup ((const char *) sqlite3_column_text (stmt, 3));
      row->kind = g_strdup (name != NULL ? name : type_id);
      row->room = g_strdup ((const char *) sqlite3_column_text (stmt, 5));
      row->staff = g_strdup ((const char *) sqlite3_column_text (stmt, 6));
      row->status = g_strdup ((const char *) sqlite3_column_text (stmt, 7));
      g_ptr_array_add (rows, row);
    }
  sqlite3_finalize (stmt);
  if (rc != SQLITE_DONE)
    {
      cairn_database_set_error (db, sqlite3_extended_errcode (cairn_database_get_handle (db)), error);
      return NULL;
    }

  if (out_zone != NULL)
    *out_zone = g_steal_pointer (&zone);
  return g_steal_pointer (&rows);
}

static const char *
status_label (const char *status)
{
  if (g_strcmp0 (status, "checked-in") == 0)
    return _("Checked in");
  if (g_strcmp0 (status, "no-show") == 0)
    return _("No-show");
  if (g_strcmp0 (status, "cancelled") == 0)
    return _("Cancelled");
  if (g_strcmp0 (status, "completed") == 0)
    return _("Completed");
  return "";
}

static char *
local_time (gint64     utc,
            GTimeZone *zone)
{
  g_autoptr(GDateTime) time = g_date_time_new_from_unix_utc (utc);
  g_autoptr(GDateTime) local = g_date_time_to_timezone (time, zone);

  return g_date_time_format (local, "%H:%M");
}

/* Draws @text at (x, y) in a box @width wide, one line, ellipsized; returns
 * its height. */
static double
cell (cairo_t     *cr,
      PangoLayout *layout,
      const char  *text,
      double       x,
      double       y,
      double       width)
{
  int h;

  pango_layout_set_text (layout, text != NULL ? text : "", -1);
  pango_layout_set_width (layout, (int) (width * PANGO_SCALE));
  cairo_move_to (cr, x, y);
  pango_cairo_show_layout (cr, layout);
  pango_layout_get_pixel_size (layout, NULL, &h);
  return h;
}

/**
 * cairn_day_sheet_draw:
 * @cr: where to draw (a PDF page, a print page)
 * @width: the page's width, in the units of @cr
 * @height: its height
 * @practice: the practice's name, for the heading
 * @day: the day
 * @zone: the practice's zone
 * @rows: (element-type CairnDayRow): the day's appointments
 * @audit_head: where practice.db's audit trail ended when @rows were read,
 *   for every page's footer
 * @first_row: the first row to draw on this page
 * @next_row: (out): the first row that did not fit (@rows->len when all did)
 *
 * Draws one page of the day sheet.
 */
void
cairn_day_sheet_draw (cairo_t              *cr,
                      double                width,
                      double                height,
                      const char           *practice,
                      const GDate          *day,
                      GTimeZone            *zone,
                      GPtrArray            *rows,
                      const CairnAuditHead *audit_head,
                      guint                 first_row,
                      guint                *next_row)
{
  g_autoptr(PangoLayout) layout = pango_cairo_create_layout (cr);
  g_autoptr(PangoFontDescription) body = pango_font_description_from_string ("Sans 9");
  g_autoptr(PangoFontDescription) bold = pango_font_description_from_string ("Sans Bold 9");
  g_autoptr(PangoFontDescription) title = pango_font_description_from_string ("Sans Bold 14");
  g_autoptr(PangoFontDescription) small = pango_font_description_from_string ("Sans 7");
  g_autofree char *footer = cairn_audit_head_describe (audit_head);
  const double usable = width - 2 * MARGIN;
  /* Time, patient, appointment, room, staff, state: shares of the width. */
  static const double shares[] = { 0.11, 0.29, 0.17, 0.13, 0.19, 0.11 };
  const char *headings[] = { _("Time"), _("Patient"), _("Appointment"), _("Room"), _("Staff"), _("State") };
  char date[128];
  double y = MARGIN;
  double x;
  guint i;

  g_date_strftime (date, sizeof date, "%A %e %B %Y", day);
  pango_layout_set_ellipsize (layout, PANGO_ELLIPSIZE_END);
  cairo_set_source_rgb (cr, 0, 0, 0);

  pango_layout_set_font_description (layout, title);
  y += cell (cr, layout, practice, MARGIN, y, usable);
  pango_layout_set_font_description (layout, body);
  {
    g_autofree char *subtitle = g_strdup_printf (_("Day sheet for %s"), g_strstrip (date));

    y += cell (cr, layout, subtitle, MARGIN, y, usable) + 12;
  }

  pango_layout_set_font_description (layout, bold);
  x = MARGIN;
  for (i = 0; i < G_N_ELEMENTS (headings); i++)
    {
      cell (cr, layout, headings[i], x, y, usable * shares[i] - 6);
      x += usable * shares[i];
    }
  y += 14;
  cairo_set_line_width (cr, 0.75);
  cairo_move_to (cr, MARGIN, y);
  cairo_line_to (cr, width - MARGIN, y);
  cairo_stroke (cr);
  y += 4;

  pango_layout_set_font_description (layout, body);
  for (i = first_row; i < rows->len; i++)
    {
      const CairnDayRow *row = g_ptr_array_index (rows, i);
      g_autofree char *start = local_time (row->start, zone);
      g_autofree char *end = local_time (row->end, zone);
      g_autofree char *times = g_strdup_printf ("%s–%s", start, end);
      g_autofree char *patient = row->chart_number != NULL
                                 ? g_strdup_printf ("%s · %s", row->patient, row->chart_number)
                                 : g_strdup (row->patient);
      const char *values[] = { times, patient, row->kind, row->room, row->staff, status_label (row->status) };
      double tallest = 0;

      if (y + 14 > height - MARGIN - 14)
        break;
      x = MARGIN;
      for (guint c = 0; c < G_N_ELEMENTS (values); c++)
        {
          tallest = MAX (tallest, cell (cr, layout, values[c], x, y, usable * shares[c] - 6));
          x += usable * shares[c];
        }
      y += tallest + ROW_GAP;
    }

  if (rows->len == 0)
    cell (cr, layout, _("No appointments."), MARGIN, y, usable);

  /* Below the last row's room, in the bottom margin: a copy of the sheet
   * kept elsewhere shows later where the trail then ended. */
  pango_layout_set_font_description (layout, small);
  cell (cr, layout, footer, MARGIN, height - MARGIN + 8, usable);

  *next_row = i;
}

static cairo_status_t
append_to_bytes (void                *closure,
                 const unsigned char *data,
                 unsigned int         length)
{
  g_byte_array_append (closure, data, length);
  return CAIRO_STATUS_SUCCESS;
}

/**
 * cairn_day_sheet_write_pdf:
 * @path: where to write the PDF; replaced atomically
 * @practice: the practice's name
 * @day: the day
 * @zone: the practice's zone
 * @rows: (element-type CairnDayRow): the day's appointments
 * @audit_head: where practice.db's audit trail ended when @rows were read
 * @error: return location for a #GError
 *
 * Returns: %TRUE when the PDF is in place
 */
gboolean
cairn_day_sheet_write_pdf (const char            *path,
                           const char            *practice,
                           const GDate           *day,
                           GTimeZone             *zone,
                           GPtrArray             *rows,
                           const CairnAuditHead  *audit_head,
                           GError               **error)
{
  g_autoptr(GFile) file = NULL;
  g_autoptr(GFileOutputStream) out = NULL;
  g_autoptr(GByteArray) pdf = g_byte_array_new ();
  cairo_surface_t *surface;
  cairo_t *cr;
  cairo_status_t status;
  guint row = 0;

  g_return_val_if_fail (path != NULL && rows != NULL && audit_head != NULL, FALSE);

  /* Drawn in memory (A4 landscape, in points: six columns need the width),
   * then written in one go: nothing half-written is left. */
  surface = cairo_pdf_surface_create_for_stream (append_to_bytes, pdf, 842, 595);
  cr = cairo_create (surface);
  do
    {
      guint next = row;

      cairn_day_sheet_draw (cr, 842, 595, practice, day, zone, rows, audit_head, row, &next);
      cairo_show_page (cr);
      if (next == row && row < rows->len)
        break;  /* a row taller than a page: cannot happen with one-line cells */
      row = next;
    }
  while (row < rows->len);
  cairo_destroy (cr);
  cairo_surface_finish (surface);
  status = cairo_surface_status (surface);
  cairo_surface_destroy (surface);
  if (status != CAIRO_STATUS_SUCCESS)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED, _("The day sheet could not be drawn: %s"),
                   cairo_status_to_string (status));
      return FALSE;
    }

  file = g_file_new_for_path (path);
  return g_file_replace_contents (file, (const char *) pdf->data, pdf->len, NULL, FALSE,
                                  G_FILE_CREATE_PRIVATE | G_FILE_CREATE_REPLACE_DESTINATION, NULL, NULL, error);
}

typedef struct
{
  const char *user_id;
  const char *action;
  const char *detail;
} AuditData;

static gboolean
audit_export (CairnDatabase  *db,
              gpointer        user_data,
              GError        **error)
{
  AuditData *data = user_data;

  return cairn_audit_append (db, data->user_id, data->action, NULL, data->detail, error);
}

/**
 * cairn_day_sheet_record:
 * @db: practice.db
 * @day: the day whose sheet left the vault
 * @printed: %TRUE when it was printed, %FALSE when saved as a PDF
 * @user_id: (nullable): who
 * @error: return location for a #GError
 *
 * Records in the audit trail that a day sheet, with patients' names on it,
 * left the vault.
 *
 * Returns: whether the entry was written
 */
gboolean
cairn_day_sheet_record (CairnDatabase  *db,
                        const GDate    *day,
                        gboolean        printed,
                        const char     *user_id,
                        GError        **error)
{
  char iso[16];
  AuditData data = { user_id, printed ? "day-sheet.print" : "day-sheet.export", iso };

  g_return_val_if_fail (db != NULL && day != NULL && g_date_valid (day), FALSE);

  g_date_strftime (iso, sizeof iso, "%Y-%m-%d", day);
  return cairn_database_transaction (db, audit_export, &data, error);
}

/**
 * cairn_day_sheet_export:
 * @db: practice.db
 * @day: the day
 * @practice: the practice's name, for the sheet's head
 * @type_names: (nullable) (element-type utf8 utf8): appointment type names
 * @path: where to write the PDF; replaced atomically
 * @user_id: (nullable): who exports
 * @error: return location for a #GError
 *
 * Writes the day sheet of @day as a PDF and records the export in the
 * audit trail. When the record cannot be written, the file is removed
 * again: a sheet leaves the vault only with its trace.
 *
 * Returns: whether the PDF is in place and recorded
 */
gboolean
cairn_day_sheet_export (CairnDatabase  *db,
                        const GDate    *day,
                        const char     *practice,
                        GHashTable     *type_names,
                        const char     *path,
                        const char     *user_id,
                        GError        **error)
{
  g_autoptr(GPtrArray) rows = NULL;
  g_autoptr(GTimeZone) zone = NULL;
  CairnAuditHead head;

  g_return_val_if_fail (db != NULL && path != NULL, FALSE);

  rows = cairn_day_sheet_rows (db, day, type_names, &zone, error);
  if (rows == NULL || !cairn_audit_head_read (db, &head, error) ||
      !cairn_day_sheet_write_pdf (path, practice, day, zone, rows, &head, error))
    return FALSE;
  if (!cairn_day_sheet_record (db, day, FALSE, user_id, error))
    {
      g_unlink (path);
      return FALSE;
    }
  return TRUE;
}
