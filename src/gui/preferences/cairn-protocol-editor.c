/* cairn-protocol-editor.c
 *
 * Edits one of the practice's own protocol templates: its name, medicine
 * and description; each appointment type's length and staff; the shape of
 * the course; the sections of each type's session note; the exclusions
 * screening asks about and the pregnancy test; and when outcome measures
 * are due.
 *
 * The window works on the template's JSON, so members it does not show
 * are kept. Every change is checked at once by the same code that reads
 * templates (cairn-protocol.c), and its first problem is said under the
 * group of the field it names; Save checks again and writes the template
 * in one transaction, on the vault's worker (cairn_protocols_save_async()). A
 * name another template has is refused there, and said at the name.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "cairn-preferences"

#include "config.h"

#include <glib/gi18n.h>
#include <json-glib/json-glib.h>
#include <string.h>

#include "cairn-context.h"
#include "cairn-protocol-editor.h"
#include "cairn-protocols.h"
#include "cairn-runner.h"
#include "cairn-settings-screen.h"

typedef enum
{
  GROUP_TEMPLATE,
  GROUP_TYPES,
  GROUP_COURSE,
  GROUP_NOTES,
  GROUP_SCREENING,
  GROUP_MEASURES,
  N_GROUPS
} GroupIndex;

typedef struct
{
  AdwPreferencesGroup *group;
  GtkLabel            *problem;
  GPtrArray           *rows;    /* what was added, to rebuild */
} Group;

struct _CairnProtocolEditor
{
  AdwWindow           parent_instance;

  CairnContext       *context;
  CairnRunner        *runner;
  JsonNode           *root;        /* the template being edited */
  GHashTable         *expanded;    /* keys of the expander rows left open */
  gboolean            building;

  AdwPreferencesPage *page;
  GtkWidget          *save_button;
  Group               groups[N_GROUPS];
};

G_DEFINE_FINAL_TYPE (CairnProtocolEditor, cairn_protocol_editor, ADW_TYPE_WINDOW)

enum {
  SIGNAL_SAVED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

enum {
  PROP_0,
  PROP_CONTEXT,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

/* The steps of a course as the template names them, in order. */
static const struct
{
  const char *member;
  const char *title;
} steps[] = {
  { "preparation", N_("Preparation") },
  { "medicine_sessions", N_("Medicine sessions") },
  { "integration", N_("Integration after each medicine session") },
  { "phone_check_ins", N_("Phone check-ins after each medicine session") },
  { "follow_up", N_("Follow-up after the last medicine session") },
};

static void rebuild_notes     (CairnProtocolEditor *self);
static void rebuild_screening (CairnProtocolEditor *self);
static void rebuild_measures  (CairnProtocolEditor *self);
static void check_template    (CairnProtocolEditor *self,
                               gboolean             reveal);

static JsonObject *
top (CairnProtocolEditor *self)
{
  return json_node_get_object (self->root);
}

/* ------------------------------------------------------------------------ */
/* Names shown                                                               */

static char *
instrument_label (const char *id)
{
  /* The instruments' own names, such as PCL-5: not translated. */
  return g_ascii_strup (id, -1);
}

static const char *
anchor_label (const char *anchor)
{
  if (g_strcmp0 (anchor, "screening") == 0)
    return _("Screening");
  if (g_strcmp0 (anchor, "medicine-session") == 0)
    return _("Each medicine session");
  if (g_strcmp0 (anchor, "follow-up") == 0)
    return _("Each follow-up");
  return anchor;
}

static void
describe_type (AdwExpanderRow *row,
               JsonObject     *type)
{
  guint minutes = (guint) json_object_get_int_member_with_default (type, "minutes", 0);
  guint staff = (guint) json_object_get_int_member_with_default (type, "staff", 0);
  g_autofree char *length = g_strdup_printf (ngettext ("%u minute", "%u minutes", minutes),
                                             minutes);
  g_autofree char *people = g_strdup_printf (ngettext ("%u staff", "%u staff", staff), staff);
  /* Translators: an appointment type's length and staff, as in "90 minutes · 2 staff" */
  g_autofree char *text = g_strdup_printf (_("%s · %s"), length, people);

  adw_expander_row_set_subtitle (row, text);
}

static void
describe_step (AdwExpanderRow *row,
               JsonObject     *step)
{
  guint count = (guint) json_object_get_int_member_with_default (step, "count", 0);
  guint interval = (guint) json_object_get_int_member_with_default (step, "interval_days", 0);
  g_autofree char *text = NULL;

  if (count == 0)
    text = g_strdup (_("None"));
  else if (count == 1)
    text = g_strdup (_("One"));
  else
    /* Translators: how many sessions of a step, and how far apart */
    text = g_strdup_printf (ngettext ("%u, %u day apart", "%u, %u days apart", interval),
                            count, interval);
  adw_expander_row_set_subtitle (row, text);
}

static void
describe_sections (AdwExpanderRow *row,
                   JsonObject     *type)
{
  JsonArray *sections = json_object_get_array_member (type, "note_sections");
  guint n = sections != NULL ? json_array_get_length (sections) : 0;
  guint required = 0;
  g_autofree char *text = NULL;

  for (guint i = 0; i < n; i++)
    required += json_object_get_boolean_member_with_default (
      json_array_get_object_element (sections, i), "required", FALSE);

  if (n == 0)
    text = g_strdup (_("No sections"));
  else if (required == 0)
    text = g_strdup_printf (ngettext ("%u section", "%u sections", n), n);
  else
    /* Translators: note sections, as in "5 sections, 1 required" */
    text = g_strdup_printf (ngettext ("%u section, %u required", "%u sections, %u required", n),
                            n, required);
  adw_expander_row_set_subtitle (row, text);
}

static void
describe_measure (AdwExpanderRow *row,
                  JsonObject     *measure)
{
  g_autofree char *name = instrument_label (json_object_get_string_member_with_default (
                                              measure, "instrument", ""));
  const char *anchor = anchor_label (json_object_get_string_member_with_default (measure, "anchor",
                                                                                 ""));
  int offset = (int) json_object_get_int_member_with_default (measure, "offset_days", 0);
  guint grace = (guint) json_object_get_int_member_with_default (measure, "grace_days", 0);
  g_autofree char *when = NULL;
  g_autofree char *text = NULL;

  if (offset == 0)
    when = g_strdup (anchor);
  else if (offset > 0)
    /* Translators: when a measure is due, as in "Each medicine session, 21 days after" */
    when = g_strdup_printf (ngettext ("%s, %d day after", "%s, %d days after", offset),
                            anchor, offset);
  else
    when = g_strdup_printf (ngettext ("%s, %d day before", "%s, %d days before", -offset),
                            anchor, -offset);
  /* Translators: when a measure is due, then how many days it may be late */
  text = g_strdup_printf (ngettext ("%s · %u day of grace", "%s · %u days of grace", grace),
                          when, grace);

  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), name);
  adw_expander_row_set_subtitle (row, text);
}

