/* cairn-note-editor.c
 *
 * One session note: the appointment's date and length, who attended, and
 * one text per section of the protocol template, each with its hint while
 * empty. A draft saves itself a second after typing stops, and at once
 * when it is left (cairn_note_editor_flush()). Signing asks first, and
 * says at the section what is missing; a signed note is shown read-only
 * with who signed it, its addenda, and a way to add one.
 *
 * Saving when Cairn locks: the application lets the windows forget what
 * they show before it locks the vault, and the vault finishes the work
 * already queued before it closes. Flushing on clear queues the last
 * draft while the vault is still open, so nothing typed is lost; should
 * the vault already be locked, at most the last second of typing (the
 * autosave delay) is lost.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "cairn-notes"

#include "config.h"

#include <glib/gi18n.h>

#include "cairn-context.h"
#include "cairn-note-editor.h"
#include "cairn-notes-screen.h"
#include "cairn-runner.h"

typedef struct
{
  char          *id;
  gboolean       required;
  GtkTextBuffer *buffer;
  GtkWidget     *view;
  GtkWidget     *hint;
  GtkWidget     *problem;
} Section;

struct _CairnNoteEditor
{
  GtkWidget           parent_instance;

  CairnContext       *context;
  CairnVault         *vault;
  CairnProtocol      *protocol;
  GTimeZone          *zone;
  GHashTable         *user_names;
  char               *patient_id;
  char               *default_attendees;
  CairnAppointment   *appointment;
  CairnNote          *note;          /* as last saved; NULL before the first save */
  GPtrArray          *sections;      /* Section, on screen */
  GPtrArray          *template_sections; /* const CairnNoteSection *, the protocol's */
  gboolean            filling;
  gboolean            dirty;
  guint               save_id;
  guint               writes;
  CairnRunner        *runner;
  AdwMessageDialog   *dialog;

  /* Template widgets */
  GtkButton          *addendum_button;
  AdwPreferencesGroup *addenda_group;
  GtkListBox         *addenda_list;
  AdwEntryRow        *attendees_row;
  AdwActionRow       *attendees_signed_row;
  GtkWidget          *content;
  AdwActionRow       *date_row;
  GtkLabel           *error_label;
  AdwActionRow       *length_row;
  GtkButton          *sign_button;
  GtkBox             *sections_box;
  GtkLabel           *state_label;
  GtkLabel           *title_label;
};

G_DEFINE_FINAL_TYPE (CairnNoteEditor, cairn_note_editor, GTK_TYPE_WIDGET)

enum
{
  BACK,
  NOTE_CHANGED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

enum {
  PROP_0,
  PROP_CONTEXT,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
section_free (Section *section)
{
  g_free (section->id);
  g_free (section);
}

static gboolean
is_signed (CairnNoteEditor *self)
{
  return self->note != NULL && self->note->state == CAIRN_NOTE_SIGNED;
}

static char *
format_local (CairnNoteEditor *self,
              GDateTime       *time)
{
  g_autoptr(GDateTime) local = g_date_time_to_timezone (time, self->zone);

  /* TRANSLATORS: a date and time, as in "Tue 3 Nov 2026, 14:02" (strftime) */
  return g_date_time_format (local, _("%a %-d %b %Y, %H:%M"));
}

static char *
format_timestamp (CairnNoteEditor *self,
                  const char      *timestamp)
{
  g_autoptr(GDateTime) time = timestamp != NULL ? g_date_time_new_from_iso8601 (timestamp, NULL) : NULL;

  return time != NULL ? format_local (self, time) : g_strdup ("");
}

static const char *
user_name (CairnNoteEditor *self,
           const char      *user_id)
{
  const char *name = self->user_names != NULL && user_id != NULL
                     ? g_hash_table_lookup (self->user_names, user_id) : NULL;

  return name != NULL ? name : _("a former user");
}

static void
show_problem (GtkWidget  *label,
              const char *text)
{
  gtk_label_set_text (GTK_LABEL (label), text != NULL ? text : "");
  gtk_widget_set_visible (label, text != NULL && *text != '\0');
}

static void
clear_problems (CairnNoteEditor *self)
{
  for (guint i = 0; self->sections != NULL && i < self->sections->len; i++)
    show_problem (((Section *) g_ptr_array_index (self->sections, i))->problem, NULL);
  show_problem (GTK_WIDGET (self->error_label), NULL);
}

static char *
buffer_text (GtkTextBuffer *buffer)
{
  GtkTextIter start, end;

  gtk_text_buffer_get_bounds (buffer, &start, &end);
  return gtk_text_buffer_get_text (buffer, &start, &end, FALSE);
}

/* The texts on screen, by section id. */
static GHashTable *
collect_sections (CairnNoteEditor *self)
{
  GHashTable *texts = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);

