"""A aparência comum das páginas do servidor (aplicativo com login e portal público): cores, cabeçalho, tabelas."""
from __future__ import annotations

CSS_BASE = """
body { font-family: system-ui, -apple-system, "Segoe UI", Roboto, "DejaVu Sans", sans-serif; margin: 0;
       color: #1b1b1b; background: #fff; line-height: 1.45; }
a { color: #1f4e79; }
.pular { position: absolute; left: -9999px; }
.pular:focus { left: 8px; top: 8px; background: #fff; color: #1f4e79; padding: 4px 8px; z-index: 1; }
header { background: #1f4e79; color: #fff; padding: 10px 24px; }
header a { color: #fff; }
header .marca { margin: 0; font-size: .95rem; }
header h1 { margin: 4px 0; font-size: 1.5rem; }
nav a[aria-current] { font-weight: bold; text-decoration: none; }
main { max-width: 1280px; margin: 0 auto; padding: 8px 24px 24px 24px; }
main > section { margin-top: 24px; }
h2 { color: #1f4e79; border-bottom: 2px solid #1f4e79; padding-bottom: 2px; }
table { border-collapse: collapse; margin: 8px 0 12px 0; }
caption { text-align: left; font-weight: bold; padding: 4px 0; }
th, td { border: 1px solid #c7cfd8; padding: 4px 8px; vertical-align: top; }
thead th { background: #e8eef5; }
tbody th { text-align: left; font-weight: normal; }
.n { text-align: right; white-space: nowrap; }
.rolagem { overflow-x: auto; }
.nota { color: #444; font-size: .9rem; }
.erro { color: #b22222; font-weight: bold; }
.destaque { font-size: 1.15rem; }
footer { border-top: 1px solid #c7cfd8; color: #444; font-size: .9rem; padding: 12px 24px; }
"""
"""Regras que o aplicativo e o portal compartilham; cada um acrescenta as suas."""
