/* cairn-strength-meter.c
 *
 * How strong a new passphrase is, as a bar and a sentence that says why,
 * under the field where it is typed.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "cairn-unlock"

#include "config.h"

#include <glib/gi18n.h>

#include "cairn-passphrase.h"
#include "cairn-strength-meter.h"

struct _CairnStrengthMeter
{
  GtkWidget    parent_instance;

  GtkLevelBar *bar;
  GtkLabel    *label;
  gboolean     acceptable;
};

G_DEFINE_FINAL_TYPE (CairnStrengthMeter, cairn_strength_meter, GTK_TYPE_WIDGET)

static void
cairn_strength_meter_dispose (GObject *object)
{
  GtkWidget *child;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (object))) != NULL)
    gtk_widget_unparent (child);

  G_OBJECT_CLASS (cairn_strength_meter_parent_class)->dispose (object);
}

static void
cairn_strength_meter_class_init (CairnStrengthMeterClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = cairn_strength_meter_dispose;

  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BOX_LAYOUT);
  gtk_widget_class_set_css_name (widget_class, "strengthmeter");
}

static void
cairn_strength_meter_init (CairnStrengthMeter *self)
{
  gtk_orientable_set_orientation (GTK_ORIENTABLE (gtk_widget_get_layout_manager (GTK_WIDGET (self))),
                                  GTK_ORIENTATION_VERTICAL);
  gtk_box_layout_set_spacing (GTK_BOX_LAYOUT (gtk_widget_get_layout_manager (GTK_WIDGET (self))), 6);

  self->bar = GTK_LEVEL_BAR (gtk_level_bar_new_for_interval (0, 4));
  gtk_level_bar_set_mode (self->bar, GTK_LEVEL_BAR_MODE_DISCRETE);
  /* The default offsets read low/high/full; these name our four steps. */
  gtk_level_bar_remove_offset_value (self->bar, GTK_LEVEL_BAR_OFFSET_LOW);
  gtk_level_bar_remove_offset_value (self->bar, GTK_LEVEL_BAR_OFFSET_HIGH);
  gtk_level_bar_remove_offset_value (self->bar, GTK_LEVEL_BAR_OFFSET_FULL);
  gtk_level_bar_add_offset_value (self->bar, GTK_LEVEL_BAR_OFFSET_LOW, 1);
  gtk_level_bar_add_offset_value (self->bar, GTK_LEVEL_BAR_OFFSET_HIGH, 3);
  gtk_level_bar_add_offset_value (self->bar, GTK_LEVEL_BAR_OFFSET_FULL, 4);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->bar), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  _("Passphrase strength"), -1);
  gtk_widget_set_parent (GTK_WIDGET (self->bar), GTK_WIDGET (self));

  self->label = GTK_LABEL (gtk_label_new (NULL));
  gtk_label_set_wrap (self->label, TRUE);
  gtk_label_set_xalign (self->label, 0.0);
  gtk_widget_add_css_class (GTK_WIDGET (self->label), "caption");
  gtk_widget_set_parent (GTK_WIDGET (self->label), GTK_WIDGET (self));

  cairn_strength_meter_update (self, "", NULL);
}

/**
 * cairn_strength_meter_update:
 * @self: a meter
 * @passphrase: what has been typed so far
 * @user_name: (nullable): whose passphrase it will be
 */
void
cairn_strength_meter_update (CairnStrengthMeter *self,
                             const char         *passphrase,
                             const char         *user_name)
{
  g_autofree char *reason = NULL;
  CairnPassphraseStrength strength;
  const char *text;

  g_return_if_fail (CAIRN_IS_STRENGTH_METER (self));

  strength = cairn_passphrase_strength (passphrase, user_name, &reason);
  self->acceptable = strength >= CAIRN_PASSPHRASE_FAIR;

  switch (strength)
    {
    case CAIRN_PASSPHRASE_WEAK:
      text = _("Too weak");
      break;
    case CAIRN_PASSPHRASE_FAIR:
      text = _("Fair");
      break;
    case CAIRN_PASSPHRASE_GOOD:
      text = _("Good");
      break;
    case CAIRN_PASSPHRASE_STRONG:
    default:
      text = _("Strong");
      break;
    }

  gtk_level_bar_set_value (self->bar, passphrase == NULL || *passphrase == '\0' ? 0 : strength + 1);
  if (passphrase == NULL || *passphrase == '\0')
    gtk_label_set_text (self->label, _("Use at least 10 characters: a few unrelated words are long and "
                                       "easy to remember."));
  else if (reason != NULL)
    {
      g_autofree char *line = g_strdup_printf ("%s. %s", text, _(reason));

      gtk_label_set_text (self->label, line);
    }
  else
    gtk_label_set_text (self->label, text);
}

gboolean
cairn_strength_meter_get_acceptable (CairnStrengthMeter *self)
{
  g_return_val_if_fail (CAIRN_IS_STRENGTH_METER (self), FALSE);

  return self->acceptable;
}

const char *
cairn_strength_meter_get_text (CairnStrengthMeter *self)
{
  g_return_val_if_fail (CAIRN_IS_STRENGTH_METER (self), NULL);

  return gtk_label_get_text (self->label);
}
