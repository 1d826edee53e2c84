/* main.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "cairn"

#include "config.h"

#include <glib/gi18n.h>
#include <locale.h>
#include <sys/stat.h>

#include "cairn-application.h"
#include "cairn-hardening.h"

int
main (int   argc,
      char *argv[])
{
  g_autoptr(CairnApplication) app = NULL;
  g_autoptr(GError) error = NULL;

  /* Before anything is read: a crash must never put memory on disk. */
  if (!cairn_hardening_disable_core_dumps (&error))
    {
      g_printerr ("%s\n", error->message);
      return EXIT_FAILURE;
    }

  /* Every file Cairn makes is its user's alone, whatever the session's umask. */
  umask (077);

  setlocale (LC_ALL, "");
  bindtextdomain (GETTEXT_PACKAGE, LOCALEDIR);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);

  app = cairn_application_new (G_APPLICATION_DEFAULT_FLAGS);

  return g_application_run (G_APPLICATION (app), argc, argv);
}
