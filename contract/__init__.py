"""The record contract shared by every stage package, and nothing else.

Stage packages (``parsers``, ``dedup``, ``filters``, ``tokenize_shards``) and the engines in
``pipeline`` all speak in the plain records defined here (:mod:`contract.records`: file,
reject and raw-entry shapes, the columns of ``OUT/files`` and ``OUT/rejects``) and in the
language slugs and comment syntax of :mod:`contract.languages`. Nothing here imports a
stage or an engine, so each stage can be read and tested alone.
"""
