/* area.c - prints the area and bounding box of a unit square and a circle. */
#include <stdio.h>

#include <cgeom/shape.h>

int main(void)
{
    const cg_vec square[] = { { 0, 0 }, { 1, 0 }, { 1, 1 }, { 0, 1 } };
    cg_shape shapes[2];

    shapes[0].kind = CG_POLYGON;
    cg_polygon_init(&shapes[0].as.polygon, square, 4);
    shapes[1].kind = CG_CIRCLE;
    shapes[1].as.circle.center.x = 0.5;
    shapes[1].as.circle.center.y = 0.5;
    shapes[1].as.circle.radius = 0.5;

    for (int i = 0; i < 2; i++) {
        cg_bbox box = cg_shape_bbox(&shapes[i]);
        printf("shape %d: area %.4f, bbox (%.2f, %.2f)-(%.2f, %.2f)\n", i,
               cg_shape_area(&shapes[i]), box.min.x, box.min.y, box.max.x, box.max.y);
    }
    cg_polygon_free(&shapes[0].as.polygon);
    return 0;
}
