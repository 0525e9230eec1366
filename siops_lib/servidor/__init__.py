"""Servidor do SIOPS Workbench: aplicativo, API e portal público (docs/acesso.md)."""
