/* test-cli.c
 *
 * Runs the installed-layout `cairn` binary built by meson, as a user would
 * from a terminal.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <gio/gio.h>
#include <glib/gstdio.h>

#include "cairn-test-tree.h"

#define PASSPHRASE "lantern orchard fiddle 42\n"

static void
run_cairn_with_input (const char * const  *args,
                      const char          *input,
                      char               **out,
                      char               **err,
                      int                 *exit_status);

static void
run_cairn (const char * const  *args,
           char               **out,
           char               **err,
           int                 *exit_status)
{
  run_cairn_with_input (args, NULL, out, err, exit_status);
}

static void
run_cairn_with_input (const char * const  *args,
                      const char          *input,
                      char               **out,
                      char               **err,
                      int                 *exit_status)
{
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  g_autoptr(GSubprocess) process = NULL;
  g_autoptr(GError) error = NULL;
  const char *binary = g_getenv ("CAIRN_BINARY");

  g_assert_nonnull (binary);

  g_ptr_array_add (argv, (gpointer) binary);
  for (guint i = 0; args[i] != NULL; i++)
    g_ptr_array_add (argv, (gpointer) args[i]);
  g_ptr_array_add (argv, NULL);

  process = g_subprocess_newv ((const char * const *) argv->pdata,
                               G_SUBPROCESS_FLAGS_STDIN_PIPE | G_SUBPROCESS_FLAGS_STDOUT_PIPE |
                               G_SUBPROCESS_FLAGS_STDERR_PIPE,
                               &error);
  g_assert_no_error (error);

  g_subprocess_communicate_utf8 (process, input != NULL ? input : "", NULL, out, err, &error);
  g_assert_no_error (error);

  g_assert_true (g_subprocess_get_if_exited (process));
  *exit_status = g_subprocess_get_exit_status (process);
}

static void
test_cli_version (void)
{
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  int status;

  run_cairn ((const char *[]) { "--version", NULL }, &out, &err, &status);

  g_assert_cmpint (status, ==, 0);
  g_assert_cmpstr (out, ==, "Cairn " PACKAGE_VERSION "\n");
  g_assert_cmpstr (err, ==, "");
}

static void
test_cli_help (void)
{
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  int status;

  run_cairn ((const char *[]) { "--help", NULL }, &out, &err, &status);

  g_assert_cmpint (status, ==, 0);
  g_assert_nonnull (strstr (out, "--version"));
  g_assert_nonnull (strstr (out, "--vault=DIR"));
  g_assert_nonnull (strstr (out, "--create-vault"));
  g_assert_nonnull (strstr (out, "--check-vault"));
  g_assert_nonnull (strstr (out, "encrypted vault"));
}

static void
test_cli_unknown_option (void)
{
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  int status;

  /* Bad input: an unknown option is named, and nothing starts. */
  run_cairn ((const char *[]) { "--no-such-option", NULL }, &out, &err, &status);

  g_assert_cmpint (status, !=, 0);
  g_assert_nonnull (strstr (err, "--no-such-option"));
  g_assert_cmpstr (out, ==, "");
}

static char *
make_vault (const char *dir)
{
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  int status;

  run_cairn_with_input ((const char *[]) { "--vault", dir, "--create-vault", "--practice", "Quell Practice",
                                           "--time-zone", "Europe/Berlin", "--user", "Dr Ada Quell", NULL },
                        PASSPHRASE, &out, &err, &status);
  g_assert_cmpint (status, ==, 0);
  g_assert_nonnull (strstr (err, "recovery key"));
  /* Only the recovery key goes to standard output: 11 groups of 5. */
  g_assert_cmpuint (strlen (out), ==, 11 * 6);
  return g_steal_pointer (&out);
}

