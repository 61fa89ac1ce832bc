"""The bundled PyTorch trainer: a DeepSeek-Coder-style model trained from the token shards.

``model`` (the network), ``presets`` (named sizes), ``data`` (windows and their order),
``train`` (the loop and checkpoints), ``generate`` (completion and fill-in-the-middle) and
``cli`` (``repocurate train`` / ``repocurate complete``). Importing this package does not
import torch; its modules do.
"""
