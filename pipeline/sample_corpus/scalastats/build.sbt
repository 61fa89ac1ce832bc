ThisBuild / scalaVersion := "3.3.3"
ThisBuild / organization := "dev.stats"

lazy val root = (project in file("."))
  .settings(
    name := "scalastats",
    libraryDependencies += "org.scalatest" %% "scalatest" % "3.2.18" % Test
  )