static void
test_cli_create_and_check (void)
{
  g_autofree char *tmp = g_dir_make_tmp ("cairn-cli-XXXXXX", NULL);
  g_autofree char *dir = g_build_filename (tmp, "vault", NULL);
  g_autofree char *recovery = make_vault (dir);
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  int status;
  GStatBuf st;
  g_autofree char *keyring = g_build_filename (dir, "keyring", NULL);
  g_autofree char *practice = g_build_filename (dir, "practice.db", NULL);

  /* Private to the user: the folder and every file in it. */
  g_assert_cmpint (g_stat (dir, &st), ==, 0);
  g_assert_cmpint (st.st_mode & 0777, ==, 0700);
  g_assert_cmpint (g_stat (keyring, &st), ==, 0);
  g_assert_cmpint (st.st_mode & 0077, ==, 0);
  g_assert_cmpint (g_stat (practice, &st), ==, 0);
  g_assert_cmpint (st.st_mode & 0077, ==, 0);

  run_cairn_with_input ((const char *[]) { "--vault", dir, "--check-vault", "--user", "Dr Ada Quell", NULL },
                        PASSPHRASE, &out, &err, &status);
  g_assert_cmpint (status, ==, 0);
  g_assert_nonnull (strstr (out, "practice.db: pages authenticated"));
  g_assert_nonnull (strstr (out, "clinical.db: pages authenticated"));
  g_assert_true (g_regex_match_simple ("practice\\.db: .*audit trail intact, entries: [0-9]+, "
                                       "head [0-9A-F]{4}-[0-9A-F]{4}-[0-9A-F]{4}-[0-9A-F]{4}\n", out, 0, 0));
  g_assert_nonnull (strstr (out, "is sound"));
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);

  /* A second vault in the same place is refused. */
  run_cairn_with_input ((const char *[]) { "--vault", dir, "--create-vault", "--practice", "Other",
                                           "--user", "Someone", NULL },
                        PASSPHRASE, &out, &err, &status);
  g_assert_cmpint (status, ==, 1);
  g_assert_nonnull (strstr (err, "already a vault"));
  g_assert_cmpstr (out, ==, "");

  cairn_test_remove_tree (tmp);
}

/* The first user may be called "recovery": the vault it makes checks sound. */
static void
test_cli_user_named_recovery (void)
{
  g_autofree char *tmp = g_dir_make_tmp ("cairn-cli-XXXXXX", NULL);
  g_autofree char *dir = g_build_filename (tmp, "vault", NULL);
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  int status;

  run_cairn_with_input ((const char *[]) { "--vault", dir, "--create-vault", "--practice", "Quell Practice",
                                           "--user", "recovery", NULL },
                        PASSPHRASE, &out, &err, &status);
  g_assert_cmpint (status, ==, 0);
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);

  run_cairn_with_input ((const char *[]) { "--vault", dir, "--check-vault", "--user", "recovery", NULL },
                        PASSPHRASE, &out, &err, &status);
  g_assert_cmpstr (err, ==, "");
  g_assert_cmpint (status, ==, 0);
  g_assert_nonnull (strstr (out, "is sound"));

  cairn_test_remove_tree (tmp);
}

static void
test_cli_check_finds_damage (void)
{
  g_autofree char *tmp = g_dir_make_tmp ("cairn-cli-XXXXXX", NULL);
  g_autofree char *dir = g_build_filename (tmp, "vault", NULL);
  g_autofree char *recovery = make_vault (dir);
  g_autofree char *practice = g_build_filename (dir, "practice.db", NULL);
  g_autofree char *contents = NULL;
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  gsize length = 0;
  int status;

  /* One bit of page 3 of practice.db. */
  g_assert_true (g_file_get_contents (practice, &contents, &length, NULL));
  g_assert_cmpuint (length, >=, 3 * 4096);
  contents[2 * 4096 + 17] ^= 0x01;
  g_assert_true (g_file_set_contents (practice, contents, length, NULL));

  run_cairn_with_input ((const char *[]) { "--vault", dir, "--check-vault", "--user", "Dr Ada Quell", NULL },
                        PASSPHRASE, &out, &err, &status);
  g_assert_cmpint (status, !=, 0);
  g_assert_nonnull (strstr (err, "practice.db"));
  g_assert_nonnull (strstr (err, "page 3"));
  g_assert_null (strstr (out, "is sound"));

  cairn_test_remove_tree (tmp);
}

/* An emptied database is damage, never a new vault with no patients. */
static void
test_cli_check_empty_database (void)
{
  g_autofree char *tmp = g_dir_make_tmp ("cairn-cli-XXXXXX", NULL);
  g_autofree char *dir = g_build_filename (tmp, "vault", NULL);
  g_autofree char *recovery = make_vault (dir);
  g_autofree char *practice = g_build_filename (dir, "practice.db", NULL);
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  int status;

  g_assert_true (g_file_set_contents (practice, "", 0, NULL));
  run_cairn_with_input ((const char *[]) { "--vault", dir, "--check-vault", "--user", "Dr Ada Quell", NULL },
                        PASSPHRASE, &out, &err, &status);
  g_assert_cmpint (status, ==, 1);
  g_assert_nonnull (strstr (err, "practice.db"));
  g_assert_nonnull (strstr (err, "backup"));
  g_assert_null (strstr (out, "is sound"));

  cairn_test_remove_tree (tmp);
}

