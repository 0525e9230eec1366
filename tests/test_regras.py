"""Saúde dos pacotes de regras (siops_lib/regras/): todo arquivo é conferido contra regras/esquema.yaml.

Toda falha aponta ``arquivo.csv (linha N)`` — N é a linha do arquivo, contando o cabeçalho como 1.
Chaves são únicas entre as linhas vigentes num mesmo exercício (uma linha pode ser substituída por outra
a partir de um ano, com vigências que não se cruzam).
"""
from __future__ import annotations

import re
from pathlib import Path

import pandas as pd
import pytest
import yaml

from siops_lib import regras
from siops_lib.erros import ErroSiops
from siops_lib.motor import formulas

PASTA = Path(regras.__file__).parent
ESQUEMA = yaml.safe_load((PASTA / "esquema.yaml").read_text(encoding="utf-8"))["arquivos"]
NOMES = regras.arquivos()
ANOS = regras.exercicios_disponiveis()


def _ler(nome: str) -> pd.DataFrame:
    df = pd.read_csv(PASTA / f"{nome}.csv", dtype=str, keep_default_na=False, encoding="utf-8")
    df["_linha"] = df.index + 2
    return df


def _vigentes(nome: str, ano: int) -> pd.DataFrame:
    df = _ler(nome)
    return df[regras.vigente(df, ano)]


def _onde(nome: str, linha) -> str:
    return f"{nome}.csv (linha {int(linha)})"


def _falhar(problemas: list[str]) -> None:
    assert not problemas, f"{len(problemas)} problema(s):\n" + "\n".join(problemas[:50])


# ---------------------------------------------------------------- por arquivo


def test_todo_arquivo_descrito_no_esquema():
    assert sorted(set(NOMES) - set(ESQUEMA)) == [], "descreva o arquivo em siops_lib/regras/esquema.yaml"
    assert sorted(set(ESQUEMA) - set(NOMES)) == [], "o esquema descreve arquivos que não existem"


@pytest.mark.parametrize("nome", NOMES)
def test_utf8_vigencia_e_fonte(nome):
    (PASTA / f"{nome}.csv").read_bytes().decode("utf-8")  # UnicodeDecodeError = falha
    df = _ler(nome)
    assert list(df.columns[:2]) == ["vigente_desde", "vigente_ate"], f"{nome}.csv: vigência nas duas primeiras colunas"
    assert "fonte" in df.columns, f"{nome}.csv: falta a coluna 'fonte'"
    problemas = []
    for _, r in df.iterrows():
        if not r["fonte"].strip():
            problemas.append(_onde(nome, r["_linha"]) + ": fonte vazia")
        if not re.fullmatch(r"\d{4}", r["vigente_desde"]):
            problemas.append(_onde(nome, r["_linha"]) + f": vigente_desde '{r['vigente_desde']}' não é um ano")
        if r["vigente_ate"] and (not re.fullmatch(r"\d{4}", r["vigente_ate"]) or r["vigente_ate"] < r["vigente_desde"]):
            problemas.append(_onde(nome, r["_linha"]) + f": vigente_ate '{r['vigente_ate']}' inválido")
    _falhar(problemas)


@pytest.mark.parametrize("nome", NOMES)
def test_chaves_unicas_em_cada_exercicio(nome):
    desc = ESQUEMA[nome]
    problemas = []
    for ano in ANOS:
        df = _vigentes(nome, ano)
        for chave in [desc["chave"]] + desc.get("outras_chaves", []):
            faltam = [c for c in chave if c not in df.columns]
            assert not faltam, f"{nome}.csv: colunas-chave ausentes {faltam}"
            for _, r in df[df.duplicated(chave, keep="first")].iterrows():
                valores = ", ".join(f"{c}={r[c]}" for c in chave)
                problemas.append(_onde(nome, r["_linha"]) + f": chave repetida em {ano} ({valores})")
    _falhar(problemas)