  for (guint i = 0; self->sections != NULL && i < self->sections->len; i++)
    {
      Section *section = g_ptr_array_index (self->sections, i);

      if (section->buffer != NULL)
        g_hash_table_insert (texts, g_strdup (section->id), buffer_text (section->buffer));
    }
  return texts;
}

static void
set_state_text (CairnNoteEditor *self,
                const char      *text)
{
  gtk_label_set_text (self->state_label, text);
}

static void
sync_state (CairnNoteEditor *self)
{
  gboolean locked = is_signed (self);

  gtk_widget_set_visible (GTK_WIDGET (self->sign_button), !locked);
  gtk_widget_set_visible (GTK_WIDGET (self->addendum_button), locked);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "editor.sign", !locked && self->vault != NULL);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "editor.add-addendum", locked && self->vault != NULL);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "editor.save", !locked && self->vault != NULL);
  gtk_widget_set_visible (GTK_WIDGET (self->attendees_row), !locked);
  gtk_widget_set_visible (GTK_WIDGET (self->attendees_signed_row), locked);

  if (locked)
    {
      g_autofree char *when = format_timestamp (self, self->note->signed_at);
      g_autofree char *text = g_strdup_printf (_("Signed by %s on %s"), user_name (self, self->note->signed_by),
                                               when);

      set_state_text (self, text);
    }
}

static void
sync_hint (Section *section)
{
  gtk_widget_set_visible (section->hint, gtk_text_buffer_get_char_count (section->buffer) == 0);
}

/* ------------------------------------------------------------------------ */
/* Saving                                                                    */

/* Shows the problems that stand in the way of signing, at their sections;
 * TRUE when there were any. */
static gboolean
show_sign_problems (CairnNoteEditor *self)
{
  g_autoptr(GHashTable) texts = collect_sections (self);
  g_autoptr(GPtrArray) problems = cairn_note_check_signable (texts, self->template_sections);
  gboolean focused = FALSE;

  clear_problems (self);
  for (guint p = 0; p < problems->len; p++)
    {
      CairnNoteProblem *problem = g_ptr_array_index (problems, p);

      for (guint i = 0; i < self->sections->len; i++)
        {
          Section *section = g_ptr_array_index (self->sections, i);

          if (g_strcmp0 (section->id, problem->field) != 0)
            continue;
          show_problem (section->problem, problem->message);
          if (!focused && section->view != NULL)
            {
              gtk_widget_grab_focus (section->view);
              focused = TRUE;
            }
        }
    }
  return problems->len > 0;
}

static void
render (CairnNoteEditor *self);

static void
save_done_cb (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  CairnNoteEditor *self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(CairnNoteSaved) data = cairn_notes_save_finish (CAIRN_VAULT (source), result, &error);

  self->writes--;

  if (data == NULL)
    {
      g_autofree char *text = NULL;

      if (g_error_matches (error, CAIRN_NOTES_ERROR, CAIRN_NOTES_ERROR_INVALID) && show_sign_problems (self))
        {
          set_state_text (self, _("Draft saved"));
          return;
        }
      text = g_strdup_printf (_("The note could not be saved: %s"), error->message);
      show_problem (GTK_WIDGET (self->error_label), text);
      set_state_text (self, _("Not saved"));
      /* Try again with the next change, or when the note is left. */
      self->dirty = TRUE;
      return;
    }

  show_problem (GTK_WIDGET (self->error_label), NULL);
  if (data->note != NULL)
    {
      /* Signed, or an addendum added: show the note as the vault has it. */
      g_clear_pointer (&self->note, cairn_note_free);
      self->note = g_steal_pointer (&data->note);
      render (self);
    }
  else
    {
      g_autoptr(GDateTime) now = g_date_time_new_now (self->zone);
      g_autofree char *time = g_date_time_format (now, "%H:%M");
      /* TRANSLATORS: %s is a time of day, as in "Draft saved 14:02" */
      g_autofree char *text = g_strdup_printf (_("Draft saved %s"), time);
      GHashTableIter iter;
      gpointer key, value;

      if (self->note == NULL)
        {
          self->note = cairn_note_new ();
          self->note->id = g_strdup (data->note_id);
          self->note->patient_id = g_strdup (data->patient_id);
          self->note->appointment_id = g_strdup (data->appointment_id);
          self->note->type_id = g_strdup (data->type_id);
        }
      g_free (self->note->attendees);
      self->note->attendees = g_strdup (data->attendees);
      g_hash_table_iter_init (&iter, data->sections);
      while (g_hash_table_iter_next (&iter, &key, &value))
        g_hash_table_insert (self->note->sections, g_strdup (key), g_strdup (value));
      if (!self->dirty)
        set_state_text (self, text);
    }
  sync_state (self);
  g_signal_emit (self, signals[NOTE_CHANGED], 0, self->note);
}

/* Saves the draft, signing it when asked. The note may be left meanwhile:
 * the save goes on (it has no cancellable), only its answer is dropped. */
