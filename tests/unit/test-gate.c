/* test-gate.c
 *
 * The eligibility gate, case by case, without a vault: each check passing
 * and failing, the latest decision counting, unanswered and unknown
 * exclusions named, a serotonergic medication tapered off yesterday, today
 * or tomorrow, pregnancy tests that do not apply, the therapists the
 * template asks for, and overrides for the day only.
 *
 * The template is read from the shipped default and changed where a case
 * needs it, so that nothing here depends on one medicine.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <json-glib/json-glib.h>
#include <string.h>

#include "cairn-gate.h"
#include "cairn-protocol.h"
#include "cairn-screening.h"

#define TODAY     "2026-03-10"
#define YESTERDAY "2026-03-09"
#define TOMORROW  "2026-03-11"

/* The default template with its "screening" object changed by @edit. */
static CairnProtocol *
protocol_with (void (*edit) (JsonObject *screening))
{
  g_autoptr(CairnProtocol) base = cairn_protocol_load_default ();
  g_autofree char *data = cairn_protocol_to_data (base);
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *changed = NULL;
  CairnProtocol *protocol;
  JsonObject *root;

  g_assert_true (json_parser_load_from_data (parser, data, -1, &error));
  g_assert_no_error (error);
  root = json_node_get_object (json_parser_get_root (parser));
  if (edit != NULL)
    edit (json_object_get_object_member (root, "screening"));
  changed = json_to_string (json_parser_get_root (parser), FALSE);
  protocol = cairn_protocol_new_from_data (changed, -1, &error);
  g_assert_no_error (error);
  return protocol;
}

static void
no_pregnancy_tests (JsonObject *screening)
{
  json_object_set_boolean_member (screening, "pregnancy_tests", FALSE);
}

static void
no_exclusions (JsonObject *screening)
{
  json_object_set_array_member (screening, "exclusions", json_array_new ());
}

static void
add_decision (CairnScreening  *screening,
              CairnEligibility value,
              const char      *on)
{
  CairnEligibilityDecision *decision = g_new0 (CairnEligibilityDecision, 1);

  decision->id = g_strdup_printf ("decision-%u", screening->decisions->len);
  decision->decision = value;
  decision->reason = g_strdup ("Reviewed at the team meeting");
  decision->decided_by = g_strdup ("user");
  decision->decided_on = g_strdup (on);
  /* Newest first, as cairn_screening_load() gives them. */
  g_ptr_array_insert (screening->decisions, 0, decision);
}

static void
answer (CairnScreening      *screening,
        const char          *id,
        CairnExclusionAnswer value)
{
  CairnExclusionRecord *record = (CairnExclusionRecord *) cairn_screening_find_exclusion (screening, id);

  if (record == NULL)
    {
      record = g_new0 (CairnExclusionRecord, 1);
      record->exclusion_id = g_strdup (id);
      g_ptr_array_add (screening->exclusions, record);
    }
  record->answer = value;
}

static void
answer_all (CairnScreening      *screening,
            const CairnProtocol *protocol,
            CairnExclusionAnswer value)
{
  for (guint i = 0; i < cairn_protocol_get_n_exclusions (protocol); i++)
    answer (screening, cairn_protocol_get_exclusion_nth (protocol, i)->id, value);
}

static CairnMedication *
add_medication (CairnScreening *screening,
                const char     *name,
                gboolean        serotonergic,
                const char     *tapered_off)
{
  CairnMedication *medication = cairn_medication_new ();

  medication->id = g_strdup_printf ("medication-%u", screening->medications->len);
  medication->name = g_strdup (name);
  medication->serotonergic = serotonergic;
  medication->tapered_off = g_strdup (tapered_off);
  g_ptr_array_add (screening->medications, medication);
  return medication;
}

static void
add_pregnancy_test (CairnScreening      *screening,
                    const char          *date,
                    CairnPregnancyResult result)
{
  CairnPregnancyTest *test = g_new0 (CairnPregnancyTest, 1);

  test->id = g_strdup_printf ("test-%u", screening->pregnancy_tests->len);
  test->date = g_strdup (date);
  test->result = result;
  g_ptr_array_insert (screening->pregnancy_tests, 0, test);
}

