/* cairn-gate.c
 *
 * The gate shown before a medicine session may be started: eligibility
 * confirmed, consent on file, no unresolved exclusion, serotonergic
 * medications tapered, a pregnancy test today where it applies, and the
 * therapists the template asks for assigned. A pure function of the
 * patient's screening, the protocol template and the day: what it says is
 * tested case by case without a vault.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "cairn-clinical"

#include "config.h"

#include <glib/gi18n.h>

#include "cairn-gate.h"
#include "cairn-records.h"

void
cairn_gate_check_free (CairnGateCheck *check)
{
  if (check == NULL)
    return;
  g_free (check->id);
  g_free (check->title);
  g_free (check->reason);
  g_free (check->override_reason);
  g_free (check);
}

static CairnGateCheck *
check_new (GPtrArray  *checks,
           const char *id,
           const char *title)
{
  CairnGateCheck *check = g_new0 (CairnGateCheck, 1);

  check->id = g_strdup (id);
  check->title = g_strdup (title);
  g_ptr_array_add (checks, check);
  return check;
}

static void
check_set (CairnGateCheck *check,
           gboolean        passed,
           char           *reason)
{
  check->passed = passed;
  check->reason = reason;
}

/* "a, b and c", translated. */
static char *
join_list (GPtrArray *items)
{
  GString *text = g_string_new (NULL);

  for (guint i = 0; i < items->len; i++)
    {
      if (i > 0)
        g_string_append (text, i + 1 == items->len
                               /* Translators: between the last two items of a list */
                               ? _(" and ")
                               /* Translators: between items of a list */
                               : _(", "));
      g_string_append (text, g_ptr_array_index (items, i));
    }
  return g_string_free (text, FALSE);
}

/* Compares two dates as days, never as text: -2 when either is not a date
 * ("YYYY-MM-DD"), else <0, 0 or >0. */
static int
compare_days (const char *a,
              const char *b)
{
  GDate x, y;

  if (!cairn_record_parse_day (a, &x) || !cairn_record_parse_day (b, &y))
    return -2;
  return CLAMP (g_date_compare (&x, &y), -1, 1);
}

static void
check_eligibility (CairnGateCheck       *check,
                   const CairnScreening *screening)
{
  const CairnEligibilityDecision *decision = cairn_screening_get_decision (screening);

  if (decision == NULL)
    check_set (check, FALSE, g_strdup (_("No eligibility decision is recorded.")));
  else if (decision->decision == CAIRN_ELIGIBILITY_ELIGIBLE)
    check_set (check, TRUE, g_strdup_printf (_("Decided eligible on %s."), decision->decided_on));
  else
    /* Translators: the second %s is a decision, e.g. "Needs review" */
    check_set (check, FALSE, g_strdup_printf (_("The latest decision, on %s, is “%s”."), decision->decided_on,
                                              cairn_eligibility_get_label (decision->decision)));
}

static void
check_consent (CairnGateCheck         *check,
               const CairnScreening   *screening,
               const CairnGateContext *context)
{
  const char *date = screening->details.consent_date;
  int order = compare_days (date, context->today);

  if (date == NULL || *date == '\0')
    check_set (check, FALSE, g_strdup (_("No date of informed consent is recorded.")));
  else if (order == -2)
    check_set (check, FALSE, g_strdup_printf (_("The consent date, “%s”, is not a date."), date));
  else if (order > 0)
    check_set (check, FALSE, g_strdup_printf (_("The consent date, %s, is after today."), date));
  else
    check_set (check, TRUE, g_strdup_printf (_("Informed consent signed on %s."), date));
}

