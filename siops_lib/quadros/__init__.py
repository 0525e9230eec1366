"""Quadros: funções puras de tabelas canônicas para tabelas de resultado (uma por quadro)."""
