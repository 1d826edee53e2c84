/* cairn-protocol.c
 *
 * Reads, checks and writes protocol templates: the practice's course of
 * treatment as JSON. A template is edited by people, so every problem is
 * reported with the JSON path of the field at fault, and nothing the code
 * relies on (a count, a length, a type the course points at) is accepted
 * unchecked. Besides the course, a template lists the sections of each
 * type's session note, the exclusions screening asks about (and whether it
 * keeps a pregnancy test), and when each outcome measure is due; templates
 * written before these existed load with none of them. Members this Cairn
 * does not know are allowed at the top level
 * only, where later versions add sections; they are kept, so duplicating a
 * template does not lose them. A loaded protocol is immutable and may be
 * shared between threads.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "cairn-clinical"

#include "config.h"

#include <gio/gio.h>
#include <glib/gi18n.h>
#include <json-glib/json-glib.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cairn-protocol.h"
#include "cairn-protocol-resources.h"

#define FORMAT_NAME      "cairn-protocol"
#define FORMAT_VERSION   1
#define RESOURCE_FOLDER  "/app/cairn/Cairn/protocols/"
#define MAX_ID_LENGTH    64
#define MIN_MINUTES      5
#define MAX_MINUTES      960
#define MAX_STAFF        4
#define MAX_COUNT        50
#define MAX_FIRST_DAYS   730
#define MAX_INTERVAL     365
#define MAX_TOLERANCE    60
#define MAX_SECTIONS     30
#define MAX_EXCLUSIONS   50
#define MAX_TIMEPOINTS   60
#define MAX_TITLE        200
#define MAX_HINT         1000
#define MIN_OFFSET       (-60)
#define MAX_OFFSET       365
#define MAX_GRACE        90

struct _CairnProtocol
{
  char             *id;
  char             *name;
  char             *medicine;
  char             *description;
  GPtrArray        *types;   /* of CairnAppointmentType */
  CairnCourseShape  course;
  GHashTable       *sections;    /* type id (owned by the type) → GPtrArray of CairnNoteSection */
  GPtrArray        *exclusions;  /* of CairnExclusion */
  gboolean          pregnancy_tests;
  GPtrArray        *timepoints;  /* of CairnMeasureTimepoint */
  JsonObject       *extra;   /* top-level members this Cairn does not know, in order */
};

G_DEFINE_QUARK (cairn-protocol-error-quark, cairn_protocol_error)

static const char * const phase_names[] = {
  [CAIRN_PHASE_SCREENING] = "screening",
  [CAIRN_PHASE_PREPARATION] = "preparation",
  [CAIRN_PHASE_MEDICINE_SESSION] = "medicine-session",
  [CAIRN_PHASE_INTEGRATION] = "integration",
  [CAIRN_PHASE_FOLLOW_UP] = "follow-up",
  NULL,
};

typedef enum
{
  PLACE_ANY,
  PLACE_IN_PERSON,
  PLACE_BY_PHONE,
} Place;

/* The steps of a course as the JSON names them, and what each asks of its type. */
typedef struct
{
  const char *member;
  gsize       offset;
  CairnPhase  phase;
  guint       min_count;
  Place       place;
} StepInfo;

static const StepInfo step_infos[] = {
  { "preparation", G_STRUCT_OFFSET (CairnCourseShape, preparation),
    CAIRN_PHASE_PREPARATION, 1, PLACE_ANY },
  { "medicine_sessions", G_STRUCT_OFFSET (CairnCourseShape, medicine_sessions),
    CAIRN_PHASE_MEDICINE_SESSION, 1, PLACE_IN_PERSON },
  { "integration", G_STRUCT_OFFSET (CairnCourseShape, integration),
    CAIRN_PHASE_INTEGRATION, 0, PLACE_ANY },
  { "phone_check_ins", G_STRUCT_OFFSET (CairnCourseShape, phone_check_ins),
    CAIRN_PHASE_INTEGRATION, 0, PLACE_BY_PHONE },
  { "follow_up", G_STRUCT_OFFSET (CairnCourseShape, follow_up),
    CAIRN_PHASE_FOLLOW_UP, 0, PLACE_ANY },
};

static const char * const instrument_names[] = {
  "pcl-5", "phq-9", "gad-7", "caps-5", "bdi-ii", NULL,
};

static const char * const anchor_names[] = {
  "screening", "medicine-session", "follow-up", NULL,
};

static const char * const top_members[] = {
  "format", "version", "id", "name", "medicine", "description", "appointment_types", "course",
  "screening", "measures", NULL,
};
static const char * const type_members[] = {
  "id", "name", "phase", "minutes", "staff", "room", "by_phone", "note_sections", NULL,
};
static const char * const section_members[] = {
  "id", "title", "hint", "required", NULL,
};
static const char * const screening_members[] = {
  "exclusions", "pregnancy_tests", NULL,
};
static const char * const exclusion_members[] = {
  "id", "title", NULL,
};
static const char * const timepoint_members[] = {
  "instrument", "anchor", "offset_days", "grace_days", NULL,
};
static const char * const course_members[] = {
  "preparation", "medicine_sessions", "integration", "phone_check_ins", "follow_up", NULL,
};
static const char * const step_members[] = {
  "type", "count", "first_after_days", "interval_days", "tolerance_days", NULL,
};

static CairnCourseStep *
course_step (CairnCourseShape *course,
             const StepInfo   *info)
{
  return G_STRUCT_MEMBER_P (course, info->offset);
}

static void
appointment_type_free (CairnAppointmentType *type)
{
  g_free (type->id);
  g_free (type->name);
  g_free (type);
}

static void
note_section_free (CairnNoteSection *section)
{
  g_free (section->id);
  g_free (section->title);
  g_free (section->hint);
  g_free (section);
}

static void
exclusion_free (CairnExclusion *exclusion)
{
  g_free (exclusion->id);
  g_free (exclusion->title);
  g_free (exclusion);
}

static void
timepoint_free (CairnMeasureTimepoint *timepoint)
{
  g_free (timepoint->instrument);
  g_free (timepoint->anchor);
  g_free (timepoint);
}

static void
protocol_clear (CairnProtocol *protocol)
{
  /* The sections' keys belong to the types: drop them first. */
  g_clear_pointer (&protocol->sections, g_hash_table_unref);
  g_clear_pointer (&protocol->exclusions, g_ptr_array_unref);
  g_clear_pointer (&protocol->timepoints, g_ptr_array_unref);
  g_free (protocol->id);
  g_free (protocol->name);
  g_free (protocol->medicine);
  g_free (protocol->description);
  g_clear_pointer (&protocol->types, g_ptr_array_unref);
  for (guint i = 0; i < G_N_ELEMENTS (step_infos); i++)
    g_free (course_step (&protocol->course, &step_infos[i])->type_id);
  g_clear_pointer (&protocol->extra, json_object_unref);
}

/* Checking {{{1 */

static char *
field_path (const char *parent,
            const char *name)
{
  if (parent == NULL)
    return g_strdup (name);
  if (name == NULL)
    return g_strdup (parent);
  return g_strconcat (parent, ".", name, NULL);
}

static void set_invalid (GError    **error,
                         const char *parent,
                         const char *name,
                         const char *format,
                         ...) G_GNUC_PRINTF (4, 5);

/* "appointment_types[2].minutes: must be …": the field first, so a person
 * editing the file can find it. */
