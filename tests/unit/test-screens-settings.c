/* test-screens-settings.c
 *
 * What the preferences pages read and write, on a real vault made here
 * (cheap Argon2id) and with no display, each call run on the vault's
 * worker as the pages run it:
 *
 *  - Staff: everyone who works at the practice, listed; hours set and
 *    cleared, read back; hours that do not read refused, nothing stored.
 *  - Practice: name, zone, hours, rooms and closed days from today on, by
 *    the time given; hours saved; a room added, renamed (a name taken
 *    refused) and archived; a day closed (twice refused), shown, opened
 *    (a day not closed refused).
 *  - Security: the passphrase changed (a wrong current one and a weak new
 *    one refused with the vault's errors), a user added and removed
 *    (yourself refused), the automatic lock set (out of range refused),
 *    the recovery key replaced, the vault re-keyed.
 *  - Protocols: the list, a duplicate, edited and saved, used, archived
 *    only when not in use, exported and imported back; the front desk
 *    refused with the vault's one error.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "cairn-agenda.h"
#include "cairn-keyring.h"
#include "cairn-schedule.h"
#include "cairn-settings-screen.h"
#include "cairn-test-answer.h"
#include "cairn-test-tree.h"
#include "cairn-vfs.h"

#define CLINICIAN      "Dr Ada Quell"
#define PASSPHRASE     "lantern orchard fiddle 42"
#define DESK           "Test Desk"
#define DESK_PASSPHRASE "quiet harbour lamp 3"

static const CairnKdfParams cheap = { 1, 8 * 1024 * 1024 };

/* One vault for every test here, its clinician's. */
static char       *parent;
static char       *dir;
static CairnVault *vault;

/* Waits for the answer and hands it over. */
static GAsyncResult *
wait_for (GAsyncResult **slot)
{
  while (*slot == NULL)
    g_main_context_iteration (NULL, TRUE);
  return *slot;
}

#define ANSWER(call_)                                     \
  ({ g_autoptr(GAsyncResult) answer_ = NULL;              \
     GAsyncResult **slot_ = &answer_;                     \
     call_;                                               \
     g_object_ref (wait_for (slot_)); })

static const CairnStaffMember *
find_staff (CairnStaffScreen *screen,
            const char       *name)
{
  for (guint i = 0; i < screen->staff->len; i++)
    {
      const CairnStaffMember *one = g_ptr_array_index (screen->staff, i);

      if (g_strcmp0 (one->name, name) == 0)
        return one;
    }
  return NULL;
}

static const CairnProtocolInfo *
find_template (CairnProtocolsScreen *screen,
               const char           *id)
{
  for (guint i = 0; i < screen->templates->len; i++)
    {
      const CairnProtocolInfo *info = g_ptr_array_index (screen->templates, i);

      if (g_strcmp0 (info->id, id) == 0)
        return info;
    }
  return NULL;
}

static CairnStaffScreen *
staff_read (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GAsyncResult) answer = NULL;
  CairnStaffScreen *screen;

  cairn_staff_screen_load_async (vault, NULL, cairn_test_answered_cb, &answer);
  screen = cairn_staff_screen_load_finish (vault, wait_for (&answer), &error);
  g_assert_no_error (error);
  g_assert_nonnull (screen);
  return screen;
}

static gboolean
staff_set (const char  *id,
           const char  *hours,
           GError     **error)
{
  g_autoptr(GAsyncResult) answer = NULL;

  cairn_staff_set_hours_async (vault, id, hours, NULL, cairn_test_answered_cb, &answer);
  return cairn_staff_set_hours_finish (vault, wait_for (&answer), error);
}

