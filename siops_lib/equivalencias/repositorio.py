"""Repositório das equivalências de uma pasta de dados: leitura, mudanças com trava e diário, desfazer.

Toda mudança passa por ``Repositorio.alterar``: trava → recupera uma gravação interrompida, se houver →
relê o arquivo da aba (outro processo pode ter gravado) → registra no diário uma edição feita fora do
workbench, se houver → aplica → grava, nesta ordem:

1. o conteúdo novo de cada aba num temporário ``.<aba>.csv.tmp<pid>`` (forçado ao disco);
2. a marca ``.gravando`` (lote, abas e o hash de cada uma antes e depois), de forma atômica;
3. as entradas no diário, forçadas ao disco — é aqui que o lote passa a valer (``fim_lote``);
4. os temporários no lugar das abas (``os.replace``) e a pasta forçada ao disco;
5. a marca vira ``.ultimo_lote`` (onde o lote está no diário, para perceber um diário cortado depois) e a
   trava é solta.

Uma queda antes de 3 deixa as abas e o diário como estavam; depois de 3, o lote vale e a recuperação
completa as abas que faltaram. A recuperação (``Repositorio._recuperar``, ao abrir o repositório e ao
travar) descarta o resto de um lote incompleto no fim do diário, completa pelo diário as abas de um lote
confirmado que ficaram na versão de antes, volta ao registrado no diário uma aba que tem as mudanças de um
lote descartado e apaga os temporários; o que ela fez fica em ``Repositorio.avisos``.
"""
from __future__ import annotations

import json
from contextlib import contextmanager
from pathlib import Path

import pandas as pd

from ..erros import ErroSiops
from ..leitura.tabelas import ler_tabela
from .abas import ABAS, aba
from .arquivos import (
    agora, apagar, chave_de, data_hora_br, escrever_temporario, gravar_atomico, ler_bruto, ler_csv, limpar,
    ordenar, quem_padrao, serializar, sincronizar_pasta, temporarios, trocar,
)
from .diario import Diario, diferencas, reconstruir, resumo, ultimo_lote_desfazivel
from .trava import Trava, temporarios_abandonados

QUEM_EXTERNO = "(edição fora do workbench)"
NOME_MARCA = ".gravando"
"""Marca do lote em gravação (``equivalencias/.gravando``): escrita antes do diário, vira ``.ultimo_lote`` no fim."""
NOME_ULTIMO = ".ultimo_lote"
"""O último lote gravado: onde ele está no diário e o hash de cada aba antes e depois dele."""


def _iguais(a: dict, b: dict) -> bool:
    return all(a.get(c, "") == b.get(c, "") for c in a.keys() | b.keys()
               if c not in ("quem", "quando") and not c.startswith("_"))


_PENDENTES: list[str] = []


class _Avisos(list):
    """Os avisos de um repositório, também guardados para ``avisos_pendentes`` (a linha de comando mostra os de todos
    os repositórios que um comando abriu, inclusive os abertos dentro da biblioteca)."""

    def append(self, aviso):
        super().append(aviso)
        _PENDENTES.append(aviso)

    def extend(self, avisos):
        for a in avisos:
            self.append(a)