static void
set_invalid (GError    **error,
             const char *parent,
             const char *name,
             const char *format,
             ...)
{
  g_autofree char *path = field_path (parent, name);
  g_autofree char *problem = NULL;
  va_list args;

  va_start (args, format);
  problem = g_strdup_vprintf (format, args);
  va_end (args);

  /* Translators: a field of a protocol template (such as
   * appointment_types[2].minutes), then what is wrong with it. */
  g_set_error (error, CAIRN_PROTOCOL_ERROR, CAIRN_PROTOCOL_ERROR_INVALID,
               _("%s: %s"), path, problem);
}

/* A value as a person would recognise it in the file: 0, 1.5, “90”, true. */
static char *
describe_value (JsonNode *node)
{
  switch (json_node_get_node_type (node))
    {
    case JSON_NODE_OBJECT:
      return g_strdup (_("an object"));

    case JSON_NODE_ARRAY:
      return g_strdup (_("a list"));

    case JSON_NODE_NULL:
      return g_strdup ("null");

    case JSON_NODE_VALUE:
    default:
      break;
    }

  switch (json_node_get_value_type (node))
    {
    case G_TYPE_INT64:
      return g_strdup_printf ("%" G_GINT64_FORMAT, json_node_get_int (node));

    case G_TYPE_DOUBLE:
      {
        char buffer[G_ASCII_DTOSTR_BUF_SIZE];

        return g_strdup (g_ascii_dtostr (buffer, sizeof buffer, json_node_get_double (node)));
      }

    case G_TYPE_BOOLEAN:
      return g_strdup (json_node_get_boolean (node) ? "true" : "false");

    case G_TYPE_STRING:
      {
        const char *text = json_node_get_string (node);

        if (g_utf8_strlen (text, -1) > 40)
          {
            g_autofree char *start = g_utf8_substring (text, 0, 40);

            return g_strdup_printf ("“%s…”", start);
          }
        return g_strdup_printf ("“%s”", text);
      }

    default:
      return g_strdup ("?");
    }
}

static char *
quoted_list (const char * const *names)
{
  GString *text = g_string_new (NULL);

  for (guint i = 0; names[i] != NULL; i++)
    g_string_append_printf (text, "%s“%s”", i > 0 ? ", " : "", names[i]);
  return g_string_free (text, FALSE);
}

/* Rejects the first member of @object, in file order, that is not in
 * @known: a misspelt field would otherwise be silently ignored. */
static gboolean
check_members (JsonObject         *object,
               const char         *parent,
               const char * const *known,
               GError            **error)
{
  g_autoptr(GList) members = json_object_get_members (object);

  for (GList *l = members; l != NULL; l = l->next)
    {
      if (!g_strv_contains (known, l->data))
        {
          g_autofree char *names = quoted_list (known);

          set_invalid (error, parent, l->data,
                       _("is not a field Cairn knows here; the fields are %s"), names);
          return FALSE;
        }
    }
  return TRUE;
}

static JsonNode *
require_member (JsonObject *object,
                const char *parent,
                const char *name,
                GError    **error)
{
  JsonNode *node = json_object_get_member (object, name);

  if (node == NULL)
    set_invalid (error, parent, name, _("is missing"));
  return node;
}

static JsonObject *
read_object (JsonObject *object,
             const char *parent,
             const char *name,
             GError    **error)
{
  JsonNode *node = require_member (object, parent, name, error);

  if (node == NULL)
    return NULL;
  if (!JSON_NODE_HOLDS_OBJECT (node))
    {
      g_autofree char *it = describe_value (node);

      set_invalid (error, parent, name, _("must be an object in braces { } (it is %s)"), it);
      return NULL;
    }
  return json_node_get_object (node);
}

static gboolean
read_uint (JsonObject *object,
           const char *parent,
           const char *name,
           guint       min,
           guint       max,
           guint      *out,
           GError    **error)
{
  JsonNode *node = require_member (object, parent, name, error);
  gint64 value;

  if (node == NULL)
    return FALSE;

  if (!JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_INT64 ||
      (value = json_node_get_int (node)) < min || value > max)
    {
      g_autofree char *it = describe_value (node);

      set_invalid (error, parent, name,
                   _("must be a whole number from %u to %u (it is %s)"), min, max, it);
      return FALSE;
    }

  *out = (guint) value;
  return TRUE;
}

static gboolean
read_int (JsonObject *object,
          const char *parent,
          const char *name,
          int         min,
          int         max,
          int        *out,
          GError    **error)
{
  JsonNode *node = require_member (object, parent, name, error);
  gint64 value;

  if (node == NULL)
    return FALSE;

  if (!JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_INT64 ||
      (value = json_node_get_int (node)) < min || value > max)
    {
      g_autofree char *it = describe_value (node);

      set_invalid (error, parent, name,
                   _("must be a whole number from %d to %d (it is %s)"), min, max, it);
      return FALSE;
    }

  *out = (int) value;
  return TRUE;
}

static gboolean
read_boolean (JsonObject *object,
              const char *parent,
              const char *name,
              gboolean   *out,
              GError    **error)
{
  JsonNode *node = require_member (object, parent, name, error);

  if (node == NULL)
    return FALSE;

  if (!JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_BOOLEAN)
    {
      g_autofree char *it = describe_value (node);

      set_invalid (error, parent, name, _("must be true or false (it is %s)"), it);
      return FALSE;
    }

  *out = json_node_get_boolean (node);
  return TRUE;
}

typedef enum
{
  TEXT_ANY,
  TEXT_NOT_EMPTY,
  TEXT_ID,
} TextKind;

/* Ids are stored in the database and name resources: keep them plain. */
static gboolean
is_valid_id (const char *text)
{
  gsize length = strlen (text);

  if (length == 0 || length > MAX_ID_LENGTH || !g_ascii_isalnum (text[0]))
    return FALSE;
  for (const char *p = text; *p != '\0'; p++)
    {
      if (!(g_ascii_islower (*p) || g_ascii_isdigit (*p) || *p == '-'))
        return FALSE;
    }
  return TRUE;
}

static gboolean
read_text (JsonObject *object,
           const char *parent,
           const char *name,
           TextKind    kind,
           char      **out,
           GError    **error)
{
  JsonNode *node = require_member (object, parent, name, error);
  const char *text;

  if (node == NULL)
    return FALSE;

  if (!JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_STRING)
    {
      g_autofree char *it = describe_value (node);

      set_invalid (error, parent, name, _("must be text in quotes (it is %s)"), it);
      return FALSE;
    }

  text = json_node_get_string (node);
  if (kind == TEXT_ID && !is_valid_id (text))
    {
      set_invalid (error, parent, name,
                   _("“%s” is not a usable id: use 1 to %u lower-case letters a–z, digits and "
                     "hyphens, starting with a letter or digit"),
                   text, MAX_ID_LENGTH);
      return FALSE;
    }
  if (kind == TEXT_NOT_EMPTY)
    {
      g_autofree char *stripped = g_strstrip (g_strdup (text));

      if (*stripped == '\0')
        {
          set_invalid (error, parent, name, _("must not be empty"));
          return FALSE;
        }
    }

  *out = g_strdup (text);
  return TRUE;
}

static gboolean
read_phase (JsonObject *object,
            const char *parent,
            CairnPhase *out,
            GError    **error)
{
  g_autofree char *text = NULL;

  if (!read_text (object, parent, "phase", TEXT_ANY, &text, error))
    return FALSE;

  if (!cairn_phase_from_string (text, out))
    {
      g_autofree char *names = quoted_list ((const char * const *) phase_names);

      set_invalid (error, parent, "phase",
                   _("“%s” is not a phase; the phases are %s"), text, names);
      return FALSE;
    }
  return TRUE;
}

