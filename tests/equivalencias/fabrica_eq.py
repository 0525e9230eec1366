"""Pasta pequena do layout próprio, montada à mão, para os testes das equivalências.

Valores (soma dos absolutos por código, o peso da cobertura), calculados à mão:

- rubricas: 1.1.1.2.50.0.1.01 (pm) 1.000 + 500 = 1.500; 1.7.1.3.50.1.1.02 (fms) 2.000; 17215001 (pm,
  identidade) 300; 9.9.9 (pm) só com valor zero. Total com valor 3.800, pendente 3.500.
- elementos: 3.3.90.39.05.001: fms 400, pm 250 + 50 = 300 (700); 3.3.90.30 (identidade) 100. Total 800.
- recursos: 100 (pm) 1.500 + 250 + 50 = 1.800; 159 (fms) 2.000; 102 (fms) 400 + 100 = 500; 1500 (pm,
  identidade) 300. Total 4.600, pendente 4.300.
- contas: 001-1234-1 (pm) 700; 001-1235-2 (fms) 300. Total 1.000, tudo pendente.
- asps: 10.122.0004.2.086 (pm), 1500 sem CO na função 10: 250 — só depois de o recurso 100 ir para 1500.
"""
from __future__ import annotations

from pathlib import Path

RECEITAS = """entidade;mes;rubrica;recurso;estagio;valor;descricao
pm;1;1.1.1.2.50.0.1.01;100;realizada;1.000,00;IPTU - principal
pm;2;1.1.1.2.50.0.1.01;100;realizada;500,00;IPTU - principal
pm;1;9.9.9;100;realizada;0;Sem movimento
fms;1;1.7.1.3.50.1.1.02;159;realizada;2.000,00;SUS União - atenção primária
pm;1;17215001;1500;realizada;300,00;Cota-parte do ICMS
"""
DESPESAS = """entidade;mes;funcional;elemento;recurso;estagio;valor
fms;1;10.301.0005.2.010;3.3.90.39.05.001;102;empenhado_a_liquidar;400
fms;1;10.301.0005.2.010;3.3.90.30;102;empenhado_a_liquidar;100
pm;1;10.122.0004.2.086;3.3.90.39.05.001;100;empenhado_a_liquidar;250
pm;1;04.122.0001.2.001;3.3.90.39.05.001;100;empenhado_a_liquidar;50
"""
DISPONIBILIDADES = """entidade;mes;conta;estagio;valor
pm;0;001-1234-1;caixa;700
fms;0;001-1235-2;caixa;300
"""
# destinos certos de cada código local da pasta pequena
VERDADE = {
    "rubricas": {"1.1.1.2.50.0.1.01": "11125001", "1.7.1.3.50.1.1.02": "17135011"},
    "elementos": {"3.3.90.39.05.001": "33903905"},
    "recursos": {"100": "1500", "159": "1600", "102": "1500.1002"},
    "contas": {"001-1234-1": "1500", "001-1235-2": "1500.1002"},
}


def pasta_pequena(raiz: Path, exercicio: int = 2024, equivalencias: dict[str, str] | None = None) -> Path:
    pasta = Path(raiz) / "layout_proprio"
    pasta.mkdir(parents=True, exist_ok=True)
    (pasta / "municipio.csv").write_text(
        f"campo;valor\nnome;Vila Pequena\ncodigo_ibge;9999903\nuf;ZZ\nexercicio;{exercicio}\n", encoding="utf-8")
    (pasta / "entidades.csv").write_text(
        "entidade;nome;tipo;administracao;poder_orgao\npm;Prefeitura;prefeitura;direta;10131\n"
        "fms;Fundo de Saúde;fundo;direta;10131\n", encoding="utf-8")
    (pasta / "receitas.csv").write_text(RECEITAS, encoding="utf-8")
    (pasta / "despesas.csv").write_text(DESPESAS, encoding="utf-8")
    (pasta / "disponibilidades.csv").write_text(DISPONIBILIDADES, encoding="utf-8")
    for nome, texto in (equivalencias or {}).items():
        (pasta / "equivalencias").mkdir(exist_ok=True)
        (pasta / "equivalencias" / f"{nome}.csv").write_bytes(texto.encode("utf-8"))
    return pasta


def confirmar_verdade(repo, quem: str = "teste", abas=None) -> None:
    from siops_lib import equivalencias as eq

    for aba, destinos in VERDADE.items():
        if abas and aba not in abas:
            continue
        for codigo, destino in destinos.items():
            eq.definir(repo, aba, ("", codigo), destino, quem)


def ler(caminho: Path) -> list[dict]:
    """Linhas de um CSV de equivalências como dicts (coluna → texto)."""
    import csv

    with open(caminho, encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f, delimiter=";"))