static void
save_draft (CairnNoteEditor *self,
            gboolean         sign)
{
  g_autoptr(GHashTable) sections = collect_sections (self);
  const char *type_id = self->note != NULL ? self->note->type_id : self->appointment->type_id;

  self->writes++;
  cairn_notes_save_async (self->vault, self->patient_id, self->appointment->id, type_id,
                          gtk_editable_get_text (GTK_EDITABLE (self->attendees_row)), sections,
                          sign ? self->protocol : NULL, NULL, cairn_runner_answered,
                          cairn_runner_track (self->runner, save_done_cb, self));
}

static gboolean
can_write (CairnNoteEditor *self)
{
  return self->vault != NULL && !cairn_vault_is_locked (self->vault) && self->appointment != NULL;
}

/* Saves the draft now, if it changed. */
static gboolean
save_now (CairnNoteEditor *self)
{
  g_clear_handle_id (&self->save_id, g_source_remove);
  if (!self->dirty || is_signed (self) || !can_write (self))
    return FALSE;
  self->dirty = FALSE;
  set_state_text (self, _("Saving…"));
  save_draft (self, FALSE);
  return TRUE;
}

static gboolean
save_timeout_cb (gpointer user_data)
{
  CairnNoteEditor *self = user_data;

  self->save_id = 0;
  save_now (self);
  return G_SOURCE_REMOVE;
}

static void
changed (CairnNoteEditor *self)
{
  if (self->filling || is_signed (self))
    return;
  self->dirty = TRUE;
  set_state_text (self, _("Draft not saved yet"));
  g_clear_handle_id (&self->save_id, g_source_remove);
  self->save_id = g_timeout_add (CAIRN_NOTE_EDITOR_AUTOSAVE_MS, save_timeout_cb, self);
}

static void
on_attendees_changed_cb (CairnNoteEditor *self)
{
  changed (self);
}

static void
on_buffer_changed_cb (GtkTextBuffer   *buffer,
                      CairnNoteEditor *self)
{
  for (guint i = 0; self->sections != NULL && i < self->sections->len; i++)
    {
      Section *section = g_ptr_array_index (self->sections, i);

      if (section->buffer == buffer)
        {
          sync_hint (section);
          show_problem (section->problem, NULL);
        }
    }
  changed (self);
}

static void
on_back_clicked_cb (CairnNoteEditor *self)
{
  g_signal_emit (self, signals[BACK], 0);
}

static void
save_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  CairnNoteEditor *self = CAIRN_NOTE_EDITOR (widget);

  /* Ctrl+S: saved at once, even what the autosave already had. */
  if (!is_signed (self) && self->note == NULL && !self->dirty)
    return;
  self->dirty = TRUE;
  save_now (self);
}

/* ------------------------------------------------------------------------ */
/* Signing and addenda                                                       */

static void
on_sign_response_cb (CairnNoteEditor  *self,
                     const char       *response,
                     AdwMessageDialog *dialog)
{
  if (self->dialog == dialog)
    self->dialog = NULL;
  if (!g_str_equal (response, "sign") || is_signed (self) || !can_write (self))
    return;
  g_clear_handle_id (&self->save_id, g_source_remove);
  self->dirty = FALSE;
  set_state_text (self, _("Signing…"));
  save_draft (self, TRUE);
}

static void
present_dialog (CairnNoteEditor  *self,
                AdwMessageDialog *dialog)
{
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));

  if (self->dialog != NULL)
    gtk_window_destroy (GTK_WINDOW (self->dialog));
  self->dialog = dialog;
  if (GTK_IS_WINDOW (root))
    gtk_window_set_transient_for (GTK_WINDOW (dialog), GTK_WINDOW (root));
  gtk_window_set_modal (GTK_WINDOW (dialog), TRUE);
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
sign_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  CairnNoteEditor *self = CAIRN_NOTE_EDITOR (widget);
  AdwMessageDialog *dialog;

  if (is_signed (self) || !can_write (self) || show_sign_problems (self))
    return;

  dialog = ADW_MESSAGE_DIALOG (adw_message_dialog_new (NULL, _("Sign Note?"),
                                                       _("A signed note cannot be changed. Anything to add "
                                                         "later is added as a dated, signed addendum.")));
  adw_message_dialog_add_responses (dialog, "cancel", _("_Cancel"), "sign", _("_Sign"), NULL);
  adw_message_dialog_set_response_appearance (dialog, "sign", ADW_RESPONSE_SUGGESTED);
  adw_message_dialog_set_default_response (dialog, "cancel");
  adw_message_dialog_set_close_response (dialog, "cancel");
  g_signal_connect_object (dialog, "response", G_CALLBACK (on_sign_response_cb), self, G_CONNECT_SWAPPED);
  present_dialog (self, dialog);
}

static void
on_addendum_text_changed_cb (GtkTextBuffer    *buffer,
                             AdwMessageDialog *dialog)
{
  g_autofree char *text = buffer_text (buffer);
  gboolean empty = *g_strstrip (text) == '\0';

  adw_message_dialog_set_response_enabled (dialog, "add", !empty);
  gtk_widget_set_visible (g_object_get_data (G_OBJECT (dialog), "empty-message"), empty);
}