/* Text a person reads on screen: not empty, and not a page long. */
static gboolean
read_title (JsonObject *object,
            const char *parent,
            const char *name,
            guint       max_chars,
            char      **out,
            GError    **error)
{
  g_autofree char *text = NULL;

  if (!read_text (object, parent, name, TEXT_NOT_EMPTY, &text, error))
    return FALSE;
  if (g_utf8_strlen (text, -1) > max_chars)
    {
      set_invalid (error, parent, name, _("must be at most %u characters long"), max_chars);
      return FALSE;
    }
  *out = g_steal_pointer (&text);
  return TRUE;
}

/* An optional list: %TRUE with *out = NULL when @name is absent. */
static gboolean
read_optional_array (JsonObject *object,
                     const char *parent,
                     const char *name,
                     guint       max_length,
                     JsonArray **out,
                     GError    **error)
{
  JsonNode *node = json_object_get_member (object, name);

  *out = NULL;
  if (node == NULL)
    return TRUE;
  if (!JSON_NODE_HOLDS_ARRAY (node))
    {
      g_autofree char *it = describe_value (node);

      set_invalid (error, parent, name, _("must be a list in brackets [ ] (it is %s)"), it);
      return FALSE;
    }
  if (json_array_get_length (json_node_get_array (node)) > max_length)
    {
      set_invalid (error, parent, name, _("must list at most %u entries (it lists %u)"),
                   max_length, json_array_get_length (json_node_get_array (node)));
      return FALSE;
    }
  *out = json_node_get_array (node);
  return TRUE;
}

/* The element at @path as an object whose members are all in @known. */
static JsonObject *
element_object (JsonNode           *node,
                const char         *path,
                const char * const *known,
                GError            **error)
{
  JsonObject *object;

  if (!JSON_NODE_HOLDS_OBJECT (node))
    {
      g_autofree char *it = describe_value (node);

      set_invalid (error, path, NULL, _("must be an object in braces { } (it is %s)"), it);
      return NULL;
    }
  object = json_node_get_object (node);
  if (!check_members (object, path, known, error))
    return NULL;
  return object;
}

/* Refuses an id already used in the same list; @seen maps ids to paths. */
static gboolean
check_unique_id (GHashTable *seen,
                 const char *path,
                 const char *id,
                 GError    **error)
{
  const char *first = g_hash_table_lookup (seen, id);

  if (first != NULL)
    {
      set_invalid (error, path, "id", _("“%s” is already the id of %s"), id, first);
      return FALSE;
    }
  g_hash_table_insert (seen, g_strdup (id), g_strdup (path));
  return TRUE;
}

static gboolean
read_note_sections (JsonObject *object,
                    const char *parent,
                    GPtrArray  *sections,
                    GError    **error)
{
  g_autoptr(GHashTable) seen = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  g_autofree char *list_path = field_path (parent, "note_sections");
  JsonArray *array;

  if (!read_optional_array (object, parent, "note_sections", MAX_SECTIONS, &array, error))
    return FALSE;
  if (array == NULL)
    return TRUE;

  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      g_autofree char *path = g_strdup_printf ("%s[%u]", list_path, i);
      JsonObject *element = element_object (json_array_get_element (array, i), path,
                                            section_members, error);
      CairnNoteSection *section;

      if (element == NULL)
        return FALSE;

      section = g_new0 (CairnNoteSection, 1);
      g_ptr_array_add (sections, section);
      if (!read_text (element, path, "id", TEXT_ID, &section->id, error) ||
          !check_unique_id (seen, path, section->id, error) ||
          !read_title (element, path, "title", MAX_TITLE, &section->title, error) ||
          (json_object_has_member (element, "hint") &&
           !read_text (element, path, "hint", TEXT_ANY, &section->hint, error)) ||
          (json_object_has_member (element, "required") &&
           !read_boolean (element, path, "required", &section->required, error)))
        return FALSE;

      if (section->hint != NULL && g_utf8_strlen (section->hint, -1) > MAX_HINT)
        {
          set_invalid (error, path, "hint", _("must be at most %u characters long"), MAX_HINT);
          return FALSE;
        }
      /* An empty hint is no hint. */
      if (section->hint != NULL && *section->hint == '\0')
        g_clear_pointer (&section->hint, g_free);
    }

  return TRUE;
}

static gboolean
read_screening (JsonObject    *top,
                CairnProtocol *protocol,
                GError       **error)
{
  g_autoptr(GHashTable) seen = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  JsonObject *screening;
  JsonArray *array;

  /* Before the template had a screening section, screening asked no
   * exclusions and kept the pregnancy test. */
  protocol->pregnancy_tests = TRUE;
  if (!json_object_has_member (top, "screening"))
    return TRUE;

  screening = read_object (top, NULL, "screening", error);
  if (screening == NULL || !check_members (screening, "screening", screening_members, error))
    return FALSE;

  if (json_object_has_member (screening, "pregnancy_tests") &&
      !read_boolean (screening, "screening", "pregnancy_tests", &protocol->pregnancy_tests, error))
    return FALSE;

  if (!read_optional_array (screening, "screening", "exclusions", MAX_EXCLUSIONS, &array, error))
    return FALSE;
  for (guint i = 0; array != NULL && i < json_array_get_length (array); i++)
    {
      g_autofree char *path = g_strdup_printf ("screening.exclusions[%u]", i);
      JsonObject *element = element_object (json_array_get_element (array, i), path,
                                            exclusion_members, error);
      CairnExclusion *exclusion;

      if (element == NULL)
        return FALSE;

      exclusion = g_new0 (CairnExclusion, 1);
      g_ptr_array_add (protocol->exclusions, exclusion);
      if (!read_text (element, path, "id", TEXT_ID, &exclusion->id, error) ||
          !check_unique_id (seen, path, exclusion->id, error) ||
          !read_title (element, path, "title", MAX_TITLE, &exclusion->title, error))
        return FALSE;
    }

  return TRUE;
}

static gboolean
read_choice (JsonObject         *object,
             const char         *parent,
             const char         *name,
             const char * const *choices,
             char              **out,
             GError            **error)
{
  g_autofree char *text = NULL;

  if (!read_text (object, parent, name, TEXT_ANY, &text, error))
    return FALSE;
  if (!g_strv_contains (choices, text))
    {
      g_autofree char *names = quoted_list (choices);

      set_invalid (error, parent, name, _("“%s” is not one Cairn knows; use one of %s"),
                   text, names);
      return FALSE;
    }
  *out = g_steal_pointer (&text);
  return TRUE;
}

static gboolean
has_phase (GPtrArray  *types,
           CairnPhase  phase)
{
  for (guint i = 0; i < types->len; i++)
    {
      const CairnAppointmentType *type = g_ptr_array_index (types, i);

      if (type->phase == phase)
        return TRUE;
    }
  return FALSE;
}