static void
add_override (CairnScreening *screening,
              const char     *check_id,
              const char     *applies_on,
              const char     *reason)
{
  CairnGateOverride *override = g_new0 (CairnGateOverride, 1);

  override->id = g_strdup_printf ("override-%u", screening->overrides->len);
  override->check_id = g_strdup (check_id);
  override->applies_on = g_strdup (applies_on);
  override->reason = g_strdup (reason);
  g_ptr_array_insert (screening->overrides, 0, override);
}

/* A patient who clears every check of @protocol on TODAY. */
static CairnScreening *
cleared_screening (const CairnProtocol *protocol)
{
  CairnScreening *screening = cairn_screening_new ("patient");

  add_decision (screening, CAIRN_ELIGIBILITY_ELIGIBLE, YESTERDAY);
  screening->details.consent_date = g_strdup ("2026-02-01");
  answer_all (screening, protocol, CAIRN_EXCLUSION_ANSWER_NO);
  add_medication (screening, "Sertraline", TRUE, YESTERDAY);
  add_medication (screening, "Paracetamol", FALSE, NULL);
  screening->details.pregnancy_applicable = TRUE;
  add_pregnancy_test (screening, TODAY, CAIRN_PREGNANCY_RESULT_NEGATIVE);
  return screening;
}

static const CairnGateContext staffed = { TODAY, 2, TRUE };

static const CairnGateCheck *
find_check (GPtrArray  *checks,
            const char *id)
{
  for (guint i = 0; i < checks->len; i++)
    {
      const CairnGateCheck *check = g_ptr_array_index (checks, i);

      if (g_strcmp0 (check->id, id) == 0)
        return check;
    }
  g_assert_not_reached ();
}

/* Evaluates and asserts the state of @id; returns its reason. */
static char *
evaluate_check (const CairnScreening   *screening,
                const CairnProtocol    *protocol,
                const CairnGateContext *context,
                const char             *id,
                gboolean                passed)
{
  g_autoptr(GPtrArray) checks = cairn_gate_evaluate (screening, protocol, context);
  const CairnGateCheck *check = find_check (checks, id);

  g_assert_cmpint (check->passed, ==, passed);
  g_assert_nonnull (check->reason);
  g_assert_cmpstr (check->reason, !=, "");
  g_assert_cmpint (cairn_gate_all_clear (checks), ==, passed);
  return g_strdup (check->reason);
}

static void
test_gate_all_pass (void)
{
  g_autoptr(CairnProtocol) protocol = protocol_with (NULL);
  g_autoptr(CairnScreening) screening = cleared_screening (protocol);
  g_autoptr(GPtrArray) checks = cairn_gate_evaluate (screening, protocol, &staffed);
  static const char * const order[] = {
    CAIRN_GATE_CHECK_ELIGIBILITY, CAIRN_GATE_CHECK_CONSENT, CAIRN_GATE_CHECK_EXCLUSIONS,
    CAIRN_GATE_CHECK_SEROTONERGIC, CAIRN_GATE_CHECK_PREGNANCY_TEST, CAIRN_GATE_CHECK_THERAPISTS,
  };

  g_assert_cmpuint (cairn_protocol_get_n_exclusions (protocol), >, 0);
  g_assert_true (cairn_protocol_get_pregnancy_tests (protocol));

  g_assert_cmpuint (checks->len, ==, G_N_ELEMENTS (order));
  for (guint i = 0; i < checks->len; i++)
    {
      const CairnGateCheck *check = g_ptr_array_index (checks, i);

      g_assert_cmpstr (check->id, ==, order[i]);
      g_assert_true (check->passed);
      g_assert_false (check->overridden);
      g_assert_null (check->override_reason);
      g_assert_nonnull (check->title);
      g_assert_nonnull (check->reason);
    }
  g_assert_true (cairn_gate_all_clear (checks));
}

