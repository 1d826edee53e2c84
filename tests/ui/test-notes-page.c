/* test-notes-page.c
 *
 * The Notes tab in a real window, as a clinician meets it after a week of
 * a course: the sessions that take a note, newest first, today's later
 * one included and next week's not; writing a note and seeing the draft
 * saved by itself; signing refused while the note or a required section
 * is empty, said at the section; signing, after which the note is
 * read-only and only an addendum can be added; a section the template no
 * longer has, shown under its id; the draft typed just before Cairn locks
 * saved all the same; and phone check-ins grouped by medicine session,
 * overdue ones marked, recorded with a form that refuses a call in the
 * future and a missed call without a follow-up.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "cairn-agenda.h"
#include "cairn-note-editor.h"
#include "cairn-notes-page.h"
#include "cairn-notes.h"
#include "cairn-phone-check-in-dialog.h"
#include "cairn-protocols.h"
#include "cairn-test-utils.h"

typedef struct
{
  char *patient;
  char *preparation;     /* 20 Nov 2025 */
  char *medicine;        /* 1 Dec */
  char *call_2;          /* 2 Dec, after the medicine session */
  char *call_3;          /* 3 Dec */
  char *call_11;         /* 11 Dec: after "now" */
  char *integration;     /* 9 Dec */
  char *screening_today; /* 10 Dec 16:00, later "today" */
  char *follow_up;       /* 20 Dec: not yet */
} Seed;

static Seed seed;

static GTimeZone *
zone (void)
{
  CairnVault *vault = cairn_application_get_vault (cairn_test_get_application ());
  g_autofree char *id = cairn_database_query_text (cairn_vault_get_practice (vault),
                                                   "SELECT time_zone FROM practice", NULL, 0, NULL);

  return g_time_zone_new_identifier (id);
}

/* A day of 2025 at a time where the practice is. Long past, so that no
 * call is in the future. */
static gint64
at (int month,
    int day,
    int hour,
    int minute)
{
  g_autoptr(GTimeZone) z = zone ();
  g_autoptr(GDateTime) t = g_date_time_new (z, 2025, month, day, hour, minute, 0);

  return g_date_time_to_unix (t);
}

/* Booked whatever the practice's hours: the medicine session is long. */
static char *
book (CairnDatabase  *db,
      const char     *type_id,
      gint64          start,
      int             minutes,
      const char     *room,
      const char     *me,
      GError        **error)
{
  g_autoptr(CairnAppointment) a = cairn_appointment_new ();
  const char *staff[] = { me, NULL };

  a->patient_id = g_strdup (seed.patient);
  a->type_id = g_strdup (type_id);
  a->start = start;
  a->end = start + minutes * 60;
  a->room_id = g_strdup (room);
  a->staff_ids = g_strdupv ((char **) staff);
  return cairn_schedule_book (db, a, 1, room != NULL, "Test", me, error) ? g_strdup (a->id) : NULL;
}

static gpointer
seed_job (CairnVault    *vault,
          gpointer       data,
          GCancellable  *cancellable,
          GError       **error)
{
  CairnDatabase *db = cairn_vault_get_practice (vault);
  g_autofree char *me = cairn_vault_get_user_id (vault);
  g_autofree char *room = NULL;

  if ((room = cairn_schedule_add_room (db, "Room 1", me, error)) == NULL ||
      (seed.patient = cairn_test_add_patient (db, "Adaline Quell", "Ada", me, error)) == NULL ||
      (seed.preparation = book (db, "preparation", at (11, 20, 10, 0), 90, room, me, error)) == NULL ||
      (seed.medicine = book (db, "medicine-session", at (12, 1, 9, 0), 480, room, me, error)) == NULL ||
      (seed.call_2 = book (db, "phone-check-in", at (12, 2, 10, 0), 15, NULL, me, error)) == NULL ||
      (seed.call_3 = book (db, "phone-check-in", at (12, 3, 10, 0), 15, NULL, me, error)) == NULL ||
      (seed.call_11 = book (db, "phone-check-in", at (12, 11, 10, 0), 15, NULL, me, error)) == NULL ||
      (seed.integration = book (db, "integration", at (12, 9, 10, 0), 90, room, me, error)) == NULL ||
      (seed.screening_today = book (db, "screening", at (12, 10, 16, 0), 60, room, me, error)) == NULL ||
      (seed.follow_up = book (db, "follow-up", at (12, 20, 10, 0), 90, room, me, error)) == NULL)
    return NULL;
  return GINT_TO_POINTER (TRUE);
}

