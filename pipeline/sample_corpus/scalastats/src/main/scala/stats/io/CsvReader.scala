package stats.io

import scala.io.Source
import scala.util.{Try, Using}
import stats.core._

/** Reads one numeric column of a comma-separated file with a header row. */
object CsvReader:
  def column(path: String, name: String): Try[Vector[Double]] =
    Using(Source.fromFile(path, "UTF-8")) { source =>
      val lines = source.getLines()
      val header = lines.next().split(',').map(_.trim)
      val index = header.indexOf(name)
      require(index >= 0, s"no column named $name in $path")
      lines.flatMap(line => line.split(',').lift(index).flatMap(_.trim.toDoubleOption)).toVector
    }

  def summarize(path: String, name: String): Try[Summary] = column(path, name).map(Summary.of)