static void
test_gate_eligibility (void)
{
  g_autoptr(CairnProtocol) protocol = protocol_with (NULL);
  g_autoptr(CairnScreening) screening = cleared_screening (protocol);
  g_autoptr(CairnScreening) undecided = cleared_screening (protocol);
  g_autofree char *reason = NULL;
  g_autofree char *none = NULL;

  /* The newest decision counts: eligible, then needs review. */
  add_decision (screening, CAIRN_ELIGIBILITY_NEEDS_REVIEW, TODAY);
  reason = evaluate_check (screening, protocol, &staffed, CAIRN_GATE_CHECK_ELIGIBILITY, FALSE);
  g_assert_nonnull (strstr (reason, cairn_eligibility_get_label (CAIRN_ELIGIBILITY_NEEDS_REVIEW)));
  g_assert_nonnull (strstr (reason, TODAY));

  add_decision (screening, CAIRN_ELIGIBILITY_NOT_ELIGIBLE, TODAY);
  g_free (evaluate_check (screening, protocol, &staffed, CAIRN_GATE_CHECK_ELIGIBILITY, FALSE));

  add_decision (screening, CAIRN_ELIGIBILITY_ELIGIBLE, TODAY);
  g_free (evaluate_check (screening, protocol, &staffed, CAIRN_GATE_CHECK_ELIGIBILITY, TRUE));

  g_ptr_array_set_size (undecided->decisions, 0);
  none = evaluate_check (undecided, protocol, &staffed, CAIRN_GATE_CHECK_ELIGIBILITY, FALSE);
  g_assert_cmpstr (none, ==, "No eligibility decision is recorded.");
}

static void
test_gate_consent (void)
{
  g_autoptr(CairnProtocol) protocol = protocol_with (NULL);
  g_autoptr(CairnScreening) screening = cleared_screening (protocol);

  g_clear_pointer (&screening->details.consent_date, g_free);
  g_free (evaluate_check (screening, protocol, &staffed, CAIRN_GATE_CHECK_CONSENT, FALSE));

  screening->details.consent_date = g_strdup (TOMORROW);
  g_free (evaluate_check (screening, protocol, &staffed, CAIRN_GATE_CHECK_CONSENT, FALSE));

  g_free (screening->details.consent_date);
  screening->details.consent_date = g_strdup (TODAY);
  g_free (evaluate_check (screening, protocol, &staffed, CAIRN_GATE_CHECK_CONSENT, TRUE));
}

static void
test_gate_exclusions (void)
{
  g_autoptr(CairnProtocol) protocol = protocol_with (NULL);
  g_autoptr(CairnProtocol) none = protocol_with (no_exclusions);
  g_autoptr(CairnScreening) screening = cleared_screening (protocol);
  const CairnExclusion *first = cairn_protocol_get_exclusion_nth (protocol, 0);
  const CairnExclusion *second = cairn_protocol_get_exclusion_nth (protocol, 1);
  const CairnExclusion *third = cairn_protocol_get_exclusion_nth (protocol, 2);
  g_autofree char *unknown = NULL;
  g_autofree char *unanswered = NULL;
  g_autofree char *yes = NULL;

  /* Unknown is unresolved, and the check names it. */
  answer (screening, first->id, CAIRN_EXCLUSION_ANSWER_UNKNOWN);
  unknown = evaluate_check (screening, protocol, &staffed, CAIRN_GATE_CHECK_EXCLUSIONS, FALSE);
  g_assert_nonnull (strstr (unknown, first->title));
  g_assert_null (strstr (unknown, second->title));

  /* So is one never answered. */
  answer (screening, first->id, CAIRN_EXCLUSION_ANSWER_NO);
  g_ptr_array_remove_index (screening->exclusions, 1);
  g_assert_null (cairn_screening_find_exclusion (screening, second->id));
  unanswered = evaluate_check (screening, protocol, &staffed, CAIRN_GATE_CHECK_EXCLUSIONS, FALSE);
  g_assert_nonnull (strstr (unanswered, second->title));
  g_assert_null (strstr (unanswered, first->title));

  /* A "yes" is named apart from the unresolved one. */
  answer (screening, third->id, CAIRN_EXCLUSION_ANSWER_YES);
  yes = evaluate_check (screening, protocol, &staffed, CAIRN_GATE_CHECK_EXCLUSIONS, FALSE);
  g_assert_nonnull (strstr (yes, third->title));
  g_assert_nonnull (strstr (yes, second->title));
  g_assert_true (strstr (yes, third->title) < strstr (yes, second->title));

  answer_all (screening, protocol, CAIRN_EXCLUSION_ANSWER_NO);
  g_free (evaluate_check (screening, protocol, &staffed, CAIRN_GATE_CHECK_EXCLUSIONS, TRUE));

  /* An answer to an exclusion the template no longer asks does not count. */
  answer (screening, "dropped-from-template", CAIRN_EXCLUSION_ANSWER_YES);
  g_free (evaluate_check (screening, protocol, &staffed, CAIRN_GATE_CHECK_EXCLUSIONS, TRUE));

  /* A template that asks nothing passes with nothing answered. */
  g_ptr_array_set_size (screening->exclusions, 0);
  g_assert_cmpuint (cairn_protocol_get_n_exclusions (none), ==, 0);
  g_free (evaluate_check (screening, none, &staffed, CAIRN_GATE_CHECK_EXCLUSIONS, TRUE));
}

