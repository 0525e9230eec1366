"""Configuração comum dos testes em ``tests/``.

Casos como dados: cada arquivo ``tests/casos/<quadro>/*.yaml`` vira itens de teste, um por caso e
por exercício em que o caso vale (formato em ``tests/casos/LEIAME.md``; coletor em
``tests/casos_runner.py``). Só arquivos YAML dentro de ``tests/casos/`` são tratados aqui; o
resto (inclusive os notebooks do nbval) segue a coleta normal do pytest.
"""
from pathlib import Path

_CASOS = Path(__file__).resolve().parent / "casos"


def pytest_collect_file(parent, file_path):
    if file_path.suffix in (".yaml", ".yml") and _CASOS in file_path.resolve().parents:
        from casos_runner import ArquivoDeCasos  # importação tardia: só quem roda os casos paga por ela

        return ArquivoDeCasos.from_parent(parent, path=file_path)
    return None
