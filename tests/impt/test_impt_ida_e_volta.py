"""Ida e volta no município de exemplo: quadros → .IMPT → tabela, exata, em todas as pastas e nos seis bimestres."""
import pandas as pd
import pytest

from siops_lib import criticas, exemplo
from siops_lib.impt import formato, gerar_arquivos, ler_arquivos, validar
from siops_lib.impt.gerador import COLUNAS_CONTEUDO
from siops_lib.periodo import periodo

CHAVES = ["pasta", "codigo", "campo_id", "ordem"]


@pytest.fixture(scope="module")
def dados():
    return exemplo.gerar_canonico()


def _quadros_esperados(ctx) -> pd.DataFrame:
    """Os três quadros do SIOPS no formato do arquivo, montados aqui sem passar pelo gerador."""
    rec, desp, comp = ctx.receitas, ctx.despesas, ctx.complementares
    partes = [
        pd.DataFrame({"pasta": "1", "codigo": rec["item"], "campo_id": rec["campo_id"], "co_tipo": rec["co_tipo"],
                      "chave": rec["coluna"], "valor": rec["valor"]}),
        pd.DataFrame({"pasta": desp["pasta"], "codigo": desp["elemento"], "campo_id": desp["campo_id"],
                      "co_tipo": desp["co_tipo"], "chave": desp["coluna"], "valor": desp["valor"]}),
        pd.DataFrame({"pasta": "96", "codigo": comp["nr_prefixo"].str.ljust(8, "0"), "campo_id": comp["campo_id"],
                      "co_tipo": comp["co_tipo"], "chave": comp["coluna"], "valor": comp["valor"]}),
    ]
    q = pd.concat(partes, ignore_index=True)
    q = q[q["campo_id"] != ""]  # sem item no plano: não vai para o arquivo (críticas PLN01/PLN02)
    if not ctx.per.ultimo_bimestre:  # RPNP e orçada só no 6º bimestre
        q.loc[q["chave"].isin(["inscrita_rpnp", "orcada"]), "valor"] = 0.0
    q["valor"] = q["valor"].map(formato.valor_centavos)
    com_valor = q.groupby(["pasta", "codigo", "campo_id"])["valor"].transform(lambda s: (s != 0).any())
    return q[com_valor]


@pytest.mark.parametrize("bimestre", range(1, 7))
def test_ida_e_volta_exata(dados, bimestre, tmp_path):
    per = periodo(bimestre=bimestre)
    ctx = criticas.Contexto(dados, per)
    saida = tmp_path / f"siops_b{bimestre}.zip"
    man = gerar_arquivos(dados, per, saida, contexto=ctx)
    lido = ler_arquivos(saida, exercicio=dados.exercicio)

    ordem = ["arquivo", "linha", "codigo", "campo_id", "ordem"]
    gerado = ctx.conteudo.sort_values(ordem).reset_index(drop=True)
    volta = lido[COLUNAS_CONTEUDO].sort_values(ordem).reset_index(drop=True)
    pd.testing.assert_frame_equal(volta, gerado)

    # e o que voltou é exatamente o que os quadros dizem, célula a célula
    quadros = _quadros_esperados(ctx)
    juntos = quadros.merge(volta, on=["pasta", "codigo", "campo_id", "co_tipo"], how="outer", indicator=True,
                           suffixes=("_q", "_a"))
    assert (juntos["_merge"] == "both").all(), juntos[juntos["_merge"] != "both"]
    assert (juntos["valor_q"] == juntos["valor_a"]).all()
    assert set(volta["pasta"]) >= {"1", "96", "4_12", "86_12"}
    assert set(man["arquivo"]) == set(volta["arquivo"])

    assert validar(saida, dados.exercicio, bimestre, esperado=ctx.conteudo).empty
