"""Leitor da MSC (Matriz de Saldos Contábeis) no leiaute CSV de envio ao SICONFI.

Linha 1 ``<ente>;AAAA-MM``; linha 2 cabeçalho (``ContaContabil;IC1;TipoIC1;…;Valor;TipoValor;NaturezaValor``
ou ``CONTA;IC1;TIPO1;…;Valor;Tipo_valor;Natureza_valor``); seis pares IC/tipo em qualquer ordem.

Cada linha de saldo vira movimento mensal canônico (ver ``modelo``): o ``ending_balance`` do mês M é o
acumulado até M; o ``beginning_balance`` do primeiro arquivo carregado é o acumulado até M−1; as linhas
``period_change`` servem para conferir (saldo inicial + movimento = saldo final). Nenhuma linha some:
o relatório de leitura conta as usadas, as de conferência e as de contas fora do escopo do SIOPS.
"""
from __future__ import annotations

import io
import re
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pacsv

from .. import modelo
from ..catalogo import catalogo
from ..erros import ErroSiops
from .texto import decodificar, detectar_separador, erro_com_problemas, ler_bytes

TIPOS_IC = ["PO", "FP", "DC", "FR", "CO", "NR", "ND", "FS", "AI", "ES"]
TIPOS_VALOR = ["beginning_balance", "period_change", "ending_balance"]
_NOMES = {
    "contacontabil": "conta", "conta": "conta",
    "valor": "valor", "tipovalor": "tipo_valor", "tipo_valor": "tipo_valor",
    "naturezavalor": "natureza", "natureza_valor": "natureza",
}
for _i in range(1, 7):
    _NOMES[f"ic{_i}"] = f"ic{_i}"
    _NOMES[f"tipoic{_i}"] = f"tipo{_i}"
    _NOMES[f"tipo{_i}"] = f"tipo{_i}"
    _NOMES[f"tipo_ic{_i}"] = f"tipo{_i}"
COLUNAS = ["conta"] + [c for i in range(1, 7) for c in (f"ic{i}", f"tipo{i}")] + ["valor", "tipo_valor", "natureza"]
_FORMATOS_IC = {"nr": 8, "nd": 8, "fs": 5, "co": 4, "ai": 4}