static gboolean
read_measures (JsonObject    *top,
               CairnProtocol *protocol,
               GError       **error)
{
  JsonArray *array;

  if (!read_optional_array (top, NULL, "measures", MAX_TIMEPOINTS, &array, error))
    return FALSE;

  for (guint i = 0; array != NULL && i < json_array_get_length (array); i++)
    {
      g_autofree char *path = g_strdup_printf ("measures[%u]", i);
      JsonObject *element = element_object (json_array_get_element (array, i), path,
                                            timepoint_members, error);
      CairnMeasureTimepoint *timepoint;
      CairnPhase phase;

      if (element == NULL)
        return FALSE;

      timepoint = g_new0 (CairnMeasureTimepoint, 1);
      g_ptr_array_add (protocol->timepoints, timepoint);
      if (!read_choice (element, path, "instrument", instrument_names, &timepoint->instrument,
                        error) ||
          !read_choice (element, path, "anchor", anchor_names, &timepoint->anchor, error) ||
          !read_int (element, path, "offset_days", MIN_OFFSET, MAX_OFFSET,
                     &timepoint->offset_days, error) ||
          !read_uint (element, path, "grace_days", 0, MAX_GRACE, &timepoint->grace_days, error))
        return FALSE;

      /* The anchors are named like the phases they stand for. */
      if (!cairn_phase_from_string (timepoint->anchor, &phase))
        g_assert_not_reached ();
      if (!has_phase (protocol->types, phase))
        {
          set_invalid (error, path, "anchor",
                       _("no appointment type is of the “%s” phase"), timepoint->anchor);
          return FALSE;
        }

      for (guint j = 0; j < i; j++)
        {
          const CairnMeasureTimepoint *other = g_ptr_array_index (protocol->timepoints, j);

          if (g_str_equal (other->instrument, timepoint->instrument) &&
              g_str_equal (other->anchor, timepoint->anchor) &&
              other->offset_days == timepoint->offset_days)
            {
              set_invalid (error, path, NULL,
                           _("is the same instrument, anchor and offset as measures[%u]"), j);
              return FALSE;
            }
        }
    }

  return TRUE;
}

static CairnAppointmentType *
read_type (JsonNode   *node,
           const char *path,
           GError    **error)
{
  CairnAppointmentType *type;
  JsonObject *object;

  if (!JSON_NODE_HOLDS_OBJECT (node))
    {
      g_autofree char *it = describe_value (node);

      set_invalid (error, path, NULL, _("must be an object in braces { } (it is %s)"), it);
      return NULL;
    }
  object = json_node_get_object (node);

  if (!check_members (object, path, type_members, error))
    return NULL;

  type = g_new0 (CairnAppointmentType, 1);
  if (!read_text (object, path, "id", TEXT_ID, &type->id, error) ||
      !read_text (object, path, "name", TEXT_NOT_EMPTY, &type->name, error) ||
      !read_phase (object, path, &type->phase, error) ||
      !read_uint (object, path, "minutes", MIN_MINUTES, MAX_MINUTES, &type->minutes, error) ||
      !read_uint (object, path, "staff", 0, MAX_STAFF, &type->staff, error) ||
      !read_boolean (object, path, "room", &type->needs_room, error) ||
      /* Most types are not by phone: the field may be left out. */
      (json_object_has_member (object, "by_phone") &&
       !read_boolean (object, path, "by_phone", &type->by_phone, error)))
    {
      appointment_type_free (type);
      return NULL;
    }

  if (type->by_phone && type->needs_room)
    {
      set_invalid (error, path, "room",
                   _("must be false for an appointment by phone (“by_phone” is true)"));
      appointment_type_free (type);
      return NULL;
    }

  return type;
}

static gboolean
read_types (JsonObject *top,
            GPtrArray  *types,
            GHashTable *sections,
            GError    **error)
{
  JsonNode *node = require_member (top, NULL, "appointment_types", error);
  g_autoptr(GHashTable) seen = NULL;
  JsonArray *array;

  if (node == NULL)
    return FALSE;
  if (!JSON_NODE_HOLDS_ARRAY (node))
    {
      g_autofree char *it = describe_value (node);

      set_invalid (error, NULL, "appointment_types",
                   _("must be a list in brackets [ ] (it is %s)"), it);
      return FALSE;
    }

  array = json_node_get_array (node);
  if (json_array_get_length (array) == 0)
    {
      set_invalid (error, NULL, "appointment_types", _("must list at least one appointment type"));
      return FALSE;
    }

  seen = g_hash_table_new (g_str_hash, g_str_equal);
  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      g_autofree char *path = g_strdup_printf ("appointment_types[%u]", i);
      CairnAppointmentType *type = read_type (json_array_get_element (array, i), path, error);
      GPtrArray *type_sections;
      gpointer first;

      if (type == NULL)
        return FALSE;
      g_ptr_array_add (types, type);

      if (g_hash_table_lookup_extended (seen, type->id, NULL, &first))
        {
          set_invalid (error, path, "id", _("“%s” is already the id of appointment_types[%u]"),
                       type->id, GPOINTER_TO_UINT (first));
          return FALSE;
        }
      g_hash_table_insert (seen, type->id, GUINT_TO_POINTER (i));

      type_sections = g_ptr_array_new_with_free_func ((GDestroyNotify) note_section_free);
      g_hash_table_insert (sections, type->id, type_sections);
      if (!read_note_sections (json_node_get_object (json_array_get_element (array, i)), path,
                               type_sections, error))
        return FALSE;
    }

  return TRUE;
}

static const CairnAppointmentType *
find_type (GPtrArray  *types,
           const char *type_id)
{
  for (guint i = 0; i < types->len; i++)
    {
      const CairnAppointmentType *type = g_ptr_array_index (types, i);

      if (g_str_equal (type->id, type_id))
        return type;
    }
  return NULL;
}

static gboolean
read_step (JsonObject      *course,
           const StepInfo  *info,
           GPtrArray       *types,
           CairnCourseStep *step,
           GError         **error)
{
  g_autofree char *path = g_strconcat ("course.", info->member, NULL);
  const CairnAppointmentType *type;
  JsonObject *object;

  object = read_object (course, "course", info->member, error);
  if (object == NULL || !check_members (object, path, step_members, error) ||
      !read_text (object, path, "type", TEXT_ANY, &step->type_id, error))
    return FALSE;

  type = find_type (types, step->type_id);
  if (type == NULL)
    {
      set_invalid (error, path, "type",
                   _("“%s” is not one of the appointment types"), step->type_id);
      return FALSE;
    }
  if (type->phase != info->phase)
    {
      set_invalid (error, path, "type",
                   _("“%s” belongs to the “%s” phase; this step needs a type of the “%s” phase"),
                   type->id, phase_names[type->phase], phase_names[info->phase]);
      return FALSE;
    }
  if (info->place == PLACE_BY_PHONE && !type->by_phone)
    {
      set_invalid (error, path, "type",
                   _("“%s” is not by phone; phone check-ins need a type with “by_phone”: true"),
                   type->id);
      return FALSE;
    }
  if (info->place == PLACE_IN_PERSON && type->by_phone)
    {
      set_invalid (error, path, "type",
                   _("“%s” is by phone; a medicine session takes place in person"), type->id);
      return FALSE;
    }

  if (!read_uint (object, path, "count", info->min_count, MAX_COUNT, &step->count, error) ||
      !read_uint (object, path, "first_after_days", 0, MAX_FIRST_DAYS, &step->first_after_days,
                  error) ||
      !read_uint (object, path, "interval_days", 0, MAX_INTERVAL, &step->interval_days, error) ||
      !read_uint (object, path, "tolerance_days", 0, MAX_TOLERANCE, &step->tolerance_days, error))
    return FALSE;

  /* Several sessions on the same day are never what a course means. */
  if (step->count > 1 && step->interval_days == 0)
    {
      set_invalid (error, path, "interval_days",
                   _("must be at least 1 when “count” is more than 1 (it is 0)"));
      return FALSE;
    }

  return TRUE;
}

