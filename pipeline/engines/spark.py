"""The Spark engine: :mod:`pipeline.flow`'s operations on PySpark RDDs, and the run's Spark
session (:func:`spark_session`). Imports no Beam.

Spark is lazy and recomputes an RDD for each consumer unless it is persisted, while the
flow reads most collections several times and its steps write work files; so every RDD a
``flat_map``, ``group_by_key``, ``co_group`` or ``combine`` makes is persisted
(``MEMORY_AND_DISK``: the records are small by design) and unpersisted when the run ends.
A side value (``side``) is an action: the one element is collected to the driver and
shipped to the tasks inside their closures, or as a broadcast variable when it is large
(the tokenizer JSON). ``balance`` computes the LPT assignment on the driver from the
collected ``(weight, key)`` pairs and makes each unit one partition.

Keys are hashed to partitions by :func:`pyspark.rdd.portable_hash`, which needs the
same ``PYTHONHASHSEED`` in every Python worker; PySpark 4.3 gives each worker the driver's
``PYTHONHASHSEED`` (``"0"`` when the driver has none: ``SparkContext._do_init``), on local
and cluster masters alike, so nothing is needed here beyond not overriding it.
"""
from __future__ import annotations

import contextlib
import os
import pickle
import sys
import threading
from typing import Any, Callable, Iterator, Optional, Sequence

from pyspark import StorageLevel

BROADCAST_BYTES = 64 << 10  # side values larger than this (pickled) travel as broadcast variables
LOG4J2 = os.path.join(os.path.dirname(os.path.abspath(__file__)), "spark-log4j2.properties")
# What the JVM and Spark print on their own at start-up, before any log configuration applies
# (the first: every JVM that Spark 4 launches with its module options).
_STARTUP_NOISE = ("WARNING: Using incubator modules:", "Using Spark's default log4j profile",
                  "Setting default log level to", "To adjust logging level use sc.setLogLevel")


class _Side:
    """A side value on the driver: the collected element, and its broadcast when large."""

    def __init__(self, value: Any, broadcast=None):
        self.value, self.broadcast = value, broadcast


class _Broadcast:
    """A side value in a task's closure, read from its broadcast variable on the worker."""

    def __init__(self, broadcast):
        self.broadcast = broadcast


def _ship(arg):
    if isinstance(arg, _Side):
        return _Broadcast(arg.broadcast) if arg.broadcast is not None else arg.value
    return arg


def _unwrap(args: Sequence) -> list:
    return [a.broadcast.value if isinstance(a, _Broadcast) else a for a in args]


def _lpt(weights: list, units: int) -> dict:
    from pipeline.flow import lpt_units

    return {key: (unit, i) for unit, keys in lpt_units([(w, k, k) for w, k in weights], units)
            for i, key in enumerate(keys)}