static void
on_addendum_response_cb (CairnNoteEditor  *self,
                         const char       *response,
                         AdwMessageDialog *dialog)
{
  GtkTextBuffer *buffer = g_object_get_data (G_OBJECT (dialog), "buffer");
  g_autofree char *text = NULL;

  if (self->dialog == dialog)
    self->dialog = NULL;
  if (!g_str_equal (response, "add") || !is_signed (self) || !can_write (self))
    return;
  text = buffer_text (buffer);
  set_state_text (self, _("Adding the addendum…"));
  self->writes++;
  cairn_notes_add_addendum_async (self->vault, self->note->id, text, NULL, cairn_runner_answered,
                                  cairn_runner_track (self->runner, save_done_cb, self));
}

static void
add_addendum_action (GtkWidget  *widget,
                     const char *action_name,
                     GVariant   *parameter)
{
  CairnNoteEditor *self = CAIRN_NOTE_EDITOR (widget);
  AdwMessageDialog *dialog;
  GtkWidget *box, *frame, *view, *caption;
  GtkTextBuffer *buffer;

  if (!is_signed (self) || !can_write (self))
    return;

  dialog = ADW_MESSAGE_DIALOG (adw_message_dialog_new (NULL, _("Add Addendum"),
                                                       _("The addendum is dated now and signed by you. It "
                                                         "cannot be changed afterwards.")));
  box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 6);
  view = gtk_text_view_new ();
  buffer = gtk_text_view_get_buffer (GTK_TEXT_VIEW (view));
  gtk_text_view_set_wrap_mode (GTK_TEXT_VIEW (view), GTK_WRAP_WORD_CHAR);
  gtk_text_view_set_accepts_tab (GTK_TEXT_VIEW (view), FALSE);
  gtk_text_view_set_top_margin (GTK_TEXT_VIEW (view), 8);
  gtk_text_view_set_bottom_margin (GTK_TEXT_VIEW (view), 8);
  gtk_text_view_set_left_margin (GTK_TEXT_VIEW (view), 10);
  gtk_text_view_set_right_margin (GTK_TEXT_VIEW (view), 10);
  gtk_widget_set_size_request (view, -1, 120);
  gtk_accessible_update_property (GTK_ACCESSIBLE (view), GTK_ACCESSIBLE_PROPERTY_LABEL, _("Addendum"), -1);
  frame = gtk_frame_new (NULL);
  gtk_frame_set_child (GTK_FRAME (frame), view);
  caption = gtk_label_new (_("Write the addendum to add it."));
  gtk_label_set_wrap (GTK_LABEL (caption), TRUE);
  gtk_label_set_xalign (GTK_LABEL (caption), 0);
  gtk_widget_add_css_class (caption, "caption");
  gtk_widget_add_css_class (caption, "dim-label");
  gtk_box_append (GTK_BOX (box), frame);
  gtk_box_append (GTK_BOX (box), caption);
  adw_message_dialog_set_extra_child (dialog, box);

  adw_message_dialog_add_responses (dialog, "cancel", _("_Cancel"), "add", _("Sign and _Add"), NULL);
  adw_message_dialog_set_response_appearance (dialog, "add", ADW_RESPONSE_SUGGESTED);
  adw_message_dialog_set_response_enabled (dialog, "add", FALSE);
  adw_message_dialog_set_close_response (dialog, "cancel");
  g_object_set_data (G_OBJECT (dialog), "buffer", buffer);
  g_object_set_data (G_OBJECT (dialog), "empty-message", caption);
  g_signal_connect_object (buffer, "changed", G_CALLBACK (on_addendum_text_changed_cb), dialog, 0);
  g_signal_connect_object (dialog, "response", G_CALLBACK (on_addendum_response_cb), self, G_CONNECT_SWAPPED);
  present_dialog (self, dialog);
  gtk_widget_grab_focus (view);
}

/* ------------------------------------------------------------------------ */
/* Showing a note                                                            */

static void
clear_box (GtkWidget *box)
{
  GtkWidget *child;

  while ((child = gtk_widget_get_first_child (box)) != NULL)
    {
      if (GTK_IS_LIST_BOX (box))
        gtk_list_box_remove (GTK_LIST_BOX (box), child);
      else
        gtk_box_remove (GTK_BOX (box), child);
    }
}

