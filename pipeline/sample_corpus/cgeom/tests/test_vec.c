/* test_vec.c - unit tests for vector and polygon arithmetic (MinUnit). */
#include <stdio.h>

#include <cgeom/polygon.h>
#include <cgeom/vec.h>
#include "../third_party/minunit/minunit.h"

int tests_run = 0;

static const char *test_cross_of_axes_is_one(void)
{
    cg_vec x = { 1, 0 }, y = { 0, 1 };
    mu_assert("x cross y should be 1", cg_nearly_equal(cg_vec_cross(x, y), 1.0));
    return NULL;
}

static const char *test_unit_square_area(void)
{
    const cg_vec square[] = { { 0, 0 }, { 1, 0 }, { 1, 1 }, { 0, 1 } };
    cg_polygon poly;
    cg_polygon_init(&poly, square, 4);
    cg_real area = cg_polygon_signed_area(&poly);
    cg_polygon_free(&poly);
    mu_assert("unit square area should be 1", cg_nearly_equal(area, 1.0));
    return NULL;
}

static const char *all_tests(void)
{
    mu_run_test(test_cross_of_axes_is_one);
    mu_run_test(test_unit_square_area);
    return NULL;
}

int main(void)
{
    const char *result = all_tests();
    printf("%s\ntests run: %d\n", result ? result : "ALL TESTS PASSED", tests_run);
    return result != NULL;
}
