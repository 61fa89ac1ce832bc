/* polygon.c - area, perimeter and point-in-polygon for simple polygons. */
#include <stdio.h>
#include <string.h>

#include "cgeom/polygon.h"
#include "cgeom/shape.h"
#include "internal.h"

void *cg_xmalloc(size_t size)
{
    void *p = malloc(size);
    if (p == NULL) {
        fprintf(stderr, "cgeom: out of memory allocating %zu bytes\n", size);
        abort();
    }
    return p;
}

int cg_polygon_init(cg_polygon *poly, const cg_vec *vertices, size_t count)
{
    if (count < 3) {
        return -1;
    }
    poly->vertices = cg_xmalloc(count * sizeof(cg_vec));
    memcpy(poly->vertices, vertices, count * sizeof(cg_vec));
    poly->count = count;
    return 0;
}

void cg_polygon_free(cg_polygon *poly)
{
    free(poly->vertices);
    poly->vertices = NULL;
    poly->count = 0;
}

/* Shoelace formula: positive for counter-clockwise vertex order. */
cg_real cg_polygon_signed_area(const cg_polygon *poly)
{
    cg_real twice = 0.0;
    for (size_t i = 0; i < poly->count; i++) {
        twice += cg_vec_cross(poly->vertices[i], poly->vertices[(i + 1) % poly->count]);
    }
    return twice / 2.0;
}

cg_real cg_polygon_perimeter(const cg_polygon *poly)
{
    cg_real total = 0.0;
    for (size_t i = 0; i < poly->count; i++) {
        cg_vec edge = cg_vec_sub(poly->vertices[(i + 1) % poly->count], poly->vertices[i]);
        total += cg_vec_length(edge);
    }
    return total;
}

/* Even-odd rule ray casting towards +x. */
int cg_polygon_contains(const cg_polygon *poly, cg_vec p)
{
    int inside = 0;
    for (size_t i = 0, j = poly->count - 1; i < poly->count; j = i++) {
        cg_vec a = poly->vertices[i], b = poly->vertices[j];
        if ((a.y > p.y) != (b.y > p.y) &&
            p.x < (b.x - a.x) * (p.y - a.y) / (b.y - a.y) + a.x) {
            inside = !inside;
        }
    }
    return inside;
}

void cg_polygon_bbox(const cg_polygon *poly, struct cg_bbox *out)
{
    out->min = out->max = poly->vertices[0];
    for (size_t i = 1; i < poly->count; i++) {
        out->min.x = CG_MIN(out->min.x, poly->vertices[i].x);
        out->min.y = CG_MIN(out->min.y, poly->vertices[i].y);
        out->max.x = CG_MAX(out->max.x, poly->vertices[i].x);
        out->max.y = CG_MAX(out->max.y, poly->vertices[i].y);
    }
}
