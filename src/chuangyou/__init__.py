"""chuangyou: scoring toolkit for the grassroots Party organization rating (争先创优)."""

__version__ = "0.1.0"
