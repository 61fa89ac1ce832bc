package stats.core

/** Descriptive statistics of a non-empty sample. */
final case class Summary(count: Int, mean: Double, stddev: Double, min: Double, median: Double, max: Double):
  def range: Double = max - min

object Summary:
  def of(values: Seq[Double]): Summary =
    require(values.nonEmpty, "summary of an empty sample")
    val sorted = values.sorted
    val n = sorted.length
    val mean = sorted.sum / n
    val variance = if n > 1 then sorted.map(v => math.pow(v - mean, 2)).sum / (n - 1) else 0.0
    val median =
      if n % 2 == 1 then sorted(n / 2)
      else (sorted(n / 2 - 1) + sorted(n / 2)) / 2
    Summary(n, mean, math.sqrt(variance), sorted.head, median, sorted.last)