static void
check_exclusions (CairnGateCheck       *check,
                  const CairnScreening *screening,
                  const CairnProtocol  *protocol)
{
  guint n = cairn_protocol_get_n_exclusions (protocol);
  g_autoptr(GPtrArray) present = g_ptr_array_new ();
  g_autoptr(GPtrArray) unresolved = g_ptr_array_new ();
  g_autoptr(GString) reason = g_string_new (NULL);

  if (n == 0)
    {
      check_set (check, TRUE, g_strdup (_("The protocol template lists no exclusions.")));
      return;
    }

  for (guint i = 0; i < n; i++)
    {
      const CairnExclusion *exclusion = cairn_protocol_get_exclusion_nth (protocol, i);
      const CairnExclusionRecord *record = cairn_screening_find_exclusion (screening, exclusion->id);

      if (record == NULL || record->answer == CAIRN_EXCLUSION_ANSWER_UNKNOWN)
        g_ptr_array_add (unresolved, exclusion->title);
      else if (record->answer == CAIRN_EXCLUSION_ANSWER_YES)
        g_ptr_array_add (present, exclusion->title);
    }

  if (present->len == 0 && unresolved->len == 0)
    {
      check_set (check, TRUE, g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                                            "The exclusion is answered “no”.",
                                                            "All %u exclusions are answered “no”.", n),
                                               n));
      return;
    }

  if (present->len > 0)
    {
      g_autofree char *list = join_list (present);

      /* Translators: %s is a list of exclusions, e.g. "Bipolar I disorder and Eating disorder" */
      g_string_append_printf (reason, _("Answered “yes”: %s."), list);
    }
  if (unresolved->len > 0)
    {
      g_autofree char *list = join_list (unresolved);

      if (reason->len > 0)
        g_string_append_c (reason, ' ');
      /* Translators: %s is a list of exclusions */
      g_string_append_printf (reason, _("Not answered, or unknown: %s."), list);
    }
  check_set (check, FALSE, g_string_free (g_steal_pointer (&reason), FALSE));
}

static void
check_serotonergic (CairnGateCheck         *check,
                    const CairnScreening   *screening,
                    const CairnGateContext *context)
{
  g_autoptr(GPtrArray) taking = g_ptr_array_new ();
  guint n_serotonergic = 0;

  for (guint i = 0; i < screening->medications->len; i++)
    {
      const CairnMedication *medication = g_ptr_array_index (screening->medications, i);

      if (!medication->serotonergic)
        continue;
      n_serotonergic++;
      /* Tapered off on a day up to today; a day that cannot be read is no
       * proof of it. */
      if (medication->tapered_off == NULL || *medication->tapered_off == '\0')
        g_ptr_array_add (taking, medication->name);
      else
        {
          int order = compare_days (medication->tapered_off, context->today);

          if (order == -2 || order > 0)
            g_ptr_array_add (taking, medication->name);
        }
    }

  if (n_serotonergic == 0)
    check_set (check, TRUE, g_strdup (_("No serotonergic medication is listed.")));
  else if (taking->len == 0)
    check_set (check, TRUE, g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                                          "The serotonergic medication is tapered off.",
                                                          "All %u serotonergic medications are tapered off.",
                                                          n_serotonergic),
                                             n_serotonergic));
  else
    {
      g_autofree char *list = join_list (taking);

      /* Translators: %s is a list of medications */
      check_set (check, FALSE, g_strdup_printf (_("Not tapered off by today: %s."), list));
    }
}

static void
check_pregnancy_test (CairnGateCheck         *check,
                      const CairnScreening   *screening,
                      const CairnProtocol    *protocol,
                      const CairnGateContext *context)
{
  if (!cairn_protocol_get_pregnancy_tests (protocol))
    {
      check_set (check, TRUE, g_strdup (_("The protocol template asks for no pregnancy test.")));
      return;
    }
  if (!screening->details.pregnancy_applicable)
    {
      check_set (check, TRUE, g_strdup (_("Not applicable to this patient.")));
      return;
    }

  /* Tests are newest first: the last one recorded today counts. */
  for (guint i = 0; i < screening->pregnancy_tests->len; i++)
    {
      const CairnPregnancyTest *test = g_ptr_array_index (screening->pregnancy_tests, i);

      if (compare_days (test->date, context->today) != 0)
        continue;
      if (test->result == CAIRN_PREGNANCY_RESULT_NEGATIVE)
        check_set (check, TRUE, g_strdup (_("A negative test is recorded today.")));
      else
        check_set (check, FALSE, g_strdup (_("The test recorded today is positive.")));
      return;
    }
  check_set (check, FALSE, g_strdup (_("No pregnancy test is recorded today.")));
}

