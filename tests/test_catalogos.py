"""Saúde dos catálogos (regras como dados): cada CSV de siops_lib/catalogos/ é conferido aqui.

Toda falha aponta ``arquivo (linha N)`` — N é a linha do arquivo, contando o cabeçalho como 1.
Um catálogo novo precisa declarar suas colunas-chave em ``CHAVES`` (o teste avisa se faltar).
"""
from __future__ import annotations

import re
from pathlib import Path

import pandas as pd
import pytest

import siops_lib
from siops_lib.catalogo import catalogo
from siops_lib.erros import ErroSiops

PASTA = Path(siops_lib.__file__).parent / "catalogos"
ARQUIVOS = sorted(PASTA.glob("*.csv"))

CHAVES = {
    "anexo12_colunas": ["versao", "tabela", "coluna", "estagio"],
    "anexo12_filtros": ["versao", "linha", "grupo", "dimensao", "operador", "valores"],
    "anexo12_linhas": ["versao", "linha"],
    "estagios_pcasp": ["versao", "conta_prefixo"],
    "exercicios": ["exercicio", "catalogo"],
    "listas": ["versao", "lista", "valor"],
    "pcasp_contas": ["versao", "conta"],
    "siops_receita_itens": ["versao", "codigo"],
    "siops_receita_depara": ["versao", "nr"],
    "siops_despesa_elementos": ["versao", "elemento"],
    "siops_pastas_fonte": ["versao", "fr_esp", "co"],
    "siops_pastas_subfuncao": ["versao", "subfuncao"],
    "siops_pastas": ["versao", "cod_planilha"],
    "siops_colunas": ["versao", "pasta", "co_tipo"],
    "siops_colunas_estagios": ["versao", "quadro", "chave", "tabela", "estagio"],
    "siops_pasta96": ["versao", "linha"],
    "subfuncoes": ["versao", "subfuncao"],
    "codigos_acompanhamento": ["versao", "co"],
    "fontes": ["versao", "fr_esp"],
    "indicadores": ["versao", "codigo"],
    "indicadores_medidas": ["versao", "medida", "tabela", "grupo", "dimensao", "operador", "valores"],
    "criticas": ["versao", "id"],
}
OUTRAS_CHAVES = {
    "anexo12_linhas": [["versao", "ordem"]],
    "siops_receita_itens": [["versao", "campo_id"], ["versao", "linha"]],
    "siops_despesa_elementos": [["versao", "campo_id"], ["versao", "linha"]],
    "siops_pasta96": [["versao", "campo_id"]],
    "siops_colunas": [["versao", "pasta", "chave"], ["versao", "pasta", "ordem"]],
}
_LISTA3 = r"\d{3}(;\d{3})*"
FORMATOS = {
    "anexo12_colunas": {"sinal": r"-?1"},
    "estagios_pcasp": {"conta_prefixo": r"\d{1,9}", "natureza": r"[DC]"},
    "exercicios": {"exercicio": r"\d{4}"},
    "listas": {"valor": r"\d+"},
    "pcasp_contas": {"conta": r"\d{9}", "natureza": r"[DC]|C/D|D/C"},
    "siops_receita_itens": {"codigo": r"\d{8}", "campo_id": r"\d+", "linha": r"\d+",
                            "codigo_formatado": r"\d(\.\d){3}\.\d{2}\.\d\.\d"},
    "siops_receita_depara": {"nr": r"\d{8}", "item": r"\d{8}"},
    "siops_despesa_elementos": {"elemento": r"\d{10}", "campo_id": r"\d+", "linha": r"\d+",
                                "elemento_formatado": r"\d\.\d(\.\d{2}){4}"},
    "siops_pastas_fonte": {"fr_esp": r"\d{3}|\*", "co": r"\d{4}|\*", "pasta": r"\d{1,2}",
                           "confianca": r"CERTO|PROVÁVEL|INCERTO"},
    "siops_pastas_subfuncao": {"subfuncao": r"\d{3}|\*", "sufixo": r"\d{2}"},
    "siops_pastas": {"cod_planilha": r"\d{1,2}(_\d{2})?", "prefixo": r"\d{1,2}", "sufixo": r"(\d{2})?",
                     "tipo": r"receita|despesa|complementar", "confianca": r"CERTO|PROVÁVEL|INCERTO"},
    "siops_colunas": {"co_tipo": r"\d+", "ordem": r"\d+", "pasta": r"receita|despesa|complementar",
                      "exercicio_seguinte": r"[01]"},
    "siops_colunas_estagios": {"sinal": r"-?1"},
    "siops_pasta96": {"linha": r"\d+", "campo_id": r"\d+", "nr_prefixo": r"\d{1,8}", "fontes": _LISTA3,
                      "confianca": r"CERTO|PROVÁVEL|INCERTO"},
    "subfuncoes": {"subfuncao": r"\d{3}"},
    "codigos_acompanhamento": {"co": r"\d{4}", "co_final": r"\d{4}", "confianca": r"CERTO|PROVÁVEL|INCERTO"},
    "fontes": {"fr_esp": r"\d{3}", "codigos_legado_tce_mg": r"(\d{3}(;\d{3})*)?", "confianca": r"CERTO|PROVÁVEL|INCERTO"},
    "indicadores": {"codigo": r"\d\.\d", "escala": r"\d+", "confianca": r"CERTO|PROVÁVEL|INCERTO"},
    "criticas": {"id": r"[A-Z]{3}\d{2}", "severidade": r"erro|alerta"},
}