static void
describe_exclusions (AdwExpanderRow *row,
                     JsonObject     *screening)
{
  JsonArray *exclusions = json_object_get_array_member (screening, "exclusions");
  guint n = exclusions != NULL ? json_array_get_length (exclusions) : 0;
  g_autofree char *text = n == 0 ? g_strdup (_("None"))
                                 : g_strdup_printf (ngettext ("%u question", "%u questions", n), n);

  adw_expander_row_set_subtitle (row, text);
}

typedef void (*DescribeFunc) (AdwExpanderRow *row,
                              JsonObject     *object);

/* ------------------------------------------------------------------------ */
/* Fields and their problems                                                 */

/* Marks @widget as the field at @path (a JSON path, as the template's
 * checks name fields) in @group. */
static void
set_field (GtkWidget  *widget,
           GroupIndex  group,
           const char *path)
{
  g_object_set_data_full (G_OBJECT (widget), "cairn-path", g_strdup (path), g_free);
  g_object_set_data (G_OBJECT (widget), "cairn-group", GINT_TO_POINTER (group));
}

static GtkWidget *
find_path (GtkWidget  *root,
           const char *path)
{
  if (g_strcmp0 (g_object_get_data (G_OBJECT (root), "cairn-path"), path) == 0)
    return root;
  for (GtkWidget *child = gtk_widget_get_first_child (root); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = find_path (child, path);

      if (found != NULL)
        return found;
    }
  return NULL;
}

/* The field at @path, or else at the nearest path above it. */
static GtkWidget *
find_field (CairnProtocolEditor *self,
            const char          *path)
{
  g_autofree char *at = g_strdup (path);

  while (*at != '\0')
    {
      GtkWidget *found = find_path (GTK_WIDGET (self->page), at);
      char *dot = strrchr (at, '.');
      char *bracket = strrchr (at, '[');
      char *cut = dot > bracket ? dot : bracket;

      if (found != NULL)
        return found;
      if (cut == NULL)
        break;
      *cut = '\0';
    }
  return NULL;
}

static void
unmark (GtkWidget *root)
{
  if (g_object_get_data (G_OBJECT (root), "cairn-path") != NULL)
    gtk_widget_remove_css_class (root, "error");
  for (GtkWidget *child = gtk_widget_get_first_child (root); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    unmark (child);
}

static void
clear_problems (CairnProtocolEditor *self)
{
  unmark (GTK_WIDGET (self->page));
  for (guint i = 0; i < N_GROUPS; i++)
    {
      gtk_label_set_text (self->groups[i].problem, "");
      gtk_widget_set_visible (GTK_WIDGET (self->groups[i].problem), FALSE);
    }
}

static void
show_group_problem (CairnProtocolEditor *self,
                    GroupIndex           group,
                    const char          *text)
{
  gtk_label_set_text (self->groups[group].problem, text);
  gtk_widget_set_visible (GTK_WIDGET (self->groups[group].problem), TRUE);
}

/* Says @message ("path: what is wrong", as the template's checks word it)
 * under the group of the field it names, marks the field and, when
 * @reveal, opens the rows it is in and moves there. A message naming no
 * field shown here goes under the template's name. */
static void
show_problem (CairnProtocolEditor *self,
              const char          *message,
              gboolean             reveal)
{
  const char *separator = strstr (message, ": ");
  g_autofree char *path = NULL;
  g_autofree char *text = NULL;
  GtkWidget *field = NULL;
  GroupIndex group;

  if (separator != NULL && memchr (message, ' ', (gsize) (separator - message)) == NULL)
    {
      path = g_strndup (message, (gsize) (separator - message));
      field = find_field (self, path);
    }
  if (field == NULL)
    {
      show_group_problem (self, GROUP_TEMPLATE, message);
      return;
    }

  group = GPOINTER_TO_INT (g_object_get_data (G_OBJECT (field), "cairn-group"));
  gtk_widget_add_css_class (field, "error");
  if (ADW_IS_PREFERENCES_ROW (field))
    /* Translators: a field's title, then what is wrong with it */
    text = g_strdup_printf (_("%s: %s"),
                            adw_preferences_row_get_title (ADW_PREFERENCES_ROW (field)),
                            separator + 2);
  else
    text = g_strdup (separator + 2);
  show_group_problem (self, group, text);

  if (!reveal)
    return;
  for (GtkWidget *up = gtk_widget_get_parent (field); up != NULL; up = gtk_widget_get_parent (up))
    if (ADW_IS_EXPANDER_ROW (up))
      adw_expander_row_set_expanded (ADW_EXPANDER_ROW (up), TRUE);
  gtk_widget_grab_focus (field);
}

/* Reads the template as it stands with the code that reads templates. */
static CairnProtocol *
read_template (CairnProtocolEditor  *self,
               GError              **error)
{
  g_autofree char *json = json_to_string (self->root, FALSE);

  return cairn_protocol_new_from_data (json, -1, error);
}

static void
check_template (CairnProtocolEditor *self,
                gboolean             reveal)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CairnProtocol) protocol = read_template (self, &error);

  clear_problems (self);
  if (protocol == NULL)
    show_problem (self, error->message, reveal);
}

/* ------------------------------------------------------------------------ */
/* Rows bound to the template's members                                      */

typedef enum
{
  BIND_TEXT,
  BIND_INT,
  BIND_BOOL,
  BIND_CHOICE,
} BindKind;

typedef struct
{
  CairnProtocolEditor *self;
  BindKind             kind;
  JsonObject          *object;
  char                *member;
  const char * const  *choices;
  AdwExpanderRow      *expander;   /* described again on a change */
  DescribeFunc         describe;
  JsonObject          *described;
} Binding;

static void
binding_free (Binding *binding)
{
  json_object_unref (binding->object);
  g_clear_pointer (&binding->described, json_object_unref);
  g_free (binding->member);
  g_free (binding);
}

static Binding *
bind (CairnProtocolEditor *self,
      GtkWidget           *widget,
      BindKind             kind,
      JsonObject          *object,
      const char          *member)
{
  Binding *binding = g_new0 (Binding, 1);

  binding->self = self;
  binding->kind = kind;
  binding->object = json_object_ref (object);
  binding->member = g_strdup (member);
  g_object_set_data_full (G_OBJECT (widget), "cairn-binding", binding,
                          (GDestroyNotify) binding_free);
  return binding;
}

