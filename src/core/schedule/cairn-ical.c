/* cairn-ical.c
 *
 * A schedule as an iCalendar file (RFC 5545) for a clinician's own
 * calendar program: times in UTC, text escaped, lines of at most 75 octets
 * folded without splitting a character, CRLF line ends. What goes into
 * the summaries (initials or names) is the caller's choice.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "cairn-schedule"

#include "config.h"

#include <string.h>

#include "cairn-ical.h"

/* Appends "NAME:value" as one content line, folded at 75 octets. */
static void
append_line (GString    *out,
             const char *name,
             const char *value)
{
  g_autofree char *line = g_strconcat (name, ":", value, NULL);
  const char *p = line;
  gsize width = 0;

  while (*p != '\0')
    {
      const char *next = g_utf8_next_char (p);
      gsize size = (gsize) (next - p);

      /* A continuation line starts with a space, which counts. */
      if (width + size > 75)
        {
          g_string_append (out, "\r\n ");
          width = 1;
        }
      g_string_append_len (out, p, (gssize) size);
      width += size;
      p = next;
    }
  g_string_append (out, "\r\n");
}

static char *
escape_text (const char *text)
{
  GString *escaped = g_string_new (NULL);

  for (const char *p = text; *p != '\0'; p++)
    switch (*p)
      {
      case '\\': g_string_append (escaped, "\\\\"); break;
      case ';': g_string_append (escaped, "\\;"); break;
      case ',': g_string_append (escaped, "\\,"); break;
      case '\n': g_string_append (escaped, "\\n"); break;
      case '\r': break;
      default: g_string_append_c (escaped, *p); break;
      }
  return g_string_free (escaped, FALSE);
}

static char *
utc_stamp (gint64 seconds)
{
  g_autoptr(GDateTime) time = g_date_time_new_from_unix_utc (seconds);

  return g_date_time_format (time, "%Y%m%dT%H%M%SZ");
}

/**
 * cairn_ical_build:
 * @events: (array length=n_events): the events
 * @n_events: how many
 * @stamp: when the file is made, UTC seconds
 *
 * Returns: (transfer full): the iCalendar text
 */
char *
cairn_ical_build (const CairnIcalEvent *events,
                  guint                 n_events,
                  gint64                stamp)
{
  GString *out = g_string_new (NULL);
  g_autofree char *dtstamp = utc_stamp (stamp);

  append_line (out, "BEGIN", "VCALENDAR");
  append_line (out, "VERSION", "2.0");
  append_line (out, "PRODID", "-//Cairn//Cairn " PACKAGE_VERSION "//EN");
  append_line (out, "CALSCALE", "GREGORIAN");
  append_line (out, "METHOD", "PUBLISH");

  for (guint i = 0; i < n_events; i++)
    {
      const CairnIcalEvent *event = &events[i];
      g_autofree char *uid = g_strconcat (event->uid, "@cairn.invalid", NULL);
      g_autofree char *start = utc_stamp (event->start);
      g_autofree char *end = utc_stamp (event->end);
      g_autofree char *summary = escape_text (event->summary != NULL ? event->summary : "");

      append_line (out, "BEGIN", "VEVENT");
      append_line (out, "UID", uid);
      append_line (out, "DTSTAMP", dtstamp);
      append_line (out, "DTSTART", start);
      append_line (out, "DTEND", end);
      append_line (out, "SUMMARY", summary);
      if (event->location != NULL)
        {
          g_autofree char *location = escape_text (event->location);

          append_line (out, "LOCATION", location);
        }
      append_line (out, "STATUS", event->cancelled ? "CANCELLED" : "CONFIRMED");
      append_line (out, "TRANSP", "OPAQUE");
      append_line (out, "END", "VEVENT");
    }

  append_line (out, "END", "VCALENDAR");
  return g_string_free (out, FALSE);
}

/**
 * cairn_ical_initials:
 * @name: a person's name, such as "Ada Quell"
 *
 * Returns: (transfer full): their initials, such as "A. Q.", for a calendar
 *   that should not name them
 */
char *
cairn_ical_initials (const char *name)
{
  GString *initials = g_string_new (NULL);
  gboolean at_start = TRUE;

  for (const char *p = name != NULL ? name : ""; *p != '\0'; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);

      if (g_unichar_isalpha (c) && at_start)
        {
          if (initials->len > 0)
            g_string_append_c (initials, ' ');
          g_string_append_unichar (initials, g_unichar_toupper (c));
          g_string_append_c (initials, '.');
        }
      at_start = g_unichar_isspace (c);
    }
  return g_string_free (initials, FALSE);
}
