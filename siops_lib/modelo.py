"""Modelo canônico: o conjunto de tabelas que todo leitor produz e todo quadro consome.

Tabelas (todas "tidy", uma linha por valor, formato longo com a coluna ``estagio``):

- ``entidades``: entidade, nome, tipo, administracao (direta/indireta), poder_orgao (PO da MSC).
- ``receitas``: entidade, mes, nr, fr, fr_original, co, estagio, valor.
- ``despesas``: entidade, mes, fs, nd, fr, fr_original, co, estagio, valor (dotação e estágios da execução) e,
  opcional, ``item_siops``: o item do plano de despesas do SIOPS (10 dígitos) escolhido na aba elementos das
  equivalências para o elemento local; a ND continua valendo para o Anexo 12, e o quadro de despesas do SIOPS usa
  o item antes do prefixo da ND (o mesmo vale para ``consorcios``).
- ``restos_a_pagar``: entidade, mes, ai, fs, nd, fr, fr_original, co, estagio, valor
  (estágios ``rpnp_*`` = não processados, ``rpp_*`` = processados: inscritos, pagos, cancelados…).
- ``disponibilidades``: entidade, mes, fr, fr_original, co, estagio, valor (caixa e DDR por fonte + CO).
- ``consorcios``: entidade, mes, ai, fs, nd, fr, fr_original, co, estagio, valor (contrato de rateio:
  dotação 7.5.3.1, execução 8.5.3.2, RP 7.5.3.3/4 e 8.5.3.3/4).

Convenções:
- Códigos nacionais são texto só com dígitos: NR 8, ND 8 (categoria, grupo, modalidade, elemento,
  desdobramento), FS 5 (função + subfunção), FR 4 (o código original com complemento fica em
  ``fr_original``), CO 4, AI 4. Código ausente = "".
- ``mes`` 0 a 12: ``valor`` é o movimento do mês; o mês 0 guarda o saldo de abertura do exercício
  (restos a pagar, por exemplo). O acumulado "até o mês M" é a soma de ``mes <= M``.
- ``valor`` é positivo na natureza normal do estágio (catálogo ``estagios_pcasp``): uma dedução
  positiva reduz a receita; as colunas do Anexo 12 aplicam o sinal do catálogo ``anexo12_colunas``.
- ``arquivo`` e ``linha`` apontam para a origem de cada linha (drill-down).
"""
from __future__ import annotations

import threading
from dataclasses import dataclass, field, fields
from functools import cache

import pandas as pd

from .erros import ErroSiops, trecho

CHAVES = {
    "receitas": ["nr", "fr", "co"],
    "despesas": ["fs", "nd", "fr", "co"],
    "restos_a_pagar": ["ai", "fs", "nd", "fr", "co"],
    "disponibilidades": ["fr", "co"],
    "consorcios": ["ai", "fs", "nd", "fr", "co"],
}
TABELAS = list(CHAVES)
OPCIONAIS = {"despesas": ["item_siops"], "consorcios": ["item_siops"]}
"""Colunas que só alguns leitores dão (o layout próprio, com a aba elementos): ``item_siops`` = "" ou 10 dígitos."""
COMUNS_INICIO = ["entidade", "mes"]
COMUNS_FIM = ["estagio", "valor", "arquivo", "linha"]


def colunas(tabela: str) -> list[str]:
    """Colunas, em ordem, da tabela canônica."""
    extra = ["fr_original"] if "fr" in CHAVES[tabela] else []
    return COMUNS_INICIO + CHAVES[tabela] + extra + COMUNS_FIM


COLUNAS_ENTIDADES = ["entidade", "nome", "tipo", "administracao", "poder_orgao"]
COLUNAS_CONTAS_FORA_DO_CATALOGO = ["arquivo", "conta", "ancestral", "natureza_ancestral", "tabela", "estagio", "usada",
                                   "linhas", "primeira_linha"]
"""Contas da MSC que o PCASP do exercício não tem (``leitura.msc``): a conta superior conhecida mais próxima e
sua natureza; ``tabela``/``estagio`` da família das regras ("" fora delas); ``usada``: entra nos quadros."""