static void
test_gate_serotonergic (void)
{
  g_autoptr(CairnProtocol) protocol = protocol_with (NULL);
  g_autoptr(CairnScreening) screening = cleared_screening (protocol);
  CairnMedication *lithium;
  g_autofree char *tomorrow = NULL;
  g_autofree char *none = NULL;

  lithium = add_medication (screening, "Lithium", TRUE, TOMORROW);
  tomorrow = evaluate_check (screening, protocol, &staffed, CAIRN_GATE_CHECK_SEROTONERGIC, FALSE);
  g_assert_nonnull (strstr (tomorrow, "Lithium"));
  g_assert_null (strstr (tomorrow, "Sertraline"));
  g_assert_null (strstr (tomorrow, "Paracetamol"));

  g_free (lithium->tapered_off);
  lithium->tapered_off = g_strdup (YESTERDAY);
  g_free (evaluate_check (screening, protocol, &staffed, CAIRN_GATE_CHECK_SEROTONERGIC, TRUE));

  g_free (lithium->tapered_off);
  lithium->tapered_off = g_strdup (TODAY);
  g_free (evaluate_check (screening, protocol, &staffed, CAIRN_GATE_CHECK_SEROTONERGIC, TRUE));

  /* Still taken: no date at all. */
  g_clear_pointer (&lithium->tapered_off, g_free);
  g_free (evaluate_check (screening, protocol, &staffed, CAIRN_GATE_CHECK_SEROTONERGIC, FALSE));

  /* The clinician unticked the flag: it no longer counts. */
  lithium->serotonergic = FALSE;
  g_free (evaluate_check (screening, protocol, &staffed, CAIRN_GATE_CHECK_SEROTONERGIC, TRUE));

  g_ptr_array_set_size (screening->medications, 0);
  none = evaluate_check (screening, protocol, &staffed, CAIRN_GATE_CHECK_SEROTONERGIC, TRUE);
  g_assert_cmpstr (none, ==, "No serotonergic medication is listed.");
}

static void
test_gate_pregnancy (void)
{
  g_autoptr(CairnProtocol) protocol = protocol_with (NULL);
  g_autoptr(CairnProtocol) untested = protocol_with (no_pregnancy_tests);
  g_autoptr(CairnScreening) screening = cleared_screening (protocol);

  /* Yesterday's test is not today's. */
  g_ptr_array_set_size (screening->pregnancy_tests, 0);
  add_pregnancy_test (screening, YESTERDAY, CAIRN_PREGNANCY_RESULT_NEGATIVE);
  g_free (evaluate_check (screening, protocol, &staffed, CAIRN_GATE_CHECK_PREGNANCY_TEST, FALSE));

  add_pregnancy_test (screening, TODAY, CAIRN_PREGNANCY_RESULT_POSITIVE);
  g_free (evaluate_check (screening, protocol, &staffed, CAIRN_GATE_CHECK_PREGNANCY_TEST, FALSE));

  /* A later test the same day replaces the positive one (a false reading). */
  add_pregnancy_test (screening, TODAY, CAIRN_PREGNANCY_RESULT_NEGATIVE);
  g_free (evaluate_check (screening, protocol, &staffed, CAIRN_GATE_CHECK_PREGNANCY_TEST, TRUE));

  /* Not applicable to the patient: passes with no test at all. */
  g_ptr_array_set_size (screening->pregnancy_tests, 0);
  screening->details.pregnancy_applicable = FALSE;
  g_free (evaluate_check (screening, protocol, &staffed, CAIRN_GATE_CHECK_PREGNANCY_TEST, TRUE));

  /* The template asks for none: passes even where it would apply. */
  screening->details.pregnancy_applicable = TRUE;
  g_free (evaluate_check (screening, protocol, &staffed, CAIRN_GATE_CHECK_PREGNANCY_TEST, FALSE));
  g_free (evaluate_check (screening, untested, &staffed, CAIRN_GATE_CHECK_PREGNANCY_TEST, TRUE));
}