static void
bind_describe (Binding        *binding,
               AdwExpanderRow *expander,
               DescribeFunc    describe,
               JsonObject     *described)
{
  binding->expander = expander;
  binding->describe = describe;
  binding->described = json_object_ref (described);
}

static void
on_bound_changed_cb (GObject    *widget,
                     GParamSpec *pspec,
                     gpointer    user_data)
{
  Binding *binding = g_object_get_data (widget, "cairn-binding");
  CairnProtocolEditor *self = binding->self;

  if (self->building)
    return;

  switch (binding->kind)
    {
    case BIND_TEXT:
      json_object_set_string_member (binding->object, binding->member,
                                     gtk_editable_get_text (GTK_EDITABLE (widget)));
      break;

    case BIND_INT:
      json_object_set_int_member (binding->object, binding->member,
                                  gtk_spin_button_get_value_as_int (GTK_SPIN_BUTTON (widget)));
      break;

    case BIND_BOOL:
      json_object_set_boolean_member (binding->object, binding->member,
                                      GTK_IS_SWITCH (widget)
                                      ? gtk_switch_get_active (GTK_SWITCH (widget))
                                      : gtk_check_button_get_active (GTK_CHECK_BUTTON (widget)));
      break;

    case BIND_CHOICE:
      {
        guint selected = adw_combo_row_get_selected (ADW_COMBO_ROW (widget));

        if (selected < g_strv_length ((char **) binding->choices))
          json_object_set_string_member (binding->object, binding->member,
                                         binding->choices[selected]);
      }
      break;

    default:
      g_assert_not_reached ();
    }

  if (binding->describe != NULL)
    binding->describe (binding->expander, binding->described);
  check_template (self, FALSE);
}

static void
on_bound_edited_cb (GtkEditable *editable,
                    gpointer     user_data)
{
  on_bound_changed_cb (G_OBJECT (editable), NULL, user_data);
}

static void
on_bound_spun_cb (GtkSpinButton *spin,
                  gpointer       user_data)
{
  on_bound_changed_cb (G_OBJECT (spin), NULL, user_data);
}

static void
on_bound_toggled_cb (GtkCheckButton *check,
                     gpointer        user_data)
{
  on_bound_changed_cb (G_OBJECT (check), NULL, user_data);
}

static GtkWidget *
text_row_new (CairnProtocolEditor *self,
              const char          *title,
              JsonObject          *object,
              const char          *member,
              GroupIndex           group,
              const char          *path)
{
  GtkWidget *row = adw_entry_row_new ();

  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
  gtk_editable_set_text (GTK_EDITABLE (row),
                         json_object_get_string_member_with_default (object, member, ""));
  bind (self, row, BIND_TEXT, object, member);
  set_field (row, group, path);
  g_signal_connect (row, "changed", G_CALLBACK (on_bound_edited_cb), NULL);
  return row;
}

/* A whole number in [@min, @max]; the template's checks say more. */
static GtkWidget *
number_row_new (CairnProtocolEditor *self,
                const char          *title,
                const char          *subtitle,
                JsonObject          *object,
                const char          *member,
                int                  min,
                int                  max,
                GroupIndex           group,
                const char          *path,
                Binding            **binding_out)
{
  GtkWidget *row = adw_action_row_new ();
  GtkWidget *spin = gtk_spin_button_new_with_range (min, max, 1);
  Binding *binding;

  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
  if (subtitle != NULL)
    adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);
  gtk_spin_button_set_numeric (GTK_SPIN_BUTTON (spin), TRUE);
  gtk_spin_button_set_value (GTK_SPIN_BUTTON (spin),
                             (double) json_object_get_int_member_with_default (object, member, 0));
  gtk_widget_set_valign (spin, GTK_ALIGN_CENTER);
  gtk_accessible_update_property (GTK_ACCESSIBLE (spin), GTK_ACCESSIBLE_PROPERTY_LABEL, title, -1);
  adw_action_row_add_suffix (ADW_ACTION_ROW (row), spin);
  adw_action_row_set_activatable_widget (ADW_ACTION_ROW (row), spin);
  binding = bind (self, spin, BIND_INT, object, member);
  set_field (row, group, path);
  g_signal_connect (spin, "value-changed", G_CALLBACK (on_bound_spun_cb), NULL);
  if (binding_out != NULL)
    *binding_out = binding;
  return row;
}

static GtkWidget *
choice_row_new (CairnProtocolEditor *self,
                const char          *title,
                const char * const  *choices,
                const char          *(*label) (const char *),
                char                *(*dup_label) (const char *),
                JsonObject          *object,
                const char          *member,
                GroupIndex           group,
                const char          *path,
                Binding            **binding_out)
{
  GtkWidget *row = adw_combo_row_new ();
  g_autoptr(GtkStringList) model = gtk_string_list_new (NULL);
  const char *value = json_object_get_string_member_with_default (object, member, "");
  Binding *binding;
  guint selected = 0;

  for (guint i = 0; choices[i] != NULL; i++)
    {
      g_autofree char *owned = dup_label != NULL ? dup_label (choices[i]) : NULL;

      gtk_string_list_append (model, owned != NULL ? owned : label (choices[i]));
      if (g_str_equal (choices[i], value))
        selected = i;
    }
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
  adw_combo_row_set_model (ADW_COMBO_ROW (row), G_LIST_MODEL (model));
  adw_combo_row_set_selected (ADW_COMBO_ROW (row), selected);
  binding = bind (self, row, BIND_CHOICE, object, member);
  binding->choices = choices;
  set_field (row, group, path);
  g_signal_connect (row, "notify::selected", G_CALLBACK (on_bound_changed_cb), NULL);
  *binding_out = binding;
  return row;
}

/* An expander row that stays open across rebuilds of its group. */
static void
on_expanded_cb (AdwExpanderRow      *row,
                GParamSpec          *pspec,
                CairnProtocolEditor *self)
{
  const char *key = g_object_get_data (G_OBJECT (row), "cairn-key");

  if (adw_expander_row_get_expanded (row))
    g_hash_table_add (self->expanded, g_strdup (key));
  else
    g_hash_table_remove (self->expanded, key);
}

static GtkWidget *
expander_new (CairnProtocolEditor *self,
              const char          *title,
              const char          *key)
{
  GtkWidget *row = adw_expander_row_new ();

  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
  g_object_set_data_full (G_OBJECT (row), "cairn-key", g_strdup (key), g_free);
  adw_expander_row_set_expanded (ADW_EXPANDER_ROW (row),
                                 g_hash_table_contains (self->expanded, key));
  g_signal_connect_object (row, "notify::expanded", G_CALLBACK (on_expanded_cb), self, 0);
  return row;
}