def _ler(caminho: Path) -> pd.DataFrame:
    df = pd.read_csv(caminho, dtype=str, keep_default_na=False, encoding="utf-8")
    df["_linha"] = df.index + 2
    return df


def _onde(nome: str, linha) -> str:
    return f"{nome}.csv (linha {int(linha)})"


def _falhar(problemas: list[str]) -> None:
    assert not problemas, f"{len(problemas)} problema(s):\n" + "\n".join(problemas[:50])


def _exercicios() -> pd.DataFrame:
    return _ler(PASTA / "exercicios.csv")


def _da_versao(nome: str, exercicio: str) -> pd.DataFrame:
    """Linhas do catálogo na versão que vale no exercício (com _linha do arquivo)."""
    ex = _exercicios()
    versao = ex[(ex["exercicio"] == exercicio) & (ex["catalogo"] == nome)]["versao"]
    df = _ler(PASTA / f"{nome}.csv")
    return df[df["versao"] == versao.iloc[0]] if len(versao) else df.iloc[0:0]


ANOS = sorted(set(_exercicios()["exercicio"]))


# ---------------------------------------------------------------- por arquivo


@pytest.mark.parametrize("caminho", ARQUIVOS, ids=[a.name for a in ARQUIVOS])
def test_utf8_versao_e_fonte(caminho):
    caminho.read_bytes().decode("utf-8")  # UnicodeDecodeError = falha
    df = _ler(caminho)
    nome = caminho.stem
    assert "versao" in df.columns, f"{caminho.name}: falta a coluna 'versao'"
    assert "fonte" in df.columns, f"{caminho.name}: falta a coluna 'fonte'"
    if nome != "exercicios":
        assert df.columns[0] == "versao", f"{caminho.name}: 'versao' deve ser a primeira coluna"
    problemas = [_onde(nome, r["_linha"]) + ": fonte vazia" for _, r in df.iterrows() if not r["fonte"].strip()]
    problemas += [_onde(nome, r["_linha"]) + ": versao vazia" for _, r in df.iterrows() if not r["versao"].strip()]
    _falhar(problemas)


@pytest.mark.parametrize("caminho", ARQUIVOS, ids=[a.name for a in ARQUIVOS])
def test_chaves_unicas(caminho):
    nome = caminho.stem
    assert nome in CHAVES, f"{caminho.name}: declare as colunas-chave do catálogo em CHAVES (tests/test_catalogos.py)"
    df = _ler(caminho)
    problemas = []
    for chave in [CHAVES[nome]] + OUTRAS_CHAVES.get(nome, []):
        faltam = [c for c in chave if c not in df.columns]
        assert not faltam, f"{caminho.name}: colunas-chave ausentes {faltam}"
        dup = df[df.duplicated(chave, keep="first")]
        for _, r in dup.iterrows():
            valores = ", ".join(f"{c}={r[c]}" for c in chave)
            problemas.append(_onde(nome, r["_linha"]) + f": chave repetida ({valores})")
    _falhar(problemas)