/* "<data>:3:11: Parse error: unexpected …" from json-glib, said for a person. */
static void
set_parse_error (GError       **error,
                 const GError  *json_error)
{
  /* json-glib quotes the text it choked on, which need not be UTF-8. */
  g_autofree char *valid = g_utf8_make_valid (json_error->message, -1);
  const char *message = valid;
  unsigned int line = 0, column = 0;
  int consumed = 0;

  if (g_str_has_prefix (message, "<data>:") &&
      sscanf (message + strlen ("<data>:"), "%u:%u: %n", &line, &column, &consumed) == 2 &&
      consumed > 0)
    {
      const char *rest = message + strlen ("<data>:") + consumed;

      g_set_error (error, CAIRN_PROTOCOL_ERROR, CAIRN_PROTOCOL_ERROR_PARSE,
                   _("The template is not valid JSON: line %u, column %u: %s"), line, column, rest);
      return;
    }

  g_set_error (error, CAIRN_PROTOCOL_ERROR, CAIRN_PROTOCOL_ERROR_PARSE,
               _("The template is not valid JSON: %s"), message);
}

/* json-glib 1.6 decodes some escapes (a lone surrogate "\ud800", a short
 * "\u8d", an octal-looking "\333") into bytes that are not UTF-8, and its
 * generator later refuses to read back what it wrote. Every member name and
 * every string of the file is checked here, those Cairn keeps unread too, so
 * that nothing invalid gets past the importer. */
static gboolean
check_utf8 (JsonNode    *node,
            const char  *path,
            GError     **error)
{
  switch (JSON_NODE_TYPE (node))
    {
    case JSON_NODE_OBJECT:
      {
        JsonObject *object = json_node_get_object (node);
        g_autoptr(GList) members = json_object_get_members (object);

        for (GList *l = members; l != NULL; l = l->next)
          {
            const char *name = l->data;
            g_autofree char *member_path = NULL;

            if (!g_utf8_validate (name, -1, NULL))
              {
                g_autofree char *shown = g_utf8_make_valid (name, -1);

                set_invalid (error, path, shown, _("the name of this member is not valid text (UTF-8)"));
                return FALSE;
              }
            member_path = field_path (path, name);
            if (!check_utf8 (json_object_get_member (object, name), member_path, error))
              return FALSE;
          }
        return TRUE;
      }

    case JSON_NODE_ARRAY:
      {
        JsonArray *array = json_node_get_array (node);
        guint n = json_array_get_length (array);

        for (guint i = 0; i < n; i++)
          {
            g_autofree char *element_path = g_strdup_printf ("%s[%u]", path != NULL ? path : "", i);

            if (!check_utf8 (json_array_get_element (array, i), element_path, error))
              return FALSE;
          }
        return TRUE;
      }

    case JSON_NODE_VALUE:
      if (json_node_get_value_type (node) == G_TYPE_STRING &&
          !g_utf8_validate (json_node_get_string (node), -1, NULL))
        {
          set_invalid (error, path, NULL, _("is not valid text (UTF-8): it holds an escape such as \\ud800 that stands for no character"));
          return FALSE;
        }
      return TRUE;

    case JSON_NODE_NULL:
    default:
      return TRUE;
    }
}

/* format and version come first: a newer template is reported as newer,
 * not as whatever in it this Cairn does not understand. */
static gboolean
check_format (JsonObject *top,
              GError    **error)
{
  JsonNode *node = require_member (top, NULL, "format", error);

  if (node == NULL)
    return FALSE;
  if (!JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_STRING ||
      !g_str_equal (json_node_get_string (node), FORMAT_NAME))
    {
      g_autofree char *it = describe_value (node);

      set_invalid (error, NULL, "format", _("must be “%s” (it is %s)"), FORMAT_NAME, it);
      return FALSE;
    }

  node = require_member (top, NULL, "version", error);
  if (node == NULL)
    return FALSE;
  if (JSON_NODE_HOLDS_VALUE (node) && json_node_get_value_type (node) == G_TYPE_INT64 &&
      json_node_get_int (node) > FORMAT_VERSION)
    {
      g_autofree char *version = describe_value (node);

      /* The number goes in as text: a format macro inside _() would cut
       * the message short for xgettext. */
      g_set_error (error, CAIRN_PROTOCOL_ERROR, CAIRN_PROTOCOL_ERROR_VERSION,
                   _("version: this template was made by a newer Cairn (version %s; this Cairn reads "
                     "version %d). Update Cairn to open it."),
                   version, FORMAT_VERSION);
      return FALSE;
    }
  if (!JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_INT64 ||
      json_node_get_int (node) != FORMAT_VERSION)
    {
      g_autofree char *it = describe_value (node);

      set_invalid (error, NULL, "version", _("must be %d (it is %s)"), FORMAT_VERSION, it);
      return FALSE;
    }

  return TRUE;
}

/* Public API {{{1 */

/**
 * cairn_protocol_new_from_data:
 * @json: the template, JSON in UTF-8
 * @length: the length of @json in bytes, or -1 if it is nul-terminated
 * @error: return location for a #GError
 *
 * Reads and checks a protocol template. Every problem names the field by
 * its JSON path, such as `appointment_types[2].minutes`. Members of the
 * top-level object this Cairn does not know are kept but not read; anywhere
 * else an unknown member is an error.
 *
 * Returns: (transfer full) (nullable): the protocol, or %NULL with
 *   %CAIRN_PROTOCOL_ERROR_PARSE (not JSON, or not an object),
 *   %CAIRN_PROTOCOL_ERROR_VERSION (made by a newer Cairn) or
 *   %CAIRN_PROTOCOL_ERROR_INVALID
 */
