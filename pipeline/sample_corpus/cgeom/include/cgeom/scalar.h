/* scalar.h - the floating point type used throughout cgeom and its tolerance. */
#ifndef CGEOM_SCALAR_H
#define CGEOM_SCALAR_H

typedef double cg_real;

/* Two coordinates closer than this are considered equal. */
#define CG_EPSILON 1e-9

static inline int cg_nearly_equal(cg_real a, cg_real b)
{
    cg_real d = a - b;
    return d < CG_EPSILON && d > -CG_EPSILON;
}

#endif /* CGEOM_SCALAR_H */
