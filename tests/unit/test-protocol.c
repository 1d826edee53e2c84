/* test-protocol.c
 *
 * Protocol templates: both shipped templates load with the figures their
 * JSON gives; a template survives writing and reading back; a table of bad
 * templates, each rejected with a message that starts with the JSON path
 * of the field at fault; a newer version, malformed JSON and a top level
 * that is not an object; unknown top-level members kept, unknown members
 * elsewhere refused; and a template for a medicine and type ids the code
 * has never heard of, to show nothing depends on MDMA. Note sections,
 * screening exclusions and measure timepoints: read from both shipped
 * templates, checked field by field, kept through a round trip and a
 * duplicate, and absent from a template written before they existed.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <json-glib/json-glib.h>
#include <stdlib.h>
#include <string.h>

#include "cairn-protocol.h"

/* Templates are written here with ' for ", to stay readable. */
static char *
json_text (const char *text)
{
  return g_strdelimit (g_strdup (text), "'", '"');
}

/* A small valid template the bad cases below break one field at a time.
 * Indices: [0] screening, [1] preparation, [2] medicine session,
 * [3] integration, [4] phone call, [5] follow-up. */
static const char base_template[] =
  "{ 'format': 'cairn-protocol', 'version': 1, 'id': 'test', 'name': 'Test course',"
  "  'medicine': 'Testamine', 'description': 'For the tests.',"
  "  'appointment_types': ["
  "    { 'id': 'screening', 'name': 'Screening', 'phase': 'screening',"
  "      'minutes': 60, 'staff': 1, 'room': true, 'by_phone': false },"
  "    { 'id': 'preparation', 'name': 'Preparation', 'phase': 'preparation',"
  "      'minutes': 90, 'staff': 2, 'room': true, 'by_phone': false,"
  "      'note_sections': ["
  "        { 'id': 'intentions', 'title': 'Intentions', 'hint': 'What they hope for.',"
  "          'required': false },"
  "        { 'id': 'plan', 'title': 'Plan', 'required': true } ] },"
  "    { 'id': 'dosing', 'name': 'Dosing', 'phase': 'medicine-session',"
  "      'minutes': 300, 'staff': 2, 'room': true, 'by_phone': false },"
  "    { 'id': 'integration', 'name': 'Integration', 'phase': 'integration',"
  "      'minutes': 90, 'staff': 1, 'room': true, 'by_phone': false },"
  "    { 'id': 'call', 'name': 'Call', 'phase': 'integration',"
  "      'minutes': 10, 'staff': 1, 'room': false, 'by_phone': true },"
  "    { 'id': 'follow-up', 'name': 'Follow-up', 'phase': 'follow-up',"
  "      'minutes': 60, 'staff': 1, 'room': true, 'by_phone': false } ],"
  "  'course': {"
  "    'preparation': { 'type': 'preparation', 'count': 2, 'first_after_days': 0,"
  "                     'interval_days': 7, 'tolerance_days': 3 },"
  "    'medicine_sessions': { 'type': 'dosing', 'count': 3, 'first_after_days': 7,"
  "                           'interval_days': 28, 'tolerance_days': 7 },"
  "    'integration': { 'type': 'integration', 'count': 2, 'first_after_days': 1,"
  "                     'interval_days': 7, 'tolerance_days': 3 },"
  "    'phone_check_ins': { 'type': 'call', 'count': 3, 'first_after_days': 1,"
  "                         'interval_days': 1, 'tolerance_days': 0 },"
  "    'follow_up': { 'type': 'follow-up', 'count': 1, 'first_after_days': 60,"
  "                   'interval_days': 0, 'tolerance_days': 14 } },"
  "  'screening': { 'pregnancy_tests': false, 'exclusions': ["
  "    { 'id': 'psychosis', 'title': 'Psychosis' },"
  "    { 'id': 'heart', 'title': 'Heart disease' } ] },"
  "  'measures': ["
  "    { 'instrument': 'phq-9', 'anchor': 'screening', 'offset_days': -7, 'grace_days': 14 },"
  "    { 'instrument': 'bdi-ii', 'anchor': 'medicine-session', 'offset_days': 21,"
  "      'grace_days': 0 } ] }";

/* Sets (or, with @value NULL, removes) the member at @path, such as
 * "appointment_types[2].minutes", in the JSON document @root. */
static void
set_at_path (JsonNode   *root,
             const char *path,
             const char *value)
{
  g_auto(GStrv) parts = g_strsplit (path, ".", -1);
  guint n = g_strv_length (parts);
  JsonNode *node = root;

  for (guint i = 0; i < n; i++)
    {
      g_autofree char *name = g_strdup (parts[i]);
      char *bracket = strchr (name, '[');
      JsonObject *object = json_node_get_object (node);

      if (bracket != NULL)
        *bracket = '\0';

      if (i == n - 1)
        {
          g_assert_null (bracket);
          if (value == NULL)
            {
              g_assert_true (json_object_has_member (object, name));
              json_object_remove_member (object, name);
            }
          else
            {
              g_autoptr(GError) error = NULL;
              JsonNode *new_value = json_from_string (value, &error);

              g_assert_no_error (error);
              json_object_set_member (object, name, new_value);
            }
          return;
        }

      node = json_object_get_member (object, name);
      g_assert_nonnull (node);
      if (bracket != NULL)
        node = json_array_get_element (json_node_get_array (node), atoi (bracket + 1));
    }
}

/* The base template with up to two fields changed. */
static char *
changed_template (const char *path1,
                  const char *value1,
                  const char *path2,
                  const char *value2)
{
  g_autofree char *text = json_text (base_template);
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) root = json_from_string (text, &error);

  g_assert_no_error (error);
  if (path1 != NULL)
    set_at_path (root, path1, value1);
  if (path2 != NULL)
    set_at_path (root, path2, value2);
  return json_to_string (root, FALSE);
}

static void
assert_steps_equal (const CairnCourseStep *a,
                    const CairnCourseStep *b)
{
  g_assert_cmpstr (a->type_id, ==, b->type_id);
  g_assert_cmpuint (a->count, ==, b->count);
  g_assert_cmpuint (a->first_after_days, ==, b->first_after_days);
  g_assert_cmpuint (a->interval_days, ==, b->interval_days);
  g_assert_cmpuint (a->tolerance_days, ==, b->tolerance_days);
}

