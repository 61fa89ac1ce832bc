/* shape.c - operations on the tagged shape type. */
#include <math.h>

#include "../include/cgeom/shape.h"

#ifndef M_PI
#define M_PI 3.14159265358979323846
#endif

cg_real cg_shape_area(const cg_shape *shape)
{
    switch (shape->kind) {
    case CG_CIRCLE:
        return M_PI * shape->as.circle.radius * shape->as.circle.radius;
    case CG_POLYGON:
        return fabs(cg_polygon_signed_area(&shape->as.polygon));
    }
    return 0.0;
}

cg_bbox cg_shape_bbox(const cg_shape *shape)
{
    cg_bbox box;
    if (shape->kind == CG_CIRCLE) {
        cg_vec r = { shape->as.circle.radius, shape->as.circle.radius };
        box.min = cg_vec_sub(shape->as.circle.center, r);
        box.max = cg_vec_add(shape->as.circle.center, r);
    } else {
        cg_polygon_bbox(&shape->as.polygon, &box);
    }
    return box;
}

int cg_bbox_overlap(const cg_bbox *a, const cg_bbox *b)
{
    return a->min.x <= b->max.x && b->min.x <= a->max.x &&
           a->min.y <= b->max.y && b->min.y <= a->max.y;
}