_FORMATO = {
    "nr": r"^(\d{8})?$",
    "nd": r"^(\d{8})?$",
    "fs": r"^(\d{5})?$",
    "fr": r"^(\d{4})?$",
    "co": r"^(\d{4})?$",
    "ai": r"^(\d{4})?$",
    "item_siops": r"^(\d{10})?$",
}


def _schema(tabela: str):
    import pandera.pandas as pa

    cols = {
        "entidade": pa.Column(str, pa.Check.str_length(min_value=1)),
        "mes": pa.Column(int, pa.Check.in_range(0, 13)),
        "fr_original": pa.Column(str, required=False),
        "estagio": pa.Column(str),
        "valor": pa.Column(float, pa.Check(lambda s: s.notna(), error="valor ausente")),
        "arquivo": pa.Column(str),
        "linha": pa.Column(int),
    }
    for c in CHAVES[tabela]:
        cols[c] = pa.Column(str, pa.Check.str_matches(_FORMATO[c]), nullable=False)
    for c in OPCIONAIS.get(tabela, []):
        cols[c] = pa.Column(str, pa.Check.str_matches(_FORMATO[c]), nullable=False, required=False)
    return pa.DataFrameSchema(cols, strict=True, coerce=True, name=tabela)


@cache
def esquemas():
    """(esquema de cada tabela canônica, esquema das entidades), montados na primeira validação: o pandera só é
    importado por quem valida (o leitor da MSC e a linha de comando não pagam a importação)."""
    import pandera.pandas as pa

    entidades = pa.DataFrameSchema(
        {
            "entidade": pa.Column(str, pa.Check.str_length(min_value=1), unique=True),
            "nome": pa.Column(str),
            "tipo": pa.Column(str),
            "administracao": pa.Column(str, pa.Check.isin(["direta", "indireta", ""])),
            "poder_orgao": pa.Column(str),
        },
        strict=True,
        coerce=True,
        name="entidades",
    )
    return {t: _schema(t) for t in TABELAS}, entidades


def vazia(tabela: str) -> pd.DataFrame:
    """Tabela canônica vazia com os tipos certos."""
    df = pd.DataFrame({c: pd.Series(dtype=str) for c in colunas(tabela)})
    df["mes"] = df["mes"].astype(int)
    df["valor"] = df["valor"].astype(float)
    df["linha"] = df["linha"].astype(int)
    return df


