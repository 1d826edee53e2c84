/* cairn-protocol.h
 *
 * A protocol template: the practice's course of treatment as data. Cairn
 * reads appointment types (length, staffing, room), and the shape of the
 * course (how many sessions of each phase, how far apart), the sections of
 * session notes, the exclusions asked at screening and when outcome
 * measures are due from a template; code never hard-codes a count, a
 * duration, a medicine or a clinical question.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define CAIRN_PROTOCOL_ERROR (cairn_protocol_error_quark ())

typedef enum
{
  CAIRN_PROTOCOL_ERROR_PARSE,      /* not JSON, or not an object at the top */
  CAIRN_PROTOCOL_ERROR_INVALID,    /* a field missing, of the wrong type or out of range */
  CAIRN_PROTOCOL_ERROR_VERSION,    /* written by a newer Cairn */
  CAIRN_PROTOCOL_ERROR_NOT_FOUND,  /* no shipped template has that id */
} CairnProtocolError;

/* The id of the template cairn_protocol_load_default() returns. */
#define CAIRN_PROTOCOL_DEFAULT_ID "mdma-mapp"

/* The phases of a course, in order. */
typedef enum
{
  CAIRN_PHASE_SCREENING,
  CAIRN_PHASE_PREPARATION,
  CAIRN_PHASE_MEDICINE_SESSION,
  CAIRN_PHASE_INTEGRATION,
  CAIRN_PHASE_FOLLOW_UP,
} CairnPhase;

/* One kind of appointment the practice books. */
typedef struct
{
  char      *id;           /* stable, e.g. "preparation"; stored in appointments.type_id */
  char      *name;         /* shown, e.g. "Preparation" */
  CairnPhase phase;
  guint      minutes;      /* default length, 5 … 960 */
  guint      staff;        /* therapists needed, 0 … 4 */
  gboolean   needs_room;
  gboolean   by_phone;     /* a phone check-in: no room, no arrival */
} CairnAppointmentType;

/* One repeating part of the course. Items are placed on days counted from
 * an anchor: the start of the course for preparation, the last
 * preparation for the first medicine session, the previous medicine
 * session for the next ones, each
 * medicine session for its integration sessions and phone check-ins, and
 * the last medicine session for the follow-ups. */
typedef struct
{
  char  *type_id;          /* an appointment type above */
  guint  count;            /* how many; for per_medicine_session steps, how many after each */
  guint  first_after_days; /* days from the anchor to the first one */
  guint  interval_days;    /* days between them */
  guint  tolerance_days;   /* how many days later a free slot may be, 0 = that day only */
} CairnCourseStep;

typedef struct
{
  CairnCourseStep preparation;        /* anchor: course start */
  CairnCourseStep medicine_sessions;  /* first: after the last preparation; then apart */
  CairnCourseStep integration;        /* after each medicine session */
  CairnCourseStep phone_check_ins;    /* after each medicine session */
  CairnCourseStep follow_up;          /* after the last medicine session */
} CairnCourseShape;


/* One section of a session note, e.g. "Intentions". Sections are listed per
 * appointment type; a note of that type has one text per section. */
typedef struct
{
  char     *id;           /* stable, e.g. "intentions"; the key in a note's sections */
  char     *title;        /* shown, e.g. "Intentions" */
  char     *hint;         /* what to write there, shown while empty; may be NULL */
  gboolean  required;     /* must hold text before the note can be signed */
} CairnNoteSection;

/* One question of screening that can exclude a patient, answered
 * yes / no / unknown with a note. */
typedef struct
{
  char *id;               /* stable, e.g. "psychotic-disorder" */
  char *title;            /* shown, e.g. "Psychotic disorder, current or past" */
} CairnExclusion;