static void
test_staff (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CairnStaffScreen) screen = staff_read ();
  g_autofree char *id = NULL;
  const CairnStaffMember *me = find_staff (screen, CLINICIAN);
  const CairnStaffMember *desk = find_staff (screen, DESK);

  g_assert_nonnull (me);
  g_assert_true (me->clinician);
  g_assert_nonnull (desk);
  g_assert_false (desk->clinician);
  g_assert_null (desk->hours);
  id = g_strdup (desk->id);

  g_assert_true (staff_set (id, "mon,wed 09:00-17:00", &error));
  g_assert_no_error (error);
  g_clear_pointer (&screen, cairn_staff_screen_free);
  screen = staff_read ();
  g_assert_cmpstr (find_staff (screen, DESK)->hours, ==, "mon,wed 09:00-17:00");

  g_assert_false (staff_set (id, "someday 25:00-26:00", &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA);
  g_clear_error (&error);
  g_clear_pointer (&screen, cairn_staff_screen_free);
  screen = staff_read ();
  g_assert_cmpstr (find_staff (screen, DESK)->hours, ==, "mon,wed 09:00-17:00");

  g_assert_true (staff_set (id, NULL, &error));
  g_assert_no_error (error);
  g_clear_pointer (&screen, cairn_staff_screen_free);
  screen = staff_read ();
  g_assert_null (find_staff (screen, DESK)->hours);
}

static CairnPracticeScreen *
practice_read (gint64 now)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GAsyncResult) answer = NULL;
  CairnPracticeScreen *screen;

  cairn_practice_screen_load_async (vault, now, NULL, cairn_test_answered_cb, &answer);
  screen = cairn_practice_screen_load_finish (vault, wait_for (&answer), &error);
  g_assert_no_error (error);
  g_assert_nonnull (screen);
  return screen;
}

static gboolean
practice_finish (GAsyncResult  *answer,
                 GError       **error)
{
  gboolean ok = cairn_practice_change_finish (vault, answer, error);

  g_object_unref (answer);
  return ok;
}

static const CairnNamed *
find_room (CairnPracticeScreen *screen,
           const char          *name)
{
  for (guint i = 0; i < screen->rooms->len; i++)
    {
      const CairnNamed *room = g_ptr_array_index (screen->rooms, i);

      if (g_strcmp0 (room->name, name) == 0)
        return room;
    }
  return NULL;
}