static void
assert_protocols_equal (const CairnProtocol *a,
                        const CairnProtocol *b)
{
  const CairnCourseShape *ca = cairn_protocol_get_course (a);
  const CairnCourseShape *cb = cairn_protocol_get_course (b);

  g_assert_cmpstr (cairn_protocol_get_id (a), ==, cairn_protocol_get_id (b));
  g_assert_cmpstr (cairn_protocol_get_name (a), ==, cairn_protocol_get_name (b));
  g_assert_cmpstr (cairn_protocol_get_medicine (a), ==, cairn_protocol_get_medicine (b));
  g_assert_cmpstr (cairn_protocol_get_description (a), ==, cairn_protocol_get_description (b));
  g_assert_cmpuint (cairn_protocol_get_n_types (a), ==, cairn_protocol_get_n_types (b));
  for (guint i = 0; i < cairn_protocol_get_n_types (a); i++)
    {
      const CairnAppointmentType *ta = cairn_protocol_get_type_nth (a, i);
      const CairnAppointmentType *tb = cairn_protocol_get_type_nth (b, i);

      g_assert_cmpstr (ta->id, ==, tb->id);
      g_assert_cmpstr (ta->name, ==, tb->name);
      g_assert_cmpint (ta->phase, ==, tb->phase);
      g_assert_cmpuint (ta->minutes, ==, tb->minutes);
      g_assert_cmpuint (ta->staff, ==, tb->staff);
      g_assert_cmpint (ta->needs_room, ==, tb->needs_room);
      g_assert_cmpint (ta->by_phone, ==, tb->by_phone);
    }
  assert_steps_equal (&ca->preparation, &cb->preparation);
  assert_steps_equal (&ca->medicine_sessions, &cb->medicine_sessions);
  assert_steps_equal (&ca->integration, &cb->integration);
  assert_steps_equal (&ca->phone_check_ins, &cb->phone_check_ins);
  assert_steps_equal (&ca->follow_up, &cb->follow_up);

  for (guint i = 0; i < cairn_protocol_get_n_types (a); i++)
    {
      const char *type_id = cairn_protocol_get_type_nth (a, i)->id;
      GPtrArray *sa = cairn_protocol_get_note_sections (a, type_id);
      GPtrArray *sb = cairn_protocol_get_note_sections (b, type_id);

      g_assert_cmpuint (sa->len, ==, sb->len);
      for (guint j = 0; j < sa->len; j++)
        {
          const CairnNoteSection *x = g_ptr_array_index (sa, j);
          const CairnNoteSection *y = g_ptr_array_index (sb, j);

          g_assert_cmpstr (x->id, ==, y->id);
          g_assert_cmpstr (x->title, ==, y->title);
          g_assert_cmpstr (x->hint, ==, y->hint);
          g_assert_cmpint (x->required, ==, y->required);
        }
    }

  g_assert_cmpint (cairn_protocol_get_pregnancy_tests (a), ==,
                   cairn_protocol_get_pregnancy_tests (b));
  g_assert_cmpuint (cairn_protocol_get_n_exclusions (a), ==, cairn_protocol_get_n_exclusions (b));
  for (guint i = 0; i < cairn_protocol_get_n_exclusions (a); i++)
    {
      const CairnExclusion *x = cairn_protocol_get_exclusion_nth (a, i);
      const CairnExclusion *y = cairn_protocol_get_exclusion_nth (b, i);

      g_assert_cmpstr (x->id, ==, y->id);
      g_assert_cmpstr (x->title, ==, y->title);
    }

  g_assert_cmpuint (cairn_protocol_get_n_timepoints (a), ==, cairn_protocol_get_n_timepoints (b));
  for (guint i = 0; i < cairn_protocol_get_n_timepoints (a); i++)
    {
      const CairnMeasureTimepoint *x = cairn_protocol_get_timepoint_nth (a, i);
      const CairnMeasureTimepoint *y = cairn_protocol_get_timepoint_nth (b, i);

      g_assert_cmpstr (x->instrument, ==, y->instrument);
      g_assert_cmpstr (x->anchor, ==, y->anchor);
      g_assert_cmpint (x->offset_days, ==, y->offset_days);
      g_assert_cmpuint (x->grace_days, ==, y->grace_days);
    }
}

/* The ids of the note sections of @type_id, joined by spaces; and with a
 * "*" after each required one. */
static char *
section_ids (const CairnProtocol *protocol,
             const char          *type_id)
{
  GPtrArray *sections = cairn_protocol_get_note_sections (protocol, type_id);
  GString *ids = g_string_new (NULL);

  g_assert_nonnull (sections);
  for (guint i = 0; i < sections->len; i++)
    {
      const CairnNoteSection *section = g_ptr_array_index (sections, i);

      g_assert_nonnull (section->title);
      g_assert_cmpstr (section->title, !=, "");
      g_string_append_printf (ids, "%s%s%s", i > 0 ? " " : "", section->id,
                              section->required ? "*" : "");
    }
  return g_string_free (ids, FALSE);
}

static char *
exclusion_ids (const CairnProtocol *protocol)
{
  GString *ids = g_string_new (NULL);

  for (guint i = 0; i < cairn_protocol_get_n_exclusions (protocol); i++)
    {
      const CairnExclusion *exclusion = cairn_protocol_get_exclusion_nth (protocol, i);

      g_assert_cmpstr (exclusion->title, !=, "");
      g_string_append_printf (ids, "%s%s", i > 0 ? " " : "", exclusion->id);
    }
  return g_string_free (ids, FALSE);
}

/* "instrument@anchor+offset~grace", joined by spaces. */
static char *
timepoint_list (const CairnProtocol *protocol)
{
  GString *list = g_string_new (NULL);

  for (guint i = 0; i < cairn_protocol_get_n_timepoints (protocol); i++)
    {
      const CairnMeasureTimepoint *t = cairn_protocol_get_timepoint_nth (protocol, i);

      g_string_append_printf (list, "%s%s@%s%+d~%u", i > 0 ? " " : "", t->instrument, t->anchor,
                              t->offset_days, t->grace_days);
    }
  return g_string_free (list, FALSE);
}

static void
assert_sections (const CairnProtocol *protocol,
                 const char          *type_id,
                 const char          *expected)
{
  g_autofree char *ids = section_ids (protocol, type_id);

  g_assert_cmpstr (ids, ==, expected);
}

static void
assert_type (const CairnProtocol *protocol,
             const char          *id,
             const char          *name,
             CairnPhase           phase,
             guint                minutes,
             guint                staff,
             gboolean             needs_room,
             gboolean             by_phone)
{
  const CairnAppointmentType *type = cairn_protocol_find_type (protocol, id);

  g_assert_nonnull (type);
  g_assert_cmpstr (type->id, ==, id);
  g_assert_cmpstr (type->name, ==, name);
  g_assert_cmpint (type->phase, ==, phase);
  g_assert_cmpuint (type->minutes, ==, minutes);
  g_assert_cmpuint (type->staff, ==, staff);
  g_assert_cmpint (type->needs_room, ==, needs_room);
  g_assert_cmpint (type->by_phone, ==, by_phone);
}

static void
assert_step (const CairnCourseStep *step,
             const char            *type_id,
             guint                  count,
             guint                  first_after_days,
             guint                  interval_days,
             guint                  tolerance_days)
{
  g_assert_cmpstr (step->type_id, ==, type_id);
  g_assert_cmpuint (step->count, ==, count);
  g_assert_cmpuint (step->first_after_days, ==, first_after_days);
  g_assert_cmpuint (step->interval_days, ==, interval_days);
  g_assert_cmpuint (step->tolerance_days, ==, tolerance_days);
}

