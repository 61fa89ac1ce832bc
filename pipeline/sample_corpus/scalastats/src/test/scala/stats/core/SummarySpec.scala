package stats.core

import org.scalatest.funsuite.AnyFunSuite

class SummarySpec extends AnyFunSuite:
  test("median of an even sample is the mean of the middle values") {
    assert(Summary.of(Seq(4.0, 1.0, 3.0, 2.0)).median == 2.5)
  }

  test("standard deviation uses the sample (n - 1) denominator") {
    assert(math.abs(Summary.of(Seq(2.0, 4.0, 4.0, 4.0, 5.0, 5.0, 7.0, 9.0)).stddev - 2.138) < 1e-3)
  }

  test("an empty sample is rejected") {
    intercept[IllegalArgumentException](Summary.of(Seq.empty))
  }