@dataclass
class Dados:
    """Dados canônicos de um município num exercício, com a cobertura de meses."""

    exercicio: int
    municipio: str = ""
    codigo_ibge: str = ""
    entidades: pd.DataFrame = field(default_factory=lambda: pd.DataFrame(columns=COLUNAS_ENTIDADES))
    receitas: pd.DataFrame = field(default_factory=lambda: vazia("receitas"))
    despesas: pd.DataFrame = field(default_factory=lambda: vazia("despesas"))
    restos_a_pagar: pd.DataFrame = field(default_factory=lambda: vazia("restos_a_pagar"))
    disponibilidades: pd.DataFrame = field(default_factory=lambda: vazia("disponibilidades"))
    consorcios: pd.DataFrame = field(default_factory=lambda: vazia("consorcios"))
    historico: pd.DataFrame = field(default_factory=lambda: pd.DataFrame(columns=["exercicio", "campo", "valor"]))
    """Valores de demonstrativos anteriores (quadros D, E e F): exercicio, campo, valor."""
    meses: frozenset[int] = frozenset(range(13))
    origem: str = ""
    leitura: pd.DataFrame = field(default_factory=pd.DataFrame)
    avisos: list[str] = field(default_factory=list)
    pendencias: pd.DataFrame = field(default_factory=pd.DataFrame)
    """Códigos locais com valor e sem equivalência confirmada (só na leitura forçada)."""
    contas_fora_do_catalogo: pd.DataFrame = field(
        default_factory=lambda: pd.DataFrame(columns=COLUNAS_CONTAS_FORA_DO_CATALOGO))
    """Contas da MSC fora do PCASP do exercício (a crítica PCA01 aponta as usadas pelas regras)."""
    forcado: bool = False
    """True quando os dados foram lidos apesar de pendências de equivalência."""
    decisoes_asps: pd.DataFrame | None = None
    """Decisões ASPS confirmadas aplicadas na leitura da MSC (``--equivalencias``): colunas ``entidade``, ``fs``;
    a crítica ASP01 não aponta as despesas já decididas (``computar`` ou ``nao_computar``)."""

    def tabela(self, nome: str) -> pd.DataFrame:
        return getattr(self, nome)

    # ---- tabelas codificadas (montadas como DataFrame só quando pedidas) ----------------------------------
    def adiar(self, nome: str, codificada) -> None:
        """Guarda a tabela ``nome`` na forma codificada (``motor.codificada.TabelaCodificada``): o ``DataFrame``
        só é montado no primeiro acesso a ``dados.<nome>``; até lá, ``codificada(nome)`` a devolve."""
        self.__dict__.pop(nome, None)
        self.__dict__.setdefault("_codificadas", {})[nome] = codificada

    def codificada(self, nome: str):
        """A forma codificada da tabela, enquanto o ``DataFrame`` não foi montado (depois dele, ``None``: quem mexe
        no ``DataFrame`` o faz no próprio objeto, e a forma codificada deixaria de ser a mesma tabela)."""
        if nome in self.__dict__:
            return None
        return (self.__dict__.get("_codificadas") or {}).get(nome)

    def __getattr__(self, nome):
        # só chamado quando o atributo não está no objeto: uma tabela ainda codificada
        adiadas = self.__dict__.get("_codificadas")
        if not adiadas or nome not in adiadas:
            raise AttributeError(f"'{type(self).__name__}' não tem o atributo '{nome}'")
        with _MONTAGEM:
            if nome not in self.__dict__:
                self.__dict__[nome] = adiadas[nome].materializar()
            adiadas.pop(nome, None)
        return self.__dict__[nome]

    def __setattr__(self, nome, valor):
        adiadas = self.__dict__.get("_codificadas")
        if adiadas:
            adiadas.pop(nome, None)
        object.__setattr__(self, nome, valor)

    def resumo_da_leitura(self) -> list[str]:
        """Uma linha em português por arquivo lido: quantas linhas de dados, quantas usadas, de conferência, fora
        do escopo, sem valor e rejeitadas, e por quê (contas fora do catálogo, linhas idênticas). A soma das partes
        é sempre o total (nenhuma linha some)."""
        from .formatos import numero_br

        def n(v) -> str:
            return numero_br(int(v), 0)

        saida = []
        for r in self.leitura.to_dict("records"):
            partes = [f"{n(r.get('linhas_usadas', 0))} usadas"]
            for chave, rotulo in (("linhas_conferencia", "de conferência (period_change)"),
                                  ("linhas_fora_do_escopo", "fora do escopo (contas que nenhuma regra usa)"),
                                  ("linhas_sem_valor_descartadas", "sem valor"), ("linhas_rejeitadas", "rejeitadas")):
                if chave in r:
                    partes.append(f"{n(r[chave])} {rotulo}")
            extras = []
            if r.get("contas_fora_do_catalogo"):
                extras.append(f"{n(r['contas_fora_do_catalogo'])} conta(s) fora do PCASP do exercício")
            if r.get("linhas_repetidas"):
                extras.append(f"{n(r['linhas_repetidas'])} linha(s) idênticas a outra, somadas")
            saida.append(f"{r.get('arquivo', '')}: {n(r.get('linhas_de_dados', 0))} linha(s) de dados = "
                         + " + ".join(partes) + (f" ({'; '.join(extras)})" if extras else ""))
        return saida

    def copia(self) -> "Dados":
        """Cópia independente: tabelas, listas e metadados novos (o original não muda se a cópia mudar).

        As tabelas são cópias preguiçosas do pandas (copy-on-write: a primeira alteração de um lado copia os dados;
        o outro não muda); as ainda codificadas seguem codificadas (a forma codificada não muda nunca)."""
        novo = Dados(**{f.name: self.__dict__[f.name] for f in fields(self) if f.name in self.__dict__})
        for nome, cod in (self.__dict__.get("_codificadas") or {}).items():
            if nome not in self.__dict__:
                novo.adiar(nome, cod)
        for nome, v in self.__dict__.items():
            if isinstance(v, pd.DataFrame):
                setattr(novo, nome, v.copy(deep=False))
            elif isinstance(v, list):
                setattr(novo, nome, list(v))
        return novo

    def filtrar_entidades(self, entidades: list[str] | None) -> "Dados":
        """Cópia só com as entidades pedidas (None = todas, isto é, consolidado)."""
        if not entidades:
            return self.copia()
        desconhecidas = sorted(set(entidades) - set(self.entidades["entidade"]))
        if desconhecidas:
            raise ErroSiops(
                f"entidade(s) desconhecida(s): {', '.join(desconhecidas)}. Entidades disponíveis: "
                + ", ".join(self.entidades["entidade"])
            )
        novo = self.copia()
        novo.entidades = self.entidades[self.entidades["entidade"].isin(entidades)].reset_index(drop=True)
        for t in TABELAS:
            cod = self.codificada(t)
            if cod is not None:
                novo.adiar(t, cod.filtrar("entidade", entidades))
                continue
            df = self.tabela(t)
            setattr(novo, t, df[df["entidade"].isin(entidades)].reset_index(drop=True))
        return novo

    def validar(self) -> "Dados":
        """Confere os esquemas de todas as tabelas; levanta ErroSiops com a lista de problemas."""
        from pandera.errors import SchemaErrors

        por_tabela, de_entidades = esquemas()
        registros = []
        for t in TABELAS:
            try:
                setattr(self, t, por_tabela[t].validate(self.tabela(t), lazy=True))
            except SchemaErrors as e:
                registros.extend(_problemas_pandera(t, e, self.tabela(t)))
        try:
            self.entidades = de_entidades.validate(self.entidades, lazy=True)
        except SchemaErrors as e:
            registros.extend(_problemas_pandera("entidades", e, self.entidades))
        if registros:
            from .erros import tabela_problemas

            raise ErroSiops(
                f"{len(registros)} problema(s) no modelo canônico", problemas=tabela_problemas(registros)
            )
        return self