static void
add_section (CairnNoteEditor *self,
             const char      *id,
             const char      *title,
             const char      *hint,
             gboolean         required,
             const char      *text,
             gboolean         locked)
{
  Section *section = g_new0 (Section, 1);
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 6);
  GtkWidget *heading = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 6);
  GtkWidget *label = gtk_label_new (title);
  GtkWidget *frame = gtk_frame_new (NULL);

  section->id = g_strdup (id);
  section->required = required;

  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_label_set_wrap (GTK_LABEL (label), TRUE);
  gtk_widget_add_css_class (label, "heading");
  gtk_box_append (GTK_BOX (heading), label);
  if (required)
    {
      GtkWidget *mark = gtk_label_new (_("Required"));

      gtk_widget_add_css_class (mark, "caption");
      gtk_widget_add_css_class (mark, "dim-label");
      gtk_box_append (GTK_BOX (heading), mark);
    }
  gtk_box_append (GTK_BOX (box), heading);

  if (locked)
    {
      /* Signed: the text as a label, which sizes itself to what it holds
       * and can still be selected and copied. */
      GtkWidget *label_text = gtk_label_new (text != NULL && *text != '\0' ? text : _("Nothing written."));

      gtk_label_set_wrap (GTK_LABEL (label_text), TRUE);
      gtk_label_set_wrap_mode (GTK_LABEL (label_text), PANGO_WRAP_WORD_CHAR);
      gtk_label_set_xalign (GTK_LABEL (label_text), 0);
      gtk_label_set_selectable (GTK_LABEL (label_text), TRUE);
      gtk_widget_set_margin_top (label_text, 10);
      gtk_widget_set_margin_bottom (label_text, 10);
      gtk_widget_set_margin_start (label_text, 12);
      gtk_widget_set_margin_end (label_text, 12);
      if (text == NULL || *text == '\0')
        gtk_widget_add_css_class (label_text, "dim-label");
      gtk_frame_set_child (GTK_FRAME (frame), label_text);
      gtk_box_append (GTK_BOX (box), frame);
    }
  else
    {
      GtkWidget *overlay = gtk_overlay_new ();

      section->view = gtk_text_view_new ();
      section->buffer = gtk_text_view_get_buffer (GTK_TEXT_VIEW (section->view));
      gtk_text_view_set_wrap_mode (GTK_TEXT_VIEW (section->view), GTK_WRAP_WORD_CHAR);
      gtk_text_view_set_accepts_tab (GTK_TEXT_VIEW (section->view), FALSE);
      gtk_text_view_set_top_margin (GTK_TEXT_VIEW (section->view), 10);
      gtk_text_view_set_bottom_margin (GTK_TEXT_VIEW (section->view), 10);
      gtk_text_view_set_left_margin (GTK_TEXT_VIEW (section->view), 12);
      gtk_text_view_set_right_margin (GTK_TEXT_VIEW (section->view), 12);
      gtk_widget_set_size_request (section->view, -1, 96);
      gtk_accessible_update_property (GTK_ACCESSIBLE (section->view), GTK_ACCESSIBLE_PROPERTY_LABEL, title, -1);
      if (hint != NULL)
        gtk_accessible_update_property (GTK_ACCESSIBLE (section->view), GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, hint,
                                        -1);
      gtk_text_buffer_set_text (section->buffer, text != NULL ? text : "", -1);
      gtk_overlay_set_child (GTK_OVERLAY (overlay), section->view);

      /* GtkTextView has no placeholder: the hint lies over it while empty. */
      section->hint = gtk_label_new (hint != NULL ? hint : "");
      gtk_label_set_wrap (GTK_LABEL (section->hint), TRUE);
      gtk_label_set_wrap_mode (GTK_LABEL (section->hint), PANGO_WRAP_WORD_CHAR);
      gtk_label_set_xalign (GTK_LABEL (section->hint), 0);
      gtk_widget_set_valign (section->hint, GTK_ALIGN_START);
      gtk_widget_set_margin_top (section->hint, 10);
      gtk_widget_set_margin_start (section->hint, 12);
      gtk_widget_set_margin_end (section->hint, 12);
      gtk_widget_set_can_target (section->hint, FALSE);
      gtk_widget_add_css_class (section->hint, "dim-label");
      gtk_overlay_add_overlay (GTK_OVERLAY (overlay), section->hint);
      gtk_frame_set_child (GTK_FRAME (frame), overlay);
      gtk_box_append (GTK_BOX (box), frame);
      g_signal_connect_object (section->buffer, "changed", G_CALLBACK (on_buffer_changed_cb), self, 0);
      sync_hint (section);
    }

  section->problem = gtk_label_new (NULL);
  gtk_label_set_xalign (GTK_LABEL (section->problem), 0);
  gtk_label_set_wrap (GTK_LABEL (section->problem), TRUE);
  gtk_widget_add_css_class (section->problem, "error");
  gtk_widget_add_css_class (section->problem, "caption");
  gtk_widget_set_visible (section->problem, FALSE);
  gtk_box_append (GTK_BOX (box), section->problem);

  g_ptr_array_add (self->sections, section);
  gtk_box_append (self->sections_box, box);
}

