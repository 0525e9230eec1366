"""Catálogos por exercício (regras como dados). Ver LEIAME.md nesta pasta."""