/* When an outcome measure is due. The anchor is a kind of appointment in
 * the patient's course: "screening" (the screening visit; the baseline),
 * "medicine-session" (each medicine session that took place) or
 * "follow-up" (each follow-up visit). The measure is due offset_days
 * after the anchor's date (0 = that day, negative = before) and overdue
 * once grace_days more have passed without one. */
typedef struct
{
  char *instrument;       /* "pcl-5", "phq-9", "gad-7", "caps-5" or "bdi-ii" */
  char *anchor;           /* "screening", "medicine-session" or "follow-up" */
  int   offset_days;      /* -60 … 365 */
  guint grace_days;       /* 0 … 90 */
} CairnMeasureTimepoint;

typedef struct _CairnProtocol CairnProtocol;

GQuark                      cairn_protocol_error_quark     (void);

CairnProtocol              *cairn_protocol_new_from_data   (const char          *json,
                                                            gssize               length,
                                                            GError             **error);
CairnProtocol              *cairn_protocol_load_default    (void);
GStrv                       cairn_protocol_list_shipped    (void);
CairnProtocol              *cairn_protocol_load_shipped    (const char          *id,
                                                            GError             **error);
char                       *cairn_protocol_to_data         (const CairnProtocol *protocol);

CairnProtocol              *cairn_protocol_ref             (CairnProtocol       *protocol);
void                        cairn_protocol_unref           (CairnProtocol       *protocol);

const char                 *cairn_protocol_get_id          (const CairnProtocol *protocol);
const char                 *cairn_protocol_get_name        (const CairnProtocol *protocol);
const char                 *cairn_protocol_get_medicine    (const CairnProtocol *protocol);
const char                 *cairn_protocol_get_description (const CairnProtocol *protocol);
guint                       cairn_protocol_get_n_types     (const CairnProtocol *protocol);
const CairnAppointmentType *cairn_protocol_get_type_nth    (const CairnProtocol *protocol,
                                                            guint                index);
const CairnAppointmentType *cairn_protocol_find_type       (const CairnProtocol *protocol,
                                                            const char          *type_id);
GHashTable                 *cairn_protocol_dup_type_names  (const CairnProtocol *protocol);
const CairnCourseShape     *cairn_protocol_get_course      (const CairnProtocol *protocol);

/* Session notes: the sections of a note for an appointment type. Never
 * NULL; an empty array when the type takes no structured note. Elements
 * are const CairnNoteSection *. */
GPtrArray                  *cairn_protocol_get_note_sections (const CairnProtocol *protocol,
                                                              const char          *type_id);

/* Screening: the exclusions asked about, in order. */
guint                       cairn_protocol_get_n_exclusions (const CairnProtocol *protocol);
const CairnExclusion       *cairn_protocol_get_exclusion_nth (const CairnProtocol *protocol,
                                                              guint                index);
/* Whether a pregnancy test is part of screening and of the day of each
 * medicine session (for patients it applies to). */
gboolean                    cairn_protocol_get_pregnancy_tests (const CairnProtocol *protocol);

/* Outcome measures: when each instrument is due, in order. */
guint                       cairn_protocol_get_n_timepoints (const CairnProtocol *protocol);
const CairnMeasureTimepoint *cairn_protocol_get_timepoint_nth (const CairnProtocol *protocol,
                                                               guint                index);

/* A copy that can be edited and saved as the practice's own template: a
 * new id, the given name, everything else the same. */
CairnProtocol              *cairn_protocol_duplicate         (const CairnProtocol  *protocol,
                                                              const char           *new_id,
                                                              const char           *new_name,
                                                              GError              **error);

/* The values a measure timepoint's instrument and anchor may take. */
const char * const         *cairn_protocol_list_instruments  (void);
const char * const         *cairn_protocol_list_anchors      (void);

const char                 *cairn_phase_to_string          (CairnPhase           phase);
gboolean                    cairn_phase_from_string        (const char          *text,
                                                            CairnPhase          *phase);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (CairnProtocol, cairn_protocol_unref)

G_END_DECLS
