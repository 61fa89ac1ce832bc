"""Engines that run :func:`pipeline.flow.curate`: each supplies the same few operations on
distributed collections (see :mod:`pipeline.flow`). ``beam`` (the default) runs on Beam's
local runners and on Dataflow, Flink or Spark runners by options; ``spark`` runs on PySpark
directly (local mode or any cluster). Neither imports the other's framework."""