static void
test_phase_strings (void)
{
  const char * const names[] = {
    "screening", "preparation", "medicine-session", "integration", "follow-up",
  };
  CairnPhase phase = CAIRN_PHASE_SCREENING;

  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    {
      g_assert_cmpstr (cairn_phase_to_string ((CairnPhase) i), ==, names[i]);
      g_assert_true (cairn_phase_from_string (names[i], &phase));
      g_assert_cmpint (phase, ==, i);
    }

  phase = CAIRN_PHASE_INTEGRATION;
  g_assert_false (cairn_phase_from_string ("medicine_session", &phase));
  g_assert_false (cairn_phase_from_string ("", &phase));
  g_assert_false (cairn_phase_from_string ("Screening", &phase));
  g_assert_cmpint (phase, ==, CAIRN_PHASE_INTEGRATION);
}

static void
test_shipped_list (void)
{
  g_auto(GStrv) ids = cairn_protocol_list_shipped ();
  const char * const expected[] = { "ketamine-kap", "mdma-mapp", NULL };

  g_assert_true (g_strv_equal ((const char * const *) ids, expected));

  /* Each loads, under the id its file is named after. */
  for (guint i = 0; ids[i] != NULL; i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(CairnProtocol) protocol = cairn_protocol_load_shipped (ids[i], &error);

      g_assert_no_error (error);
      g_assert_nonnull (protocol);
      g_assert_cmpstr (cairn_protocol_get_id (protocol), ==, ids[i]);
      g_assert_cmpstr (cairn_protocol_get_description (protocol), !=, "");
    }
}

static void
test_shipped_unknown (void)
{
  const char * const ids[] = {
    "no-such-template", "", "../sql/practice/0001", "mdma-mapp.json", "MDMA-MAPP",
  };

  for (guint i = 0; i < G_N_ELEMENTS (ids); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(CairnProtocol) protocol = cairn_protocol_load_shipped (ids[i], &error);

      g_assert_error (error, CAIRN_PROTOCOL_ERROR, CAIRN_PROTOCOL_ERROR_NOT_FOUND);
      g_assert_null (protocol);
    }
}

static void
test_shipped_mdma (void)
{
  g_autoptr(CairnProtocol) protocol = cairn_protocol_load_default ();
  g_autofree char *exclusions = NULL;
  g_autofree char *timepoints = NULL;
  const CairnCourseShape *course = cairn_protocol_get_course (protocol);

  g_assert_cmpstr (cairn_protocol_get_id (protocol), ==, "mdma-mapp");
  g_assert_cmpstr (cairn_protocol_get_id (protocol), ==, CAIRN_PROTOCOL_DEFAULT_ID);
  g_assert_cmpstr (cairn_protocol_get_name (protocol), ==, "MDMA-assisted therapy (MAPP-style)");
  g_assert_cmpstr (cairn_protocol_get_medicine (protocol), ==, "MDMA");

  g_assert_cmpuint (cairn_protocol_get_n_types (protocol), ==, 6);
  g_assert_cmpstr (cairn_protocol_get_type_nth (protocol, 0)->id, ==, "screening");
  assert_type (protocol, "screening", "Screening", CAIRN_PHASE_SCREENING, 120, 1, TRUE, FALSE);
  assert_type (protocol, "preparation", "Preparation", CAIRN_PHASE_PREPARATION, 90, 2, TRUE, FALSE);
  assert_type (protocol, "medicine-session", "Medicine session", CAIRN_PHASE_MEDICINE_SESSION,
               480, 2, TRUE, FALSE);
  assert_type (protocol, "integration", "Integration", CAIRN_PHASE_INTEGRATION, 90, 2, TRUE, FALSE);
  assert_type (protocol, "phone-check-in", "Phone check-in", CAIRN_PHASE_INTEGRATION,
               15, 1, FALSE, TRUE);
  assert_type (protocol, "follow-up", "Follow-up", CAIRN_PHASE_FOLLOW_UP, 90, 1, TRUE, FALSE);
  g_assert_null (cairn_protocol_find_type (protocol, "Preparation"));

  assert_step (&course->preparation, "preparation", 3, 0, 7, 3);
  assert_step (&course->medicine_sessions, "medicine-session", 3, 7, 28, 7);
  assert_step (&course->integration, "integration", 3, 1, 7, 3);
  assert_step (&course->phone_check_ins, "phone-check-in", 7, 1, 1, 0);
  assert_step (&course->follow_up, "follow-up", 1, 60, 0, 14);

  assert_sections (protocol, "screening", "presenting-concerns history plan");
  assert_sections (protocol, "preparation", "intentions safety-plan alliance plan");
  assert_sections (protocol, "integration",
                   "experience themes practices risk-assessment* plan");
  assert_sections (protocol, "phone-check-in", "summary");
  assert_sections (protocol, "follow-up", "progress risk-assessment* plan");

  g_assert_true (cairn_protocol_get_pregnancy_tests (protocol));
  exclusions = exclusion_ids (protocol);
  g_assert_cmpstr (exclusions, ==,
                   "psychotic-disorder bipolar-i borderline-personality dissociative-identity "
                   "eating-disorder suicidal-ideation cardiovascular pregnancy");
  g_assert_cmpstr (cairn_protocol_get_exclusion_nth (protocol, 0)->title, ==,
                   "Psychotic disorder, current or past");

  timepoints = timepoint_list (protocol);
  g_assert_cmpstr (timepoints, ==,
                   "caps-5@screening+0~14 pcl-5@screening+0~14 phq-9@screening+0~14 "
                   "gad-7@screening+0~14 "
                   "pcl-5@medicine-session+21~7 phq-9@medicine-session+21~7 "
                   "gad-7@medicine-session+21~7 "
                   "caps-5@follow-up+0~14 pcl-5@follow-up+0~14 phq-9@follow-up+0~14 "
                   "gad-7@follow-up+0~14");
}

static void
test_shipped_ketamine (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CairnProtocol) protocol = cairn_protocol_load_shipped ("ketamine-kap", &error);
  g_autofree char *exclusions = NULL;
  g_autofree char *timepoints = NULL;
  const CairnCourseShape *course;

  g_assert_no_error (error);
  course = cairn_protocol_get_course (protocol);
  g_assert_cmpstr (cairn_protocol_get_name (protocol), ==, "Ketamine-assisted therapy (KAP-style)");
  g_assert_cmpstr (cairn_protocol_get_medicine (protocol), ==, "Ketamine");

  g_assert_cmpuint (cairn_protocol_get_n_types (protocol), ==, 6);
  assert_type (protocol, "screening", "Screening", CAIRN_PHASE_SCREENING, 90, 1, TRUE, FALSE);
  assert_type (protocol, "preparation", "Preparation", CAIRN_PHASE_PREPARATION, 60, 1, TRUE, FALSE);
  assert_type (protocol, "medicine-session", "Ketamine session", CAIRN_PHASE_MEDICINE_SESSION,
               120, 1, TRUE, FALSE);
  assert_type (protocol, "integration", "Integration", CAIRN_PHASE_INTEGRATION, 60, 1, TRUE, FALSE);
  assert_type (protocol, "phone-check-in", "Phone check-in", CAIRN_PHASE_INTEGRATION,
               15, 1, FALSE, TRUE);
  assert_type (protocol, "follow-up", "Follow-up", CAIRN_PHASE_FOLLOW_UP, 60, 1, TRUE, FALSE);

  assert_step (&course->preparation, "preparation", 2, 0, 7, 3);
  assert_step (&course->medicine_sessions, "medicine-session", 6, 7, 7, 2);
  assert_step (&course->integration, "integration", 1, 2, 0, 2);
  assert_step (&course->phone_check_ins, "phone-check-in", 2, 1, 2, 0);
  assert_step (&course->follow_up, "follow-up", 1, 30, 0, 7);

  /* Its own screening and measures, not the MDMA ones. */
  assert_sections (protocol, "integration", "experience themes risk-assessment* plan");
  g_assert_true (cairn_protocol_get_pregnancy_tests (protocol));
  exclusions = exclusion_ids (protocol);
  g_assert_cmpstr (exclusions, ==,
                   "psychotic-disorder mania substance-use hypertension cardiovascular "
                   "intracranial-pressure liver-disease suicidal-ideation pregnancy");
  timepoints = timepoint_list (protocol);
  g_assert_cmpstr (timepoints, ==,
                   "phq-9@screening+0~14 gad-7@screening+0~14 pcl-5@screening+0~14 "
                   "phq-9@medicine-session+5~2 gad-7@medicine-session+5~2 "
                   "phq-9@follow-up+0~7 gad-7@follow-up+0~7 pcl-5@follow-up+0~7");
}