/* Failed checks count as failed unlocks across processes: after three,
 * the next run waits, and the record is kept for the next unlock. */
static void
test_cli_failed_checks_counted (void)
{
  g_autofree char *tmp = g_dir_make_tmp ("cairn-cli-XXXXXX", NULL);
  g_autofree char *dir = g_build_filename (tmp, "vault", NULL);
  g_autofree char *recovery = make_vault (dir);
  g_autofree char *attempts = g_build_filename (dir, "unlock-attempts", NULL);
  g_autofree char *contents = NULL;
  g_auto(GStrv) lines = NULL;
  g_autoptr(GString) older = g_string_new (NULL);
  int status;

  for (int i = 0; i < 3; i++)
    {
      g_autofree char *out = NULL;
      g_autofree char *err = NULL;

      run_cairn_with_input ((const char *[]) { "--vault", dir, "--check-vault", "--user", "Dr Ada Quell", NULL },
                            "not the passphrase at all\n", &out, &err, &status);
      g_assert_cmpint (status, ==, 1);
    }
  g_assert_true (g_file_get_contents (attempts, &contents, NULL, NULL));
  lines = g_strsplit (contents, "\n", -1);
  g_assert_cmpuint (g_strv_length (lines), ==, 4);

  {
    g_autofree char *out = NULL;
    g_autofree char *err = NULL;

    run_cairn_with_input ((const char *[]) { "--vault", dir, "--check-vault", "--user", "Dr Ada Quell", NULL },
                          PASSPHRASE, &out, &err, &status);
    g_assert_cmpint (status, ==, 1);
    g_assert_nonnull (strstr (err, "try again in"));
  }

  /* A minute later (the record's times moved back) the check goes ahead. */
  for (guint i = 0; lines[i] != NULL && lines[i][0] != '\0'; i++)
    {
      char *space = strchr (lines[i], ' ');

      g_string_append_printf (older, "%" G_GINT64_FORMAT "%s\n", g_ascii_strtoll (lines[i], NULL, 10) - 60, space);
    }
  g_assert_true (g_file_set_contents (attempts, older->str, -1, NULL));
  {
    g_autofree char *out = NULL;
    g_autofree char *err = NULL;

    run_cairn_with_input ((const char *[]) { "--vault", dir, "--check-vault", "--user", "Dr Ada Quell", NULL },
                          PASSPHRASE, &out, &err, &status);
    g_assert_cmpint (status, ==, 0);
    g_assert_nonnull (strstr (out, "is sound"));
  }
  /* The check wrote nothing: the attempts wait for the next unlock. */
  g_assert_true (g_file_test (attempts, G_FILE_TEST_EXISTS));

  cairn_test_remove_tree (tmp);
}

static char *
file_digest (const char *dir,
             const char *name)
{
  g_autofree char *path = g_build_filename (dir, name, NULL);
  g_autofree char *contents = NULL;
  gsize length = 0;

  g_assert_true (g_file_get_contents (path, &contents, &length, NULL));
  return g_compute_checksum_for_data (G_CHECKSUM_SHA256, (const guchar *) contents, length);
}

