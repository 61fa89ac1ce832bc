/* shape.h - bounding boxes and the tagged shape type.
 *
 * shape.h and polygon.h include each other: a shape can be a polygon, and a polygon
 * reports its bounding box. The include guards, and each header defining its own
 * type before including the other, make either include order work.
 */
#ifndef CGEOM_SHAPE_H
#define CGEOM_SHAPE_H

#include "vec.h"

typedef struct cg_bbox {
    cg_vec min;
    cg_vec max;
} cg_bbox;

#include "polygon.h"

typedef enum cg_shape_kind { CG_CIRCLE, CG_POLYGON } cg_shape_kind;

typedef struct cg_shape {
    cg_shape_kind kind;
    union {
        struct {
            cg_vec center;
            cg_real radius;
        } circle;
        cg_polygon polygon;
    } as;
} cg_shape;

cg_real cg_shape_area(const cg_shape *shape);
cg_bbox cg_shape_bbox(const cg_shape *shape);
int cg_bbox_overlap(const cg_bbox *a, const cg_bbox *b);

#endif /* CGEOM_SHAPE_H */
