"""Os municípios da pasta de dados do servidor e os cálculos que a API, o aplicativo e o portal compartilham.

Pasta de dados (``siops servidor --dados PASTA``)::

    PASTA/
      municipios/
        <IBGE7>/                 um município: o código IBGE, exatamente 7 dígitos
          municipio.csv …        layout próprio (docs/layout_proprio.md), com configuracao.toml (opcional)
          msc/
            <AAAA>/              MSC do exercício AAAA: os arquivos CSV mensais do SICONFI (enviados pela API)
              *.csv
      .publico/
        <IBGE7>/<AAAA>/          dados abertos do portal, gerados sob demanda (cache: pode ser apagado)

Um município pode ter só o layout próprio, só a MSC (de um ou mais exercícios) ou os dois. Para o exercício
pedido vale a MSC de ``msc/<AAAA>/`` quando a pasta tem arquivos; senão, o layout próprio, se o ``exercicio`` do
seu ``municipio.csv`` for o pedido. Os parâmetros do cálculo vêm, no layout próprio, do ``configuracao.toml`` da
pasta (precedência configuração > padrão, como ``siops … --dados PASTA``; docs/configuracao.md); na MSC valem os
padrões (como ``siops … --msc PASTA`` sem ``--config``).

``PASTA`` também pode ser ela mesma uma pasta do layout próprio (tem ``municipio.csv`` com ``codigo_ibge``):
então esse é o único município, a MSC enviada fica em ``PASTA/msc/<AAAA>/`` e o cache do portal em
``PASTA/.publico/``.

Nenhum caminho é montado com texto vindo de fora sem conferência: o código IBGE tem de ter exatamente 7
algarismos e o exercício, 4 (qualquer outra coisa, como ``../x``, é ``ErroSiops``).

Cache: os dados lidos ficam na memória, chaveados pelo SHA-256 de cada arquivo de entrada (e da configuração)
e pela assinatura das regras — um arquivo alterado ou enviado muda a chave e nada velho é usado; o SHA-256 só é
recalculado quando o tamanho ou a data de um arquivo mudam. O Anexo 12, os quadros de controle, os indicadores e
os dados abertos de cada bimestre ficam em cache pela mesma chave.

Concorrência: o servidor atende várias requisições ao mesmo tempo (em threads). Os caches desta classe e os
cálculos da biblioteca (cujos caches de regras são do processo) ficam sob uma trava única do processo; um pedido
já em cache só espera o fim de um cálculo em andamento.
"""
from __future__ import annotations

import csv
import hashlib
import json
import os
import re
import threading
from collections import OrderedDict
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from ..erros import ErroSiops

PASTA_MUNICIPIOS = "municipios"
PASTA_MSC = "msc"
PASTA_PUBLICO = ".publico"
ARQUIVO_MUNICIPIO = "municipio.csv"
ARQUIVO_CONFIGURACAO = "configuracao.toml"
CARIMBO = ".carimbo.json"
"""Na pasta de uma publicação: de que entradas e de que bimestre ela foi gerada (arquivo oculto, não publicado)."""

FONTE_MSC = "MSC"
FONTE_LAYOUT = "layout próprio"
BIMESTRES = range(1, 7)

_IBGE = re.compile(r"[0-9]{7}")
_ANO = re.compile(r"[1-9][0-9]{3}")

_TRAVA = threading.RLock()
"""Trava do processo: caches desta classe e cálculos da biblioteca (``siops_lib.regras`` guarda caches globais)."""
TRAVA = _TRAVA
"""A mesma trava, para quem roda outros cálculos da biblioteca no servidor (reentrante)."""


class NaoEncontrado(ErroSiops):
    """O município ou o exercício pedido não existe na pasta de dados (o portal responde 404)."""


def validar_ibge(ibge) -> str:
    """O código IBGE como texto de exatamente 7 algarismos (0-9); qualquer outra coisa é ``ErroSiops``."""
    texto = ibge if isinstance(ibge, str) else (str(ibge) if isinstance(ibge, int) and not isinstance(ibge, bool)
                                                else "")
    if not _IBGE.fullmatch(texto):
        mostrar = repr(ibge)[:40]
        raise ErroSiops(f"código IBGE inválido: {mostrar} (use os 7 algarismos do município, ex.: 3106200)")
    return texto