class _Arquivo:
    """Um arquivo MSC já analisado (colunas em arrays numpy/pyarrow)."""

    def __init__(self, caminho: Path):
        self.caminho = Path(caminho)
        conteudo = ler_bytes(self.caminho)
        texto, self.codificacao = decodificar(conteudo, self.caminho)
        linhas = texto.split("\n", 2)
        if len(linhas) < 2:
            raise ErroSiops("arquivo MSC incompleto: faltam a linha do ente/período e o cabeçalho", arquivo=caminho)
        primeira = linhas[0].strip("\r\ufeff ")
        sep = detectar_separador(linhas[1])
        partes = [p.strip() for p in primeira.split(sep)]
        if len(partes) < 2 or not re.fullmatch(r"\d{4}-(0[1-9]|1[0-3])", partes[1]):
            raise ErroSiops(
                f"a primeira linha deve ser '<ente>{sep}AAAA-MM' (ex.: 3106705EX;2025-01), mas é '{primeira[:60]}'",
                arquivo=caminho, linha=1, coluna="período",
            )
        self.ente = partes[0]
        self.ano, self.mes = int(partes[1][:4]), int(partes[1][5:7])
        self._cabecalho(linhas[1], sep)
        corpo = linhas[2] if len(linhas) > 2 else ""
        self._ler_corpo(corpo, sep)

    def _cabecalho(self, linha: str, sep: str) -> None:
        nomes = [n.strip().strip('"').lower() for n in linha.strip("\r").split(sep)]
        while nomes and nomes[-1] == "":
            nomes.pop()
        canon = []
        for n in nomes:
            if n not in _NOMES:
                raise ErroSiops(
                    f"coluna desconhecida no cabeçalho: '{n}'. Esperado: ContaContabil;IC1;TipoIC1;…;IC6;TipoIC6;"
                    "Valor;TipoValor;NaturezaValor", arquivo=self.caminho, linha=2, coluna=n,
                )
            canon.append(_NOMES[n])
        faltam = [c for c in COLUNAS if c not in canon]
        if faltam:
            raise ErroSiops(
                f"cabeçalho sem a(s) coluna(s) {', '.join(faltam)}; esperado 16 colunas "
                "(ContaContabil, seis pares IC/TipoIC, Valor, TipoValor, NaturezaValor)",
                arquivo=self.caminho, linha=2, coluna=faltam[0],
            )
        self.nomes = canon

    def _ler_corpo(self, corpo: str, sep: str) -> None:
        linhas_txt = corpo.split("\n")
        while linhas_txt and not linhas_txt[-1].strip():
            linhas_txt.pop()
        vazias = [i + 3 for i, t in enumerate(linhas_txt) if not t.strip()]
        if vazias:
            raise erro_com_problemas(
                "{n} linha(s) vazia(s) no meio do arquivo",
                [{"arquivo": str(self.caminho), "linha": n, "coluna": "", "valor": "", "mensagem": "linha vazia"}
                 for n in vazias],
            )
        self.n = len(linhas_txt)
        ruins: list[dict] = []

        def _linha_invalida(row):
            ruins.append({
                "arquivo": str(self.caminho), "linha": (row.number + 2) if row.number else None, "coluna": "",
                "valor": (row.text or "")[:80],
                "mensagem": f"esperado {row.expected_columns} campos separados por '{sep}', encontrado {row.actual_columns}",
            })
            return "skip"

        dados = "\n".join(linhas_txt).encode("utf-8")
        tabela = pacsv.read_csv(
            io.BytesIO(dados),
            read_options=pacsv.ReadOptions(column_names=self.nomes, use_threads=True),
            parse_options=pacsv.ParseOptions(delimiter=sep, quote_char='"', invalid_row_handler=_linha_invalida,
                                             newlines_in_values=False),
            convert_options=pacsv.ConvertOptions(column_types={c: pa.string() for c in self.nomes},
                                                 strings_can_be_null=False),
        )
        if ruins:
            # o leitor não informa o número da linha: localiza pela contagem de separadores
            esperado = len(self.nomes)
            numeros = [i + 3 for i, t in enumerate(linhas_txt) if t.rstrip("\r").count(sep) + 1 != esperado]
            for r, n in zip(ruins, numeros):
                r["linha"] = r["linha"] or n
            raise erro_com_problemas("{n} linha(s) com número errado de campos", ruins)
        self.tabela = tabela
        self.linha = np.arange(3, 3 + self.n, dtype=np.int64)

    # ---- conversões vetorizadas -------------------------------------------------
    def col(self, nome: str) -> pa.Array:
        return pc.utf8_trim_whitespace(self.tabela.column(nome).combine_chunks())


def _por_tipo(arq: _Arquivo, problemas: list[dict]) -> dict[str, np.ndarray]:
    """Valor de cada tipo de IC (PO, FR, NR…) por linha, qualquer que seja a posição do par."""
    saida = {t: np.full(arq.n, "", dtype=object) for t in TIPOS_IC}
    for i in range(1, 7):
        tipo = pc.utf8_upper(arq.col(f"tipo{i}"))
        enc = pc.dictionary_encode(tipo)
        dicionario = enc.dictionary.to_pylist()
        idx = enc.indices.to_numpy(zero_copy_only=False)
        valores = None
        for j, t in enumerate(dicionario):
            if t == "":
                continue
            sel = idx == j
            if t not in saida:
                for pos in np.flatnonzero(sel)[:50]:
                    problemas.append({"arquivo": str(arq.caminho), "linha": int(arq.linha[pos]), "coluna": f"TipoIC{i}",
                                      "valor": t, "mensagem": f"tipo de informação complementar desconhecido '{t}' "
                                      f"(esperado um de {', '.join(TIPOS_IC)})"})
                continue
            if valores is None:
                valores = np.asarray(arq.col(f"ic{i}").to_numpy(zero_copy_only=False), dtype=object)
            saida[t][sel] = valores[sel]
    return saida


def _estagios(exercicio: int) -> tuple[list[tuple[str, str, str, str]], set[str]]:
    est = catalogo("estagios_pcasp", exercicio)
    regras = sorted(
        zip(est["conta_prefixo"], est["tabela"], est["estagio"], est["natureza"]), key=lambda r: -len(r[0])
    )
    pcasp = set(catalogo("pcasp_contas", exercicio)["conta"])
    return regras, pcasp