static void
seed_clear (void)
{
  g_clear_pointer (&seed.patient, g_free);
  g_clear_pointer (&seed.preparation, g_free);
  g_clear_pointer (&seed.medicine, g_free);
  g_clear_pointer (&seed.call_2, g_free);
  g_clear_pointer (&seed.call_3, g_free);
  g_clear_pointer (&seed.call_11, g_free);
  g_clear_pointer (&seed.integration, g_free);
  g_clear_pointer (&seed.screening_today, g_free);
  g_clear_pointer (&seed.follow_up, g_free);
}

static gboolean
page_settled (gpointer user_data)
{
  return !cairn_notes_page_get_busy (user_data) && cairn_notes_page_get_loaded (user_data);
}

static void
wait_settled (CairnNotesPage *page)
{
  g_assert_true (cairn_test_wait_until (page_settled, page, 10000));
}

static CairnPatient *
patient (void)
{
  CairnPatient *p = cairn_patient_new ();

  p->id = g_strdup (seed.patient);
  p->legal_name = g_strdup ("Adaline Quell");
  p->preferred_name = g_strdup ("Ada");
  return p;
}

static CairnNotesPage *
open_page (void)
{
  CairnVault *vault;
  GtkWidget *window;
  CairnNotesPage *page;
  g_autoptr(CairnPatient) p = NULL;

  cairn_test_reset ();
  cairn_test_remove_vault ();
  seed_clear ();
  vault = cairn_test_unlock (CAIRN_ROLE_CLINICIAN);
  g_assert_nonnull (cairn_test_run_job (vault, seed_job, NULL));

  window = adw_window_new ();
  gtk_window_set_default_size (GTK_WINDOW (window), 800, 900);
  page = g_object_new (CAIRN_TYPE_NOTES_PAGE, "context", cairn_test_get_context (), NULL);
  adw_window_set_content (ADW_WINDOW (window), GTK_WIDGET (page));
  gtk_window_present (GTK_WINDOW (window));

  p = patient ();
  /* The afternoon of 10 December 2025. */
  cairn_notes_page_set_now (page, at (12, 10, 12, 0));
  cairn_notes_page_load (page, p);
  wait_settled (page);
  return page;
}

/* ------------------------------------------------------------------------ */
/* Reading what the vault holds                                              */

typedef struct
{
  const char *appointment_id;
  CairnNote  *note;
} NoteRead;

static gpointer
read_note_job (CairnVault    *vault,
               gpointer       data,
               GCancellable  *cancellable,
               GError       **error)
{
  NoteRead *read = data;
  g_autofree char *me = cairn_vault_get_user_id (vault);
  g_autoptr(GError) local_error = NULL;

  read->note = cairn_notes_get_for_appointment (cairn_vault_get_clinical (vault), read->appointment_id, me,
                                                &local_error);
  g_assert_no_error (local_error);
  return read;
}

/* The appointment's note as the vault has it, or NULL. */
static CairnNote *
vault_note (const char *appointment_id)
{
  CairnVault *vault = cairn_application_get_vault (cairn_test_get_application ());
  NoteRead read = { appointment_id, NULL };

  cairn_test_run_job (vault, read_note_job, &read);
  return read.note;
}

static char *
clinical_text (const char *sql)
{
  CairnVault *vault = cairn_application_get_vault (cairn_test_get_application ());

  return cairn_database_query_text (cairn_vault_get_clinical (vault), sql, NULL, 0, NULL);
}

