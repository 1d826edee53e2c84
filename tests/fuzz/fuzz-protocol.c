/* fuzz-protocol.c
 *
 * The protocol template importer, as Preferences → Protocols → Import uses
 * it. A template it takes must write out as a file that reads back as the
 * same template (the same text a second time), and must duplicate, as the
 * editor does, without an error.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "cairn-fuzz.h"
#include "cairn-protocol.h"

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
  g_autoptr(CairnProtocol) protocol = NULL;
  g_autoptr(CairnProtocol) back = NULL;
  g_autoptr(CairnProtocol) copy = NULL;
  g_autofree char *text = NULL;
  g_autofree char *again = NULL;

  protocol = cairn_protocol_new_from_data ((const char *) data, (gssize) size, &error);
  cairn_fuzz_check_message (error);
  if (protocol == NULL)
    {
      g_assert_nonnull (error);
      return 0;
    }

  text = cairn_protocol_to_data (protocol);
  g_assert_true (g_utf8_validate (text, -1, NULL));
  back = cairn_protocol_new_from_data (text, -1, &error);
  if (back == NULL)
    g_error ("A template that was taken does not read back: %s", error->message);
  again = cairn_protocol_to_data (back);
  if (g_strcmp0 (text, again) != 0)
    g_error ("A template reads back as another template");

  copy = cairn_protocol_duplicate (protocol, "fuzz-copy", "A copy", &error);
  if (copy == NULL)
    g_error ("A template that was taken cannot be copied: %s", error->message);

  return 0;
}
