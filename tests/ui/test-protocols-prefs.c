/* test-protocols-prefs.c
 *
 * Preferences → Protocols, driven as a person would: the templates listed
 * with the one in use; another chosen; the default duplicated, a count and
 * a note section edited in the editor, saved, read back through the core
 * and shown again when the editor is reopened; bad input refused at the
 * field with the words of the template's checks (an empty name, a count of
 * none, an empty note section, a name another template has) and nothing
 * stored; a template file imported, a bad one refused naming the field,
 * and one exported; and no Protocols page for the front desk.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gstdio.h>

#include "cairn-preferences-window.h"
#include "cairn-protocol-editor.h"
#include "cairn-protocols-page.h"
#include "cairn-protocols.h"
#include "cairn-test-utils.h"

#define MDMA     "MDMA-assisted therapy (MAPP-style)"
#define KETAMINE "Ketamine-assisted therapy (KAP-style)"
#define COPY     "Copy of MDMA-assisted therapy (MAPP-style)"

/* ------------------------------------------------------------------------ */
/* Finding and waiting                                                       */

static GtkWidget *
find_group (GtkWidget  *root,
            const char *title)
{
  if (ADW_IS_PREFERENCES_GROUP (root) &&
      g_strcmp0 (adw_preferences_group_get_title (ADW_PREFERENCES_GROUP (root)), title) == 0)
    return root;

  for (GtkWidget *child = gtk_widget_get_first_child (root); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = find_group (child, title);

      if (found != NULL)
        return found;
    }
  return NULL;
}

/* Any row titled @title under @root, shown or not. */
static GtkWidget *
find_any_row (GtkWidget  *root,
              const char *title)
{
  if (ADW_IS_PREFERENCES_ROW (root) &&
      g_strcmp0 (adw_preferences_row_get_title (ADW_PREFERENCES_ROW (root)), title) == 0)
    return root;

  for (GtkWidget *child = gtk_widget_get_first_child (root); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = find_any_row (child, title);

      if (found != NULL)
        return found;
    }
  return NULL;
}

static GtkWidget *
find_bin (GtkWidget *root)
{
  if (GTK_IS_BUTTON (root) &&
      g_strcmp0 (gtk_button_get_icon_name (GTK_BUTTON (root)), "user-trash-symbolic") == 0)
    return root;

  for (GtkWidget *child = gtk_widget_get_first_child (root); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = find_bin (child);

      if (found != NULL)
        return found;
    }
  return NULL;
}

typedef struct
{
  GtkWidget  *root;
  const char *text;
} Shown;

static gboolean
text_shown (gpointer user_data)
{
  Shown *shown = user_data;

  return cairn_test_find_text (shown->root, shown->text) != NULL;
}

static void
assert_text_soon (GtkWidget  *root,
                  const char *text)
{
  Shown shown = { root, text };

  if (!cairn_test_wait_until (text_shown, &shown, 5000))
    g_error ("“%s” never appeared", text);
}

static gboolean
row_there (gpointer user_data)
{
  Shown *shown = user_data;

  return find_any_row (shown->root, shown->text) != NULL;
}

static GtkWidget *
wait_for_row (GtkWidget  *root,
              const char *title)
{
  Shown shown = { root, title };

  if (!cairn_test_wait_until (row_there, &shown, 5000))
    g_error ("No row “%s” appeared", title);
  return find_any_row (root, title);
}

static gboolean
page_ready (gpointer user_data)
{
  return gtk_widget_get_mapped (user_data) && !cairn_protocols_page_get_busy (user_data);
}

static void
wait_page (GtkWidget *page)
{
  g_assert_true (cairn_test_wait_until (page_ready, page, 5000));
  cairn_test_iterate (20);
}

static CairnVault *
vault (void)
{
  return cairn_application_get_vault (cairn_test_get_application ());
}

/* Opens the preferences as @role; returns the Protocols page, shown and
 * done reading, or %NULL when there is none. */