static guint
audit_count (const char *action)
{
  CairnVault *vault = cairn_application_get_vault (cairn_test_get_application ());
  g_autofree char *n = cairn_database_query_text (cairn_vault_get_clinical (vault),
                                                  "SELECT count(*) FROM audit WHERE action = ?",
                                                  (const char *[]) { action }, 1, NULL);

  return (guint) g_ascii_strtoull (n, NULL, 10);
}

/* ------------------------------------------------------------------------ */
/* The editor                                                                */

/* The text views of the note's sections, in order. */
static GPtrArray *
section_views (CairnNoteEditor *editor)
{
  GPtrArray *views = g_ptr_array_new ();
  GtkWidget *root = GTK_WIDGET (editor);
  GtkWidget *w = root;

  /* Depth first over the widget tree: the text views in screen order. */
  while (w != NULL)
    {
      if (GTK_IS_TEXT_VIEW (w))
        g_ptr_array_add (views, w);
      if (gtk_widget_get_first_child (w) != NULL)
        w = gtk_widget_get_first_child (w);
      else
        {
          while (w != root && gtk_widget_get_next_sibling (w) == NULL)
            w = gtk_widget_get_parent (w);
          w = w == root ? NULL : gtk_widget_get_next_sibling (w);
        }
    }
  return views;
}

static void
type_into (GtkWidget  *view,
           const char *text)
{
  gtk_text_buffer_set_text (gtk_text_view_get_buffer (GTK_TEXT_VIEW (view)), text, -1);
}

static gboolean
editor_saved (gpointer user_data)
{
  return !cairn_note_editor_get_dirty (user_data) && !cairn_note_editor_get_busy (user_data);
}

static void
wait_saved (CairnNoteEditor *editor)
{
  g_assert_true (cairn_test_wait_until (editor_saved, editor, 10000));
}

static gboolean
message_dialog_shown (gpointer user_data)
{
  return cairn_test_find_toplevel (ADW_TYPE_MESSAGE_DIALOG) != NULL;
}

static AdwMessageDialog *
wait_message_dialog (void)
{
  g_assert_true (cairn_test_wait_until (message_dialog_shown, NULL, 5000));
  return ADW_MESSAGE_DIALOG (cairn_test_find_toplevel (ADW_TYPE_MESSAGE_DIALOG));
}

static gboolean
editor_has_sections (gpointer user_data)
{
  return cairn_test_find_descendant (user_data, GTK_TYPE_TEXT_VIEW, NULL) != NULL;
}

/* Opens the session row @title and waits for its note in the editor. */
static void
open_session (CairnNotesPage *page,
              const char     *title)
{
  g_signal_emit_by_name (cairn_test_find_row (GTK_WIDGET (page), title), "activate");
  g_assert_true (cairn_test_wait_until (editor_has_sections, cairn_notes_page_get_editor (page), 5000));
}

/* Whatever went to the worker has answered: what is not written now was
 * not written at all. */
static void
wait_worker (void)
{
  cairn_test_wait_idle (cairn_application_get_vault (cairn_test_get_application ()));
}

static const char *
row_state (GtkWidget *page,
           const char *title)
{
  GtkWidget *row = cairn_test_find_row (page, title);
  /* The state is the row's small label among its suffixes. */
  GtkWidget *label = cairn_test_find_descendant (row, GTK_TYPE_LABEL, "caption");

  g_assert_nonnull (label);
  return gtk_label_get_text (GTK_LABEL (label));
}