class SparkEngine:
    """The flow's operations on the RDDs of ``sc`` (a :class:`pyspark.SparkContext`).
    ``partitions``: the partitions of every shuffle (default: ``sc.defaultParallelism``)."""

    def __init__(self, sc, partitions: Optional[int] = None):
        self.sc = sc
        self.partitions = max(1, int(partitions or sc.defaultParallelism))
        self._persisted: list = []
        self._broadcasts: list = []

    def _keep(self, rdd, label: str):
        rdd = rdd.setName(label).persist(StorageLevel.MEMORY_AND_DISK)
        self._persisted.append(rdd)
        return rdd

    def _side_value(self, value: Any) -> _Side:
        if len(pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL)) > BROADCAST_BYTES:
            broadcast = self.sc.broadcast(value)
            self._broadcasts.append(broadcast)
            return _Side(value, broadcast)
        return _Side(value)

    def create(self, label: str, items: list):
        """``items`` spread over the partitions: one each up to the default parallelism."""
        items = list(items)
        slices = max(1, min(len(items), self.sc.defaultParallelism))
        return self.sc.parallelize(items, slices).setName(label)

    def flat_map(self, label: str, rdd, fn: Callable, *args):
        shipped = [_ship(a) for a in args]

        def run(elements: Iterator) -> Iterator:
            values = _unwrap(shipped)
            for element in elements:
                yield from fn(element, *values)

        return self._keep(rdd.mapPartitions(run), label)

    def group_by_key(self, label: str, rdd):
        return self._keep(rdd.groupByKey(self.partitions).mapValues(list), label)

    def co_group(self, label: str, rdds: dict):
        names = list(rdds)
        tagged = [rdd.map(lambda kv, i=i: (kv[0], (i, kv[1]))) for i, rdd in enumerate(rdds.values())]

        def split(kv):
            lists: dict = {name: [] for name in names}
            for i, value in kv[1]:
                lists[names[i]].append(value)
            return kv[0], lists

        return self._keep(self.sc.union(tagged).groupByKey(self.partitions).map(split), label)

    def flatten(self, label: str, rdds: list):
        return rdds[0] if len(rdds) == 1 else self.sc.union(list(rdds)).setName(label)

    def combine(self, label: str, rdd, create: Callable, add: Callable, merge: Callable,
                extract: Optional[Callable] = None):
        """One element, also from an empty input: an accumulator per partition (in parallel),
        then one task that merges them."""

        def partial(elements: Iterator) -> Iterator:
            accumulator = create()
            for element in elements:
                accumulator = add(accumulator, element)
            yield accumulator

        def final(accumulators: Iterator) -> Iterator:
            accumulators = list(accumulators)
            merged = accumulators[0] if accumulators else create()
            for other in accumulators[1:]:
                merged = merge(merged, other)
            yield extract(merged) if extract else merged

        return self._keep(rdd.mapPartitions(partial).repartition(1).mapPartitions(final), label)

    def side(self, rdd) -> _Side:
        """The single element of ``rdd`` (runs everything it depends on)."""
        values = rdd.collect()
        if len(values) != 1:
            raise ValueError(f"side value {rdd.name()}: {len(values)} elements, expected 1")
        return self._side_value(values[0])

    def balance(self, label: str, rdd, units: int):
        """``(weight, key, item)`` elements -> lists of items: with ``units``, the LPT groups
        (computed on the driver from the collected weights), one partition and one element
        each, items in the LPT order; otherwise one item per element."""
        if not units:
            return rdd.map(lambda x: [x[2]]).setName(label)
        assignment = _lpt(rdd.map(lambda x: (x[0], x[1])).collect(), units)
        count = max((u for u, _ in assignment.values()), default=0) + 1
        assign = _ship(self._side_value(assignment))

        def unit_items(elements: Iterator) -> Iterator:
            items = [x for _, x in elements]
            if items:  # in the LPT order (see pipeline.flow.lpt_units)
                yield [x[2] for _, x in sorted(items, key=lambda x: x[0])]

        keyed = rdd.map(lambda x: (_unwrap([assign])[0][x[1]][0], (_unwrap([assign])[0][x[1]][1], x)))
        return keyed.partitionBy(count, lambda unit: unit).mapPartitions(unit_items).setName(label)

    def run(self, terminals: list) -> None:
        """Spark is lazy: one job computes the terminal collections (and what they need that
        earlier actions did not); then the persisted RDDs and broadcasts are released."""
        try:
            self.sc.union(list(terminals)).count()
        finally:
            self.release()

    def release(self) -> None:
        for rdd in self._persisted:
            rdd.unpersist()
        for broadcast in self._broadcasts:
            broadcast.destroy()
        self._persisted, self._broadcasts = [], []


# ---------------------------------------------------------------- the session

def default_master() -> Optional[str]:
    """``local[N]`` (N: this machine's CPUs), or None under ``spark-submit``, whose
    ``--master`` then applies."""
    if os.environ.get("PYSPARK_GATEWAY_PORT"):
        return None
    return f"local[{os.cpu_count() or 1}]"


def is_local(master: Optional[str]) -> bool:
    return bool(master) and master.startswith("local")


def session_conf(master: Optional[str], conf: Sequence[tuple[str, str]]) -> dict[str, str]:
    """What repocurate sets on the session: its defaults for a session it launches itself
    (no UI, no console progress bar, 2 GB of driver memory, a log configuration that lets
    only errors through; on a local master the workers run this interpreter and import this
    package), overridden by ``conf`` (``--spark-conf``). Under ``spark-submit`` only
    ``conf``."""
    settings: dict[str, str] = {}
    if not os.environ.get("PYSPARK_GATEWAY_PORT"):
        settings.update({
            "spark.ui.enabled": "false",
            "spark.ui.showConsoleProgress": "false",
            "spark.driver.memory": "2g",
            "spark.driver.extraJavaOptions": f"-Dlog4j2.configurationFile=file:{LOG4J2}",
        })
        if is_local(master):
            root = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
            paths = [root] + [p for p in os.environ.get("PYTHONPATH", "").split(os.pathsep) if p and p != root]
            settings["spark.executorEnv.PYTHONPATH"] = os.pathsep.join(paths)
    for key, value in conf:
        if key == "spark.driver.extraJavaOptions" and "log4j2.configurationFile" not in value:
            value = f"{settings.get(key, '')} {value}".strip()
        settings[key] = value
    return settings