static GtkWidget *
remove_button_new (const char *what)
{
  GtkWidget *button = gtk_button_new_from_icon_name ("user-trash-symbolic");
  /* Translators: the label a screen reader gives a bin button, as in "Remove Intentions" */
  g_autofree char *label = g_strdup_printf (_("Remove %s"), what);

  gtk_widget_set_valign (button, GTK_ALIGN_CENTER);
  gtk_widget_set_tooltip_text (button, _("Remove"));
  gtk_accessible_update_property (GTK_ACCESSIBLE (button), GTK_ACCESSIBLE_PROPERTY_LABEL, label,
                                  -1);
  gtk_widget_add_css_class (button, "flat");
  return button;
}

static void
group_add (CairnProtocolEditor *self,
           GroupIndex           group,
           GtkWidget           *row)
{
  adw_preferences_group_add (self->groups[group].group, row);
  g_ptr_array_add (self->groups[group].rows, row);
}

static void
group_clear (CairnProtocolEditor *self,
             GroupIndex           group)
{
  GPtrArray *rows = self->groups[group].rows;

  for (guint i = 0; i < rows->len; i++)
    adw_preferences_group_remove (self->groups[group].group, g_ptr_array_index (rows, i));
  g_ptr_array_set_size (rows, 0);
}

/* An id for a new entry of @list, made from its @title: "Safety plan" →
 * "safety-plan", with a number if taken. Ids stay when entries are
 * renamed: notes and answers are kept under them. */
static char *
new_id (JsonArray  *list,
        const char *title,
        const char *fallback)
{
  g_autofree char *ascii = g_str_to_ascii (title, "C");
  GString *id = g_string_new (NULL);
  g_autofree char *base = NULL;

  for (const char *p = ascii; *p != '\0' && id->len < 48; p++)
    {
      if (g_ascii_isalnum (*p))
        g_string_append_c (id, g_ascii_tolower (*p));
      else if (id->len > 0 && id->str[id->len - 1] != '-')
        g_string_append_c (id, '-');
    }
  while (id->len > 0 && id->str[id->len - 1] == '-')
    g_string_truncate (id, id->len - 1);
  if (id->len == 0)
    g_string_append (id, fallback);
  base = g_string_free (id, FALSE);

  for (guint n = 1;; n++)
    {
      g_autofree char *candidate = n == 1 ? g_strdup (base) : g_strdup_printf ("%s-%u", base, n);
      gboolean taken = FALSE;

      for (guint i = 0; i < json_array_get_length (list) && !taken; i++)
        taken = g_strcmp0 (json_object_get_string_member_with_default (
                             json_array_get_object_element (list, i), "id", NULL),
                           candidate) == 0;
      if (!taken)
        return g_steal_pointer (&candidate);
    }
}

static JsonArray *
ensure_array (JsonObject *object,
              const char *member)
{
  if (!json_object_has_member (object, member) ||
      !JSON_NODE_HOLDS_ARRAY (json_object_get_member (object, member)))
    json_object_set_array_member (object, member, json_array_new ());
  return json_object_get_array_member (object, member);
}

/* ------------------------------------------------------------------------ */
/* The template, its types and the course                                    */

static void
build_template (CairnProtocolEditor *self)
{
  group_add (self, GROUP_TEMPLATE,
             text_row_new (self, _("Name"), top (self), "name", GROUP_TEMPLATE, "name"));
  group_add (self, GROUP_TEMPLATE,
             text_row_new (self, _("Medicine"), top (self), "medicine", GROUP_TEMPLATE,
                           "medicine"));
  group_add (self, GROUP_TEMPLATE,
             text_row_new (self, _("Description"), top (self), "description", GROUP_TEMPLATE,
                           "description"));
}

static void
build_types (CairnProtocolEditor *self)
{
  JsonArray *types = json_object_get_array_member (top (self), "appointment_types");

  for (guint i = 0; types != NULL && i < json_array_get_length (types); i++)
    {
      JsonObject *type = json_array_get_object_element (types, i);
      g_autofree char *path = g_strdup_printf ("appointment_types[%u]", i);
      g_autofree char *minutes_path = g_strconcat (path, ".minutes", NULL);
      g_autofree char *staff_path = g_strconcat (path, ".staff", NULL);
      g_autofree char *key = g_strconcat ("type:", path, NULL);
      GtkWidget *expander = expander_new (self, json_object_get_string_member_with_default (
                                                  type, "name", ""), key);
      Binding *binding;

      set_field (expander, GROUP_TYPES, path);
      describe_type (ADW_EXPANDER_ROW (expander), type);
      adw_expander_row_add_row (ADW_EXPANDER_ROW (expander),
                                number_row_new (self, _("Minutes"), NULL, type, "minutes", 5, 960,
                                                GROUP_TYPES, minutes_path, &binding));
      bind_describe (binding, ADW_EXPANDER_ROW (expander), describe_type, type);
      adw_expander_row_add_row (ADW_EXPANDER_ROW (expander),
                                number_row_new (self, _("Staff"), _("Therapists present"), type,
                                                "staff", 0, 4, GROUP_TYPES, staff_path, &binding));
      bind_describe (binding, ADW_EXPANDER_ROW (expander), describe_type, type);
      group_add (self, GROUP_TYPES, expander);
    }
}

static void
build_course (CairnProtocolEditor *self)
{
  JsonObject *course = json_object_get_object_member (top (self), "course");

  for (guint i = 0; course != NULL && i < G_N_ELEMENTS (steps); i++)
    {
      JsonObject *step = json_object_get_object_member (course, steps[i].member);
      g_autofree char *path = g_strconcat ("course.", steps[i].member, NULL);
      g_autofree char *key = g_strconcat ("step:", steps[i].member, NULL);
      GtkWidget *expander;
      const struct
      {
        const char *member;
        const char *title;
        const char *subtitle;
        int         max;
      } fields[] = {
        { "count", _("How many"), NULL, 50 },
        { "first_after_days", _("Days until the first"), NULL, 730 },
        { "interval_days", _("Days apart"), NULL, 365 },
        { "tolerance_days", _("Days of leeway"), _("How much later a free slot may be"), 60 },
      };

      if (step == NULL)
        continue;
      expander = expander_new (self, _(steps[i].title), key);
      set_field (expander, GROUP_COURSE, path);
      describe_step (ADW_EXPANDER_ROW (expander), step);
      for (guint f = 0; f < G_N_ELEMENTS (fields); f++)
        {
          g_autofree char *field_path = g_strconcat (path, ".", fields[f].member, NULL);
          Binding *binding;

          adw_expander_row_add_row (ADW_EXPANDER_ROW (expander),
                                    number_row_new (self, fields[f].title, fields[f].subtitle, step,
                                                    fields[f].member, 0, fields[f].max,
                                                    GROUP_COURSE, field_path, &binding));
          bind_describe (binding, ADW_EXPANDER_ROW (expander), describe_step, step);
        }
      group_add (self, GROUP_COURSE, expander);
    }
}

