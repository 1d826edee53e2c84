/* test-measures.c
 *
 * Outcome measures in a real vault: a round trip with an audit entry for
 * every read and write; a half-answered form refused unless marked
 * incomplete, and then never scored; bad input (a day in the future, an
 * answer or a total out of range, items for a licensed instrument)
 * refused at its field with nothing written; tombstones with a reason; the
 * days of the medicine sessions that took place; the chart drawn in the
 * colours given; and the measures report written as a PDF, atomically,
 * with the patient's data in it, where clinical.db's audit trail ended at
 * the foot of every page, and its export audited.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gstdio.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>

#include "cairn-audit.h"
#include "cairn-measure-chart.h"
#include "cairn-measures-report.h"
#include "cairn-measures.h"
#include "cairn-migrations.h"
#include "cairn-notes.h"
#include "cairn-patients.h"
#include "cairn-records.h"
#include "cairn-protocol.h"
#include "cairn-schedule.h"
#include "cairn-test-tree.h"
#include "cairn-vault.h"
#include "cairn-vfs.h"

static const CairnKdfParams test_params = { 1, 8 * 1024 * 1024 };

typedef struct
{
  char          *parent;
  CairnVault    *vault;
  CairnDatabase *practice;
  CairnDatabase *clinical;
  char          *me;
  char          *ada;
  char          *ada_chart;
} Fixture;

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = NULL;
  g_autofree char *recovery = NULL;
  g_autoptr(CairnPatient) patient = cairn_patient_new ();

  fixture->parent = g_dir_make_tmp ("cairn-measures-XXXXXX", &error);
  g_assert_no_error (error);
  dir = g_build_filename (fixture->parent, "vault", NULL);
  fixture->vault = cairn_vault_create (dir, "Quell Practice", "Europe/Berlin", "Dr Ada Quell",
                                       "lantern orchard fiddle 42", &test_params, &recovery, &error);
  g_assert_no_error (error);
  fixture->practice = cairn_vault_get_practice (fixture->vault);
  fixture->clinical = cairn_vault_get_clinical (fixture->vault);
  g_assert_nonnull (fixture->clinical);
  fixture->me = cairn_vault_get_user_id (fixture->vault);

  patient->legal_name = g_strdup ("Ada Okafor");
  patient->date_of_birth = g_strdup ("1980-01-01");
  g_assert_true (cairn_patients_save (fixture->practice, patient, fixture->me, &error));
  fixture->ada = g_strdup (patient->id);
  fixture->ada_chart = g_strdup (patient->chart_number);
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  g_clear_object (&fixture->vault);
  cairn_test_remove_tree (fixture->parent);
  g_free (fixture->parent);
  g_free (fixture->me);
  g_free (fixture->ada);
  g_free (fixture->ada_chart);
}

static int
count (CairnDatabase *db,
       const char    *sql)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *text = cairn_database_query_text (db, sql, NULL, 0, &error);

  g_assert_no_error (error);
  return text != NULL ? atoi (text) : 0;
}

static int
audits (Fixture    *fixture,
        const char *action)
{
  g_autofree char *sql = g_strdup_printf ("SELECT count(*) FROM audit WHERE action = '%s'", action);

  return count (fixture->clinical, sql);
}

static CairnMeasure *
phq9 (Fixture    *fixture,
      const char *taken_on,
      const int  *answers)
{
  CairnMeasure *m = cairn_measure_new ("phq-9");

  m->patient_id = g_strdup (fixture->ada);
  m->taken_on = g_strdup (taken_on);
  for (guint i = 0; i < 9; i++)
    g_array_index (m->answers, int, i) = answers[i];
  return m;
}

/* A day from today in the practice's zone, the one the store checks
 * against: not the machine's. */
static char *
day_from_today (Fixture *fixture,
                int      days)
{
  g_autoptr(GDateTime) now = g_date_time_new_now (cairn_database_get_time_zone (fixture->clinical));
  g_autoptr(GDateTime) then = g_date_time_add_days (now, days);

  return g_date_time_format (then, "%Y-%m-%d");
}

static gboolean
has_problem (GPtrArray  *problems,
             const char *field,
             const char *words)
{
  for (guint i = 0; problems != NULL && i < problems->len; i++)
    {
      const CairnFieldProblem *problem = g_ptr_array_index (problems, i);

      if (g_strcmp0 (problem->field, field) == 0 && (words == NULL || strstr (problem->message, words) != NULL))
        return TRUE;
    }
  return FALSE;
}