static void
test_list (void)
{
  CairnNotesPage *page = open_page ();
  GtkWidget *first;

  /* Today's later session first, then back in time; next week's follow-up
   * and the phone check-ins are not among the sessions. */
  first = cairn_test_find_row (GTK_WIDGET (page), "Screening");
  g_assert_cmpstr (adw_preferences_row_get_title (ADW_PREFERENCES_ROW (gtk_widget_get_next_sibling (first))), ==,
                   "Integration");
  g_assert_cmpstr (adw_preferences_row_get_title (ADW_PREFERENCES_ROW (
                     gtk_widget_get_next_sibling (gtk_widget_get_next_sibling (first)))), ==, "Medicine session");
  g_assert_cmpstr (adw_preferences_row_get_title (ADW_PREFERENCES_ROW (gtk_widget_get_last_child (
                     gtk_widget_get_parent (first)))), ==, "Preparation");
  g_assert_null (gtk_widget_get_next_sibling (gtk_widget_get_next_sibling (
                   gtk_widget_get_next_sibling (gtk_widget_get_next_sibling (first)))));
  g_assert_cmpstr (row_state (GTK_WIDGET (page), "Integration"), ==, "No note");
  g_assert_nonnull (cairn_test_find_text (GTK_WIDGET (page), "Tue 9 Dec 2025, 10:00 · 90 min"));

  /* Reading the list is in the audit trail. */
  g_assert_cmpuint (audit_count ("note.list"), >=, 1);
  g_assert_cmpuint (audit_count ("phone-check-in.list"), >=, 1);
}