/* A medicine, names and type ids no code knows: a protocol is only data. */
static const char psilocybin_template[] =
  "{ 'format': 'cairn-protocol', 'version': 1, 'id': 'psilocybin-group',"
  "  'name': 'Psilocybin für Gruppen', 'medicine': 'Psilocybin',"
  "  'appointment_types': ["
  "    { 'id': 'intake', 'name': 'Aufnahme', 'phase': 'screening',"
  "      'minutes': 45, 'staff': 0, 'room': false },"
  "    { 'id': 'circle', 'name': 'Vorbereitungskreis', 'phase': 'preparation',"
  "      'minutes': 150, 'staff': 3, 'room': true },"
  "    { 'id': 'dosing-day', 'name': 'Dosing day', 'phase': 'medicine-session',"
  "      'minutes': 420, 'staff': 4, 'room': true },"
  "    { 'id': 'talk', 'name': 'Nachgespräch', 'phase': 'integration',"
  "      'minutes': 5, 'staff': 1, 'room': true },"
  "    { 'id': 'text-call', 'name': 'Anruf', 'phase': 'integration',"
  "      'minutes': 20, 'staff': 1, 'room': false, 'by_phone': true },"
  "    { 'id': 'year', 'name': 'After a year', 'phase': 'follow-up',"
  "      'minutes': 960, 'staff': 1, 'room': true } ],"
  "  'course': {"
  "    'preparation': { 'type': 'circle', 'count': 1, 'first_after_days': 3,"
  "                     'interval_days': 0, 'tolerance_days': 0 },"
  "    'medicine_sessions': { 'type': 'dosing-day', 'count': 2, 'first_after_days': 2,"
  "                           'interval_days': 90, 'tolerance_days': 10 },"
  "    'integration': { 'type': 'talk', 'count': 0, 'first_after_days': 0,"
  "                     'interval_days': 0, 'tolerance_days': 0 },"
  "    'phone_check_ins': { 'type': 'text-call', 'count': 0, 'first_after_days': 0,"
  "                         'interval_days': 0, 'tolerance_days': 0 },"
  "    'follow_up': { 'type': 'year', 'count': 2, 'first_after_days': 180,"
  "                   'interval_days': 185, 'tolerance_days': 30 } } }";

static void
test_not_mdma (void)
{
  g_autofree char *text = json_text (psilocybin_template);
  g_autoptr(GError) error = NULL;
  g_autoptr(CairnProtocol) protocol = cairn_protocol_new_from_data (text, -1, &error);
  const CairnCourseShape *course;

  g_assert_no_error (error);
  course = cairn_protocol_get_course (protocol);
  g_assert_cmpstr (cairn_protocol_get_medicine (protocol), ==, "Psilocybin");
  /* No description: it reads as empty. */
  g_assert_cmpstr (cairn_protocol_get_description (protocol), ==, "");

  /* by_phone left out means not by phone; staff 0 and the limits 5, 4 and 960 are allowed. */
  assert_type (protocol, "intake", "Aufnahme", CAIRN_PHASE_SCREENING, 45, 0, FALSE, FALSE);
  assert_type (protocol, "circle", "Vorbereitungskreis", CAIRN_PHASE_PREPARATION,
               150, 3, TRUE, FALSE);
  assert_type (protocol, "dosing-day", "Dosing day", CAIRN_PHASE_MEDICINE_SESSION,
               420, 4, TRUE, FALSE);
  assert_type (protocol, "talk", "Nachgespräch", CAIRN_PHASE_INTEGRATION, 5, 1, TRUE, FALSE);
  assert_type (protocol, "text-call", "Anruf", CAIRN_PHASE_INTEGRATION, 20, 1, FALSE, TRUE);
  assert_type (protocol, "year", "After a year", CAIRN_PHASE_FOLLOW_UP, 960, 1, TRUE, FALSE);
  g_assert_null (cairn_protocol_find_type (protocol, "medicine-session"));

  /* A single preparation needs no interval; integration and check-ins may be none. */
  assert_step (&course->preparation, "circle", 1, 3, 0, 0);
  assert_step (&course->medicine_sessions, "dosing-day", 2, 2, 90, 10);
  assert_step (&course->integration, "talk", 0, 0, 0, 0);
  assert_step (&course->phone_check_ins, "text-call", 0, 0, 0, 0);
  assert_step (&course->follow_up, "year", 2, 180, 185, 30);

  /* Written before templates had note sections, screening and measures:
   * none of them, and the pregnancy test kept. */
  for (guint i = 0; i < cairn_protocol_get_n_types (protocol); i++)
    assert_sections (protocol, cairn_protocol_get_type_nth (protocol, i)->id, "");
  g_assert_cmpuint (cairn_protocol_get_n_exclusions (protocol), ==, 0);
  g_assert_true (cairn_protocol_get_pregnancy_tests (protocol));
  g_assert_cmpuint (cairn_protocol_get_n_timepoints (protocol), ==, 0);
}

static void
test_new_members (void)
{
  g_autofree char *text = json_text (base_template);
  g_autoptr(GError) error = NULL;
  g_autoptr(CairnProtocol) protocol = cairn_protocol_new_from_data (text, -1, &error);
  g_autofree char *exclusions = NULL;
  g_autofree char *timepoints = NULL;
  GPtrArray *sections;
  const CairnNoteSection *section;

  g_assert_no_error (error);
  assert_sections (protocol, "preparation", "intentions plan*");
  sections = cairn_protocol_get_note_sections (protocol, "preparation");
  section = g_ptr_array_index (sections, 0);
  g_assert_cmpstr (section->title, ==, "Intentions");
  g_assert_cmpstr (section->hint, ==, "What they hope for.");
  section = g_ptr_array_index (sections, 1);
  g_assert_null (section->hint);
  g_assert_true (section->required);

  /* A type without sections and a type the template does not have. */
  assert_sections (protocol, "dosing", "");
  assert_sections (protocol, "no-such-type", "");

  g_assert_false (cairn_protocol_get_pregnancy_tests (protocol));
  exclusions = exclusion_ids (protocol);
  g_assert_cmpstr (exclusions, ==, "psychosis heart");
  g_assert_cmpstr (cairn_protocol_get_exclusion_nth (protocol, 1)->title, ==, "Heart disease");
  timepoints = timepoint_list (protocol);
  g_assert_cmpstr (timepoints, ==, "phq-9@screening-7~14 bdi-ii@medicine-session+21~0");

  g_test_expect_message ("cairn-clinical", G_LOG_LEVEL_CRITICAL, "*index < protocol->*");
  g_assert_null (cairn_protocol_get_exclusion_nth (protocol, 2));
  g_test_assert_expected_messages ();
  g_test_expect_message ("cairn-clinical", G_LOG_LEVEL_CRITICAL, "*index < protocol->*");
  g_assert_null (cairn_protocol_get_timepoint_nth (protocol, 2));
  g_test_assert_expected_messages ();
}

