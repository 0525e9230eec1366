"""Leitor da MSC (Matriz de Saldos Contábeis) no leiaute CSV de envio ao SICONFI.

Linha 1 ``<ente>;AAAA-MM``; linha 2 cabeçalho (``ContaContabil;IC1;TipoIC1;…;Valor;TipoValor;NaturezaValor``
ou ``CONTA;IC1;TIPO1;…;Valor;Tipo_valor;Natureza_valor``); seis pares IC/tipo em qualquer ordem.

Cada linha de saldo vira movimento mensal canônico (ver ``modelo``): o ``ending_balance`` do mês M é o
acumulado até M; o ``beginning_balance`` do primeiro arquivo carregado é o acumulado até M−1; as linhas
``period_change`` servem para conferir (saldo inicial + movimento = saldo final). Nenhuma linha some:
o relatório de leitura conta as usadas, as de conferência e as de contas fora do escopo do SIOPS.
"""
from __future__ import annotations

import codecs
import re
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pacsv

from .. import modelo
from .. import regras
from ..erros import ErroSiops, trecho
from ..formatos import numero_br
from .texto import decodificar, detectar_separador, erro_com_problemas, ler_bytes, limite_de_valor

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


_ENTE = re.compile(r"\d{2}(\d{5})?[A-Z]{0,4}")
"""Identificador do ente na 1ª linha: código IBGE (2 dígitos para estado e DF, 7 para município) + sufixo do
poder (``EX`` para o Executivo), como no leiaute da MSC (dominio.md § 6.1)."""


def _periodo(primeira: str, sep: str, caminho: Path) -> tuple[str, int, int]:
    """Ente, exercício e mês da 1ª linha ``<ente>;AAAA-MM`` (aspas em volta dos campos são aceitas).

    Só os meses 01 a 12 servem ao SIOPS e ao RREO; a MSC de encerramento (``AAAA-13``) é recusada com a
    explicação, e o exercício precisa ter regras (``regras/exercicios.csv``).
    """
    partes = [p.strip().strip('"').strip() for p in primeira.split(sep)]
    exemplo = f"'<ente>{sep}AAAA-MM' (ex.: 3106705EX{sep}2025-01)"
    achado = trecho(primeira, 60)
    if len(partes) < 2 or not re.fullmatch(r"\d{4}-\d{2}", partes[1]):
        raise ErroSiops(f"a primeira linha deve ser {exemplo}, mas é '{achado}'",
                        arquivo=caminho, linha=1, coluna="período")
    ente, ano, mes = partes[0], int(partes[1][:4]), int(partes[1][5:7])
    if mes == 13:
        raise ErroSiops(
            f"a MSC é a de encerramento ({partes[1]}): ela traz os lançamentos de encerramento do exercício e não "
            f"serve ao RREO nem ao SIOPS. Para o 6º bimestre use a MSC de dezembro ({ano}-12)",
            arquivo=caminho, linha=1, coluna="período")
    if not 1 <= mes <= 12:
        raise ErroSiops(f"mês '{partes[1][5:7]}' inválido no período '{partes[1]}': esperado de 01 a 12",
                        arquivo=caminho, linha=1, coluna="período")
    anos = regras.exercicios_disponiveis()
    if ano not in anos:
        raise ErroSiops(
            f"exercício {ano} sem regras: o workbench tem regras de {anos[0]} a {anos[-1]} "
            "(siops_lib/regras/exercicios.csv)", arquivo=caminho, linha=1, coluna="período")
    if not _ENTE.fullmatch(ente):
        raise ErroSiops(
            f"identificador do ente '{trecho(ente, 40)}' inválido: esperado o código IBGE (7 dígitos; 2 para estado "
            f"ou DF) seguido do sufixo do poder, como em {exemplo}", arquivo=caminho, linha=1, coluna="ente")
    return ente, ano, mes