/* ------------------------------------------------------------------------ */
/* Note sections                                                             */

static void
on_remove_section_cb (GtkButton           *button,
                      CairnProtocolEditor *self)
{
  JsonArray *sections = g_object_get_data (G_OBJECT (button), "cairn-list");
  guint index = GPOINTER_TO_UINT (g_object_get_data (G_OBJECT (button), "cairn-index"));

  json_array_remove_element (sections, index);
  rebuild_notes (self);
  check_template (self, FALSE);
}

static void
on_add_section_cb (AdwEntryRow         *row,
                   CairnProtocolEditor *self)
{
  JsonObject *type = g_object_get_data (G_OBJECT (row), "cairn-type");
  g_autofree char *title = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (row))));
  JsonArray *sections;
  JsonObject *section;
  g_autofree char *id = NULL;

  if (*title == '\0')
    {
      clear_problems (self);
      gtk_widget_add_css_class (GTK_WIDGET (row), "error");
      show_group_problem (self, GROUP_NOTES, _("Type the new section’s title, then press Enter."));
      return;
    }

  sections = ensure_array (type, "note_sections");
  id = new_id (sections, title, "section");
  section = json_object_new ();
  json_object_set_string_member (section, "id", id);
  json_object_set_string_member (section, "title", title);
  json_object_set_boolean_member (section, "required", FALSE);
  json_array_add_object_element (sections, section);
  rebuild_notes (self);
  check_template (self, FALSE);
}

static void
rebuild_notes (CairnProtocolEditor *self)
{
  JsonArray *types = json_object_get_array_member (top (self), "appointment_types");

  self->building = TRUE;
  group_clear (self, GROUP_NOTES);
  for (guint i = 0; types != NULL && i < json_array_get_length (types); i++)
    {
      JsonObject *type = json_array_get_object_element (types, i);
      JsonArray *sections = ensure_array (type, "note_sections");
      g_autofree char *path = g_strdup_printf ("appointment_types[%u].note_sections", i);
      g_autofree char *key = g_strconcat ("notes:", json_object_get_string_member_with_default (
                                                     type, "id", ""), NULL);
      GtkWidget *expander = expander_new (self, json_object_get_string_member_with_default (
                                                  type, "name", ""), key);
      GtkWidget *add = adw_entry_row_new ();

      describe_sections (ADW_EXPANDER_ROW (expander), type);
      for (guint j = 0; j < json_array_get_length (sections); j++)
        {
          JsonObject *section = json_array_get_object_element (sections, j);
          /* Translators: the title of the row holding a note section's title */
          g_autofree char *title = g_strdup_printf (_("Section %u"), j + 1);
          g_autofree char *section_path = g_strdup_printf ("%s[%u]", path, j);
          g_autofree char *required_path = g_strconcat (section_path, ".required", NULL);
          GtkWidget *row = text_row_new (self, title, section, "title", GROUP_NOTES, section_path);
          GtkWidget *required = gtk_check_button_new_with_mnemonic (_("Required"));
          GtkWidget *remove = remove_button_new (json_object_get_string_member_with_default (
                                                   section, "title", ""));
          Binding *binding;

          gtk_widget_set_valign (required, GTK_ALIGN_CENTER);
          gtk_widget_set_tooltip_text (required, _("Must hold text before the note can be signed"));
          gtk_check_button_set_active (GTK_CHECK_BUTTON (required),
                                       json_object_get_boolean_member_with_default (section,
                                                                                   "required",
                                                                                   FALSE));
          binding = bind (self, required, BIND_BOOL, section, "required");
          bind_describe (binding, ADW_EXPANDER_ROW (expander), describe_sections, type);
          set_field (required, GROUP_NOTES, required_path);
          g_signal_connect (required, "toggled", G_CALLBACK (on_bound_toggled_cb), NULL);
          adw_entry_row_add_suffix (ADW_ENTRY_ROW (row), required);

          g_object_set_data (G_OBJECT (remove), "cairn-list", sections);
          g_object_set_data (G_OBJECT (remove), "cairn-index", GUINT_TO_POINTER (j));
          g_signal_connect_object (remove, "clicked", G_CALLBACK (on_remove_section_cb), self, 0);
          adw_entry_row_add_suffix (ADW_ENTRY_ROW (row), remove);
          adw_expander_row_add_row (ADW_EXPANDER_ROW (expander), row);
        }

      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (add), _("Add section"));
      adw_entry_row_set_show_apply_button (ADW_ENTRY_ROW (add), TRUE);
      g_object_set_data_full (G_OBJECT (add), "cairn-type", json_object_ref (type),
                              (GDestroyNotify) json_object_unref);
      set_field (add, GROUP_NOTES, path);
      g_signal_connect_object (add, "apply", G_CALLBACK (on_add_section_cb), self, 0);
      g_signal_connect_object (add, "entry-activated", G_CALLBACK (on_add_section_cb), self, 0);
      adw_expander_row_add_row (ADW_EXPANDER_ROW (expander), add);
      group_add (self, GROUP_NOTES, expander);
    }
  self->building = FALSE;
}

/* ------------------------------------------------------------------------ */
/* Screening                                                                 */

static JsonObject *
screening (CairnProtocolEditor *self)
{
  if (!json_object_has_member (top (self), "screening"))
    {
      JsonObject *object = json_object_new ();

      json_object_set_boolean_member (object, "pregnancy_tests", TRUE);
      json_object_set_object_member (top (self), "screening", object);
    }
  return json_object_get_object_member (top (self), "screening");
}

static void
on_remove_exclusion_cb (GtkButton           *button,
                        CairnProtocolEditor *self)
{
  JsonArray *exclusions = ensure_array (screening (self), "exclusions");

  guint index = GPOINTER_TO_UINT (g_object_get_data (G_OBJECT (button), "cairn-index"));

  json_array_remove_element (exclusions, index);
  rebuild_screening (self);
  check_template (self, FALSE);
}

static void
on_add_exclusion_cb (AdwEntryRow         *row,
                     CairnProtocolEditor *self)
{
  g_autofree char *title = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (row))));
  JsonArray *exclusions = ensure_array (screening (self), "exclusions");
  JsonObject *exclusion;
  g_autofree char *id = NULL;

  if (*title == '\0')
    {
      clear_problems (self);
      gtk_widget_add_css_class (GTK_WIDGET (row), "error");
      show_group_problem (self, GROUP_SCREENING,
                          _("Type the question, such as “Eating disorder”, then press Enter."));
      return;
    }

  id = new_id (exclusions, title, "exclusion");
  exclusion = json_object_new ();
  json_object_set_string_member (exclusion, "id", id);
  json_object_set_string_member (exclusion, "title", title);
  json_array_add_object_element (exclusions, exclusion);
  rebuild_screening (self);
  check_template (self, FALSE);
}

