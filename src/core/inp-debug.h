/* inp-debug.h: named points where a run can be stopped on purpose, for the crash tests
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* The points a job passes, in order. */
#define INP_DEBUG_POINT_BEFORE_CREATE "before-create"  /* recorded, nothing sent */
#define INP_DEBUG_POINT_AFTER_CREATE  "after-create"   /* the prediction id is recorded */
#define INP_DEBUG_POINT_POLLING       "polling"        /* the model is running; recorded */
#define INP_DEBUG_POINT_DOWNLOADING   "downloading"    /* the service succeeded; nothing stored */
#define INP_DEBUG_POINT_MID_DOWNLOAD  "mid-download"   /* an output is half-way to disk */
#define INP_DEBUG_POINT_STORED        "stored"         /* every output stored, not yet succeeded */

void inp_debug_pause_at (const char *point);

G_END_DECLS
