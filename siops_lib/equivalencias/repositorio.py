"""Repositório das equivalências de uma pasta de dados: leitura, mudanças com trava e diário, desfazer.

Toda mudança passa por ``Repositorio.alterar``: trava → relê o arquivo da aba (outro processo pode
ter gravado) → registra no diário uma edição feita fora do workbench, se houver → aplica → grava o
CSV de forma atômica → acrescenta as entradas no diário → solta a trava.
"""
from __future__ import annotations

from contextlib import contextmanager
from pathlib import Path

import pandas as pd

from ..erros import ErroSiops
from ..leitura.tabelas import ler_tabela
from .abas import ABAS, aba
from .arquivos import agora, chave_de, gravar_atomico, ler_bruto, ler_csv, limpar, ordenar, quem_padrao, serializar
from .diario import Diario, diferencas, reconstruir, resumo, ultimo_lote_desfazivel
from .trava import Trava

QUEM_EXTERNO = "(edição fora do workbench)"


def _iguais(a: dict, b: dict) -> bool:
    return all(a.get(c, "") == b.get(c, "") for c in a.keys() | b.keys()
               if c not in ("quem", "quando") and not c.startswith("_"))


class Repositorio:
    """Equivalências de ``pasta`` (a pasta do layout próprio, com ``municipio.csv`` e ``equivalencias/``)."""

    def __init__(self, pasta, exercicio: int | None = None):
        self.pasta = Path(pasta)
        if not self.pasta.is_dir():
            raise ErroSiops("pasta de dados não encontrada", arquivo=self.pasta)
        self.dir = self.pasta / "equivalencias"
        self.diario = Diario(self.dir / "diario.jsonl")
        self._exercicio = exercicio
        self._entidades: list[str] | None = None
        self._cache: dict[str, tuple[tuple | None, list[dict], str | None]] = {}   # aba → (assinatura, linhas, hash)
        self._travado = 0
        self.espera_trava = 0.0

    # ------------------------------------------------------------------ dados da pasta
    @property
    def exercicio(self) -> int:
        if self._exercicio is None:
            mun = ler_tabela(self.pasta, "municipio", ["campo", "valor"])
            info = dict(zip(mun["campo"].str.lower(), mun["valor"]))
            if not info.get("exercicio", "").isdigit():
                raise ErroSiops("municipio.csv deve ter o campo 'exercicio' com o ano (ex.: 2024)",
                                arquivo=self.pasta / "municipio.csv", coluna="valor")
            self._exercicio = int(info["exercicio"])
        return self._exercicio

    @property
    def entidades(self) -> list[str]:
        if self._entidades is None:
            ent = ler_tabela(self.pasta, "entidades", ["entidade"], obrigatorio=False)
            self._entidades = [] if ent is None else list(ent["entidade"])
        return self._entidades

    def _conjunto_entidades(self) -> set[str] | None:
        return set(self.entidades) if self.entidades else None

    def caminho(self, nome_aba: str) -> Path:
        return self.pasta / aba(nome_aba).arquivo

    # ------------------------------------------------------------------ leitura
    @staticmethod
    def _assinatura(c: Path) -> tuple | None:
        try:
            st = c.stat()
        except FileNotFoundError:
            return None
        return (st.st_mtime_ns, st.st_size, st.st_ino)

    def _ler(self, nome_aba: str) -> tuple[list[dict], str | None]:
        """(linhas, hash do arquivo), relidas só se o arquivo mudou (data, tamanho ou inode)."""
        c = self.caminho(nome_aba)
        assinatura = self._assinatura(c)
        guardado = self._cache.get(nome_aba)
        if guardado is None or guardado[0] != assinatura:
            bruto = ler_bruto(c, aba(nome_aba).arquivo) if assinatura else None
            linhas = ler_csv(c, nome_aba, self._conjunto_entidades(), bruto=bruto) if bruto is not None else []
            self._cache[nome_aba] = (self._assinatura(c) if bruto is not None else None, linhas,
                                     resumo(bruto) if bruto is not None else None)
        return self._cache[nome_aba][1], self._cache[nome_aba][2]

    def linhas(self, nome_aba: str) -> list[dict]:
        """Linhas da aba como estão no arquivo (com ``_linha``); lidas de novo só se o arquivo mudou."""
        return self._ler(nome_aba)[0]

    def por_chave(self, nome_aba: str) -> dict[tuple, dict]:
        return {chave_de(ln): ln for ln in self.linhas(nome_aba)}

    def tabela(self, nome_aba: str) -> pd.DataFrame:
        cols = list(ABAS[nome_aba].colunas)
        return pd.DataFrame([[ln[c] for c in cols] for ln in self.linhas(nome_aba)], columns=cols, dtype=object)

    # ------------------------------------------------------------------ escrita
    @contextmanager
    def travar(self, quem: str):
        """Trava da pasta (reentrante dentro deste objeto)."""
        if self._travado:
            self._travado += 1
            try:
                yield
            finally:
                self._travado -= 1
            return
        with Trava(self.dir, quem, self.espera_trava):
            self._travado = 1
            try:
                yield
            finally:
                self._travado = 0

    def alterar(self, mudancas: dict[str, list[tuple[tuple, dict | None]]], quem: str, operacao: str,
                quando: str | None = None, carimbar: bool = True) -> dict[str, int]:
        """Aplica ``{aba: [(chave, nova_linha ou None), …]}`` como um lote; devolve quantas linhas mudaram por aba.

        ``chave`` = (entidade, codigo_local). Linhas iguais às atuais (fora quem/quando) são ignoradas.
        ``carimbar`` grava ``quem``/``quando`` nas linhas novas (desfazer restaura as antigas como eram).
        """
        quando = quando or agora()
        alteradas: dict[str, int] = {}
        with self.travar(quem):
            self.diario.atualizar()
            externas, mudas, conteudos, hashes = [], [], {}, {}
            novas_linhas = {}
            for nome_aba, lista in mudancas.items():
                aba(nome_aba)
                linhas, h = self._ler(nome_aba)          # relido se outro processo gravou (a trava já é nossa)
                atual = {chave_de(ln): ln for ln in linhas}
                if h != self.diario.hashes.get(nome_aba):
                    registrado = reconstruir(self.diario.entradas(), nome_aba)
                    limpas = {k: limpar(v, nome_aba) for k, v in atual.items()}
                    for chave, de, para in diferencas(registrado, limpas):
                        externas.append(self._entrada("edicao_externa", QUEM_EXTERNO, quando, nome_aba, chave, de, para))
                    hashes[nome_aba] = h or ""
                n = 0
                for chave, nova in lista:
                    anterior = atual.get(chave)
                    if nova is None:
                        if anterior is None:
                            continue
                        del atual[chave]
                    else:
                        nova = limpar({**nova, "entidade": chave[0], "codigo_local": chave[1]}, nome_aba)
                        if anterior is not None and _iguais(anterior, nova):
                            continue
                        if carimbar:
                            nova["quem"], nova["quando"] = quem, quando
                        atual[chave] = nova
                    de = limpar(anterior, nome_aba) if anterior is not None else None
                    mudas.append(self._entrada(operacao, quem, quando, nome_aba, chave, de, nova))
                    n += 1
                alteradas[nome_aba] = n
                if n:
                    ordenadas = ordenar(atual.values())
                    conteudos[nome_aba] = serializar(nome_aba, ordenadas)
                    novas_linhas[nome_aba] = ordenadas
            if not externas and not mudas:
                return alteradas
            for e in externas:
                e["hash"] = hashes[e["aba"]]
            for nome_aba, conteudo in conteudos.items():
                c = self.caminho(nome_aba)
                gravar_atomico(c, conteudo)
                hashes[nome_aba] = resumo(conteudo)
                ordenadas = novas_linhas[nome_aba]
                for i, ln in enumerate(ordenadas):
                    ln["_linha"] = i + 2
                self._cache[nome_aba] = (self._assinatura(c), ordenadas, hashes[nome_aba])
            for e in mudas:
                e["hash"] = hashes[e["aba"]]
            lote, seq = self.diario.ultimo_lote, self.diario.ultimo_seq
            for grupo in (externas, mudas):
                if grupo:
                    lote += 1
                for e in grupo:
                    seq += 1
                    e["lote"], e["seq"] = lote, seq
            self.diario.anexar(externas + mudas)
        return alteradas

    @staticmethod
    def _entrada(operacao, quem, quando, nome_aba, chave, de, para) -> dict:
        return {"operacao": operacao, "quem": quem, "quando": quando, "aba": nome_aba, "chave": list(chave),
                "estado_anterior": (de or {}).get("estado", ""), "de": de, "para": para}

    def desfazer(self, quem: str) -> dict:
        """Desfaz o último lote ainda não desfeito; devolve ``{"lote", "operacao", "alteradas"}``."""
        with self.travar(quem):
            self.diario.atualizar()
            entradas = self.diario.entradas()
            lote = ultimo_lote_desfazivel(entradas)
            if lote is None:
                raise ErroSiops("não há mudança para desfazer nas equivalências desta pasta")
            do_lote = [e for e in entradas if int(e["lote"]) == lote]
            volta: dict[str, dict[tuple, dict | None]] = {}
            for e in reversed(do_lote):
                volta.setdefault(e["aba"], {})[tuple(e["chave"])] = e["de"]
            mudancas = {a: list(m.items()) for a, m in volta.items()}
            alteradas = self.alterar(mudancas, quem, f"desfazer:{lote}", carimbar=False)
        return {"lote": lote, "operacao": do_lote[0]["operacao"], "quem": do_lote[0]["quem"], "alteradas": alteradas}

    def verificar(self) -> pd.DataFrame:
        """Cada aba repassada do diário × o arquivo: ``situacao`` = igual / diferente / sem diário."""
        entradas = self.diario.entradas()
        registros = []
        for nome_aba in ABAS:
            c = self.caminho(nome_aba)
            existe = c.exists()
            tem = any(e["aba"] == nome_aba for e in entradas)
            if not existe and not tem:
                continue
            refeito = serializar(nome_aba, reconstruir(entradas, nome_aba).values())
            atual = c.read_bytes() if existe else serializar(nome_aba, [])
            situacao = "igual" if refeito == atual else ("sem diário" if not tem else "diferente")
            registros.append({"aba": nome_aba, "arquivo": ABAS[nome_aba].arquivo, "situacao": situacao,
                              "entradas": sum(e["aba"] == nome_aba for e in entradas)})
        return pd.DataFrame(registros, columns=["aba", "arquivo", "situacao", "entradas"])


def abrir(pasta_ou_repo) -> Repositorio:
    """Aceita um ``Repositorio`` pronto ou o caminho da pasta de dados."""
    return pasta_ou_repo if isinstance(pasta_ou_repo, Repositorio) else Repositorio(pasta_ou_repo)


def desfazer(repo, quem: str | None = None) -> dict:
    """Desfaz a última operação (lote) ainda não desfeita."""
    return abrir(repo).desfazer(quem or quem_padrao())


def verificar_diario(repo):
    """Cada tabela refeita a partir do diário × o arquivo (``situacao`` = igual/diferente/sem diário)."""
    return abrir(repo).verificar()