def avisos_pendentes() -> list[str]:
    """Os avisos de recuperação e de trava retomada ainda não mostrados (e esvazia a lista)."""
    saida = list(dict.fromkeys(_PENDENTES))
    _PENDENTES.clear()
    return saida


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
        self.avisos: list[str] = _Avisos()
        """O que a recuperação de uma gravação interrompida fez (texto para o usuário); vazio no normal."""
        self._recuperar_ao_abrir()

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

    def versao(self, nome_aba: str) -> tuple | None:
        """Assinatura (data, tamanho, inode) do arquivo da aba na última leitura: muda quando a aba é gravada."""
        self._ler(nome_aba)
        return self._cache[nome_aba][0]

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
        trava = Trava(self.dir, quem, self.espera_trava)
        try:
            with trava:
                self._travado = 1
                try:
                    if self._precisa_recuperar():
                        self._recuperar()
                    yield
                finally:
                    self._travado = 0
        finally:
            self.avisos.extend(trava.avisos)

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
            externas, mudas, conteudos, hashes, antes = [], [], {}, {}, {}
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
                    antes[nome_aba] = h
            if not externas and not mudas:
                return alteradas
            for e in externas:
                e["hash"] = hashes[e["aba"]]
            lote, seq = self.diario.ultimo_lote, self.diario.ultimo_seq
            for grupo in (externas, mudas):
                if grupo:
                    lote += 1
                for e in grupo:
                    seq += 1
                    e["lote"], e["seq"] = lote, seq
            depois = self._gravar_lote(conteudos, antes, externas, mudas, quem, operacao)
            for nome_aba, ordenadas in novas_linhas.items():
                for i, ln in enumerate(ordenadas):
                    ln["_linha"] = i + 2
                self._cache[nome_aba] = (self._assinatura(self.caminho(nome_aba)), ordenadas, depois[nome_aba])
        return alteradas

    def _gravar_lote(self, conteudos: dict[str, bytes], antes: dict[str, str | None], externas: list[dict],
                     mudas: list[dict], quem: str, operacao: str) -> dict[str, str]:
        """Temporários → marca → diário (o lote passa a valer) → abas no lugar → marca vira ``.ultimo_lote``.

        Devolve o hash do conteúdo novo de cada aba. Qualquer falha ou interrupção apaga os temporários; antes do
        diário, apaga também a marca (nada mudou); depois, a marca fica e a recuperação seguinte completa as abas
        pelo diário.
        """
        depois = {nome_aba: resumo(conteudo) for nome_aba, conteudo in conteudos.items()}
        for e in mudas:
            e["hash"] = depois[e["aba"]]
        entradas = externas + mudas
        marca = self.dir / NOME_MARCA
        temporarios_: dict[str, Path] = {}
        marcado = confirmado = False
        try:
            for nome_aba, conteudo in conteudos.items():
                temporarios_[nome_aba] = escrever_temporario(self.caminho(nome_aba), conteudo)
            self.diario.atualizar()
            texto = self.diario.texto(entradas)
            if conteudos:
                inicio = self.diario.fim_confirmado
                desde = next((e["quando"] for e in entradas if e.get("quando")), None) or agora()  # o do diário
                info = {"lotes": sorted({e["lote"] for e in entradas}), "operacao": operacao, "quem": quem,
                        "desde": desde, "diario": [inicio, inicio + len(texto)], "entradas": len(entradas),
                        "abas": {a: {"antes": antes.get(a), "depois": h} for a, h in depois.items()}}
                marcado = True
                gravar_atomico(marca, (json.dumps(info, ensure_ascii=False, indent=1) + "\n").encode("utf-8"))
            try:
                self.diario.gravar(entradas, texto)
            except OSError as e:
                raise ErroSiops(f"não foi possível gravar o diário ({e.strerror}); nada foi mudado",
                                arquivo=self.diario.caminho) from None
            confirmado = True
            try:
                self.diario.atualizar()
                for nome_aba in list(temporarios_):
                    trocar(temporarios_[nome_aba], self.caminho(nome_aba))
                    del temporarios_[nome_aba]
                if conteudos:
                    sincronizar_pasta(self.dir)
                    trocar(marca, self.dir / NOME_ULTIMO)
            except ErroSiops as e:
                raise ErroSiops(e.mensagem + "; a mudança já está no diário e a tabela será completada na "
                                "próxima abertura das equivalências", arquivo=e.arquivo) from None
        finally:
            for tmp in temporarios_.values():
                apagar(tmp)
            if marcado and not confirmado:
                apagar(marca)
        return depois

    # ------------------------------------------------------------------ recuperação
    def _ler_marca(self, nome: str) -> dict | None:
        try:
            info = json.loads((self.dir / nome).read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return None
        ok = (isinstance(info, dict) and isinstance(info.get("abas"), dict) and isinstance(info.get("diario"), list)
              and len(info["diario"]) == 2 and all(isinstance(x, int) for x in info["diario"]))
        return info if ok else None

    def _tamanho_diario(self) -> int:
        try:
            return self.diario.caminho.stat().st_size
        except FileNotFoundError:
            return 0

    def _precisa_recuperar(self) -> bool:
        """Há sinal de gravação interrompida? (marca, temporários, diário terminando num lote incompleto ou mais
        curto que o último lote gravado)."""
        if not self.dir.is_dir():
            return False
        if (self.dir / NOME_MARCA).exists() or self._temporarios() or temporarios_abandonados(self.dir):
            return True
        if self.diario.cauda_pendente():
            return True
        ultimo = self._ler_marca(NOME_ULTIMO)
        return ultimo is not None and ultimo["diario"][0] <= self._tamanho_diario() < ultimo["diario"][1]

    def _temporarios(self) -> list[Path]:
        nomes = [Path(a.arquivo).name for a in ABAS.values()] + [NOME_MARCA, NOME_ULTIMO]
        return temporarios(self.dir, nomes)

    def _recuperar_ao_abrir(self) -> None:
        """Ao abrir: se uma gravação foi interrompida, trava e recupera. Se outro processo está gravando (ou a pasta
        é só de leitura), deixa para depois: a recuperação roda de novo a cada trava."""
        try:
            if not self._precisa_recuperar():
                return
            with self.travar(quem_padrao()):
                pass
        except (ErroSiops, OSError):
            pass

    def _recuperar(self) -> None:
        """Deixa abas e diário de acordo depois de uma gravação interrompida (com a trava já tomada).

        A marca (``.gravando``, ou ``.ultimo_lote`` se a gravação terminou) diz onde o lote está no diário e o hash
        de cada aba antes e depois dele:

        1. lote inteiro no diário e gravação interrompida (``.gravando``): cada aba ainda na versão de antes é
           regravada a partir do diário (o lote se completa);
        2. lote que não está inteiro no diário (queda no meio do diário, ou diário cortado depois): cada aba com o
           conteúdo de depois volta ao registrado no diário (o lote é desfeito);
        3. sem ``.gravando`` (diários de antes da marca, diário cortado à mão): uma aba com o hash de um lote
           incompleto no fim do diário volta ao registrado no diário;
        4. o fim do diário que não forma um lote inteiro é cortado; temporários são apagados.

        Uma aba que não tem nem o conteúdo de antes nem o de depois mudou depois da queda e fica como está (entra
        no diário como edição externa na próxima mudança). As abas vêm antes do corte do diário e das marcas: uma
        queda no meio da recuperação deixa os mesmos sinais, e a recuperação seguinte chega ao mesmo resultado.
        """
        em_gravacao = self._ler_marca(NOME_MARCA)
        marca = em_gravacao or self._ler_marca(NOME_ULTIMO)
        confirmado, descartadas, tamanho = self.diario.cauda()
        registradas = dict(self.diario.hashes)
        intacto = dentro = False
        if marca is not None:
            inicio, fim = marca["diario"]
            dentro = inicio <= confirmado                  # o diário ainda tem tudo o que vinha antes do lote
            lidas = self.diario.entradas_entre(inicio, fim) if fim <= confirmado else None
            intacto = (lidas is not None and len(lidas) == marca.get("entradas")
                       and sorted({e.get("lote") for e in lidas}) == marca.get("lotes"))
        rotulo = ""
        if marca is not None:
            lotes = ", ".join(str(x) for x in marca.get("lotes", []))
            rotulo = (f"lote {lotes}, '{marca.get('operacao')}' de {marca.get('quem')}, "
                      f"{data_hora_br(marca.get('desde', ''))}")
        refazer: dict[str, str] = {}
        for nome_aba, h in (marca or {}).get("abas", {}).items():
            if nome_aba not in ABAS or not isinstance(h, dict) or not (intacto or dentro):
                continue
            atual = self._hash_arquivo(nome_aba)
            if intacto and em_gravacao is not None and atual != h.get("depois"):
                if atual == h.get("antes") and registradas.get(nome_aba) == h.get("depois"):
                    refazer[nome_aba] = (f"a tabela {ABAS[nome_aba].arquivo} foi completada a partir do diário "
                                         f"({rotulo}: a gravação parou depois do diário)")
                else:
                    self.avisos.append(f"a tabela {ABAS[nome_aba].arquivo} mudou depois de uma gravação "
                                       "interrompida e ficou como está; a diferença entra no diário como edição "
                                       "externa na próxima mudança")
            elif not intacto and atual == h.get("depois") != registradas.get(nome_aba):
                refazer[nome_aba] = (f"a tabela {ABAS[nome_aba].arquivo} tinha as mudanças do {rotulo}, que não "
                                     "está inteiro no diário, e voltou ao registrado no diário")
        for e in descartadas if em_gravacao is None else ():
            nome_aba = e.get("aba")
            if e.get("operacao") == "edicao_externa":
                continue                      # o hash é o do arquivo como foi achado, não uma mudança gravada
            if (nome_aba in ABAS and nome_aba not in refazer and e.get("hash")
                    and self._hash_arquivo(nome_aba) == e["hash"] != registradas.get(nome_aba)):
                refazer[nome_aba] = (f"a tabela {ABAS[nome_aba].arquivo} tinha as mudanças do lote interrompido "
                                     f"{e.get('lote')} e voltou ao registrado no diário")
        if em_gravacao is not None and not intacto:
            self.avisos.append(f"a gravação do {rotulo} foi interrompida antes de o diário terminar: o lote foi "
                               "descartado e as tabelas ficam como estavam antes dele")
        elif tamanho > confirmado and descartadas:
            e = descartadas[0]
            self.avisos.append(f"a gravação do lote {e.get('lote')} ('{e.get('operacao')}' de {e.get('quem')}, "
                               f"{data_hora_br(e.get('quando', ''))}) foi interrompida antes de o diário terminar: "
                               "o lote foi descartado")
        elif tamanho > confirmado:
            self.avisos.append(f"o fim do diário ({tamanho - confirmado} byte(s) de uma linha pela metade, de uma "
                               "gravação interrompida) foi descartado")
        elif marca is not None and dentro and not intacto:
            self.avisos.append(f"o diário termina antes do fim do {rotulo} (foi cortado depois da gravação): o lote "
                               "foi descartado")
        if refazer:
            entradas = self.diario.entradas()
            for nome_aba, aviso in refazer.items():
                c = self.caminho(nome_aba)
                if any(e["aba"] == nome_aba for e in entradas):
                    gravar_atomico(c, serializar(nome_aba, reconstruir(entradas, nome_aba).values()),
                                   sincronizar=False)
                else:
                    apagar(c)
                self._cache.pop(nome_aba, None)
                self.avisos.append(aviso)
            sincronizar_pasta(self.dir)
        if tamanho > confirmado:
            self.diario.truncar(confirmado)
        if em_gravacao is not None and intacto:
            trocar(self.dir / NOME_MARCA, self.dir / NOME_ULTIMO)
        elif em_gravacao is not None:
            apagar(self.dir / NOME_MARCA)          # o lote não valeu; .ultimo_lote (o anterior) continua certo
        elif marca is not None and not intacto:
            apagar(self.dir / NOME_ULTIMO)         # não descreve mais o fim do diário
        for tmp in self._temporarios() + temporarios_abandonados(self.dir):
            apagar(tmp)
        sincronizar_pasta(self.dir)

    def _hash_arquivo(self, nome_aba: str) -> str | None:
        bruto = ler_bruto(self.caminho(nome_aba), ABAS[nome_aba].arquivo)
        return None if bruto is None else resumo(bruto)

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
        if not self._travado:
            self._recuperar_ao_abrir()
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


def recuperar_se_preciso(pasta) -> list[str]:
    """Quem só lê as abas (o leitor do layout próprio) chama antes de ler: se uma gravação foi interrompida, o lote
    é terminado ou desfeito como na abertura do repositório. Devolve o que a recuperação fez (vazio no normal)."""
    if not (Path(pasta) / "equivalencias").is_dir():
        return []
    return list(Repositorio(pasta).avisos)
