/* cairn-course-dialog.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "cairn-context.h"

G_BEGIN_DECLS

#define CAIRN_TYPE_COURSE_DIALOG (cairn_course_dialog_get_type ())

G_DECLARE_FINAL_TYPE (CairnCourseDialog, cairn_course_dialog, CAIRN, COURSE_DIALOG, AdwWindow)

CairnCourseDialog *cairn_course_dialog_new       (CairnContext      *context,
                                                  const char        *patient_id);
const char        *cairn_course_dialog_get_state (CairnCourseDialog *self);
GPtrArray         *cairn_course_dialog_get_plan  (CairnCourseDialog *self);

G_END_DECLS
