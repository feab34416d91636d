"""The hostile-input corpus: every case is generated (no binary blobs of unknown origin).

- :mod:`hostile.craft` builds files byte by byte: zips whose directory says what we choose
  (bombs, liars), deflate streams of a gigabyte made from a few KB, OLE compound files.
- :mod:`hostile.corpus` lists the cases, each with the exact Chinese message and exit code.

``scripts/make_hostile.py`` writes the corpus to a folder and measures the bomb cases.
"""
