"""Leitor da MSC (Matriz de Saldos Contábeis) no leiaute CSV de envio ao SICONFI.

Linha 1 ``<ente>;AAAA-MM``; linha 2 cabeçalho (``ContaContabil;IC1;TipoIC1;…;Valor;TipoValor;NaturezaValor``
ou ``CONTA;IC1;TIPO1;…;Valor;Tipo_valor;Natureza_valor``); seis pares IC/tipo em qualquer ordem.

Cada linha de saldo vira movimento mensal canônico (ver ``modelo``): o ``ending_balance`` do mês M é o
acumulado até M; o ``beginning_balance`` do primeiro arquivo carregado é o acumulado até M−1; as linhas
``period_change`` servem para conferir (saldo inicial + movimento = saldo final). Nenhuma linha some:
o relatório de leitura conta as usadas, as de conferência e as de contas fora do escopo do SIOPS.

As colunas de texto são lidas como dicionário (índices + valores distintos): formato, catálogo, classificação e
tipos de IC são conferidos uma vez por valor distinto e levados às linhas pelos índices (numpy). As tabelas
canônicas saem codificadas (``motor.codificada.TabelaCodificada``): o ``DataFrame`` só é montado quando pedido, e o
Anexo 12 soma direto dos códigos.
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
from ..motor.codificada import TabelaCodificada, fundir
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


def _conferir_utf8(corpo: memoryview, bloco: int = 4 * 1024 * 1024) -> None:
    """``UnicodeDecodeError`` se ``corpo`` não for UTF-8, decodificando aos pedaços (sem uma cópia do arquivo
    inteiro como texto)."""
    decodificador = codecs.getincrementaldecoder("utf-8")("strict")
    for inicio in range(0, len(corpo), bloco):
        decodificador.decode(corpo[inicio:inicio + bloco])
    decodificador.decode(b"", final=True)


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
            if not conteudo.isascii():  # ASCII (o comum) já é UTF-8 válido
                _conferir_utf8(corpo)
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

        # (o fim do corpo já vem sem \r, \n, \t e espaço: só outro branco no fim pode fazer o corpo todo branco)
        if not len(corpo) or corpo[-1:] in (b"\x0b", b"\x0c", b"\x1c", b"\x1d", b"\x1e", b"\x1f") \
                and not bytes(corpo).strip():
            raise ErroSiops("a MSC não tem nenhuma linha de saldo: só a linha do ente/período e o cabeçalho "
                            "(esperado ao menos uma linha conta;IC1;TipoIC1;…;Valor;TipoValor;NaturezaValor)",
                            arquivo=self.caminho, linha=3)
        try:
            tabela = pacsv.read_csv(
                pa.BufferReader(pa.py_buffer(corpo)),
                read_options=pacsv.ReadOptions(column_names=self.nomes, use_threads=True,
                                               block_size=max(1 << 20, min(len(corpo) // 2 + 1, 1 << 23))),
                parse_options=pacsv.ParseOptions(delimiter=sep, quote_char='"', invalid_row_handler=_linha_invalida,
                                                 newlines_in_values=False, ignore_empty_lines=False),
                # texto de poucos valores distintos já como dicionário: as conferências e a classificação
                # trabalham sobre os valores distintos e voltam às linhas pelos índices
                convert_options=pacsv.ConvertOptions(
                    column_types={c: pa.string() if c == "valor" else _DICIONARIO for c in self.nomes},
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
        pa.default_memory_pool().release_unused()  # os blocos da análise do CSV voltam ao sistema já
        self.n = tabela.num_rows
        self.linha = np.arange(3, 3 + self.n, dtype=np.int64)
        # cada coluna vira índices (numpy) + valores distintos; a tabela do pyarrow é solta coluna a coluna
        tabela = tabela.unify_dictionaries()
        colunas = {nome: tabela.column(nome) for nome in dict.fromkeys(self.nomes)}
        del tabela
        self.tabela = {}
        for nome in list(colunas):
            a = colunas.pop(nome)
            if not pa.types.is_dictionary(a.type):
                self.tabela[nome] = a.combine_chunks()
            elif self.n and a.num_chunks:
                # os pedaços já têm o mesmo dicionário (unify_dictionaries): basta juntar os índices
                idx = np.concatenate([c.indices.to_numpy(zero_copy_only=False) for c in a.chunks])
                self._colunas[(nome, "dicionario")] = (idx, a.chunk(0).dictionary)
            else:
                self._colunas[(nome, "dicionario")] = (np.zeros(0, np.int32), pa.array([], pa.string()))
            del a
        pa.default_memory_pool().release_unused()  # e as colunas do pyarrow já convertidas

    def liberar(self) -> None:
        """Solta as colunas lidas (depois da conversão, só os metadados ficam)."""
        self.tabela = {}
        self._colunas.clear()
        pa.default_memory_pool().release_unused()

    # ---- colunas ------------------------------------------------------------------------------------------
    def col(self, nome: str, aparar: bool = True) -> pa.Array:
        """Coluna como texto (só a do valor não é dicionário); ``aparar`` tira espaços das pontas (só quando há
        espaço, que é raro)."""
        chave = (nome, aparar)
        if chave not in self._colunas:
            if nome in self.tabela:
                a = self.tabela[nome]
            else:
                idx, dicionario = self._dicionario(nome)
                a = dicionario.take(pa.array(idx))
            if aparar and self.n and pc.any(pc.match_substring(a, " ")).as_py():
                a = pc.utf8_trim_whitespace(a)
            self._colunas[chave] = a
        return self._colunas[chave]

    def _dicionario(self, nome: str) -> tuple[np.ndarray, pa.Array]:
        """Índices (numpy) e valores distintos (pyarrow, na ordem em que aparecem) de uma coluna."""
        chave = (nome, "dicionario")
        if chave not in self._colunas:
            enc = pc.dictionary_encode(self.tabela[nome])
            idx = enc.indices.to_numpy(zero_copy_only=False) if self.n else np.zeros(0, np.int32)
            self._colunas[chave] = (idx, enc.dictionary)
        return self._colunas[chave]

    def codificada(self, nome: str) -> tuple[np.ndarray, list[str]]:
        """Índices e valores distintos (aparados) de uma coluna de poucos valores."""
        idx, dicionario = self._dicionario(nome)
        return idx, [v.strip() for v in dicionario.to_pylist()]

    def aparada(self, nome: str) -> tuple[np.ndarray, list[str]]:
        """Índices e valores distintos da coluna como ``col(nome)`` os daria em cada linha: sem espaços nas pontas
        quando algum valor da coluna tem espaço."""
        idx, dicionario = self._dicionario(nome)
        if self.n and pc.any(pc.match_substring(dicionario, " ")).as_py():
            dicionario = pc.utf8_trim_whitespace(dicionario)
        return idx, dicionario.to_pylist()


_DICIONARIO = pa.dictionary(pa.int32(), pa.string())


def _primeira_ocorrencia(idx: np.ndarray, j: int) -> int:
    return int(np.argmax(idx == j))


def _por_tipo(arq: _Arquivo, problemas: list[dict]) -> dict[str, tuple[np.ndarray, list[str]]]:
    """Valor de cada tipo de IC (PO, FR, NR…) por linha, qualquer que seja a posição do par: (códigos, valores
    distintos), um código por valor (os iguais vindos de posições diferentes têm o mesmo código)."""
    partes: dict[str, list] = {t: [] for t in TIPOS_IC}
    for i in range(1, 7):
        idx, dicionario = arq.codificada(f"tipo{i}")
        dicionario = [t.upper() for t in dicionario]
        desconhecidos = []
        for j, t in enumerate(dicionario):
            if t == "":
                continue
            if t not in partes:
                desconhecidos.append(j)
                continue
            partes[t].append((idx == j, i))
        # tipos desconhecidos: um aviso por valor normalizado, a partir da primeira linha em que aparece
        vistos = set()
        for j in sorted(desconhecidos, key=lambda j: _primeira_ocorrencia(idx, j)):
            t = dicionario[j]
            if t in vistos:
                continue
            vistos.add(t)
            for pos in np.flatnonzero(idx == j)[:50]:
                problemas.append({"arquivo": str(arq.caminho), "linha": int(arq.linha[pos]), "coluna": f"TipoIC{i}",
                                  "valor": t, "mensagem": f"tipo de informação complementar desconhecido '{t}' "
                                  f"(esperado um de {', '.join(TIPOS_IC)})"})
    saida = {}
    for t, v in partes.items():
        if not v:
            saida[t] = (np.zeros(arq.n, np.int32), [""])
            continue
        if len(v) == 1 and v[0][0].all():
            saida[t] = fundir(*arq.aparada(f"ic{v[0][1]}"))  # o tipo ocupa sempre a mesma posição: a coluna
            continue
        # a primeira posição (e o primeiro valor do tipo) que casa vale; sem nenhuma, ""
        valores: list[str] = []
        deslocamento = {}
        for _, i in v:
            if i not in deslocamento:
                deslocamento[i] = len(valores)
                valores.extend(arq.aparada(f"ic{i}")[1])
        vazio = len(valores)
        valores.append("")
        codigos = np.full(arq.n, vazio, dtype=np.int32)
        for sel, i in reversed(v):
            codigos = np.where(sel, arq.aparada(f"ic{i}")[0] + deslocamento[i], codigos)
        saida[t] = fundir(codigos.astype(np.int32, copy=False), valores)
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

    partes: dict[str, list[dict]] = {t: [] for t in modelo.TABELAS}
    problemas: list[dict] = []
    avisos: list[str] = []
    fora_catalogo: list[dict] = []
    leitura = []
    for k, arq in enumerate(lidos):
        proximo = lidos[k + 1].mes if k + 1 < len(lidos) else None
        resumo = _converter(arq, contas_estagio, pcasp, proximo, (arq.mes - 1) in carregados,
                            partes, problemas, avisos, fora_catalogo)
        arq.liberar()
        leitura.append(resumo)
    if problemas:
        raise erro_com_problemas("{n} problema(s) na MSC; corrija e leia de novo", problemas)

    dados = modelo.Dados(exercicio=exercicio, codigo_ibge=re.sub(r"\D", "", next(iter(entes)))[:7],
                         origem="MSC", avisos=avisos)
    dados.meses = frozenset(m for a in lidos for m in (a.mes, a.mes - 1))
    # as tabelas ficam codificadas: o DataFrame canônico é montado no primeiro acesso (modelo.Dados.adiar)
    tabelas = {t: TabelaCodificada(t, modelo.colunas(t), partes[t]) for t in modelo.TABELAS if partes[t]}
    dados.entidades = _entidades(tabelas, entidades)
    if entidades is not None:
        mapa = dict(zip(entidades["poder_orgao"], entidades["entidade"]))
        tabelas = {t: cod.mapear("entidade", lambda p: mapa.get(p, p)) for t, cod in tabelas.items()}
    for t, cod in tabelas.items():
        dados.adiar(t, cod)
    dados.leitura = pd.DataFrame(leitura)
    dados.contas_fora_do_catalogo = pd.DataFrame(fora_catalogo, columns=modelo.COLUNAS_CONTAS_FORA_DO_CATALOGO)
    return dados


def _entidades(tabelas: dict[str, TabelaCodificada], entidades: pd.DataFrame | None) -> pd.DataFrame:
    if entidades is not None:
        return entidades[modelo.COLUNAS_ENTIDADES].reset_index(drop=True)
    pos = sorted(set().union(*[cod.valores_usados("entidade") for cod in tabelas.values()]))
    return pd.DataFrame({"entidade": pos, "nome": [f"Poder/órgão {p}" for p in pos], "tipo": "poder_orgao",
                         "administracao": "", "poder_orgao": pos})


def _converter(arq: _Arquivo, contas_estagio, pcasp, proximo, anterior_carregado, partes, problemas, avisos,
               fora_catalogo) -> dict:
    """Confere as linhas de um arquivo e acrescenta às ``partes`` de cada tabela canônica as linhas dele, em códigos
    (os textos distintos em listas; cada linha aponta para eles). Tudo o que é por valor (formato, catálogo,
    classificação) é feito uma vez por valor distinto e levado às linhas pelos índices."""
    n = arq.n
    nome = str(arq.caminho)

    vazia = np.zeros(n, dtype=bool)

    def problema(mascara, coluna, valores, mensagem):
        if not mascara.any():
            return
        for pos in np.flatnonzero(mascara & ~vazia)[:200]:
            v = valores[int(pos)]
            v = v.as_py() if hasattr(v, "as_py") else v
            problemas.append({"arquivo": nome, "linha": int(arq.linha[pos]), "coluna": coluna, "valor": v,
                              "mensagem": mensagem(v) if callable(mensagem) else mensagem})

    # linhas vazias: um problema só, em vez de um por coluna
    cidx, contas = arq.codificada("conta")
    bruto = arq.col("valor", aparar=False)
    if "" in contas:
        vazia = (cidx == contas.index("")) & pc.equal(bruto, "").to_numpy(zero_copy_only=False)
        for pos in np.flatnonzero(vazia)[:200]:
            problemas.append({"arquivo": nome, "linha": int(arq.linha[pos]), "coluna": "", "valor": "",
                              "mensagem": "linha vazia no meio do arquivo"})
    # valor: ponto decimal (aceita vírgula), não negativo
    txt = bruto
    so_decimais = bool(n) and _so_digitos_e_ponto(bruto)
    if n and not so_decimais and pc.any(pc.match_substring(bruto, ",")).as_py():
        txt = pc.if_else(pc.match_substring(bruto, ","),
                         pc.replace_substring(pc.replace_substring(bruto, ".", ""), ",", "."), bruto)
    try:
        valor = pc.cast(txt, pa.float64()).to_numpy(zero_copy_only=False)
        ok_num = np.isfinite(valor) & (valor >= 0)
        if not ok_num.all() or n and not so_decimais and \
                not pc.all(pc.match_substring_regex(txt, r"^\s*\d+(\.\d+)?\s*$")).as_py():
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
    if not ok_num.all() or grande.any():
        ok_num &= ~grande
        valor = np.where(ok_num, valor, 0.0)
    del txt, bruto
    # tipo de valor e natureza (pelo dicionário de valores distintos)
    tipo_idx = _codificar(arq, "tipo_valor", {t: j for j, t in enumerate(TIPOS_VALOR)}, str.lower)
    problema(tipo_idx < 0, "TipoValor", _Indexado(*reversed(arq.aparada("tipo_valor"))),
             "TipoValor deve ser beginning_balance, period_change ou ending_balance")
    nat_idx = _codificar(arq, "natureza", {"D": 0, "C": 1}, str.upper)
    debito = nat_idx == 0
    problema(nat_idx < 0, "NaturezaValor", _Indexado(*reversed(arq.aparada("natureza"))),
             "NaturezaValor deve ser D ou C")
    # contas: dicionário das contas distintas → tabela, estágio e natureza do estágio
    formato_ruim = np.array([not re.fullmatch(r"\d{9}", c) for c in contas], dtype=bool)
    fora_pcasp = np.array([(not f) and c not in pcasp for c, f in zip(contas, formato_ruim)], dtype=bool)
    conta_arr = _Indexado(contas, cidx)
    problema(formato_ruim[cidx] if n else np.zeros(0, bool), "ContaContabil", conta_arr,
             lambda v: f"conta contábil '{trecho(v, 40)}' inválida: esperado 9 dígitos sem pontos (ex.: 622130400)")
    classes = [_familia(c, contas_estagio) for c in contas]
    bloqueadas = np.zeros(len(contas), dtype=bool)
    por_conta = np.bincount(cidx, minlength=len(contas)) if n else np.zeros(len(contas), np.int64)
    # na ordem em que as contas aparecem no arquivo
    for j in sorted(np.flatnonzero(fora_pcasp), key=lambda j: _primeira_ocorrencia(cidx, j)):
        c = contas[j]
        anc = _ancestral(c, pcasp)
        usada = classes[j][0] != ""
        if usada and (anc is None or _familia(anc, contas_estagio)[:2] != classes[j][:2]):
            bloqueadas[j] = True
        fora_catalogo.append({"arquivo": Path(nome).name, "conta": c, "ancestral": anc or "",
                              "natureza_ancestral": pcasp.get(anc, "") if anc else "",
                              "tabela": classes[j][0], "estagio": classes[j][1], "usada": usada and not bloqueadas[j],
                              "linhas": int(por_conta[j]), "primeira_linha": int(arq.linha[_primeira_ocorrencia(cidx, j)])})
    problema(bloqueadas[cidx] if n else np.zeros(0, bool), "ContaContabil", conta_arr,
             lambda v: f"conta {v} não existe no PCASP de {arq.ano} (regras/comum/pcasp_contas.csv) e cai numa família "
                       "de contas usada pelas regras, mas nenhuma conta superior conhecida do catálogo está na mesma "
                       "família: a natureza e o estágio não podem ser deduzidos")
    if fora_pcasp.any():
        desc = sorted(c for c, f in zip(contas, fora_pcasp) if f)
        avisos.append(f"{Path(nome).name}: {len(desc)} conta(s) fora do PCASP de {arq.ano} (as usadas pelas regras "
                      "seguem a conta superior conhecida; veja a crítica PCA01): " + ", ".join(desc[:10])
                      + (", …" if len(desc) > 10 else ""))
    tab_dic = np.array([modelo.TABELAS.index(c[0]) if c[0] else -1 for c in classes] or [-1], dtype=np.int8)
    est_dic = [c[1] for c in classes] or [""]
    deb_dic = np.array([c[2] == "D" for c in classes] or [False], dtype=bool)
    tab_arr = tab_dic[cidx]
    assinado = np.where(debito == deb_dic[cidx], valor, -valor)
    ics = _por_tipo(arq, problemas)
    chave_ics = _codigos([ics[t] for t in TIPOS_IC], cidx)
    _conferir_chaves(arq, chave_ics, tipo_idx, nat_idx, problemas)
    _conferir_saldos(arq, chave_ics, cidx, contas, tipo_idx, debito, valor, avisos)
    del chave_ics
    no_escopo = tab_arr >= 0
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
    # FR: só os dígitos, os 4 primeiros no código (o original fica em fr_original)
    fr_idx, fr_valores = ics["FR"]
    fr_dic = pa.array(fr_valores, pa.string())
    fr_dig = fr_dic
    if not pc.all(pc.or_(pc.utf8_is_digit(fr_dig), pc.equal(fr_dig, ""))).as_py():
        fr_dig = pc.replace_substring_regex(fr_dig, r"\D", "")
    fr_curto = pc.utf8_slice_codeunits(fr_dig, 0, 4).to_pylist()
    tam_fr = pc.utf8_length(fr_dig).to_numpy(zero_copy_only=False)
    ruim_fr_dic = (tam_fr < 4) & (tam_fr > 0)
    if ruim_fr_dic.any():
        problema(ruim_fr_dic[fr_idx] & no_escopo, "FR", _Indexado(fr_valores, fr_idx),
                 "fonte de recursos (FR) deve ter ao menos 4 dígitos (ex.: 1500)")
    po_idx, po_valores = ics["PO"]
    entidade = (po_idx, [arq.ente if p == "" else p for p in po_valores])
    for tabela in modelo.TABELAS:
        m_tab = tab_arr == modelo.TABELAS.index(tabela)
        if not m_tab.any():
            continue
        chaves = modelo.CHAVES[tabela]
        for c in chaves:
            if c in _FORMATOS_IC:
                codigos, valores = ics[c.upper()]
                v = pa.array(valores, pa.string())
                tam = pc.utf8_length(v)
                ok = pc.or_(pc.equal(tam, 0), pc.and_(pc.equal(tam, _FORMATOS_IC[c]), pc.utf8_is_digit(v)))
                ok = ok.to_numpy(zero_copy_only=False)
                if not ok.all():
                    problema(m_tab & ~ok[codigos], c.upper(), _Indexado(valores, codigos),
                             f"{c.upper()} deve ter {_FORMATOS_IC[c]} dígitos")
        selecoes = [(np.flatnonzero(mascara & m_tab), mes_destino, fator) for mascara, mes_destino, fator in blocos]
        selecoes = [x for x in selecoes if len(x[0])]
        if not selecoes:
            continue
        sel = np.concatenate([x[0] for x in selecoes])
        texto = {"entidade": (entidade[0][sel], entidade[1])}
        for c in chaves:
            codigos, valores = ics[c.upper()]
            texto[c] = (codigos[sel], fr_curto if c == "fr" else valores)
        if "fr" in chaves:
            texto["fr_original"] = (texto["fr"][0], fr_valores)
        texto["estagio"] = (cidx[sel], est_dic)
        partes[tabela].append({
            "n": len(sel), "texto": texto, "arquivo": arq.caminho.name,
            "mes": np.concatenate([np.full(len(x[0]), x[1], dtype=np.int8) for x in selecoes]),
            "valor": assinado[sel] * np.concatenate([np.full(len(x[0]), x[2]) for x in selecoes]),
            "linha": arq.linha[sel],
        })
    return {
        "arquivo": arq.caminho.name, "ente": arq.ente, "periodo": f"{arq.ano}-{arq.mes:02d}",
        "codificacao": arq.codificacao, "linhas_de_dados": n,
        "linhas_usadas": int((no_escopo & (tipo_idx != 1)).sum()),
        "linhas_conferencia": int((no_escopo & (tipo_idx == 1)).sum()),
        "linhas_fora_do_escopo": int((~no_escopo).sum()),
        "linhas_rejeitadas": 0,
        "contas_fora_do_catalogo": int(fora_pcasp.sum()),
    }


_DIGITO_OU_PONTO = np.zeros(256, dtype=bool)
_DIGITO_OU_PONTO[ord("0"):ord("9") + 1] = True
_DIGITO_OU_PONTO[ord(".")] = True


def _so_digitos_e_ponto(a: pa.Array) -> bool:
    """Todo valor só tem dígitos e pontos, começa e termina com dígito (olhando os bytes do texto, sem expressão
    regular). Com a conversão em float dando certo (que recusa dois pontos e o vazio), é o ``^\\d+(\\.\\d+)?$``."""
    if a.null_count or not pa.types.is_string(a.type):
        return False
    _, posicoes, dados = a.buffers()
    if dados is None:
        return False
    pos = np.frombuffer(posicoes, dtype=np.int32, count=len(a) + 1, offset=a.offset * 4)
    b = np.frombuffer(dados, dtype=np.uint8)
    if not (pos[1:] > pos[:-1]).all():
        return False
    return bool(_DIGITO_OU_PONTO[b[pos[0]:pos[-1]]].all()) and bool(_DIGITO_OU_PONTO[b[pos[:-1]]].all()) \
        and bool(_DIGITO_OU_PONTO[b[pos[1:] - 1]].all()) and not (b[pos[:-1]] == ord(".")).any() \
        and not (b[pos[1:] - 1] == ord(".")).any()


def _codificar(arq: "_Arquivo", nome: str, codigos: dict[str, int], normalizar) -> np.ndarray:
    """Código inteiro de cada linha (−1 quando o valor não está em ``codigos``), via dicionário."""
    idx, dicionario = arq.codificada(nome)
    mapa = np.array([codigos.get(normalizar(v), -1) for v in dicionario] or [-1], dtype=np.int8)
    return mapa[idx] if arq.n else np.zeros(0, np.int8)


class _Indexado:
    """Acesso por posição a ``valores[indices[i]]`` sem materializar a coluna inteira."""

    def __init__(self, valores, indices):
        self.valores, self.indices = valores, indices

    def __getitem__(self, i):
        return self.valores[self.indices[i]]


def _codigos(partes, base: np.ndarray) -> np.ndarray:
    """Um código inteiro por linha para a combinação de ``base`` (inteiros) com as ``partes`` (pares códigos +
    valores distintos, um código por valor, ou inteiros do numpy): índices em base mista, refatorados quando
    crescem. Linhas com a mesma combinação têm o mesmo código (0, 1, 2… na ordem em que aparecem)."""
    chave = base.astype(np.int64)
    produto = int(chave.max()) + 1 if len(chave) else 1
    for parte in partes:
        if isinstance(parte, np.ndarray):
            idx = parte.astype(np.int64) + 1
            card = int(idx.max()) + 1 if len(idx) else 1
        else:
            idx, valores = parte
            card = len(valores)
        if card <= 1:
            continue
        if produto * card > (1 << 62):
            chave, unicos = pd.factorize(chave)
            chave = chave.astype(np.int64)
            produto = len(unicos)
        chave = chave * card + idx
        produto *= card
    return pd.factorize(chave)[0]


def _conferir_chaves(arq, chave_ics, tipo_idx, nat_idx, problemas) -> None:
    """Chave repetida é erro, como no SICONFI, que recusa a matriz: a mesma conta com as mesmas informações
    complementares (por tipo, em qualquer posição), o mesmo TipoValor e a mesma NaturezaValor em duas linhas.
    Somar as duas inventaria saldo; escolher uma delas, também. (Uma passada de hash sobre o código da conta + ICs.)"""
    if arq.n < 2:
        return
    fina = chave_ics.astype(np.int64) * 12 + (tipo_idx.astype(np.int64) + 1) * 3 + (nat_idx + 1)
    vistas = np.zeros(int(fina.max()) + 1, dtype=bool)
    vistas[fina] = True
    if int(np.count_nonzero(vistas)) == arq.n:
        return  # tantas combinações quanto linhas: nenhuma repetida
    del fina, vistas
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