static void
test_round_trip (Fixture       *fixture,
                 gconstpointer  data)
{
  static const int moderate[9] = { 2, 2, 2, 2, 1, 1, 0, 0, 0 };
  static const int mild[9] = { 1, 1, 1, 1, 1, 1, 0, 0, 0 };
  g_autoptr(GError) error = NULL;
  g_autoptr(CairnMeasure) first = phq9 (fixture, "2025-03-10", moderate);
  g_autoptr(CairnMeasure) earlier = phq9 (fixture, "2025-01-05", mild);
  g_autoptr(CairnMeasure) got = NULL;
  g_autoptr(GPtrArray) list = NULL;
  g_autofree char *id = NULL;
  const CairnMeasure *read;
  CairnScore score;
  guint n_entries = 0;
  int audit_before = count (fixture->clinical, "SELECT count(*) FROM audit");

  first->timepoint = g_strdup ("  baseline ");
  first->note = g_strdup ("   ");
  first->total = 99;  /* ignored: an itemised form's total is computed */
  g_assert_true (cairn_measures_save (fixture->clinical, first, fixture->me, &id, NULL, &error));
  g_assert_no_error (error);
  g_assert_nonnull (id);
  g_assert_cmpstr (first->id, ==, id);
  g_assert_cmpint (first->total, ==, 10);
  g_assert_cmpstr (first->author, ==, fixture->me);
  g_assert_cmpstr (first->timepoint, ==, "baseline");
  g_assert_null (first->note);
  g_assert_nonnull (first->created_at);
  g_assert_cmpint (audits (fixture, "measure.create"), ==, 1);

  g_assert_true (cairn_measures_save (fixture->clinical, earlier, fixture->me, NULL, NULL, &error));
  g_assert_cmpint (audits (fixture, "measure.create"), ==, 2);

  /* Read back, oldest first, and the read audited against the patient. */
  list = cairn_measures_list (fixture->clinical, fixture->ada, fixture->me, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (list->len, ==, 2);
  g_assert_cmpint (audits (fixture, "measures.read"), ==, 1);
  g_assert_cmpint (count (fixture->clinical, "SELECT count(*) FROM audit WHERE action = 'measures.read'"
                                             " AND entity IN (SELECT patient_id FROM measures)"), ==, 1);
  read = g_ptr_array_index (list, 0);
  g_assert_cmpstr (read->taken_on, ==, "2025-01-05");
  g_assert_cmpint (read->total, ==, 6);
  read = g_ptr_array_index (list, 1);
  g_assert_cmpstr (read->id, ==, id);
  g_assert_cmpstr (read->patient_id, ==, fixture->ada);
  g_assert_cmpstr (read->instrument, ==, "phq-9");
  g_assert_cmpstr (read->taken_on, ==, "2025-03-10");
  g_assert_true (read->complete);
  g_assert_cmpuint (read->answers->len, ==, 9);
  for (guint i = 0; i < 9; i++)
    g_assert_cmpint (g_array_index (read->answers, int, i), ==, moderate[i]);
  g_assert_cmpint (read->total, ==, 10);
  g_assert_cmpstr (read->timepoint, ==, "baseline");
  g_assert_cmpstr (read->author, ==, fixture->me);
  g_assert_true (cairn_measure_score (read, &score));
  g_assert_cmpstr (score.band->id, ==, "moderate");

  /* One measure by id, audited too. */
  got = cairn_measures_get (fixture->clinical, id, fixture->me, &error);
  g_assert_no_error (error);
  g_assert_cmpint (got->total, ==, 10);
  g_assert_cmpint (audits (fixture, "measure.read"), ==, 1);

  /* A change is saved and audited; the total follows the answers. */
  g_array_index (got->answers, int, 0) = 3;
  g_array_index (got->answers, int, 1) = 3;
  g_array_index (got->answers, int, 2) = 3;
  g_array_index (got->answers, int, 3) = 3;
  g_array_index (got->answers, int, 4) = 3;
  g_assert_true (cairn_measures_save (fixture->clinical, got, fixture->me, NULL, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpint (got->total, ==, 16);
  g_assert_cmpint (audits (fixture, "measure.update"), ==, 1);
  g_assert_cmpint (count (fixture->clinical, "SELECT count(*) FROM measures"), ==, 2);
  g_assert_cmpint (count (fixture->clinical, "SELECT total FROM measures WHERE taken_on = '2025-03-10'"), ==, 16);

  /* The audit trail names the records, and its chain holds. */
  g_assert_true (cairn_audit_verify (fixture->clinical, &n_entries, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (n_entries, ==, audit_before + 5);
}

static void
test_incomplete (Fixture       *fixture,
                 gconstpointer  data)
{
  static const int half[9] = { 1, 2, 3, -1, 0, -1, 1, 1, 0 };
  g_autoptr(GError) error = NULL;
  g_autoptr(CairnMeasure) m = phq9 (fixture, "2025-03-10", half);
  g_autoptr(GPtrArray) problems = NULL;
  g_autoptr(GPtrArray) list = NULL;
  g_autoptr(GArray) points = NULL;
  const CairnMeasure *read;
  CairnScore score;
  int audit_before = count (fixture->clinical, "SELECT count(*) FROM audit");

  /* Not marked incomplete: refused, naming the first unanswered item. */
  g_assert_false (cairn_measures_save (fixture->clinical, m, fixture->me, NULL, &problems, &error));
  g_assert_error (error, CAIRN_MEASURES_ERROR, CAIRN_MEASURES_ERROR_INVALID);
  g_assert_true (has_problem (problems, "answers", "Item 4"));
  g_assert_null (m->id);
  g_assert_cmpint (count (fixture->clinical, "SELECT count(*) FROM measures"), ==, 0);
  g_assert_cmpint (count (fixture->clinical, "SELECT count(*) FROM audit"), ==, audit_before);
  g_clear_error (&error);
  g_clear_pointer (&problems, g_ptr_array_unref);

  /* Marked incomplete: saved, and never scored. */
  m->complete = FALSE;
  g_assert_true (cairn_measures_save (fixture->clinical, m, fixture->me, NULL, &problems, &error));
  g_assert_no_error (error);
  g_assert_null (problems);
  g_assert_cmpint (m->total, ==, -1);
  g_assert_cmpint (count (fixture->clinical, "SELECT count(*) FROM measures WHERE total IS NULL AND complete = 0"), ==, 1);

  list = cairn_measures_list (fixture->clinical, fixture->ada, fixture->me, &error);
  g_assert_cmpuint (list->len, ==, 1);
  read = g_ptr_array_index (list, 0);
  g_assert_false (read->complete);
  g_assert_cmpint (read->total, ==, -1);
  g_assert_cmpint (g_array_index (read->answers, int, 3), ==, -1);
  g_assert_cmpint (g_array_index (read->answers, int, 2), ==, 3);
  g_assert_false (cairn_measure_score (read, &score));
  points = cairn_measures_chart_points (list, "phq-9");
  g_assert_cmpuint (points->len, ==, 0);

  /* Even fully answered, a form marked incomplete is not scored. */
  {
    static const int all[9] = { 1, 1, 1, 1, 1, 1, 1, 1, 0 };
    g_autoptr(CairnMeasure) whole = phq9 (fixture, "2025-03-11", all);

    whole->complete = FALSE;
    g_assert_true (cairn_measures_save (fixture->clinical, whole, fixture->me, NULL, NULL, &error));
    g_assert_cmpint (whole->total, ==, -1);
    g_assert_false (cairn_measure_score (whole, &score));
  }
}

static void
assert_refused (Fixture      *fixture,
                CairnMeasure *m,
                const char   *field,
                const char   *words)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) problems = NULL;
  int measures_before = count (fixture->clinical, "SELECT count(*) FROM measures");
  int audit_before = count (fixture->clinical, "SELECT count(*) FROM audit");

  g_assert_false (cairn_measures_save (fixture->clinical, m, fixture->me, NULL, &problems, &error));
  g_assert_error (error, CAIRN_MEASURES_ERROR, CAIRN_MEASURES_ERROR_INVALID);
  if (!has_problem (problems, field, words))
    g_error ("expected a problem at %s saying “%s”; first: %s: %s", field, words,
             problems->len > 0 ? ((CairnFieldProblem *) g_ptr_array_index (problems, 0))->field : "-",
             problems->len > 0 ? ((CairnFieldProblem *) g_ptr_array_index (problems, 0))->message : "-");
  g_assert_null (m->id);
  g_assert_cmpint (count (fixture->clinical, "SELECT count(*) FROM measures"), ==, measures_before);
  g_assert_cmpint (count (fixture->clinical, "SELECT count(*) FROM audit"), ==, audit_before);
}

static void
test_bad_input (Fixture       *fixture,
                gconstpointer  data)
{
  static const int fine[9] = { 0, 0, 0, 0, 0, 0, 0, 0, 0 };
  static const int four[9] = { 0, 0, 4, 0, 0, 0, 0, 0, 0 };
  static const int minus[9] = { 0, 0, 0, 0, 0, -7, 0, 0, 0 };
  g_autofree char *tomorrow = day_from_today (fixture, 1);
  g_autofree char *today = day_from_today (fixture, 0);
  g_autoptr(GError) error = NULL;

  {
    g_autoptr(CairnMeasure) m = phq9 (fixture, tomorrow, fine);

    assert_refused (fixture, m, "taken_on", "future");
  }
  {
    g_autoptr(CairnMeasure) m = phq9 (fixture, "2025-02-30", fine);

    assert_refused (fixture, m, "taken_on", "2025-02-30");
  }
  {
    g_autoptr(CairnMeasure) m = phq9 (fixture, NULL, fine);

    assert_refused (fixture, m, "taken_on", NULL);
  }
  {
    g_autoptr(CairnMeasure) m = phq9 (fixture, today, four);

    assert_refused (fixture, m, "item-3", "0 to 3");
    /* Out of range is refused even on a form marked incomplete. */
    m->complete = FALSE;
    assert_refused (fixture, m, "item-3", "0 to 3");
  }
  {
    g_autoptr(CairnMeasure) m = phq9 (fixture, today, minus);

    m->complete = FALSE;
    assert_refused (fixture, m, "item-6", NULL);
  }
  {
    g_autoptr(CairnMeasure) m = phq9 (fixture, today, fine);

    g_array_set_size (m->answers, 8);
    assert_refused (fixture, m, "answers", "9 items");
  }
  {
    g_autoptr(CairnMeasure) m = cairn_measure_new ("bdi-ii");

    m->patient_id = g_strdup (fixture->ada);
    m->taken_on = g_strdup (today);
    m->total = 64;
    assert_refused (fixture, m, "total", "0 to 63");
    m->total = -1;
    assert_refused (fixture, m, "total", NULL);
    /* An incomplete entry keeps no total. */
    m->complete = FALSE;
    m->total = 20;
    assert_refused (fixture, m, "total", "incomplete");
    /* The items of a licensed instrument are never kept. */
    m->complete = TRUE;
    m->answers = g_array_new (FALSE, TRUE, sizeof (int));
    g_array_set_size (m->answers, 21);
    assert_refused (fixture, m, "answers", "never its items");
  }
  {
    g_autoptr(CairnMeasure) m = cairn_measure_new ("caps-5");

    m->patient_id = g_strdup (fixture->ada);
    m->taken_on = g_strdup (today);
    m->total = 81;
    assert_refused (fixture, m, "total", "0 to 80");
  }
  {
    g_autoptr(CairnMeasure) m = phq9 (fixture, today, fine);

    g_free (m->instrument);
    m->instrument = g_strdup ("madrs");
    assert_refused (fixture, m, "instrument", NULL);
  }
  {
    g_autoptr(CairnMeasure) m = phq9 (fixture, today, fine);
    g_autofree char *long_note = g_strnfill (5000, 'x');

    m->note = g_strdup (long_note);
    assert_refused (fixture, m, "note", NULL);
  }
  g_assert_null (cairn_measure_new ("madrs"));
  g_assert_cmpint (count (fixture->clinical, "SELECT count(*) FROM measures"), ==, 0);

  /* Today itself is fine. */
  {
    g_autoptr(CairnMeasure) m = phq9 (fixture, today, fine);

    g_assert_true (cairn_measures_save (fixture->clinical, m, fixture->me, NULL, NULL, &error));
    g_assert_no_error (error);
  }
}

static void
test_total_only (Fixture       *fixture,
                 gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CairnMeasure) bdi = cairn_measure_new ("bdi-ii");
  g_autoptr(CairnMeasure) caps = cairn_measure_new ("caps-5");
  g_autoptr(GPtrArray) list = NULL;
  CairnScore score;

  g_assert_null (bdi->answers);
  bdi->patient_id = g_strdup (fixture->ada);
  bdi->taken_on = g_strdup ("2025-02-01");
  bdi->total = 29;
  g_assert_true (cairn_measures_save (fixture->clinical, bdi, fixture->me, NULL, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpint (bdi->total, ==, 29);

  caps->patient_id = g_strdup (fixture->ada);
  caps->taken_on = g_strdup ("2025-02-02");
  caps->complete = FALSE;
  g_assert_true (cairn_measures_save (fixture->clinical, caps, fixture->me, NULL, NULL, &error));
  g_assert_no_error (error);

  list = cairn_measures_list (fixture->clinical, fixture->ada, fixture->me, &error);
  g_assert_cmpuint (list->len, ==, 2);
  g_assert_null (((CairnMeasure *) g_ptr_array_index (list, 0))->answers);
  g_assert_true (cairn_measure_score (g_ptr_array_index (list, 0), &score));
  g_assert_cmpstr (score.band->id, ==, "severe");
  g_assert_cmpint (((CairnMeasure *) g_ptr_array_index (list, 1))->total, ==, -1);
  g_assert_false (cairn_measure_score (g_ptr_array_index (list, 1), &score));
  g_assert_cmpint (count (fixture->clinical, "SELECT count(*) FROM measures WHERE answers IS NOT NULL"), ==, 0);
}

static void
test_delete (Fixture       *fixture,
             gconstpointer  data)
{
  static const int fine[9] = { 1, 0, 0, 0, 0, 0, 0, 0, 0 };
  g_autoptr(GError) error = NULL;
  g_autoptr(CairnMeasure) m = phq9 (fixture, "2025-03-10", fine);
  g_autoptr(GPtrArray) list = NULL;
  g_autoptr(CairnMeasure) got = NULL;
  g_autofree char *detail = NULL;
  int audit_before;

  g_assert_true (cairn_measures_save (fixture->clinical, m, fixture->me, NULL, NULL, &error));
  audit_before = count (fixture->clinical, "SELECT count(*) FROM audit");

  g_assert_false (cairn_measures_delete (fixture->clinical, m->id, "  ", fixture->me, &error));
  g_assert_error (error, CAIRN_MEASURES_ERROR, CAIRN_MEASURES_ERROR_INVALID);
  g_clear_error (&error);
  g_assert_cmpint (count (fixture->clinical, "SELECT count(*) FROM measures WHERE deleted_at IS NULL"), ==, 1);
  g_assert_cmpint (count (fixture->clinical, "SELECT count(*) FROM audit"), ==, audit_before);

  g_assert_true (cairn_measures_delete (fixture->clinical, m->id, "Entered for the wrong patient", fixture->me, &error));
  g_assert_no_error (error);
  /* A tombstone: kept, with its reason, but no longer read. */
  g_assert_cmpint (count (fixture->clinical, "SELECT count(*) FROM measures WHERE deleted_at IS NOT NULL"), ==, 1);
  detail = cairn_database_query_text (fixture->clinical, "SELECT detail FROM audit WHERE action = 'measure.delete'",
                                      NULL, 0, &error);
  g_assert_cmpstr (detail, ==, "Entered for the wrong patient");

  list = cairn_measures_list (fixture->clinical, fixture->ada, fixture->me, &error);
  g_assert_cmpuint (list->len, ==, 0);
  got = cairn_measures_get (fixture->clinical, m->id, fixture->me, &error);
  g_assert_null (got);
  g_assert_error (error, CAIRN_MEASURES_ERROR, CAIRN_MEASURES_ERROR_NOT_FOUND);
  g_clear_error (&error);

  /* Not twice; and a deleted one cannot be changed. */
  g_assert_false (cairn_measures_delete (fixture->clinical, m->id, "again", fixture->me, &error));
  g_assert_error (error, CAIRN_MEASURES_ERROR, CAIRN_MEASURES_ERROR_NOT_FOUND);
  g_clear_error (&error);
  g_assert_false (cairn_measures_save (fixture->clinical, m, fixture->me, NULL, NULL, &error));
  g_assert_error (error, CAIRN_MEASURES_ERROR, CAIRN_MEASURES_ERROR_NOT_FOUND);
}

static void
test_item9_alert (Fixture       *fixture,
                  gconstpointer  data)
{
  static const int nine[9] = { 0, 0, 0, 0, 0, 0, 0, 0, 1 };
  static const int partial[9] = { -1, -1, -1, -1, -1, -1, -1, -1, 2 };
  static const int none[9] = { 3, 3, 3, 3, 3, 3, 3, 3, 0 };
  g_autoptr(GError) error = NULL;
  g_autoptr(CairnMeasure) a = phq9 (fixture, "2025-03-10", nine);
  g_autoptr(CairnMeasure) b = phq9 (fixture, "2025-03-11", partial);
  g_autoptr(CairnMeasure) c = phq9 (fixture, "2025-03-12", none);
  g_autoptr(GPtrArray) list = NULL;

  b->complete = FALSE;
  g_assert_true (cairn_measures_save (fixture->clinical, a, fixture->me, NULL, NULL, &error));
  g_assert_true (cairn_measures_save (fixture->clinical, b, fixture->me, NULL, NULL, &error));
  g_assert_true (cairn_measures_save (fixture->clinical, c, fixture->me, NULL, NULL, &error));
  g_assert_no_error (error);

  list = cairn_measures_list (fixture->clinical, fixture->ada, fixture->me, &error);
  g_assert_cmpuint (list->len, ==, 3);
  g_assert_true (cairn_measure_has_item9_alert (g_ptr_array_index (list, 0)));
  g_assert_true (cairn_measure_has_item9_alert (g_ptr_array_index (list, 1)));
  g_assert_false (cairn_measure_has_item9_alert (g_ptr_array_index (list, 2)));
  g_assert_cmpint (cairn_measure_alerts (g_ptr_array_index (list, 0)), ==, CAIRN_MEASURE_ALERT_ITEM9);
}

static gint64
utc_days_from_now (int days)
{
  return g_get_real_time () / G_USEC_PER_SEC + (gint64) days * 86400;
}

static char *
book (Fixture    *fixture,
      const char *type,
      gint64      start,
      const char *status)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CairnAppointment) a = cairn_appointment_new ();

  a->patient_id = g_strdup (fixture->ada);
  a->type_id = g_strdup (type);
  a->start = start;
  a->end = start + 3600;
  a->staff_ids = g_new0 (char *, 1);
  g_assert_true (cairn_schedule_book (fixture->practice, a, 0, FALSE, "test", fixture->me, &error));
  g_assert_no_error (error);
  if (status != NULL)
    {
      g_assert_true (cairn_schedule_set_status (fixture->practice, a->id, status,
                                                g_str_equal (status, "cancelled") ? "ill" : NULL,
                                                fixture->me, &error));
      g_assert_no_error (error);
    }
  return g_strdup (a->id);
}

static void
test_session_days (Fixture       *fixture,
                   gconstpointer  data)
{
  g_autoptr(CairnProtocol) protocol = cairn_protocol_load_default ();
  g_autoptr(GError) error = NULL;
  g_autoptr(GArray) days = NULL;
  g_autofree char *a = NULL, *b = NULL, *c = NULL, *d = NULL, *e = NULL;
  gint64 first = utc_days_from_now (-40);
  gint64 second = utc_days_from_now (-10);
  g_autoptr(GDateTime) first_time = g_date_time_new_from_unix_utc (first);
  g_autoptr(GTimeZone) berlin = g_time_zone_new_identifier ("Europe/Berlin");
  g_autoptr(GDateTime) first_local = g_date_time_to_timezone (first_time, berlin);
  g_autoptr(GDateTime) second_time = g_date_time_new_from_unix_utc (second);
  g_autoptr(GDateTime) second_local = g_date_time_to_timezone (second_time, berlin);
  GDate day, second_day;

  a = book (fixture, "medicine-session", second, "completed");
  b = book (fixture, "medicine-session", first, "checked-in");
  c = book (fixture, "medicine-session", utc_days_from_now (-20), "cancelled");
  d = book (fixture, "medicine-session", utc_days_from_now (20), NULL);
  e = book (fixture, "preparation", utc_days_from_now (-50), "completed");

  days = cairn_measures_session_days (fixture->practice, protocol, fixture->ada, utc_days_from_now (0), &error);
  g_assert_no_error (error);
  g_assert_cmpuint (days->len, ==, 2);
  g_date_clear (&day, 1);
  g_date_set_dmy (&day, g_date_time_get_day_of_month (first_local), g_date_time_get_month (first_local),
                  g_date_time_get_year (first_local));
  g_assert_cmpuint (g_array_index (days, guint32, 0), ==, g_date_get_julian (&day));
  /* Each on its own day in the practice's zone: 30 days apart in UTC may
   * be 29 there across a change of summer time. */
  g_date_clear (&second_day, 1);
  g_date_set_dmy (&second_day, g_date_time_get_day_of_month (second_local), g_date_time_get_month (second_local),
                  g_date_time_get_year (second_local));
  g_assert_cmpuint (g_array_index (days, guint32, 1), ==, g_date_get_julian (&second_day));
}

/* How many pixels of surface are exactly colour (r, g, b). */
static guint
count_pixels (cairo_surface_t *surface,
              guint8           r,
              guint8           g,
              guint8           b)
{
  const guint8 *data;
  int stride, width, height;
  guint n = 0;

  cairo_surface_flush (surface);
  data = cairo_image_surface_get_data (surface);
  stride = cairo_image_surface_get_stride (surface);
  width = cairo_image_surface_get_width (surface);
  height = cairo_image_surface_get_height (surface);
  for (int y = 0; y < height; y++)
    for (int x = 0; x < width; x++)
      {
        guint32 pixel = *(const guint32 *) (data + y * stride + x * 4);

        if (((pixel >> 16) & 0xff) == r && ((pixel >> 8) & 0xff) == g && (pixel & 0xff) == b)
          n++;
      }
  return n;
}

static cairo_surface_t *
draw_chart (int                    width,
            const CairnInstrument *instrument,
            const CairnChartPoint *points,
            guint                  n_points,
            const guint32         *sessions,
            guint                  n_sessions)
{
  cairo_surface_t *surface = cairo_image_surface_create (CAIRO_FORMAT_RGB24, width, 200);
  cairo_t *cr = cairo_create (surface);
  CairnChartStyle style;

  cairn_measure_chart_style_init (&style, FALSE);
  style.background = (CairnChartColor) { 1, 1, 1, 1 };
  style.accent = (CairnChartColor) { 0, 0, 1, 1 };
  style.session = (CairnChartColor) { 1, 0, 1, 1 };
  style.bands[0] = (CairnChartColor) { 0, 1, 0, 1 };
  for (guint i = 1; i < CAIRN_INSTRUMENT_MAX_BANDS; i++)
    style.bands[i] = (CairnChartColor) { 1, 1, 0, 1 };
  cairn_measure_chart_draw (cr, width, 200, instrument, &style, points, n_points, sessions, n_sessions);
  cairo_destroy (cr);
  return surface;
}

static void
test_chart (void)
{
  const CairnInstrument *phq = cairn_instrument_find ("phq-9");
  GDate start;
  CairnChartPoint points[13];
  guint32 sessions[3];
  g_autofree char *said = NULL;
  cairo_surface_t *surface;

  /* A year of monthly entries, falling from 19 to 8. */
  g_date_clear (&start, 1);
  g_date_set_dmy (&start, 6, 1, 2025);
  for (guint i = 0; i < G_N_ELEMENTS (points); i++)
    {
      GDate day = start;

      g_date_add_months (&day, i);
      points[i].julian = g_date_get_julian (&day);
      points[i].total = 19 - (int) (i * 11 / 12);
    }
  for (guint i = 0; i < 3; i++)
    sessions[i] = points[2 + 2 * i].julian + 3;

  /* At 360 px and wider: the line, the sessions and the bands in the
   * colours given. */
  for (int width = 300; width <= 900; width += 300)
    {
      surface = draw_chart (width, phq, points, G_N_ELEMENTS (points), sessions, 3);
      g_assert_cmpuint (count_pixels (surface, 0, 0, 255), >, 50);
      g_assert_cmpuint (count_pixels (surface, 255, 0, 255), >, 50);
      g_assert_cmpuint (count_pixels (surface, 0, 255, 0), >, 100);
      g_assert_cmpuint (count_pixels (surface, 255, 255, 0), >, 100);
      cairo_surface_destroy (surface);
    }

  /* No entries: no line, still the axes and bands. */
  surface = draw_chart (360, phq, NULL, 0, NULL, 0);
  g_assert_cmpuint (count_pixels (surface, 0, 0, 255), ==, 0);
  g_assert_cmpuint (count_pixels (surface, 255, 0, 255), ==, 0);
  g_assert_cmpuint (count_pixels (surface, 0, 255, 0), >, 100);
  cairo_surface_destroy (surface);

  /* In words, for a screen reader. */
  said = cairn_measure_chart_describe (phq, points, G_N_ELEMENTS (points), 3);
  g_assert_nonnull (strstr (said, "PHQ-9"));
  g_assert_nonnull (strstr (said, "13 entries"));
  g_assert_nonnull (strstr (said, "Latest total 8 (Mild)"));
  g_assert_nonnull (strstr (said, "Down 11"));
  g_assert_nonnull (strstr (said, "3 medicine sessions"));
  g_clear_pointer (&said, g_free);
  said = cairn_measure_chart_describe (phq, NULL, 0, 0);
  g_assert_nonnull (strstr (said, "no scored entries"));
}

static GPtrArray *
report_measures (Fixture *fixture)
{
  static const int moderate[9] = { 2, 2, 2, 2, 1, 1, 0, 0, 1 };
  static const int half[9] = { 1, -1, -1, -1, -1, -1, -1, -1, -1 };
  g_autoptr(GError) error = NULL;
  g_autoptr(CairnMeasure) a = phq9 (fixture, "2025-01-10", moderate);
  g_autoptr(CairnMeasure) b = phq9 (fixture, "2025-02-10", half);
  g_autoptr(CairnMeasure) c = cairn_measure_new ("bdi-ii");
  g_autoptr(CairnMeasure) p = cairn_measure_new ("pcl-5");

  b->complete = FALSE;
  c->patient_id = g_strdup (fixture->ada);
  c->taken_on = g_strdup ("2025-01-10");
  c->total = 29;
  p->patient_id = g_strdup (fixture->ada);
  p->taken_on = g_strdup ("2025-01-11");
  for (guint i = 0; i < 20; i++)
    g_array_index (p->answers, int, i) = 2;
  g_assert_true (cairn_measures_save (fixture->clinical, a, fixture->me, NULL, NULL, &error));
  g_assert_true (cairn_measures_save (fixture->clinical, b, fixture->me, NULL, NULL, &error));
  g_assert_true (cairn_measures_save (fixture->clinical, c, fixture->me, NULL, NULL, &error));
  g_assert_true (cairn_measures_save (fixture->clinical, p, fixture->me, NULL, NULL, &error));
  g_assert_no_error (error);
  return cairn_measures_list (fixture->clinical, fixture->ada, fixture->me, &error);
}

/* The footer a report made now must carry, read from the trail itself:
 * how many entries, and the first 16 hex digits of the newest's hash. */
static char *
expected_footer (CairnDatabase *db)
{
  g_autoptr(GError) error = NULL;
  char *footer = cairn_database_query_text (db,
                                            "SELECT 'Audit trail: ' || count(*) ||"
                                            " iif (count(*) = 1, ' entry', ' entries') || ', head ' ||"
                                            " (SELECT upper (substr (hash, 1, 4) || '-' || substr (hash, 5, 4) ||"
                                            " '-' || substr (hash, 9, 4) || '-' || substr (hash, 13, 4))"
                                            "  FROM audit ORDER BY seq DESC LIMIT 1) FROM audit",
                                            NULL, 0, &error);

  g_assert_no_error (error);
  g_assert_true (g_regex_match_simple ("^Audit trail: [0-9]+ entr(y|ies), head [0-9A-F]{4}(-[0-9A-F]{4}){3}$",
                                       footer, 0, 0));
  return footer;
}

static CairnAuditHead
head_of (CairnDatabase *db)
{
  g_autoptr(GError) error = NULL;
  CairnAuditHead head;

  g_assert_true (cairn_audit_head_read (db, &head, &error));
  g_assert_no_error (error);
  return head;
}

/* What the stock pdftotext reads in a PDF. */
static char *
pdf_text (const char *path)
{
  g_autoptr(GError) error = NULL;
  const char *argv[] = { "pdftotext", "-layout", path, "-", NULL };
  char *text = NULL;
  int status = -1;

  g_assert_true (g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_SEARCH_PATH | G_SPAWN_STDERR_TO_DEV_NULL,
                               NULL, NULL, &text, NULL, &status, &error));
  g_assert_no_error (error);
  g_assert_cmpint (status, ==, 0);
  return text;
}

static guint
occurrences (const char *text,
             const char *needle)
{
  g_auto(GStrv) pieces = g_strsplit (text, needle, -1);

  return g_strv_length (pieces) - 1;
}

static guint
files_in (const char *dir)
{
  g_autoptr(GDir) handle = g_dir_open (dir, 0, NULL);
  guint n = 0;

  while (handle != NULL && g_dir_read_name (handle) != NULL)
    n++;
  return n;
}

static void
test_report (Fixture       *fixture,
             gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) measures = report_measures (fixture);
  g_autoptr(GArray) sessions = g_array_new (FALSE, FALSE, sizeof (guint32));
  g_autoptr(CairnMeasuresReport) report = NULL;
  g_autofree char *text = NULL;
  g_autofree char *out = g_build_filename (fixture->parent, "out", NULL);
  g_autofree char *path = g_build_filename (out, "measures.pdf", NULL);
  g_autofree char *missing = g_build_filename (fixture->parent, "no-such-folder", "measures.pdf", NULL);
  g_autofree char *contents = NULL;
  g_autofree char *footer = expected_footer (fixture->clinical);
  g_autofree char *pdf = NULL;
  CairnAuditHead head = head_of (fixture->clinical);
  guint n_pages;
  gsize length = 0;
  GDate day;

  g_date_clear (&day, 1);
  g_date_set_dmy (&day, 20, 1, 2025);
  g_array_append_val (sessions, *(guint32[]) { g_date_get_julian (&day) });

  report = cairn_measures_report_new ("Ada Okafor", fixture->ada_chart, measures, sessions, &head);
  n_pages = cairn_measures_report_n_pages (report, 595, 842);
  g_assert_cmpuint (n_pages, >=, 1);
  /* The trail as the measures were read: their reads' entries included. */
  g_assert_cmpuint (head.entries, >=, 6);

  /* The patient's data is in it: who, each instrument, totals, bands,
   * the incomplete entry, the alert, the PCL-5 clusters. */
  text = cairn_measures_report_to_text (report);
  g_assert_nonnull (strstr (text, "Ada Okafor"));
  g_assert_nonnull (strstr (text, fixture->ada_chart));
  g_assert_nonnull (strstr (text, "PHQ-9 — Patient Health Questionnaire"));
  g_assert_nonnull (strstr (text, "BDI-II"));
  g_assert_nonnull (strstr (text, "PCL-5"));
  g_assert_nonnull (strstr (text, "\n11\nModerate\n"));
  g_assert_nonnull (strstr (text, "\n29\nSevere\n"));
  g_assert_nonnull (strstr (text, "\n40\nProbable PTSD\n"));
  g_assert_nonnull (strstr (text, "Clusters B 10, C 4, D 14, E 12"));
  g_assert_nonnull (strstr (text, "Provisional diagnosis: criteria met"));
  g_assert_nonnull (strstr (text, "Incomplete: not scored"));
  g_assert_nonnull (strstr (text, "Item 9"));
  g_assert_nonnull (strstr (text, "medicine sessions"));
  g_assert_null (strstr (text, "GAD-7"));   /* nothing recorded, no section */
  /* Where clinical.db's trail ended, at the foot of every page. */
  g_assert_cmpuint (occurrences (text, footer), ==, n_pages);

  /* Written atomically: the PDF and nothing beside it. */
  g_assert_cmpint (g_mkdir (out, 0700), ==, 0);
  g_assert_true (g_file_set_contents (path, "old", -1, NULL));
  g_assert_true (cairn_measures_report_export (fixture->clinical, report, fixture->ada, path, fixture->me, &error));
  g_assert_no_error (error);
  g_assert_true (g_file_get_contents (path, &contents, &length, &error));
  g_assert_cmpuint (length, >, 1000);
  g_assert_true (g_str_has_prefix (contents, "%PDF-"));
  g_assert_nonnull (g_strrstr_len (contents + length - 16, 16, "%%EOF"));
  g_assert_cmpuint (files_in (out), ==, 1);
  g_assert_cmpint (audits (fixture, "measures.export"), ==, 1);
  /* And on paper, read back by pdftotext: the count and the fingerprint
   * of the trail as it was before the export's own entry. */
  pdf = pdf_text (path);
  g_test_message ("%s", pdf);
  g_assert_nonnull (strstr (pdf, "Ada Okafor"));
  g_assert_cmpuint (occurrences (pdf, footer), ==, n_pages);
  {
    g_autofree char *now = expected_footer (fixture->clinical);

    g_assert_cmpstr (now, !=, footer);
    g_assert_null (strstr (pdf, now));
  }
  g_assert_cmpint (count (fixture->clinical, "SELECT count(*) FROM audit WHERE action = 'measures.export'"
                                             " AND entity IN (SELECT patient_id FROM measures)"), ==, 1);

  /* Nowhere to write: refused, nothing recorded. */
  g_assert_false (cairn_measures_report_export (fixture->clinical, report, fixture->ada, missing, fixture->me, &error));
  g_assert_nonnull (error);
  g_clear_error (&error);
  g_assert_cmpint (audits (fixture, "measures.export"), ==, 1);

  g_assert_true (cairn_measures_report_record_print (fixture->clinical, fixture->ada, fixture->me, &error));
  g_assert_cmpint (audits (fixture, "measures.print"), ==, 1);
}

