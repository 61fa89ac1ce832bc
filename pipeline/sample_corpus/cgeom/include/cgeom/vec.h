/* vec.h - two-dimensional vectors. */
#ifndef CGEOM_VEC_H
#define CGEOM_VEC_H

#include "scalar.h"

typedef struct cg_vec {
    cg_real x;
    cg_real y;
} cg_vec;

cg_vec cg_vec_add(cg_vec a, cg_vec b);
cg_vec cg_vec_sub(cg_vec a, cg_vec b);
cg_vec cg_vec_scale(cg_vec v, cg_real factor);
cg_real cg_vec_dot(cg_vec a, cg_vec b);
cg_real cg_vec_cross(cg_vec a, cg_vec b);
cg_real cg_vec_length(cg_vec v);
cg_vec cg_vec_normalize(cg_vec v);

#endif /* CGEOM_VEC_H */