static GtkWidget *
open_protocols (CairnRole   role,
                GtkWidget **preferences_out)
{
  CairnApplication *app = cairn_test_get_application ();
  GtkWindow *window;
  GtkWindow *preferences;
  GtkWidget *page;

  cairn_test_reset ();
  cairn_test_remove_vault ();
  cairn_test_unlock (role);
  g_application_activate (G_APPLICATION (app));
  window = gtk_application_get_active_window (GTK_APPLICATION (app));
  gtk_widget_activate_action (GTK_WIDGET (window), "app.preferences", NULL);
  cairn_test_iterate (50);

  preferences = cairn_test_find_toplevel (CAIRN_TYPE_PREFERENCES_WINDOW);
  g_assert_nonnull (preferences);
  *preferences_out = GTK_WIDGET (preferences);
  page = cairn_test_find_descendant (GTK_WIDGET (preferences), CAIRN_TYPE_PROTOCOLS_PAGE, NULL);
  if (page == NULL)
    return NULL;
  adw_preferences_window_set_visible_page_name (ADW_PREFERENCES_WINDOW (preferences), "protocols");
  wait_page (page);
  return page;
}

/* The template row called @name, opened to show its buttons. */
static GtkWidget *
template_row (GtkWidget  *page,
              const char *name)
{
  GtkWidget *row = wait_for_row (page, name);

  g_assert_true (ADW_IS_EXPANDER_ROW (row));
  adw_expander_row_set_expanded (ADW_EXPANDER_ROW (row), TRUE);
  cairn_test_iterate (20);
  return row;
}

static gboolean
subtitle_starts (gpointer user_data)
{
  Shown *shown = user_data;
  GtkWidget *row = find_any_row (shown->root, g_object_get_data (G_OBJECT (shown->root),
                                                                 "cairn-test-row"));

  return row != NULL &&
         g_str_has_prefix (adw_expander_row_get_subtitle (ADW_EXPANDER_ROW (row)), shown->text);
}

static void
assert_subtitle_soon (GtkWidget  *page,
                      const char *name,
                      const char *start)
{
  Shown shown = { page, start };

  g_object_set_data_full (G_OBJECT (page), "cairn-test-row", g_strdup (name), g_free);
  if (!cairn_test_wait_until (subtitle_starts, &shown, 5000))
    g_error ("“%s” is not shown as “%s…”", name, start);
}

static gboolean
editor_open (gpointer user_data)
{
  return cairn_test_find_toplevel (CAIRN_TYPE_PROTOCOL_EDITOR) != NULL;
}

static gboolean
editor_closed (gpointer user_data)
{
  return !editor_open (user_data);
}

static GtkWidget *
open_editor (GtkWidget  *page,
             const char *name)
{
  GtkWidget *row = template_row (page, name);

  cairn_test_click (row, "Edit…");
  g_assert_true (cairn_test_wait_until (editor_open, NULL, 5000));
  cairn_test_iterate (50);
  return GTK_WIDGET (cairn_test_find_toplevel (CAIRN_TYPE_PROTOCOL_EDITOR));
}

/* The expander row @title in the editor's group @group, opened. */
static GtkWidget *
open_expander (GtkWidget  *editor,
               const char *group,
               const char *title)
{
  GtkWidget *in = find_group (editor, group);
  GtkWidget *row;

  g_assert_nonnull (in);
  row = find_any_row (in, title);
  g_assert_true (ADW_IS_EXPANDER_ROW (row));
  adw_expander_row_set_expanded (ADW_EXPANDER_ROW (row), TRUE);
  cairn_test_iterate (20);
  return row;
}

static GtkSpinButton *
spin_in (GtkWidget  *root,
         const char *title)
{
  GtkWidget *row = find_any_row (root, title);
  GtkWidget *spin;

  g_assert_nonnull (row);
  spin = cairn_test_find_descendant (row, GTK_TYPE_SPIN_BUTTON, NULL);
  g_assert_nonnull (spin);
  return GTK_SPIN_BUTTON (spin);
}

static void
set_text (GtkWidget  *root,
          const char *title,
          const char *text)
{
  GtkWidget *row = find_any_row (root, title);

  g_assert_true (GTK_IS_EDITABLE (row));
  gtk_editable_set_text (GTK_EDITABLE (row), text);
}

/* ------------------------------------------------------------------------ */
/* Reading back through the core, on the vault's worker                      */

static gpointer
active_id_job (CairnVault    *vault,
               gpointer       data,
               GCancellable  *cancellable,
               GError       **error)
{
  return cairn_protocols_get_active_id (cairn_vault_get_practice (vault), error);
}

static gpointer
own_id_job (CairnVault    *vault,
            gpointer       data,
            GCancellable  *cancellable,
            GError       **error)
{
  char *id = cairn_database_query_text (cairn_vault_get_practice (vault),
                                        "SELECT id FROM protocol_templates WHERE name = ?"
                                        " AND archived_at IS NULL",
                                        (const char *[]) { data }, 1, error);

  return id != NULL ? id : g_strdup ("");
}