static void
rebuild_screening (CairnProtocolEditor *self)
{
  JsonObject *object = screening (self);
  JsonArray *exclusions = ensure_array (object, "exclusions");
  GtkWidget *pregnancy = adw_action_row_new ();
  GtkWidget *toggle = gtk_switch_new ();
  GtkWidget *expander = expander_new (self, _("Exclusions"), "exclusions");
  GtkWidget *add = adw_entry_row_new ();

  self->building = TRUE;
  group_clear (self, GROUP_SCREENING);

  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (pregnancy), _("Pregnancy test"));
  adw_action_row_set_subtitle (ADW_ACTION_ROW (pregnancy),
                               _("At screening and before each medicine session, where it "
                                 "applies"));
  gtk_switch_set_active (GTK_SWITCH (toggle),
                         json_object_get_boolean_member_with_default (object, "pregnancy_tests",
                                                                      TRUE));
  gtk_widget_set_valign (toggle, GTK_ALIGN_CENTER);
  adw_action_row_add_suffix (ADW_ACTION_ROW (pregnancy), toggle);
  adw_action_row_set_activatable_widget (ADW_ACTION_ROW (pregnancy), toggle);
  bind (self, toggle, BIND_BOOL, object, "pregnancy_tests");
  set_field (pregnancy, GROUP_SCREENING, "screening.pregnancy_tests");
  g_signal_connect (toggle, "notify::active", G_CALLBACK (on_bound_changed_cb), NULL);
  group_add (self, GROUP_SCREENING, pregnancy);

  describe_exclusions (ADW_EXPANDER_ROW (expander), object);
  for (guint i = 0; i < json_array_get_length (exclusions); i++)
    {
      JsonObject *exclusion = json_array_get_object_element (exclusions, i);
      /* Translators: the title of the row holding an exclusion's question */
      g_autofree char *title = g_strdup_printf (_("Exclusion %u"), i + 1);
      g_autofree char *path = g_strdup_printf ("screening.exclusions[%u]", i);
      GtkWidget *row = text_row_new (self, title, exclusion, "title", GROUP_SCREENING, path);
      GtkWidget *remove = remove_button_new (json_object_get_string_member_with_default (
                                               exclusion, "title", ""));

      g_object_set_data (G_OBJECT (remove), "cairn-index", GUINT_TO_POINTER (i));
      g_signal_connect_object (remove, "clicked", G_CALLBACK (on_remove_exclusion_cb), self, 0);
      adw_entry_row_add_suffix (ADW_ENTRY_ROW (row), remove);
      adw_expander_row_add_row (ADW_EXPANDER_ROW (expander), row);
    }

  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (add), _("Add exclusion"));
  adw_entry_row_set_show_apply_button (ADW_ENTRY_ROW (add), TRUE);
  set_field (add, GROUP_SCREENING, "screening.exclusions");
  g_signal_connect_object (add, "apply", G_CALLBACK (on_add_exclusion_cb), self, 0);
  g_signal_connect_object (add, "entry-activated", G_CALLBACK (on_add_exclusion_cb), self, 0);
  adw_expander_row_add_row (ADW_EXPANDER_ROW (expander), add);
  set_field (expander, GROUP_SCREENING, "screening");
  group_add (self, GROUP_SCREENING, expander);
  self->building = FALSE;
}

/* ------------------------------------------------------------------------ */
/* Outcome measures                                                          */

static void
on_remove_measure_cb (GtkButton           *button,
                      CairnProtocolEditor *self)
{
  JsonArray *measures = ensure_array (top (self), "measures");
  GHashTableIter iter;
  const char *key;

  guint index = GPOINTER_TO_UINT (g_object_get_data (G_OBJECT (button), "cairn-index"));

  json_array_remove_element (measures, index);
  /* The ones after it move up: none stays open by mistake. */
  g_hash_table_iter_init (&iter, self->expanded);
  while (g_hash_table_iter_next (&iter, (gpointer *) &key, NULL))
    if (g_str_has_prefix (key, "measure:"))
      g_hash_table_iter_remove (&iter);
  rebuild_measures (self);
  check_template (self, FALSE);
}

static gboolean
measure_taken (JsonArray  *measures,
               const char *instrument,
               const char *anchor)
{
  for (guint i = 0; i < json_array_get_length (measures); i++)
    {
      JsonObject *m = json_array_get_object_element (measures, i);

      const char *its_instrument = json_object_get_string_member_with_default (m, "instrument", "");
      const char *its_anchor = json_object_get_string_member_with_default (m, "anchor", "");

      if (g_strcmp0 (its_instrument, instrument) == 0 && g_strcmp0 (its_anchor, anchor) == 0 &&
          json_object_get_int_member_with_default (m, "offset_days", -1) == 0)
        return TRUE;
    }
  return FALSE;
}

static void
on_add_measure_cb (GtkButton           *button,
                   CairnProtocolEditor *self)
{
  JsonArray *measures = ensure_array (top (self), "measures");
  const char * const *instruments = cairn_protocol_list_instruments ();
  const char * const *anchors = cairn_protocol_list_anchors ();
  guint n_anchors = g_strv_length ((char **) anchors);
  const char *instrument = instruments[0];
  const char *anchor = anchors[n_anchors - 1];
  JsonObject *measure = json_object_new ();
  g_autofree char *key = NULL;

  /* One that is not there yet, if there is one: from the last anchor
   * (follow-up) back. */
  for (int a = (int) n_anchors - 1; a >= 0 && measure_taken (measures, instrument, anchor); a--)
    for (guint i = 0; instruments[i] != NULL; i++)
      {
        instrument = instruments[i];
        anchor = anchors[a];
        if (!measure_taken (measures, instrument, anchor))
          break;
      }

  json_object_set_string_member (measure, "instrument", instrument);
  json_object_set_string_member (measure, "anchor", anchor);
  json_object_set_int_member (measure, "offset_days", 0);
  json_object_set_int_member (measure, "grace_days", 7);
  json_array_add_object_element (measures, measure);
  key = g_strdup_printf ("measure:%u", json_array_get_length (measures) - 1);
  g_hash_table_add (self->expanded, g_steal_pointer (&key));
  rebuild_measures (self);
  check_template (self, FALSE);
}

