/* vec.c - two-dimensional vector arithmetic. */
#include <math.h>

#include <cgeom/vec.h>

cg_vec cg_vec_add(cg_vec a, cg_vec b)
{
    cg_vec r = { a.x + b.x, a.y + b.y };
    return r;
}

cg_vec cg_vec_sub(cg_vec a, cg_vec b)
{
    cg_vec r = { a.x - b.x, a.y - b.y };
    return r;
}

cg_vec cg_vec_scale(cg_vec v, cg_real factor)
{
    cg_vec r = { v.x * factor, v.y * factor };
    return r;
}

cg_real cg_vec_dot(cg_vec a, cg_vec b)
{
    return a.x * b.x + a.y * b.y;
}

/* z component of the 3D cross product; positive when b is counter-clockwise of a. */
cg_real cg_vec_cross(cg_vec a, cg_vec b)
{
    return a.x * b.y - a.y * b.x;
}

cg_real cg_vec_length(cg_vec v)
{
    return sqrt(cg_vec_dot(v, v));
}

cg_vec cg_vec_normalize(cg_vec v)
{
    cg_real len = cg_vec_length(v);
    if (cg_nearly_equal(len, 0.0)) {
        return v;
    }
    return cg_vec_scale(v, 1.0 / len);
}