def _classificar_contas(contas: list[str], regras) -> dict[str, tuple[str, str, str] | None]:
    saida = {}
    for c in contas:
        saida[c] = next(((t, e, n) for p, t, e, n in regras if c.startswith(p)), None)
    return saida


def ler_msc(arquivos, entidades: pd.DataFrame | None = None, estrito: bool = True) -> modelo.Dados:
    """Lê um ou mais arquivos MSC (mesmo ente e exercício) e devolve os dados canônicos.

    ``entidades`` (opcional) traduz o PO da MSC em entidades (colunas de ``modelo.COLUNAS_ENTIDADES``).
    Com ``estrito``, contas fora do PCASP são erro; sem ele, viram aviso e ficam fora do escopo.
    """
    if isinstance(arquivos, (str, Path)):
        arquivos = [arquivos]
    lidos = [_Arquivo(a) for a in arquivos]
    if not lidos:
        raise ErroSiops("nenhum arquivo MSC informado")
    anos = {a.ano for a in lidos}
    entes = {a.ente for a in lidos}
    if len(anos) > 1 or len(entes) > 1:
        raise ErroSiops(f"os arquivos MSC misturam entes ou exercícios: {sorted(entes)} / {sorted(anos)}")
    meses = sorted(a.mes for a in lidos)
    if len(set(meses)) != len(meses):
        raise ErroSiops("há mais de um arquivo MSC para o mesmo mês")
    exercicio = anos.pop()
    regras, pcasp = _estagios(exercicio)
    lidos.sort(key=lambda a: a.mes)
    carregados = {a.mes for a in lidos}

    partes: dict[str, list[pd.DataFrame]] = {t: [] for t in modelo.TABELAS}
    problemas: list[dict] = []
    avisos: list[str] = []
    leitura = []
    for k, arq in enumerate(lidos):
        proximo = lidos[k + 1].mes if k + 1 < len(lidos) else None
        resumo = _converter(arq, regras, pcasp, estrito, proximo, (arq.mes - 1) in carregados,
                            partes, problemas, avisos)
        leitura.append(resumo)
    if problemas:
        raise erro_com_problemas("{n} problema(s) na MSC; corrija e leia de novo", problemas)

    dados = modelo.Dados(exercicio=exercicio, codigo_ibge=re.sub(r"\D", "", next(iter(entes)))[:7],
                         origem="MSC", avisos=avisos)
    dados.meses = frozenset(m for a in lidos for m in (a.mes, a.mes - 1))
    for t in modelo.TABELAS:
        if partes[t]:
            df = pd.concat(partes[t], ignore_index=True)
            setattr(dados, t, df[modelo.colunas(t)])
    dados.entidades = _entidades(dados, entidades)
    if entidades is not None:
        mapa = dict(zip(entidades["poder_orgao"], entidades["entidade"]))
        for t in modelo.TABELAS:
            df = dados.tabela(t)
            df["entidade"] = df["entidade"].map(lambda p: mapa.get(p, p))
    dados.leitura = pd.DataFrame(leitura)
    return dados


def _entidades(dados: modelo.Dados, entidades: pd.DataFrame | None) -> pd.DataFrame:
    if entidades is not None:
        return entidades[modelo.COLUNAS_ENTIDADES].reset_index(drop=True)
    pos = sorted({p for t in modelo.TABELAS for p in dados.tabela(t)["entidade"].unique()})
    return pd.DataFrame({"entidade": pos, "nome": [f"Poder/órgão {p}" for p in pos], "tipo": "poder_orgao",
                         "administracao": "", "poder_orgao": pos})


