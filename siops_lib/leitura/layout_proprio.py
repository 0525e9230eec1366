"""Leitor do layout próprio (exportação do sistema contábil com códigos locais).

Especificação em ``docs/layout_proprio.md``. Os códigos locais viram códigos nacionais pelas
equivalências confirmadas (pasta ``equivalencias/``, biblioteca ``siops_lib.equivalencias``: a linha
da entidade prevalece sobre a geral) ou pela equivalência identidade. Uma equivalência confirmada
usada por linhas com valor precisa ter destino válido no exercício (``docs/equivalencias.md``).
"""
from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from .. import modelo
from .. import codigos, regras
from ..equivalencias.abas import ABAS, ABAS_LEITOR
from ..equivalencias.aplicacao import Mapa, aplicar_asps, ler_confirmadas
from ..equivalencias.repositorio import recuperar_se_preciso
from ..equivalencias.validacao import validador
from ..erros import ErroSiops, trecho
from ..formatos import numero_br
from .historico import CAMPOS_HISTORICO, ler_historico_tabela  # noqa: F401 (CAMPOS_HISTORICO: reexportado)
from .tabelas import TABELAS_LAYOUT, ler_tabela
from .texto import converter_valores, erro_com_problemas, limite_de_valor

EQUIVALENCIAS = {n: ["codigo_local", "descricao", *ABAS[n].destinos] for n in ABAS_LEITOR}
"""Colunas mínimas de cada tabela de equivalência aplicada pelo leitor (formato completo: docs/equivalencias.md)."""


def ler_equivalencias(pasta: Path, entidades: set[str] | None = None) -> dict[str, pd.DataFrame]:
    """Equivalências confirmadas por aba (vazias quando o arquivo não existe), com ``_arquivo`` e ``_linha``.

    Colunas: ``codigo_local``, ``entidade`` (vazia = todas), ``descricao``, destino(s), ``estado``… O
    arquivo inteiro é conferido: chave repetida, coluna desconhecida, estado inválido ou codificação
    errada são erro com arquivo e linha.
    """
    return ler_confirmadas(Path(pasta), entidades)


COLUNAS_PENDENCIAS = ["tipo", "codigo_local", "entidade", "arquivo", "linha", "valor"]