/* Only "YYYY-MM-DD" in digits, a real day, is a day a form was filled in;
 * it is kept as written; the future is the practice's. */
static void
test_strict_dates (Fixture       *fixture,
                   gconstpointer  data)
{
  static const int fine[9] = { 0, 0, 0, 0, 0, 0, 0, 0, 0 };
  static const char * const not_dates[] = {
    "2025- 9-30", "2025-+9-30", "2025-9-30", "2025-02-30", "2025-09-30x", "2025-09-30T10:00", "2025/09/30",
    "+025-09-30", "2025-09-3",
  };
  g_autoptr(GError) error = NULL;
  g_autofree char *stored = NULL;

  for (guint i = 0; i < G_N_ELEMENTS (not_dates); i++)
    {
      g_autoptr(CairnMeasure) m = phq9 (fixture, not_dates[i], fine);

      g_test_message ("not a date: “%s”", not_dates[i]);
      assert_refused (fixture, m, "taken_on", "is not a date");
    }

  {
    g_autoptr(CairnMeasure) m = phq9 (fixture, " 2025-09-30 ", fine);

    g_assert_true (cairn_measures_save (fixture->clinical, m, fixture->me, NULL, NULL, &error));
    g_assert_no_error (error);
    g_assert_cmpstr (m->taken_on, ==, "2025-09-30");
  }
  stored = cairn_database_query_text (fixture->clinical, "SELECT taken_on FROM measures", NULL, 0, &error);
  g_assert_cmpstr (stored, ==, "2025-09-30");
}