/* Killed at any moment, a check has changed nothing. */
static void
test_cli_check_killed (void)
{
  g_autofree char *tmp = g_dir_make_tmp ("cairn-cli-XXXXXX", NULL);
  g_autofree char *dir = g_build_filename (tmp, "vault", NULL);
  g_autofree char *recovery = make_vault (dir);
  g_autofree char *keyring = file_digest (dir, "keyring");
  g_autofree char *practice = file_digest (dir, "practice.db");
  g_autofree char *clinical = file_digest (dir, "clinical.db");
  const char *binary = g_getenv ("CAIRN_BINARY");

  for (guint k = 0; k < 4; k++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(GSubprocess) process = g_subprocess_new (G_SUBPROCESS_FLAGS_STDIN_PIPE |
                                                         G_SUBPROCESS_FLAGS_STDOUT_SILENCE |
                                                         G_SUBPROCESS_FLAGS_STDERR_SILENCE, &error,
                                                         binary, "--vault", dir, "--check-vault",
                                                         "--user", "Dr Ada Quell", NULL);
      GOutputStream *in;

      g_assert_no_error (error);
      in = g_subprocess_get_stdin_pipe (process);
      g_assert_true (g_output_stream_write_all (in, PASSPHRASE, strlen (PASSPHRASE), NULL, NULL, NULL));
      g_output_stream_close (in, NULL, NULL);
      g_usleep (200000 + 300000 * k);
      g_subprocess_force_exit (process);
      g_subprocess_wait (process, NULL, NULL);

      {
        g_autofree char *keyring_now = file_digest (dir, "keyring");
        g_autofree char *practice_now = file_digest (dir, "practice.db");
        g_autofree char *clinical_now = file_digest (dir, "clinical.db");

        g_assert_cmpstr (keyring_now, ==, keyring);
        g_assert_cmpstr (practice_now, ==, practice);
        g_assert_cmpstr (clinical_now, ==, clinical);
      }
    }

  cairn_test_remove_tree (tmp);
}

static void
test_cli_bad_input (void)
{
  g_autofree char *tmp = g_dir_make_tmp ("cairn-cli-XXXXXX", NULL);
  g_autofree char *dir = g_build_filename (tmp, "vault", NULL);
  struct {
    const char *args[10];
    const char *input;
    int status;
    const char *message;
  } cases[] = {
    { { "--vault", dir, "--create-vault", "--user", "Dr A", NULL }, PASSPHRASE, 2, "--practice" },
    { { "--vault", dir, "--create-vault", "--practice", "P", "--user", "Dr A", NULL }, "", 2, "No passphrase" },
    { { "--vault", dir, "--create-vault", "--practice", "P", "--user", "Dr A", NULL }, "short\n", 1, "10 characters" },
    { { "--vault", dir, "--create-vault", "--practice", "P", "--user", "Dr A", "--time-zone", "Nowhere/Here", NULL },
      PASSPHRASE, 1, "time zone" },
    { { "--vault", dir, "--check-vault", NULL }, PASSPHRASE, 2, "--user" },
    { { "--vault", dir, "--check-vault", "--user", "Dr A", NULL }, PASSPHRASE, 1, "no vault" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *out = NULL;
      g_autofree char *err = NULL;
      int status;

      run_cairn_with_input (cases[i].args, cases[i].input, &out, &err, &status);
      g_test_message ("case %u: %s", i, err);
      g_assert_cmpint (status, ==, cases[i].status);
      g_assert_nonnull (strstr (err, cases[i].message));
      g_assert_cmpstr (out, ==, "");
      /* Nothing was made. */
      g_assert_false (g_file_test (dir, G_FILE_TEST_EXISTS));
    }

  cairn_test_remove_tree (tmp);
}

static void
test_cli_wrong_passphrase (void)
{
  g_autofree char *tmp = g_dir_make_tmp ("cairn-cli-XXXXXX", NULL);
  g_autofree char *dir = g_build_filename (tmp, "vault", NULL);
  g_autofree char *recovery = make_vault (dir);
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  int status;

  run_cairn_with_input ((const char *[]) { "--vault", dir, "--check-vault", "--user", "Dr Ada Quell", NULL },
                        "lantern orchard fiddle 43\n", &out, &err, &status);
  g_assert_cmpint (status, ==, 1);
  g_assert_nonnull (strstr (err, "passphrase is not right"));

  cairn_test_remove_tree (tmp);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  g_test_add_func ("/cli/version", test_cli_version);
  g_test_add_func ("/cli/help", test_cli_help);
  g_test_add_func ("/cli/unknown-option", test_cli_unknown_option);
  g_test_add_func ("/cli/create-and-check", test_cli_create_and_check);
  g_test_add_func ("/cli/check-finds-damage", test_cli_check_finds_damage);
  g_test_add_func ("/cli/user-named-recovery", test_cli_user_named_recovery);
  g_test_add_func ("/cli/check-empty-database", test_cli_check_empty_database);
  g_test_add_func ("/cli/failed-checks-counted", test_cli_failed_checks_counted);
  g_test_add_func ("/cli/check-killed", test_cli_check_killed);
  g_test_add_func ("/cli/bad-input", test_cli_bad_input);
  g_test_add_func ("/cli/wrong-passphrase", test_cli_wrong_passphrase);

  return g_test_run ();
}