static void
test_write_sign_addendum (void)
{
  CairnNotesPage *page = open_page ();
  CairnNoteEditor *editor = cairn_notes_page_get_editor (page);
  CairnVault *vault = cairn_application_get_vault (cairn_test_get_application ());
  g_autoptr(CairnProtocol) protocol = cairn_protocols_get_active (cairn_vault_get_practice (vault), NULL);
  GPtrArray *template = cairn_protocol_get_note_sections (protocol, "integration");
  g_autoptr(GPtrArray) views = NULL;
  g_autoptr(CairnNote) note = NULL;
  AdwMessageDialog *dialog;
  GtkTextBuffer *buffer;
  guint required = G_MAXUINT;
  GtkWidget *attendees;

  for (guint i = 0; i < template->len; i++)
    if (((CairnNoteSection *) g_ptr_array_index (template, i))->required)
      required = i;
  /* The template gives the integration note a required section, and others. */
  g_assert_cmpuint (required, <, template->len);
  g_assert_cmpuint (required, >, 0);

  open_session (page, "Integration");
  cairn_test_wait_for_text (GTK_WIDGET (page), "No note yet");
  g_assert_nonnull (cairn_test_find_text (GTK_WIDGET (page), "Tue 9 Dec 2025, 10:00"));
  g_assert_nonnull (cairn_test_find_text (GTK_WIDGET (page), "90 minutes"));
  /* The first section's hint is shown while it is empty. */
  g_assert_nonnull (cairn_test_find_text (GTK_WIDGET (page),
                                          ((CairnNoteSection *) g_ptr_array_index (template, 0))->hint));
  attendees = cairn_test_find_row (GTK_WIDGET (page), "Attendees");
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (attendees)), ==, "Dr Ada Quell, Ada");

  views = section_views (editor);
  g_assert_cmpuint (views->len, ==, template->len);

  /* Bad input: an empty note is not signed; the message is at the first
   * section; no confirmation, nothing written. */
  cairn_test_click (GTK_WIDGET (page), "Sign Note…");
  cairn_test_wait_for_text (GTK_WIDGET (page), "The note is empty");
  wait_worker ();
  g_assert_null (cairn_test_find_toplevel (ADW_TYPE_MESSAGE_DIALOG));
  g_assert_null (vault_note (seed.integration));

  /* Writing: the draft saves itself once typing stops. */
  type_into (g_ptr_array_index (views, 0), "Felt calmer; slept well since.");
  g_assert_null (cairn_test_find_text (GTK_WIDGET (page), "The note is empty"));
  wait_saved (editor);
  g_assert_nonnull (cairn_test_find_text (GTK_WIDGET (page), "Draft saved"));
  note = vault_note (seed.integration);
  g_assert_nonnull (note);
  g_assert_cmpint (note->state, ==, CAIRN_NOTE_DRAFT);
  g_assert_cmpstr (g_hash_table_lookup (note->sections, ((CairnNoteSection *) g_ptr_array_index (template, 0))->id),
                   ==, "Felt calmer; slept well since.");
  g_assert_cmpstr (note->attendees, ==, "Dr Ada Quell, Ada");
  g_clear_pointer (&note, cairn_note_free);

  /* The required section is still empty: said there, not signed. */
  cairn_test_click (GTK_WIDGET (page), "Sign Note…");
  cairn_test_wait_for_text (GTK_WIDGET (page), "This section must be written");
  wait_worker ();
  g_assert_null (cairn_test_find_toplevel (ADW_TYPE_MESSAGE_DIALOG));
  g_assert_true (gtk_widget_has_focus (g_ptr_array_index (views, required)) ||
                 !gtk_window_is_active (GTK_WINDOW (gtk_widget_get_root (GTK_WIDGET (page)))));

  /* Written, and saved at once with Ctrl+S's action. */
  type_into (g_ptr_array_index (views, required), "No suicidal ideation; sleep good.");
  gtk_widget_activate_action (GTK_WIDGET (editor), "editor.save", NULL);
  g_assert_true (cairn_note_editor_get_busy (editor));
  wait_saved (editor);

  /* Signing asks first; cancelling signs nothing. */
  cairn_test_click (GTK_WIDGET (page), "Sign Note…");
  dialog = wait_message_dialog ();
  adw_message_dialog_response (dialog, "cancel");
  gtk_window_destroy (GTK_WINDOW (dialog));
  wait_worker ();
  g_assert_true (editor_saved (editor));
  note = vault_note (seed.integration);
  g_assert_cmpint (note->state, ==, CAIRN_NOTE_DRAFT);
  g_clear_pointer (&note, cairn_note_free);

  cairn_test_click (GTK_WIDGET (page), "Sign Note…");
  dialog = wait_message_dialog ();
  adw_message_dialog_response (dialog, "sign");
  wait_saved (editor);
  note = vault_note (seed.integration);
  g_assert_cmpint (note->state, ==, CAIRN_NOTE_SIGNED);
  g_assert_cmpstr (g_hash_table_lookup (note->sections,
                                        ((CairnNoteSection *) g_ptr_array_index (template, required))->id),
                   ==, "No suicidal ideation; sleep good.");
  g_clear_pointer (&note, cairn_note_free);

  /* Read-only now: who signed it, the text with nothing to type into, no
   * Sign button, an Add Addendum one. */
  g_assert_nonnull (cairn_test_find_text (GTK_WIDGET (page), "Signed by Dr Ada Quell on"));
  g_clear_pointer (&views, g_ptr_array_unref);
  views = section_views (editor);
  g_assert_cmpuint (views->len, ==, 0);
  g_assert_nonnull (cairn_test_find_text (GTK_WIDGET (page), "Felt calmer; slept well since."));
  g_assert_nonnull (cairn_test_find_text (GTK_WIDGET (page), "Nothing written."));
  g_assert_false (GTK_IS_EDITABLE (cairn_test_find_row (GTK_WIDGET (page), "Attendees")));
  g_assert_false (gtk_widget_get_visible (cairn_test_find_descendant (GTK_WIDGET (editor), GTK_TYPE_BUTTON,
                                                                      "suggested-action")));
  g_assert_false (gtk_widget_activate_action (GTK_WIDGET (editor), "editor.save", NULL) &&
                  cairn_note_editor_get_busy (editor));

  /* An addendum: refused while empty, then added, dated and signed. */
  cairn_test_click (GTK_WIDGET (page), "Add Addendum…");
  dialog = wait_message_dialog ();
  g_assert_false (adw_message_dialog_get_response_enabled (dialog, "add"));
  g_assert_nonnull (cairn_test_find_text (GTK_WIDGET (dialog), "Write the addendum to add it."));
  buffer = gtk_text_view_get_buffer (GTK_TEXT_VIEW (cairn_test_find_descendant (GTK_WIDGET (dialog),
                                                                                GTK_TYPE_TEXT_VIEW, NULL)));
  gtk_text_buffer_set_text (buffer, "   ", -1);
  g_assert_false (adw_message_dialog_get_response_enabled (dialog, "add"));
  gtk_text_buffer_set_text (buffer, "Patient phoned: nightmares on day 2, settled.", -1);
  g_assert_true (adw_message_dialog_get_response_enabled (dialog, "add"));
  g_assert_null (cairn_test_find_text (GTK_WIDGET (dialog), "Write the addendum to add it."));
  adw_message_dialog_response (dialog, "add");
  wait_saved (editor);
  g_assert_nonnull (cairn_test_find_text (GTK_WIDGET (page), "Patient phoned: nightmares on day 2, settled."));
  g_assert_nonnull (cairn_test_find_text (GTK_WIDGET (page), "Added and signed by Dr Ada Quell on"));
  note = vault_note (seed.integration);
  g_assert_cmpuint (note->addenda->len, ==, 1);
  g_clear_pointer (&note, cairn_note_free);

  /* Back to the list: the note is signed there. */
  g_signal_emit_by_name (cairn_test_find_descendant (GTK_WIDGET (editor), GTK_TYPE_BUTTON, "circular"), "clicked");
  wait_settled (page);
  g_assert_true (g_str_has_prefix (row_state (GTK_WIDGET (page), "Integration"), "Signed on "));

  /* Every step is in the audit trail. */
  g_assert_cmpuint (audit_count ("note.create"), ==, 1);
  g_assert_cmpuint (audit_count ("note.update"), >=, 1);
  g_assert_cmpuint (audit_count ("note.sign"), ==, 1);
  g_assert_cmpuint (audit_count ("note.addendum"), ==, 1);
  g_assert_cmpuint (audit_count ("note.list"), >=, 2);
}