static void
rebuild_measures (CairnProtocolEditor *self)
{
  JsonArray *measures = ensure_array (top (self), "measures");

  self->building = TRUE;
  group_clear (self, GROUP_MEASURES);
  adw_preferences_group_set_description (self->groups[GROUP_MEASURES].group,
                                         json_array_get_length (measures) == 0
                                         ? _("None: no outcome measure is ever due.")
                                         : _("When each questionnaire or interview is due, "
                                             "counted from a visit of the patient’s course."));
  for (guint i = 0; i < json_array_get_length (measures); i++)
    {
      JsonObject *measure = json_array_get_object_element (measures, i);
      g_autofree char *path = g_strdup_printf ("measures[%u]", i);
      g_autofree char *key = g_strdup_printf ("measure:%u", i);
      g_autofree char *instrument_path = g_strconcat (path, ".instrument", NULL);
      g_autofree char *anchor_path = g_strconcat (path, ".anchor", NULL);
      g_autofree char *offset_path = g_strconcat (path, ".offset_days", NULL);
      g_autofree char *grace_path = g_strconcat (path, ".grace_days", NULL);
      GtkWidget *expander = expander_new (self, "", key);
      GtkWidget *remove = NULL;
      Binding *binding;

      set_field (expander, GROUP_MEASURES, path);
      describe_measure (ADW_EXPANDER_ROW (expander), measure);
      adw_expander_row_add_row (ADW_EXPANDER_ROW (expander),
                                choice_row_new (self, _("Instrument"),
                                                cairn_protocol_list_instruments (), NULL,
                                                instrument_label, measure, "instrument",
                                                GROUP_MEASURES, instrument_path, &binding));
      bind_describe (binding, ADW_EXPANDER_ROW (expander), describe_measure, measure);
      adw_expander_row_add_row (ADW_EXPANDER_ROW (expander),
                                choice_row_new (self, _("Counted from"),
                                                cairn_protocol_list_anchors (), anchor_label, NULL,
                                                measure, "anchor", GROUP_MEASURES, anchor_path,
                                                &binding));
      bind_describe (binding, ADW_EXPANDER_ROW (expander), describe_measure, measure);
      adw_expander_row_add_row (ADW_EXPANDER_ROW (expander),
                                number_row_new (self, _("Days after"), _("Less than 0: before"),
                                                measure, "offset_days", -60, 365, GROUP_MEASURES,
                                                offset_path, &binding));
      bind_describe (binding, ADW_EXPANDER_ROW (expander), describe_measure, measure);
      adw_expander_row_add_row (ADW_EXPANDER_ROW (expander),
                                number_row_new (self, _("Days of grace"),
                                                _("Overdue after these days more"),
                                                measure, "grace_days", 0, 90, GROUP_MEASURES,
                                                grace_path, &binding));
      bind_describe (binding, ADW_EXPANDER_ROW (expander), describe_measure, measure);

      {
        g_autofree char *name = instrument_label (json_object_get_string_member_with_default (
                                                    measure, "instrument", ""));

        remove = remove_button_new (name);
      }
      g_object_set_data (G_OBJECT (remove), "cairn-index", GUINT_TO_POINTER (i));
      g_signal_connect_object (remove, "clicked", G_CALLBACK (on_remove_measure_cb), self, 0);
      adw_expander_row_add_action (ADW_EXPANDER_ROW (expander), remove);
      group_add (self, GROUP_MEASURES, expander);
    }
  self->building = FALSE;
}

/* ------------------------------------------------------------------------ */
/* Saving                                                                    */

static void
save_done_cb (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  CairnProtocolEditor *self = user_data;
  g_autoptr(GError) error = NULL;
  g_autofree char *name = NULL;

  if (!cairn_protocols_change_finish (CAIRN_VAULT (source), result, &error))
    {
      gtk_widget_set_sensitive (self->save_button, TRUE);
      clear_problems (self);
      show_problem (self, error->message, TRUE);
      return;
    }

  name = g_strdup (json_object_get_string_member_with_default (top (self), "name", ""));
  g_signal_emit (self, signals[SIGNAL_SAVED], 0, name);
  gtk_window_destroy (GTK_WINDOW (self));
}

static void
on_save_clicked_cb (CairnProtocolEditor *self)
{
  CairnVault *vault = cairn_context_get_vault (self->context);
  g_autoptr(GError) error = NULL;
  g_autoptr(CairnProtocol) protocol = read_template (self, &error);
  g_autofree char *json = NULL;

  clear_problems (self);
  if (protocol == NULL)
    {
      show_problem (self, error->message, TRUE);
      return;
    }
  if (vault == NULL || cairn_runner_get_n_running (self->runner) > 0)
    return;

  gtk_widget_set_sensitive (self->save_button, FALSE);
  json = json_to_string (self->root, TRUE);
  /* Only clinicians see this window; core checks again. */
  cairn_protocols_save_async (vault, json, cairn_runner_get_cancellable (self->runner), cairn_runner_answered,
                              cairn_runner_track (self->runner, save_done_cb, self));
}

/* ------------------------------------------------------------------------ */

static void
on_vault_changed_cb (CairnProtocolEditor *self)
{
  /* Locked: the template may not stay on screen. */
  if (cairn_context_get_vault (self->context) == NULL)
    {
      cairn_runner_cancel (self->runner);
      gtk_window_destroy (GTK_WINDOW (self));
    }
}

static GroupIndex
add_group (CairnProtocolEditor *self,
           GroupIndex           index,
           const char          *title,
           const char          *description)
{
  Group *group = &self->groups[index];
  GtkWidget *problem = gtk_label_new (NULL);

  group->group = ADW_PREFERENCES_GROUP (adw_preferences_group_new ());
  group->rows = g_ptr_array_new ();
  adw_preferences_group_set_title (group->group, title);
  if (description != NULL)
    adw_preferences_group_set_description (group->group, description);

  gtk_label_set_wrap (GTK_LABEL (problem), TRUE);
  gtk_label_set_wrap_mode (GTK_LABEL (problem), PANGO_WRAP_WORD_CHAR);
  gtk_label_set_xalign (GTK_LABEL (problem), 0.0);
  gtk_widget_set_margin_top (problem, 6);
  gtk_widget_add_css_class (problem, "error");
  gtk_widget_set_visible (problem, FALSE);
  group->problem = GTK_LABEL (problem);
  adw_preferences_group_add (group->group, problem);

  adw_preferences_page_add (self->page, group->group);
  return index;
}

static void
cairn_protocol_editor_dispose (GObject *object)
{
  CairnProtocolEditor *self = CAIRN_PROTOCOL_EDITOR (object);

  g_clear_object (&self->runner);
  for (guint i = 0; i < N_GROUPS; i++)
    g_clear_pointer (&self->groups[i].rows, g_ptr_array_unref);

  G_OBJECT_CLASS (cairn_protocol_editor_parent_class)->dispose (object);
}