@pytest.mark.parametrize("caminho", ARQUIVOS, ids=[a.name for a in ARQUIVOS])
def test_formato_dos_codigos(caminho):
    nome = caminho.stem
    df = _ler(caminho)
    problemas = []
    for coluna, padrao in FORMATOS.get(nome, {}).items():
        assert coluna in df.columns, f"{caminho.name}: coluna '{coluna}' ausente"
        rx = re.compile(padrao)
        for _, r in df[~df[coluna].map(lambda v: bool(rx.fullmatch(v)))].iterrows():
            problemas.append(_onde(nome, r["_linha"]) + f": {coluna} '{r[coluna]}' fora do formato {padrao}")
    _falhar(problemas)


# ---------------------------------------------------------------- entre catálogos


def test_exercicios_resolvem_para_linhas():
    problemas = []
    for _, r in _exercicios().iterrows():
        arq = PASTA / f"{r['catalogo']}.csv"
        if not arq.is_file():
            problemas.append(_onde("exercicios", r["_linha"]) + f": catálogo '{r['catalogo']}' não existe")
        elif (_ler(arq)["versao"] != r["versao"]).all():
            problemas.append(_onde("exercicios", r["_linha"]) + f": {r['catalogo']} não tem linhas da versão {r['versao']}")
    _falhar(problemas)


def test_todo_catalogo_declarado_em_todos_os_exercicios():
    ex = _exercicios()
    problemas = [
        f"exercicios.csv: falta declarar '{a.stem}' para {ano}"
        for a in ARQUIVOS if a.stem != "exercicios"
        for ano in ANOS if ex[(ex["catalogo"] == a.stem) & (ex["exercicio"] == ano)].empty
    ]
    _falhar(problemas)


@pytest.mark.parametrize("ano", ANOS)
def test_anexo12_filtros_referencias(ano):
    filtros = _da_versao("anexo12_filtros", ano)
    linhas = set(_da_versao("anexo12_linhas", ano)["linha"])
    listas = set(_da_versao("listas", ano)["lista"])
    problemas = []
    for _, r in filtros.iterrows():
        if r["linha"] not in linhas:
            problemas.append(_onde("anexo12_filtros", r["_linha"]) + f": linha '{r['linha']}' fora de anexo12_linhas ({ano})")
        if r["valores"].startswith("@") and r["valores"][1:] not in listas:
            problemas.append(_onde("anexo12_filtros", r["_linha"]) + f": lista '{r['valores']}' fora de listas.csv ({ano})")
        if r["operador"] not in {"em", "nao_em", "prefixo", "nao_prefixo"}:
            problemas.append(_onde("anexo12_filtros", r["_linha"]) + f": operador '{r['operador']}' desconhecido")
    _falhar(problemas)


@pytest.mark.parametrize("ano", ANOS)
def test_estagios_citados_existem(ano):
    estagios = set(zip(_da_versao("estagios_pcasp", ano)["tabela"], _da_versao("estagios_pcasp", ano)["estagio"]))
    problemas = []
    for nome in ("anexo12_colunas", "siops_colunas_estagios"):
        for _, r in _da_versao(nome, ano).iterrows():
            if (r["tabela"], r["estagio"]) not in estagios:
                problemas.append(_onde(nome, r["_linha"]) + f": estágio '{r['estagio']}' ({r['tabela']}) fora de estagios_pcasp")
    _falhar(problemas)


@pytest.mark.parametrize("ano", ANOS)
def test_depara_de_receita_aponta_para_itens_do_plano(ano):
    itens = set(_da_versao("siops_receita_itens", ano)["codigo"])
    problemas = [
        _onde("siops_receita_depara", r["_linha"]) + f": item {r['item']} não está no plano de receitas de {ano}"
        for _, r in _da_versao("siops_receita_depara", ano).iterrows() if r["item"] not in itens
    ]
    _falhar(problemas)


@pytest.mark.parametrize("ano", ANOS)
def test_colunas_siops_definidas(ano):
    cols = _da_versao("siops_colunas", ano)
    problemas = []
    for pasta, grupo in cols.groupby("pasta"):
        anteriores: set[str] = set()
        for _, r in grupo.sort_values("ordem", key=lambda s: s.astype(int)).iterrows():
            if r["formula"]:
                for termo in re.findall(r"[a-z_0-9]+", r["formula"]):
                    if termo not in anteriores:
                        problemas.append(_onde("siops_colunas", r["_linha"]) + f": fórmula cita '{termo}' antes de defini-la")
            else:
                cat = _da_versao(r["catalogo_estagios"], ano)
                chave = "chave" if "chave" in cat else "coluna"
                if (cat[chave] != r["base"]).all():
                    problemas.append(_onde("siops_colunas", r["_linha"]) + f": base '{r['base']}' fora de {r['catalogo_estagios']}")
            anteriores.add(r["chave"])
    _falhar(problemas)