def ler_layout_proprio(pasta, forcar: bool = False) -> modelo.Dados:
    """Lê a pasta do layout próprio e devolve os dados canônicos (todas as linhas contadas).

    Código local com valor e sem equivalência confirmada é erro; com ``forcar``, a linha entra
    com o código nacional vazio, fica listada em ``dados.pendencias`` e ``dados.forcado`` vale True
    (quem gera saídas deve avisar que foram geradas com pendências).
    """
    pasta = Path(pasta)
    if not pasta.is_dir():
        raise ErroSiops("pasta de dados não encontrada", arquivo=pasta)
    mun = ler_tabela(pasta, "municipio", ["campo", "valor"])
    info = dict(zip(mun["campo"].str.lower(), mun["valor"]))
    if not info.get("exercicio", "").isdigit():
        raise ErroSiops("municipio.csv deve ter o campo 'exercicio' com o ano (ex.: 2024)",
                        arquivo=pasta / "municipio.csv", coluna="valor")
    exercicio = int(info["exercicio"])
    anos = regras.exercicios_disponiveis()
    if exercicio not in anos:
        linha = 2 + list(mun["campo"].str.lower()).index("exercicio")
        raise ErroSiops(f"exercício {exercicio} sem regras: o workbench tem regras de {anos[0]} a {anos[-1]} "
                        "(siops_lib/regras/exercicios.csv)", arquivo=pasta / "municipio.csv", linha=linha,
                        coluna="valor")
    ent = ler_tabela(pasta, "entidades", modelo.COLUNAS_ENTIDADES)
    _conferir_entidades(ent)
    recuperacao = recuperar_se_preciso(pasta)   # gravação de equivalências interrompida: termina ou desfaz o lote
    eqs = {nome: Mapa(nome, df) for nome, df in ler_equivalencias(pasta, set(ent["entidade"])).items()}
    est = regras.tabela("comum/estagios_pcasp", exercicio)
    problemas: list[dict] = []
    pendencias: list[dict] | None = [] if forcar else None
    faltas: list[tuple] = []
    dados = modelo.Dados(exercicio=exercicio, municipio=info.get("nome", ""), codigo_ibge=info.get("codigo_ibge", ""),
                         origem="layout próprio")
    dados.entidades = ent[modelo.COLUNAS_ENTIDADES].reset_index(drop=True)
    dados.avisos.extend(f"equivalências: {a}" for a in recuperacao)
    leitura = []
    for tabela, (cols, obrig) in TABELAS_LAYOUT.items():
        df = ler_tabela(pasta, tabela, cols, obrig)
        if df is None:
            continue
        can, descartadas = _converter(df, tabela, exercicio, set(ent["entidade"]), eqs,
                                      set(est.loc[est["tabela"] == tabela, "estagio"]), problemas, pendencias, faltas)
        setattr(dados, tabela, can)
        repetidas = int(df.duplicated([c for c in df.columns if c != "_linha"], keep="first").sum())
        if repetidas:
            dados.avisos.append(
                f"{df['_arquivo'].iloc[0]}: {repetidas} linha(s) idênticas a uma linha anterior (mesma entidade, mês, "
                "códigos, estágio e valor) foram somadas, como lançamentos distintos; se for exportação duplicada, "
                "gere o arquivo de novo (docs/entradas.md)")
        leitura.append({"arquivo": df["_arquivo"].iloc[0] if len(df) else f"{tabela}.csv", "linhas_de_dados": len(df),
                        "linhas_usadas": len(can), "linhas_sem_valor_descartadas": descartadas,
                        "linhas_rejeitadas": 0, "linhas_repetidas": repetidas})
    hist = ler_historico_tabela(pasta, problemas=problemas)
    if hist is not None:
        dados.historico = hist
    if problemas:
        raise erro_com_problemas(_resumo_faltas(faltas, pasta)
                                 + "{n} problema(s) nos dados do layout próprio; corrija e leia de novo", problemas)
    dados.leitura = pd.DataFrame(leitura)
    dados.meses = frozenset(range(13))
    if forcar:
        dados.pendencias = pd.DataFrame(pendencias, columns=COLUNAS_PENDENCIAS)
        dados.forcado = True
        if len(dados.pendencias):
            total = dados.pendencias["valor"].abs().sum()
            dados.avisos.append(
                f"GERADO COM PENDÊNCIAS: {dados.pendencias['codigo_local'].nunique()} código(s) local(is) com valor "
                f"sem equivalência confirmada (R$ {numero_br(total)} em {len(dados.pendencias)} linha(s))")
    return dados.validar()


def _conferir_entidades(ent: pd.DataFrame) -> None:
    """``entidades.csv``: identificador preenchido e único, administração direta/indireta (ou vazia)."""
    registros = []
    primeira = ent.groupby("entidade")["_linha"].transform("min")
    for _, r in ent.iterrows():
        base = {"arquivo": r["_arquivo"], "linha": int(r["_linha"])}
        if r["entidade"] == "":
            registros.append({**base, "coluna": "entidade", "valor": "", "mensagem": "identificador da entidade vazio"})
        elif primeira[r.name] != r["_linha"]:
            registros.append({**base, "coluna": "entidade", "valor": trecho(r["entidade"], 40),
                              "mensagem": f"entidade '{trecho(r['entidade'], 40)}' repete a da linha "
                                          f"{int(primeira[r.name])}: cada entidade aparece uma vez"})
        if r["administracao"] not in ("direta", "indireta", ""):
            registros.append({**base, "coluna": "administracao", "valor": trecho(r["administracao"], 40),
                              "mensagem": f"administração '{trecho(r['administracao'], 40)}' inválida: use direta, "
                                          "indireta ou deixe vazio"})
    if registros:
        raise erro_com_problemas("{n} problema(s) em entidades.csv; corrija e leia de novo", registros)