def validar_exercicio(exercicio) -> int:
    """O exercício como inteiro de 4 algarismos (aceita ``2024`` ou ``"2024"``); senão, ``ErroSiops``."""
    if isinstance(exercicio, int) and not isinstance(exercicio, bool):
        texto = str(exercicio)
    else:
        texto = exercicio if isinstance(exercicio, str) else ""
    if not _ANO.fullmatch(texto):
        raise ErroSiops(f"exercício inválido: {repr(exercicio)[:40]} (use o ano com 4 algarismos, ex.: 2024)")
    return int(texto)


@dataclass(frozen=True)
class Publicacao:
    """Os dados abertos de um município e exercício (o bimestre mais recente), gravados em ``pasta``."""

    ibge: str
    exercicio: int
    bimestre: int
    pasta: Path
    arquivos: tuple[str, ...]
    """Nomes dos arquivos publicados (os de ``dados_abertos.exportar``), em ordem."""

    def caminho(self, nome: str) -> Path | None:
        """O arquivo ``nome`` se ele é um dos publicados e existe; senão ``None`` (nunca sai da pasta)."""
        if not isinstance(nome, str) or nome not in self.arquivos:
            return None
        caminho = self.pasta / nome
        if caminho.resolve().parent != self.pasta.resolve() or not caminho.is_file():
            return None
        return caminho


@dataclass
class _Carga:
    """Os dados de um município e exercício, com a configuração aplicada, e o que os identifica."""

    ibge: str
    exercicio: int
    fonte: str
    pasta: Path
    dados: object
    resolucao: object
    parametros: object
    digitais: tuple[tuple[str, str, int], ...]
    chave: tuple