CairnProtocol *
cairn_protocol_new_from_data (const char  *json,
                              gssize       length,
                              GError     **error)
{
  g_autoptr(JsonParser) parser = json_parser_new_immutable ();
  g_autoptr(GError) json_error = NULL;
  g_autoptr(CairnProtocol) protocol = NULL;
  g_autoptr(GList) members = NULL;
  JsonObject *top, *course;
  JsonNode *root;

  g_return_val_if_fail (json != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (!json_parser_load_from_data (parser, json, length, &json_error))
    {
      set_parse_error (error, json_error);
      return NULL;
    }

  root = json_parser_get_root (parser);
  if (root == NULL)
    {
      g_set_error_literal (error, CAIRN_PROTOCOL_ERROR, CAIRN_PROTOCOL_ERROR_PARSE,
                           _("The template is empty."));
      return NULL;
    }
  if (!JSON_NODE_HOLDS_OBJECT (root))
    {
      g_autofree char *it = describe_value (root);

      g_set_error (error, CAIRN_PROTOCOL_ERROR, CAIRN_PROTOCOL_ERROR_PARSE,
                   _("A template must be a JSON object in braces { } (this is %s)."), it);
      return NULL;
    }
  top = json_node_get_object (root);

  if (!check_utf8 (root, NULL, error) || !check_format (top, error))
    return NULL;

  protocol = g_atomic_rc_box_new0 (CairnProtocol);
  protocol->types = g_ptr_array_new_with_free_func ((GDestroyNotify) appointment_type_free);
  protocol->sections = g_hash_table_new_full (g_str_hash, g_str_equal, NULL,
                                              (GDestroyNotify) g_ptr_array_unref);
  protocol->exclusions = g_ptr_array_new_with_free_func ((GDestroyNotify) exclusion_free);
  protocol->timepoints = g_ptr_array_new_with_free_func ((GDestroyNotify) timepoint_free);
  protocol->extra = json_object_new ();

  if (!read_text (top, NULL, "id", TEXT_ID, &protocol->id, error) ||
      !read_text (top, NULL, "name", TEXT_NOT_EMPTY, &protocol->name, error) ||
      !read_text (top, NULL, "medicine", TEXT_NOT_EMPTY, &protocol->medicine, error))
    return NULL;

  if (json_object_has_member (top, "description"))
    {
      if (!read_text (top, NULL, "description", TEXT_ANY, &protocol->description, error))
        return NULL;
    }
  else
    protocol->description = g_strdup ("");

  if (!read_types (top, protocol->types, protocol->sections, error))
    return NULL;

  course = read_object (top, NULL, "course", error);
  if (course == NULL || !check_members (course, "course", course_members, error))
    return NULL;
  for (guint i = 0; i < G_N_ELEMENTS (step_infos); i++)
    {
      CairnCourseStep *step = course_step (&protocol->course, &step_infos[i]);

      if (!read_step (course, &step_infos[i], protocol->types, step, error))
        return NULL;
    }

  if (!read_screening (top, protocol, error) || !read_measures (top, protocol, error))
    return NULL;

  members = json_object_get_members (top);
  for (GList *l = members; l != NULL; l = l->next)
    {
      JsonNode *node = json_object_get_member (top, l->data);

      if (!g_strv_contains (top_members, l->data))
        json_object_set_member (protocol->extra, l->data, json_node_copy (node));
    }

  return g_steal_pointer (&protocol);
}

static int
compare_strings (const void *a,
                 const void *b)
{
  return g_strcmp0 (*(char * const *) a, *(char * const *) b);
}

/**
 * cairn_protocol_list_shipped:
 *
 * Returns: (transfer full): the ids of the templates Cairn ships, sorted
 */
GStrv
cairn_protocol_list_shipped (void)
{
  g_auto(GStrv) names = NULL;
  g_autoptr(GStrvBuilder) ids = g_strv_builder_new ();
  GStrv result;

  /* Referencing the resource keeps it linked in from the static library. */
  (void) cairn_protocols_get_resource ();

  names = g_resources_enumerate_children (RESOURCE_FOLDER, G_RESOURCE_LOOKUP_FLAGS_NONE, NULL);
  g_assert (names != NULL);
  for (guint i = 0; names[i] != NULL; i++)
    {
      if (g_str_has_suffix (names[i], ".json"))
        {
          g_autofree char *id = g_strndup (names[i], strlen (names[i]) - strlen (".json"));

          g_strv_builder_add (ids, id);
        }
    }

  result = g_strv_builder_end (ids);
  qsort (result, g_strv_length (result), sizeof (char *), compare_strings);
  return result;
}

/**
 * cairn_protocol_load_shipped:
 * @id: the id of a shipped template, such as "mdma-mapp"
 * @error: return location for a #GError
 *
 * Returns: (transfer full) (nullable): the template, or %NULL with
 *   %CAIRN_PROTOCOL_ERROR_NOT_FOUND when Cairn ships none with that id
 */
CairnProtocol *
cairn_protocol_load_shipped (const char  *id,
                             GError     **error)
{
  g_autofree char *path = NULL;
  g_autoptr(GBytes) bytes = NULL;
  CairnProtocol *protocol;
  gsize size;
  const char *data;

  g_return_val_if_fail (id != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  (void) cairn_protocols_get_resource ();

  if (is_valid_id (id))
    {
      path = g_strconcat (RESOURCE_FOLDER, id, ".json", NULL);
      bytes = g_resources_lookup_data (path, G_RESOURCE_LOOKUP_FLAGS_NONE, NULL);
    }
  if (bytes == NULL)
    {
      g_set_error (error, CAIRN_PROTOCOL_ERROR, CAIRN_PROTOCOL_ERROR_NOT_FOUND,
                   _("Cairn ships no protocol template “%s”."), id);
      return NULL;
    }

  data = g_bytes_get_data (bytes, &size);
  protocol = cairn_protocol_new_from_data (data, (gssize) size, error);
  if (protocol == NULL)
    g_prefix_error (error, _("The shipped template “%s” is broken: "), id);
  return protocol;
}

/**
 * cairn_protocol_load_default:
 *
 * The template a new practice starts from, %CAIRN_PROTOCOL_DEFAULT_ID. It
 * is shipped and checked by the tests, so it cannot fail.
 *
 * Returns: (transfer full): the default template
 */
CairnProtocol *
cairn_protocol_load_default (void)
{
  g_autoptr(GError) error = NULL;
  CairnProtocol *protocol = cairn_protocol_load_shipped (CAIRN_PROTOCOL_DEFAULT_ID, &error);

  if (protocol == NULL)
    g_error ("%s", error->message);
  return protocol;
}

static void
add_step (JsonBuilder           *builder,
          const char            *member,
          const CairnCourseStep *step)
{
  json_builder_set_member_name (builder, member);
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "type");
  json_builder_add_string_value (builder, step->type_id);
  json_builder_set_member_name (builder, "count");
  json_builder_add_int_value (builder, step->count);
  json_builder_set_member_name (builder, "first_after_days");
  json_builder_add_int_value (builder, step->first_after_days);
  json_builder_set_member_name (builder, "interval_days");
  json_builder_add_int_value (builder, step->interval_days);
  json_builder_set_member_name (builder, "tolerance_days");
  json_builder_add_int_value (builder, step->tolerance_days);
  json_builder_end_object (builder);
}

static void
add_note_sections (JsonBuilder *builder,
                   GPtrArray   *sections)
{
  json_builder_set_member_name (builder, "note_sections");
  json_builder_begin_array (builder);
  for (guint i = 0; sections != NULL && i < sections->len; i++)
    {
      const CairnNoteSection *section = g_ptr_array_index (sections, i);

      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "id");
      json_builder_add_string_value (builder, section->id);
      json_builder_set_member_name (builder, "title");
      json_builder_add_string_value (builder, section->title);
      if (section->hint != NULL)
        {
          json_builder_set_member_name (builder, "hint");
          json_builder_add_string_value (builder, section->hint);
        }
      json_builder_set_member_name (builder, "required");
      json_builder_add_boolean_value (builder, section->required);
      json_builder_end_object (builder);
    }
  json_builder_end_array (builder);
}

/**
 * cairn_protocol_to_data:
 * @protocol: a protocol
 *
 * Writes @protocol as a template, pretty-printed, including the top-level
 * members it was read with but does not know. Reading the result back gives
 * an equal protocol: this is how a practice duplicates a template to edit it.
 *
 * Returns: (transfer full): the JSON text, ending in a newline
 */