static void
test_practice_today (Fixture       *fixture,
                     gconstpointer  data)
{
  static const int fine[9] = { 0, 0, 0, 0, 0, 0, 0, 0, 0 };
  g_autoptr(GTimeZone) east = g_time_zone_new_identifier ("Pacific/Kiritimati");  /* UTC+14 */
  g_autoptr(GTimeZone) west = g_time_zone_new_identifier ("Pacific/Pago_Pago");   /* UTC−11 */
  g_autoptr(GError) error = NULL;
  g_autofree char *east_today = NULL;
  g_autofree char *west_tomorrow = NULL;

  g_assert_nonnull (east);
  g_assert_nonnull (west);

  /* Today in a practice far east, perhaps the machine's tomorrow: accepted. */
  cairn_database_set_time_zone (fixture->clinical, east);
  east_today = cairn_database_today (fixture->clinical);
  {
    g_autoptr(CairnMeasure) m = phq9 (fixture, east_today, fine);

    g_assert_true (cairn_measures_save (fixture->clinical, m, fixture->me, NULL, NULL, &error));
    g_assert_no_error (error);
  }

  /* Tomorrow in a practice far west, perhaps the machine's today: refused;
   * so is the east's today, at least the west's tomorrow. */
  cairn_database_set_time_zone (fixture->clinical, west);
  west_tomorrow = day_from_today (fixture, 1);
  {
    g_autoptr(CairnMeasure) m = phq9 (fixture, west_tomorrow, fine);

    assert_refused (fixture, m, "taken_on", "future");
  }
  {
    g_autoptr(CairnMeasure) m = phq9 (fixture, east_today, fine);

    assert_refused (fixture, m, "taken_on", "future");
  }
}