_MONTAGEM = threading.Lock()
"""Uma tabela codificada é montada como ``DataFrame`` uma vez só, mesmo com dois acessos ao mesmo tempo."""

_VERIFICACOES = {
    "field_uniqueness": "repetido: o valor deve ser único",
    "str_matches": "fora do formato (códigos só com dígitos, na largura do código)",
    "str_length": "vazio: o campo é obrigatório",
    "in_range": "fora do intervalo permitido",
    "isin": "não é um dos valores permitidos",
    "column_in_dataframe": "ausente: a coluna é obrigatória",
    "column_in_schema": "não faz parte da tabela",
    "dtype": "de tipo errado",
    "not_nullable": "vazio: o campo é obrigatório",
    "coerce_dtype": "de tipo errado",
}
"""Verificações do esquema (pandera) explicadas em português."""


def _problemas_pandera(tabela: str, erro, df: pd.DataFrame) -> list[dict]:
    saida = []
    fc = erro.failure_cases
    for _, r in fc.head(200).iterrows():
        idx = r.get("index")
        arquivo, linha = "", None
        if idx is not None and pd.notna(idx) and "arquivo" in df.columns and idx in df.index:
            arquivo = df.at[idx, "arquivo"]
            linha = int(df.at[idx, "linha"])
        verificacao = str(r.get("check"))
        explicacao = next((texto for chave, texto in _VERIFICACOES.items() if verificacao.startswith(chave)),
                          f"não atende '{verificacao}'")
        saida.append(
            {
                "arquivo": arquivo or f"{tabela} (modelo canônico)",
                "linha": linha,
                "coluna": r.get("column"),
                "valor": trecho(r.get("failure_case")),
                "mensagem": f"tabela {tabela}, coluna '{r.get('column')}': valor '{trecho(r.get('failure_case'))}' "
                            f"{explicacao}",
            }
        )
    return saida
