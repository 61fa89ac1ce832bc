package stats.core

/** Equal-width histogram with a text rendering. */
final case class Histogram(lower: Double, width: Double, counts: Vector[Int]):
  def render(barWidth: Int = 40): String =
    val peak = counts.maxOption.getOrElse(0).max(1)
    counts.zipWithIndex.map { (count, i) =>
      val from = lower + i * width
      val bar = "#" * (count * barWidth / peak)
      f"$from%10.2f | $bar%-40s $count%d"
    }.mkString("\n")

object Histogram:
  def of(values: Seq[Double], bins: Int = 10): Histogram =
    val summary = Summary.of(values)
    val width = if summary.range == 0 then 1.0 else summary.range / bins
    val counts = Array.fill(bins)(0)
    for v <- values do
      val index = ((v - summary.min) / width).toInt.min(bins - 1)
      counts(index) += 1
    Histogram(summary.min, width, counts.toVector)