class Municipios:
    """Os municípios de uma pasta de dados do servidor (ver o docstring do módulo) e os seus cálculos em cache."""

    def __init__(self, raiz: Path, max_em_memoria: int = 8):
        self.raiz = Path(raiz)
        self.max_em_memoria = max(1, int(max_em_memoria))
        self._cargas: OrderedDict[tuple[str, int], tuple[tuple, _Carga]] = OrderedDict()
        self._derivados: OrderedDict[tuple, object] = OrderedDict()
        self._sha: dict[tuple, str] = {}
        self._campos: dict[str, tuple[tuple, dict]] = {}

    # ------------------------------------------------------------------------------------------ pastas

    def _ler_municipio_csv(self, pasta: Path) -> dict[str, str]:
        """Campos de ``municipio.csv`` (campo → valor), lidos só quando o arquivo muda; ``{}`` se ilegível."""
        caminho = pasta / ARQUIVO_MUNICIPIO
        try:
            st = caminho.stat()
        except OSError:
            return {}
        estado = (st.st_size, st.st_mtime_ns)
        with _TRAVA:
            guardado = self._campos.get(str(caminho))
            if guardado and guardado[0] == estado:
                return guardado[1]
        campos: dict[str, str] = {}
        try:
            from ..leitura.texto import decodificar, detectar_separador, ler_bytes

            texto, _ = decodificar(ler_bytes(caminho), caminho)
            linhas = texto.splitlines()
            if linhas:
                leitor = csv.reader(linhas, delimiter=detectar_separador(linhas[0]))
                cab = [c.strip().lower() for c in next(leitor, [])]
                if "campo" in cab and "valor" in cab:
                    i, j = cab.index("campo"), cab.index("valor")
                    for r in leitor:
                        if len(r) > max(i, j) and r[i].strip():
                            campos[r[i].strip().lower()] = r[j].strip()
        except ErroSiops:
            campos = {}
        with _TRAVA:
            self._campos[str(caminho)] = (estado, campos)
        return campos

    def _unico(self) -> str | None:
        """Modo de pasta única: o IBGE do layout próprio que é a própria ``raiz`` (ou ``None``)."""
        ibge = self._ler_municipio_csv(self.raiz).get("codigo_ibge", "")
        return ibge if _IBGE.fullmatch(ibge) else None

    def pasta(self, ibge) -> Path:
        """A pasta do município (pode ainda não existir). IBGE inválido é ``ErroSiops``; na pasta única, outro
        município também."""
        ibge = validar_ibge(ibge)
        unico = self._unico()
        if unico is not None:
            if ibge != unico:
                raise NaoEncontrado(f"esta pasta de dados tem só o município {unico}, não o {ibge}")
            return self.raiz
        return self.raiz / PASTA_MUNICIPIOS / ibge

    def pasta_msc(self, ibge, exercicio) -> Path:
        """``<pasta do município>/msc/<AAAA>/``, criada se preciso (para receber os arquivos MSC enviados)."""
        destino = self.pasta(ibge) / PASTA_MSC / str(validar_exercicio(exercicio))
        try:
            destino.mkdir(parents=True, exist_ok=True)
        except OSError as e:
            raise ErroSiops(f"não foi possível criar a pasta da MSC ({e.strerror or e})",
                            arquivo=self._relativo(destino)) from None
        return destino

    def pasta_publico(self, ibge, exercicio) -> Path:
        """``PASTA/.publico/<IBGE>/<AAAA>/``: onde ficam os dados abertos gerados pelo portal."""
        return self.raiz / PASTA_PUBLICO / validar_ibge(ibge) / str(validar_exercicio(exercicio))

    def _relativo(self, caminho: Path) -> str:
        try:
            return Path(caminho).resolve().relative_to(self.raiz.resolve()).as_posix()
        except ValueError:
            return Path(caminho).name

    @staticmethod
    def _exercicios_msc(pasta: Path) -> list[int]:
        base = pasta / PASTA_MSC
        if not base.is_dir():
            return []
        saida = []
        for d in base.iterdir():
            if _ANO.fullmatch(d.name) and d.is_dir() and any(d.glob("*.csv")):
                saida.append(int(d.name))
        return sorted(saida)

    def _tem_layout(self, pasta: Path) -> bool:
        return (pasta / ARQUIVO_MUNICIPIO).is_file()

    def _exercicio_layout(self, pasta: Path) -> int | None:
        if not self._tem_layout(pasta):
            return None
        ano = self._ler_municipio_csv(pasta).get("exercicio", "")
        return int(ano) if _ANO.fullmatch(ano) else None

    def existe(self, ibge) -> bool:
        """O município está na pasta de dados (layout próprio ou MSC de algum exercício)? IBGE inválido: ``False``."""
        try:
            p = self.pasta(ibge)
        except ErroSiops:
            return False
        return p.is_dir() and (self._tem_layout(p) or bool(self._exercicios_msc(p)))

    def exercicios(self, ibge) -> list[int]:
        """Exercícios com dados (o do layout próprio e os das pastas MSC), em ordem crescente."""
        if not self.existe(ibge):
            return []
        p = self.pasta(ibge)
        anos = set(self._exercicios_msc(p))
        ano = self._exercicio_layout(p)
        if ano is not None:
            anos.add(ano)
        return sorted(anos)

    def nome(self, ibge) -> str:
        """Nome do município (``municipio.csv`` do layout próprio); vazio quando só há MSC."""
        if not self.existe(ibge):
            return ""
        return self._ler_municipio_csv(self.pasta(ibge)).get("nome", "")

    def listar(self) -> list[dict]:
        """Um registro por município: ``ibge``, ``nome`` (pode ser vazio) e ``exercicios`` (crescentes), em ordem
        de nome (os sem nome por último) e de código."""
        unico = self._unico()
        if unico is not None:
            codigos = [unico]
        else:
            base = self.raiz / PASTA_MUNICIPIOS
            codigos = sorted(d.name for d in base.iterdir() if _IBGE.fullmatch(d.name) and d.is_dir()) \
                if base.is_dir() else []
        saida = []
        for ibge in codigos:
            if self.existe(ibge):
                saida.append({"ibge": ibge, "nome": self.nome(ibge), "exercicios": self.exercicios(ibge)})
        return sorted(saida, key=lambda r: (not r["nome"], r["nome"].casefold(), r["ibge"]))

    # ------------------------------------------------------------------------------------------ dados

    def origem_dos_dados(self, ibge: str, exercicio: int) -> tuple[str, Path]:
        """(``FONTE_MSC`` ou ``FONTE_LAYOUT``, pasta) do exercício, sem ler os dados (quem gera o envio do bimestre
        lê a pasta no modo que precisar)."""
        return self._fonte(ibge, exercicio)

    def _fonte(self, ibge: str, exercicio: int) -> tuple[str, Path]:
        if not self.existe(ibge):
            raise NaoEncontrado(f"município {ibge} não encontrado na pasta de dados")
        p = self.pasta(ibge)
        msc = p / PASTA_MSC / str(exercicio)
        if msc.is_dir() and any(msc.glob("*.csv")):
            return FONTE_MSC, msc
        if self._exercicio_layout(p) == exercicio:
            return FONTE_LAYOUT, p
        anos = ", ".join(map(str, self.exercicios(ibge))) or "nenhum"
        raise NaoEncontrado(f"não há dados do exercício {exercicio} para o município {ibge} (exercícios com "
                            f"dados: {anos})")

    @staticmethod
    def _arquivos(fonte: str, pasta: Path) -> list[Path]:
        from ..relatorio import entradas

        if fonte == FONTE_MSC:
            return entradas.arquivos_msc([pasta])
        # a MSC enviada (msc/) mora dentro da pasta do layout próprio, mas não é entrada dele
        arquivos = [p for p in entradas.arquivos_de_entrada(dados=pasta)
                    if p.relative_to(pasta).parts[0] != PASTA_MSC]
        if (pasta / ARQUIVO_CONFIGURACAO).is_file():
            arquivos.append(pasta / ARQUIVO_CONFIGURACAO)
        return arquivos

    def _sha256(self, caminho: Path, estado: tuple) -> str:
        from ..relatorio.entradas import sha256

        chave = (str(caminho), *estado)
        if chave not in self._sha:
            if len(self._sha) > 4096:
                self._sha.clear()
            try:
                self._sha[chave] = sha256(caminho)
            except OSError as e:   # apagado ou trocado enquanto era lido
                raise ErroSiops(f"não foi possível ler o arquivo ({e.strerror or e}); tente de novo",
                                arquivo=self._relativo(caminho)) from None
        return self._sha[chave]

    def _carga(self, ibge, exercicio) -> _Carga:
        from .. import regras

        ibge, exercicio = validar_ibge(ibge), validar_exercicio(exercicio)
        with _TRAVA:
            fonte, pasta = self._fonte(ibge, exercicio)
            arquivos = self._arquivos(fonte, pasta)
            estados = []
            for p in arquivos:
                try:
                    st = p.stat()
                    estados.append((st.st_size, st.st_mtime_ns))
                except OSError:   # arquivo sumiu durante a listagem: a leitura dará a mensagem certa
                    estados.append((-1, -1))
            assinatura = regras.assinatura()
            estado = (fonte, str(pasta), tuple(zip(map(str, arquivos), estados)), assinatura)
            atual = self._cargas.get((ibge, exercicio))
            if atual is not None and atual[0] == estado:
                self._cargas.move_to_end((ibge, exercicio))
                return atual[1]
            base = pasta if fonte == FONTE_LAYOUT else None
            digitais = tuple((p.relative_to(base).as_posix() if base is not None else p.name,
                              self._sha256(p, e), e[0]) for p, e in zip(arquivos, estados))
            chave = (fonte, ibge, exercicio, tuple((n, h) for n, h, _ in digitais), assinatura)
            if atual is not None and atual[1].chave == chave:   # só a data mudou: o conteúdo é o mesmo
                carga = atual[1]
            else:
                carga = self._ler(ibge, exercicio, fonte, pasta, digitais, chave)
            self._cargas[(ibge, exercicio)] = (estado, carga)
            self._cargas.move_to_end((ibge, exercicio))
            while len(self._cargas) > self.max_em_memoria:
                self._cargas.popitem(last=False)
            return carga

    def _ler(self, ibge: str, exercicio: int, fonte: str, pasta: Path, digitais, chave) -> _Carga:
        from .. import configuracao
        from ..api import carregar

        if fonte == FONTE_LAYOUT:
            cfg = configuracao.ler(pasta=pasta)
            dados = carregar(dados=pasta)
        else:
            cfg = configuracao.vazia(configuracao.nota_sem_arquivo(None))
            dados = carregar(msc=[str(pasta)])
        dados = configuracao.aplicar(dados, cfg)
        onde = self._relativo(pasta)
        if int(dados.exercicio) != exercicio:
            raise ErroSiops(f"os dados de {onde} são do exercício {dados.exercicio}, não de {exercicio}")
        if dados.codigo_ibge and str(dados.codigo_ibge) != ibge:
            raise ErroSiops(f"os dados de {onde} são do município {dados.codigo_ibge}, não do {ibge}")
        resolucao = configuracao.resolver(cfg)
        parametros = resolucao.parametros.resolvido(dados.exercicio)
        return _Carga(ibge, exercicio, fonte, pasta, dados, resolucao, parametros, digitais, chave)

    def _derivado(self, carga: _Carga, nome: str, bimestre, calcular):
        chave = (carga.chave, nome, bimestre)
        with _TRAVA:
            if chave in self._derivados:
                self._derivados.move_to_end(chave)
                return self._derivados[chave]
            valor = calcular()
            self._derivados[chave] = valor
            while len(self._derivados) > 32 * self.max_em_memoria:
                self._derivados.popitem(last=False)
            return valor

    def dados(self, ibge, exercicio):
        """``siops_lib.modelo.Dados`` do município e exercício (cópia: alterá-la não muda o cache)."""
        return self._carga(ibge, exercicio).dados.copia()

    def fonte(self, ibge, exercicio) -> str:
        """De onde vêm os dados do exercício: ``FONTE_MSC`` ou ``FONTE_LAYOUT``."""
        return self._carga(ibge, exercicio).fonte

    def impressao(self, ibge, exercicio) -> list[tuple[str, str, int]]:
        """(arquivo, SHA-256, bytes) de cada arquivo de entrada (o layout próprio inclui ``configuracao.toml``)."""
        return list(self._carga(ibge, exercicio).digitais)

    def resolucao(self, ibge, exercicio):
        """``configuracao.Resolucao``: parâmetros, população, a origem de cada um e a configuração usada."""
        return self._carga(ibge, exercicio).resolucao

    def parametros(self, ibge, exercicio):
        """``anexo12.Parametros`` do município (percentual mínimo do exercício já preenchido)."""
        return self._carga(ibge, exercicio).parametros

    def bimestres_disponiveis(self, ibge, exercicio) -> list[int]:
        """Bimestres cujo último mês os dados cobrem (``2·b`` em ``dados.meses``)."""
        meses = self._carga(ibge, exercicio).dados.meses
        return [b for b in BIMESTRES if 2 * b in meses]

    def _anexo12(self, carga: _Carga, bimestre: int) -> pd.DataFrame:
        from ..periodo import periodo
        from ..quadros import anexo12

        per = periodo(bimestre=bimestre)
        return self._derivado(carga, "anexo12", per.bimestre,
                              lambda: anexo12.calcular(carga.dados, per, carga.parametros))

    def anexo12(self, ibge, exercicio, bimestre) -> pd.DataFrame:
        """RREO Anexo 12 do bimestre (``linha, coluna, valor``; ``quadros.anexo12.calcular``), cópia."""
        return self._anexo12(self._carga(ibge, exercicio), bimestre).copy()

    def controles(self, ibge, exercicio, bimestre) -> pd.DataFrame:
        """Quadros de controle D, E e F do Anexo 12 (``quadros.anexo12_controles.calcular``), cópia."""
        from ..periodo import periodo
        from ..quadros import anexo12_controles

        carga = self._carga(ibge, exercicio)
        per = periodo(bimestre=bimestre)
        res = self._anexo12(carga, per.bimestre)
        return self._derivado(carga, "controles", per.bimestre, lambda: anexo12_controles.calcular(
            carga.dados, per, res, carga.parametros.rpnp_sem_disponibilidade)).copy()

    def indicadores(self, ibge, exercicio, bimestre) -> pd.DataFrame:
        """Indicadores municipais do SIOPS do bimestre (``quadros.indicadores.calcular``, com o percentual ASPS
        do Anexo 12 e a população da configuração), cópia."""
        from ..periodo import periodo
        from ..quadros import anexo12, indicadores

        carga = self._carga(ibge, exercicio)
        per = periodo(bimestre=bimestre)
        res = self._anexo12(carga, per.bimestre)
        return self._derivado(carga, "indicadores", per.bimestre, lambda: indicadores.calcular(
            carga.dados, per, percentual_asps=anexo12.percentual_aplicado(res, per),
            populacao=carga.resolucao.populacao)).copy()

    def percentuais(self, ibge, exercicio) -> list[tuple[int, float, float]]:
        """(bimestre, percentual aplicado em ASPS, percentual mínimo) de cada bimestre disponível."""
        from ..periodo import periodo
        from ..quadros import anexo12

        carga = self._carga(ibge, exercicio)
        saida = []
        for b in self.bimestres_disponiveis(ibge, exercicio):
            res = self._anexo12(carga, b)
            saida.append((b, anexo12.percentual_aplicado(res, periodo(bimestre=b)),
                          float(carga.parametros.percentual_minimo)))
        return saida

    # ------------------------------------------------------------------------------------------ dados abertos

    def publicacao(self, ibge, exercicio) -> Publicacao:
        """Os dados abertos do bimestre mais recente (os mesmos arquivos de ``siops dados-abertos``), gerados sob
        demanda em ``pasta_publico`` e refeitos quando as entradas, as regras ou ``SOURCE_DATE_EPOCH`` mudam."""
        from .. import __version__, dados_abertos
        from ..periodo import periodo
        from ..relatorio.entradas import ENTIDADE_CONSOLIDADO
        from ..saida import gravar_atomico

        carga = self._carga(ibge, exercicio)
        bimestres = self.bimestres_disponiveis(ibge, exercicio)
        if not bimestres:
            raise ErroSiops(f"os dados de {carga.exercicio} ainda não cobrem nenhum bimestre completo: não há o que "
                            "publicar")
        b = bimestres[-1]
        gerado = dados_abertos.data_de_geracao().isoformat()
        pasta = self.pasta_publico(carga.ibge, carga.exercicio)
        carimbo = hashlib.sha256(json.dumps([list(map(str, carga.chave)), b, __version__, gerado],
                                            ensure_ascii=False).encode("utf-8")).hexdigest()

        def gerar() -> Publicacao:
            anterior = self._ler_carimbo(pasta)
            if anterior.get("carimbo") == carimbo and all((pasta / n).is_file() for n in anterior.get("arquivos", [])):
                return Publicacao(carga.ibge, carga.exercicio, b, pasta, tuple(anterior["arquivos"]))
            res = carga.resolucao
            gravados = dados_abertos.exportar(carga.dados, periodo(bimestre=b), pasta, res.parametros,
                                              res.populacao, ENTIDADE_CONSOLIDADO, origens=res.origens)
            nomes = tuple(p.name for p in gravados)
            for velho in pasta.iterdir():   # arquivos de uma publicação anterior que esta não tem
                if velho.is_file() and not velho.name.startswith(".") and velho.name not in nomes:
                    velho.unlink(missing_ok=True)
            gravar_atomico(pasta / CARIMBO, (json.dumps({"carimbo": carimbo, "bimestre": b, "arquivos": list(nomes)},
                                                        ensure_ascii=False, indent=1) + "\n").encode("utf-8"))
            return Publicacao(carga.ibge, carga.exercicio, b, pasta, nomes)

        with _TRAVA:
            pub = self._derivado(carga, "publicacao", (b, gerado), gerar)
            if not all((pasta / n).is_file() for n in pub.arquivos):   # cache apagado com o servidor no ar
                self._derivados.pop((carga.chave, "publicacao", (b, gerado)), None)
                pub = self._derivado(carga, "publicacao", (b, gerado), gerar)
            return pub

    @staticmethod
    def _ler_carimbo(pasta: Path) -> dict:
        try:
            valor = json.loads((pasta / CARIMBO).read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return {}
        if not isinstance(valor, dict) or not all(isinstance(n, str) and n == os.path.basename(n)
                                                  for n in valor.get("arquivos", [])):
            return {}
        return valor