static void
cairn_protocol_editor_finalize (GObject *object)
{
  CairnProtocolEditor *self = CAIRN_PROTOCOL_EDITOR (object);

  g_clear_object (&self->context);
  g_clear_pointer (&self->root, json_node_unref);
  g_clear_pointer (&self->expanded, g_hash_table_unref);

  G_OBJECT_CLASS (cairn_protocol_editor_parent_class)->finalize (object);
}

static void
cairn_protocol_editor_set_property (GObject      *object,
                                    guint         prop_id,
                                    const GValue *value,
                                    GParamSpec   *pspec)
{
  CairnProtocolEditor *self = CAIRN_PROTOCOL_EDITOR (object);

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
cairn_protocol_editor_class_init (CairnProtocolEditorClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->set_property = cairn_protocol_editor_set_property;

  /**
   * CairnProtocolEditor:context:
   *
   * What the editor works in: the unlocked vault the template is saved in.
   * The editor closes when it locks.
   */
  properties[PROP_CONTEXT] =
    g_param_spec_object ("context", NULL, NULL, CAIRN_TYPE_CONTEXT,
                         G_PARAM_WRITABLE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  object_class->dispose = cairn_protocol_editor_dispose;
  object_class->finalize = cairn_protocol_editor_finalize;

  /**
   * CairnProtocolEditor::saved:
   * @name: the template's name, as saved
   *
   * The template was saved; the window closes.
   */
  signals[SIGNAL_SAVED] = g_signal_new ("saved", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                                        NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_STRING);

  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "window.close", NULL);
}

static void
cairn_protocol_editor_init (CairnProtocolEditor *self)
{
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 0);
  GtkWidget *header = adw_header_bar_new ();
  GtkWidget *cancel = gtk_button_new_with_mnemonic (_("_Cancel"));
  GtkWidget *title = adw_window_title_new (_("Edit Template"), NULL);

  self->runner = cairn_runner_new ();
  self->expanded = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);

  gtk_window_set_title (GTK_WINDOW (self), _("Edit Template"));
  gtk_window_set_default_size (GTK_WINDOW (self), 600, 680);
  gtk_window_set_modal (GTK_WINDOW (self), TRUE);
  gtk_window_set_destroy_with_parent (GTK_WINDOW (self), TRUE);

  adw_header_bar_set_show_end_title_buttons (ADW_HEADER_BAR (header), FALSE);
  adw_header_bar_set_show_start_title_buttons (ADW_HEADER_BAR (header), FALSE);
  adw_header_bar_set_title_widget (ADW_HEADER_BAR (header), title);
  g_signal_connect_swapped (cancel, "clicked", G_CALLBACK (gtk_window_close), self);
  adw_header_bar_pack_start (ADW_HEADER_BAR (header), cancel);
  self->save_button = gtk_button_new_with_mnemonic (_("_Save"));
  gtk_widget_add_css_class (self->save_button, "suggested-action");
  g_signal_connect_swapped (self->save_button, "clicked", G_CALLBACK (on_save_clicked_cb), self);
  adw_header_bar_pack_end (ADW_HEADER_BAR (header), self->save_button);
  gtk_box_append (GTK_BOX (box), header);

  self->page = ADW_PREFERENCES_PAGE (adw_preferences_page_new ());
  gtk_widget_set_vexpand (GTK_WIDGET (self->page), TRUE);
  gtk_box_append (GTK_BOX (box), GTK_WIDGET (self->page));
  adw_window_set_content (ADW_WINDOW (self), box);

  add_group (self, GROUP_TEMPLATE, _("Template"), NULL);
  add_group (self, GROUP_TYPES, _("Appointment Types"),
             _("The length and staff booked for each kind of appointment."));
  add_group (self, GROUP_COURSE, _("Course"),
             _("How many of each, and how far apart, when a course is planned."));
  add_group (self, GROUP_NOTES, _("Session Notes"),
             _("The sections of each kind of appointment’s note. A required section must hold "
               "text before the note can be signed."));
  add_group (self, GROUP_SCREENING, _("Screening"),
             _("What screening asks about before the first medicine session."));
  add_group (self, GROUP_MEASURES, _("Outcome Measures"), NULL);

  {
    GtkWidget *add = gtk_button_new_with_mnemonic (_("_Add Measure"));

    gtk_widget_add_css_class (add, "flat");
    gtk_widget_set_valign (add, GTK_ALIGN_CENTER);
    g_signal_connect_object (add, "clicked", G_CALLBACK (on_add_measure_cb), self, 0);
    adw_preferences_group_set_header_suffix (self->groups[GROUP_MEASURES].group, add);
  }
}

/**
 * cairn_protocol_editor_new:
 * @parent: (nullable): the preferences window
 * @context: the context, holding the unlocked vault
 * @protocol: one of the practice's own templates, as stored
 *
 * Returns: (transfer none): a new window, owned by GTK; it emits
 *   #CairnProtocolEditor::saved and closes once the template is saved
 */
CairnProtocolEditor *
cairn_protocol_editor_new (GtkWindow           *parent,
                           CairnContext        *context,
                           const CairnProtocol *protocol)
{
  CairnProtocolEditor *self;
  g_autofree char *json = NULL;
  g_autoptr(GError) error = NULL;

  g_return_val_if_fail (parent == NULL || GTK_IS_WINDOW (parent), NULL);
  g_return_val_if_fail (CAIRN_IS_CONTEXT (context), NULL);
  g_return_val_if_fail (protocol != NULL, NULL);

  self = g_object_new (CAIRN_TYPE_PROTOCOL_EDITOR, "context", context, "transient-for", parent, NULL);
  json = cairn_protocol_to_data (protocol);
  self->root = json_from_string (json, &error);
  g_assert_no_error (error);

  self->building = TRUE;
  build_template (self);
  build_types (self);
  build_course (self);
  self->building = FALSE;
  rebuild_notes (self);
  rebuild_screening (self);
  rebuild_measures (self);

  g_signal_connect_object (context, "notify::vault", G_CALLBACK (on_vault_changed_cb), self,
                           G_CONNECT_SWAPPED);
  return self;
}

/**
 * cairn_protocol_editor_get_busy:
 * @self: the editor
 *
 * Returns: whether a save is under way
 */
gboolean
cairn_protocol_editor_get_busy (CairnProtocolEditor *self)
{
  g_return_val_if_fail (CAIRN_IS_PROTOCOL_EDITOR (self), FALSE);

  return self->runner != NULL && cairn_runner_get_n_running (self->runner) > 0;
}