/* What was typed a moment before Cairn locked is in the vault: the page is
 * cleared before the vault locks, and the vault finishes queued work. */
static void
test_draft_saved_on_lock (void)
{
  CairnNotesPage *page = open_page ();
  CairnNoteEditor *editor = cairn_notes_page_get_editor (page);
  CairnApplication *app = cairn_test_get_application ();
  g_autoptr(GPtrArray) views = NULL;
  g_autoptr(CairnNote) note = NULL;
  g_autofree char *appointment = g_strdup (seed.preparation);
  GtkWidget *attendees;

  open_session (page, "Preparation");
  views = section_views (editor);
  attendees = cairn_test_find_row (GTK_WIDGET (page), "Attendees");
  gtk_editable_set_text (GTK_EDITABLE (attendees), "Dr Ada Quell, Ada, her sister");
  type_into (g_ptr_array_index (views, 0), "To feel safe with what comes up.");
  g_assert_true (cairn_note_editor_get_dirty (editor));

  /* As the patient page does when the vault goes away, then the lock. */
  cairn_notes_page_clear (page);
  cairn_application_lock (app);
  g_assert_null (cairn_application_get_vault (app));

  cairn_test_unlock (CAIRN_ROLE_CLINICIAN);
  note = vault_note (appointment);
  g_assert_nonnull (note);
  g_assert_cmpint (note->state, ==, CAIRN_NOTE_DRAFT);
  g_assert_cmpstr (note->attendees, ==, "Dr Ada Quell, Ada, her sister");
  g_assert_cmpstr (g_hash_table_lookup (note->sections, "intentions"), ==, "To feel safe with what comes up.");
}

/* Text kept under a section the template no longer has is shown under its
 * id, and kept when the draft is saved again. */
static gpointer
old_section_job (CairnVault    *vault,
                 gpointer       data,
                 GCancellable  *cancellable,
                 GError       **error)
{
  g_autofree char *me = cairn_vault_get_user_id (vault);
  g_autoptr(GHashTable) sections = g_hash_table_new (g_str_hash, g_str_equal);

  g_hash_table_insert (sections, "old-heading", "Written under an older template.");
  return cairn_notes_save_draft (cairn_vault_get_clinical (vault), seed.patient, seed.preparation, "preparation",
                                 NULL, sections, me, NULL, error) ? GINT_TO_POINTER (TRUE) : NULL;
}