@pytest.mark.parametrize("ano", ANOS)
def test_pastas_de_despesa_cobrem_fonte_e_subfuncao(ano):
    fonte = _da_versao("siops_pastas_fonte", ano)
    sub = _da_versao("siops_pastas_subfuncao", ano)
    pastas = set(_da_versao("siops_pastas", ano)["cod_planilha"])
    assert ((fonte["fr_esp"] == "*") & (fonte["co"] == "*")).any(), "siops_pastas_fonte.csv: falta a linha padrão '*','*'"
    assert (sub["subfuncao"] == "*").any(), "siops_pastas_subfuncao.csv: falta a linha padrão '*'"
    problemas = [
        _onde("siops_pastas_fonte", r["_linha"]) + f": pasta {r['pasta']}_{s} não está em siops_pastas.csv"
        for _, r in fonte.iterrows() for s in set(sub["sufixo"]) if f"{r['pasta']}_{s}" not in pastas
    ]
    _falhar(problemas)


@pytest.mark.parametrize("ano", ANOS)
def test_pasta96_sem_sobreposicao(ano):
    p = _da_versao("siops_pasta96", ano)
    problemas = []
    linhas = list(p.itertuples())
    for i, a in enumerate(linhas):
        for b in linhas[i + 1:]:
            prefixo_comum = a.nr_prefixo.startswith(b.nr_prefixo) or b.nr_prefixo.startswith(a.nr_prefixo)
            if prefixo_comum and set(a.fontes.split(";")) & set(b.fontes.split(";")):
                problemas.append(_onde("siops_pasta96", b._linha) + f": sobrepõe a linha {a.linha} (mesma natureza e fonte)")
    _falhar(problemas)


@pytest.mark.parametrize("ano", ANOS)
def test_indicadores_e_medidas(ano):
    ind = _da_versao("indicadores", ano)
    med = _da_versao("indicadores_medidas", ano)
    listas = set(_da_versao("listas", ano)["lista"])
    linhas = set(_da_versao("anexo12_linhas", ano)["linha"])
    assert len(ind) == 14, f"indicadores.csv: esperados os 14 indicadores municipais, há {len(ind)} em {ano}"
    problemas = []
    for _, r in ind.iterrows():
        for papel in ("numerador", "denominador"):
            if r[papel] and r[papel] not in set(med["medida"]):
                problemas.append(_onde("indicadores", r["_linha"]) + f": {papel} '{r[papel]}' fora de indicadores_medidas")
    for _, r in med.iterrows():
        if r["valores"].startswith("@") and r["valores"][1:] not in listas:
            problemas.append(_onde("indicadores_medidas", r["_linha"]) + f": lista '{r['valores']}' fora de listas.csv")
        if r["dimensao"] == "anexo12":
            for linha in r["valores"].split(";"):
                if linha not in linhas:
                    problemas.append(_onde("indicadores_medidas", r["_linha"]) + f": linha '{linha}' fora de anexo12_linhas")
    _falhar(problemas)


# ---------------------------------------------------------------- leitura pelo código


def test_exercicio_sem_catalogo_da_erro_em_portugues():
    with pytest.raises(ErroSiops, match=r"Exercícios disponíveis: 2023, 2024, 2025, 2026") as erro:
        catalogo("x", 2030)
    assert "exercício 2030" in str(erro.value)


@pytest.mark.parametrize("ano", [int(a) for a in ANOS])
def test_catalogos_siops_carregam_pelo_codigo(ano):
    for nome in ("siops_receita_itens", "siops_despesa_elementos", "siops_pastas_fonte", "siops_pasta96",
                 "siops_colunas", "indicadores"):
        assert len(catalogo(nome, ano)) > 0


def test_heranca_do_plano_de_receitas():
    """2023 usa a estrutura antiga (IPTU principal = 11180111); 2024+ o plano novo (11125001)."""
    assert "11180111" in set(catalogo("siops_receita_itens", 2023)["codigo"])
    assert "11125001" not in set(catalogo("siops_receita_itens", 2023)["codigo"])
    itens_2025 = catalogo("siops_receita_itens", 2025)
    assert itens_2025.loc[itens_2025["codigo"] == "11125001", "campo_id"].tolist() == ["2141"]
