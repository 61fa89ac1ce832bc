// demo.cpp - builds a triangle with the C++ wrapper and prints its properties.
#include <iostream>

#include "geometry.hpp"

int main()
{
    cgeom::Polygon triangle({{0.0, 0.0}, {4.0, 0.0}, {0.0, 3.0}});
    std::cout << triangle.describe() << '\n';
    std::cout << "contains (1, 1): " << std::boolalpha << triangle.contains(1.0, 1.0) << '\n';
    return 0;
}