@pytest.mark.parametrize("nome", NOMES)
def test_formato_dos_codigos(nome):
    df = _ler(nome)
    problemas = []
    for coluna, padrao in ESQUEMA[nome].get("formatos", {}).items():
        assert coluna in df.columns, f"{nome}.csv: coluna '{coluna}' ausente"
        rx = re.compile(padrao)
        for _, r in df[~df[coluna].map(lambda v: bool(rx.fullmatch(v)))].iterrows():
            problemas.append(_onde(nome, r["_linha"]) + f": {coluna} '{r[coluna]}' fora do formato {padrao}")
    _falhar(problemas)


@pytest.mark.parametrize("nome", NOMES)
@pytest.mark.parametrize("ano", ANOS)
def test_todo_arquivo_tem_linhas_em_todo_exercicio(nome, ano):
    assert len(regras.tabela(nome, ano)) == len(_vigentes(nome, ano)) > 0


# ---------------------------------------------------------------- exercícios e leitura


def test_tabela_de_exercicios():
    ex = pd.read_csv(PASTA / "exercicios.csv", dtype=str, keep_default_na=False)
    assert list(ex.columns) == ["exercicio", "edicao_mdf", "situacao_mdf", "estrutura_siops", "situacao_siops",
                                "edicao_pcasp", "situacao_pcasp", "fonte", "observacao"]
    assert ex["exercicio"].is_unique
    assert set(ex["situacao_mdf"]) | set(ex["situacao_siops"]) | set(ex["situacao_pcasp"]) <= {"conferida", "herdada"}
    assert set(ex["exercicio"].astype(int)) >= {2023, 2024, 2025, 2026}
    for ano in ex["exercicio"].astype(int):   # o PCASP de cada exercício é dado: catálogo vigente com natureza
        cat = regras.tabela("comum/pcasp_contas", ano)
        assert len(cat) > 7000 and set(cat["natureza"]) <= {"D", "C", "C/D", "D/C"}
    assert (ex["fonte"].str.strip() != "").all()


def test_exercicio_sem_regras_da_erro_em_portugues():
    with pytest.raises(ErroSiops, match=r"Exercícios disponíveis: 2023, 2024, 2025, 2026") as erro:
        regras.tabela("anexo12/linhas", 2030)
    assert "exercício 2030" in str(erro.value) and "exercicios.csv" in str(erro.value)


def test_arquivo_inexistente():
    with pytest.raises(ErroSiops, match="não existe"):
        regras.tabela("anexo12/nada", 2024)


def test_novo_exercicio_e_uma_linha(tmp_path, monkeypatch):
    """Acrescentar 2027 sem mudança de regra: uma linha em exercicios.csv; mudar um filtro: editar as linhas dele."""
    import shutil

    copia = tmp_path / "regras"
    shutil.copytree(PASTA, copia, ignore=shutil.ignore_patterns("*.py", "__pycache__"))
    ex = copia / "exercicios.csv"
    ex.write_text(ex.read_text(encoding="utf-8") + "2027,MDF 15ª ed.,herdada,plano 2024,herdada,PCASP 2027,herdada,teste,\n",
                  encoding="utf-8")
    monkeypatch.setattr(regras, "PASTA", copia)
    regras.recarregar()
    try:
        assert 2027 in regras.exercicios_disponiveis()
        a26 = regras.tabela("anexo12/filtros", 2026)
        a27 = regras.tabela("anexo12/filtros", 2027)
        pd.testing.assert_frame_equal(a26, a27)
        # mudar a FS da linha IV.corr só a partir de 2027: fecha a linha antiga em 2026 e acrescenta a nova
        f = copia / "anexo12" / "filtros.csv"
        linhas = f.read_text(encoding="utf-8").splitlines()
        i = next(k for k, t in enumerate(linhas) if t.startswith("2023,,IV.corr,1,fs,em,10301,"))
        nova = linhas[i].replace("2023,,", "2027,,", 1).replace(",10301,", ",10399,", 1)
        linhas[i] = linhas[i].replace("2023,,", "2023,2026,", 1)
        f.write_text("\n".join(linhas + [nova]) + "\n", encoding="utf-8")
        fs = lambda ano: regras.tabela("anexo12/filtros", ano).query("linha == 'IV.corr' and dimensao == 'fs'")["valores"]
        assert list(fs(2026)) == ["10301"] and list(fs(2027)) == ["10399"]   # o cache segue o conteúdo do arquivo
    finally:
        monkeypatch.undo()
        regras.recarregar()