static void
test_gate_therapists (void)
{
  g_autoptr(CairnProtocol) protocol = protocol_with (NULL);
  g_autoptr(CairnScreening) screening = cleared_screening (protocol);
  const CairnAppointmentType *type = NULL;
  CairnGateContext context = { TODAY, 0, TRUE };
  g_autofree char *unbooked = NULL;

  for (guint i = 0; i < cairn_protocol_get_n_types (protocol); i++)
    if (cairn_protocol_get_type_nth (protocol, i)->phase == CAIRN_PHASE_MEDICINE_SESSION)
      type = cairn_protocol_get_type_nth (protocol, i);
  g_assert_nonnull (type);
  g_assert_cmpuint (type->staff, >=, 2);

  context.n_therapists = type->staff - 1;
  g_free (evaluate_check (screening, protocol, &context, CAIRN_GATE_CHECK_THERAPISTS, FALSE));
  context.n_therapists = type->staff;
  g_free (evaluate_check (screening, protocol, &context, CAIRN_GATE_CHECK_THERAPISTS, TRUE));
  context.n_therapists = type->staff + 1;
  g_free (evaluate_check (screening, protocol, &context, CAIRN_GATE_CHECK_THERAPISTS, TRUE));

  /* Nothing booked: the other checks are still shown, this one fails. */
  context.has_session = FALSE;
  context.n_therapists = 0;
  unbooked = evaluate_check (screening, protocol, &context, CAIRN_GATE_CHECK_THERAPISTS, FALSE);
  g_assert_cmpstr (unbooked, ==, "No medicine session is booked.");
}

static void
test_gate_overrides (void)
{
  g_autoptr(CairnProtocol) protocol = protocol_with (NULL);
  g_autoptr(CairnScreening) screening = cleared_screening (protocol);
  g_autoptr(GPtrArray) before = NULL;
  g_autoptr(GPtrArray) after = NULL;
  g_autoptr(GPtrArray) later = NULL;
  const CairnGateCheck *consent;
  const CairnGateCheck *eligibility;

  g_clear_pointer (&screening->details.consent_date, g_free);
  /* Yesterday's override does not hold today; one for a passed check is moot. */
  add_override (screening, CAIRN_GATE_CHECK_CONSENT, YESTERDAY, "Signed form in the post");
  add_override (screening, CAIRN_GATE_CHECK_ELIGIBILITY, TODAY, "Not needed");
  before = cairn_gate_evaluate (screening, protocol, &staffed);
  consent = find_check (before, CAIRN_GATE_CHECK_CONSENT);
  g_assert_false (consent->passed);
  g_assert_false (consent->overridden);
  g_assert_null (consent->override_reason);
  eligibility = find_check (before, CAIRN_GATE_CHECK_ELIGIBILITY);
  g_assert_true (eligibility->passed);
  g_assert_false (eligibility->overridden);
  g_assert_false (cairn_gate_all_clear (before));

  add_override (screening, CAIRN_GATE_CHECK_CONSENT, TODAY, "Consent given on video, form to follow");
  after = cairn_gate_evaluate (screening, protocol, &staffed);
  consent = find_check (after, CAIRN_GATE_CHECK_CONSENT);
  g_assert_false (consent->passed);
  g_assert_true (consent->overridden);
  g_assert_cmpstr (consent->override_reason, ==, "Consent given on video, form to follow");
  g_assert_true (cairn_gate_all_clear (after));

  /* The latest override of the day is the one shown. */
  add_override (screening, CAIRN_GATE_CHECK_CONSENT, TODAY, "Second reason");
  later = cairn_gate_evaluate (screening, protocol, &staffed);
  g_assert_cmpstr (find_check (later, CAIRN_GATE_CHECK_CONSENT)->override_reason, ==, "Second reason");
}

/* Dates are compared as days. A date that is not exactly "YYYY-MM-DD"
 * proves nothing: as text, "2026- 3-11" sorts before "2026-03-10". */
