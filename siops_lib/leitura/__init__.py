"""Leitores: MSC (leiaute SICONFI) e layout próprio do município."""
from .layout_proprio import ler_layout_proprio  # noqa: F401
from .msc import ler_msc  # noqa: F401