def _resumo_faltas(faltas: list[tuple], pasta: Path) -> str:
    """Começo da mensagem de erro: os códigos locais com valor sem equivalência, do maior valor ao menor."""
    if not faltas:
        return ""

    tab = pd.DataFrame(faltas, columns=["tipo", "codigo", "valor", "linhas"]).groupby(["tipo", "codigo"], as_index=False)[
        ["valor", "linhas"]].sum().sort_values("valor", ascending=False)
    itens = "; ".join(f"{r.tipo} '{r.codigo}' (R$ {numero_br(r.valor)})" for r in tab.head(6).itertuples())
    texto = (f"{len(tab)} código(s) local(is) com valor sem equivalência confirmada (R$ {numero_br(tab['valor'].sum())}): "
             f"{itens}{', entre outros' if len(tab) > 6 else ''}. Confirme-as no notebook 01_equivalencias ou veja "
             f"'siops equivalencias cobertura --dados {pasta}'. ")
    return texto.replace("{", "{{").replace("}", "}}")


def _converter(df, tabela, exercicio, entidades, eqs, estagios, problemas, pendencias=None,
               faltas=None) -> tuple[pd.DataFrame, int]:
    arquivo = df["_arquivo"].iloc[0] if len(df) else tabela

    def prob(mask, coluna, msg):
        for _, r in df[mask].head(200).iterrows():
            problemas.append({"arquivo": arquivo, "linha": int(r["_linha"]), "coluna": coluna,
                              "valor": r[coluna] if coluna in r else "", "mensagem": msg(r)})

    valor, inval = converter_valores(df["valor"])

    def sem_equivalencia(mask, coluna, tipo, msg):
        """Erro (padrão) ou pendência registrada (modo forçado)."""
        if pendencias is None:
            prob(mask, coluna, msg)
            if faltas is not None and mask.any():
                sub = pd.DataFrame({"c": df.loc[mask, coluna].to_numpy(), "v": np.abs(np.nan_to_num(valor[mask]))})
                faltas.extend((tipo, c, float(g["v"].sum()), len(g)) for c, g in sub.groupby("c"))
            return
        for _, r in df[mask].iterrows():
            pendencias.append({"tipo": tipo, "codigo_local": r[coluna], "entidade": r["entidade"], "arquivo": arquivo,
                               "linha": int(r["_linha"]), "valor": float(valor[r.name]) if not inval[r.name] else 0.0})
    prob(inval, "valor", lambda r: f"valor '{trecho(r['valor'])}' não é número (use 1234,56 ou 1234.56)")
    maximo = limite_de_valor(exercicio)
    grande = ~inval & (np.abs(np.nan_to_num(valor)) > maximo)
    prob(grande, "valor", lambda r: f"valor '{trecho(r['valor'])}' acima do limite de {numero_br(maximo)} "
         "(regras/comum/parametros.csv, valor_maximo_absoluto): erro de exportação ou de digitação")
    inval = inval | grande
    mes = pd.to_numeric(df["mes"], errors="coerce")
    prob(~mes.isin(range(13)), "mes", lambda r: f"mês '{trecho(r['mes'], 20)}' inválido: use 0 (abertura) a 12")
    prob(~df["entidade"].isin(entidades), "entidade",
         lambda r: f"entidade '{trecho(r['entidade'], 40)}' não está em entidades.csv")
    prob(~df["estagio"].isin(estagios), "estagio",
         lambda r: f"estágio '{trecho(r['estagio'], 40)}' não existe para {tabela}; válidos: {', '.join(sorted(estagios))}")
    out = pd.DataFrame({"entidade": df["entidade"], "mes": mes.fillna(-1).astype(int)})
    com_valor = ~inval & (np.abs(np.nan_to_num(valor)) > 0)
    chaves = modelo.CHAVES[tabela]
    def mapear(coluna: str, aba: str) -> pd.DataFrame:
        """Destinos pela equivalência; equivalência confirmada com destino inválido no exercício é erro
        (na leitura forçada, o código fica sem destino e entra nas pendências)."""
        m = eqs[aba].resolver(df[coluna], df["entidade"])
        usadas = m[com_valor & (m["regra"] == "equivalencia").to_numpy()].drop_duplicates("linha_equivalencia")
        destinos = list(eqs[aba].aba.destinos)
        v = validador(aba, exercicio)
        for _, r in usadas.iterrows():
            res = v(tuple(r[d] for d in destinos))
            if res.valido:
                continue
            if pendencias is None:
                problemas.append({"arquivo": f"equivalencias/{aba}.csv", "linha": int(r["linha_equivalencia"]),
                                  "coluna": destinos[0], "valor": "/".join(str(r[d]) for d in destinos if r[d]),
                                  "mensagem": f"destino inválido no exercício {exercicio}: {res.mensagem}"})
            else:
                m.loc[m["linha_equivalencia"] == r["linha_equivalencia"], destinos] = ""
        return m

    if "nr" in chaves:
        m = mapear("rubrica", "rubricas")
        out["nr"] = m["nr"].to_numpy()
        sem_equivalencia(com_valor & (m["nr"] == "").to_numpy(), "rubrica", "rubricas",
             lambda r: f"rubrica local '{r['rubrica']}' sem equivalência confirmada para natureza de receita (NR)")
    if "nd" in chaves:
        largura_fs = codigos.largura("fs", exercicio)
        fs = codigos.digitos(df["funcional"]).str[:largura_fs]
        prob(fs.str.len() < largura_fs, "funcional", lambda r: f"funcional '{r['funcional']}' deve começar por função e subfunção (ex.: 10.301)")
        out["fs"] = fs.to_numpy()
        m = mapear("elemento", "elementos")
        out["nd"] = m["nd"].to_numpy()
        if "item_siops" in modelo.OPCIONAIS.get(tabela, []):
            out["item_siops"] = m["item_siops"].to_numpy()   # item do SIOPS escolhido na aba (quadro de despesas)
        sem_equivalencia(com_valor & (m["nd"] == "").to_numpy(), "elemento", "elementos",
             lambda r: f"elemento local '{r['elemento']}' sem equivalência confirmada para natureza de despesa (ND)")
    if "ai" in chaves:
        ai = df["ano_inscricao"].astype(str)
        prob(~ai.str.fullmatch(r"(\d{4})?"), "ano_inscricao", lambda r: "ano de inscrição deve ter 4 dígitos")
        out["ai"] = ai.to_numpy()
    if "fr" in chaves:
        if "recurso" in df:
            m = mapear("recurso", "recursos")
            col, nome = "recurso", "recurso local"
        else:
            m = mapear("conta", "contas")
            col, nome = "conta", "conta local"
        out["fr"] = m["fr"].to_numpy()
        out["co"] = m["co"].to_numpy()
        out["fr_original"] = df[col].to_numpy()
        sem_equivalencia(com_valor & (m["fr"] == "").to_numpy(), col, "recursos" if col == "recurso" else "contas",
             lambda r: f"{nome} '{r[col]}' sem equivalência confirmada para fonte de recursos (FR)")
        if tabela in ("despesas", "consorcios"):
            aplicar_asps(out, df["funcional"], eqs.get("asps"), exercicio)
    out["estagio"] = df["estagio"].to_numpy()
    out["valor"] = np.nan_to_num(valor)
    out["arquivo"] = arquivo
    out["linha"] = df["_linha"].to_numpy()
    manter = com_valor | inval
    descartadas = int((~manter).sum())
    out = out[manter].reset_index(drop=True)
    opcionais = [c for c in modelo.OPCIONAIS.get(tabela, []) if c in out]
    for c in chaves + opcionais:
        out[c] = out[c].astype(str)
    return out[modelo.colunas(tabela) + opcionais], descartadas