static void
test_practice (void)
{
  g_autoptr(GError) error = NULL;
  /* 23:30 UTC on 30 June 2026 is already 1 July in Auckland. */
  gint64 now = 1782862200;
  g_autoptr(CairnPracticeScreen) screen = practice_read (now);
  g_autofree char *room_id = NULL;
  GDate day;

  g_assert_cmpstr (screen->name, ==, "Quell Practice");
  g_assert_cmpstr (screen->zone, ==, "Pacific/Auckland");
  g_assert_cmpint (g_date_get_day (&screen->today), ==, 1);
  g_assert_cmpint (g_date_get_month (&screen->today), ==, G_DATE_JULY);
  g_assert_cmpint (g_date_get_year (&screen->today), ==, 2026);
  g_assert_cmpuint (screen->closed->len, ==, 0);

  g_assert_true (practice_finish (ANSWER (cairn_practice_set_hours_async (vault, "mon-fri 08:00-18:00", NULL,
                                                                          cairn_test_answered_cb, slot_)),
                                  &error));
  g_assert_no_error (error);
  g_assert_false (practice_finish (ANSWER (cairn_practice_set_hours_async (vault, "mon 25:00-26:00", NULL,
                                                                           cairn_test_answered_cb, slot_)),
                                   &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA);
  g_clear_error (&error);

  g_assert_true (practice_finish (ANSWER (cairn_practice_add_room_async (vault, "Garden Room", NULL,
                                                                         cairn_test_answered_cb, slot_)),
                                  &error));
  g_assert_true (practice_finish (ANSWER (cairn_practice_add_room_async (vault, "Quiet Room", NULL,
                                                                         cairn_test_answered_cb, slot_)),
                                  &error));
  g_assert_no_error (error);
  g_assert_false (practice_finish (ANSWER (cairn_practice_add_room_async (vault, "garden room", NULL,
                                                                          cairn_test_answered_cb, slot_)),
                                   &error));
  g_assert_error (error, CAIRN_SCHEDULE_ERROR, CAIRN_SCHEDULE_ERROR_INVALID);
  g_assert_cmpstr (error->message, ==, "There is already a room called “garden room”.");
  g_clear_error (&error);

  g_clear_pointer (&screen, cairn_practice_screen_free);
  screen = practice_read (now);
  g_assert_cmpstr (screen->hours, ==, "mon-fri 08:00-18:00");
  g_assert_cmpuint (screen->rooms->len, ==, 2);
  room_id = g_strdup (find_room (screen, "Quiet Room")->id);

  g_assert_false (practice_finish (ANSWER (cairn_practice_rename_room_async (vault, room_id, "Garden Room",
                                                                             NULL, cairn_test_answered_cb, slot_)),
                                   &error));
  g_assert_error (error, CAIRN_SCHEDULE_ERROR, CAIRN_SCHEDULE_ERROR_INVALID);
  g_clear_error (&error);
  g_assert_true (practice_finish (ANSWER (cairn_practice_rename_room_async (vault, room_id, "Still Room",
                                                                            NULL, cairn_test_answered_cb, slot_)),
                                  &error));
  g_assert_no_error (error);
  g_clear_pointer (&screen, cairn_practice_screen_free);
  screen = practice_read (now);
  g_assert_nonnull (find_room (screen, "Still Room"));
  g_assert_null (find_room (screen, "Quiet Room"));

  g_assert_true (practice_finish (ANSWER (cairn_practice_archive_room_async (vault, room_id, now, NULL,
                                                                             cairn_test_answered_cb, slot_)),
                                  &error));
  g_assert_no_error (error);

  g_date_clear (&day, 1);
  g_date_set_dmy (&day, 24, G_DATE_DECEMBER, 2026);
  g_assert_true (practice_finish (ANSWER (cairn_practice_close_day_async (vault, &day, "Christmas Eve", NULL,
                                                                          cairn_test_answered_cb, slot_)),
                                  &error));
  g_assert_no_error (error);
  g_assert_false (practice_finish (ANSWER (cairn_practice_close_day_async (vault, &day, NULL, NULL,
                                                                           cairn_test_answered_cb, slot_)),
                                   &error));
  g_assert_error (error, CAIRN_SCHEDULE_ERROR, CAIRN_SCHEDULE_ERROR_INVALID);
  g_clear_error (&error);

  g_clear_pointer (&screen, cairn_practice_screen_free);
  screen = practice_read (now);
  g_assert_null (find_room (screen, "Still Room"));
  g_assert_cmpuint (screen->rooms->len, ==, 1);
  g_assert_cmpuint (screen->closed->len, ==, 1);
  g_assert_cmpint (g_date_compare (&((CairnClosedDay *) g_ptr_array_index (screen->closed, 0))->day, &day), ==,
                   0);
  g_assert_cmpstr (((CairnClosedDay *) g_ptr_array_index (screen->closed, 0))->reason, ==, "Christmas Eve");
  /* From today on: a day closed already past is not shown. */
  g_clear_pointer (&screen, cairn_practice_screen_free);
  screen = practice_read (now + 200 * 24 * 3600);
  g_assert_cmpuint (screen->closed->len, ==, 0);

  g_assert_true (practice_finish (ANSWER (cairn_practice_open_day_async (vault, &day, NULL,
                                                                         cairn_test_answered_cb, slot_)),
                                  &error));
  g_assert_no_error (error);
  g_assert_false (practice_finish (ANSWER (cairn_practice_open_day_async (vault, &day, NULL,
                                                                          cairn_test_answered_cb, slot_)),
                                   &error));
  g_assert_error (error, CAIRN_SCHEDULE_ERROR, CAIRN_SCHEDULE_ERROR_NOT_FOUND);
  g_clear_error (&error);
  g_clear_pointer (&screen, cairn_practice_screen_free);
  screen = practice_read (now);
  g_assert_cmpuint (screen->closed->len, ==, 0);
}

static gboolean
security_finish (GAsyncResult  *answer,
                 GError       **error)
{
  gboolean ok = cairn_security_change_finish (vault, answer, error);

  g_object_unref (answer);
  return ok;
}

static gboolean
has_user (CairnVault *v,
          const char *name)
{
  g_autoptr(GPtrArray) users = cairn_vault_get_users (v);

  for (guint i = 0; i < users->len; i++)
    if (g_strcmp0 (((CairnKeyringUser *) g_ptr_array_index (users, i))->name, name) == 0)
      return TRUE;
  return FALSE;
}

static void
reopen (const char *name,
        const char *passphrase)
{
  g_autoptr(GError) error = NULL;

  cairn_vault_lock (vault);
  g_clear_object (&vault);
  vault = cairn_vault_unlock (dir, name, passphrase, &error);
  g_assert_no_error (error);
  g_assert_nonnull (vault);
}

static void
test_security (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GAsyncResult) answer = NULL;
  g_autofree char *key = NULL;
  const char *new_passphrase = "copper meadow violin 77";

  /* The passphrase: a wrong current one, a weak new one, then right. */
  g_assert_false (security_finish (ANSWER (cairn_security_change_passphrase_async (vault, "not it at all 1",
                                                                                   new_passphrase, &cheap, NULL,
                                                                                   cairn_test_answered_cb, slot_)),
                                   &error));
  g_assert_error (error, CAIRN_KEYRING_ERROR, CAIRN_KEYRING_ERROR_WRONG_PASSPHRASE);
  g_clear_error (&error);
  g_assert_false (security_finish (ANSWER (cairn_security_change_passphrase_async (vault, PASSPHRASE, "abc",
                                                                                   &cheap, NULL,
                                                                                   cairn_test_answered_cb, slot_)),
                                   &error));
  g_assert_error (error, CAIRN_VAULT_ERROR, CAIRN_VAULT_ERROR_INVALID);
  g_clear_error (&error);
  g_assert_true (security_finish (ANSWER (cairn_security_change_passphrase_async (vault, PASSPHRASE,
                                                                                  new_passphrase, &cheap, NULL,
                                                                                  cairn_test_answered_cb, slot_)),
                                  &error));
  g_assert_no_error (error);
  reopen (CLINICIAN, new_passphrase);

  /* Users: added, refused to remove yourself, removed. */
  g_assert_true (security_finish (ANSWER (cairn_security_add_user_async (vault, "Dr Ben Hale", CAIRN_ROLE_CLINICIAN,
                                                                         "willow anchor tundra 9", &cheap, NULL,
                                                                         cairn_test_answered_cb, slot_)),
                                  &error));
  g_assert_no_error (error);
  g_assert_true (has_user (vault, "Dr Ben Hale"));
  g_assert_false (security_finish (ANSWER (cairn_security_add_user_async (vault, "Dr Weak", CAIRN_ROLE_CLINICIAN,
                                                                          "abc", &cheap, NULL,
                                                                          cairn_test_answered_cb, slot_)),
                                   &error));
  g_assert_error (error, CAIRN_VAULT_ERROR, CAIRN_VAULT_ERROR_INVALID);
  g_clear_error (&error);
  g_assert_false (has_user (vault, "Dr Weak"));
  g_assert_false (security_finish (ANSWER (cairn_security_remove_user_async (vault, CLINICIAN, NULL,
                                                                             cairn_test_answered_cb, slot_)),
                                   &error));
  g_assert_error (error, CAIRN_VAULT_ERROR, CAIRN_VAULT_ERROR_NOT_ALLOWED);
  g_clear_error (&error);
  g_assert_true (security_finish (ANSWER (cairn_security_remove_user_async (vault, "Dr Ben Hale", NULL,
                                                                            cairn_test_answered_cb, slot_)),
                                  &error));
  g_assert_no_error (error);
  g_assert_false (has_user (vault, "Dr Ben Hale"));

  /* The automatic lock. */
  g_assert_true (security_finish (ANSWER (cairn_security_set_auto_lock_async (vault, 15 * 60, NULL,
                                                                              cairn_test_answered_cb, slot_)),
                                  &error));
  g_assert_no_error (error);
  g_assert_cmpuint (cairn_vault_get_auto_lock_seconds (vault), ==, 15 * 60);
  g_assert_false (security_finish (ANSWER (cairn_security_set_auto_lock_async (vault, 5, NULL,
                                                                               cairn_test_answered_cb, slot_)),
                                   &error));
  g_assert_error (error, CAIRN_VAULT_ERROR, CAIRN_VAULT_ERROR_INVALID);
  g_clear_error (&error);
  g_assert_cmpuint (cairn_vault_get_auto_lock_seconds (vault), ==, 15 * 60);

  /* The recovery key: a wrong passphrase refused, then a new key. */
  cairn_security_recovery_key_async (vault, "not it at all 1", NULL, cairn_test_answered_cb, &answer);
  key = cairn_security_key_finish (vault, wait_for (&answer), &error);
  g_assert_null (key);
  g_assert_nonnull (error);
  g_clear_error (&error);
  g_clear_object (&answer);
  cairn_security_recovery_key_async (vault, new_passphrase, NULL, cairn_test_answered_cb, &answer);
  key = cairn_security_key_finish (vault, wait_for (&answer), &error);
  g_assert_no_error (error);
  g_assert_nonnull (key);
  g_assert_nonnull (strchr (key, '-'));
  g_clear_pointer (&key, g_free);
  g_clear_object (&answer);

  /* Re-keyed: the front desk's passphrase no longer opens it; it is
   * added back for the tests after this one. */
  cairn_security_rekey_async (vault, new_passphrase, &cheap, NULL, cairn_test_answered_cb, &answer);
  key = cairn_security_key_finish (vault, wait_for (&answer), &error);
  g_assert_no_error (error);
  g_assert_nonnull (key);
  g_assert_false (has_user (vault, DESK));
  g_assert_true (security_finish (ANSWER (cairn_security_add_user_async (vault, DESK, CAIRN_ROLE_FRONT_DESK,
                                                                         DESK_PASSPHRASE, &cheap, NULL,
                                                                         cairn_test_answered_cb, slot_)),
                                  &error));
  g_assert_no_error (error);
  reopen (CLINICIAN, new_passphrase);
}