def _converter(arq: _Arquivo, regras, pcasp, estrito, proximo, anterior_carregado, partes, problemas, avisos) -> dict:
    n = arq.n
    nome = str(arq.caminho)
    conta = np.asarray(arq.col("conta").to_numpy(zero_copy_only=False), dtype=object)
    # valor
    txt = arq.col("valor")
    txt = pc.if_else(pc.match_substring(txt, ","), pc.replace_substring(pc.replace_substring(txt, ".", ""), ",", "."), txt)
    ok_num = pc.match_substring_regex(txt, r"^\d+(\.\d+)?$").to_numpy(zero_copy_only=False)
    for pos in np.flatnonzero(~ok_num)[:200]:
        bruto = arq.tabela.column("valor")[int(pos)].as_py()
        problemas.append({"arquivo": nome, "linha": int(arq.linha[pos]), "coluna": "Valor", "valor": bruto,
                          "mensagem": f"valor '{bruto}' não é um número não negativo (use ponto decimal, ex.: 1234.56)"})
    valor = pc.cast(pc.if_else(pa.array(ok_num), txt, "0"), pa.float64()).to_numpy(zero_copy_only=False)
    # tipo de valor e natureza
    tv = pc.utf8_lower(arq.col("tipo_valor"))
    tipo_idx = np.full(n, -1, dtype=np.int8)
    for j, t in enumerate(TIPOS_VALOR):
        tipo_idx[pc.equal(tv, t).to_numpy(zero_copy_only=False)] = j
    for pos in np.flatnonzero(tipo_idx < 0)[:200]:
        problemas.append({"arquivo": nome, "linha": int(arq.linha[pos]), "coluna": "TipoValor",
                          "valor": tv[int(pos)].as_py(),
                          "mensagem": "TipoValor deve ser beginning_balance, period_change ou ending_balance"})
    nat = pc.utf8_upper(arq.col("natureza")).to_numpy(zero_copy_only=False)
    ruim_nat = ~np.isin(nat, ["D", "C"])
    for pos in np.flatnonzero(ruim_nat)[:200]:
        problemas.append({"arquivo": nome, "linha": int(arq.linha[pos]), "coluna": "NaturezaValor",
                          "valor": nat[pos], "mensagem": "NaturezaValor deve ser D ou C"})
    # contas
    unicas = pd.unique(conta)
    formato_ruim = [c for c in unicas if not re.fullmatch(r"\d{9}", c)]
    fora_pcasp = [c for c in unicas if c not in formato_ruim and c not in pcasp]
    for c in formato_ruim + (fora_pcasp if estrito else []):
        for pos in np.flatnonzero(conta == c)[:20]:
            msg = ("conta contábil deve ter 9 dígitos sem pontos (ex.: 622130400)" if c in formato_ruim
                   else f"conta {c} não existe no PCASP do catálogo")
            problemas.append({"arquivo": nome, "linha": int(arq.linha[pos]), "coluna": "ContaContabil",
                              "valor": c, "mensagem": msg})
    if fora_pcasp and not estrito:
        avisos.append(f"{Path(nome).name}: {len(fora_pcasp)} conta(s) fora do PCASP do catálogo: "
                      + ", ".join(sorted(fora_pcasp)[:10]))
    ics = _por_tipo(arq, problemas)
    classes = _classificar_contas(list(unicas), regras)
    tab_arr = np.array([classes[c][0] if classes[c] else "" for c in conta], dtype=object) if n else np.array([], object)
    est_arr = np.array([classes[c][1] if classes[c] else "" for c in conta], dtype=object) if n else np.array([], object)
    natest = np.array([classes[c][2] if classes[c] else "" for c in conta], dtype=object) if n else np.array([], object)
    sinal = np.where(nat == natest, 1.0, -1.0)
    assinado = valor * sinal
    # conferência: saldo inicial + movimentos = saldo final, por chave
    _conferir_saldos(arq, conta, ics, tipo_idx, nat, valor, avisos)
    no_escopo = tab_arr != ""
    mes = arq.mes
    blocos = []  # (mascara, mes, fator)
    fim = no_escopo & (tipo_idx == 2)
    blocos.append((fim, mes, 1.0))
    if proximo is not None:
        blocos.append((fim, proximo - 1 if proximo - 1 > mes else proximo, -1.0))
    if not anterior_carregado:
        ini = no_escopo & (tipo_idx == 0)
        blocos.append((ini, mes - 1, 1.0))
        blocos.append((ini, mes, -1.0))
    fr_bruto = np.asarray(ics["FR"], dtype=object)
    fr_dig = pd.Series(fr_bruto, dtype=str).str.replace(r"\D", "", regex=True)
    fr_curto = fr_dig.str[:4].to_numpy(dtype=object)
    ruim_fr = (fr_dig.str.len().between(1, 3)).to_numpy(dtype=bool) & no_escopo
    for pos in np.flatnonzero(ruim_fr)[:200]:
        problemas.append({"arquivo": nome, "linha": int(arq.linha[pos]), "coluna": "FR", "valor": fr_bruto[pos],
                          "mensagem": "fonte de recursos (FR) deve ter ao menos 4 dígitos (ex.: 1500)"})
    entidade = np.where(np.asarray(ics["PO"], dtype=object) == "", arq.ente, ics["PO"])
    for tabela in modelo.TABELAS:
        m_tab = tab_arr == tabela
        if not m_tab.any():
            continue
        chaves = modelo.CHAVES[tabela]
        for c in chaves:
            if c in _FORMATOS_IC:
                v = np.asarray(ics[c.upper()], dtype=object)
                tam = _FORMATOS_IC[c]
                ruim = m_tab & (v != "") & ~pd.Series(v, dtype=str).str.fullmatch(rf"\d{{{tam}}}").to_numpy(dtype=bool)
                for pos in np.flatnonzero(ruim)[:50]:
                    problemas.append({"arquivo": nome, "linha": int(arq.linha[pos]), "coluna": c.upper(),
                                      "valor": v[pos], "mensagem": f"{c.upper()} deve ter {tam} dígitos"})
        for mascara, mes_destino, fator in blocos:
            sel = np.flatnonzero(mascara & m_tab)
            if not len(sel):
                continue
            df = {"entidade": entidade[sel], "mes": np.full(len(sel), mes_destino, dtype=np.int64)}
            for c in chaves:
                df[c] = fr_curto[sel] if c == "fr" else np.asarray(ics[c.upper()], dtype=object)[sel]
            if "fr" in chaves:
                df["fr_original"] = fr_bruto[sel]
            df["estagio"] = est_arr[sel]
            df["valor"] = assinado[sel] * fator
            df["arquivo"] = np.full(len(sel), arq.caminho.name, dtype=object)
            df["linha"] = arq.linha[sel]
            frame = pd.DataFrame(df)
            for c in frame.columns:
                if frame[c].dtype == object:
                    frame[c] = frame[c].astype(str)
            partes[tabela].append(frame)
    return {
        "arquivo": arq.caminho.name, "ente": arq.ente, "periodo": f"{arq.ano}-{arq.mes:02d}",
        "codificacao": arq.codificacao, "linhas_de_dados": n,
        "linhas_usadas": int((no_escopo & (tipo_idx != 1)).sum()),
        "linhas_conferencia": int((no_escopo & (tipo_idx == 1)).sum()),
        "linhas_fora_do_escopo": int((~no_escopo).sum()),
    }