static void
test_gate_dates_as_days (void)
{
  g_autoptr(CairnProtocol) protocol = protocol_with (NULL);
  g_autoptr(CairnScreening) screening = cleared_screening (protocol);
  static const char * const unreadable[] = { "2026- 3-11", "2026-+3-11", "2026-03-1x", "2026-02-30 " };
  CairnGateContext later = { "2026-12-01", 2, TRUE };
  CairnMedication *lithium;

  for (guint i = 0; i < G_N_ELEMENTS (unreadable); i++)
    {
      g_autofree char *reason = NULL;

      g_free (screening->details.consent_date);
      screening->details.consent_date = g_strdup (unreadable[i]);
      reason = evaluate_check (screening, protocol, &staffed, CAIRN_GATE_CHECK_CONSENT, FALSE);
      g_assert_nonnull (strstr (reason, "is not a date"));
    }
  g_free (screening->details.consent_date);
  screening->details.consent_date = g_strdup ("2026-02-01");

  lithium = add_medication (screening, "Lithium", TRUE, NULL);
  for (guint i = 0; i < G_N_ELEMENTS (unreadable); i++)
    {
      g_autofree char *reason = NULL;

      g_free (lithium->tapered_off);
      lithium->tapered_off = g_strdup (unreadable[i]);
      reason = evaluate_check (screening, protocol, &staffed, CAIRN_GATE_CHECK_SEROTONERGIC, FALSE);
      g_assert_nonnull (strstr (reason, "Lithium"));
    }

  /* Across months and years, the days still compare. */
  g_free (lithium->tapered_off);
  lithium->tapered_off = g_strdup ("2026-11-30");
  g_ptr_array_set_size (screening->pregnancy_tests, 0);
  add_pregnancy_test (screening, "2026-12-01", CAIRN_PREGNANCY_RESULT_NEGATIVE);
  g_free (evaluate_check (screening, protocol, &later, CAIRN_GATE_CHECK_SEROTONERGIC, TRUE));
  g_free (evaluate_check (screening, protocol, &later, CAIRN_GATE_CHECK_PREGNANCY_TEST, TRUE));
  g_free (evaluate_check (screening, protocol, &later, CAIRN_GATE_CHECK_CONSENT, TRUE));
  later.today = "2025-12-31";
  g_free (evaluate_check (screening, protocol, &later, CAIRN_GATE_CHECK_CONSENT, FALSE));
}

static void
test_gate_empty_patient (void)
{
  g_autoptr(CairnProtocol) protocol = protocol_with (NULL);
  g_autoptr(CairnScreening) screening = cairn_screening_new ("patient");
  CairnGateContext context = { TODAY, 0, FALSE };
  g_autoptr(GPtrArray) checks = cairn_gate_evaluate (screening, protocol, &context);
  guint n_failed = 0;

  for (guint i = 0; i < checks->len; i++)
    if (!((CairnGateCheck *) g_ptr_array_index (checks, i))->passed)
      n_failed++;

  /* Nothing recorded: eligibility, consent, exclusions and therapists fail;
   * no medication and a pregnancy test not marked applicable pass. */
  g_assert_cmpuint (checks->len, ==, 6);
  g_assert_cmpuint (n_failed, ==, 4);
  g_assert_true (find_check (checks, CAIRN_GATE_CHECK_SEROTONERGIC)->passed);
  g_assert_true (find_check (checks, CAIRN_GATE_CHECK_PREGNANCY_TEST)->passed);
  g_assert_false (cairn_gate_all_clear (checks));
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  g_test_add_func ("/gate/all-pass", test_gate_all_pass);
  g_test_add_func ("/gate/eligibility", test_gate_eligibility);
  g_test_add_func ("/gate/consent", test_gate_consent);
  g_test_add_func ("/gate/exclusions", test_gate_exclusions);
  g_test_add_func ("/gate/serotonergic", test_gate_serotonergic);
  g_test_add_func ("/gate/pregnancy-test", test_gate_pregnancy);
  g_test_add_func ("/gate/therapists", test_gate_therapists);
  g_test_add_func ("/gate/overrides", test_gate_overrides);
  g_test_add_func ("/gate/empty-patient", test_gate_empty_patient);
  g_test_add_func ("/gate/dates-as-days", test_gate_dates_as_days);

  return g_test_run ();
}