static CairnProtocolsScreen *
protocols_read (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GAsyncResult) answer = NULL;
  CairnProtocolsScreen *screen;

  cairn_protocols_screen_load_async (vault, NULL, cairn_test_answered_cb, &answer);
  screen = cairn_protocols_screen_load_finish (vault, wait_for (&answer), &error);
  g_assert_no_error (error);
  g_assert_nonnull (screen);
  return screen;
}

static gboolean
protocols_finish (GAsyncResult  *answer,
                  GError       **error)
{
  gboolean ok = cairn_protocols_change_finish (vault, answer, error);

  g_object_unref (answer);
  return ok;
}

static CairnProtocol *
protocols_template (GAsyncResult  *answer,
                    GError       **error)
{
  CairnProtocol *protocol = cairn_protocols_template_finish (vault, answer, error);

  g_object_unref (answer);
  return protocol;
}

static void
test_protocols (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CairnProtocolsScreen) screen = protocols_read ();
  g_autoptr(GAsyncResult) answer = NULL;
  g_autoptr(CairnProtocol) copy = NULL;
  g_autoptr(CairnProtocol) imported = NULL;
  g_autoptr(GFile) file = NULL;
  g_autofree char *shipped = NULL;
  g_autofree char *copy_id = NULL;
  g_autofree char *json = NULL;
  g_autofree char *path = g_build_filename (parent, "exported.json", NULL);
  g_autofree char *bad_path = g_build_filename (parent, "bad.json", NULL);
  const CairnProtocolInfo *info;

  g_assert_cmpuint (screen->templates->len, >, 0);
  for (guint i = 0; i < screen->templates->len && shipped == NULL; i++)
    if (((CairnProtocolInfo *) g_ptr_array_index (screen->templates, i))->active)
      shipped = g_strdup (((CairnProtocolInfo *) g_ptr_array_index (screen->templates, i))->id);
  g_assert_nonnull (shipped);
  g_assert_true (find_template (screen, shipped)->shipped);

  /* A copy, the practice's own, opened and saved under a new name. */
  cairn_protocols_duplicate_async (vault, shipped, NULL, cairn_test_answered_cb, &answer);
  copy_id = cairn_protocols_duplicate_finish (vault, wait_for (&answer), &error);
  g_assert_no_error (error);
  g_assert_nonnull (copy_id);
  g_clear_object (&answer);
  copy = protocols_template (ANSWER (cairn_protocols_open_async (vault, copy_id, NULL, cairn_test_answered_cb, slot_)),
                             &error);
  g_assert_no_error (error);
  g_assert_cmpstr (cairn_protocol_get_id (copy), ==, copy_id);
  json = cairn_protocol_to_data (copy);
  {
    g_autofree char *old_name = g_strdup_printf ("\"%s\"", cairn_protocol_get_name (copy));
    g_auto(GStrv) parts = g_strsplit (json, old_name, 2);

    g_assert_cmpuint (g_strv_length (parts), ==, 2);
    g_free (json);
    json = g_strjoinv ("\"The Practice's Own\"", parts);
  }
  g_assert_true (protocols_finish (ANSWER (cairn_protocols_save_async (vault, json, NULL, cairn_test_answered_cb, slot_)),
                                   &error));
  g_assert_no_error (error);
  g_assert_false (protocols_finish (ANSWER (cairn_protocols_save_async (vault, "{ \"id\": 3 }", NULL,
                                                                        cairn_test_answered_cb, slot_)),
                                    &error));
  g_assert_nonnull (error);
  g_clear_error (&error);
  g_clear_pointer (&screen, cairn_protocols_screen_free);
  screen = protocols_read ();
  info = find_template (screen, copy_id);
  g_assert_nonnull (info);
  g_assert_cmpstr (info->name, ==, "The Practice's Own");
  g_assert_false (info->shipped);

  /* Used, then not archived while in use; another used, then archived. */
  g_assert_true (protocols_finish (ANSWER (cairn_protocols_use_async (vault, copy_id, NULL, cairn_test_answered_cb, slot_)),
                                   &error));
  g_assert_no_error (error);
  g_assert_false (protocols_finish (ANSWER (cairn_protocols_archive_async (vault, copy_id, NULL,
                                                                           cairn_test_answered_cb, slot_)),
                                    &error));
  g_assert_error (error, CAIRN_PROTOCOLS_ERROR, CAIRN_PROTOCOLS_ERROR_ACTIVE);
  g_clear_error (&error);
  g_assert_false (protocols_finish (ANSWER (cairn_protocols_archive_async (vault, shipped, NULL,
                                                                           cairn_test_answered_cb, slot_)),
                                    &error));
  g_assert_error (error, CAIRN_PROTOCOLS_ERROR, CAIRN_PROTOCOLS_ERROR_SHIPPED);
  g_clear_error (&error);

  /* Exported to a file, imported back as a template of its own. */
  file = g_file_new_for_path (path);
  g_assert_true (protocols_finish (ANSWER (cairn_protocols_export_async (vault, copy, file, NULL,
                                                                         cairn_test_answered_cb, slot_)),
                                   &error));
  g_assert_no_error (error);
  g_assert_true (g_file_test (path, G_FILE_TEST_EXISTS));
  imported = protocols_template (ANSWER (cairn_protocols_import_async (vault, file, NULL, cairn_test_answered_cb, slot_)),
                                 &error);
  g_assert_no_error (error);
  g_assert_nonnull (imported);
  g_assert_cmpstr (cairn_protocol_get_id (imported), !=, copy_id);
  g_clear_object (&file);
  g_assert_true (g_file_set_contents (bad_path, "{ \"name\": 3 }", -1, NULL));
  file = g_file_new_for_path (bad_path);
  g_assert_null (protocols_template (ANSWER (cairn_protocols_import_async (vault, file, NULL,
                                                                          cairn_test_answered_cb, slot_)),
                                     &error));
  g_assert_nonnull (error);
  g_clear_error (&error);

  g_assert_true (protocols_finish (ANSWER (cairn_protocols_use_async (vault, shipped, NULL, cairn_test_answered_cb, slot_)),
                                   &error));
  g_assert_true (protocols_finish (ANSWER (cairn_protocols_archive_async (vault, copy_id, NULL,
                                                                          cairn_test_answered_cb, slot_)),
                                   &error));
  g_assert_no_error (error);
  g_clear_pointer (&screen, cairn_protocols_screen_free);
  screen = protocols_read ();
  g_assert_null (find_template (screen, copy_id));
  g_assert_nonnull (find_template (screen, cairn_protocol_get_id (imported)));
  g_assert_true (find_template (screen, shipped)->active);
}