def _conferir_saldos(arq, conta, ics, tipo_idx, nat, valor, avisos) -> None:
    """Avisa quando saldo inicial + movimentos do mês ≠ saldo final (por conta + ICs)."""
    if arq.n == 0:
        return
    chave = pd.Series(conta, dtype=str)
    for t in TIPOS_IC:
        chave = chave + "|" + pd.Series(ics[t], dtype=str)
    codigos, _ = pd.factorize(chave)
    assin = np.where(nat == "D", valor, -valor)
    k = codigos.max() + 1
    inicial = np.bincount(codigos, weights=np.where(tipo_idx == 0, assin, 0.0), minlength=k)
    mov = np.bincount(codigos, weights=np.where(tipo_idx == 1, assin, 0.0), minlength=k)
    final = np.bincount(codigos, weights=np.where(tipo_idx == 2, assin, 0.0), minlength=k)
    diverg = np.flatnonzero(np.abs(inicial + mov - final) > 0.005)
    if len(diverg):
        exemplos = []
        for c in diverg[:5]:
            pos = int(np.flatnonzero(codigos == c)[0])
            exemplos.append(f"linha {arq.linha[pos]} (conta {conta[pos]})")
        avisos.append(
            f"{arq.caminho.name}: {len(diverg)} chave(s) em que saldo inicial + movimento ≠ saldo final; "
            "o saldo final foi usado. Exemplos: " + "; ".join(exemplos)
        )
