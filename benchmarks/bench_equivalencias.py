"""Benchmark das equivalências: uma aba com 5.000 códigos locais.

Mede (metas): sugestões calculadas (≤ 1 s), editor com a grade pronta (≤ 1 s; ele lê só a aba aberta) e uma
confirmação gravada (≤ 100 ms: trava, releitura, validação, CSV atômico com fsync e diário).
Os dados sintéticos ficam em ``benchmarks/dados/equivalencias/`` (ignorada pelo git).
Uso: ``python benchmarks/bench_equivalencias.py [--codigos 5000]``.
"""
from __future__ import annotations

import argparse
import shutil
import statistics
import sys
import time
from pathlib import Path

import numpy as np

RAIZ = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(RAIZ))

from siops_lib import equivalencias as eq  # noqa: E402
from siops_lib import regras  # noqa: E402
from siops_lib.equivalencias import sugestoes, validacao  # noqa: E402


def gerar(pasta: Path, n: int, semente: int = 7) -> None:
    """Pasta com ``n`` rubricas locais: 2/3 com a NR no começo do código, 1/3 só com a descrição."""
    rng = np.random.default_rng(semente)
    if pasta.exists():
        shutil.rmtree(pasta)
    pasta.mkdir(parents=True)
    (pasta / "municipio.csv").write_text("campo;valor\nnome;Sintético\ncodigo_ibge;9999999\nuf;ZZ\nexercicio;2024\n",
                                         encoding="utf-8")
    (pasta / "entidades.csv").write_text("entidade;nome;tipo;administracao;poder_orgao\npm;Prefeitura;prefeitura;direta;"
                                         "10131\n", encoding="utf-8")
    itens = regras.tabela("siops_receitas/itens", 2024)
    itens = itens[itens["codigo"].str[0].isin(["1", "2"])].reset_index(drop=True)
    linhas = ["entidade;mes;rubrica;recurso;estagio;valor;descricao"]
    for i in range(n):
        it = itens.iloc[int(rng.integers(len(itens)))]
        if i % 3:
            codigo = f"{it['codigo_formatado']}.{i:04d}"
            desc = f"{it['descricao']} - detalhe {i}"
        else:
            codigo = f"R{i:05d}"
            palavras = it["descricao"].split()
            desc = " ".join(palavras[: max(2, len(palavras) - int(rng.integers(0, 3)))])
        for mes in (1, 2):
            linhas.append(f"pm;{mes};{codigo};1500;realizada;{rng.uniform(10, 1e6):.2f};{desc}")
    (pasta / "receitas.csv").write_text("\n".join(linhas) + "\n", encoding="utf-8")
    (pasta / "despesas.csv").write_text("entidade;mes;funcional;elemento;recurso;estagio;valor\n", encoding="utf-8")


def limpar_memorias() -> None:
    sugestoes.indice_do_plano.cache_clear()
    validacao.validador.cache_clear()


def main(argv=None) -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--codigos", type=int, default=5000)
    a = p.parse_args(argv)
    pasta = RAIZ / "benchmarks" / "dados" / "equivalencias" / "layout_proprio"
    gerar(pasta, a.codigos)
    repo = eq.Repositorio(pasta)
    from siops_lib.equivalencias.coleta import codigos_locais

    cod = codigos_locais(repo)
    rub = cod[cod["aba"] == "rubricas"]
    print(f"Aba rubricas com {len(rub)} códigos locais ({len(rub) * 2} linhas de receita).")

    limpar_memorias()
    t = time.perf_counter()
    sug = eq.sugerir("rubricas", rub[["codigo_local", "descricao", "entidade"]], 2024)
    t_sug = time.perf_counter() - t
    print(f"Sugestões calculadas (catálogo frio): {t_sug:.2f} s para {len(sug)} sugestões   [meta ≤ 1 s]")
    t = time.perf_counter()
    vis = eq.visao(repo, "rubricas")
    print(f"Visão completa da aba (cobertura + sugestões + validação): {time.perf_counter() - t:.2f} s "
          f"({(vis['estado'] == 'sugerida').sum()} sugeridas)")

    from siops_lib.ui.editor_equivalencias import EditorEquivalencias

    limpar_memorias()
    repo = eq.Repositorio(pasta)
    t = time.perf_counter()
    editor = EditorEquivalencias(pasta, quem="benchmark")
    editor.abas["rubricas"].grade.get_state()          # serializa os dados como seriam enviados ao navegador
    t_grade = time.perf_counter() - t
    print(f"Editor com a grade pronta: {t_grade:.2f} s   [meta ≤ 1 s]")

    eq.gravar_sugestoes(repo, "benchmark")            # tabela gravada com 5.000 linhas
    codigos = list(vis.loc[vis["estado"] == "sugerida", "codigo_local"])[:7]
    tempos = []
    for c in codigos[:5]:
        t = time.perf_counter()
        eq.confirmar(repo, "rubricas", [("", c)], "benchmark")
        tempos.append(time.perf_counter() - t)
    t_conf = statistics.median(tempos)
    print(f"Uma confirmação gravada (tabela de {len(repo.linhas('rubricas'))} linhas, mediana de 5): "
          f"{t_conf * 1000:.0f} ms (máx. {max(tempos) * 1000:.0f} ms)   [meta ≤ 100 ms]")
    editor = EditorEquivalencias(pasta, quem="benchmark")
    aba = editor.abas["rubricas"]
    tempos = []
    for c in codigos[5:7]:
        t = time.perf_counter()
        editor.gravar_destino("rubricas", c, aba.visiveis.set_index("codigo_local").at[c, "destino"])
        tempos.append(time.perf_counter() - t)
    print(f"Edição na grade (gravar + atualizar a linha e o contador): {statistics.median(tempos) * 1000:.0f} ms")
    return 0 if (t_sug <= 1 and t_grade <= 1 and t_conf <= 0.1) else 1


if __name__ == "__main__":
    raise SystemExit(main())