/* Who recorded a measure stays its author when someone else changes or
 * deletes it; the changer and the deleter are kept beside. */
static void
test_authors (Fixture       *fixture,
              gconstpointer  data)
{
  static const int fine[9] = { 1, 0, 0, 0, 0, 0, 0, 0, 0 };
  g_autofree char *other = cairn_record_new_id ();
  g_autofree char *third = cairn_record_new_id ();
  g_autoptr(GError) error = NULL;
  g_autoptr(CairnMeasure) m = phq9 (fixture, "2025-03-10", fine);
  g_autoptr(CairnMeasure) got = NULL;
  g_autoptr(CairnMeasure) again = NULL;
  g_autofree char *row = NULL;

  g_assert_true (cairn_measures_save (fixture->clinical, m, fixture->me, NULL, NULL, &error));
  g_assert_cmpstr (m->author, ==, fixture->me);
  g_assert_cmpstr (m->updated_by, ==, fixture->me);

  got = cairn_measures_get (fixture->clinical, m->id, fixture->me, &error);
  g_assert_no_error (error);
  g_array_index (got->answers, int, 0) = 3;
  g_assert_true (cairn_measures_save (fixture->clinical, got, other, NULL, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpstr (got->author, ==, fixture->me);
  g_assert_cmpstr (got->updated_by, ==, other);

  again = cairn_measures_get (fixture->clinical, m->id, fixture->me, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (again->author, ==, fixture->me);
  g_assert_cmpstr (again->updated_by, ==, other);
  g_assert_cmpint (again->total, ==, 3);

  /* A copy that never knew its author learns it from the vault. */
  g_clear_pointer (&again->author, g_free);
  g_assert_true (cairn_measures_save (fixture->clinical, again, other, NULL, NULL, &error));
  g_assert_cmpstr (again->author, ==, fixture->me);

  g_assert_true (cairn_measures_delete (fixture->clinical, m->id, "Entered twice", third, &error));
  g_assert_no_error (error);
  row = cairn_database_query_text (fixture->clinical,
                                   "SELECT author || ' ' || updated_by || ' ' || deleted_by FROM measures",
                                   NULL, 0, &error);
  g_assert_no_error (error);
  {
    g_autofree char *expected = g_strdup_printf ("%s %s %s", fixture->me, third, third);

    g_assert_cmpstr (row, ==, expected);
  }
}

/* Version 5 brings back the author an update wrote over, from the audit
 * trail, and says who changed and deleted each record. */
static void
test_migration_authors (Fixture       *fixture,
                        gconstpointer  data)
{
  static const int fine[9] = { 1, 0, 0, 0, 0, 0, 0, 0, 0 };
  g_autofree char *other = cairn_record_new_id ();
  g_autofree char *third = cairn_record_new_id ();
  g_autoptr(GError) error = NULL;
  g_autoptr(CairnMeasure) kept = phq9 (fixture, "2025-03-10", fine);
  g_autoptr(CairnMeasure) gone = phq9 (fixture, "2025-03-11", fine);
  g_autoptr(CairnPhoneCheckIn) call = cairn_phone_check_in_new ();
  g_autofree char *appointment = cairn_record_new_id ();
  g_autofree char *row = NULL;
  g_autofree char *expected = NULL;

  g_assert_true (cairn_measures_save (fixture->clinical, kept, fixture->me, NULL, NULL, &error));
  g_assert_true (cairn_measures_save (fixture->clinical, kept, other, NULL, NULL, &error));
  g_assert_true (cairn_measures_save (fixture->clinical, gone, fixture->me, NULL, NULL, &error));
  g_assert_true (cairn_measures_delete (fixture->clinical, gone->id, "Entered twice", third, &error));
  call->patient_id = g_strdup (fixture->ada);
  call->appointment_id = g_strdup (appointment);
  call->reached = TRUE;
  call->called_at = g_get_real_time () / G_USEC_PER_SEC - 60;
  g_assert_true (cairn_phone_check_ins_record (fixture->clinical, call, fixture->me, &error));
  g_assert_true (cairn_phone_check_ins_record (fixture->clinical, call, other, &error));
  g_assert_no_error (error);

  /* As version 4 left them: the last writer over the author, and the
   * audit trail not yet anchored (version 6 anchors it again). */
  g_assert_true (cairn_database_exec (fixture->clinical,
                                      "BEGIN;"
                                      "DROP TRIGGER audit_anchor_follows;"
                                      "DROP TRIGGER audit_never_changes;"
                                      "DROP TRIGGER audit_never_deleted;"
                                      "DROP TRIGGER audit_insert_never_replaces;"
                                      "DROP TABLE audit_anchor;"
                                      "UPDATE measures SET author = updated_by;"
                                      "UPDATE measures SET author = deleted_by WHERE deleted_at IS NOT NULL;"
                                      "UPDATE phone_check_ins SET author = updated_by;"
                                      "ALTER TABLE measures DROP COLUMN updated_by;"
                                      "ALTER TABLE measures DROP COLUMN deleted_by;"
                                      "ALTER TABLE phone_check_ins DROP COLUMN updated_by;"
                                      "ALTER TABLE notes DROP COLUMN updated_by;"
                                      "ALTER TABLE pregnancy_tests DROP COLUMN updated_by;"
                                      "PRAGMA user_version = 4;"
                                      "COMMIT;", &error));
  g_assert_no_error (error);

  g_assert_true (cairn_migrations_run (fixture->clinical, CAIRN_DATABASE_KIND_CLINICAL, 0, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (cairn_migrations_version (fixture->clinical, NULL), ==,
                    cairn_migrations_latest (CAIRN_DATABASE_KIND_CLINICAL));

  row = cairn_database_query_text (fixture->clinical,
                                   "SELECT author || ' ' || updated_by || ' ' || coalesce (deleted_by, '-')"
                                   " FROM measures WHERE id = ?", (const char *[]) { kept->id }, 1, &error);
  expected = g_strdup_printf ("%s %s -", fixture->me, other);
  g_assert_cmpstr (row, ==, expected);
  g_clear_pointer (&row, g_free);
  g_clear_pointer (&expected, g_free);

  row = cairn_database_query_text (fixture->clinical,
                                   "SELECT author || ' ' || updated_by || ' ' || deleted_by"
                                   " FROM measures WHERE id = ?", (const char *[]) { gone->id }, 1, &error);
  expected = g_strdup_printf ("%s %s %s", fixture->me, third, third);
  g_assert_cmpstr (row, ==, expected);
  g_clear_pointer (&row, g_free);
  g_clear_pointer (&expected, g_free);

  row = cairn_database_query_text (fixture->clinical, "SELECT author || ' ' || updated_by FROM phone_check_ins",
                                   NULL, 0, &error);
  expected = g_strdup_printf ("%s %s", fixture->me, other);
  g_assert_cmpstr (row, ==, expected);

  /* The look-up index was for the migration only. */
  g_clear_pointer (&row, g_free);
  row = cairn_database_query_text (fixture->clinical, "SELECT count(*) FROM sqlite_schema WHERE name ="
                                   " 'audit_entity_for_0005'", NULL, 0, &error);
  g_assert_cmpstr (row, ==, "0");
}

/* A report that cannot be written whole leaves nothing behind, not even
 * a part of itself where no file was, nor a temporary file; one that is
 * written is its owner's only. */
static void
test_report_atomic (Fixture       *fixture,
                    gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) measures = report_measures (fixture);
  CairnAuditHead head = head_of (fixture->clinical);
  g_autoptr(CairnMeasuresReport) report = cairn_measures_report_new ("Ada Okafor", fixture->ada_chart, measures,
                                                                     NULL, &head);
  g_autofree char *out = g_build_filename (fixture->parent, "out", NULL);
  g_autofree char *path = g_build_filename (out, "measures.pdf", NULL);
  g_autofree char *contents = NULL;
  struct rlimit saved, small;
  void (*saved_handler) (int);
  gboolean written;
  GStatBuf st;
  int exports_before = audits (fixture, "measures.export");

  g_assert_cmpint (g_mkdir (out, 0700), ==, 0);

  /* Writing fails halfway: a file may grow to 512 bytes, no more. */
  g_assert_cmpint (getrlimit (RLIMIT_FSIZE, &saved), ==, 0);
  small = saved;
  small.rlim_cur = 512;
  saved_handler = signal (SIGXFSZ, SIG_IGN);
  g_assert_cmpint (setrlimit (RLIMIT_FSIZE, &small), ==, 0);
  written = cairn_measures_report_write_pdf (report, path, &error);
  g_assert_cmpint (setrlimit (RLIMIT_FSIZE, &saved), ==, 0);
  g_assert_false (written);
  g_assert_nonnull (error);
  g_clear_error (&error);
  g_assert_false (g_file_test (path, G_FILE_TEST_EXISTS));
  g_assert_cmpuint (files_in (out), ==, 0);

  /* Over a file already there: it stays as it was. */
  g_assert_true (g_file_set_contents (path, "old", -1, NULL));
  g_assert_cmpint (setrlimit (RLIMIT_FSIZE, &small), ==, 0);
  written = cairn_measures_report_write_pdf (report, path, &error);
  g_assert_cmpint (setrlimit (RLIMIT_FSIZE, &saved), ==, 0);
  g_assert_false (written);
  g_clear_error (&error);
  g_assert_true (g_file_get_contents (path, &contents, NULL, NULL));
  g_assert_cmpstr (contents, ==, "old");
  g_assert_cmpuint (files_in (out), ==, 1);

  /* An export that cannot be written is not recorded. */
  g_assert_cmpint (g_unlink (path), ==, 0);
  g_assert_cmpint (setrlimit (RLIMIT_FSIZE, &small), ==, 0);
  written = cairn_measures_report_export (fixture->clinical, report, fixture->ada, path, fixture->me, &error);
  g_assert_cmpint (setrlimit (RLIMIT_FSIZE, &saved), ==, 0);
  signal (SIGXFSZ, saved_handler);
  g_assert_false (written);
  g_clear_error (&error);
  g_assert_cmpuint (files_in (out), ==, 0);
  g_assert_cmpint (audits (fixture, "measures.export"), ==, exports_before);

  /* Written: the owner's only, new or over a file others could read. */
  g_assert_true (cairn_measures_report_write_pdf (report, path, &error));
  g_assert_no_error (error);
  g_assert_cmpint (g_stat (path, &st), ==, 0);
  g_assert_cmpint (st.st_mode & 0777, ==, 0600);
  g_assert_cmpint (g_chmod (path, 0644), ==, 0);
  g_assert_true (cairn_measures_report_export (fixture->clinical, report, fixture->ada, path, fixture->me, &error));
  g_assert_no_error (error);
  g_assert_cmpint (g_stat (path, &st), ==, 0);
  g_assert_cmpint (st.st_mode & 0777, ==, 0600);
  g_assert_cmpuint (files_in (out), ==, 1);
  g_assert_cmpint (audits (fixture, "measures.export"), ==, exports_before + 1);
}

static void
test_report_pages (Fixture       *fixture,
                   gconstpointer  data)
{
  g_autoptr(GPtrArray) measures = g_ptr_array_new_with_free_func ((GDestroyNotify) cairn_measure_free);
  g_autoptr(CairnMeasuresReport) report = NULL;
  g_autoptr(CairnMeasuresReport) empty = NULL;
  g_autofree char *text = NULL;
  g_autofree char *empty_text = NULL;
  g_autofree char *footer = expected_footer (fixture->clinical);
  CairnAuditHead head = head_of (fixture->clinical);
  guint n_pages;

  /* Eighty GAD-7 totals: the table runs over pages, each with the head. */
  for (guint i = 0; i < 80; i++)
    {
      CairnMeasure *m = cairn_measure_new ("gad-7");
      GDate day;
      char iso[16];

      g_date_clear (&day, 1);
      g_date_set_dmy (&day, 1, 1, 2024);
      g_date_add_days (&day, i * 7);
      g_date_strftime (iso, sizeof iso, "%Y-%m-%d", &day);
      m->patient_id = g_strdup (fixture->ada);
      m->taken_on = g_strdup (iso);
      m->total = (int) (i % 22);
      for (guint j = 0; j < 7; j++)
        g_array_index (m->answers, int, j) = 0;
      g_ptr_array_add (measures, m);
    }
  report = cairn_measures_report_new ("Ada Okafor", "C-000001", measures, NULL, &head);
  n_pages = cairn_measures_report_n_pages (report, 595, 842);
  g_assert_cmpuint (n_pages, >=, 3);
  text = cairn_measures_report_to_text (report);
  g_assert_nonnull (strstr (text, "GAD-7, continued"));
  /* Every page's foot says where the trail ended. */
  g_assert_cmpuint (occurrences (text, footer), ==, n_pages);

  g_ptr_array_set_size (measures, 0);
  empty = cairn_measures_report_new ("Ada Okafor", NULL, measures, NULL, &head);
  g_assert_cmpuint (cairn_measures_report_n_pages (empty, 595, 842), ==, 1);
  empty_text = cairn_measures_report_to_text (empty);
  g_assert_nonnull (strstr (empty_text, "No measures are recorded."));
  g_assert_cmpuint (occurrences (empty_text, footer), ==, 1);
}

int
main (int argc, char **argv)
{
  g_autoptr(GError) error = NULL;

  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);
  if (!cairn_vfs_init (&error))
    g_error ("%s", error->message);

#define ADD(path, func) g_test_add ((path), Fixture, NULL, fixture_set_up, (func), fixture_tear_down)
  ADD ("/measures/round-trip", test_round_trip);
  ADD ("/measures/incomplete", test_incomplete);
  ADD ("/measures/bad-input", test_bad_input);
  ADD ("/measures/total-only", test_total_only);
  ADD ("/measures/delete", test_delete);
  ADD ("/measures/item9-alert", test_item9_alert);
  ADD ("/measures/session-days", test_session_days);
  ADD ("/measures/report", test_report);
  ADD ("/measures/report-pages", test_report_pages);
  ADD ("/measures/strict-dates", test_strict_dates);
  ADD ("/measures/practice-today", test_practice_today);
  ADD ("/measures/authors", test_authors);
  ADD ("/measures/migration-authors", test_migration_authors);
  ADD ("/measures/report-atomic", test_report_atomic);
#undef ADD
  g_test_add_func ("/measures/chart", test_chart);

  return g_test_run ();
}