static GtkWidget *
addendum_row (CairnNoteEditor         *self,
              const CairnNoteAddendum *addendum)
{
  GtkWidget *row = gtk_list_box_row_new ();
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 6);
  GtkWidget *text = gtk_label_new (addendum->text);
  g_autofree char *when = format_timestamp (self, addendum->created_at);
  /* TRANSLATORS: under an addendum: "Added and signed by Dr Ada Quell on Tue 3 Nov 2026, 14:02" */
  g_autofree char *by = g_strdup_printf (_("Added and signed by %s on %s"),
                                         user_name (self, addendum->signed_by), when);
  GtkWidget *caption = gtk_label_new (by);

  gtk_label_set_wrap (GTK_LABEL (text), TRUE);
  gtk_label_set_wrap_mode (GTK_LABEL (text), PANGO_WRAP_WORD_CHAR);
  gtk_label_set_xalign (GTK_LABEL (text), 0);
  gtk_label_set_selectable (GTK_LABEL (text), TRUE);
  gtk_label_set_wrap (GTK_LABEL (caption), TRUE);
  gtk_label_set_xalign (GTK_LABEL (caption), 0);
  gtk_widget_add_css_class (caption, "caption");
  gtk_widget_add_css_class (caption, "dim-label");
  gtk_box_append (GTK_BOX (box), text);
  gtk_box_append (GTK_BOX (box), caption);
  gtk_widget_set_margin_top (box, 12);
  gtk_widget_set_margin_bottom (box, 12);
  gtk_widget_set_margin_start (box, 12);
  gtk_widget_set_margin_end (box, 12);
  gtk_list_box_row_set_child (GTK_LIST_BOX_ROW (row), box);
  gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (row), FALSE);
  return row;
}

static void
render (CairnNoteEditor *self)
{
  gboolean locked = is_signed (self);
  GHashTable *texts = self->note != NULL ? self->note->sections : NULL;
  g_autoptr(GPtrArray) extra = NULL;
  const CairnAppointmentType *type;
  g_autoptr(GDateTime) start = NULL;
  g_autofree char *when = NULL;
  g_autofree char *length = NULL;
  const char *type_id;
  guint minutes;

  self->filling = TRUE;
  g_clear_pointer (&self->sections, g_ptr_array_unref);
  self->sections = g_ptr_array_new_with_free_func ((GDestroyNotify) section_free);
  clear_box (GTK_WIDGET (self->sections_box));
  clear_box (GTK_WIDGET (self->addenda_list));
  clear_problems (self);

  type_id = self->note != NULL ? self->note->type_id : self->appointment->type_id;
  type = cairn_protocol_find_type (self->protocol, type_id);
  gtk_label_set_text (self->title_label, type != NULL ? type->name : type_id);

  start = g_date_time_new_from_unix_utc (self->appointment->start);
  when = format_local (self, start);
  adw_action_row_set_subtitle (self->date_row, when);
  minutes = (guint) MAX (0, (self->appointment->end - self->appointment->start) / 60);
  length = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u minute", "%u minutes", minutes), minutes);
  adw_action_row_set_subtitle (self->length_row, length);

  self->template_sections = cairn_protocol_get_note_sections (self->protocol, type_id);
  if (self->template_sections->len == 0)
    add_section (self, CAIRN_NOTE_FREE_TEXT_SECTION, _("Note"), _("What happened in the session, and what comes next."),
                 FALSE, texts != NULL ? g_hash_table_lookup (texts, CAIRN_NOTE_FREE_TEXT_SECTION) : NULL, locked);
  for (guint i = 0; i < self->template_sections->len; i++)
    {
      const CairnNoteSection *s = g_ptr_array_index (self->template_sections, i);

      add_section (self, s->id, s->title, s->hint, s->required,
                   texts != NULL ? g_hash_table_lookup (texts, s->id) : NULL, locked);
    }

  /* Text kept under a section the template no longer has: shown under its
   * id, never dropped. Sorted, so it always comes in the same order. */
  if (texts != NULL)
    {
      g_autoptr(GList) keys = g_list_sort (g_hash_table_get_keys (texts), (GCompareFunc) g_strcmp0);

      for (GList *l = keys; l != NULL; l = l->next)
        {
          const char *id = l->data;
          gboolean known = self->template_sections->len == 0 && g_str_equal (id, CAIRN_NOTE_FREE_TEXT_SECTION);
          const char *text = g_hash_table_lookup (texts, id);

          for (guint i = 0; !known && i < self->template_sections->len; i++)
            known = g_str_equal (((const CairnNoteSection *) g_ptr_array_index (self->template_sections, i))->id, id);
          if (known || (text == NULL || *text == '\0'))
            continue;
          add_section (self, id, id, _("This section is no longer in the protocol template; its text is kept."),
                       FALSE, text, locked);
        }
    }

  /* A new note starts with who was booked: the staff and the patient. */
  gtk_editable_set_text (GTK_EDITABLE (self->attendees_row),
                         self->note != NULL ? (self->note->attendees != NULL ? self->note->attendees : "")
                                            : (self->default_attendees != NULL ? self->default_attendees : ""));

  adw_action_row_set_subtitle (self->attendees_signed_row,
                               self->note != NULL && self->note->attendees != NULL ? self->note->attendees : "");
  if (locked)
    for (guint i = 0; i < self->note->addenda->len; i++)
      gtk_list_box_append (self->addenda_list, addendum_row (self, g_ptr_array_index (self->note->addenda, i)));
  gtk_widget_set_visible (GTK_WIDGET (self->addenda_group), locked && self->note->addenda->len > 0);

  if (!locked)
    set_state_text (self, self->note != NULL ? _("Draft") : _("No note yet"));
  sync_state (self);
  self->filling = FALSE;
}