static gpointer
load_job (CairnVault    *vault,
          gpointer       data,
          GCancellable  *cancellable,
          GError       **error)
{
  return cairn_protocols_load (cairn_vault_get_practice (vault), data, error);
}

static char *
own_id (const char *name)
{
  return cairn_test_run_job (vault (), own_id_job, (gpointer) name);
}

static CairnProtocol *
load_own (const char *name)
{
  g_autofree char *id = own_id (name);

  g_assert_cmpstr (id, !=, "");
  return cairn_test_run_job (vault (), load_job, id);
}

static const char *
section_title (const CairnProtocol *protocol,
               const char          *type_id,
               guint                index)
{
  GPtrArray *sections = cairn_protocol_get_note_sections (protocol, type_id);

  g_assert_cmpuint (index, <, sections->len);
  return ((const CairnNoteSection *) g_ptr_array_index (sections, index))->title;
}

/* ------------------------------------------------------------------------ */

static gboolean
app_protocol_is (gpointer user_data)
{
  CairnProtocol *protocol = cairn_application_get_protocol (cairn_test_get_application ());

  return g_strcmp0 (cairn_protocol_get_id (protocol), user_data) == 0;
}

static void
test_list_and_use (void)
{
  GtkWidget *preferences;
  GtkWidget *page = open_protocols (CAIRN_ROLE_CLINICIAN, &preferences);
  g_autofree char *active = NULL;
  GtkWidget *row;

  g_assert_nonnull (page);
  assert_subtitle_soon (page, MDMA, "In use · MDMA");
  assert_subtitle_soon (page, KETAMINE, "Comes with Cairn · Ketamine");

  /* A shipped template is chosen, duplicated or exported, never edited. */
  row = template_row (page, KETAMINE);
  g_assert_null (cairn_test_find_text (row, "Edit…"));
  g_assert_null (cairn_test_find_text (row, "Archive"));
  cairn_test_click (row, "Use This Template");
  assert_text_soon (preferences, "The practice now works with “" KETAMINE "”");
  wait_page (page);
  assert_subtitle_soon (page, KETAMINE, "In use · Ketamine");
  assert_subtitle_soon (page, MDMA, "Comes with Cairn");

  active = cairn_test_run_job (vault (), active_id_job, NULL);
  g_assert_cmpstr (active, ==, "ketamine-kap");
  /* And the rest of Cairn follows it. */
  g_assert_true (cairn_test_wait_until (app_protocol_is, (gpointer) "ketamine-kap", 5000));
  cairn_test_remove_vault ();
}