static void
test_front_desk (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GAsyncResult) answer = NULL;
  g_autoptr(CairnStaffScreen) staff = NULL;
  g_autoptr(CairnPracticeScreen) practice = NULL;
  g_autoptr(CairnProtocolsScreen) protocols = NULL;
  g_autofree char *copy = NULL;

  reopen (DESK, DESK_PASSPHRASE);

  /* Staff and Practice are everyone's. */
  staff = cairn_staff_screen_load (vault, &error);
  g_assert_no_error (error);
  g_assert_nonnull (find_staff (staff, CLINICIAN));
  practice = cairn_practice_screen_load (vault, g_get_real_time () / G_USEC_PER_SEC, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (practice->name, ==, "Quell Practice");

  /* Protocols are not, nor managing users. */
  protocols = cairn_protocols_screen_load (vault, &error);
  g_assert_null (protocols);
  g_assert_error (error, CAIRN_VAULT_ERROR, CAIRN_VAULT_ERROR_NOT_ALLOWED);
  g_clear_error (&error);
  cairn_protocols_duplicate_async (vault, "mdma-ptsd", NULL, cairn_test_answered_cb, &answer);
  copy = cairn_protocols_duplicate_finish (vault, wait_for (&answer), &error);
  g_assert_null (copy);
  g_assert_error (error, CAIRN_VAULT_ERROR, CAIRN_VAULT_ERROR_NOT_ALLOWED);
  g_clear_error (&error);
  g_assert_false (protocols_finish (ANSWER (cairn_protocols_save_async (vault, "{}", NULL, cairn_test_answered_cb, slot_)),
                                    &error));
  g_assert_error (error, CAIRN_VAULT_ERROR, CAIRN_VAULT_ERROR_NOT_ALLOWED);
  g_clear_error (&error);
  g_assert_false (security_finish (ANSWER (cairn_security_add_user_async (vault, "Someone", CAIRN_ROLE_CLINICIAN,
                                                                          "willow anchor tundra 9", &cheap, NULL,
                                                                          cairn_test_answered_cb, slot_)),
                                   &error));
  g_assert_error (error, CAIRN_VAULT_ERROR, CAIRN_VAULT_ERROR_NOT_ALLOWED);
  g_clear_error (&error);
}