/* ------------------------------------------------------------------------ */
/* The widget                                                                */

static void
cairn_note_editor_dispose (GObject *object)
{
  CairnNoteEditor *self = CAIRN_NOTE_EDITOR (object);

  cairn_note_editor_clear (self);
  g_clear_object (&self->runner);
  gtk_widget_dispose_template (GTK_WIDGET (self), CAIRN_TYPE_NOTE_EDITOR);
  g_clear_object (&self->context);

  G_OBJECT_CLASS (cairn_note_editor_parent_class)->dispose (object);
}

static void
cairn_note_editor_set_property (GObject      *object,
                                guint         prop_id,
                                const GValue *value,
                                GParamSpec   *pspec)
{
  CairnNoteEditor *self = CAIRN_NOTE_EDITOR (object);

  switch (prop_id)
    {
    case PROP_CONTEXT:
      self->context = g_value_dup_object (value);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
cairn_note_editor_class_init (CairnNoteEditorClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->set_property = cairn_note_editor_set_property;

  /**
   * CairnNoteEditor:context:
   *
   * What the editor works in: the unlocked vault, which it holds from when
   * a note is opened until cleared, the protocol template (the note's
   * sections and type names) and the practice's zone.
   */
  properties[PROP_CONTEXT] =
    g_param_spec_object ("context", NULL, NULL, CAIRN_TYPE_CONTEXT,
                         G_PARAM_WRITABLE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  object_class->dispose = cairn_note_editor_dispose;

  /**
   * CairnNoteEditor::back:
   *
   * The person asked to go back to the list of notes.
   */
  signals[BACK] = g_signal_new ("back", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                                G_TYPE_NONE, 0);
  /**
   * CairnNoteEditor::note-changed:
   * @note: (type gpointer): the note as the vault now has it
   *
   * A draft was saved, the note signed, or an addendum added.
   */
  signals[NOTE_CHANGED] = g_signal_new ("note-changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                                        NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_POINTER);

  gtk_widget_class_set_template_from_resource (widget_class, RESOURCE_BASE_PATH "/notes/cairn-note-editor.ui");
  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_bind_template_child (widget_class, CairnNoteEditor, addenda_group);
  gtk_widget_class_bind_template_child (widget_class, CairnNoteEditor, addenda_list);
  gtk_widget_class_bind_template_child (widget_class, CairnNoteEditor, addendum_button);
  gtk_widget_class_bind_template_child (widget_class, CairnNoteEditor, attendees_row);
  gtk_widget_class_bind_template_child (widget_class, CairnNoteEditor, attendees_signed_row);
  gtk_widget_class_bind_template_child (widget_class, CairnNoteEditor, content);
  gtk_widget_class_bind_template_child (widget_class, CairnNoteEditor, date_row);
  gtk_widget_class_bind_template_child (widget_class, CairnNoteEditor, error_label);
  gtk_widget_class_bind_template_child (widget_class, CairnNoteEditor, length_row);
  gtk_widget_class_bind_template_child (widget_class, CairnNoteEditor, sections_box);
  gtk_widget_class_bind_template_child (widget_class, CairnNoteEditor, sign_button);
  gtk_widget_class_bind_template_child (widget_class, CairnNoteEditor, state_label);
  gtk_widget_class_bind_template_child (widget_class, CairnNoteEditor, title_label);
  gtk_widget_class_bind_template_callback (widget_class, on_attendees_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_back_clicked_cb);

  gtk_widget_class_install_action (widget_class, "editor.save", NULL, save_action);
  gtk_widget_class_install_action (widget_class, "editor.sign", NULL, sign_action);
  gtk_widget_class_install_action (widget_class, "editor.add-addendum", NULL, add_addendum_action);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_s, GDK_CONTROL_MASK, "editor.save", NULL);
}

static void
cairn_note_editor_init (CairnNoteEditor *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  self->runner = cairn_runner_new ();
  sync_state (self);
}

/**
 * cairn_note_editor_new:
 * @context: the context whose vault, protocol template and zone the editor
 *   works in
 *
 * Returns: (transfer floating): an empty editor
 */
GtkWidget *
cairn_note_editor_new (CairnContext *context)
{
  g_return_val_if_fail (CAIRN_IS_CONTEXT (context), NULL);

  return g_object_new (CAIRN_TYPE_NOTE_EDITOR, "context", context, NULL);
}

/**
 * cairn_note_editor_open:
 * @self: the editor
 * @user_names: (element-type utf8 utf8): user id → name, for who signed
 * @patient_id: whose note
 * @attendees: who attends by default: the appointment's staff and the patient
 * @appointment: the appointment the note is about
 * @note: (nullable): its note, or %NULL when it has none yet
 *
 * Shows the note, in the context's vault (held until cleared), protocol
 * template and zone. The one shown before is saved first, if it changed.
 */
void
cairn_note_editor_open (CairnNoteEditor        *self,
                        GHashTable             *user_names,
                        const char             *patient_id,
                        const char             *attendees,
                        const CairnAppointment *appointment,
                        const CairnNote        *note)
{
  g_return_if_fail (CAIRN_IS_NOTE_EDITOR (self));
  g_return_if_fail (cairn_context_is_unlocked (self->context));
  g_return_if_fail (patient_id != NULL && appointment != NULL);

  cairn_note_editor_clear (self);
  /* Made by a screen of an unlocked vault; a dialog left over writes nothing. */
  g_set_object (&self->vault, cairn_context_get_vault (self->context));
  self->protocol = cairn_protocol_ref (cairn_context_get_protocol (self->context));
  self->zone = g_time_zone_ref (cairn_context_get_time_zone (self->context));
  self->user_names = user_names != NULL ? g_hash_table_ref (user_names) : NULL;
  self->patient_id = g_strdup (patient_id);
  self->appointment = cairn_appointment_copy (appointment);
  self->note = note != NULL ? cairn_note_copy (note) : NULL;
  self->default_attendees = g_strdup (attendees);
  render (self);
}

/**
 * cairn_note_editor_flush:
 * @self: the editor
 *
 * Saves a draft that changed since it was last saved, now rather than
 * after the autosave delay: call it before the note is left.
 *
 * Returns: whether a save was started
 */
gboolean
cairn_note_editor_flush (CairnNoteEditor *self)
{
  g_return_val_if_fail (CAIRN_IS_NOTE_EDITOR (self), FALSE);

  return save_now (self);
}

/**
 * cairn_note_editor_clear:
 * @self: the editor
 *
 * Saves what changed (cairn_note_editor_flush()), then forgets the note and
 * drops the vault. A save under way finishes; its result is not shown.
 */
void
cairn_note_editor_clear (CairnNoteEditor *self)
{
  g_return_if_fail (CAIRN_IS_NOTE_EDITOR (self));

  save_now (self);
  g_clear_handle_id (&self->save_id, g_source_remove);
  /* What was asked is saved; its answer is not shown. */
  if (self->runner != NULL)
    cairn_runner_cancel (self->runner);
  self->writes = 0;
  self->dirty = FALSE;
  if (self->dialog != NULL)
    gtk_window_destroy (GTK_WINDOW (g_steal_pointer (&self->dialog)));

  self->filling = TRUE;
  g_clear_pointer (&self->sections, g_ptr_array_unref);
  self->template_sections = NULL;
  if (self->sections_box != NULL)
    {
      clear_box (GTK_WIDGET (self->sections_box));
      clear_box (GTK_WIDGET (self->addenda_list));
      gtk_editable_set_text (GTK_EDITABLE (self->attendees_row), "");
      adw_action_row_set_subtitle (self->attendees_signed_row, "");
      gtk_label_set_text (self->title_label, "");
      gtk_label_set_text (self->state_label, "");
      adw_action_row_set_subtitle (self->date_row, "");
      adw_action_row_set_subtitle (self->length_row, "");
      show_problem (GTK_WIDGET (self->error_label), NULL);
    }
  self->filling = FALSE;

  g_clear_pointer (&self->note, cairn_note_free);
  g_clear_pointer (&self->appointment, cairn_appointment_free);
  g_clear_pointer (&self->patient_id, g_free);
  g_clear_pointer (&self->user_names, g_hash_table_unref);
  g_clear_pointer (&self->zone, g_time_zone_unref);
  g_clear_pointer (&self->protocol, cairn_protocol_unref);
  g_clear_object (&self->vault);
  g_clear_pointer (&self->default_attendees, g_free);
  if (self->sign_button != NULL)
    sync_state (self);
}

/**
 * cairn_note_editor_get_note:
 * @self: the editor
 *
 * Returns: (transfer none) (nullable): the note as last saved
 */
const CairnNote *
cairn_note_editor_get_note (CairnNoteEditor *self)
{
  g_return_val_if_fail (CAIRN_IS_NOTE_EDITOR (self), NULL);
  return self->note;
}

/* Whether a save is under way: for tests. */
gboolean
cairn_note_editor_get_busy (CairnNoteEditor *self)
{
  g_return_val_if_fail (CAIRN_IS_NOTE_EDITOR (self), FALSE);
  return self->writes > 0;
}

/* Whether there is typing not yet saved. */
gboolean
cairn_note_editor_get_dirty (CairnNoteEditor *self)
{
  g_return_val_if_fail (CAIRN_IS_NOTE_EDITOR (self), FALSE);
  return self->dirty || self->save_id != 0;
}