static void
test_duplicate_and_edit (void)
{
  GtkWidget *preferences;
  GtkWidget *page = open_protocols (CAIRN_ROLE_CLINICIAN, &preferences);
  g_autoptr(CairnProtocol) saved = NULL;
  g_autofree char *id = NULL;
  g_autofree char *active = NULL;
  GtkWidget *editor;
  GtkWidget *step;
  GtkWidget *notes;
  GtkWidget *row;

  /* The default, duplicated: the practice's own, to edit. */
  cairn_test_click (template_row (page, MDMA), "Duplicate");
  assert_text_soon (preferences, "“" MDMA "” duplicated");
  wait_page (page);
  assert_subtitle_soon (page, COPY, "The practice’s own · MDMA");

  editor = open_editor (page, COPY);
  step = open_expander (editor, "Course", "Medicine sessions");
  g_assert_cmpint (gtk_spin_button_get_value_as_int (spin_in (step, "How many")), ==, 3);
  gtk_spin_button_set_value (spin_in (step, "How many"), 2);
  notes = open_expander (editor, "Session Notes", "Preparation");
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (find_any_row (notes, "Section 2"))), ==,
                   "Safety plan");
  set_text (notes, "Section 2", "Safety and support plan");
  /* A new section, made required. */
  set_text (notes, "Add section", "Support person");
  g_signal_emit_by_name (find_any_row (notes, "Add section"), "apply");
  cairn_test_iterate (20);
  notes = open_expander (editor, "Session Notes", "Preparation");
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (find_any_row (notes, "Section 5"))), ==,
                   "Support person");
  gtk_check_button_set_active (GTK_CHECK_BUTTON (cairn_test_find_descendant (
                                                   find_any_row (notes, "Section 5"),
                                                   GTK_TYPE_CHECK_BUTTON, NULL)),
                               TRUE);
  g_assert_null (cairn_test_find_text (editor, ": must"));

  cairn_test_click (editor, "Save");
  g_assert_true (cairn_test_wait_until (editor_closed, NULL, 5000));
  assert_text_soon (preferences, "“" COPY "” saved");

  /* Stored: read back through the core. */
  saved = load_own (COPY);
  g_assert_cmpuint (cairn_protocol_get_course (saved)->medicine_sessions.count, ==, 2);
  g_assert_cmpstr (section_title (saved, "preparation", 1), ==, "Safety and support plan");
  g_assert_cmpstr (section_title (saved, "preparation", 4), ==, "Support person");
  g_assert_true (((const CairnNoteSection *) g_ptr_array_index (
                    cairn_protocol_get_note_sections (saved, "preparation"), 4))->required);
  g_assert_cmpstr (((const CairnNoteSection *) g_ptr_array_index (
                      cairn_protocol_get_note_sections (saved, "preparation"), 4))->id, ==,
                   "support-person");
  /* What was not touched is as it was. */
  g_assert_cmpuint (cairn_protocol_get_n_exclusions (saved), ==, 8);

  /* Opened again, the editor shows it. */
  wait_page (page);
  editor = open_editor (page, COPY);
  step = open_expander (editor, "Course", "Medicine sessions");
  g_assert_cmpint (gtk_spin_button_get_value_as_int (spin_in (step, "How many")), ==, 2);
  notes = open_expander (editor, "Session Notes", "Preparation");
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (find_any_row (notes, "Section 2"))), ==,
                   "Safety and support plan");
  cairn_test_click (editor, "Cancel");
  g_assert_true (cairn_test_wait_until (editor_closed, NULL, 5000));

  /* And it can be the one in use. */
  row = template_row (page, COPY);
  cairn_test_click (row, "Use This Template");
  assert_text_soon (preferences, "The practice now works with “" COPY "”");
  wait_page (page);
  assert_subtitle_soon (page, COPY, "In use");
  id = own_id (COPY);
  active = cairn_test_run_job (vault (), active_id_job, NULL);
  g_assert_cmpstr (active, ==, id);
  cairn_test_remove_vault ();
}

static void
test_bad_input (void)
{
  GtkWidget *preferences;
  GtkWidget *page = open_protocols (CAIRN_ROLE_CLINICIAN, &preferences);
  g_autoptr(CairnProtocol) stored = NULL;
  GtkWidget *editor;
  GtkWidget *group;
  GtkWidget *step;
  GtkWidget *notes;

  cairn_test_click (template_row (page, MDMA), "Duplicate");
  wait_page (page);
  wait_for_row (page, COPY);
  editor = open_editor (page, COPY);

  /* An empty name: said at once, under the name, and Save refuses. */
  group = find_group (editor, "Template");
  set_text (group, "Name", "");
  assert_text_soon (group, "Name: must not be empty");
  g_assert_true (gtk_widget_has_css_class (find_any_row (group, "Name"), "error"));
  cairn_test_click (editor, "Save");
  cairn_test_iterate (50);
  g_assert_true (editor_open (NULL));

  /* A name another template has: refused by the vault, said at the name. */
  set_text (group, "Name", KETAMINE);
  g_assert_null (cairn_test_find_text (group, "must not be empty"));
  cairn_test_click (editor, "Save");
  assert_text_soon (group, "Name: there is already a protocol template called “" KETAMINE "”");
  g_assert_true (editor_open (NULL));
  set_text (group, "Name", "Our MDMA course");

  /* No preparation at all: the template's checks, at the field. */
  step = open_expander (editor, "Course", "Preparation");
  gtk_spin_button_set_value (spin_in (step, "How many"), 0);
  assert_text_soon (find_group (editor, "Course"),
                    "How many: must be a whole number from 1 to 50 (it is 0)");
  cairn_test_click (editor, "Save");
  cairn_test_iterate (50);
  g_assert_true (editor_open (NULL));
  gtk_spin_button_set_value (spin_in (step, "How many"), 3);
  g_assert_null (cairn_test_find_text (editor, "How many:"));

  /* Three integration sessions on one day. */
  step = open_expander (editor, "Course", "Integration after each medicine session");
  gtk_spin_button_set_value (spin_in (step, "Days apart"), 0);
  assert_text_soon (find_group (editor, "Course"),
                    "Days apart: must be at least 1 when “count” is more than 1 (it is 0)");
  gtk_spin_button_set_value (spin_in (step, "Days apart"), 7);

  /* A note section without a title. */
  notes = open_expander (editor, "Session Notes", "Integration");
  set_text (notes, "Section 1", "  ");
  assert_text_soon (find_group (editor, "Session Notes"), "Section 1: must not be empty");
  g_assert_true (gtk_widget_has_css_class (find_any_row (notes, "Section 1"), "error"));
  cairn_test_click (editor, "Save");
  cairn_test_iterate (50);
  g_assert_true (editor_open (NULL));

  /* An empty new section is not added. */
  g_signal_emit_by_name (find_any_row (notes, "Add section"), "apply");
  assert_text_soon (find_group (editor, "Session Notes"), "Type the new section’s title");

  /* Given up: nothing of it was stored. */
  cairn_test_click (editor, "Cancel");
  g_assert_true (cairn_test_wait_until (editor_closed, NULL, 5000));
  stored = load_own (COPY);
  g_assert_cmpuint (cairn_protocol_get_course (stored)->preparation.count, ==, 3);
  g_assert_cmpstr (section_title (stored, "integration", 0), ==, "Experience");
  cairn_test_remove_vault ();
}