char *
cairn_protocol_to_data (const CairnProtocol *protocol)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonGenerator) generator = json_generator_new ();
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(GList) extra = NULL;
  g_autofree char *text = NULL;

  g_return_val_if_fail (protocol != NULL, NULL);

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "format");
  json_builder_add_string_value (builder, FORMAT_NAME);
  json_builder_set_member_name (builder, "version");
  json_builder_add_int_value (builder, FORMAT_VERSION);
  json_builder_set_member_name (builder, "id");
  json_builder_add_string_value (builder, protocol->id);
  json_builder_set_member_name (builder, "name");
  json_builder_add_string_value (builder, protocol->name);
  json_builder_set_member_name (builder, "medicine");
  json_builder_add_string_value (builder, protocol->medicine);
  json_builder_set_member_name (builder, "description");
  json_builder_add_string_value (builder, protocol->description);

  json_builder_set_member_name (builder, "appointment_types");
  json_builder_begin_array (builder);
  for (guint i = 0; i < protocol->types->len; i++)
    {
      const CairnAppointmentType *type = g_ptr_array_index (protocol->types, i);

      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "id");
      json_builder_add_string_value (builder, type->id);
      json_builder_set_member_name (builder, "name");
      json_builder_add_string_value (builder, type->name);
      json_builder_set_member_name (builder, "phase");
      json_builder_add_string_value (builder, phase_names[type->phase]);
      json_builder_set_member_name (builder, "minutes");
      json_builder_add_int_value (builder, type->minutes);
      json_builder_set_member_name (builder, "staff");
      json_builder_add_int_value (builder, type->staff);
      json_builder_set_member_name (builder, "room");
      json_builder_add_boolean_value (builder, type->needs_room);
      json_builder_set_member_name (builder, "by_phone");
      json_builder_add_boolean_value (builder, type->by_phone);
      add_note_sections (builder, g_hash_table_lookup (protocol->sections, type->id));
      json_builder_end_object (builder);
    }
  json_builder_end_array (builder);

  json_builder_set_member_name (builder, "course");
  json_builder_begin_object (builder);
  for (guint i = 0; i < G_N_ELEMENTS (step_infos); i++)
    add_step (builder, step_infos[i].member,
              G_STRUCT_MEMBER_P (&protocol->course, step_infos[i].offset));
  json_builder_end_object (builder);

  json_builder_set_member_name (builder, "screening");
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "pregnancy_tests");
  json_builder_add_boolean_value (builder, protocol->pregnancy_tests);
  json_builder_set_member_name (builder, "exclusions");
  json_builder_begin_array (builder);
  for (guint i = 0; i < protocol->exclusions->len; i++)
    {
      const CairnExclusion *exclusion = g_ptr_array_index (protocol->exclusions, i);

      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "id");
      json_builder_add_string_value (builder, exclusion->id);
      json_builder_set_member_name (builder, "title");
      json_builder_add_string_value (builder, exclusion->title);
      json_builder_end_object (builder);
    }
  json_builder_end_array (builder);
  json_builder_end_object (builder);

  json_builder_set_member_name (builder, "measures");
  json_builder_begin_array (builder);
  for (guint i = 0; i < protocol->timepoints->len; i++)
    {
      const CairnMeasureTimepoint *timepoint = g_ptr_array_index (protocol->timepoints, i);

      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "instrument");
      json_builder_add_string_value (builder, timepoint->instrument);
      json_builder_set_member_name (builder, "anchor");
      json_builder_add_string_value (builder, timepoint->anchor);
      json_builder_set_member_name (builder, "offset_days");
      json_builder_add_int_value (builder, timepoint->offset_days);
      json_builder_set_member_name (builder, "grace_days");
      json_builder_add_int_value (builder, timepoint->grace_days);
      json_builder_end_object (builder);
    }
  json_builder_end_array (builder);

  extra = json_object_get_members (protocol->extra);
  for (GList *l = extra; l != NULL; l = l->next)
    {
      JsonNode *node = json_object_get_member (protocol->extra, l->data);

      json_builder_set_member_name (builder, l->data);
      json_builder_add_value (builder, json_node_copy (node));
    }
  json_builder_end_object (builder);

  root = json_builder_get_root (builder);
  json_generator_set_root (generator, root);
  json_generator_set_pretty (generator, TRUE);
  text = json_generator_to_data (generator, NULL);
  return g_strconcat (text, "\n", NULL);
}

/**
 * cairn_protocol_ref:
 * @protocol: a protocol
 *
 * Returns: (transfer full): @protocol
 */
CairnProtocol *
cairn_protocol_ref (CairnProtocol *protocol)
{
  g_return_val_if_fail (protocol != NULL, NULL);

  return g_atomic_rc_box_acquire (protocol);
}

/**
 * cairn_protocol_unref:
 * @protocol: (transfer full): a protocol
 */
void
cairn_protocol_unref (CairnProtocol *protocol)
{
  g_return_if_fail (protocol != NULL);

  g_atomic_rc_box_release_full (protocol, (GDestroyNotify) protocol_clear);
}

/**
 * cairn_protocol_get_id:
 * @protocol: a protocol
 *
 * Returns: the template's id, such as "mdma-mapp"
 */
const char *
cairn_protocol_get_id (const CairnProtocol *protocol)
{
  g_return_val_if_fail (protocol != NULL, NULL);

  return protocol->id;
}

/**
 * cairn_protocol_get_name:
 * @protocol: a protocol
 *
 * Returns: the template's name, as its author wrote it
 */
const char *
cairn_protocol_get_name (const CairnProtocol *protocol)
{
  g_return_val_if_fail (protocol != NULL, NULL);

  return protocol->name;
}

/**
 * cairn_protocol_get_medicine:
 * @protocol: a protocol
 *
 * Returns: the medicine the course is built around, such as "MDMA"; only
 *   ever shown, never compared
 */
const char *
cairn_protocol_get_medicine (const CairnProtocol *protocol)
{
  g_return_val_if_fail (protocol != NULL, NULL);

  return protocol->medicine;
}

/**
 * cairn_protocol_get_description:
 * @protocol: a protocol
 *
 * Returns: what the template is and where its figures come from; "" if it
 *   has no description
 */
const char *
cairn_protocol_get_description (const CairnProtocol *protocol)
{
  g_return_val_if_fail (protocol != NULL, NULL);

  return protocol->description;
}

/**
 * cairn_protocol_get_n_types:
 * @protocol: a protocol
 *
 * Returns: how many appointment types the template has (at least one)
 */
guint
cairn_protocol_get_n_types (const CairnProtocol *protocol)
{
  g_return_val_if_fail (protocol != NULL, 0);

  return protocol->types->len;
}

/**
 * cairn_protocol_get_type_nth:
 * @protocol: a protocol
 * @index: less than cairn_protocol_get_n_types()
 *
 * Returns: (transfer none): the appointment type at @index, in the
 *   template's order
 */
const CairnAppointmentType *
cairn_protocol_get_type_nth (const CairnProtocol *protocol,
                             guint                index)
{
  g_return_val_if_fail (protocol != NULL, NULL);
  g_return_val_if_fail (index < protocol->types->len, NULL);

  return g_ptr_array_index (protocol->types, index);
}

/**
 * cairn_protocol_find_type:
 * @protocol: a protocol
 * @type_id: an appointment type id
 *
 * Returns: (transfer none) (nullable): the type with that id, or %NULL
 */
const CairnAppointmentType *
cairn_protocol_find_type (const CairnProtocol *protocol,
                          const char          *type_id)
{
  g_return_val_if_fail (protocol != NULL, NULL);
  g_return_val_if_fail (type_id != NULL, NULL);

  return find_type (protocol->types, type_id);
}

/**
 * cairn_protocol_dup_type_names:
 * @protocol: a protocol
 *
 * Returns: (transfer full) (element-type utf8 utf8): a new table from each
 *   type id to its name; keys and values are owned by the table
 */
GHashTable *
cairn_protocol_dup_type_names (const CairnProtocol *protocol)
{
  GHashTable *names;

  g_return_val_if_fail (protocol != NULL, NULL);

  names = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  for (guint i = 0; i < protocol->types->len; i++)
    {
      const CairnAppointmentType *type = g_ptr_array_index (protocol->types, i);

      g_hash_table_insert (names, g_strdup (type->id), g_strdup (type->name));
    }
  return names;
}