class _Arquivo:
    """Um arquivo MSC já analisado (colunas em arrays numpy/pyarrow)."""

    def __init__(self, caminho: Path, conteudo: bytes | None = None):
        """``caminho`` do arquivo; com ``conteudo``, os bytes já em memória (``caminho`` só nomeia a origem)."""
        self.caminho = Path(caminho)
        conteudo = ler_bytes(self.caminho) if conteudo is None else conteudo
        if b"\x00" in conteudo[:4096]:
            decodificar(conteudo[:4096], self.caminho)  # mensagem padrão para binário/UTF-16
        fim1 = conteudo.find(b"\n")
        fim2 = conteudo.find(b"\n", fim1 + 1) if fim1 >= 0 else -1
        if fim1 < 0:
            raise ErroSiops("arquivo MSC incompleto: faltam a linha do ente/período e o cabeçalho", arquivo=caminho)
        if fim2 < 0:
            fim2 = len(conteudo)
        fim = len(conteudo)
        while fim > fim2 + 1 and conteudo[fim - 1] in b"\r\n\t ":
            fim -= 1
        corpo = memoryview(conteudo)[fim2 + 1:fim]
        try:
            codecs.utf_8_decode(corpo, "strict", True)
            self.codificacao = "utf-8"
        except UnicodeDecodeError:
            corpo = bytes(corpo).decode("cp1252", errors="replace").encode("utf-8")
            self.codificacao = "latin-1"
        cabecalho, _ = decodificar(conteudo[:fim2], self.caminho)
        linhas = cabecalho.split("\n")
        if len(linhas) < 2:
            raise ErroSiops("arquivo MSC incompleto: faltam a linha do ente/período e o cabeçalho", arquivo=caminho)
        primeira = linhas[0].strip("\r\ufeff ")
        sep = detectar_separador(linhas[1])
        self.ente, self.ano, self.mes = _periodo(primeira, sep, self.caminho)
        self._cabecalho(linhas[1], sep)
        self._colunas: dict[str, pa.Array] = {}
        self._ler_corpo(corpo, sep)

    def _cabecalho(self, linha: str, sep: str) -> None:
        nomes = [n.strip().strip('"').lower() for n in linha.strip("\r").split(sep)]
        while nomes and nomes[-1] == "":
            nomes.pop()
        if not nomes:
            raise ErroSiops("arquivo MSC incompleto: a linha 2 deveria ser o cabeçalho ContaContabil;IC1;TipoIC1;…;"
                            "Valor;TipoValor;NaturezaValor, mas está vazia", arquivo=self.caminho, linha=2)
        canon = []
        for n in nomes:
            if n not in _NOMES:
                raise ErroSiops(
                    f"coluna desconhecida no cabeçalho: '{trecho(n, 40)}'. Esperado: ContaContabil;IC1;TipoIC1;…;IC6;TipoIC6;"
                    "Valor;TipoValor;NaturezaValor", arquivo=self.caminho, linha=2, coluna=trecho(n, 40),
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

    def _ler_corpo(self, corpo, sep: str) -> None:
        # linhas vazias viram linhas de campos vazios (número de linha preservado) e são
        # apontadas na conferência da conta contábil
        ruins: list[dict] = []

        def _linha_invalida(row):
            ruins.append({
                "arquivo": str(self.caminho), "linha": (row.number + 2) if row.number else None, "coluna": "",
                "valor": (row.text or "")[:80],
                "mensagem": f"esperado {row.expected_columns} campos separados por '{sep}', encontrado {row.actual_columns}",
            })
            return "skip"

        if not bytes(corpo).strip():
            raise ErroSiops("a MSC não tem nenhuma linha de saldo: só a linha do ente/período e o cabeçalho "
                            "(esperado ao menos uma linha conta;IC1;TipoIC1;…;Valor;TipoValor;NaturezaValor)",
                            arquivo=self.caminho, linha=3)
        try:
            tabela = pacsv.read_csv(
                pa.BufferReader(pa.py_buffer(corpo)),
                read_options=pacsv.ReadOptions(column_names=self.nomes, use_threads=True,
                                               block_size=max(1 << 20, len(corpo) // 2 + 1)),
                parse_options=pacsv.ParseOptions(delimiter=sep, quote_char='"', invalid_row_handler=_linha_invalida,
                                                 newlines_in_values=False, ignore_empty_lines=False),
                convert_options=pacsv.ConvertOptions(column_types={c: pa.string() for c in self.nomes},
                                                     strings_can_be_null=False),
            )
        except pa.ArrowInvalid as e:
            raise ErroSiops(f"as linhas da MSC não puderam ser lidas como CSV separado por '{sep}' "
                            f"(aspas sem fechamento ou linha grande demais?): {trecho(str(e), 120)}",
                            arquivo=self.caminho) from None
        if ruins:
            # o leitor não informa o número da linha: localiza pela contagem de separadores
            esperado = len(self.nomes)
            linhas_txt = bytes(corpo).decode("utf-8").split("\n")
            numeros = [i + 3 for i, t in enumerate(linhas_txt) if t.rstrip("\r").count(sep) + 1 != esperado]
            for r, n in zip(ruins, numeros):
                r["linha"] = r["linha"] or n
            raise erro_com_problemas("{n} linha(s) com número errado de campos", ruins)
        self.tabela = tabela
        self.n = tabela.num_rows
        self.linha = np.arange(3, 3 + self.n, dtype=np.int64)

    # ---- conversões vetorizadas -------------------------------------------------
    def col(self, nome: str, aparar: bool = True) -> pa.Array:
        """Coluna como texto; ``aparar`` tira espaços das pontas (só quando há espaço, que é raro)."""
        chave = (nome, aparar)
        if chave not in self._colunas:
            a = self.tabela.column(nome).combine_chunks()
            if aparar and self.n and pc.any(pc.match_substring(a, " ")).as_py():
                a = pc.utf8_trim_whitespace(a)
            self._colunas[chave] = a
        return self._colunas[chave]

    def codificada(self, nome: str) -> tuple[np.ndarray, list[str]]:
        """Índices e valores distintos (aparados) de uma coluna de poucos valores."""
        enc = pc.dictionary_encode(self.col(nome, aparar=False))
        idx = enc.indices.to_numpy(zero_copy_only=False) if self.n else np.zeros(0, np.int32)
        return idx, [v.strip() for v in enc.dictionary.to_pylist()]


def _por_tipo(arq: _Arquivo, problemas: list[dict]) -> dict[str, pa.Array]:
    """Valor de cada tipo de IC (PO, FR, NR…) por linha, qualquer que seja a posição do par."""
    partes: dict[str, list[pa.Array]] = {t: [] for t in TIPOS_IC}
    for i in range(1, 7):
        idx, dicionario = arq.codificada(f"tipo{i}")
        dicionario = [t.upper() for t in dicionario]
        valores = arq.col(f"ic{i}")
        for j, t in enumerate(dicionario):
            if t == "":
                continue
            sel = idx == j
            if t not in partes and t in dicionario[:j]:
                continue
            if t not in partes:
                for pos in np.flatnonzero(sel)[:50]:
                    problemas.append({"arquivo": str(arq.caminho), "linha": int(arq.linha[pos]), "coluna": f"TipoIC{i}",
                                      "valor": t, "mensagem": f"tipo de informação complementar desconhecido '{t}' "
                                      f"(esperado um de {', '.join(TIPOS_IC)})"})
                continue
            partes[t].append((sel, valores))
    vazio = pa.repeat("", arq.n)
    saida = {}
    for t, v in partes.items():
        if not v:
            saida[t] = vazio
        elif len(v) == 1 and v[0][0].all():
            saida[t] = v[0][1]  # o tipo ocupa sempre a mesma posição: usa a coluna como está
        elif len(v) == 1:
            saida[t] = pc.if_else(pa.array(v[0][0]), v[0][1], "")
        else:
            saida[t] = pc.coalesce(*[pc.if_else(pa.array(m), a, pa.scalar(None, pa.string())) for m, a in v], "")
    return saida


def _estagios(exercicio: int) -> tuple[list[tuple[str, str, str, str]], set[str]]:
    est = regras.tabela("comum/estagios_pcasp", exercicio)
    contas_estagio = sorted(
        zip(est["conta_prefixo"], est["tabela"], est["estagio"], est["natureza"]), key=lambda r: -len(r[0])
    )
    cat = regras.tabela("comum/pcasp_contas", exercicio)
    pcasp = dict(zip(cat["conta"], cat["natureza"]))
    return contas_estagio, pcasp


def _familia(conta: str, contas_estagio) -> tuple[str, str, str]:
    """(tabela, estágio, natureza) da família de contas das regras que contém ``conta`` (prefixo mais longo);
    ("", "", "") fora de todas."""
    return next(((t, e, n) for p, t, e, n in contas_estagio if conta.startswith(p)), ("", "", ""))


NIVEIS_PCASP = (7, 5, 4, 3, 2, 1)
"""Dígitos significativos de cada nível superior da conta PCASP de 9 dígitos (subitem → item → subtítulo →
título → subgrupo → grupo → classe: c.g.s.t.st.ii.ss)."""


def _ancestral(conta: str, catalogo) -> str | None:
    """A conta superior conhecida mais próxima (níveis do PCASP) de uma conta que o catálogo não tem."""
    for k in NIVEIS_PCASP:
        candidata = conta[:k] + "0" * (9 - k)
        if candidata != conta and candidata in catalogo:
            return candidata
    return None


def ler_msc(arquivos, entidades: pd.DataFrame | None = None, exercicio: int | None = None) -> modelo.Dados:
    """Lê um ou mais arquivos MSC (mesmo ente e exercício) e devolve os dados canônicos.

    ``entidades`` (opcional) traduz o PO da MSC em entidades (colunas de ``modelo.COLUNAS_ENTIDADES``).
    ``exercicio`` (opcional): o exercício pedido; MSC de outro exercício é erro.

    Contas que o PCASP do exercício não tem (``docs/entradas.md``, "Contas fora do catálogo"): contadas e listadas em
    ``dados.contas_fora_do_catalogo``; fora das famílias de contas das regras, ficam fora do escopo; dentro de
    uma família, seguem a conta superior conhecida mais próxima (mesma família: mesmo estágio e sinal) e a
    crítica PCA01 (alerta) as aponta; bloqueiam (erro) só quando a conta superior conhecida cai noutra família
    ou não existe, isto é, quando a natureza não pode ser deduzida.
    """
    if isinstance(arquivos, (str, Path)):
        arquivos = [arquivos]
    return ler_conteudos([_Arquivo(a) for a in arquivos], entidades, exercicio)


def arquivo_em_memoria(nome: str, conteudo: bytes) -> "_Arquivo":
    """Uma MSC no leiaute CSV já em memória (a convertida das respostas da API do SICONFI), lida com as mesmas
    conferências do arquivo; ``nome`` aparece nas mensagens e no resumo da leitura."""
    return _Arquivo(Path(nome), conteudo)


def ler_conteudos(lidos: list, entidades: pd.DataFrame | None = None, exercicio: int | None = None) -> modelo.Dados:
    """``ler_msc`` de MSCs já abertas (``arquivo_em_memoria``)."""
    lidos = list(lidos)
    if not lidos:
        raise ErroSiops("nenhum arquivo MSC informado")
    anos = {a.ano for a in lidos}
    entes = {a.ente for a in lidos}
    if len(anos) > 1 or len(entes) > 1:
        raise ErroSiops(f"os arquivos MSC misturam entes ou exercícios: {sorted(entes)} / {sorted(anos)}")
    meses = sorted(a.mes for a in lidos)
    if len(set(meses)) != len(meses):
        raise ErroSiops("há mais de um arquivo MSC para o mesmo mês")
    ano = anos.pop()
    if exercicio is not None and int(exercicio) != ano:
        raise ErroSiops(f"a MSC é do exercício {ano}, mas foi pedido o exercício {exercicio}",
                        arquivo=lidos[0].caminho, linha=1, coluna="período")
    exercicio = ano
    contas_estagio, pcasp = _estagios(exercicio)
    lidos.sort(key=lambda a: a.mes)
    carregados = {a.mes for a in lidos}

    partes: dict[str, list[pd.DataFrame]] = {t: [] for t in modelo.TABELAS}
    problemas: list[dict] = []
    avisos: list[str] = []
    fora_catalogo: list[dict] = []
    leitura = []
    for k, arq in enumerate(lidos):
        proximo = lidos[k + 1].mes if k + 1 < len(lidos) else None
        resumo = _converter(arq, contas_estagio, pcasp, proximo, (arq.mes - 1) in carregados,
                            partes, problemas, avisos, fora_catalogo)
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
    dados.contas_fora_do_catalogo = pd.DataFrame(fora_catalogo, columns=modelo.COLUNAS_CONTAS_FORA_DO_CATALOGO)
    return dados


def _entidades(dados: modelo.Dados, entidades: pd.DataFrame | None) -> pd.DataFrame:
    if entidades is not None:
        return entidades[modelo.COLUNAS_ENTIDADES].reset_index(drop=True)
    pos = sorted({p for t in modelo.TABELAS for p in dados.tabela(t)["entidade"].unique()})
    return pd.DataFrame({"entidade": pos, "nome": [f"Poder/órgão {p}" for p in pos], "tipo": "poder_orgao",
                         "administracao": "", "poder_orgao": pos})


def _converter(arq: _Arquivo, contas_estagio, pcasp, proximo, anterior_carregado, partes, problemas, avisos,
               fora_catalogo) -> dict:
    n = arq.n
    nome = str(arq.caminho)

    vazia = np.zeros(n, dtype=bool)

    def problema(mascara, coluna, valores, mensagem):
        for pos in np.flatnonzero(mascara & ~vazia)[:200]:
            v = valores[int(pos)]
            v = v.as_py() if hasattr(v, "as_py") else v
            problemas.append({"arquivo": nome, "linha": int(arq.linha[pos]), "coluna": coluna, "valor": v,
                              "mensagem": mensagem(v) if callable(mensagem) else mensagem})

    # linhas vazias: um problema só, em vez de um por coluna
    cidx, contas = arq.codificada("conta")
    cidx = cidx.astype(np.int64)
    bruto = arq.col("valor", aparar=False)
    if "" in contas:
        vazia = (cidx == contas.index("")) & pc.equal(bruto, "").to_numpy(zero_copy_only=False)
        for pos in np.flatnonzero(vazia)[:200]:
            problemas.append({"arquivo": nome, "linha": int(arq.linha[pos]), "coluna": "", "valor": "",
                              "mensagem": "linha vazia no meio do arquivo"})
    # valor: ponto decimal (aceita vírgula), não negativo
    txt = bruto
    if n and pc.any(pc.match_substring(bruto, ",")).as_py():
        txt = pc.if_else(pc.match_substring(bruto, ","),
                         pc.replace_substring(pc.replace_substring(bruto, ".", ""), ",", "."), bruto)
    try:
        valor = pc.cast(txt, pa.float64()).to_numpy(zero_copy_only=False)
        ok_num = np.isfinite(valor) & (valor >= 0)
        if not ok_num.all() or n and not pc.all(pc.match_substring_regex(txt, r"^\s*\d+(\.\d+)?\s*$")).as_py():
            raise pa.ArrowInvalid("formato")  # nan, inf, expoente, sinal: só dígitos e ponto decimal valem
    except pa.ArrowInvalid:
        txt = pc.utf8_trim_whitespace(txt)
        ok_num = pc.match_substring_regex(txt, r"^\d+(\.\d+)?$").to_numpy(zero_copy_only=False)
        valor = pc.cast(pc.if_else(pa.array(ok_num), txt, "0"), pa.float64()).to_numpy(zero_copy_only=False)
    problema(~ok_num, "Valor", bruto, lambda v: f"valor '{trecho(v)}' não é um número não negativo "
             "(use só dígitos e ponto decimal, ex.: 1234.56)")
    maximo = limite_de_valor(arq.ano)
    grande = ok_num & (valor > maximo)
    problema(grande, "Valor", bruto, lambda v: f"valor '{trecho(v)}' acima do limite de {numero_br(maximo)} "
             "(regras/comum/parametros.csv, valor_maximo_absoluto): erro de exportação ou de digitação")
    ok_num &= ~grande
    valor = np.where(ok_num, valor, 0.0)
    # tipo de valor e natureza (pelo dicionário de valores distintos)
    tipo_idx = _codificar(arq, "tipo_valor", {t: j for j, t in enumerate(TIPOS_VALOR)}, str.lower)
    problema(tipo_idx < 0, "TipoValor", arq.col("tipo_valor"),
             "TipoValor deve ser beginning_balance, period_change ou ending_balance")
    nat_idx = _codificar(arq, "natureza", {"D": 0, "C": 1}, str.upper)
    debito = nat_idx == 0
    problema(nat_idx < 0, "NaturezaValor", arq.col("natureza"), "NaturezaValor deve ser D ou C")
    # contas: dicionário das contas distintas → tabela, estágio e natureza do estágio
    formato_ruim = np.array([not re.fullmatch(r"\d{9}", c) for c in contas], dtype=bool)
    fora_pcasp = np.array([(not f) and c not in pcasp for c, f in zip(contas, formato_ruim)], dtype=bool)
    conta_arr = _Indexado(contas, cidx)
    problema(formato_ruim[cidx] if n else np.zeros(0, bool), "ContaContabil", conta_arr,
             lambda v: f"conta contábil '{trecho(v, 40)}' inválida: esperado 9 dígitos sem pontos (ex.: 622130400)")
    classes = [_familia(c, contas_estagio) for c in contas]
    bloqueadas = np.zeros(len(contas), dtype=bool)
    for j in np.flatnonzero(fora_pcasp):
        c = contas[j]
        anc = _ancestral(c, pcasp)
        usada = classes[j][0] != ""
        if usada and (anc is None or _familia(anc, contas_estagio)[:2] != classes[j][:2]):
            bloqueadas[j] = True
        fora_catalogo.append({"arquivo": Path(nome).name, "conta": c, "ancestral": anc or "",
                              "natureza_ancestral": pcasp.get(anc, "") if anc else "",
                              "tabela": classes[j][0], "estagio": classes[j][1], "usada": usada and not bloqueadas[j],
                              "linhas": int((cidx == j).sum()), "primeira_linha": int(arq.linha[np.argmax(cidx == j)])})
    problema(bloqueadas[cidx] if n else np.zeros(0, bool), "ContaContabil", conta_arr,
             lambda v: f"conta {v} não existe no PCASP de {arq.ano} (regras/comum/pcasp_contas.csv) e cai numa família "
                       "de contas usada pelas regras, mas nenhuma conta superior conhecida do catálogo está na mesma "
                       "família: a natureza e o estágio não podem ser deduzidos")
    if fora_pcasp.any():
        desc = sorted(c for c, f in zip(contas, fora_pcasp) if f)
        avisos.append(f"{Path(nome).name}: {len(desc)} conta(s) fora do PCASP de {arq.ano} (as usadas pelas regras "
                      "seguem a conta superior conhecida; veja a crítica PCA01): " + ", ".join(desc[:10])
                      + (", …" if len(desc) > 10 else ""))
    tab_dic = np.array([c[0] for c in classes] or [""], dtype=object)
    est_dic = pa.array([c[1] for c in classes] or [""], pa.string())
    deb_dic = np.array([c[2] == "D" for c in classes] or [False], dtype=bool)
    tab_arr = tab_dic[cidx]
    sinal = np.where(debito == deb_dic[cidx], 1.0, -1.0)
    assinado = valor * sinal
    ics = _por_tipo(arq, problemas)
    chave_ics = _codigos([ics[t] for t in TIPOS_IC], cidx)
    _conferir_chaves(arq, chave_ics, tipo_idx, nat_idx, problemas)
    _conferir_saldos(arq, chave_ics, cidx, contas, tipo_idx, debito, valor, avisos)
    no_escopo = tab_arr != ""
    mes = arq.mes
    blocos = []  # (mascara, mês de destino, fator)
    fim = no_escopo & (tipo_idx == 2)
    blocos.append((fim, mes, 1.0))
    if proximo is not None:
        blocos.append((fim, proximo - 1 if proximo - 1 > mes else proximo, -1.0))
    if not anterior_carregado:
        ini = no_escopo & (tipo_idx == 0)
        blocos.append((ini, mes - 1, 1.0))
        blocos.append((ini, mes, -1.0))
    fr_dig = ics["FR"]
    if n and not pc.all(pc.or_(pc.utf8_is_digit(fr_dig), pc.equal(fr_dig, ""))).as_py():
        fr_dig = pc.replace_substring_regex(fr_dig, r"\D", "")
    fr_curto = pc.utf8_slice_codeunits(fr_dig, 0, 4)
    ruim_fr = (pc.utf8_length(fr_dig).to_numpy(zero_copy_only=False) < 4) & (pc.utf8_length(fr_dig).to_numpy(
        zero_copy_only=False) > 0) & no_escopo
    problema(ruim_fr, "FR", ics["FR"], "fonte de recursos (FR) deve ter ao menos 4 dígitos (ex.: 1500)")
    entidade = pc.if_else(pc.equal(ics["PO"], ""), arq.ente, ics["PO"])
    for tabela in modelo.TABELAS:
        m_tab = tab_arr == tabela
        if not m_tab.any():
            continue
        chaves = modelo.CHAVES[tabela]
        for c in chaves:
            if c in _FORMATOS_IC:
                v = ics[c.upper()]
                tam = pc.utf8_length(v)
                ok = pc.or_(pc.equal(tam, 0), pc.and_(pc.equal(tam, _FORMATOS_IC[c]), pc.utf8_is_digit(v)))
                ok = ok.to_numpy(zero_copy_only=False)
                problema(m_tab & ~ok, c.upper(), v, f"{c.upper()} deve ter {_FORMATOS_IC[c]} dígitos")
        selecoes = [(np.flatnonzero(mascara & m_tab), mes_destino, fator) for mascara, mes_destino, fator in blocos]
        selecoes = [x for x in selecoes if len(x[0])]
        if not selecoes:
            continue
        sel = np.concatenate([x[0] for x in selecoes])
        meses_dest = np.concatenate([np.full(len(x[0]), x[1], dtype=np.int64) for x in selecoes])
        fatores = np.concatenate([np.full(len(x[0]), x[2]) for x in selecoes])
        idx = pa.array(sel)
        cols = {"entidade": entidade.take(idx), "mes": meses_dest}
        for c in chaves:
            cols[c] = (fr_curto if c == "fr" else ics[c.upper()]).take(idx)
        if "fr" in chaves:
            cols["fr_original"] = ics["FR"].take(idx)
        cols["estagio"] = est_dic.take(pa.array(cidx[sel]))
        cols["valor"] = assinado[sel] * fatores
        cols["arquivo"] = pa.DictionaryArray.from_arrays(pa.array(np.zeros(len(sel), np.int32)),
                                                         pa.array([arq.caminho.name])).cast(pa.string())
        cols["linha"] = arq.linha[sel]
        partes[tabela].append(pa.table(cols).to_pandas(types_mapper=_tipo_texto))
    return {
        "arquivo": arq.caminho.name, "ente": arq.ente, "periodo": f"{arq.ano}-{arq.mes:02d}",
        "codificacao": arq.codificacao, "linhas_de_dados": n,
        "linhas_usadas": int((no_escopo & (tipo_idx != 1)).sum()),
        "linhas_conferencia": int((no_escopo & (tipo_idx == 1)).sum()),
        "linhas_fora_do_escopo": int((~no_escopo).sum()),
        "linhas_rejeitadas": 0,
        "contas_fora_do_catalogo": int(fora_pcasp.sum()),
    }


def _codificar(arq: "_Arquivo", nome: str, codigos: dict[str, int], normalizar) -> np.ndarray:
    """Código inteiro de cada linha (−1 quando o valor não está em ``codigos``), via dicionário."""
    idx, dicionario = arq.codificada(nome)
    mapa = np.array([codigos.get(normalizar(v), -1) for v in dicionario] or [-1], dtype=np.int8)
    return mapa[idx] if arq.n else np.zeros(0, np.int8)


def _tipo_texto(tipo):
    return pd.StringDtype("pyarrow", na_value=np.nan) if tipo == pa.string() else None


class _Indexado:
    """Acesso por posição a ``valores[indices[i]]`` sem materializar a coluna inteira."""

    def __init__(self, valores, indices):
        self.valores, self.indices = valores, indices

    def __getitem__(self, i):
        return self.valores[self.indices[i]]


def _codigos(partes, base: np.ndarray) -> np.ndarray:
    """Um código inteiro por linha para a combinação de ``base`` (inteiros) com as ``partes`` (arrays de texto do
    pyarrow ou inteiros do numpy): índices dos dicionários em base mista, refatorados quando crescem. Linhas com a
    mesma combinação têm o mesmo código (0, 1, 2… na ordem em que aparecem)."""
    chave = base.astype(np.int64)
    for parte in partes:
        if isinstance(parte, np.ndarray):
            idx = parte.astype(np.int64) + 1
            card = int(idx.max()) + 1 if len(idx) else 1
        else:
            enc = pc.dictionary_encode(parte)
            card = len(enc.dictionary)
            idx = enc.indices.to_numpy(zero_copy_only=False).astype(np.int64)
        if card <= 1:
            continue
        chave = chave * card + idx
        if int(chave.max()) > (1 << 40):
            chave = pd.factorize(chave)[0].astype(np.int64)
    return pd.factorize(chave)[0]


def _conferir_chaves(arq, chave_ics, tipo_idx, nat_idx, problemas) -> None:
    """Chave repetida é erro, como no SICONFI, que recusa a matriz: a mesma conta com as mesmas informações
    complementares (por tipo, em qualquer posição), o mesmo TipoValor e a mesma NaturezaValor em duas linhas.
    Somar as duas inventaria saldo; escolher uma delas, também. (Uma passada de hash sobre o código da conta + ICs.)"""
    if arq.n < 2:
        return
    codigos = _codigos([tipo_idx, nat_idx], chave_ics)
    repetida = pd.Series(codigos).duplicated(keep="first").to_numpy()
    if not repetida.any():
        return
    primeira = pd.Series(arq.linha).groupby(codigos).transform("min").to_numpy()
    for pos in np.flatnonzero(repetida)[:200]:
        problemas.append({"arquivo": str(arq.caminho), "linha": int(arq.linha[pos]), "coluna": "", "valor": "",
                          "mensagem": f"linha repetida: mesma conta, informações complementares, TipoValor e "
                                      f"NaturezaValor da linha {int(primeira[pos])}; o SICONFI recusa a matriz com "
                                      "chaves repetidas (some as duas no sistema de origem ou apague a cópia)"})


def _conferir_saldos(arq, chave_ics, cidx, contas, tipo_idx, debito, valor, avisos) -> None:
    """Avisa quando saldo inicial + movimentos do mês ≠ saldo final (por conta + ICs)."""
    if arq.n == 0:
        return
    assin = np.where(debito, valor, -valor)
    fator = np.select([tipo_idx == 0, tipo_idx == 1, tipo_idx == 2], [1.0, 1.0, -1.0], 0.0)
    dif = np.abs(np.bincount(chave_ics, weights=assin * fator))
    diverg = np.flatnonzero(dif > 0.005)
    if len(diverg):
        primeira = np.full(len(dif), np.iinfo(np.int64).max)
        np.minimum.at(primeira, chave_ics, arq.linha)
        exemplos = []
        for g in diverg[:5]:
            pos = int(np.argmax(chave_ics == g))
            exemplos.append(f"linha {int(primeira[g])} (conta {contas[int(cidx[pos])]})")
        avisos.append(
            f"{arq.caminho.name}: {len(diverg)} chave(s) em que saldo inicial + movimento ≠ saldo final; "
            "o saldo final foi usado. Exemplos: " + "; ".join(exemplos)
        )
