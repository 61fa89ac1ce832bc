/* internal.h - helpers shared by the implementation files; not installed. */
#ifndef CGEOM_INTERNAL_H
#define CGEOM_INTERNAL_H

#include <stdlib.h>

#define CG_MIN(a, b) ((a) < (b) ? (a) : (b))
#define CG_MAX(a, b) ((a) > (b) ? (a) : (b))

/* malloc that aborts with a message instead of returning NULL. */
void *cg_xmalloc(size_t size);

#endif /* CGEOM_INTERNAL_H */