/**
 * cairn_protocol_get_course:
 * @protocol: a protocol
 *
 * Returns: (transfer none): the shape of the course; every step's type is
 *   one of the template's appointment types, of the step's phase
 */
const CairnCourseShape *
cairn_protocol_get_course (const CairnProtocol *protocol)
{
  g_return_val_if_fail (protocol != NULL, NULL);

  return &protocol->course;
}

/**
 * cairn_phase_to_string:
 * @phase: a phase
 *
 * Returns: the phase as templates write it, such as "medicine-session"
 */
const char *
cairn_phase_to_string (CairnPhase phase)
{
  g_return_val_if_fail (phase <= CAIRN_PHASE_FOLLOW_UP, NULL);

  return phase_names[phase];
}

/**
 * cairn_phase_from_string:
 * @text: a phase as templates write it
 * @phase: (out): return location for the phase
 *
 * Returns: %TRUE if @text names a phase; @phase is left alone otherwise
 */
gboolean
cairn_phase_from_string (const char *text,
                         CairnPhase *phase)
{
  g_return_val_if_fail (text != NULL, FALSE);
  g_return_val_if_fail (phase != NULL, FALSE);

  for (guint i = 0; phase_names[i] != NULL; i++)
    {
      if (g_str_equal (text, phase_names[i]))
        {
          *phase = (CairnPhase) i;
          return TRUE;
        }
    }
  return FALSE;
}

/**
 * cairn_protocol_get_note_sections:
 * @protocol: a protocol
 * @type_id: an appointment type id
 *
 * Returns: (transfer none) (element-type CairnNoteSection): the sections of
 *   a note for appointments of that type, in order; an empty array when the
 *   type takes no structured note or is not one of the template's. Never
 *   %NULL; do not change it.
 */
GPtrArray *
cairn_protocol_get_note_sections (const CairnProtocol *protocol,
                                  const char          *type_id)
{
  static GPtrArray *empty = NULL;
  GPtrArray *sections;

  g_return_val_if_fail (protocol != NULL, NULL);
  g_return_val_if_fail (type_id != NULL, NULL);

  sections = g_hash_table_lookup (protocol->sections, type_id);
  if (sections != NULL)
    return sections;

  if (g_once_init_enter (&empty))
    g_once_init_leave (&empty, g_ptr_array_new ());
  return empty;
}

/**
 * cairn_protocol_get_n_exclusions:
 * @protocol: a protocol
 *
 * Returns: how many exclusions screening asks about (may be 0)
 */
guint
cairn_protocol_get_n_exclusions (const CairnProtocol *protocol)
{
  g_return_val_if_fail (protocol != NULL, 0);

  return protocol->exclusions->len;
}

/**
 * cairn_protocol_get_exclusion_nth:
 * @protocol: a protocol
 * @index: less than cairn_protocol_get_n_exclusions()
 *
 * Returns: (transfer none): the exclusion at @index, in the template's order
 */
const CairnExclusion *
cairn_protocol_get_exclusion_nth (const CairnProtocol *protocol,
                                  guint                index)
{
  g_return_val_if_fail (protocol != NULL, NULL);
  g_return_val_if_fail (index < protocol->exclusions->len, NULL);

  return g_ptr_array_index (protocol->exclusions, index);
}

/**
 * cairn_protocol_get_pregnancy_tests:
 * @protocol: a protocol
 *
 * Returns: whether screening and each medicine session ask for a pregnancy
 *   test; %TRUE for a template that does not say
 */
gboolean
cairn_protocol_get_pregnancy_tests (const CairnProtocol *protocol)
{
  g_return_val_if_fail (protocol != NULL, TRUE);

  return protocol->pregnancy_tests;
}

/**
 * cairn_protocol_get_n_timepoints:
 * @protocol: a protocol
 *
 * Returns: how many measure timepoints the template lists (may be 0)
 */
guint
cairn_protocol_get_n_timepoints (const CairnProtocol *protocol)
{
  g_return_val_if_fail (protocol != NULL, 0);

  return protocol->timepoints->len;
}

/**
 * cairn_protocol_get_timepoint_nth:
 * @protocol: a protocol
 * @index: less than cairn_protocol_get_n_timepoints()
 *
 * Returns: (transfer none): the timepoint at @index, in the template's order
 */
const CairnMeasureTimepoint *
cairn_protocol_get_timepoint_nth (const CairnProtocol *protocol,
                                  guint                index)
{
  g_return_val_if_fail (protocol != NULL, NULL);
  g_return_val_if_fail (index < protocol->timepoints->len, NULL);

  return g_ptr_array_index (protocol->timepoints, index);
}

/**
 * cairn_protocol_duplicate:
 * @protocol: a protocol
 * @new_id: the copy's id; lower-case letters, digits and hyphens
 * @new_name: the copy's name, not empty
 * @error: return location for a #GError
 *
 * Returns: (transfer full) (nullable): a copy of @protocol under a new id
 *   and name, with everything else (top-level members this Cairn does not
 *   know included) the same; %NULL with %CAIRN_PROTOCOL_ERROR_INVALID if the
 *   copy does not read back as a template (the importer should have refused
 *   such a template; this is a second line, never an abort)
 */
CairnProtocol *
cairn_protocol_duplicate (const CairnProtocol  *protocol,
                          const char           *new_id,
                          const char           *new_name,
                          GError              **error)
{
  g_autoptr(GError) local_error = NULL;
  g_autoptr(JsonNode) root = NULL;
  g_autofree char *data = NULL;
  g_autofree char *copy = NULL;
  g_autofree char *stripped = NULL;
  JsonObject *top;

  g_return_val_if_fail (protocol != NULL, NULL);
  g_return_val_if_fail (new_id != NULL && is_valid_id (new_id), NULL);
  g_return_val_if_fail (new_name != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);
  stripped = g_strstrip (g_strdup (new_name));
  g_return_val_if_fail (*stripped != '\0', NULL);

  /* Through the file format, so the copy is checked like any template. */
  data = cairn_protocol_to_data (protocol);
  root = json_from_string (data, &local_error);
  if (root == NULL || !JSON_NODE_HOLDS_OBJECT (root))
    {
      g_autofree char *why = g_utf8_make_valid (local_error != NULL ? local_error->message : "", -1);

      g_set_error (error, CAIRN_PROTOCOL_ERROR, CAIRN_PROTOCOL_ERROR_INVALID,
                   _("The template “%s” cannot be copied: %s"), cairn_protocol_get_id (protocol), why);
      return NULL;
    }
  top = json_node_get_object (root);
  json_object_set_string_member (top, "id", new_id);
  json_object_set_string_member (top, "name", new_name);
  copy = json_to_string (root, FALSE);

  return cairn_protocol_new_from_data (copy, -1, error);
}

/**
 * cairn_protocol_list_instruments:
 *
 * Returns: (transfer none): the instruments a measure timepoint may name,
 *   such as "pcl-5", %NULL-terminated
 */
const char * const *
cairn_protocol_list_instruments (void)
{
  return instrument_names;
}

/**
 * cairn_protocol_list_anchors:
 *
 * Returns: (transfer none): the anchors a measure timepoint may name,
 *   such as "medicine-session", %NULL-terminated
 */
const char * const *
cairn_protocol_list_anchors (void)
{
  return anchor_names;
}
