/* polygon.h - simple polygons stored as a vertex array. */
#ifndef CGEOM_POLYGON_H
#define CGEOM_POLYGON_H

#include <stddef.h>

#include "vec.h"

typedef struct cg_polygon {
    cg_vec *vertices;
    size_t count;
} cg_polygon;

/* After cg_polygon is complete, so shape.h can embed it when included from here. */
#include "shape.h"

int cg_polygon_init(cg_polygon *poly, const cg_vec *vertices, size_t count);
void cg_polygon_free(cg_polygon *poly);
cg_real cg_polygon_signed_area(const cg_polygon *poly);
cg_real cg_polygon_perimeter(const cg_polygon *poly);
int cg_polygon_contains(const cg_polygon *poly, cg_vec point);
void cg_polygon_bbox(const cg_polygon *poly, struct cg_bbox *out);

#endif /* CGEOM_POLYGON_H */