int
main (int argc, char **argv)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *recovery = NULL;
  int status;

  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);
  if (!cairn_vfs_init (&error))
    g_error ("%s", error->message);

  parent = g_dir_make_tmp ("cairn-screens-settings-XXXXXX", &error);
  g_assert_no_error (error);
  dir = g_build_filename (parent, "vault", NULL);
  vault = cairn_vault_create (dir, "Quell Practice", "Pacific/Auckland", CLINICIAN, PASSPHRASE, &cheap,
                              &recovery, &error);
  g_assert_no_error (error);
  g_assert_true (cairn_vault_add_user (vault, DESK, CAIRN_ROLE_FRONT_DESK, DESK_PASSPHRASE, &cheap, &error));
  g_assert_no_error (error);

  g_test_add_func ("/screens-settings/staff", test_staff);
  g_test_add_func ("/screens-settings/practice", test_practice);
  g_test_add_func ("/screens-settings/protocols", test_protocols);
  g_test_add_func ("/screens-settings/security", test_security);
  g_test_add_func ("/screens-settings/front-desk", test_front_desk);

  status = g_test_run ();
  if (vault != NULL)
    cairn_vault_lock (vault);
  g_clear_object (&vault);
  cairn_test_remove_tree (parent);
  g_free (dir);
  g_free (parent);
  return status;
}