def test_tabela_devolve_copia():
    a = regras.tabela("anexo12/linhas", 2024)
    a.loc[0, "rotulo"] = "alterado"
    assert regras.tabela("anexo12/linhas", 2024).loc[0, "rotulo"] != "alterado"


# ---------------------------------------------------------------- entre arquivos


@pytest.mark.parametrize("ano", ANOS)
def test_filtros_e_predicados_citam_o_que_existe(ano):
    linhas = set(_vigentes("anexo12/linhas", ano)["linha"])
    listas = set(_vigentes("comum/listas", ano)["lista"])
    predicados = set(_vigentes("comum/predicados", ano)["predicado"])
    dimensoes = set(_vigentes("comum/dimensoes", ano)["dimensao"]) | {"nr", "nd", "fs", "fr", "co", "ai", "predicado",
                                                                        "anexo12"}
    problemas = []
    for nome, chave in (("anexo12/filtros", "linha"), ("comum/predicados", "predicado"),
                        ("anexo12_controles/filtros", "quadro"), ("indicadores/medidas", "medida")):
        for _, r in _vigentes(nome, ano).iterrows():
            if nome == "anexo12/filtros" and r["linha"] not in linhas:
                problemas.append(_onde(nome, r["_linha"]) + f": linha '{r['linha']}' fora de anexo12/linhas ({ano})")
            if r["valores"].startswith("@") and r["valores"][1:] not in listas:
                problemas.append(_onde(nome, r["_linha"]) + f": lista '{r['valores']}' fora de comum/listas ({ano})")
            if r["dimensao"] not in dimensoes and not (r.get("tabela") == "parametro" and r["dimensao"] == ""):
                problemas.append(_onde(nome, r["_linha"]) + f": dimensão '{r['dimensao']}' desconhecida")
            if r["dimensao"] == "predicado":
                for p in r["valores"].split(";"):
                    if p not in predicados:
                        problemas.append(_onde(nome, r["_linha"]) + f": predicado '{p}' fora de comum/predicados")
    _falhar(problemas)


@pytest.mark.parametrize("ano", ANOS)
def test_formulas_leem_e_citam_o_que_existe(ano):
    lin = _vigentes("anexo12/linhas", ano)
    nomes = set(lin["linha"])
    problemas = []
    for _, r in lin[lin["formula"] != ""].iterrows():
        try:
            refs = formulas.referencias(r["formula"])
        except ErroSiops as e:
            problemas.append(_onde("anexo12/linhas", r["_linha"]) + f": {e}")
            continue
        for nome, _ in refs:
            if nome not in nomes:
                problemas.append(_onde("anexo12/linhas", r["_linha"]) + f": fórmula cita '{nome}', que não é linha")
    for _, r in lin.iterrows():
        if r["tipo"] in ("formula", "apuracao") and not r["formula"]:
            problemas.append(_onde("anexo12/linhas", r["_linha"]) + f": linha {r['tipo']} sem fórmula")
        if r["tipo"] == "dado" and _vigentes("anexo12/filtros", ano).query("linha == @r.linha").empty:
            problemas.append(_onde("anexo12/linhas", r["_linha"]) + ": linha de dado sem filtro")
    _falhar(problemas)


