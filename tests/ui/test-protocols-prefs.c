/* test-protocols-prefs.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "cairn-test-utils.h"

int
main (int   argc,
      char *argv[])
{
  cairn_test_init_gtk (&argc, &argv);
  return cairn_test_run ();
}
