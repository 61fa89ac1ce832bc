// geometry.cpp - implementation of the C++ polygon wrapper.
#include "geometry.hpp"

#include <cmath>
#include <sstream>
#include <stdexcept>

namespace cgeom {

Polygon::Polygon(std::vector<cg_vec> vertices)
{
    if (cg_polygon_init(&poly_, vertices.data(), vertices.size()) != 0) {
        throw std::invalid_argument("a polygon needs at least three vertices");
    }
}

Polygon::~Polygon()
{
    cg_polygon_free(&poly_);
}

double Polygon::area() const
{
    return std::fabs(cg_polygon_signed_area(&poly_));
}

double Polygon::perimeter() const
{
    return cg_polygon_perimeter(&poly_);
}

bool Polygon::contains(double x, double y) const
{
    return cg_polygon_contains(&poly_, cg_vec{x, y}) != 0;
}

std::string Polygon::describe() const
{
    std::ostringstream out;
    out << "polygon with " << poly_.count << " vertices, area " << area()
        << ", perimeter " << perimeter();
    return out.str();
}

}  // namespace cgeom