@pytest.mark.parametrize("ano", ANOS)
def test_estagios_citados_existem(ano):
    est = _vigentes("comum/estagios_pcasp", ano)
    estagios = set(zip(est["tabela"], est["estagio"]))
    problemas = []
    for nome in ("anexo12/colunas", "comum/siops_colunas_estagios"):
        for _, r in _vigentes(nome, ano).iterrows():
            if (r["tabela"], r["estagio"]) not in estagios:
                problemas.append(_onde(nome, r["_linha"]) + f": estágio '{r['estagio']}' ({r['tabela']}) fora de estagios_pcasp")
    for _, r in _vigentes("anexo12_controles/colunas", ano).iterrows():
        for e in filter(None, r["estagios"].split(";")):
            if not any(e == x for _, x in estagios):
                problemas.append(_onde("anexo12_controles/colunas", r["_linha"]) + f": estágio '{e}' fora de estagios_pcasp")
    _falhar(problemas)


@pytest.mark.parametrize("ano", ANOS)
def test_depara_de_receita_aponta_para_itens_do_plano(ano):
    itens = set(_vigentes("siops_receitas/itens", ano)["codigo"])
    problemas = [
        _onde("siops_receitas/depara", r["_linha"]) + f": item {r['item']} não está no plano de receitas de {ano}"
        for _, r in _vigentes("siops_receitas/depara", ano).iterrows() if r["item"] not in itens
    ]
    _falhar(problemas)


@pytest.mark.parametrize("ano", ANOS)
def test_colunas_siops_definidas(ano):
    cols = _vigentes("comum/siops_colunas", ano)
    problemas = []
    for _, grupo in cols.groupby("pasta"):
        anteriores: set[str] = set()
        for _, r in grupo.sort_values("ordem", key=lambda s: s.astype(int)).iterrows():
            if r["formula"]:
                for _, termo in formulas.termos(r["formula"]):
                    if termo not in anteriores:
                        problemas.append(_onde("comum/siops_colunas", r["_linha"]) + f": fórmula cita '{termo}' antes de defini-la")
            else:
                cat = _vigentes(r["catalogo_estagios"], ano)
                chave = "chave" if "chave" in cat else "coluna"
                if (cat[chave] != r["base"]).all():
                    problemas.append(_onde("comum/siops_colunas", r["_linha"]) + f": base '{r['base']}' fora de {r['catalogo_estagios']}")
            anteriores.add(r["chave"])
    _falhar(problemas)


@pytest.mark.parametrize("ano", ANOS)
def test_pastas_de_despesa_cobrem_fonte_e_subfuncao(ano):
    fonte = _vigentes("siops_despesas/pastas_fonte", ano)
    sub = _vigentes("siops_despesas/pastas_subfuncao", ano)
    pastas = set(_vigentes("comum/siops_pastas", ano)["cod_planilha"])
    assert ((fonte["fr_esp"] == "*") & (fonte["co"] == "*")).any(), "pastas_fonte.csv: falta a linha padrão '*','*'"
    assert (sub["subfuncao"] == "*").any(), "pastas_subfuncao.csv: falta a linha padrão '*'"
    problemas = [
        _onde("siops_despesas/pastas_fonte", r["_linha"]) + f": pasta {r['pasta']}_{s} não está em siops_pastas.csv"
        for _, r in fonte.iterrows() for s in set(sub["sufixo"]) if f"{r['pasta']}_{s}" not in pastas
    ]
    _falhar(problemas)


@pytest.mark.parametrize("ano", ANOS)
def test_pasta96_sem_sobreposicao(ano):
    p = _vigentes("siops_complementares/pasta96", ano)
    problemas = []
    linhas = list(p.itertuples())
    for i, a in enumerate(linhas):
        for b in linhas[i + 1:]:
            prefixo_comum = a.nr_prefixo.startswith(b.nr_prefixo) or b.nr_prefixo.startswith(a.nr_prefixo)
            if prefixo_comum and set(a.fontes.split(";")) & set(b.fontes.split(";")):
                problemas.append(_onde("siops_complementares/pasta96", b._linha) + f": sobrepõe a linha {a.linha}")
    _falhar(problemas)


