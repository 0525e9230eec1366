"""Só itens operacionais: todo valor de todo arquivo .IMPT gerado cai num item sem filhos do plano do SIOPS.

"Tem filhos" é calculado aqui, direto dos arquivos do plano (``regras/siops_despesas/elementos.csv`` e
``regras/siops_receitas/itens.csv``), sem a biblioteca: um item é agregador quando o código de outro item começa
pelo seu prefixo estrutural (o código sem os campos finais que são só zeros; os campos saem da coluna formatada,
``3.3.90.39.00.00`` → 1, 1, 2, 2, 2, 2 dígitos). Também aqui: as regras dos itens padrão (``item_padrao.csv``)
e do de-para do e-cidade conferidas contra o plano, e a regra de cobertura dos itens padrão ("Outras …"/".99").
"""
from __future__ import annotations

import io
import zipfile
from pathlib import Path

import pandas as pd
import pytest
from fabrica import BETIM, SHARED

from siops_lib import exemplo
from siops_lib.impt import gerar_arquivos
from siops_lib.periodo import Periodo, periodo

REGRAS = Path(__file__).resolve().parents[2] / "siops_lib" / "regras"
EXERCICIOS = (2023, 2024, 2025, 2026)
PASTA_RECEITA, PASTA_COMPLEMENTAR = "1", "96"


# ---------------------------------------------------------------- o plano, lido à parte


def _vigentes(arquivo: str, ano: int) -> pd.DataFrame:
    df = pd.read_csv(REGRAS / arquivo, dtype=str, keep_default_na=False)
    ate = pd.to_numeric(df["vigente_ate"].replace("", "9999"))
    return df[(pd.to_numeric(df["vigente_desde"]) <= ano) & (ate >= ano)].reset_index(drop=True)


def _prefixo(formatado: str) -> str:
    campos = formatado.split(".")
    while campos and set(campos[-1]) == {"0"}:
        campos.pop()
    return "".join(campos)


class PlanoLido:
    """Itens de um plano do SIOPS num exercício: código → prefixo estrutural, agregadores e filhos."""

    def __init__(self, arquivo: str, coluna: str, formatada: str, ano: int):
        df = _vigentes(arquivo, ano)
        self.prefixo = dict(zip(df[coluna], df[formatada].map(_prefixo)))
        self.formatado = dict(zip(df[formatada], df[coluna]))
        prefixos = set(self.prefixo.values())
        self.agregadores = {c for c, p in self.prefixo.items() if any(q != p and q.startswith(p) for q in prefixos)}

    def filhos_diretos(self, item: str) -> list[str]:
        p = self.prefixo[item]
        desc = [c for c, q in self.prefixo.items() if q != p and q.startswith(p)]
        return [c for c in desc if not any(self.prefixo[k] != self.prefixo[c] and self.prefixo[c].startswith(self.prefixo[k])
                                           for k in desc)]


def _despesas(ano):
    return PlanoLido("siops_despesas/elementos.csv", "elemento", "elemento_formatado", ano)


def _receitas(ano):
    return PlanoLido("siops_receitas/itens.csv", "codigo", "codigo_formatado", ano)


# ---------------------------------------------------------------- regras: item padrão e de-para do e-cidade


@pytest.mark.parametrize("ano", EXERCICIOS)
@pytest.mark.parametrize("quadro", ["siops_despesas", "siops_receitas"])
def test_item_padrao_e_um_desdobramento_e_a_cadeia_acaba_num_item_operacional(quadro, ano):
    plano = _despesas(ano) if quadro == "siops_despesas" else _receitas(ano)
    pad = _vigentes(f"{quadro}/item_padrao.csv", ano)
    padrao = dict(zip(pad["item_pai"], pad["item_padrao"]))
    problemas = []
    for pai, filho in padrao.items():
        if pai not in plano.agregadores:
            problemas.append(f"{pai}: não é agregador no plano de {ano}")
        elif filho not in plano.filhos_diretos(pai):
            problemas.append(f"{pai} → {filho}: o item padrão não é filho direto do agregador")
        item, vistos = pai, set()
        while item in padrao and item not in vistos:
            vistos.add(item)
            item = padrao[item]
        if item in plano.agregadores:
            problemas.append(f"{pai}: a cadeia de itens padrão para no agregador {item}")
    assert not problemas, "\n".join(problemas)


def _ultimo_campo(formatado_do_item: dict, item: str) -> str:
    return next(f for f, c in formatado_do_item.items() if c == item).rstrip(".0").split(".")[-1]


@pytest.mark.parametrize("ano", EXERCICIOS)
def test_todo_agregador_com_filho_99_tem_item_padrao(ano):
    """A regra da cobertura: o agregador que tem um filho direto '.9'/'.99' declara um item padrão (o da espécie
    para cima na receita fica de fora de propósito: natureza que só chega lá é de outra estrutura)."""
    for quadro, plano, nivel_minimo in (("siops_despesas", _despesas(ano), 0), ("siops_receitas", _receitas(ano), 4)):
        padrao = set(_vigentes(f"{quadro}/item_padrao.csv", ano)["item_pai"])
        faltam = []
        for pai in plano.agregadores:
            if len(plano.prefixo[pai]) < nivel_minimo:
                continue
            noves = [f for f in plano.filhos_diretos(pai) if set(_ultimo_campo(plano.formatado, f)) == {"9"}]
            if noves and pai not in padrao:
                faltam.append(f"{pai} (filho {noves[0]})")
        assert not faltam, f"{quadro} {ano}: agregadores com filho '99' sem item padrão: {', '.join(sorted(faltam))}"