static void
test_measures_and_exclusions (void)
{
  GtkWidget *preferences;
  GtkWidget *page = open_protocols (CAIRN_ROLE_CLINICIAN, &preferences);
  g_autoptr(CairnProtocol) saved = NULL;
  const CairnMeasureTimepoint *last;
  GtkWidget *editor;
  GtkWidget *measures;
  GtkWidget *screening;
  GtkWidget *measure;
  guint n_timepoints;

  cairn_test_click (template_row (page, KETAMINE), "Duplicate");
  wait_page (page);
  editor = open_editor (page, "Copy of " KETAMINE);

  /* A measure added: BDI-II a week after each medicine session. */
  measures = find_group (editor, "Outcome Measures");
  cairn_test_click (measures, "Add Measure");
  cairn_test_iterate (20);
  /* The first not there yet: CAPS-5 at follow-up. */
  measure = find_any_row (measures, "CAPS-5");
  g_assert_nonnull (measure);
  g_assert_true (adw_expander_row_get_expanded (ADW_EXPANDER_ROW (measure)));
  cairn_test_select (measure, "Instrument", "BDI-II");
  cairn_test_select (measure, "Counted from", "Each medicine session");
  gtk_spin_button_set_value (spin_in (measure, "Days after"), 7);
  gtk_spin_button_set_value (spin_in (measure, "Days of grace"), 3);
  g_assert_nonnull (find_any_row (measures, "BDI-II"));

  /* An exclusion renamed, one removed, one added. */
  screening = open_expander (editor, "Screening", "Exclusions");
  set_text (screening, "Exclusion 7", "Severe liver or kidney disease");
  g_signal_emit_by_name (find_bin (find_any_row (screening, "Exclusion 1")), "clicked");
  cairn_test_iterate (20);
  screening = open_expander (editor, "Screening", "Exclusions");
  set_text (screening, "Add exclusion", "Glaucoma");
  g_signal_emit_by_name (find_any_row (screening, "Add exclusion"), "apply");
  cairn_test_iterate (20);

  cairn_test_click (editor, "Save");
  g_assert_true (cairn_test_wait_until (editor_closed, NULL, 5000));
  saved = load_own ("Copy of " KETAMINE);
  n_timepoints = cairn_protocol_get_n_timepoints (saved);
  g_assert_cmpuint (n_timepoints, ==, 9);
  last = cairn_protocol_get_timepoint_nth (saved, n_timepoints - 1);
  g_assert_cmpstr (last->instrument, ==, "bdi-ii");
  g_assert_cmpstr (last->anchor, ==, "medicine-session");
  g_assert_cmpint (last->offset_days, ==, 7);
  g_assert_cmpuint (last->grace_days, ==, 3);
  g_assert_cmpuint (cairn_protocol_get_n_exclusions (saved), ==, 9);
  g_assert_cmpstr (cairn_protocol_get_exclusion_nth (saved, 0)->id, ==, "mania");
  g_assert_cmpstr (cairn_protocol_get_exclusion_nth (saved, 5)->title, ==,
                   "Severe liver or kidney disease");
  g_assert_cmpstr (cairn_protocol_get_exclusion_nth (saved, 8)->id, ==, "glaucoma");
  cairn_test_remove_vault ();
}