@pytest.mark.parametrize("ano", ANOS)
def test_indicadores_e_medidas(ano):
    ind = _vigentes("indicadores/indicadores", ano)
    med = _vigentes("indicadores/medidas", ano)
    linhas = set(_vigentes("anexo12/linhas", ano)["linha"])
    assert len(ind) == 14, f"indicadores.csv: esperados os 14 indicadores municipais, há {len(ind)} em {ano}"
    problemas = []
    for _, r in ind.iterrows():
        for papel in ("numerador", "denominador"):
            if r[papel] and r[papel] not in set(med["medida"]):
                problemas.append(_onde("indicadores/indicadores", r["_linha"]) + f": {papel} '{r[papel]}' fora das medidas")
    for _, r in med.iterrows():
        if r["dimensao"] == "anexo12":
            for linha in r["valores"].split(";"):
                if linha not in linhas:
                    problemas.append(_onde("indicadores/medidas", r["_linha"]) + f": linha '{linha}' fora de anexo12/linhas")
    _falhar(problemas)


def test_heranca_do_plano_de_receitas():
    """2023 usa a estrutura antiga (IPTU principal = 11180111); 2024+ o plano novo (11125001)."""
    assert "11180111" in set(regras.tabela("siops_receitas/itens", 2023)["codigo"])
    assert "11125001" not in set(regras.tabela("siops_receitas/itens", 2023)["codigo"])
    itens_2025 = regras.tabela("siops_receitas/itens", 2025)
    assert itens_2025.loc[itens_2025["codigo"] == "11125001", "campo_id"].tolist() == ["2141"]


@pytest.mark.parametrize("ano", ANOS)
def test_mascaras_cobrem_as_pastas(ano):
    """Cada tipo de pasta do SIOPS tem exatamente uma máscara (comum/mascaras.csv, coluna tipo_pasta)."""
    masc = _vigentes("comum/mascaras", ano)
    tipos = set(_vigentes("comum/siops_pastas", ano)["tipo"])
    contagem = masc.loc[masc["tipo_pasta"] != "", "tipo_pasta"].value_counts()
    problemas = [f"comum/mascaras.csv: o tipo de pasta '{t}' tem {int(contagem.get(t, 0))} máscara(s) em {ano}"
                 for t in sorted(tipos) if contagem.get(t, 0) != 1]
    _falhar(problemas)


@pytest.mark.parametrize("ano", ANOS)
def test_parametros_das_criticas_citam_criticas(ano):
    ids = set(_vigentes("criticas/criticas", ano)["id"])
    problemas = [_onde("criticas/parametros", r["_linha"]) + f": crítica '{r['critica']}' fora de criticas.csv ({ano})"
                 for _, r in _vigentes("criticas/parametros", ano).iterrows() if r["critica"] not in ids]
    _falhar(problemas)


@pytest.mark.parametrize("ano", ANOS)
def test_leiaute_do_anexo12(ano):
    """Todo bloco cita um conjunto de colunas existente; percentuais de exibição citam colunas de valor do conjunto;
    as linhas do leiaute existem no Anexo 12 ou nos quadros de controle."""
    blocos = _vigentes("anexo12/blocos", ano)
    cols = _vigentes("anexo12/leiaute_colunas", ano)
    problemas = [_onde("anexo12/blocos", r["_linha"]) + f": leiaute '{r['leiaute']}' fora de leiaute_colunas.csv"
                 for _, r in blocos.iterrows() if r["leiaute"] not in set(cols["leiaute"])]
    for _, r in cols[cols["tipo"] == "pct"].iterrows():
        valor = set(cols.loc[(cols["leiaute"] == r["leiaute"]) & (cols["tipo"] == "valor"), "coluna"])
        for papel in ("numerador", "denominador"):
            if r[papel] not in valor:
                problemas.append(_onde("anexo12/leiaute_colunas", r["_linha"]) + f": {papel} '{r[papel]}' não é coluna "
                                 f"de valor do leiaute {r['leiaute']}")
    linhas = set(_vigentes("anexo12/linhas", ano)["linha"]) | set(_vigentes("anexo12_controles/linhas", ano)["linha"])
    problemas += [_onde("anexo12/leiaute_linhas", r["_linha"]) + f": linha '{r['linha']}' não existe"
                  for _, r in _vigentes("anexo12/leiaute_linhas", ano).iterrows() if r["linha"] not in linhas]
    _falhar(problemas)