@pytest.mark.parametrize("ano", EXERCICIOS)
def test_depara_do_ecidade_aponta_para_itens_operacionais_do_plano(ano):
    plano = _despesas(ano)
    dp = _vigentes("siops_despesas/depara_ecidade.csv", ano)
    assert len(dp) == 1506
    fora = sorted(set(dp["elemento_siops"]) - set(plano.prefixo))
    agregadores = sorted(set(dp["elemento_siops"]) & plano.agregadores)
    assert not fora and not agregadores, (fora, agregadores)


def test_depara_do_ecidade_transcrito_da_referencia():
    ref = SHARED / "referencia" / "tabelas" / "siops_depara_elemento_despesa_ecidade_2019.csv"
    if not ref.is_file():
        pytest.skip("../shared/referencia ausente")
    origem = pd.read_csv(ref, dtype=str)
    dp = _vigentes("siops_despesas/depara_ecidade.csv", 2025)
    par = set(zip(dp["elemento_origem"], dp["elemento_siops"]))
    # cada linha da referência está transcrita, salvo as 4 origens repetidas com destino de outra modalidade (91)
    faltam = [(o, d) for o, d in zip(origem["elemento_origem_10dig"], origem["elemento_siops_10dig"]) if (o, d) not in par]
    assert len(faltam) == 4 and all(o[:4] == "3190" and d[:4] == "3191" for o, d in faltam)


# ---------------------------------------------------------------- os arquivos gerados


def _linhas_impt(conteudo_zip: bytes) -> list[tuple[str, str, str, list[float]]]:
    """(arquivo, pasta, código em dígitos, valores) de cada linha de cada .IMPT do zip."""
    saida = []
    with zipfile.ZipFile(io.BytesIO(conteudo_zip)) as z:
        for nome in z.namelist():
            if not nome.endswith(".IMPT"):
                continue
            for linha in z.read(nome).decode("utf-8").split("\r\n"):
                if not linha:
                    continue
                campos = linha.split(";")
                valores = [float(c.split("R$", 1)[1].split("<", 1)[0].replace(",", "."))
                           for c in campos if c.startswith("V")]
                saida.append((nome, campos[0], campos[1].replace(".", ""), valores))
    return saida


def _conferir(conteudo_zip: bytes, ano: int, rotulo: str) -> int:
    desp, rec = _despesas(ano), _receitas(ano)
    n, problemas = 0, []
    for arquivo, pasta, codigo, valores in _linhas_impt(conteudo_zip):
        if pasta == PASTA_COMPLEMENTAR or not any(valores):
            continue        # pasta 96: linhas próprias (natureza × origem), sem hierarquia de itens
        if pasta == PASTA_RECEITA:
            # na pasta de receitas o código sai na máscara antiga (1.1.12.50.01): os 8 dígitos são o item
            plano, item = rec, codigo.ljust(8, "0")
        else:
            plano, item = desp, codigo
        n += 1
        if item not in plano.prefixo:
            problemas.append(f"{rotulo}: {arquivo} item {codigo} fora do plano de {ano}")
        elif item in plano.agregadores:
            problemas.append(f"{rotulo}: {arquivo} item {codigo} tem filhos no plano de {ano} e recebeu {valores}")
    assert not problemas, "\n".join(problemas[:30])
    return n


@pytest.mark.parametrize("ano", EXERCICIOS)
def test_nenhum_valor_do_exemplo_em_item_com_filhos(ano, tmp_path):
    dados = exemplo.gerar_canonico(ano)
    total = 0
    for b in range(1, 7):
        z = tmp_path / f"b{b}.zip"
        man = gerar_arquivos(dados, periodo(bimestre=b), z, forcar=True)
        assert len(man)
        total += _conferir(z.read_bytes(), ano, f"exemplo {ano} b{b}")
    assert total > 6 * 40     # as pastas do exemplo têm dezenas de itens com valor por bimestre


def test_exemplo_sem_agregador_sem_item_padrao():
    """O exemplo não precisa de mapeamento: todo agregador que recebe valor tem item padrão (PLN04 sem ocorrência)."""
    from siops_lib import criticas

    for ano in EXERCICIOS:
        t = criticas.executar(exemplo.gerar_canonico(ano), periodo(bimestre=6), ids=["PLN03", "PLN04"])
        assert set(t.loc[t["id"] == "PLN04", "situacao"]) == {"ok"}, ano
        assert (t["id"] == "PLN03").sum() >= 5       # e os encaminhamentos aparecem, para o usuário conferir


def test_nenhum_valor_da_msc_real_de_betim_em_item_com_filhos(tmp_path):
    if not BETIM.is_file():
        pytest.skip("../shared/dados_reais ausente: teste com a MSC real pulado")
    from siops_lib.leitura import ler_msc

    dados = ler_msc([BETIM])
    z = tmp_path / "betim.zip"
    gerar_arquivos(dados, Periodo(mes=1, bimestre=1), z, forcar=True)   # a MSC é só de janeiro
    assert _conferir(z.read_bytes(), dados.exercicio, "Betim") > 50
