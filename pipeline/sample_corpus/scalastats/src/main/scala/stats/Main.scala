package stats

import stats.core.{Histogram, Summary}
import stats.io.CsvReader

@main def run(path: String, column: String): Unit =
  CsvReader.column(path, column).fold(
    error => Console.err.println(s"scalastats: ${error.getMessage}"),
    values =>
      val s = Summary.of(values)
      println(f"n=${s.count} mean=${s.mean}%.3f sd=${s.stddev}%.3f median=${s.median}%.3f")
      println(Histogram.of(values).render())
  )