def test_caches_derivados_seguem_a_edicao_das_regras(tmp_path, monkeypatch):
    """Um índice guardado com ``regras.em_cache`` (validador, sugestões, agregadores) é refeito quando o arquivo muda."""
    import shutil

    copia = tmp_path / "regras"
    shutil.copytree(PASTA, copia, ignore=shutil.ignore_patterns("*.py", "__pycache__"))
    monkeypatch.setattr(regras, "PASTA", copia)
    regras.recarregar()
    chamadas = []

    @regras.em_cache
    def fontes(ano):
        chamadas.append(ano)
        return tuple(regras.lista("fontes_asps", ano))

    try:
        assert fontes(2024) == ("500", "502") and fontes(2024) == ("500", "502") and chamadas == [2024]
        listas = copia / "comum" / "listas.csv"
        listas.write_text(listas.read_text(encoding="utf-8").replace(
            "2023,,fontes_asps,502,", "2023,,fontes_asps,503,"), encoding="utf-8")
        assert fontes(2024) == ("500", "503") and chamadas == [2024, 2024]
    finally:
        monkeypatch.undo()
        regras.recarregar()


@pytest.mark.parametrize("ano", ANOS)
def test_subfuncoes_caem_nas_linhas_declaradas(ano):
    """``comum/subfuncoes.csv`` diz em que linhas do Anexo 12 cai cada subfunção; os filtros têm de concordar.

    Para cada subfunção, uma despesa corrente da função 10 em FR 1500 + CO 1002 (computada) cai na linha do
    bloco B declarada, a mesma despesa em FR 1600 (SUS federal, não computada) cai na do bloco H, e as duas
    somam na linha do bloco I (fórmula B + H)."""
    from siops_lib.motor.filtros import derivar_dimensoes, mascaras_por_chave
    from siops_lib.quadros import anexo12

    sub = _vigentes("comum/subfuncoes", ano)
    base = pd.DataFrame([{"fs": "10" + s, "nd": "33903900", "fr": fr, "co": co, "nr": "", "ai": ""}
                         for s in sub["subfuncao"] for fr, co in (("1500", "1002"), ("1600", "0000"))])
    base = derivar_dimensoes(base, ano)
    filtros = regras.tabela("anexo12/filtros", ano)
    masc = mascaras_por_chave(base, filtros, "linha", ano)
    problemas = []
    for i, r in enumerate(sub.itertuples(index=False)):
        b, h, total = r.linhas_anexo12.split(";")
        for k, linha in ((2 * i, b + ".corr"), (2 * i + 1, h + ".corr")):
            onde = sorted(lin for lin, m in masc.items() if m[k])
            if onde != [linha]:
                problemas.append(f"subfunção {r.subfuncao}: esperado só {linha}, caiu em {onde}")
        if set(anexo12.sinais(ano, total)) != {b + ".corr", b + ".cap", h + ".corr", h + ".cap"}:
            problemas.append(f"subfunção {r.subfuncao}: {total} não é {b} + {h}")
    _falhar(problemas)


def test_edicao_do_mdf_citada_por_exercicio():
    # regras/exercicios.csv: 2023 usa a 13ª edição, conferida; 2024 a 14ª, com critérios herdados
    assert regras.edicao_mdf(2023) == "MDF 13ª ed."
    assert regras.edicao_mdf(2024).startswith("MDF 14ª ed. (")
    assert "não conferidos" in regras.edicao_mdf(2024)