static void
test_old_section_kept (void)
{
  CairnNotesPage *page = open_page ();
  CairnNoteEditor *editor = cairn_notes_page_get_editor (page);
  CairnVault *vault = cairn_application_get_vault (cairn_test_get_application ());
  g_autoptr(GPtrArray) views = NULL;
  g_autoptr(CairnNote) note = NULL;
  CairnPatient *p = patient ();

  g_assert_nonnull (cairn_test_run_job (vault, old_section_job, NULL));
  cairn_notes_page_load (page, p);
  cairn_patient_free (p);
  wait_settled (page);
  g_assert_cmpstr (row_state (GTK_WIDGET (page), "Preparation"), ==, "Draft");

  open_session (page, "Preparation");
  cairn_test_wait_for_text (GTK_WIDGET (page), "old-heading");
  views = section_views (editor);
  {
    GtkWidget *last = g_ptr_array_index (views, views->len - 1);
    GtkTextBuffer *buffer = gtk_text_view_get_buffer (GTK_TEXT_VIEW (last));
    GtkTextIter start, end;
    g_autofree char *text = NULL;

    gtk_text_buffer_get_bounds (buffer, &start, &end);
    text = gtk_text_buffer_get_text (buffer, &start, &end, FALSE);
    g_assert_cmpstr (text, ==, "Written under an older template.");
  }
  type_into (g_ptr_array_index (views, 0), "New intentions.");
  wait_saved (editor);
  note = vault_note (seed.preparation);
  g_assert_cmpstr (g_hash_table_lookup (note->sections, "old-heading"), ==, "Written under an older template.");
  g_assert_cmpstr (g_hash_table_lookup (note->sections, "intentions"), ==, "New intentions.");
}

/* ------------------------------------------------------------------------ */
/* Phone check-ins                                                           */

static gboolean
check_in_dialog_shown (gpointer user_data)
{
  return cairn_test_find_toplevel (CAIRN_TYPE_PHONE_CHECK_IN_DIALOG) != NULL;
}

static gboolean
check_in_dialog_gone (gpointer user_data)
{
  return cairn_test_find_toplevel (CAIRN_TYPE_PHONE_CHECK_IN_DIALOG) == NULL;
}

static GtkWidget *
open_call (CairnNotesPage *page,
           const char     *title)
{
  g_signal_emit_by_name (cairn_test_find_row (GTK_WIDGET (page), title), "activate");
  g_assert_true (cairn_test_wait_until (check_in_dialog_shown, NULL, 5000));
  return GTK_WIDGET (cairn_test_find_toplevel (CAIRN_TYPE_PHONE_CHECK_IN_DIALOG));
}

