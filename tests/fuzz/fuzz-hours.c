/* fuzz-hours.c
 *
 * The practice-hours parser (Preferences → Practice, each person's working
 * hours). What it takes must be a sound week: at most four spans a day, each
 * ending after it begins, none overlapping, none past midnight. What it
 * refuses must leave the week closed.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "cairn-conflicts.h"
#include "cairn-fuzz.h"

int
LLVMFuzzerInitialize (int    *argc,
                      char ***argv)
{
  cairn_fuzz_init ();
  return 0;
}

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *text = cairn_fuzz_text (data, size);
  CairnWeekHours hours;
  gboolean ok = cairn_week_hours_parse (text, &hours, &error);

  cairn_fuzz_check_message (error);
  g_assert_true (ok == (error == NULL));

  for (guint day = 0; day < G_N_ELEMENTS (hours.day); day++)
    {
      const CairnDayHours *dh = &hours.day[day];

      if (!ok || day == 0)
        {
          g_assert_cmpuint (dh->n_hours, ==, 0);
          continue;
        }
      g_assert_cmpuint (dh->n_hours, <=, CAIRN_MAX_HOURS_PER_DAY);
      for (guint i = 0; i < dh->n_hours; i++)
        {
          g_assert_cmpuint (dh->hours[i].open, <, dh->hours[i].close);
          g_assert_cmpuint (dh->hours[i].close, <=, 24 * 60);
          for (guint j = 0; j < i; j++)
            g_assert_true (dh->hours[i].close <= dh->hours[j].open ||
                           dh->hours[j].close <= dh->hours[i].open);
        }
    }

  return 0;
}
