"""The desk's Qt widgets; the only package that imports PySide6."""