static void
test_phone_check_ins (void)
{
  CairnNotesPage *page = open_page ();
  GtkWidget *dialog;
  GtkWidget *reached;
  g_autofree char *rows = NULL;

  /* Grouped under the medicine session they follow; one overdue, one to come. */
  g_assert_nonnull (cairn_test_find_text (GTK_WIDGET (page), "After the Medicine session"));
  g_assert_nonnull (cairn_test_find_text (GTK_WIDGET (page), "Mon 1 Dec 2025, 09:00"));
  g_assert_cmpstr (row_state (GTK_WIDGET (page), "Tue 2 Dec 2025, 10:00"), ==, "Overdue");
  g_assert_cmpstr (row_state (GTK_WIDGET (page), "Wed 3 Dec 2025, 10:00"), ==, "Overdue");
  g_assert_cmpstr (row_state (GTK_WIDGET (page), "Thu 11 Dec 2025, 10:00"), ==, "Not recorded yet");

  dialog = open_call (page, "Tue 2 Dec 2025, 10:00");
  /* Put at the booked time, which has passed. */
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (cairn_test_find_row (dialog, "Date of call (YYYY-MM-DD)"))),
                   ==, "2025-12-02");
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (cairn_test_find_row (dialog, "Time of call (HH:MM)"))),
                   ==, "10:00");

  /* Bad input: not reached and no follow-up; a call in the future; a date
   * that is none. Each said at its field; the dialog stays; nothing saved. */
  reached = cairn_test_find_descendant (dialog, GTK_TYPE_SWITCH, NULL);
  gtk_switch_set_active (GTK_SWITCH (reached), FALSE);
  cairn_test_type (dialog, "Date of call (YYYY-MM-DD)", "2099-01-01");
  cairn_test_click (dialog, "Save");
  cairn_test_wait_for_text (dialog, "The call cannot be in the future.");
  g_assert_nonnull (cairn_test_find_text (dialog, "The patient was not reached"));
  cairn_test_type (dialog, "Date of call (YYYY-MM-DD)", "2025-13-45");
  cairn_test_click (dialog, "Save");
  cairn_test_wait_for_text (dialog, "Write the date as year-month-day");
  wait_worker ();
  g_assert_null (cairn_test_find_text (dialog, "The call cannot be in the future."));
  g_assert_cmpstr (cairn_phone_check_in_dialog_get_state (CAIRN_PHONE_CHECK_IN_DIALOG (dialog)), ==, "ready");
  g_assert_nonnull (cairn_test_find_toplevel (CAIRN_TYPE_PHONE_CHECK_IN_DIALOG));
  rows = clinical_text ("SELECT count(*) FROM phone_check_ins");
  g_assert_cmpstr (rows, ==, "0");
  g_assert_cmpuint (audit_count ("phone-check-in.record"), ==, 0);

  /* Put right: recorded, the dialog closes, the list says so. */
  cairn_test_type (dialog, "Date of call (YYYY-MM-DD)", "2025-12-02");
  cairn_test_type (dialog, "Time of call (HH:MM)", "10:20");
  cairn_test_type (dialog, "Follow-up action (required)", "Call again in the evening.");
  cairn_test_click (dialog, "Save");
  g_assert_true (cairn_test_wait_until (check_in_dialog_gone, NULL, 5000));
  wait_settled (page);
  g_assert_cmpstr (row_state (GTK_WIDGET (page), "Tue 2 Dec 2025, 10:00"), ==, "Not reached");
  g_assert_nonnull (cairn_test_find_text (GTK_WIDGET (page), "Follow-up: Call again in the evening."));
  g_assert_cmpuint (audit_count ("phone-check-in.record"), ==, 1);

  /* Recorded again: the form shows what was recorded; the same record
   * changes, audited as a change. */
  dialog = open_call (page, "Tue 2 Dec 2025, 10:00");
  reached = cairn_test_find_descendant (dialog, GTK_TYPE_SWITCH, NULL);
  g_assert_false (gtk_switch_get_active (GTK_SWITCH (reached)));
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (cairn_test_find_row (dialog, "Time of call (HH:MM)"))),
                   ==, "10:20");
  gtk_switch_set_active (GTK_SWITCH (reached), TRUE);
  cairn_test_type (dialog, "Note", "Reached at 19:00: slept badly, feels OK.");
  cairn_test_click (dialog, "Save");
  g_assert_true (cairn_test_wait_until (check_in_dialog_gone, NULL, 5000));
  wait_settled (page);
  g_assert_cmpstr (row_state (GTK_WIDGET (page), "Tue 2 Dec 2025, 10:00"), ==, "Reached");
  g_assert_cmpstr (row_state (GTK_WIDGET (page), "Wed 3 Dec 2025, 10:00"), ==, "Overdue");
  g_clear_pointer (&rows, g_free);
  rows = clinical_text ("SELECT count(*) || ' ' || sum(reached) FROM phone_check_ins");
  g_assert_cmpstr (rows, ==, "1 1");
  g_assert_cmpuint (audit_count ("phone-check-in.update"), ==, 1);
}

int
main (int   argc,
      char *argv[])
{
  int status;

  cairn_test_init_gtk (&argc, &argv);

  g_test_add_func ("/notes-page/list", test_list);
  g_test_add_func ("/notes-page/write-sign-addendum", test_write_sign_addendum);
  g_test_add_func ("/notes-page/draft-saved-on-lock", test_draft_saved_on_lock);
  g_test_add_func ("/notes-page/old-section-kept", test_old_section_kept);
  g_test_add_func ("/notes-page/phone-check-ins", test_phone_check_ins);

  status = cairn_test_run ();
  seed_clear ();
  return status;
}
