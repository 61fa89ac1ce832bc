// geometry.hpp - a thin C++ wrapper around the cgeom C API.
#pragma once

#include <string>
#include <vector>

// The C headers carry no extern "C" guards of their own.
extern "C" {
#include "cgeom/polygon.h"
#include "cgeom/vec.h"
}

namespace cgeom {

class Polygon {
public:
    explicit Polygon(std::vector<cg_vec> vertices);
    ~Polygon();

    Polygon(const Polygon &) = delete;
    Polygon &operator=(const Polygon &) = delete;

    double area() const;
    double perimeter() const;
    bool contains(double x, double y) const;
    std::string describe() const;

private:
    cg_polygon poly_;
};

}  // namespace cgeom