@contextlib.contextmanager
def _filtered_stderr() -> Iterator[None]:
    """While the JVM is launched, file descriptor 2 is a pipe that a thread copies to the real
    stderr, less the lines the JVM and Spark print at start-up on their own; the JVM and its
    Python workers keep writing through it (errors still show)."""
    target = os.dup(2)
    read_end, write_end = os.pipe()

    def copy() -> None:
        with os.fdopen(read_end, "rb") as pipe:
            for line in pipe:
                if not line.decode("utf-8", "replace").startswith(_STARTUP_NOISE):
                    try:
                        os.write(target, line)
                    except OSError:
                        pass

    threading.Thread(target=copy, name="repocurate-spark-stderr", daemon=True).start()
    sys.stderr.flush()
    saved = os.dup(2)
    os.dup2(write_end, 2)
    try:
        yield
    finally:
        os.dup2(saved, 2)
        os.close(saved)
        os.close(write_end)


def spark_session(master: Optional[str], conf: Sequence[tuple[str, str]]):
    """The run's Spark session (app name ``repocurate``); stop it with ``.stop()``."""
    from pyspark import SparkContext
    from pyspark.sql import SparkSession

    master = master or default_master()
    builder = SparkSession.builder.appName("repocurate")
    if master:
        builder = builder.master(master)
    for key, value in session_conf(master, conf).items():
        builder = builder.config(key, value)
    launch = SparkContext._gateway is None and not os.environ.get("PYSPARK_GATEWAY_PORT")
    python = os.environ.get("PYSPARK_PYTHON")
    if is_local(master) and python is None:
        os.environ["PYSPARK_PYTHON"] = sys.executable  # the workers run this interpreter
    try:
        with _filtered_stderr() if launch else contextlib.nullcontext():
            session = builder.getOrCreate()
    finally:
        if is_local(master) and python is None:
            del os.environ["PYSPARK_PYTHON"]
    session.sparkContext.setLogLevel("ERROR")
    return session


class SparkRun:
    """One run's Spark side, for :func:`pipeline.run.run_pipeline`: :meth:`start` the session,
    :meth:`execute` the flow on it (``sc.defaultParallelism`` work units), :meth:`stop` it."""

    engine = "spark"

    def __init__(self, master: Optional[str], conf: Sequence[tuple[str, str]]):
        self.master = master or default_master()
        self.conf = list(conf)
        self.settings = session_conf(self.master, self.conf)
        self.session = None
        self.parallelism = 0

    def start(self) -> None:
        import signal
        import threading

        # PySpark installs a SIGINT handler that cancels the jobs through Py4J, which fails
        # while the main thread waits in a Py4J call (a reentrant call) and leaves the handler
        # after stop(). The previous handler is put back: Ctrl-C raises KeyboardInterrupt and
        # stop() cancels the jobs.
        main = threading.current_thread() is threading.main_thread()
        previous = signal.getsignal(signal.SIGINT) if main else None
        self.session = spark_session(self.master, self.conf)
        if main and previous is not None:
            signal.signal(signal.SIGINT, previous)
        self.master = self.session.sparkContext.master
        self.parallelism = self.session.sparkContext.defaultParallelism

    @property
    def local(self) -> bool:
        """Whether the workers share this machine's folders (live progress)."""
        return is_local(self.master)

    def execute(self, plan, config, out: str, live_dir: Optional[str] = None) -> None:
        from pipeline.flow import curate
        from pipeline.progress import LiveCounts

        sc = self.session.sparkContext
        engine = SparkEngine(sc)
        try:
            terminals = curate(engine, plan, config, out, units=sc.defaultParallelism,
                               live=LiveCounts(live_dir) if live_dir else None)
            engine.run(terminals)
        finally:
            engine.release()

    def stop(self, failed: bool = False) -> None:
        """Stop the session (once); ``failed``: the run is failing already, so an error while
        stopping (a JVM gone after Ctrl-C) must not replace the run's own."""
        session, self.session = self.session, None
        if session is None:
            return
        try:
            if failed:  # the tasks it kills would each log an error: the run's own error says it
                session.sparkContext.setLogLevel("OFF")
            session.stop()
        except Exception:
            if not failed:
                raise

    def record(self) -> dict:
        """The run record's engine fields (``_stats/run.json``)."""
        import pyspark

        return {"engine": "spark", "spark": pyspark.__version__, "runner": f"Spark, master {self.master}, {self.parallelism} partition(s)",
                "spark_master": self.master, "spark_conf": dict(sorted(self.settings.items()))}