/* The limits are allowed; an empty hint is no hint; empty lists are fine. */
static void
test_new_members_limits (void)
{
  g_autofree char *text = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(CairnProtocol) protocol = NULL;
  g_autoptr(CairnProtocol) other = NULL;
  g_autofree char *timepoints = NULL;

  text = changed_template ("measures",
                           "[{\"instrument\": \"caps-5\", \"anchor\": \"follow-up\","
                           "  \"offset_days\": -60, \"grace_days\": 90},"
                           " {\"instrument\": \"caps-5\", \"anchor\": \"follow-up\","
                           "  \"offset_days\": 365, \"grace_days\": 0}]",
                           "appointment_types[1].note_sections[0].hint", "\"\"");
  protocol = cairn_protocol_new_from_data (text, -1, &error);
  g_assert_no_error (error);
  timepoints = timepoint_list (protocol);
  g_assert_cmpstr (timepoints, ==, "caps-5@follow-up-60~90 caps-5@follow-up+365~0");
  g_assert_null (((CairnNoteSection *) g_ptr_array_index (
    cairn_protocol_get_note_sections (protocol, "preparation"), 0))->hint);

  g_free (text);
  text = changed_template ("screening", "{}", "measures", "[]");
  other = cairn_protocol_new_from_data (text, -1, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (cairn_protocol_get_n_exclusions (other), ==, 0);
  g_assert_true (cairn_protocol_get_pregnancy_tests (other));
  g_assert_cmpuint (cairn_protocol_get_n_timepoints (other), ==, 0);
}

static void
test_duplicate (void)
{
  g_autofree char *text = changed_template ("dose_schedule", "{ \"initial_mg\": 80 }", NULL, NULL);
  g_autoptr(CairnProtocol) protocol = cairn_protocol_new_from_data (text, -1, NULL);
  g_autoptr(CairnProtocol) copy = NULL;
  g_autoptr(CairnProtocol) renamed = NULL;
  g_autoptr(JsonNode) root = NULL;
  g_autofree char *data = NULL;
  g_autoptr(GError) error = NULL;
  JsonObject *top;

  g_assert_nonnull (protocol);
  copy = cairn_protocol_duplicate (protocol, "our-course", "Our course", &error);
  g_assert_no_error (error);
  g_assert_nonnull (copy);
  g_assert_true (copy != protocol);
  g_assert_cmpstr (cairn_protocol_get_id (copy), ==, "our-course");
  g_assert_cmpstr (cairn_protocol_get_name (copy), ==, "Our course");
  g_assert_cmpstr (cairn_protocol_get_id (protocol), ==, "test");
  g_assert_cmpstr (cairn_protocol_get_name (protocol), ==, "Test course");

  /* Everything else is the same, the unknown member included. */
  renamed = cairn_protocol_duplicate (copy, "test", "Test course", &error);
  g_assert_no_error (error);
  assert_protocols_equal (protocol, renamed);
  data = cairn_protocol_to_data (copy);
  root = json_from_string (data, &error);
  g_assert_no_error (error);
  top = json_node_get_object (root);
  g_assert_true (json_object_has_member (top, "dose_schedule"));

  g_test_expect_message ("cairn-clinical", G_LOG_LEVEL_CRITICAL, "*is_valid_id*");
  g_assert_null (cairn_protocol_duplicate (protocol, "Our Course", "Our course", NULL));
  g_test_assert_expected_messages ();
  g_test_expect_message ("cairn-clinical", G_LOG_LEVEL_CRITICAL, "*stripped*");
  g_assert_null (cairn_protocol_duplicate (protocol, "ours", "  ", NULL));
  g_test_assert_expected_messages ();
}

static void
test_lists (void)
{
  const char * const instruments[] = { "pcl-5", "phq-9", "gad-7", "caps-5", "bdi-ii", NULL };
  const char * const anchors[] = { "screening", "medicine-session", "follow-up", NULL };

  g_assert_true (g_strv_equal (cairn_protocol_list_instruments (), instruments));
  g_assert_true (g_strv_equal (cairn_protocol_list_anchors (), anchors));
}

static void
test_round_trip (void)
{
  g_autofree char *psilocybin = json_text (psilocybin_template);
  g_autofree char *base = json_text (base_template);
  g_autoptr(GPtrArray) protocols = NULL;
  g_auto(GStrv) ids = cairn_protocol_list_shipped ();

  protocols = g_ptr_array_new_with_free_func ((GDestroyNotify) cairn_protocol_unref);
  for (guint i = 0; ids[i] != NULL; i++)
    g_ptr_array_add (protocols, cairn_protocol_load_shipped (ids[i], NULL));
  g_ptr_array_add (protocols, cairn_protocol_new_from_data (psilocybin, -1, NULL));
  g_ptr_array_add (protocols, cairn_protocol_new_from_data (base, -1, NULL));

  for (guint i = 0; i < protocols->len; i++)
    {
      CairnProtocol *protocol = g_ptr_array_index (protocols, i);
      g_autofree char *data = NULL;
      g_autofree char *again = NULL;
      g_autoptr(CairnProtocol) copy = NULL;
      g_autoptr(GError) error = NULL;

      g_assert_nonnull (protocol);
      data = cairn_protocol_to_data (protocol);
      g_assert_true (g_str_has_suffix (data, "}\n"));
      g_assert_nonnull (strstr (data, "\n  \"format\" : \"cairn-protocol\""));  /* pretty */
      copy = cairn_protocol_new_from_data (data, -1, &error);
      g_assert_no_error (error);
      assert_protocols_equal (protocol, copy);

      again = cairn_protocol_to_data (copy);
      g_assert_cmpstr (data, ==, again);
    }
}

static void
test_length (void)
{
  g_autofree char *base = json_text (base_template);
  g_autofree char *padded = g_strconcat (base, " trailing garbage", NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(CairnProtocol) protocol = cairn_protocol_new_from_data (padded, strlen (base), &error);

  g_assert_no_error (error);
  g_assert_cmpstr (cairn_protocol_get_id (protocol), ==, "test");
}

typedef struct
{
  const char *path;       /* the field to change */
  const char *value;      /* its new value as JSON; NULL removes it */
  const char *also;       /* something else the message must say, or NULL */
  const char *at;         /* the field the message must start with, if not @path */
  const char *path2;      /* a second change, or NULL */
  const char *value2;
} BadCase;

static void
test_bad_fields (void)
{
  static const BadCase cases[] = {
    { "appointment_types[2].minutes", "0", "must be a whole number from 5 to 960 (it is 0)" },
    { "appointment_types[2].minutes", "961", "(it is 961)" },
    { "appointment_types[2].minutes", "1.5", "(it is 1.5)" },
    { "appointment_types[2].minutes", "\"90\"", "(it is “90”)" },
    { "appointment_types[2].minutes", NULL, "is missing" },
    { "appointment_types[1].staff", "5", "from 0 to 4 (it is 5)" },
    { "appointment_types[1].staff", "-1", "(it is -1)" },
    { "appointment_types[4].room", "true", "by phone" },
    { "appointment_types[3].id", "\"preparation\"", "already the id of appointment_types[1]" },
    { "appointment_types[0].id", "\"Screening visit\"", "“Screening visit” is not a usable id" },
    { "appointment_types[0].id", "\"\"", "is not a usable id" },
    { "appointment_types[0].name", "\"  \"", "must not be empty" },
    { "appointment_types[0].name", "null", "(it is null)" },
    { "appointment_types[0].phase", "\"prep\"", "“prep” is not a phase" },
    { "appointment_types[0].room", "1", "must be true or false" },
    { "appointment_types[0].by_phone", "\"no\"", "must be true or false" },
    { "appointment_types[0].colour", "\"blue\"", "not a field Cairn knows" },
    { "appointment_types", "[]", "must list at least one" },
    { "appointment_types", "{}", "must be a list" },
    { "appointment_types", "[\"screening\"]", "must be an object", "appointment_types[0]" },
    { "appointment_types", NULL, "is missing" },
    { "id", NULL, "is missing" },
    { "id", "\"a/b\"", "not a usable id" },
    { "name", "\"\"", "must not be empty" },
    { "medicine", "42", "must be text in quotes (it is 42)" },
    { "description", "[]", "must be text in quotes (it is a list)" },
    { "format", "\"cairn-protocl\"", "must be “cairn-protocol”" },
    { "format", NULL, "is missing" },
    { "version", "0", "must be 1 (it is 0)" },
    { "version", "\"1\"", "must be 1" },
    { "version", NULL, "is missing" },
    { "course", NULL, "is missing" },
    { "course", "[]", "must be an object" },
    { "course.integraton", "{}", "not a field Cairn knows" },
    { "course.follow_up", NULL, "is missing" },
    { "course.integration.type", "\"integraton\"", "“integraton” is not one of the" },
    { "course.integration.type", NULL, "is missing" },
    { "course.preparation.type", "\"dosing\"", "“dosing” belongs to the “medicine-session” phase" },
    { "course.follow_up.type", "\"integration\"", "needs a type of the “follow-up” phase" },
    { "course.phone_check_ins.type", "\"integration\"", "not by phone" },
    { "appointment_types[2].room", "false", "by phone", "course.medicine_sessions.type",
      "appointment_types[2].by_phone", "true" },
    { "course.preparation.count", "0", "from 1 to" },
    { "course.medicine_sessions.count", "0", "from 1 to" },
    { "course.medicine_sessions.interval_days", "0", "must be at least 1" },
    { "course.integration.first_after_days", "-1", "(it is -1)" },
    { "course.phone_check_ins.tolerance_days", "2.5", "(it is 2.5)" },
    { "course.integration.count", "true", "(it is true)" },
    { "course.preparation.every", "3", "not a field Cairn knows" },
    { "course.follow_up.interval_days", NULL, "is missing" },
    /* Note sections */
    { "appointment_types[1].note_sections", "{}", "must be a list in brackets [ ] (it is an object)" },
    { "appointment_types[1].note_sections", "[\"plan\"]", "must be an object",
      "appointment_types[1].note_sections[0]" },
    { "appointment_types[1].note_sections[0].title", NULL, "is missing" },
    { "appointment_types[1].note_sections[0].title", "\" \"", "must not be empty" },
    { "appointment_types[1].note_sections[0].title", "3", "must be text in quotes (it is 3)" },
    { "appointment_types[1].note_sections[0].id", NULL, "is missing" },
    { "appointment_types[1].note_sections[0].id", "\"Safety plan\"", "is not a usable id" },
    { "appointment_types[1].note_sections[1].id", "\"intentions\"",
      "“intentions” is already the id of appointment_types[1].note_sections[0]" },
    { "appointment_types[1].note_sections[1].required", "\"yes\"", "must be true or false" },
    { "appointment_types[1].note_sections[0].hint", "false", "must be text in quotes" },
    { "appointment_types[1].note_sections[0].colour", "\"red\"", "not a field Cairn knows" },
    /* Screening */
    { "screening", "[]", "must be an object in braces { } (it is a list)" },
    { "screening.pregnancy_tests", "1", "must be true or false (it is 1)" },
    { "screening.exclusion", "[]", "not a field Cairn knows" },
    { "screening.exclusions", "\"psychosis\"", "must be a list" },
    { "screening.exclusions", "[7]", "must be an object", "screening.exclusions[0]" },
    { "screening.exclusions[1].id", "\"psychosis\"",
      "“psychosis” is already the id of screening.exclusions[0]" },
    { "screening.exclusions[1].id", "\"heart disease\"", "is not a usable id" },
    { "screening.exclusions[1].title", NULL, "is missing" },
    { "screening.exclusions[1].title", "\"\"", "must not be empty" },
    { "screening.exclusions[0].note", "\"x\"", "not a field Cairn knows" },
    /* Measures */
    { "measures", "{}", "must be a list in brackets [ ] (it is an object)" },
    { "measures", "[\"pcl-5\"]", "must be an object", "measures[0]" },
    { "measures[0].instrument", "\"hamd\"", "“hamd” is not one Cairn knows; use one of “pcl-5”" },
    { "measures[0].instrument", "\"PHQ-9\"", "“PHQ-9” is not one Cairn knows" },
    { "measures[0].instrument", NULL, "is missing" },
    { "measures[0].anchor", "\"integration\"", "“integration” is not one Cairn knows" },
    { "measures[0].anchor", "1", "must be text in quotes" },
    { "measures[0].offset_days", "-61", "must be a whole number from -60 to 365 (it is -61)" },
    { "measures[0].offset_days", "366", "(it is 366)" },
    { "measures[0].offset_days", "7.5", "(it is 7.5)" },
    { "measures[0].offset_days", NULL, "is missing" },
    { "measures[1].grace_days", "91", "must be a whole number from 0 to 90 (it is 91)" },
    { "measures[1].grace_days", "-1", "(it is -1)" },
    { "measures[1].when", "3", "not a field Cairn knows" },
    { "measures",
      "[{\"instrument\": \"phq-9\", \"anchor\": \"follow-up\", \"offset_days\": 0,"
      "  \"grace_days\": 7},"
      " {\"instrument\": \"gad-7\", \"anchor\": \"follow-up\", \"offset_days\": 0,"
      "  \"grace_days\": 7},"
      " {\"instrument\": \"phq-9\", \"anchor\": \"follow-up\", \"offset_days\": 0,"
      "  \"grace_days\": 14}]",
      "is the same instrument, anchor and offset as measures[0]", "measures[2]" },
    { "measures[0].anchor", "\"screening\"", "no appointment type is of the “screening” phase",
      NULL, "appointment_types[0].phase", "\"preparation\"" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      const BadCase *c = &cases[i];
      g_autofree char *text = changed_template (c->path, c->value, c->path2, c->value2);
      g_autofree char *start = g_strconcat (c->at != NULL ? c->at : c->path, ": ", NULL);
      g_autoptr(GError) error = NULL;
      g_autoptr(CairnProtocol) protocol = NULL;

      g_test_message ("case %u: %s = %s", i, c->path, c->value != NULL ? c->value : "(removed)");
      protocol = cairn_protocol_new_from_data (text, -1, &error);
      g_assert_error (error, CAIRN_PROTOCOL_ERROR, CAIRN_PROTOCOL_ERROR_INVALID);
      g_assert_null (protocol);
      g_test_message ("  %s", error->message);
      g_assert_true (g_str_has_prefix (error->message, start));
      g_assert_nonnull (g_strstr_len (error->message, -1, c->also));
    }
}

/* The whole message, as a person reads it. */
static void
test_bad_message (void)
{
  g_autofree char *text = changed_template ("course.integration.type", "\"integraton\"",
                                            NULL, NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(CairnProtocol) protocol = cairn_protocol_new_from_data (text, -1, &error);

  g_assert_error (error, CAIRN_PROTOCOL_ERROR, CAIRN_PROTOCOL_ERROR_INVALID);
  g_assert_cmpstr (error->message, ==,
                   "course.integration.type: “integraton” is not one of the appointment types");
  g_clear_error (&error);

  g_free (text);
  text = changed_template ("appointment_types[2].minutes", "0", NULL, NULL);
  g_assert_null (cairn_protocol_new_from_data (text, -1, &error));
  g_assert_error (error, CAIRN_PROTOCOL_ERROR, CAIRN_PROTOCOL_ERROR_INVALID);
  g_assert_cmpstr (error->message, ==,
                   "appointment_types[2].minutes: must be a whole number from 5 to 960 (it is 0)");
}

static void
test_zero_counts (void)
{
  const char * const steps[] = { "integration", "phone_check_ins", "follow_up" };

  for (guint i = 0; i < G_N_ELEMENTS (steps); i++)
    {
      g_autofree char *count = g_strdup_printf ("course.%s.count", steps[i]);
      g_autofree char *interval = g_strdup_printf ("course.%s.interval_days", steps[i]);
      g_autofree char *text = changed_template (count, "0", interval, "0");
      g_autoptr(GError) error = NULL;
      g_autoptr(CairnProtocol) protocol = cairn_protocol_new_from_data (text, -1, &error);
      const CairnCourseShape *course;

      g_assert_no_error (error);
      course = cairn_protocol_get_course (protocol);
      g_assert_cmpuint (i == 0 ? course->integration.count
                        : i == 1 ? course->phone_check_ins.count : course->follow_up.count, ==, 0);
    }
}

static void
test_version (void)
{
  const char * const removals[] = { NULL, "course" };

  /* Newer is reported as newer, even when the rest would not pass. */
  for (guint i = 0; i < G_N_ELEMENTS (removals); i++)
    {
      g_autofree char *text = changed_template ("version", "2", removals[i], NULL);
      g_autoptr(GError) error = NULL;
      g_autoptr(CairnProtocol) protocol = cairn_protocol_new_from_data (text, -1, &error);

      g_assert_error (error, CAIRN_PROTOCOL_ERROR, CAIRN_PROTOCOL_ERROR_VERSION);
      g_assert_null (protocol);
      g_assert_true (g_str_has_prefix (error->message, "version: "));
      g_assert_nonnull (g_strstr_len (error->message, -1, "newer Cairn"));
    }
}

static void
test_malformed (void)
{
  g_autofree char *broken = json_text ("{\n  'format': 'cairn-protocol',\n  'version' 1\n}");
  const char * const not_objects[] = { "", "   \n", "[1, 2]", "\"mdma-mapp\"", "42", "null" };
  g_autoptr(GError) error = NULL;
  g_autoptr(CairnProtocol) protocol = cairn_protocol_new_from_data (broken, -1, &error);

  /* Where it broke, for the person who edited the file. */
  g_assert_error (error, CAIRN_PROTOCOL_ERROR, CAIRN_PROTOCOL_ERROR_PARSE);
  g_assert_null (protocol);
  g_assert_nonnull (g_strstr_len (error->message, -1, "line 3, column "));
  g_assert_null (g_strstr_len (error->message, -1, "<data>"));

  for (guint i = 0; i < G_N_ELEMENTS (not_objects); i++)
    {
      g_autoptr(GError) local_error = NULL;
      g_autoptr(CairnProtocol) p = cairn_protocol_new_from_data (not_objects[i], -1, &local_error);

      g_assert_error (local_error, CAIRN_PROTOCOL_ERROR, CAIRN_PROTOCOL_ERROR_PARSE);
      g_assert_null (p);
    }
}

/* json-glib 1.6 decodes these escapes into bytes that are not UTF-8. A
 * template holding one, in a member Cairn reads or in one it only keeps,
 * is refused with the field named, and the message itself is valid text. */
static void
test_invalid_utf8 (void)
{
  const char * const escapes[] = { "\\ud800 x", "\\udfff x", "\\u8dé", "\\333" };
  const struct { const char *path; const char *where; } places[] = {
    { "name", "name:" },
    { "appointment_types", "appointment_types[0].name:" },
    { "dose_schedule", "dose_schedule.note:" },
    { "extra_list", "extra_list[1]:" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (escapes); i++)
    for (guint j = 0; j < G_N_ELEMENTS (places); j++)
      {
        g_autoptr(GError) error = NULL;
        g_autoptr(CairnProtocol) protocol = NULL;
        g_autofree char *text = NULL;
        g_autoptr(GString) bad = NULL;

        if (j == 0)
          text = changed_template ("name", "\"MARK\"", NULL, NULL);
        else if (j == 1)
          {
            /* The first appointment type's name. */
            g_autofree char *plain = changed_template (NULL, NULL, NULL, NULL);
            g_autoptr(JsonNode) root = json_from_string (plain, NULL);
            JsonArray *types = json_object_get_array_member (json_node_get_object (root),
                                                             "appointment_types");

            json_object_set_string_member (json_array_get_object_element (types, 0), "name", "MARK");
            text = json_to_string (root, FALSE);
          }
        else if (j == 2)
          text = changed_template ("dose_schedule", "{ \"note\": \"MARK\" }", NULL, NULL);
        else
          text = changed_template ("extra_list", "[\"fine\", \"MARK\"]", NULL, NULL);

        bad = g_string_new (text);
        g_assert_cmpuint (g_string_replace (bad, "MARK", escapes[i], 1), ==, 1);
        protocol = cairn_protocol_new_from_data (bad->str, -1, &error);

        g_assert_null (protocol);
        g_assert_true (error == NULL || g_utf8_validate (error->message, -1, NULL));
        g_assert_error (error, CAIRN_PROTOCOL_ERROR, CAIRN_PROTOCOL_ERROR_INVALID);
        if (!g_str_has_prefix (error->message, places[j].where))
          g_error ("%s in %s: “%s”", escapes[i], places[j].path, error->message);
        g_assert_nonnull (strstr (error->message, "UTF-8"));
      }

  /* A member's name is checked too. */
  {
    g_autofree char *text = changed_template ("dose_schedule", "{ \"MARK\": 1 }", NULL, NULL);
    g_autoptr(GString) bad = g_string_new (text);
    g_autoptr(GError) error = NULL;
    g_autoptr(CairnProtocol) protocol = NULL;

    g_string_replace (bad, "MARK", "\\ud800 x", 1);
    protocol = cairn_protocol_new_from_data (bad->str, -1, &error);
    g_assert_null (protocol);
    g_assert_error (error, CAIRN_PROTOCOL_ERROR, CAIRN_PROTOCOL_ERROR_INVALID);
    g_assert_true (g_utf8_validate (error->message, -1, NULL));
    g_assert_true (g_str_has_prefix (error->message, "dose_schedule."));
  }

  /* json-glib's own parse error quotes the bad bytes; Cairn's message is text. */
  {
    const char * const broken[] = { "{\"a\":\"\\ud800\" \"b\"}", "{\"\\ud800\" 1}", "[\"\\333\" x]",
                                    "{\"a\":\"\\ud800\", \"b\": 1}", "{\"a\":\"ok\\ud834\"}" };

    for (guint i = 0; i < G_N_ELEMENTS (broken); i++)
      {
        g_autoptr(GError) error = NULL;
        g_autoptr(CairnProtocol) protocol = cairn_protocol_new_from_data (broken[i], -1, &error);

        g_assert_null (protocol);
        g_assert_error (error, CAIRN_PROTOCOL_ERROR, CAIRN_PROTOCOL_ERROR_PARSE);
        g_assert_true (g_utf8_validate (error->message, -1, NULL));
      }
  }
}

static void
test_unknown_members (void)
{
  g_autofree char *text = changed_template ("dose_schedule", "{ \"initial_mg\": [80, 120] }",
                                            "vitals", "[\"pulse\"]");
  g_autoptr(GError) error = NULL;
  g_autoptr(CairnProtocol) protocol = cairn_protocol_new_from_data (text, -1, &error);
  g_autoptr(CairnProtocol) copy = NULL;
  g_autoptr(JsonNode) root = NULL;
  g_autofree char *data = NULL;
  JsonObject *top, *schedule;
  JsonArray *vitals;

  /* Sections a later Cairn adds are not read here, but a duplicate keeps them. */
  g_assert_no_error (error);
  g_assert_cmpuint (cairn_protocol_get_n_types (protocol), ==, 6);
  data = cairn_protocol_to_data (protocol);
  root = json_from_string (data, &error);
  g_assert_no_error (error);
  top = json_node_get_object (root);
  g_assert_true (json_object_has_member (top, "dose_schedule"));
  schedule = json_object_get_object_member (top, "dose_schedule");
  g_assert_true (json_object_has_member (schedule, "initial_mg"));
  vitals = json_object_get_array_member (top, "vitals");
  g_assert_cmpstr (json_array_get_string_element (vitals, 0), ==, "pulse");

  copy = cairn_protocol_new_from_data (data, -1, &error);
  g_assert_no_error (error);
  assert_protocols_equal (protocol, copy);
}

static void
test_type_names (void)
{
  g_autoptr(CairnProtocol) protocol = cairn_protocol_load_default ();
  g_autoptr(GHashTable) names = cairn_protocol_dup_type_names (protocol);

  g_assert_cmpuint (g_hash_table_size (names), ==, cairn_protocol_get_n_types (protocol));
  g_assert_cmpstr (g_hash_table_lookup (names, "medicine-session"), ==, "Medicine session");
  g_assert_cmpstr (g_hash_table_lookup (names, "phone-check-in"), ==, "Phone check-in");

  /* The table is the caller's: changing it changes nothing in the protocol. */
  g_hash_table_insert (names, g_strdup ("preparation"), g_strdup ("Changed"));
  g_assert_cmpstr (cairn_protocol_find_type (protocol, "preparation")->name, ==, "Preparation");
}

static void
test_type_nth (void)
{
  g_autoptr(CairnProtocol) protocol = cairn_protocol_load_default ();
  guint n = cairn_protocol_get_n_types (protocol);
  const CairnAppointmentType *type;

  g_assert_nonnull (cairn_protocol_get_type_nth (protocol, n - 1));
  g_assert_cmpstr (cairn_protocol_get_type_nth (protocol, n - 1)->id, ==, "follow-up");

  g_test_expect_message ("cairn-clinical", G_LOG_LEVEL_CRITICAL, "*index < protocol->types->len*");
  type = cairn_protocol_get_type_nth (protocol, n);
  g_test_assert_expected_messages ();
  g_assert_null (type);
}

static void
test_ref (void)
{
  CairnProtocol *protocol = cairn_protocol_load_default ();
  const CairnAppointmentType *type = cairn_protocol_get_type_nth (protocol, 0);

  g_assert_true (cairn_protocol_ref (protocol) == protocol);
  cairn_protocol_unref (protocol);
  /* Still alive: one reference is left. */
  g_assert_cmpstr (type->id, ==, "screening");
  cairn_protocol_unref (protocol);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  g_test_add_func ("/protocol/phase-strings", test_phase_strings);
  g_test_add_func ("/protocol/shipped/list", test_shipped_list);
  g_test_add_func ("/protocol/shipped/unknown", test_shipped_unknown);
  g_test_add_func ("/protocol/shipped/mdma", test_shipped_mdma);
  g_test_add_func ("/protocol/shipped/ketamine", test_shipped_ketamine);
  g_test_add_func ("/protocol/not-mdma", test_not_mdma);
  g_test_add_func ("/protocol/new-members", test_new_members);
  g_test_add_func ("/protocol/new-members-limits", test_new_members_limits);
  g_test_add_func ("/protocol/duplicate", test_duplicate);
  g_test_add_func ("/protocol/lists", test_lists);
  g_test_add_func ("/protocol/round-trip", test_round_trip);
  g_test_add_func ("/protocol/length", test_length);
  g_test_add_func ("/protocol/bad-fields", test_bad_fields);
  g_test_add_func ("/protocol/bad-message", test_bad_message);
  g_test_add_func ("/protocol/zero-counts", test_zero_counts);
  g_test_add_func ("/protocol/version", test_version);
  g_test_add_func ("/protocol/malformed", test_malformed);
  g_test_add_func ("/protocol/unknown-members", test_unknown_members);
  g_test_add_func ("/protocol/invalid-utf8", test_invalid_utf8);
  g_test_add_func ("/protocol/type-names", test_type_names);
  g_test_add_func ("/protocol/type-nth", test_type_nth);
  g_test_add_func ("/protocol/ref", test_ref);

  return g_test_run ();
}