static gboolean
file_written (gpointer user_data)
{
  return g_file_test (user_data, G_FILE_TEST_EXISTS);
}

static void
test_import_and_export (void)
{
  GtkWidget *preferences;
  GtkWidget *page = open_protocols (CAIRN_ROLE_CLINICIAN, &preferences);
  g_autoptr(CairnProtocol) shipped = cairn_protocol_load_shipped ("ketamine-kap", NULL);
  g_autoptr(CairnProtocol) renamed = cairn_protocol_duplicate (shipped, "ours", "Our ketamine course", NULL);
  g_autofree char *good = cairn_protocol_to_data (renamed);
  g_autofree char *dir = g_dir_make_tmp ("cairn-protocols-XXXXXX", NULL);
  g_autofree char *good_path = g_build_filename (dir, "ours.json", NULL);
  g_autofree char *bad_path = g_build_filename (dir, "broken.json", NULL);
  g_autofree char *out_path = g_build_filename (dir, "exported.json", NULL);
  g_autoptr(GFile) good_file = g_file_new_for_path (good_path);
  g_autoptr(GFile) bad_file = g_file_new_for_path (bad_path);
  g_autoptr(GFile) out_file = g_file_new_for_path (out_path);
  g_auto(GStrv) parts = g_strsplit (good, "\"minutes\" : 90", 2);
  g_autofree char *bad = g_strjoinv ("\"minutes\" : 1", parts);
  g_autofree char *exported = NULL;
  g_autoptr(CairnProtocol) back = NULL;

  g_assert_true (g_file_set_contents (good_path, good, -1, NULL));
  g_assert_true (g_file_set_contents (bad_path, bad, -1, NULL));

  /* A template a person got wrong: the field at fault, and nothing added. */
  cairn_protocols_page_import_file (CAIRN_PROTOCOLS_PAGE (page), bad_file);
  assert_text_soon (page, "“broken.json” cannot be imported: appointment_types[0].minutes: "
                          "must be a whole number from 5 to 960 (it is 1)");
  wait_page (page);
  g_assert_null (find_any_row (page, "Our ketamine course"));

  cairn_protocols_page_import_file (CAIRN_PROTOCOLS_PAGE (page), good_file);
  assert_text_soon (preferences, "“Our ketamine course” imported");
  wait_page (page);
  assert_subtitle_soon (page, "Our ketamine course", "The practice’s own · Ketamine");
  g_assert_null (cairn_test_find_text (page, "cannot be imported"));

  /* Exported, it reads back as the template it is. */
  cairn_protocols_page_export_file (CAIRN_PROTOCOLS_PAGE (page), "mdma-mapp", out_file);
  g_assert_true (cairn_test_wait_until (file_written, out_path, 5000));
  wait_page (page);
  g_assert_true (g_file_get_contents (out_path, &exported, NULL, NULL));
  back = cairn_protocol_new_from_data (exported, -1, NULL);
  g_assert_nonnull (back);
  g_assert_cmpstr (cairn_protocol_get_id (back), ==, "mdma-mapp");

  g_unlink (good_path);
  g_unlink (bad_path);
  g_unlink (out_path);
  g_rmdir (dir);
  cairn_test_remove_vault ();
}

static void
test_front_desk (void)
{
  GtkWidget *preferences;
  GtkWidget *page = open_protocols (CAIRN_ROLE_FRONT_DESK, &preferences);

  /* Not greyed out: not there. */
  g_assert_null (page);
  g_assert_null (cairn_test_find_text (preferences, "Protocol Templates"));
  cairn_test_remove_vault ();
}

int
main (int   argc,
      char *argv[])
{
  cairn_test_init_gtk (&argc, &argv);

  g_test_add_func ("/protocols-prefs/list-and-use", test_list_and_use);
  g_test_add_func ("/protocols-prefs/duplicate-and-edit", test_duplicate_and_edit);
  g_test_add_func ("/protocols-prefs/bad-input", test_bad_input);
  g_test_add_func ("/protocols-prefs/measures-and-exclusions", test_measures_and_exclusions);
  g_test_add_func ("/protocols-prefs/import-and-export", test_import_and_export);
  g_test_add_func ("/protocols-prefs/front-desk", test_front_desk);

  return cairn_test_run ();
}