static void
check_therapists (CairnGateCheck         *check,
                  const CairnProtocol    *protocol,
                  const CairnGateContext *context)
{
  const CairnAppointmentType *type = NULL;

  for (guint i = 0; i < cairn_protocol_get_n_types (protocol); i++)
    {
      const CairnAppointmentType *candidate = cairn_protocol_get_type_nth (protocol, i);

      if (candidate->phase == CAIRN_PHASE_MEDICINE_SESSION)
        {
          type = candidate;
          break;
        }
    }

  if (!context->has_session)
    check_set (check, FALSE, g_strdup (_("No medicine session is booked.")));
  else if (type == NULL || type->staff == 0)
    check_set (check, TRUE, g_strdup (_("The protocol template asks for no therapist.")));
  else if (context->n_therapists >= type->staff)
    check_set (check, TRUE, g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                                          "%u therapist assigned, as the protocol template asks.",
                                                          "%u therapists assigned, as the protocol template asks.",
                                                          context->n_therapists),
                                             context->n_therapists));
  else
    /* Translators: "Assigned: 1 of the 2 therapists needed." */
    check_set (check, FALSE, g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                                          "Assigned: %u of the %u therapist needed.",
                                                          "Assigned: %u of the %u therapists needed.",
                                                          type->staff),
                                             context->n_therapists, type->staff));
}

static void
apply_overrides (GPtrArray              *checks,
                 const CairnScreening   *screening,
                 const CairnGateContext *context)
{
  for (guint i = 0; i < checks->len; i++)
    {
      CairnGateCheck *check = g_ptr_array_index (checks, i);

      if (check->passed)
        continue;
      /* Overrides are newest first: the latest one for the check today counts. */
      for (guint j = 0; j < screening->overrides->len; j++)
        {
          const CairnGateOverride *override = g_ptr_array_index (screening->overrides, j);

          if (g_strcmp0 (override->check_id, check->id) == 0 &&
              compare_days (override->applies_on, context->today) == 0)
            {
              check->overridden = TRUE;
              check->override_reason = g_strdup (override->reason);
              break;
            }
        }
    }
}

/**
 * cairn_gate_evaluate:
 * @screening: the patient's screening
 * @protocol: the protocol template in use
 * @context: the day, and the medicine session's staffing
 *
 * Runs every check of the gate. Checks come in a stable order with stable
 * ids (see CAIRN_GATE_CHECK_*); a failed check that a clinician overrode
 * for @context's day stays failed and is marked overridden, with the
 * written reason.
 *
 * Returns: (transfer container) (element-type CairnGateCheck): the checks
 */
GPtrArray *
cairn_gate_evaluate (const CairnScreening   *screening,
                     const CairnProtocol    *protocol,
                     const CairnGateContext *context)
{
  GPtrArray *checks = g_ptr_array_new_with_free_func ((GDestroyNotify) cairn_gate_check_free);

  g_return_val_if_fail (screening != NULL && protocol != NULL, checks);
  g_return_val_if_fail (context != NULL && context->today != NULL, checks);

  check_eligibility (check_new (checks, CAIRN_GATE_CHECK_ELIGIBILITY, _("Eligibility confirmed")), screening);
  check_consent (check_new (checks, CAIRN_GATE_CHECK_CONSENT, _("Consent on file")), screening, context);
  check_exclusions (check_new (checks, CAIRN_GATE_CHECK_EXCLUSIONS, _("No unresolved exclusion")),
                    screening, protocol);
  check_serotonergic (check_new (checks, CAIRN_GATE_CHECK_SEROTONERGIC, _("Serotonergic medications tapered")),
                      screening, context);
  check_pregnancy_test (check_new (checks, CAIRN_GATE_CHECK_PREGNANCY_TEST, _("Pregnancy test today")),
                        screening, protocol, context);
  check_therapists (check_new (checks, CAIRN_GATE_CHECK_THERAPISTS, _("Therapists assigned")),
                    protocol, context);

  apply_overrides (checks, screening, context);
  return checks;
}

/**
 * cairn_gate_all_clear:
 * @checks: (element-type CairnGateCheck): what cairn_gate_evaluate() gave
 *
 * Returns: %TRUE when every check passed or was overridden
 */
gboolean
cairn_gate_all_clear (GPtrArray *checks)
{
  g_return_val_if_fail (checks != NULL, FALSE);

  for (guint i = 0; i < checks->len; i++)
    {
      const CairnGateCheck *check = g_ptr_array_index (checks, i);

      if (!check->passed && !check->overridden)
        return FALSE;
    }
  return TRUE;
}
