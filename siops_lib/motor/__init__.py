"""Motor único das regras: filtros (com predicados nomeados), fórmulas e execução dos quadros.

Tudo o que é domínio (contas, códigos, limites, rótulos) vem de ``siops_lib/regras/``; aqui fica só
o vocabulário que executa esses arquivos.
"""
from .filtros import derivar_dimensoes, filtrar, mascaras_por_chave  # noqa: F401
